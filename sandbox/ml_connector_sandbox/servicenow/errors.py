"""The vendor's error bodies, so a client's error handling is exercised against the real shapes."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

JSON_TYPE = "application/json;charset=UTF-8"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type=JSON_TYPE)


def error(status: int, message: str, detail: str | None, headers: dict[str, str] | None = None) -> Response:
    """`{"error":{"message","detail"},"status":"failure"}`, the platform REST error shape."""
    return json_response(
        {"error": {"message": message, "detail": detail}, "status": "failure"}, status, headers
    )


def not_authenticated() -> Response:
    return error(401, "User Not Authenticated", "Required to provide Auth information")


def invalid_table(name: str) -> Response:
    return error(400, f"Invalid table {name}", None)


def acl_insert_denied() -> Response:
    return error(403, "Operation Failed", "ACL Exception Insert Failed due to security constraints")


def acl_read_denied() -> Response:
    return error(403, "Operation Failed", "ACL Exception Read Failed due to security constraints")


def acl_write_denied() -> Response:
    return error(403, "Operation Failed", "ACL Exception Update Failed due to security constraints")


def no_record() -> Response:
    return error(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval")


def bad_request(message: str, detail: str | None = None) -> Response:
    return error(400, message, detail)


def rate_limited(limit: int, retry_after: str, headers: dict[str, str] | None = None) -> Response:
    return error(
        429,
        "Rate limit exceeded",
        f"Rate limit of {limit} requests per hour for REST API exceeded",
        {**(headers or {}), "Retry-After": retry_after},
    )


def server_error(status: int) -> Response:
    return error(
        status, "Internal server error", "The server encountered an unexpected condition (injected fault)"
    )


def oauth_denied(status: int = 401) -> Response:
    return json_response({"error_description": "access_denied", "error": "server_error"}, status)
