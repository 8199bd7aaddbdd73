"""Message routing, independent of the SDK: what passes, what is held, what is judged, when STATE goes out.

Ordering guarantees:
- RECORDs of reference and unknown streams, SCHEMA, STATE and ACTIVATE_VERSION keep their relative order;
  records of checked streams are delayed only while their document is incomplete.
- A STATE is forwarded only when nothing is held; otherwise the latest one waits and goes out right after
  the release that empties the hold (a STATE is the tap's whole state, so the latest supersedes earlier
  ones). Quarantine outcomes are committed to the ledger before any STATE is forwarded. A crash can
  therefore lose no held record: the target never confirms a bookmark past it.
- A document's line stream ends when a RECORD of a stream other than its header and line streams arrives
  (or an ACTIVATE_VERSION / SCHEMA restarts the header stream); then its headers without lines are released.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from mapper_gl_vendor.documents import DocumentFlow, Entry
from mapper_gl_vendor.quarantine import QuarantineBook, source_id
from mapper_gl_vendor.resolution import Resolver
from mapper_gl_vendor.rules import Profile

EmitFn = Callable[[dict[str, Any]], None]
SchemaFn = Callable[[str, dict[str, Any], list[str]], None]


class MessageRouter:
    def __init__(
        self,
        profile: Profile,
        resolver: Callable[[], Resolver],
        *,
        emit: EmitFn,
        book: Callable[[], QuarantineBook],
        on_schema: SchemaFn | None = None,
        spill_directory: str | None = None,
    ) -> None:
        self.profile = profile
        self._resolver_factory = resolver
        self._resolver: Resolver | None = None
        self._emit = emit
        self._book_factory = book
        self._on_schema = on_schema
        self.flow = DocumentFlow(self._release, spill_directory)
        self.extracted: Counter[str] = Counter()
        self.key_properties: dict[str, list[str]] = {}
        self._pending_state: dict[str, Any] | None = None
        self._last_stream: str | None = None
        self._lines_seen: set[str] = set()
        added = {c.added for checks in profile.checks.values() for c in checks}
        self._added_schema = {name: {"type": ["string", "null"]} for name in sorted(added)}

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            self._resolver = self._resolver_factory()
        return self._resolver

    # -- messages ---------------------------------------------------------------------------------

    def schema(self, message: dict[str, Any]) -> None:
        stream = message["stream"]
        keys = list(message.get("key_properties") or [])
        self.key_properties[stream] = keys
        if self._on_schema is not None:
            self._on_schema(stream, message.get("schema") or {}, keys)
        self._before_control(stream)
        if stream in self.profile.checks:
            schema = dict(message.get("schema") or {})
            schema["properties"] = {**(schema.get("properties") or {}), **self._added_schema}
            message = {**message, "schema": schema}
        self._emit(message)

    def record(self, message: dict[str, Any]) -> None:
        stream = message["stream"]
        self.extracted[stream] += 1
        if stream != self._last_stream:
            self._switch(stream)
        reference = self.profile.references.get(stream)
        if reference is not None:
            self.resolver.observe(reference, message["record"])
            self._emit(message)
            return
        checks = self.profile.checks.get(stream)
        # a line stream with nothing to check still travels with its document: its header may be held,
        # and a line must never reach the target before its header
        rule = self.profile.document_of(stream)
        if checks is None and rule is None:
            self._emit(message)
            return
        reasons: list[dict[str, str]] = []
        if checks is not None:
            added, reasons = self.resolver.resolve(checks, message["record"])
            if not reasons:
                message["record"].update(added)
        if rule is None:
            self._release(f"{stream}:{source_id(message['record'], self.key_properties.get(stream, []))}",
                          [(message, reasons)])
        elif stream == rule.header:
            self.flow.hold_header(rule, (message, reasons))
        else:
            self._lines_seen.add(stream)
            self.flow.add_line(rule, (message, reasons))

    def state(self, message: dict[str, Any]) -> None:
        if self.flow.held():
            self._pending_state = message
        else:
            self._forward_state(message)

    def activate_version(self, message: dict[str, Any]) -> None:
        self._before_control(message["stream"])
        self._emit(message)

    def end(self) -> None:
        """End of input: release everything, then the last STATE."""
        self.flow.flush_lines()
        for rule in self.profile.documents.values():
            self.flow.release_headers(rule)
        self._maybe_state()
        self.flow.close()

    # -- internals --------------------------------------------------------------------------------

    def _switch(self, stream: str) -> None:
        """A RECORD of another stream: the document in progress is complete; ended line streams release."""
        self._last_stream = stream
        current = self.flow.current_rule()
        if current is not None and stream != current.lines:
            self.flow.flush_lines()
        for rule in self.profile.documents.values():
            if rule.lines in self._lines_seen and stream not in (rule.header, rule.lines) \
                    and self.flow.held_headers(rule):
                self.flow.release_headers(rule)
        self._maybe_state()

    def _before_control(self, stream: str) -> None:
        """SCHEMA/ACTIVATE_VERSION: records sent before it must stay before it."""
        rule = self.profile.document_of(stream)
        if rule is None:
            return
        if stream == rule.header and self.flow.held_headers(rule):
            self.flow.release_headers(rule)
        elif self.flow.current_rule() == rule:
            self.flow.flush_lines()
        self._maybe_state()

    def _release(self, document: str, entries: list[Entry]) -> None:
        reasons = [
            {"stream": m["stream"], "record": source_id(m["record"], self.key_properties.get(m["stream"], [])), **r}
            for m, own in entries for r in own
        ]
        if not reasons:
            for message, _ in entries:
                self._emit(message)
            return
        records = [
            (m["stream"], m["record"], source_id(m["record"], self.key_properties.get(m["stream"], [])))
            for m, _ in entries
        ]
        self._book_factory().quarantine(document, records, reasons)

    def _maybe_state(self) -> None:
        if self._pending_state is not None and not self.flow.held():
            message, self._pending_state = self._pending_state, None
            self._forward_state(message)

    def _forward_state(self, message: dict[str, Any]) -> None:
        self._book_factory().flush()
        self._emit(message)
