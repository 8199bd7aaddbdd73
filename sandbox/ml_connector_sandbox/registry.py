"""The emulators the sandbox serves, and how to build one: the single list the supervisor and tests share."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class EmulatorHandle(Protocol):
    """What every emulator package's `build()` returns."""

    name: str
    app: Any
    credentials: dict[str, Any]

    def close(self) -> None: ...


@dataclass(frozen=True)
class EmulatorSpec:
    name: str
    module: str
    default_port: int


EMULATORS: tuple[EmulatorSpec, ...] = (
    EmulatorSpec("ion", "ml_connector_sandbox.ion", 18761),
    EmulatorSpec("servicenow", "ml_connector_sandbox.servicenow", 18762),
    EmulatorSpec("snowflake", "ml_connector_sandbox.snowflake", 18764),
    EmulatorSpec("ifs", "ml_connector_sandbox.ifs", 18763),
)


def build_emulator(
    spec: EmulatorSpec, data_dir: Path, *, base_url: str, scale: int, seed: int, fresh: bool
) -> EmulatorHandle:
    """Import the emulator package lazily so a missing optional emulator cannot break the others."""
    module = importlib.import_module(spec.module)
    return module.build(data_dir, base_url=base_url, scale=scale, seed=seed, fresh=fresh)
