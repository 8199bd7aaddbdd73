"""Partial-update helper for emulator settings dataclasses."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any


def apply_partial(settings: object, changes: dict[str, Any], *, kind: str = "setting") -> None:
    """Set the given fields on a settings dataclass; unknown names raise ValueError so a typo fails loudly.

    `kind` names what is being set in that error ("fault setting", ...).
    """
    known = {f.name for f in fields(settings)}  # type: ignore[arg-type]
    unknown = set(changes) - known
    if unknown:
        msg = f"unknown {kind}(s): {', '.join(sorted(unknown))}"
        raise ValueError(msg)
    for name, value in changes.items():
        setattr(settings, name, value)


def settings_dict(settings: object) -> dict[str, Any]:
    return asdict(settings)  # type: ignore[call-overload]
