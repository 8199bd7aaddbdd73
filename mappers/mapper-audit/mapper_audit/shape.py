"""Per-stream shaping: which properties are decimals, how a record's key, change time and audit row look.

Warehouse targets type JSON `number` as a float (target-snowflake: FLOAT). Amounts must stay exact, so
number properties become strings with the SDK's `x-singer.decimal` format and a precision/scale,
which SQL targets map to `NUMBER(p, s)`; a value that does not fit that scale is refused, not rounded.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mapper_audit.validate import Check, record_check

AUDIT_KEYS = ("run_id", "stream", "source_record_id")
RESULT_LOADED = "loaded"
RESULT_FAILED = "failed"
_TS = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": ["string", "null"]}
AUDIT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "run_id": {"type": ["string"]},
        "stream": {"type": ["string"]},
        "source_record_id": {"type": ["string"]},
        "source_change_ts": _TS,
        "extracted_at": _TS,
        "result": {"type": ["string"]},
        "error": _TEXT,
        "content_hash": _TEXT,
    },
}


class RecordError(ValueError):
    """A record the warehouse would reject or silently change; it goes to the dead-letter queue."""


def _types(prop: Mapping[str, Any]) -> list[str]:
    declared = prop.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


@dataclass
class StreamShape:
    """What the mapper needs to know about one stream, from its SCHEMA message."""

    stream: str
    key_properties: tuple[str, ...]
    replication_key: str | None
    decimals: frozenset[str] = field(default_factory=frozenset)
    scale: int = 6
    check: Check | None = None  # against the forwarded schema: what the target's validation would refuse

    def source_id(self, record: Mapping[str, Any]) -> str:
        """Key properties joined with "|" (empty for a missing part, so the id is still unique per key)."""
        return "|".join("" if record.get(k) is None else str(record[k]) for k in self.key_properties)

    def check_and_convert(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record as the target must receive it, or RecordError with the first reason found."""
        missing = [k for k in self.key_properties if record.get(k) in (None, "")]
        if missing:
            raise RecordError(f"missing key properties {missing}")
        out = record
        if self.decimals:
            out = dict(record)
            for name in self.decimals:
                if out.get(name) is not None:
                    out[name] = decimal_text(out[name], self.scale, name)
        if self.check is not None and (error := self.check(out)) is not None:
            raise RecordError(error)
        return out

    def change_ts(self, record: Mapping[str, Any]) -> str | None:
        """The replication key value as a timestamp (a date means its midnight UTC)."""
        value = record.get(self.replication_key) if self.replication_key else None
        if not isinstance(value, str) or len(value) < 10:
            return None
        return f"{value}T00:00:00+00:00" if len(value) == 10 else value


def shape_schema(
    message: Mapping[str, Any], *, scale: int | None, precision: int, validate: bool = True
) -> tuple[StreamShape, dict[str, Any]]:
    """The stream's shape and the schema to forward (number properties as exact decimals when scale is set).

    With `validate`, every record is checked against the forwarded schema (see `validate`).
    """
    schema = dict(message["schema"])
    properties = dict(schema.get("properties", {}))
    decimals = set()
    if scale is not None:
        for name, prop in properties.items():
            types = _types(prop)
            if "number" in types and not {"object", "array", "string"} & set(types):
                nullable = "null" in types
                properties[name] = {
                    **{k: v for k, v in prop.items() if k not in {"type", "multipleOf"}},
                    "type": ["string", "null"] if nullable else ["string"],
                    "format": "x-singer.decimal",
                    "precision": precision,
                    "scale": scale,
                }
                decimals.add(name)
    schema["properties"] = properties
    bookmarks: Sequence[str] = message.get("bookmark_properties") or []
    shape = StreamShape(
        stream=message["stream"],
        key_properties=tuple(message.get("key_properties") or ()),
        replication_key=bookmarks[0] if bookmarks else None,
        decimals=frozenset(decimals),
        scale=scale or 0,
        check=record_check(schema) if validate else None,
    )
    return shape, schema


def decimal_text(value: Any, scale: int, name: str) -> str:
    """Exact fixed-point text of a number, refused when it has more decimals than the column keeps."""
    if isinstance(value, bool):
        raise RecordError(f"{name}: {value!r} is not a number")
    try:
        number = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        raise RecordError(f"{name}: {value!r} is not a number") from None
    if not number.is_finite():
        raise RecordError(f"{name}: {value!r} is not a finite number")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > scale:
        raise RecordError(f"{name}: {value} has more than {scale} decimals")
    return format(number, "f")
