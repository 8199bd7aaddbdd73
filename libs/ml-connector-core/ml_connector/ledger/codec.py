"""JSON for payloads and counts: exact decimals and ISO datetimes, so a replay re-sends what came in."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import json
import uuid
from collections.abc import Mapping
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)  # "10.50" stays "10.50": no float rounding, no normalising
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    # A failed record must still reach the dead-letter queue, whatever it holds.
    return str(value)


def dumps(value: Mapping[str, Any] | None) -> str | None:
    """Serialise a payload or counts mapping; None stays None."""
    if value is None:
        return None
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    """Inverse of :func:`dumps` (decimals and datetimes come back as strings)."""
    if text is None or text == "":
        return None
    return json.loads(text)
