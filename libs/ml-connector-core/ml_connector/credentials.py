"""Credentials as every plugin reads them: explicit settings first, then the JSON file `credentials_file`.

A credentials file lets a deployment mount one secret (Kubernetes, the sandbox) instead of passing several
settings; values in it may still be `mlc-secret:NAME` references, resolved by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def credentials_from(config: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """`keys` of `config`, each completed from the JSON file `credentials_file` names when unset.

    The file is read only when a key is unset, so explicit settings never depend on it being there.
    """
    keys = tuple(keys)
    from_file: dict[str, Any] = {}
    path = config.get("credentials_file")
    if path and not all(config.get(key) for key in keys):
        try:
            from_file = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            msg = f"credentials_file {path} cannot be read as JSON ({type(exc).__name__})"
            raise ValueError(msg) from None
    return {key: config.get(key) or from_file.get(key) for key in keys}
