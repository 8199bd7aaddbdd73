"""SQLite plumbing the emulator stores share: one WAL connection per store, explicit transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar, Sequence


def open_wal_connection(path: Path) -> sqlite3.Connection:
    """Autocommit connection in WAL mode, so the sqlite3 CLI can inspect the file while the sandbox runs.

    The ASGI server (and TestClient) may call from a worker thread; the event loop serialises access,
    hence `check_same_thread=False`. `isolation_level=None` leaves BEGIN/COMMIT to `Transaction`.
    """
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class Transaction:
    """`BEGIN`/`COMMIT` around a block; rolls back when the block raises."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN")
        return self.conn

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


class SqliteStore:
    """Connection, transactions and a key/value meta table; subclasses add the vendor's own tables."""

    meta_table: ClassVar[str]

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = open_wal_connection(path)

    def close(self) -> None:
        self.conn.close()

    def transaction(self) -> Transaction:
        return Transaction(self.conn)

    def set_meta(self, key: str, value: str) -> None:
        sql = f'INSERT OR REPLACE INTO "{self.meta_table}" (key, value) VALUES (?, ?)'
        self.conn.execute(sql, (key, value))

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute(f'SELECT key, value FROM "{self.meta_table}"').fetchall())

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()
