"""Turn target-snowflake's gzipped JSONL batch files into one typed parquet file fakesnow can COPY.

fakesnow cannot query a JSON stage (`$1:col`), but it loads parquet by column name. Typing the parquet
columns from the stream's JSON schema keeps exact decimals, dates and timestamps instead of relying on
implicit casts inside fakesnow.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.parquet as pq


def read_batch_files(files: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Records of the target's batch files (`file://` URIs, gzip or plain JSON lines), in order."""
    for uri in files:
        path = Path(urlparse(uri).path)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line, parse_float=decimal.Decimal)


def dedupe_last(records: Iterable[Mapping[str, Any]], keys: Sequence[str]) -> list[Mapping[str, Any]]:
    """Last record per key wins, as target-snowflake's `QUALIFY ROW_NUMBER() ... SEQ8() DESC` does."""
    latest: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    for record in records:
        key = tuple(record.get(k) for k in keys)
        latest.pop(key, None)  # keep arrival order of the winners
        latest[key] = record
    return list(latest.values())


def _types(prop: Mapping[str, Any]) -> set[str]:
    declared = prop.get("type", [])
    types = {declared} if isinstance(declared, str) else set(declared)
    for option in prop.get("anyOf", []):
        types |= _types(option)
    return types - {"null"}


def _to_datetime(value: Any) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is not None:  # TIMESTAMP_NTZ holds UTC wall time
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def arrow_column(prop: Mapping[str, Any], values: list[Any]) -> pa.Array:
    """One parquet column typed after the JSON schema property (the type target-snowflake gave the column)."""
    types, fmt = _types(prop), prop.get("format")
    present = [v for v in values if v is not None]

    def build(kind: pa.DataType, convert: Any) -> pa.Array:
        return pa.array([None if v is None else convert(v) for v in values], type=kind)

    if fmt == "x-singer.decimal" and "string" in types:
        precision, scale = int(prop.get("precision") or 38), int(prop.get("scale") or 0)
        return build(pa.decimal128(precision, scale), lambda v: decimal.Decimal(str(v)))
    if "object" in types or "array" in types:
        return build(pa.string(), _json_text)
    if fmt == "date" and types == {"string"}:
        return build(pa.date32(), lambda v: dt.date.fromisoformat(str(v)[:10]))
    if fmt == "date-time" and types == {"string"}:
        return build(pa.timestamp("us"), _to_datetime)
    if types == {"integer"}:
        return build(pa.int64(), int)
    if types <= {"number", "integer"} and types:
        return build(pa.float64(), float)
    if types == {"boolean"}:
        return build(pa.bool_(), bool)
    if not present:
        return pa.nulls(len(values), type=pa.string())
    return build(pa.string(), lambda v: v if isinstance(v, str) else _json_text(v))


def write_parquet(records: Sequence[Mapping[str, Any]], schema: Mapping[str, Any], path: Path) -> int:
    """Write the records' schema properties as one parquet file; returns the row count."""
    properties: Mapping[str, Any] = schema.get("properties", {})
    columns = {name: arrow_column(prop, [r.get(name) for r in records]) for name, prop in properties.items()}
    pq.write_table(pa.table(columns), path)
    return len(records)
