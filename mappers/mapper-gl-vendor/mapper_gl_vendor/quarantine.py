"""Quarantine bookkeeping: records that do not resolve go to the ledger (batched), and are counted.

The ledger key is the one the target uses (source system, stream, key properties joined by "|"), so
the target's later success for the same record closes the entry. ``error`` is JSON,
``{"document": ..., "reasons": [{"stream", "record", "field", "value", "reason", "detail"}]}``,
so `ml-connector quarantine list` can show every reason and a replay can find a document's siblings.
"""

from __future__ import annotations

import decimal
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ml_connector.ledger import Ledger, RecordOutcome

FLUSH_EVERY = 500
SAMPLE_SIZE = 5


def key_text(value: Any) -> str:
    """A key value as the target's ledger ids spell it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        text = format(value, "f")
        return "0" if text == "-0" else text
    return str(value).strip()


def source_id(record: dict[str, Any], key_properties: Sequence[str]) -> str:
    return "|".join(key_text(record.get(k)) for k in key_properties)


class QuarantineBook:
    """Collects quarantined records and writes them in batches; ``flush`` before any STATE goes out."""

    def __init__(self, ledger: Ledger, *, run_id: str, source_system: str, added_fields: Iterable[str]) -> None:
        self.ledger = ledger
        self.run_id = run_id
        self.source_system = source_system
        self.added_fields = frozenset(added_fields)
        self.counts: Counter[str] = Counter()
        self.samples: list[dict[str, Any]] = []
        self._pending: list[RecordOutcome] = []

    def quarantine(self, document: str, records: list[tuple[str, dict[str, Any], str]],
                   reasons: list[dict[str, str]]) -> None:
        """records: (stream, record, source id), all of one document; reasons: of every record in it."""
        error = json.dumps({"document": document, "reasons": reasons}, ensure_ascii=False)
        for stream, record, sid in records:
            payload = {k: v for k, v in record.items() if k not in self.added_fields}
            self._pending.append(RecordOutcome(
                stream=stream, source_system=self.source_system, source_id=sid,
                action="quarantined", error=error, payload=payload,
            ))
            self.counts[stream] += 1
        if len(self.samples) < SAMPLE_SIZE:
            self.samples.append({"document": document, "reasons": reasons[:5]})
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self.ledger.record_outcomes(self.run_id, batch)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
