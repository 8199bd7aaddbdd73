"""Source reference values remembered across runs (GL accounts, cost centers, vendors).

An incremental run often carries invoices but no reference records (the chart of accounts did not
change), so the mapper could not tell a known account from a typo. Every reference value a run sees
is upserted here, and the next run starts from this memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Boolean, Column, MetaData, String, Table, select

from ml_connector.ledger.engine import build_engine, default_ledger_url, dialect_insert, write_connection
from ml_connector.ledger.schema import UTCDateTime

metadata = MetaData()

reference_values = Table(
    "ledger_reference_values",
    metadata,
    Column("source_system", String(200), primary_key=True),
    Column("dimension", String(100), primary_key=True),
    Column("company", String(100), primary_key=True),
    Column("division", String(100), primary_key=True),  # "" when the dimension is company-wide
    Column("value", String(500), primary_key=True),
    Column("active", Boolean, nullable=False),
    Column("last_run_id", String(64), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

_CHUNK = 1000


@dataclass(frozen=True)
class ReferenceValue:
    """One source reference value as a tap last emitted it."""

    dimension: str
    company: str
    division: str
    value: str
    active: bool


class ReferenceBook:
    """Read all remembered values of a source system at once; upsert what a run saw in bulk."""

    def __init__(self, url: str | None = None) -> None:
        self._engine = build_engine(url or default_ledger_url())
        self._insert = dialect_insert(self._engine)
        with write_connection(self._engine) as conn, conn.begin():
            metadata.create_all(conn)

    def load(self, source_system: str) -> list[ReferenceValue]:
        """Every value remembered for the source system (one query: reference data is small)."""
        t = reference_values.c
        query = select(t.dimension, t.company, t.division, t.value, t.active).where(
            t.source_system == source_system
        )
        with self._engine.connect() as conn:
            return [ReferenceValue(r[0], r[1], r[2], r[3], bool(r[4])) for r in conn.execute(query)]

    def remember(self, source_system: str, run_id: str, values: Iterable[ReferenceValue]) -> int:
        """Upsert the values seen in a run (the latest sighting wins); returns how many."""
        now = dt.datetime.now(dt.timezone.utc)
        rows = [
            {
                "source_system": source_system,
                "dimension": v.dimension,
                "company": v.company,
                "division": v.division,
                "value": v.value,
                "active": v.active,
                "last_run_id": run_id,
                "updated_at": now,
            }
            for v in values
        ]
        if not rows:
            return 0
        stmt = self._insert(reference_values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t for t in reference_values.primary_key.columns],
            set_={
                "active": stmt.excluded.active,
                "last_run_id": stmt.excluded.last_run_id,
                "updated_at": stmt.excluded.updated_at,
            },
        )
        with write_connection(self._engine) as conn, conn.begin():
            for start in range(0, len(rows), _CHUNK):
                conn.execute(stmt, rows[start : start + _CHUNK])
        return len(rows)

    def close(self) -> None:
        self._engine.dispose()
