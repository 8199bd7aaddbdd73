"""A Singer message writer that batches RECORD lines instead of writing and flushing each one.

The SDK writers write and flush stdout after every message: with `PYTHONUNBUFFERED=1` (set by many
runners) that is one syscall per record, which dominates a fast tap's profile. Here RECORD lines are
collected up to `buffer_bytes`; every other message (SCHEMA, STATE, ...) drains the buffer first and
flushes, so a target never sees a STATE before the records it covers. Records after the last STATE are
drained at interpreter exit.
"""

from __future__ import annotations

import atexit
import sys

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import Message, SingerMessageType
from typing_extensions import override

DEFAULT_BUFFER_BYTES = 1 << 16


class BufferedMsgSpecWriter(MsgSpecWriter):
    """msgspec serialisation; RECORDs batched in memory, everything else written and flushed at once."""

    buffer_bytes: int = DEFAULT_BUFFER_BYTES

    def __init__(self) -> None:
        super().__init__()
        self._pending = bytearray()
        atexit.register(self.drain)

    @override
    def write_message(self, message: Message) -> None:
        self._pending += self.format_message(message)  # copies: msgspec reuses its output buffer
        if message.type != SingerMessageType.RECORD:
            self.drain()
        elif len(self._pending) >= self.buffer_bytes:
            self.drain(flush=False)

    def drain(self, *, flush: bool = True) -> None:
        """Write what is pending to stdout (and flush it)."""
        if self._pending:
            sys.stdout.buffer.write(self._pending)
            self._pending.clear()
        if flush:
            sys.stdout.flush()
