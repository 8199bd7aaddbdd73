"""The `/_sandbox/*` routes every emulator serves: health, stats, faults, settings, token revocation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ml_connector_sandbox.common.faults import FaultInjector
from ml_connector_sandbox.common.stats import RequestStats


@dataclass
class AdminHooks:
    """What an emulator plugs into the common admin routes."""

    name: str
    stats: RequestStats
    faults: FaultInjector
    get_settings: Callable[[], dict[str, Any]]
    update_settings: Callable[[dict[str, Any]], None]
    revoke_tokens: Callable[[], int]
    mutate: Callable[[dict[str, Any]], Awaitable[dict[str, Any]] | dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.json()
    if not isinstance(body, dict):
        msg = "body must be a JSON object"
        raise ValueError(msg)
    return body


def admin_routes(hooks: AdminHooks) -> list[Route]:
    """Build the admin routes for one emulator."""

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"ok": True, "emulator": hooks.name})

    async def stats(_: Request) -> JSONResponse:
        return JSONResponse(hooks.stats.as_dict())

    async def stats_reset(_: Request) -> JSONResponse:
        hooks.stats.reset()
        return JSONResponse({"ok": True})

    async def faults(request: Request) -> JSONResponse:
        if request.method == "PUT":
            try:
                hooks.faults.reconfigure(await _json_body(request))
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(hooks.faults.settings.as_dict())

    async def settings(request: Request) -> JSONResponse:
        if request.method == "PUT":
            try:
                hooks.update_settings(await _json_body(request))
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(hooks.get_settings())

    async def revoke(_: Request) -> JSONResponse:
        return JSONResponse({"revoked": hooks.revoke_tokens()})

    async def mutate(request: Request) -> JSONResponse:
        if hooks.mutate is None:
            return JSONResponse({"error": "this emulator has no mutations"}, status_code=404)
        try:
            result = hooks.mutate(await _json_body(request))
            if hasattr(result, "__await__"):
                result = await result  # type: ignore[misc]
        except (ValueError, KeyError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(result)

    return [
        Route("/_sandbox/health", health),
        Route("/_sandbox/stats", stats),
        Route("/_sandbox/stats/reset", stats_reset, methods=["POST"]),
        Route("/_sandbox/faults", faults, methods=["GET", "PUT"]),
        Route("/_sandbox/settings", settings, methods=["GET", "PUT"]),
        Route("/_sandbox/revoke-tokens", revoke, methods=["POST"]),
        Route("/_sandbox/mutate", mutate, methods=["POST"]),
    ]
