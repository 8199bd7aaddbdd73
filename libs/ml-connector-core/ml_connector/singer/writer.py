"""A Singer message writer that batches RECORD lines instead of writing and flushing each one.

The SDK writers write and flush stdout after every message: with `PYTHONUNBUFFERED=1` (set by many
runners) that is one syscall per record, which dominates a fast tap's profile. Here RECORD lines are
collected up to `buffer_bytes`; every other message (SCHEMA, STATE, ...) drains the buffer first and
flushes, so a target never sees a STATE before the records it covers. Records after the last STATE are
drained at interpreter exit.

Every byte is written even when the OS takes only part of it: under `PYTHONUNBUFFERED=1` (Meltano sets
it) `sys.stdout.buffer` is the raw file, whose `write` returns a short count when a signal interrupts a
write to a full pipe. Ignoring that count loses the rest of the buffer and corrupts the next line.
"""

from __future__ import annotations

import atexit
import sys
from typing import Protocol

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import Message, SingerMessageType
from typing_extensions import override

DEFAULT_BUFFER_BYTES = 1 << 16


class _BinaryOut(Protocol):
    def write(self, data: memoryview, /) -> int | None: ...


def write_all(out: _BinaryOut, data: bytes | bytearray) -> None:
    """Write `data` completely: a raw file may take only part of it per call (or none, when non-blocking)."""
    with memoryview(data) as view:
        done = 0
        while done < len(view):
            written = out.write(view[done:])
            done += written or 0


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
            write_all(sys.stdout.buffer, self._pending)
            self._pending.clear()
        if flush:
            sys.stdout.flush()
