"""Keep registered secret values out of every log line and traceback a plugin writes to stderr.

Plugins log through the Singer SDK, whose handlers are configured *after* config is read, and
Meltano captures whatever reaches stderr. A handler filter alone would miss handlers added
later, so the primary hook is the log-record factory: every record, whichever logger or
handler, is scrubbed when it is created. Handler filters and the excepthook are the backstops.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
import urllib.parse
from types import TracebackType
from typing import Any

MASK = "***"
MIN_LENGTH = 4  # shorter values would mask ordinary words and digits

_lock = threading.Lock()
_values: set[str] = set()
_pattern: re.Pattern[str] | None = None
_installed = False


def protect(*values: str) -> None:
    """Register secret values: from now on they appear as ``***`` in logs and tracebacks."""
    global _pattern
    fresh = set()
    for value in values:
        if isinstance(value, str) and len(value) >= MIN_LENGTH:
            # the forms a secret takes inside URLs, query strings and JSON bodies too
            fresh.update(
                {
                    value,
                    urllib.parse.quote(value, safe=""),
                    urllib.parse.quote_plus(value),
                    json.dumps(value)[1:-1],
                }
            )
    with _lock:
        if fresh - _values:
            _values.update(fresh)
            ordered = sorted(_values, key=len, reverse=True)  # longest first: no partial leftovers
            _pattern = re.compile("|".join(re.escape(value) for value in ordered))
        _install()


def redact(text: str) -> str:
    """``text`` with every registered value replaced by the mask."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


class RedactingFilter(logging.Filter):
    """Scrubs a record in place; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


_FILTER = RedactingFilter()


def scrub(record: logging.LogRecord) -> None:
    """Render the message now (args may hold the secret) and mask it, plus any traceback text."""
    if _pattern is None:
        return
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record: logging reports it later, we must not raise here
        return
    record.msg = redact(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _install() -> None:
    """Hook the record factory and excepthook once; attach the filter to every current handler."""
    global _installed
    if not _installed:
        previous_factory = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous_factory(*args, **kwargs)
            scrub(record)
            return record

        logging.setLogRecordFactory(factory)
        previous_hook = sys.excepthook

        def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
            if previous_hook is not sys.__excepthook__:
                previous_hook(kind, exc, tb)
                return
            sys.stderr.write(redact("".join(traceback.format_exception(kind, exc, tb))))

        sys.excepthook = excepthook
        _installed = True
    for handler in _all_handlers():
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def _all_handlers() -> list[logging.Handler]:
    loggers: list[Any] = [logging.getLogger()]
    loggers.extend(logging.Logger.manager.loggerDict.values())
    handlers: list[logging.Handler] = []
    for item in loggers:
        handlers.extend(getattr(item, "handlers", ()))  # PlaceHolder entries have none
    return handlers
