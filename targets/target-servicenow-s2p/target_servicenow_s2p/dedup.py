"""One batch, effectively once: map → collapse → ledger hash check → query-before-insert → one
insertMultiple → one ledger write. Nothing here is per record on the wire or in the database."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ml_connector.hashing import content_hash
from ml_connector.ledger import Ledger, RecordOutcome
from ml_connector.servicenow import ImportRowResult, ServiceNowClient, ServiceNowError, ServiceNowUnavailable
from ml_connector.servicenow.errors import ServiceNowAuthError

from target_servicenow_s2p.converters import MappingError
from target_servicenow_s2p.lookup import ExistingRow, find_existing
from target_servicenow_s2p.mapping import StreamMapping, source_id

STATUS_TO_ACTION = {"inserted": "inserted", "updated": "updated", "ignored": "unchanged"}


@dataclass
class Candidate:
    source_id: str
    record: dict[str, Any]
    row: dict[str, str]
    hash: str


@dataclass
class BatchReport:
    counts: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    outcomes: list[RecordOutcome] = field(default_factory=list)


class BatchWriter:
    """Writes batches of one stream; shared by the sink, unit-testable without the SDK."""

    def __init__(
        self,
        mapping: StreamMapping,
        client: ServiceNowClient,
        ledger: Ledger,
        *,
        source_system: str,
        context: Mapping[str, Any],
        poll_timeout: float = 60.0,
        chunk_size: int = 250,
        logger: logging.Logger | None = None,
    ) -> None:
        self.mapping = mapping
        self.client = client
        self.ledger = ledger
        self.source_system = source_system
        self.context = context
        self.poll_timeout = poll_timeout
        self.chunk_size = chunk_size
        self.logger = logger or logging.getLogger(__name__)

    def _outcome(self, candidate: Candidate | None, action: str, **kw: Any) -> RecordOutcome:
        return RecordOutcome(
            stream=self.mapping.stream,
            source_system=self.source_system,
            source_id=kw.pop("sid", None) or (candidate.source_id if candidate else ""),
            action=action,
            content_hash=candidate.hash if candidate else None,
            target_table=kw.pop("target_table", None) or self.mapping.target_table,
            **kw,
        )

    def collect(self, records: Sequence[dict[str, Any]], key_properties: Sequence[str],
                report: BatchReport) -> list[Candidate]:
        """Map every record (bad ones are dead-lettered) and keep the last version of each source id."""
        latest: dict[str, Candidate] = {}
        for record in records:
            row: dict[str, str] | None = None
            try:
                row = self.mapping.map_record(record, self.context)
                sid = source_id(record, key_properties, self.mapping, row)
            except MappingError as exc:
                sid = _best_effort_id(record, key_properties)
                report.outcomes.append(self._outcome(None, "failed", sid=sid, error=f"mapping: {exc}", payload=record))
                report.counts["failed"] += 1
                self.logger.warning("%s %s not mapped: %s", self.mapping.stream, sid, exc)
                continue
            if sid in latest:
                report.duplicates += 1
                del latest[sid]  # re-insert so the batch keeps arrival order of last versions
            latest[sid] = Candidate(sid, record, row, content_hash(row))
        return list(latest.values())

    def write(self, records: Sequence[dict[str, Any]], key_properties: Sequence[str], run_id: str) -> BatchReport:
        report = BatchReport()
        return self.write_candidates(self.collect(records, key_properties, report), report, run_id)

    def write_candidates(self, candidates: list[Candidate], report: BatchReport, run_id: str) -> BatchReport:
        """The I/O half of `write` (ledger check, lookup, insertMultiple, ledger write) for collected records."""
        known = self.ledger.processed_keys(
            source_system=self.source_system, stream=self.mapping.stream, source_ids=[c.source_id for c in candidates]
        ) if candidates else {}
        changed: list[Candidate] = []
        for candidate in candidates:
            previous = known.get(candidate.source_id)
            if previous is not None and previous.content_hash == candidate.hash and previous.target_id:
                report.counts["unchanged"] += 1
                report.outcomes.append(self._outcome(
                    candidate, "unchanged", target_id=previous.target_id, target_table=previous.target_table
                ))
            else:
                changed.append(candidate)
        if changed:
            # ids the ledger knows were loaded before: coalesce updates them (or answers "ignored" when a crashed
            # run already wrote them), so the read-before-write only pays off when some id is new to the ledger
            all_known = all(c.source_id in known for c in changed)
            self._send(changed, report, lookup=not all_known)
        if report.outcomes:
            self.ledger.record_outcomes(run_id, report.outcomes)
        return report

    def _send(self, changed: list[Candidate], report: BatchReport, *, lookup: bool) -> None:
        existing = self._lookup([c.row for c in changed]) if lookup else {}
        to_write: list[Candidate] = []
        for index, candidate in enumerate(changed):
            hit = existing.get(index)
            if hit is not None and hit.matches:
                report.counts["unchanged"] += 1
                report.outcomes.append(self._outcome(candidate, "unchanged", target_id=hit.sys_id))
            else:
                to_write.append(candidate)
        if not to_write:
            return
        had_row = {id(c) for i, c in enumerate(changed) if i in existing}

        def recheck(batch: Sequence[Mapping[str, str]]) -> dict[int, ImportRowResult]:
            landed = self._lookup(batch)
            answer = {}
            for index, hit in landed.items():
                if hit.matches:
                    status = "updated" if id(to_write[_position(to_write, batch[index])]) in had_row else "inserted"
                    answer[index] = ImportRowResult(status, hit.sys_id, self.mapping.target_table)
            return answer

        try:
            result = self.client.import_multiple(
                self.mapping.staging_table,
                [c.row for c in to_write],
                recheck=recheck,
                poll_timeout=self.poll_timeout,
                chunk_size=self.chunk_size,
            )
        except (ServiceNowAuthError, ServiceNowUnavailable):
            raise  # the run cannot go on
        except ServiceNowError as exc:
            # the whole batch was refused (ACL, data policy, invalid table): dead-letter it and go on
            self.logger.warning("%s batch of %d rejected by ServiceNow: %s", self.mapping.stream, len(to_write), exc)
            for candidate in to_write:
                report.counts["failed"] += 1
                report.outcomes.append(self._outcome(candidate, "failed", error=str(exc), payload=candidate.record))
            return
        for candidate, row in zip(to_write, result.rows):
            action = STATUS_TO_ACTION.get(row.status, "failed")
            report.counts[action] += 1
            if action == "failed":
                message = f"{row.status}: {row.message or 'no message from the instance'}"
                self.logger.warning("%s %s rejected by ServiceNow: %s", self.mapping.stream, candidate.source_id, message)
                report.outcomes.append(self._outcome(
                    candidate, "failed", error=message, payload=candidate.record, target_table=row.target_table
                ))
            else:
                report.outcomes.append(self._outcome(
                    candidate, action, target_id=row.sys_id, target_table=row.target_table
                ))


    def _lookup(self, rows: Sequence[Mapping[str, str]]) -> dict[int, ExistingRow]:
        try:
            return find_existing(self.client, self.mapping, rows)
        except (ServiceNowAuthError, ServiceNowUnavailable):
            raise
        except ServiceNowError as exc:
            # an unreadable target table only loses the pre-check; coalesce still prevents duplicates
            self.logger.warning("cannot read %s before writing (%s); relying on coalesce", self.mapping.target_table, exc)
            return {}


def _position(candidates: Sequence[Candidate], row: Mapping[str, str]) -> int:
    for index, candidate in enumerate(candidates):
        if candidate.row is row or candidate.row == row:
            return index
    raise LookupError("row not in batch")


def _best_effort_id(record: Mapping[str, Any], key_properties: Sequence[str]) -> str:
    parts = [str(record.get(k, "")) for k in key_properties]
    return "|".join(parts) if any(parts) else f"unmapped:{content_hash(record)[:16]}"
