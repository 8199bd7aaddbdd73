"""The last SCHEMA seen per source system and stream, so a replay can re-emit it before the records.

A quarantined or dead-lettered payload is only a record; a target needs the stream's schema and key
properties before it. ``position`` keeps the order in which streams first appeared in the source run
(reference data before headers before lines), which is the order a replay must send them in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select

from ml_connector.ledger import codec
from ml_connector.ledger.engine import build_engine, default_ledger_url, dialect_insert, write_connection
from ml_connector.ledger.schema import UTCDateTime

metadata = MetaData()

stream_schemas = Table(
    "ledger_stream_schemas",
    metadata,
    Column("source_system", String(200), primary_key=True),
    Column("stream", String(200), primary_key=True),
    Column("schema", Text, nullable=False),
    Column("key_properties", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


@dataclass(frozen=True)
class StoredSchema:
    """A stream's SCHEMA message content as the source last sent it."""

    source_system: str
    stream: str
    schema: dict[str, Any]
    key_properties: list[str]
    position: int


class SchemaBook:
    """Save a SCHEMA whenever it arrives (few per run); read them back for a replay."""

    def __init__(self, url: str | None = None) -> None:
        self._engine = build_engine(url or default_ledger_url())
        self._insert = dialect_insert(self._engine)
        with write_connection(self._engine) as conn, conn.begin():
            metadata.create_all(conn)

    def save(
        self,
        source_system: str,
        stream: str,
        schema: Mapping[str, Any],
        key_properties: Sequence[str],
        position: int,
    ) -> None:
        stmt = self._insert(stream_schemas).values(
            source_system=source_system,
            stream=stream,
            schema=codec.dumps(schema),
            key_properties=codec.dumps({"k": list(key_properties)}),
            position=position,
            updated_at=dt.datetime.now(dt.timezone.utc),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[stream_schemas.c.source_system, stream_schemas.c.stream],
            set_={
                "schema": stmt.excluded.schema,
                "key_properties": stmt.excluded.key_properties,
                "position": stmt.excluded.position,
                "updated_at": stmt.excluded.updated_at,
            },
        )
        with write_connection(self._engine) as conn, conn.begin():
            conn.execute(stmt)

    def list(self, source_system: str | None = None) -> list[StoredSchema]:
        """Stored schemas in source order (position), optionally of one source system."""
        query = select(stream_schemas).order_by(stream_schemas.c.position, stream_schemas.c.stream)
        if source_system is not None:
            query = query.where(stream_schemas.c.source_system == source_system)
        with self._engine.connect() as conn:
            return [
                StoredSchema(
                    source_system=row.source_system,
                    stream=row.stream,
                    schema=codec.loads(row.schema) or {},
                    key_properties=list((codec.loads(row.key_properties) or {}).get("k") or []),
                    position=row.position,
                )
                for row in conn.execute(query)
            ]

    def get(self, source_system: str, stream: str) -> StoredSchema | None:
        return next((s for s in self.list(source_system) if s.stream == stream), None)

    def close(self) -> None:
        self._engine.dispose()
