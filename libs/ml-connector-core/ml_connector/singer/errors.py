"""Error messages that are safe to log: status, path and a short vendor error text, never secrets."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import urlparse

import requests
from singer_sdk.exceptions import FatalAPIError

_DETAIL_KEYS = ("error_description", "errorMessage", "message", "title", "detail", "error", "errorCode")
_MAX_DETAIL = 300


class UnauthorizedAPIError(FatalAPIError):
    """HTTP 401: the caller may re-authenticate once and resend."""


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict):
        for key in _DETAIL_KEYS:
            found = _text(value.get(key))
            if found:
                return found
    return None


def error_detail(response: requests.Response) -> str | None:
    """A vendor's own error text from a JSON body (known keys only); never the raw body, which may hold tokens."""
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type and not response.content[:1] in (b"{", b"["):
        return None
    try:
        payload = response.json()
    except ValueError:
        return None
    found = _text(payload)
    if found and "token" in found.lower() and len(found) > 60:
        return None  # a long text mentioning a token may echo one back
    return found[:_MAX_DETAIL] if found else None


def safe_error_message(response: requests.Response, *, detail: str | None = None) -> str:
    """`<status> <reason> for <METHOD> <path>: <detail>` — the query string (API keys, filters) is dropped."""
    try:
        reason = response.reason or HTTPStatus(response.status_code).phrase
    except ValueError:
        reason = ""
    method = response.request.method if response.request is not None else "request"
    path = urlparse(response.url or "").path
    msg = f"HTTP {response.status_code} {reason} for {method} {path}".rstrip()
    detail = detail if detail is not None else error_detail(response)
    return f"{msg}: {detail}" if detail else msg
