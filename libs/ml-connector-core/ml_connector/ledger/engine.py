"""Where the ledger lives and how we connect: SQLite tuned for two writers, PostgreSQL via psycopg 3."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL

from ml_connector.secrets.redact import protect

# A mapper and a target process write at the same time; a writer waits this long for the other.
SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE = "mlc_write"


def default_ledger_url() -> str:
    """ML_CONNECTOR_LEDGER_URL, else a SQLite file under the Meltano project root (or cwd)."""
    configured = os.environ.get("ML_CONNECTOR_LEDGER_URL")
    if configured:
        return configured
    root = Path(os.environ.get("MELTANO_PROJECT_ROOT") or os.getcwd())
    directory = root / ".ml-connector"
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'ledger.db'}"


def normalise_url(url: str) -> URL:
    """Accept plain ``postgresql://``/``postgres://`` URLs: psycopg 3 is the driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def build_engine(url: str) -> Engine:
    """An engine whose write transactions never fail with 'database is locked' on SQLite."""
    parsed = normalise_url(url)
    if parsed.password:
        protect(str(parsed.password))  # a ledger URL may carry a database password
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def write_connection(engine: Engine) -> Connection:
    """A connection whose transaction takes the SQLite write lock up front (BEGIN IMMEDIATE).

    A deferred SQLite transaction that reads and then writes can fail at once with
    SQLITE_BUSY instead of waiting; taking the lock first makes writers queue on busy_timeout.
    """
    return engine.connect().execution_options(**{_WRITE: True})


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event (below) issue BEGIN, not the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # FULL: each commit is on disk before the target moves on; costs ~2-3 ms per batch in WAL mode
    cursor.execute("PRAGMA synchronous=FULL")
    # a bounded 16 MB page cache and no mmap: a long load keeps the target's memory flat, and the OS
    # page cache still holds the hot index pages of a ledger with millions of audit rows
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def dialect_insert(engine: Engine) -> Any:
    """The dialect's ``insert`` (it has ``on_conflict_do_update``); the ledger runs on two backends."""
    if engine.dialect.name == "sqlite":
        return sqlite.insert
    if engine.dialect.name == "postgresql":
        return postgresql.insert
    msg = f"the ledger supports SQLite and PostgreSQL, not {engine.dialect.name}"
    raise ValueError(msg)
