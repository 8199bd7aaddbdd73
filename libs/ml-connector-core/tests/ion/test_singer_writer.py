from __future__ import annotations

import io
import json
import sys

from ml_connector.singer.writer import BufferedMsgSpecWriter
from singer_sdk.singerlib import RecordMessage, StateMessage


class _Stdout(io.TextIOWrapper):
    flushes = 0

    def flush(self) -> None:
        type(self).flushes += 1
        super().flush()


def test_flushes_on_state_not_on_records(monkeypatch) -> None:
    out = _Stdout(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", out)
    writer = BufferedMsgSpecWriter()
    for i in range(3):
        writer.write_message(RecordMessage(stream="s", record={"id": i, "amount": 1.5}))
    assert _Stdout.flushes == 0 and out.buffer.getvalue() == b""  # held back, no syscall per record
    writer.write_message(StateMessage(value={"bookmarks": {}}))
    assert _Stdout.flushes == 1
    lines = out.buffer.getvalue().decode().splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["RECORD", "RECORD", "RECORD", "STATE"]


class _ShortWrites:
    """A raw file that takes at most `limit` bytes per call, as a pipe does when a signal interrupts it."""

    def __init__(self, limit: int) -> None:
        self.limit, self.data, self.calls = limit, bytearray(), 0

    def write(self, data: memoryview) -> int | None:
        self.calls += 1
        if self.calls % 3 == 0:
            return None  # a non-blocking raw file with nothing taken
        taken = bytes(data[: self.limit])
        self.data += taken
        return len(taken)


def test_write_all_finishes_short_writes() -> None:
    from ml_connector.singer.writer import write_all

    out = _ShortWrites(limit=1000)
    payload = bytearray(b"x" * 10_500)
    write_all(out, payload)
    assert bytes(out.data) == bytes(payload)
    payload.clear()  # the view was released: the caller can reuse its buffer


_CHILD = """
import signal, sys
from ml_connector.singer.writer import BufferedMsgSpecWriter
from singer_sdk.singerlib import RecordMessage, StateMessage
signal.signal(signal.SIGALRM, lambda *_: None)
signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)  # a signal every millisecond, as a profiler's stops
writer = BufferedMsgSpecWriter()
for i in range(40_000):
    writer.write_message(RecordMessage(stream="s", record={"id": i, "text": "y" * 200}))
    if i % 5_000 == 0:
        writer.write_message(StateMessage(value={"at": i}))
writer.drain()
signal.setitimer(signal.ITIMER_REAL, 0)  # before exit: finalisation restores the fatal default handler
"""


def test_no_line_lost_when_signals_interrupt_pipe_writes() -> None:
    """The child writes ~10 MB to a pipe read slowly while signals keep interrupting its writes."""
    import os
    import subprocess
    import time

    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    assert child.stdout is not None
    lines = []
    for line in child.stdout:  # slow reader: the pipe stays full, so the child's writes block
        lines.append(line)
        if len(lines) % 2_000 == 0:
            time.sleep(0.01)
    assert child.wait(timeout=60) == 0
    messages = [json.loads(line) for line in lines]  # a torn line would not parse
    ids = [m["record"]["id"] for m in messages if m["type"] == "RECORD"]
    assert ids == list(range(40_000))
    assert [m["value"]["at"] for m in messages if m["type"] == "STATE"] == list(range(0, 40_000, 5_000))
