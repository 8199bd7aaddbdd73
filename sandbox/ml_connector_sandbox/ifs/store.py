"""SQLite storage of the IFS entity sets: one table per set, inspectable with the sqlite3 CLI."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from ml_connector_sandbox.common.sqlite import SqliteStore
from ml_connector_sandbox.ifs.catalog import CHANGE_FIELD, ENTITY_SETS, SQL_TYPES, DTS, EntitySet


class IfsStore(SqliteStore):
    """Thin access layer; identifiers come from the catalogue only, values are always parameters."""

    meta_table = "ifs_meta"

    def is_seeded(self) -> bool:
        found = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE name='ifs_meta'").fetchone()[0]
        return bool(found) and self.meta().get("seeded") is not None

    def reset_schema(self) -> None:
        with self.transaction() as conn:
            for name in (*ENTITY_SETS, "ifs_meta"):
                conn.execute(f'DROP TABLE IF EXISTS "{name}"')
            conn.execute("CREATE TABLE ifs_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            for s in ENTITY_SETS.values():
                conn.execute(_create_sql(s))

    def create_indexes(self) -> None:
        """Key and change-timestamp indexes, built after a bulk load (much faster than during it)."""
        with self.transaction() as conn:
            for s in ENTITY_SETS.values():
                conn.execute(f'CREATE UNIQUE INDEX "{s.table}_pk" ON "{s.table}" ({", ".join(s.keys)})')
                first = f"{s.company_field}, " if s.company_field else ""
                conn.execute(f'CREATE INDEX "{s.table}_chg" ON "{s.table}" ({first}{CHANGE_FIELD})')

    def insert_many(self, s: EntitySet, rows: Iterable[Sequence[Any]]) -> None:
        """Bulk insert rows given in `s.columns` order."""
        marks = ", ".join("?" * len(s.columns))
        self.conn.executemany(f'INSERT INTO "{s.table}" ({", ".join(s.columns)}) VALUES ({marks})', rows)

    def count(self, table: str) -> int:
        return int(self.conn.execute(f'SELECT count(*) FROM "{ENTITY_SETS[table].table}"').fetchone()[0])

    def companies(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT Company FROM companies ORDER BY Company")]


def _create_sql(s: EntitySet) -> str:
    types = {**s.fields, CHANGE_FIELD: DTS}
    cols = ", ".join(f"{name} {SQL_TYPES[types[name]]}" for name in s.columns)
    return f'CREATE TABLE "{s.table}" ({cols})'
