"""The ledger: every record's fate per run, the processed-key index for dedup, and the exception queues."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import text

from ml_connector.ledger import queries
from ml_connector.ledger import runs as run_book
from ml_connector.ledger.engine import build_engine, default_ledger_url, dialect_insert, write_connection
from ml_connector.ledger.models import AuditEntry, OpenEntry, ProcessedKey, RecordOutcome, RunSummary
from ml_connector.ledger.outcomes import OutcomeWriter, validate
from ml_connector.ledger.schema import metadata

# Any constant works: it only serialises concurrent CREATE TABLEs of first-time PostgreSQL setups.
_SCHEMA_LOCK_ID = 0x6D6C63_4C4544


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Ledger:
    """A real database (SQLite file by default, PostgreSQL by URL) shared by the plugins of a job.

    The ledger stores only what callers hand it: outcomes and, for failed or quarantined
    records, the record itself as payload. Config and credentials never belong in a payload.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_ledger_url()
        self._engine = build_engine(self.url)
        self._insert = dialect_insert(self._engine)
        self._writer = OutcomeWriter(self._engine.dialect, self._insert)
        self._plugins: dict[str, str] = {}  # run id -> plugin this instance started it as
        self._jobs: dict[str, str | None] = {}
        self._create_schema()

    def _create_schema(self) -> None:
        with write_connection(self._engine) as conn, conn.begin():
            if self._engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID})
            metadata.create_all(conn)

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, *, job: str, plugin: str, run_id: str | None = None) -> str:
        """Open a run (or join it, when the mapper and target share a run id); returns the id."""
        run_id = run_id or uuid.uuid4().hex
        with write_connection(self._engine) as conn, conn.begin():
            run_book.start(conn, self._insert, run_id=run_id, job=job, plugin=plugin, now=_now())
        self._plugins[run_id] = plugin
        self._jobs[run_id] = job
        return run_id

    def finish_run(
        self,
        run_id: str,
        *,
        status: str,
        counts: Mapping[str, Mapping[str, int]],
        plugin: str | None = None,
    ) -> None:
        """Report this plugin's final status and per-stream counts; reports of plugins merge.

        ``plugin`` defaults to the one this instance started the run as, so a plugin that
        reports twice replaces its own counts rather than doubling them.
        """
        reporter = plugin or self._plugins.get(run_id) or "unknown"
        with write_connection(self._engine) as conn, conn.begin():
            run_book.finish(
                conn, self._insert, run_id=run_id, plugin=reporter, status=status, counts=counts, now=_now()
            )

    def get_run(self, run_id: str) -> RunSummary | None:
        with self._engine.connect() as conn:
            return queries.fetch_run(conn, run_id)

    def last_run(self, *, job: str | None = None) -> RunSummary | None:
        found = self.list_runs(limit=1, job=job)
        return found[0] if found else None

    def list_runs(self, *, limit: int = 20, job: str | None = None) -> list[RunSummary]:
        """Newest first."""
        with self._engine.connect() as conn:
            return queries.fetch_runs(conn, limit=limit, job=job)

    # -- records ----------------------------------------------------------------------------

    def processed_keys(
        self, *, source_system: str, stream: str, source_ids: Sequence[str]
    ) -> dict[str, ProcessedKey]:
        """Which of these ids were loaded before, with their hash and target id (absent = never)."""
        with self._engine.connect() as conn:
            return queries.fetch_processed_keys(
                conn, source_system=source_system, stream=stream, source_ids=source_ids
            )

    def record_outcomes(self, run_id: str, outcomes: Sequence[RecordOutcome]) -> None:
        """Record a batch in one transaction: audit rows, processed keys, exception open/update/close."""
        if not outcomes:
            return
        validate(outcomes)
        with write_connection(self._engine) as conn, conn.begin():
            if run_id not in self._jobs:
                self._jobs[run_id] = queries.fetch_job(conn, run_id)
            self._writer.write(conn, run_id=run_id, job=self._jobs[run_id], outcomes=outcomes, now=_now())

    def open_entries(
        self,
        *,
        kind: str | None = None,
        stream: str | None = None,
        source_system: str | None = None,
        job: str | None = None,
        source_id: str | None = None,
    ) -> list[OpenEntry]:
        """Unresolved dead letters and quarantined records, oldest first."""
        with self._engine.connect() as conn:
            return queries.fetch_open_entries(
                conn, kind=kind, stream=stream, source_system=source_system, job=job, source_id=source_id
            )

    def record_history(
        self, *, source_id: str, stream: str | None = None, source_system: str | None = None
    ) -> list[AuditEntry]:
        """A record's trail across runs, oldest first."""
        with self._engine.connect() as conn:
            return queries.fetch_history(
                conn, source_id=source_id, stream=stream, source_system=source_system
            )

    def close(self) -> None:
        """Release pooled connections (and with them SQLite file handles)."""
        self._engine.dispose()

    def __enter__(self) -> Ledger:  # noqa: PYI034 - typing.Self needs 3.11; we support 3.10
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
