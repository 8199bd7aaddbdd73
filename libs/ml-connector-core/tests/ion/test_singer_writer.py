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
