"""OData query text: literals, `$filter` conditions and `$select`, built the way IFS parses them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import quote, urlencode

from singer_sdk.streams.rest import HTTPRequest
from typing_extensions import override


def string_literal(value: str) -> str:
    """'O''Brien': a quote inside a string literal is doubled."""
    return "'" + str(value).replace("'", "''") + "'"


def timestamp_literal(value: dt.datetime | str) -> str:
    """Edm.DateTimeOffset literal, unquoted, UTC, second resolution: 2026-01-01T00:00:00Z."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_literal(value: dt.date | str) -> str:
    """Edm.Date literal, unquoted: 2026-01-01."""
    return (value if isinstance(value, str) else value.isoformat())[:10]


def eq(field: str, value: str) -> str:
    return f"{field} eq {string_literal(value)}"


def all_of(conditions: Iterable[str]) -> str | None:
    parts = [c for c in conditions if c]
    if not parts:
        return None
    return " and ".join(parts if len(parts) == 1 else (f"({c})" if " or " in c else c for c in parts))


def select(properties: Iterable[str]) -> str:
    return ",".join(dict.fromkeys(properties))


class ODataRequest(HTTPRequest):
    """Query encoded with %20 for spaces (not '+', which OData servers may read literally); `$` kept."""

    @override
    def encode_params(self) -> str:
        pairs = [(k, v) for k, v in self.params.items() if v is not None]
        return urlencode(pairs, safe="$,()':", quote_via=quote)
