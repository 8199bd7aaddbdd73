"""tap-ledger-replay: the stored SCHEMA and the open entries' payloads of each selected stream."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from ml_connector.ledger import Ledger, OpenEntry, SchemaBook
from ml_connector.ledger.selection import KINDS, select_entries
from ml_connector.singer.writer import BufferedMsgSpecWriter
from singer_sdk import Stream, Tap
from singer_sdk import typing as th
from singer_sdk.helpers.conform import TypeConformanceLevel
from typing_extensions import override

CONFIG_SCHEMA = th.PropertiesList(
    th.Property("ledger_url", th.StringType, description="Ledger database URL (default: the ledger default)"),
    th.Property("kind", th.StringType, allowed_values=["", *KINDS], description="Empty = both kinds"),
    th.Property("job", th.StringType),
    th.Property("stream", th.StringType),
    th.Property("source_system", th.StringType),
    th.Property("source_ids", th.ArrayType(th.StringType), default=[]),
    th.Property("entry_ids", th.ArrayType(th.IntegerType), default=[]),
).to_dict()


class ReplayStream(Stream):
    """One stream's open payloads, under the schema its source last sent."""

    # payloads are replayed as stored: no type conformance, no re-typing of exact decimal strings
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    def __init__(self, tap: TapLedgerReplay, name: str, schema: dict[str, Any], keys: list[str],
                 entries: list[OpenEntry]) -> None:
        super().__init__(tap, schema=schema, name=name)
        self.primary_keys = keys
        self._entries = entries

    @override
    def get_records(self, context: dict | None) -> Iterable[dict[str, Any]]:
        for entry in self._entries:
            if entry.payload is not None:
                yield entry.payload


class TapLedgerReplay(Tap):
    """Emits the selected open ledger entries for `ml-connector replay`."""

    name = "tap-ledger-replay"
    config_jsonschema = CONFIG_SCHEMA
    message_writer_class = BufferedMsgSpecWriter

    @cached_property
    def entries(self) -> list[OpenEntry]:
        with Ledger(self.config.get("ledger_url") or None) as ledger:
            return select_entries(
                ledger,
                kind=self.config.get("kind") or None,
                job=self.config.get("job") or None,
                stream=self.config.get("stream") or None,
                source_system=self.config.get("source_system") or None,
                source_ids=list(self.config.get("source_ids") or []),
                entry_ids=list(self.config.get("entry_ids") or []),
            )

    @override
    def discover_streams(self) -> list[Stream]:
        by_stream: dict[tuple[str, str], list[OpenEntry]] = {}
        for entry in self.entries:
            by_stream.setdefault((entry.source_system, entry.stream), []).append(entry)
        book = SchemaBook(self.config.get("ledger_url") or None)
        try:
            stored = book.list()
        finally:
            book.close()
        streams: list[Stream] = []
        known = {(s.source_system, s.stream): s for s in stored}
        for (system, name), entries in sorted(by_stream.items(),
                                              key=lambda item: known[item[0]].position if item[0] in known else 1 << 30):
            schema = known.get((system, name))
            if schema is None:
                self.logger.warning("no stored SCHEMA for %s/%s: %d entr(ies) skipped", system, name, len(entries))
                continue
            streams.append(ReplayStream(self, name, schema.schema, schema.key_properties, entries))
        return streams

    @property
    @override
    def streams(self) -> dict[str, Stream]:
        """In source order (reference data, headers, lines), not the SDK's alphabetical order."""
        if not hasattr(self, "_ordered"):
            self._ordered = {stream.name: stream for stream in self.discover_streams()}
        return self._ordered


if __name__ == "__main__":
    TapLedgerReplay.cli()
