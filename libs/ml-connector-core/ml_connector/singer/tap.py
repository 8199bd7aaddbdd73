"""What every ml-connector tap shares: buffered Singer output and streams synced in a declared order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from singer_sdk import Stream, Tap
from typing_extensions import override

from ml_connector.singer.writer import BufferedMsgSpecWriter


class OrderedStreamsTap(Tap):
    """A tap whose streams sync in `stream_types` order, since enrichment needs reference data first.

    The SDK sorts streams by name; subclasses list their stream classes in sync order instead.
    """

    message_writer_class = BufferedMsgSpecWriter
    stream_types: ClassVar[Sequence[type[Stream]]] = ()

    @override
    def discover_streams(self) -> list[Any]:
        return [stream_type(self) for stream_type in self.stream_types]

    @property
    @override
    def streams(self) -> dict[str, Stream]:
        """Streams in sync order: the SDK sorts them by name, but reference data must go first."""
        rank = {stream_type: i for i, stream_type in enumerate(self.stream_types)}
        return dict(sorted(super().streams.items(), key=lambda item: rank.get(type(item[1]), len(rank))))
