"""Sinks: one BatchSink per mapped stream, and a counting no-op sink for streams the profile does not map."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from singer_sdk.helpers._typing import get_datelike_property_type
from singer_sdk.sinks import BatchSink
from typing_extensions import override

from target_servicenow_s2p.dedup import BatchReport, BatchWriter, Candidate

if TYPE_CHECKING:
    from target_servicenow_s2p.target import TargetServiceNowS2P

MAX_BATCH = 1000  # insertMultiple rows per request; the transform works in blocks of 100 within 60 s
WINDOW = 1000  # records per drain: one ledger query, one lookup and one row read for up to 1000 records


class _CountingMixin:
    # records arrive typed from our taps and are hashed by the ledger; JSON-schema validation costs more
    # than the rest of the target together, so it is opt-in (validate_records: true)
    fail_on_record_validation_exception = False

    @cached_property
    @override
    def validate_schema(self) -> bool:
        return bool(self.config.get("validate_records", False))  # type: ignore[attr-defined]

    @property
    def s2p(self) -> TargetServiceNowS2P:
        return self._target  # type: ignore[attr-defined,no-any-return]


class ServiceNowSink(_CountingMixin, BatchSink):
    """Loads one stream through its staging table, one insertMultiple per batch."""

    def __init__(self, target: TargetServiceNowS2P, stream_name: str, schema: dict, key_properties: Any) -> None:
        self._target = target
        super().__init__(target, stream_name, schema, key_properties)
        self.mapping = target.mappings[stream_name]

    @cached_property
    def batch_size(self) -> int:
        """Rows per insertMultiple."""
        return max(1, min(int(self.config.get("batch_size") or 250), MAX_BATCH))

    @cached_property
    @override
    def max_size(self) -> int:
        """Records per drain: a window of whole insertMultiple batches, bounded so memory stays flat.
        (Read once per record by the SDK, so computed once.)"""
        if self.batch_size_rows:
            return max(1, min(self.batch_size_rows, WINDOW))
        return max(self.batch_size, WINDOW // self.batch_size * self.batch_size)

    @cached_property
    def _datelike_schema(self) -> dict[str, Any]:
        """Only the date/time properties of the stream's schema (see `_parse_timestamps_in_record`)."""
        properties = self.schema.get("properties") or {}
        return {"properties": {k: p for k, p in properties.items() if get_datelike_property_type(p)},
                "additionalProperties": True}

    @override
    def _parse_timestamps_in_record(self, record: dict, schema: dict, treatment: Any) -> None:
        """The SDK's own parsing, given a schema of the date/time properties alone: it otherwise inspects every
        property's schema for every record, a sixth of this target's CPU."""
        super()._parse_timestamps_in_record(record, self._datelike_schema, treatment)

    @override
    def setup(self) -> None:
        self.s2p.ensure_started(needs_instance=True)

    @override
    def process_record(self, record: dict, context: dict) -> None:
        context.setdefault("records", []).append(record)

    @override
    def process_batch(self, context: dict) -> None:
        """Hand the batch to the target's ordered writer thread; the target keeps reading meanwhile."""
        records = context.get("records") or []
        if not records:
            return
        self.s2p.summary.extracted(self.stream_name, len(records))
        # headers before lines, reference data before transactions, whatever order the SDK drains in: lower
        # ranks are handed over first, and the writer keeps hand-over order
        self.s2p.drain_lower_ranks(self.mapping.rank)
        context["records"] = []
        # mapping and hashing here, the I/O on the writer thread: one batch is mapped while another is written
        report = BatchReport()
        candidates = self.batch_writer.collect(records, self.key_properties, report)
        self.s2p.writes.submit(lambda: self._write(candidates, report))

    @cached_property
    def batch_writer(self) -> BatchWriter:
        return BatchWriter(
            self.mapping,
            self.s2p.client,
            self.s2p.ledger,
            source_system=self.s2p.source_system,
            context=self.s2p.mapping_context,
            poll_timeout=float(self.config.get("import_poll_timeout_seconds") or 60),
            chunk_size=self.batch_size,
            logger=self.logger,
        )

    def _write(self, candidates: list[Candidate], report: BatchReport) -> None:
        """On the writer thread: one drained batch, effectively once (see dedup.BatchWriter)."""
        try:
            self.batch_writer.write_candidates(candidates, report, self.s2p.run_id)
        except Exception as exc:
            # only what the run cannot survive gets here (auth lost, instance gone, ledger down): rows that the
            # instance rejects are dead-lettered inside the writer
            self.s2p.abort(exc)
            raise
        if report.duplicates:
            self.tally_duplicate_merged(report.duplicates)
        self.s2p.summary.add(self.stream_name, report.counts)


class IgnoredStreamSink(_CountingMixin, BatchSink):
    """Streams the mapping profile does not know (customers, items, meltano_test_stream): counted, not kept."""

    def __init__(self, target: TargetServiceNowS2P, stream_name: str, schema: dict, key_properties: Any) -> None:
        self._target = target
        super().__init__(target, stream_name, schema, key_properties)

    @override
    def setup(self) -> None:
        self.s2p.ensure_started(needs_instance=False)
        self.s2p.warn_ignored(self.stream_name)

    @override
    def process_record(self, record: dict, context: dict) -> None:
        self.s2p.summary.ignored(self.stream_name)

    @override
    def process_batch(self, context: dict) -> None:
        """Nothing to write."""
