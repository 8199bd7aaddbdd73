"""Request parsing and response helpers the emulators' routes share."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl, unquote

import orjson
from starlette.requests import Request
from starlette.responses import Response

FORM_TYPE = "application/x-www-form-urlencoded"


def orjson_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None, media_type: str = "application/json"
) -> Response:
    """JSON through orjson: faster than Starlette's JSONResponse on large pages."""
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type=media_type)


async def urlencoded_form(request: Request) -> dict[str, str] | None:
    """The urlencoded body, or None for another content type.

    Parsed here rather than with request.form() so the sandbox needs no python-multipart.
    """
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM_TYPE:
        return None
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str] | None:
    """OAuth client id and secret from HTTP Basic (preferred) or from the form body (client_secret_post)."""
    header = request.headers.get("authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        return (unquote(user), unquote(password)) if sep else None
    if "client_id" in form:
        return form["client_id"], form.get("client_secret", "")
    return None


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header, else None."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None
