"""The per-request pipeline every emulator runs: stats → faults → auth → rate limit → handler.

Each emulator answers a refusal in its vendor's error shape, so this module decides and the emulator words it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ml_connector_sandbox.common.faults import FaultInjector
from ml_connector_sandbox.common.ratelimit import SlidingWindowLimiter
from ml_connector_sandbox.common.stats import RequestStats

Endpoint = Callable[[Request], Awaitable[Response]]
RouteKey = str | Callable[[Request], str]


def counted(stats: RequestStats, route: RouteKey, *, api: bool) -> Callable[[Endpoint], Endpoint]:
    """Wrap an endpoint so its answer is counted under `route` (a name, or derived from the request)."""

    def wrap(endpoint: Endpoint) -> Endpoint:
        async def handler(request: Request) -> Response:
            response = await endpoint(request)
            stats.record(route(request) if callable(route) else route, response.status_code, api=api)
            return response

        return handler

    return wrap


def counted_routes(stats: RequestStats, routes: list[Route], route_key: str, *, api: bool) -> list[Route]:
    """The same routes, each counted under `route_key` (e.g. the shared admin routes as "_sandbox")."""
    return [
        Route(r.path, counted(stats, route_key, api=api)(r.endpoint), methods=sorted(r.methods or ()))
        for r in routes
    ]


@dataclass(frozen=True)
class FaultRefusal:
    """An injected failure to answer instead of serving; `retry_after` is set for 429s."""

    status: int
    retry_after: str | None = None


async def inject_faults(
    faults: FaultInjector, revoke_all_tokens: Callable[[], object]
) -> FaultRefusal | None:
    """Apply this request's fault decision (revoke tokens, delay); say what to refuse with, if anything."""
    decision = faults.decide()
    if decision.revoke_tokens:
        revoke_all_tokens()
    if decision.delay_seconds:
        await asyncio.sleep(decision.delay_seconds)
    if decision.status == 429:
        return FaultRefusal(429, SlidingWindowLimiter.retry_after_header(faults.settings.retry_after_seconds))
    if decision.status is not None:
        return FaultRefusal(decision.status)
    return None
