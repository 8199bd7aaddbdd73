"""SQLite storage: one real table per ServiceNow table, so what landed is inspectable with `sqlite3`.

Every value is TEXT (ServiceNow answers strings) except the integer audit columns, whose INTEGER affinity
keeps numeric comparisons and ordering right. Empty values are stored as '' so ISEMPTY/!= behave like
the vendor.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ml_connector_sandbox.servicenow.catalog import Catalog
from ml_connector_sandbox.servicenow.catalog_types import (
    IMPORT_ROW_COLUMNS,
    INTEGER_COLUMNS,
    SYSTEM_COLUMNS,
    Table,
)
from ml_connector_sandbox.servicenow.s2p_staging import TRANSFORM_MAPS

Row = dict[str, Any]


def q(name: str) -> str:
    """Quote an identifier; names come from the catalogue, never from a request."""
    return '"' + name + '"'


_sys_id_random = random.Random(os.urandom(16))  # seeded once: a system call per row cost 7% of a load


def new_sys_id() -> str:
    """32 hex like a real sys_id; a millisecond-time prefix keeps B-tree inserts near the end at 1M rows."""
    return f"{time.time_ns() // 1_000_000:012x}{_sys_id_random.getrandbits(80):020x}"


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


class Store:
    """Owns the SQLite connection; every call runs on the event loop thread, so one connection is enough."""

    def __init__(self, path: Path, catalog: Catalog, *, user_name: str) -> None:
        self.path = path
        self.catalog = catalog
        self.user_name = user_name
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA temp_store=MEMORY")
        self.db.execute("PRAGMA cache_size=-131072")
        self.db.execute("PRAGMA mmap_size=1073741824")
        self._numbers: dict[str, int] = {}

    def close(self) -> None:
        self.db.close()

    # --- schema -------------------------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Drop and recreate every table, index and the sys_import_set_row view."""
        with self.transaction():
            self.db.execute("DROP VIEW IF EXISTS sys_import_set_row")
            for table in self.catalog.stored_tables:
                self.db.execute(f"DROP TABLE IF EXISTS {q(table.name)}")
                cols = [
                    f"{q(c.name)} {'INTEGER' if c.name in INTEGER_COLUMNS else 'TEXT'} NOT NULL DEFAULT "
                    f"{'0' if c.name in INTEGER_COLUMNS else chr(39) * 2}"
                    for c in table.all_columns
                    if c.name != "sys_id"
                ]
                self.db.execute(f"CREATE TABLE {q(table.name)} (sys_id TEXT PRIMARY KEY, {', '.join(cols)})")
                for i, index in enumerate(table.indexes):
                    self.db.execute(
                        f"CREATE INDEX {q(f'ix_{table.name}_{i}')} ON {q(table.name)} "
                        f"({', '.join(f'{q(c)} COLLATE NOCASE' for c in index)})"  # as queries compare
                    )
            for tmap in TRANSFORM_MAPS:
                # Coalesce and reference lookups are case-insensitive and must stay O(log n) at 1M rows.
                cols = ", ".join(f"{q(c)} COLLATE NOCASE" for c in tmap.coalesce)
                self.db.execute(
                    f"CREATE INDEX {q(f'ix_{tmap.target}_coalesce')} ON {q(tmap.target)} ({cols})"
                )
            view_cols = ", ".join(q(c) for c in (*SYSTEM_COLUMNS, *IMPORT_ROW_COLUMNS))
            union = " UNION ALL ".join(
                f"SELECT {view_cols}, '{t.name}' AS sys_class_name FROM {q(t.name)}"
                for t in self.catalog.staging_tables
            )
            self.db.execute(f"CREATE VIEW sys_import_set_row AS {union}")

    # --- transactions and numbering ------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def next_number(self, table: Table) -> str:
        """Next record number (e.g. PO0001001); seeded lazily from the highest stored number."""
        prefix = table.number_prefix or ""
        current = self._numbers.get(table.name)
        if current is None:
            row = self.db.execute(
                f"SELECT max(CAST(substr(number, {len(prefix) + 1}) AS INTEGER)) FROM {q(table.name)}"
            ).fetchone()
            current = row[0] or 1000
        current += 1
        self._numbers[table.name] = current
        return f"{prefix}{current:07d}"

    # --- reads -------------------------------------------------------------------------------------------

    def select(
        self,
        table: Table,
        columns: Sequence[str],
        where: str = "",
        params: Sequence[Any] = (),
        order: str = "",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Row]:
        sql = f"SELECT {', '.join(q(c) for c in columns)} FROM {q(table.name)} AS t"
        if where:
            sql += f" WHERE {where}"
        if not order:
            order = "sys_created_on, sys_import_set, sys_import_row" if table.view else "t.rowid"
        sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = (*params, limit, offset)
        cur = self.db.execute(sql, params)
        return [dict(zip(columns, row, strict=True)) for row in cur]

    def count(self, table: Table, where: str = "", params: Sequence[Any] = ()) -> int:
        sql = f"SELECT count(*) FROM {q(table.name)} AS t" + (f" WHERE {where}" if where else "")
        return int(self.db.execute(sql, params).fetchone()[0])

    def get(self, table: Table, sys_id: str) -> Row | None:
        names = [c.name for c in table.all_columns]
        rows = self.select(table, names, "sys_id = ?", (sys_id,))
        return rows[0] if rows else None

    # --- writes ---------------------------------------------------------------------------------------------

    def insert(self, table: Table, values: Row, *, stamp: str | None = None) -> Row:
        """Insert one record with fresh system fields; the caller filters unknown and sys_* keys."""
        stamp = stamp or now_utc()
        row = {
            "sys_id": values.get("sys_id") or new_sys_id(),
            "sys_created_on": stamp,
            "sys_created_by": self.user_name,
            "sys_updated_on": stamp,
            "sys_updated_by": self.user_name,
            "sys_mod_count": 0,
        }
        if table.number_prefix and not values.get("number"):
            row["number"] = self.next_number(table)
        row.update({k: v for k, v in values.items() if k not in row})
        cols = list(row)
        self.db.execute(
            f"INSERT INTO {q(table.name)} ({', '.join(map(q, cols))}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        return row

    def insert_many(self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.db.executemany(
            f"INSERT INTO {q(table.name)} ({', '.join(map(q, columns))}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            rows,
        )

    def update(
        self, table: Table, sys_id: str, values: Row, *, stamp: str | None = None, audit: bool = True
    ) -> int:
        """Update fields; with `audit` bump sys_updated_on and sys_mod_count like a real update."""
        values = dict(values)
        if audit:
            values["sys_updated_on"] = stamp or now_utc()
            values["sys_updated_by"] = self.user_name
        if not values:
            return 0
        sets = ", ".join(f"{q(c)} = ?" for c in values)
        if audit:
            sets += ", sys_mod_count = sys_mod_count + 1"
        cur = self.db.execute(
            f"UPDATE {q(table.name)} SET {sets} WHERE sys_id = ?", [*values.values(), sys_id]
        )
        return cur.rowcount

    def delete(self, table: Table, where: str, params: Sequence[Any] = ()) -> int:
        cur = self.db.execute(
            f"DELETE FROM {q(table.name)} AS t WHERE {where}" if where else f"DELETE FROM {q(table.name)}",
            params,
        )
        return cur.rowcount
