"""Read side of the ledger: lookups the hot path needs and the views the audit CLI shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, String, any_, bindparam, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from ml_connector.ledger import codec
from ml_connector.ledger.models import AuditEntry, OpenEntry, ProcessedKey, RunSummary
from ml_connector.ledger.runs import to_summary
from ml_connector.ledger.schema import OPEN, audit, exceptions, processed_keys, runs

IN_CHUNK = 500

_KEY_COLUMNS = (
    processed_keys.c.source_id,
    processed_keys.c.content_hash,
    processed_keys.c.target_table,
    processed_keys.c.target_id,
    processed_keys.c.last_run_id,
)
_IN_LIST = processed_keys.c.source_id.in_(bindparam("ids", expanding=True))
# PostgreSQL: one array parameter instead of 500 (halves the client-side cost of the lookup)
_ANY_ARRAY = processed_keys.c.source_id == any_(bindparam("ids", type_=postgresql.ARRAY(String())))
_KEYS_QUERY = {
    dialect: select(*_KEY_COLUMNS).where(
        processed_keys.c.source_system == bindparam("ss"),
        processed_keys.c.stream == bindparam("st"),
        ids,
    )
    for dialect, ids in (("sqlite", _IN_LIST), ("postgresql", _ANY_ARRAY))
}


def fetch_processed_keys(
    conn: Connection, *, source_system: str, stream: str, source_ids: Sequence[str]
) -> dict[str, ProcessedKey]:
    """One indexed query per 500 ids (the batch size a target looks up at once)."""
    ids = list(dict.fromkeys(source_ids))
    found: dict[str, ProcessedKey] = {}
    for start in range(0, len(ids), IN_CHUNK):
        params = {"ss": source_system, "st": stream, "ids": ids[start : start + IN_CHUNK]}
        for row in conn.execute(_KEYS_QUERY[conn.dialect.name], params):
            found[row[0]] = ProcessedKey(
                content_hash=row[1], target_table=row[2], target_id=row[3], last_run_id=row[4]
            )
    return found


def fetch_open_entries(conn: Connection, **filters: str | None) -> list[OpenEntry]:
    """Open exceptions, oldest first; filters are exact matches on the named columns."""
    query = select(exceptions).where(exceptions.c.status == OPEN)
    for column, value in filters.items():
        if value is not None:
            query = query.where(exceptions.c[column] == value)
    query = query.order_by(exceptions.c.created_at, exceptions.c.id)
    return [
        OpenEntry(
            id=row.id,
            kind=row.kind,
            run_id=row.run_id,
            job=row.job,
            stream=row.stream,
            source_system=row.source_system,
            source_id=row.source_id,
            error=row.error,
            payload=codec.loads(row.payload),
            attempts=row.attempts,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in conn.execute(query)
    ]


def fetch_run(conn: Connection, run_id: str) -> RunSummary | None:
    row = conn.execute(select(runs).where(runs.c.run_id == run_id)).first()
    return to_summary(row) if row is not None else None


def fetch_runs(conn: Connection, *, limit: int, job: str | None) -> list[RunSummary]:
    """Newest first."""
    query: Select[Any] = select(runs)
    if job is not None:
        query = query.where(runs.c.job == job)
    query = query.order_by(runs.c.started_at.desc(), runs.c.run_id.desc()).limit(limit)
    return [to_summary(row) for row in conn.execute(query)]


def fetch_job(conn: Connection, run_id: str) -> str | None:
    return conn.execute(select(runs.c.job).where(runs.c.run_id == run_id)).scalar()


def fetch_history(
    conn: Connection, *, source_id: str, stream: str | None, source_system: str | None
) -> list[AuditEntry]:
    """Every outcome for one source id, oldest first (ids break ties inside a batch)."""
    query = select(audit).where(audit.c.source_id == source_id)
    if stream is not None:
        query = query.where(audit.c.stream == stream)
    if source_system is not None:
        query = query.where(audit.c.source_system == source_system)
    query = query.order_by(audit.c.recorded_at, audit.c.id)
    return [
        AuditEntry(
            run_id=row.run_id,
            stream=row.stream,
            source_system=row.source_system,
            source_id=row.source_id,
            action=row.action,
            target_table=row.target_table,
            target_id=row.target_id,
            content_hash=row.content_hash,
            error=row.error,
            recorded_at=row.recorded_at,
        )
        for row in conn.execute(query)
    ]
