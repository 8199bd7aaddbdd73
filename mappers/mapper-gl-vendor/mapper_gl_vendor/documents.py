"""No half documents with flat memory: headers wait in a temporary SQLite file until their lines are judged.

The tap emits all headers of a stream before all its lines, and the lines of one document are contiguous.
So a header is *held* (spilled to disk, not RAM) under its document key; the lines of one document are
buffered in memory (a handful); when the line stream moves to another document, the finished document is
*released*: header then lines are forwarded when every record resolved, or all of them are quarantined
together with every reason. Headers whose lines never come in this run are released alone (validated on
their own) when their line stream ends or at end of input; lines whose header is not in this run are
released as a document without header.
"""

from __future__ import annotations

import decimal
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import msgspec

from mapper_gl_vendor.rules import DocumentRule

Entry = tuple[dict[str, Any], list[dict[str, str]]]  # (RECORD message, the record's own reasons)
ReleaseFn = Callable[[str, list[Entry]], None]  # (document id, entries in output order)

_BATCH = 500
_encoder = msgspec.json.Encoder(enc_hook=str, decimal_format="number")
_decoder = msgspec.json.Decoder(float_hook=decimal.Decimal)


class HeaderSpill:
    """Held headers on disk: one row per header, found again by (document type, document key)."""

    def __init__(self, directory: str | None = None) -> None:
        handle, self.path = tempfile.mkstemp(prefix="mlc-held-", suffix=".sqlite", dir=directory)
        os.close(handle)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")  # scratch data: a crash re-extracts it (STATE was held)
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(
            "CREATE TABLE held (seq INTEGER PRIMARY KEY, doc TEXT, key TEXT, message BLOB, reasons BLOB)"
        )
        self._db.execute("CREATE INDEX ix_held ON held (doc, key)")
        self._db.execute("CREATE INDEX ix_held_order ON held (doc, seq)")  # drain: oldest first, O(log n)
        self.counts: dict[str, int] = {}
        self._batch: list[tuple[str, str, bytes, bytes]] = []

    def put(self, doc: str, key: str, entry: Entry) -> None:
        self._batch.append((doc, key, _encoder.encode(entry[0]), _encoder.encode(entry[1])))
        self.counts[doc] = self.counts.get(doc, 0) + 1
        if len(self._batch) >= _BATCH:
            self._write()

    def _write(self) -> None:
        """Inserts go in batches (one executemany per 500 headers), always before any read."""
        if self._batch:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO held (doc, key, message, reasons) VALUES (?, ?, ?, ?)", self._batch)
            self._db.execute("COMMIT")
            self._batch = []

    def pop(self, doc: str, key: str) -> list[Entry]:
        if not self.counts.get(doc):
            return []
        self._write()
        rows = self._db.execute(
            "DELETE FROM held WHERE doc = ? AND key = ? RETURNING seq, message, reasons", (doc, key)
        ).fetchall()
        self.counts[doc] -= len(rows)
        return [(_decoder.decode(m), _decoder.decode(r)) for _, m, r in sorted(rows)]

    def drain(self, doc: str) -> Iterator[tuple[str, list[Entry]]]:
        """Every held document of a type, in arrival order, removed as it is handed out."""
        while self.counts.get(doc):
            self._write()
            row = self._db.execute("SELECT key FROM held WHERE doc = ? ORDER BY seq LIMIT 1", (doc,)).fetchone()
            if row is None:
                self.counts[doc] = 0
                return
            yield row[0], self.pop(doc, row[0])

    def total(self) -> int:
        return sum(self.counts.values())

    def close(self) -> None:
        self._db.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


class DocumentFlow:
    """Groups header and line records into documents and hands finished documents to ``release``."""

    def __init__(self, release: ReleaseFn, spill_directory: str | None = None) -> None:
        self._release = release
        self._spill = HeaderSpill(spill_directory)
        self._current: tuple[DocumentRule, str] | None = None
        self._lines: list[Entry] = []

    @staticmethod
    def key_of(rule: DocumentRule, record: dict[str, Any]) -> str:
        return "|".join(str(record.get(k, "")).strip() for k in rule.key)

    def held(self) -> bool:
        """Whether any record is waiting (a STATE must wait with it)."""
        return bool(self._lines) or self._spill.total() > 0

    def held_headers(self, rule: DocumentRule) -> int:
        return self._spill.counts.get(rule.name, 0)

    def hold_header(self, rule: DocumentRule, entry: Entry) -> None:
        self._spill.put(rule.name, self.key_of(rule, entry[0]["record"]), entry)

    def add_line(self, rule: DocumentRule, entry: Entry) -> None:
        key = self.key_of(rule, entry[0]["record"])
        if self._current != (rule, key):
            self.flush_lines()
            self._current = (rule, key)
        self._lines.append(entry)

    def current_rule(self) -> DocumentRule | None:
        return self._current[0] if self._current else None

    def flush_lines(self) -> None:
        """The buffered document is complete: release its held header (if any) and its lines."""
        if self._current is None:
            return
        rule, key = self._current
        lines, self._lines, self._current = self._lines, [], None
        self._release(f"{rule.name}:{key}", self._spill.pop(rule.name, key) + lines)

    def release_headers(self, rule: DocumentRule) -> None:
        """The line stream of ``rule`` ended: held headers had no lines in this run; judge them alone."""
        if self._current is not None and self._current[0] == rule:
            self.flush_lines()
        for key, entries in self._spill.drain(rule.name):
            self._release(f"{rule.name}:{key}", entries)

    def close(self) -> None:
        self._spill.close()
