"""The mapping profile compiled: per stream, how a Singer record becomes one staging row."""

from __future__ import annotations

import copy
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from target_servicenow_s2p.converters import Converter, MappingError, compile_spec, to_text
from target_servicenow_s2p.profiles import PROFILES

DEFAULT_RANK = 1


@dataclass(frozen=True)
class TargetField:
    """How the transform stores a staging column in the target table (for query-before-insert)."""

    column: str
    true_when: str | None = None

    def expected(self, staging_value: str) -> str:
        if self.true_when is None:
            return staging_value
        return "true" if staging_value == self.true_when else "false"


@dataclass(frozen=True)
class StreamMapping:
    stream: str
    staging_table: str
    target_table: str | None
    key_columns: tuple[str, ...]
    converters: Mapping[str, Converter]
    target_fields: Mapping[str, TargetField] = field(default_factory=dict)
    rank: int = DEFAULT_RANK

    def map_record(self, record: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, str]:
        """The staging row (all values strings); raises MappingError with the reason."""
        row: dict[str, str] = {}
        for column, convert in self.converters.items():
            try:
                row[column] = convert(record, context)
            except MappingError as exc:
                raise MappingError(f"{column}: {exc}") from None
            except (KeyError, TypeError, ValueError, decimal.InvalidOperation) as exc:
                raise MappingError(f"{column}: cannot convert ({type(exc).__name__}: {exc})") from None
        if not all(row.get(column) for column in self.key_columns):
            empty = [column for column in self.key_columns if not row.get(column)]
            raise MappingError(f"empty key column(s) {', '.join(empty)}: the instance would skip this row")
        return row

    def key_of(self, row: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(row.get(column, "") for column in self.key_columns)

    def target_key_columns(self) -> tuple[str, ...] | None:
        """Target columns of the coalesce keys; None when some key cannot be read back."""
        columns = []
        for column in self.key_columns:
            target = self.target_fields.get(column)
            if target is None or target.true_when is not None or "." in target.column:
                return None
            columns.append(target.column)
        return tuple(columns)


def source_id(record: Mapping[str, Any], key_properties: Sequence[str], mapping: StreamMapping,
              row: Mapping[str, str] | None) -> str:
    """The ledger id: the SCHEMA's key properties joined with '|', else the coalesce key."""
    if key_properties and all(k in record for k in key_properties):
        return "|".join(to_text(record[k]) for k in key_properties)
    if row is not None:
        return "|".join(mapping.key_of(row))
    raise MappingError("record has neither its key properties nor a mappable key")


def _target_field(spec: Any) -> TargetField:
    if isinstance(spec, str):
        return TargetField(spec)
    return TargetField(str(spec["column"]), spec.get("true_when"))


def build_mappings(profile: str, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, StreamMapping]:
    """Compile a named profile plus the `stream_mappings` setting (partial overrides, or whole new streams)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown mapping_profile {profile!r}; known: {', '.join(PROFILES)}")
    specs = copy.deepcopy(PROFILES[profile])
    for stream, override in (overrides or {}).items():
        base = specs.setdefault(stream, {"fields": {}, "target_fields": {}})
        for key, value in override.items():
            if key in ("fields", "target_fields") and not override.get("replace_fields"):
                base.setdefault(key, {}).update(value)
            elif key != "replace_fields":
                base[key] = value
    mappings = {}
    for stream, spec in specs.items():
        missing = [k for k in ("staging_table", "fields", "key_columns") if not spec.get(k)]
        if missing:
            raise ValueError(f"stream_mappings.{stream} needs {', '.join(missing)}")
        unknown = [k for k in spec["key_columns"] if k not in spec["fields"]]
        if unknown:
            raise ValueError(f"stream_mappings.{stream}: key column(s) {', '.join(unknown)} not in fields")
        mappings[stream] = StreamMapping(
            stream=stream,
            staging_table=spec["staging_table"],
            target_table=spec.get("target_table"),
            key_columns=tuple(spec["key_columns"]),
            converters={column: compile_spec(s) for column, s in spec["fields"].items()},
            target_fields={c: _target_field(s) for c, s in (spec.get("target_fields") or {}).items()},
            rank=int(spec.get("rank", DEFAULT_RANK)),
        )
    return mappings
