"""ServiceNow failures as exceptions that say which setting or system to look at."""

from __future__ import annotations

from typing import Any


class ServiceNowError(Exception):
    """An error answer from the instance, parsed from `{"error":{"message","detail"},"status":"failure"}`."""

    def __init__(self, status: int | None, message: str, detail: str | None = None) -> None:
        self.status = status
        self.message = message
        self.detail = detail
        text = f"ServiceNow error {status}: {message}" if status else f"ServiceNow error: {message}"
        if detail:
            text = f"{text} ({detail})"
        super().__init__(text)


class ServiceNowAuthError(ServiceNowError):
    """Credentials or grant rejected; the run cannot continue until a setting is fixed."""


class ServiceNowUnavailable(ServiceNowError):
    """The instance kept failing (5xx, 429, network) after every retry."""


class UncertainWriteError(ServiceNowUnavailable):
    """A non-idempotent write may or may not have been applied (5xx or timeout after sending)."""


def parse_error_body(status: int, body: Any, fallback: str = "") -> tuple[str, str | None]:
    """Message and detail from any of the error shapes the instance uses (table, import, OAuth)."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            message = str(error.get("message") or fallback or f"HTTP {status}")
            detail = error.get("detail")
            return message, (str(detail) if detail not in (None, "") else None)
        if isinstance(error, str):
            description = body.get("error_description")
            return (str(description) if description else error), (error if description else None)
    return (fallback.strip()[:300] or f"HTTP {status}"), None


def error_from_response(response: Any, cls: type[ServiceNowError] = ServiceNowError) -> ServiceNowError:
    """Build the exception for a failed `requests.Response`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    message, detail = parse_error_body(response.status_code, body, getattr(response, "text", "") or "")
    return cls(response.status_code, message, detail)
