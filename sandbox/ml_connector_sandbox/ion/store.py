"""SQLite storage of the M3 files: one table per file, keyed like M3, inspectable with the sqlite3 CLI."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from ml_connector_sandbox.common.sqlite import SqliteStore
from ml_connector_sandbox.ion.files import ALPHA, DATE, DECIMAL, FILES, NUMBER, M3File

_SQL_TYPES = {ALPHA: "TEXT", NUMBER: "INTEGER", DATE: "INTEGER", DECIMAL: "TEXT"}


class M3Store(SqliteStore):
    """Thin access layer; every statement is parameterised and identifiers come from the catalogue only."""

    meta_table = "ion_meta"

    def is_seeded(self) -> bool:
        row = self.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='ion_meta'"
        ).fetchone()
        if not row[0]:
            return False
        return self.conn.execute("SELECT value FROM ion_meta WHERE key='seeded'").fetchone() is not None

    def reset_schema(self) -> None:
        """Drop and recreate every table (used before seeding)."""
        with self.transaction():
            for name in (*FILES, "ion_meta"):
                self.conn.execute(f'DROP TABLE IF EXISTS "{name}"')
            self.conn.execute("CREATE TABLE ion_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            for f in FILES.values():
                self.conn.execute(_create_table_sql(f))
                self.conn.execute(f'CREATE INDEX "{f.name}_LMDT" ON "{f.name}" (CONO, LMDT)')

    def insert_many(self, file: M3File, rows: Iterable[Sequence[Any]]) -> None:
        """Bulk insert rows given in `file.columns` order."""
        cols = ", ".join(file.columns)
        marks = ", ".join("?" * len(file.columns))
        self.conn.executemany(f'INSERT INTO "{file.name}" ({cols}) VALUES ({marks})', rows)

    def companies(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT CONO FROM CMNDIV ORDER BY CONO")]


def _create_table_sql(f: M3File) -> str:
    cols = ", ".join(f"{name} {_SQL_TYPES[kind]} NOT NULL" for name, kind in f.types.items())
    return f'CREATE TABLE "{f.name}" ({cols}, PRIMARY KEY ({", ".join(f.keys)})) WITHOUT ROWID'
