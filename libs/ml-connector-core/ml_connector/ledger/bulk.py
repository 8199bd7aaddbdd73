"""Set-based statements for the hot path: one statement execution per table per batch.

Two costs dominate a naive write of 500 outcomes: SQLAlchemy's per-row parameter
processing (~15 µs a row) and, on PostgreSQL, one statement execution per row even when
pipelined (~50-80 µs a row). So each statement is built with Core once per dialect,
compiled once, and fed driver-ready values:

* SQLite — one ``cursor.executemany`` (rows stay in C, no network);
* PostgreSQL — the rows travel as one array per column and ``unnest`` turns them back
  into rows inside a single ``INSERT ... SELECT`` / ``UPDATE ... FROM``.

Rows hold only str/int/None plus one timestamp per batch, which both drivers take as is
(the timestamp is converted once with :func:`driver_value`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement, ColumnElement
from sqlalchemy.sql.schema import Column, Table

ROW = "r_"  # bind names of per-row values
SCALAR = "s_"  # bind names of per-batch values


class RowSource:
    """Per-row values as SQL expressions: a bind per column, or a column of an unnest() of arrays."""

    def __init__(self, dialect: Dialect, columns: Sequence[Column[Any]]) -> None:
        self.names = [column.name for column in columns]
        self.arrays = dialect.name == "postgresql"
        if self.arrays:
            binds = [bindparam(ROW + c.name, type_=postgresql.ARRAY(c.type)) for c in columns]
            rows = func.unnest(*binds).table_valued(*self.names).render_derived()
            self.c: dict[str, ColumnElement[Any]] = {name: rows.c[name] for name in self.names}
        else:
            self.c = {c.name: bindparam(ROW + c.name, type_=c.type) for c in columns}

    def insert(self, insert: Callable[..., Any], table: Table) -> Any:
        """The dialect's INSERT of these rows (chain ``on_conflict_do_update`` on the result)."""
        if self.arrays:
            return insert(table).from_select(self.names, select(*self.c.values()))
        return insert(table).values(self.c)


class BulkStatement:
    """A compiled statement over a :class:`RowSource`, executed once per batch."""

    def __init__(self, statement: ClauseElement, dialect: Dialect, source: RowSource) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self._source = source
        self._positional = bool(compiled.positional)
        order = list(compiled.positiontup or [])
        # row binds are read by column name, batch binds by their own ("s_...") name
        keys = [bind.removeprefix(ROW) if bind.startswith(ROW) else bind for bind in order]
        self._uses_scalars = any(not bind.startswith(ROW) for bind in order)
        self._pick: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
            itemgetter(*keys) if len(keys) > 1 else lambda row: tuple(row[key] for key in keys)
        )

    def execute(self, conn: Connection, rows: Sequence[Mapping[str, Any]], **scalars: Any) -> None:
        """Run for all ``rows`` (keyed by column name); ``scalars`` fill the ``s_*`` binds."""
        if not rows:
            return
        batch = {SCALAR + name: value for name, value in scalars.items()}
        if self._source.arrays:
            for name in self._source.names:
                batch[ROW + name] = [row[name] for row in rows]
            conn.exec_driver_sql(self.sql, batch)
        elif not self._positional:
            conn.exec_driver_sql(
                self.sql, [{**batch, **{ROW + n: row[n] for n in self._source.names}} for row in rows]
            )
        elif self._uses_scalars:
            pick = self._pick
            conn.exec_driver_sql(self.sql, [pick({**row, **batch}) for row in rows])
        else:
            conn.exec_driver_sql(self.sql, list(map(self._pick, rows)))  # itemgetter: the loop stays in C


def driver_value(column: Column[Any], value: Any, dialect: Dialect) -> Any:
    """A value as the column's type would bind it (used once per batch, e.g. for ``now``)."""
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor is not None else value
