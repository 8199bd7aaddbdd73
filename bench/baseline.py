"""The benchmark baseline: a minimal Singer SDK tap piped into a minimal SDK target that discards.

Both use SDK defaults, so the ratio job/baseline says what our plugins cost beyond the SDK itself.
Run: `python bench/baseline.py tap --config cfg.json | python bench/baseline.py target`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import sys
from collections.abc import Iterable
from typing import Any

from singer_sdk import Stream, Tap, Target
from singer_sdk import typing as th
from singer_sdk.sinks import BatchSink


class RowsStream(Stream):
    """Records shaped like an AP invoice line (16 fields: codes, decimals, dates)."""

    name = "rows"
    primary_keys = ("id",)
    schema = th.PropertiesList(
        th.Property("id", th.IntegerType),
        *(th.Property(f"code_{i}", th.StringType) for i in range(6)),
        *(th.Property(f"amount_{i}", th.NumberType) for i in range(4)),
        *(th.Property(f"date_{i}", th.DateType) for i in range(3)),
        th.Property("text", th.StringType),
        th.Property("changed", th.IntegerType),
    ).to_dict()

    def get_records(self, context: dict | None) -> Iterable[dict[str, Any]]:
        day = dt.date(2026, 1, 1)
        for n in range(int(self.config["record_count"])):
            yield {
                "id": n,
                **{f"code_{i}": f"C{i}{n % 997:05d}" for i in range(6)},
                **{f"amount_{i}": decimal.Decimal(n % 10_000) / 7 for i in range(4)},
                **{f"date_{i}": (day + dt.timedelta(days=n % 400)).isoformat() for i in range(3)},
                "text": f"Invoice line {n} Müller",
                "changed": 1_700_000_000_000 + n,
            }


class BaselineTap(Tap):
    name = "baseline-tap"
    config_jsonschema = th.PropertiesList(th.Property("record_count", th.IntegerType, default=1000)).to_dict()

    def discover_streams(self) -> list[Stream]:
        return [RowsStream(self)]


class DiscardSink(BatchSink):
    def process_batch(self, context: dict) -> None:
        """Discard: the baseline measures the SDK's per-record cost only."""


class DiscardTarget(Target):
    name = "baseline-target"
    config_jsonschema = th.PropertiesList().to_dict()
    default_sink_class = DiscardSink


if __name__ == "__main__":
    role = sys.argv.pop(1)
    (BaselineTap if role == "tap" else DiscardTarget).cli()
