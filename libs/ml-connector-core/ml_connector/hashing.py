"""Content hashes: the ledger's way of telling an unchanged record from a changed one."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import msgspec

# For text-only records (every staging row) msgspec writes the very bytes json.dumps below writes (sorted
# keys, no spaces, UTF-8, the same escapes), ten times faster: the hashes are the same either way.
_sorted_json = msgspec.json.Encoder(order="sorted")


def _default(value: Any) -> str:
    if isinstance(value, decimal.Decimal):
        # normalise so 10.50 and 10.5 hash alike, but keep every significant digit
        return format(value.normalize(), "f")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    msg = f"cannot hash a {type(value).__name__}"
    raise TypeError(msg)


def content_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of the record's canonical JSON (sorted keys, decimals as exact strings)."""
    if all(type(value) is str for value in record.values()):
        return hashlib.sha256(_sorted_json.encode(record)).hexdigest()
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), default=_default, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
