"""The parquet conversion: columns typed after the JSON schema, last record per key wins."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from target_snowflake_fakesnow import staging


def test_columns_follow_the_schema() -> None:
    decimal = {"type": ["string", "null"], "format": "x-singer.decimal", "precision": 38, "scale": 6}
    assert staging.arrow_column(decimal, ["1.5", None]).type == pa.decimal128(38, 6)
    assert staging.arrow_column(decimal, ["1.5"]).to_pylist() == [Decimal("1.500000")]
    date = {"type": ["string", "null"], "format": "date"}
    assert staging.arrow_column(date, ["2026-11-23"]).to_pylist() == [dt.date(2026, 11, 23)]
    stamp = {"type": ["string", "null"], "format": "date-time"}
    assert staging.arrow_column(stamp, ["2026-11-23T10:00:00+01:00"]).to_pylist() == [dt.datetime(2026, 11, 23, 9)]
    assert staging.arrow_column({"type": ["integer"]}, [1]).type == pa.int64()
    assert staging.arrow_column({"type": ["object", "null"]}, [{"a": 1}]).to_pylist() == ['{"a": 1}']
    assert staging.arrow_column({"type": ["string", "null"]}, [None]).null_count == 1


def test_dedupe_keeps_the_last_record_per_key() -> None:
    records = [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}, {"k": 1, "v": "c"}]
    assert staging.dedupe_last(records, ["k"]) == [{"k": 2, "v": "b"}, {"k": 1, "v": "c"}]


def test_reads_gzipped_batch_files_with_exact_decimals(tmp_path: Path) -> None:
    path = tmp_path / "batch.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"a": 1}) + "\n" + '{"a": 0.1234567}\n')
    assert list(staging.read_batch_files([f"file://{path}"])) == [{"a": 1}, {"a": Decimal("0.1234567")}]
