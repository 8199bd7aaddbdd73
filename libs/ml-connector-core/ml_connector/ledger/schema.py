"""Ledger tables (SQLAlchemy Core): the same schema on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    literal_column,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on both backends (SQLite keeps no zone, so we store naive UTC there)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants BIGINT for 1M+ rows.
_BigId = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

runs = Table(
    "ledger_runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("job", String(200), nullable=False),
    Column("plugins", Text, nullable=False, default=""),  # comma-separated, in start order
    Column("status", String(40), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("counts", Text, nullable=False, default="{}"),  # merged JSON: stream -> counter -> n
    Index("ix_ledger_runs_job_started", "job", "started_at"),
    Index("ix_ledger_runs_started", "started_at"),
)

# One row per plugin that reported on a run, so mapper and target counts merge without loss
# and a plugin that finishes twice replaces its own report instead of doubling it.
run_plugins = Table(
    "ledger_run_plugins",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("plugin", String(200), primary_key=True),
    Column("status", String(40), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("counts", Text, nullable=False, default="{}"),
)

audit = Table(
    "ledger_audit",
    metadata,
    Column("id", _BigId, primary_key=True, autoincrement=True),
    Column("run_id", String(64), nullable=False),
    Column("stream", String(200), nullable=False),
    Column("source_system", String(200), nullable=False),
    Column("source_id", String(500), nullable=False),
    Column("action", String(20), nullable=False),
    Column("target_table", String(200)),
    Column("target_id", String(500)),
    Column("content_hash", String(128)),
    Column("error", Text),
    Column("recorded_at", UTCDateTime, nullable=False),
    Index("ix_ledger_audit_run", "run_id"),
    # source_id first: `audit record ID` looks a record up by id alone, often without stream
    Index("ix_ledger_audit_key", "source_id", "source_system", "stream"),
)

processed_keys = Table(
    "ledger_processed_keys",
    metadata,
    Column("source_system", String(200), nullable=False),
    Column("stream", String(200), nullable=False),
    Column("source_id", String(500), nullable=False),
    Column("content_hash", String(128), nullable=False),
    Column("target_table", String(200)),
    Column("target_id", String(500)),
    Column("last_run_id", String(64), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # source_id leads: a lookup of 500 ids is then 500 index probes on both backends, where
    # (source_system, stream) first lets PostgreSQL's planner scan the whole stream instead
    PrimaryKeyConstraint("source_id", "source_system", "stream", name="pk_ledger_processed_keys"),
)

exceptions = Table(
    "ledger_exceptions",
    metadata,
    Column("id", _BigId, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # dead_letter | quarantine
    Column("status", String(20), nullable=False),  # open | resolved
    Column("run_id", String(64), nullable=False),  # latest run that hit it
    Column("job", String(200)),
    Column("stream", String(200), nullable=False),
    Column("source_system", String(200), nullable=False),
    Column("source_id", String(500), nullable=False),
    Column("error", Text),
    Column("payload", Text),  # the record as JSON, for replay
    Column("attempts", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("resolved_run_id", String(64)),
    Column("resolved_at", UTCDateTime),
    Index("ix_ledger_exceptions_kind_status", "kind", "status"),
    Index("ix_ledger_exceptions_key", "source_id", "source_system", "stream"),
)

OPEN = "open"
RESOLVED = "resolved"
# A literal, not a bound parameter: ON CONFLICT ... WHERE must name the index predicate itself,
# and it has to work inside executemany.
OPEN_PREDICATE = exceptions.c.status == literal_column(f"'{OPEN}'")

# The database itself guarantees one open entry per key and kind, even across processes;
# record_outcomes upserts against this partial unique index.
open_exception_key = Index(
    "ux_ledger_exceptions_open_key",
    exceptions.c.kind,
    exceptions.c.source_system,
    exceptions.c.stream,
    exceptions.c.source_id,
    unique=True,
    sqlite_where=OPEN_PREDICATE,
    postgresql_where=OPEN_PREDICATE,
)
