"""Routing and the per-request pipeline: stats → faults → auth → rate-limit rule → handler."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ml_connector_sandbox.common.admin import AdminHooks, admin_routes
from ml_connector_sandbox.common.faults import FaultInjector
from ml_connector_sandbox.common.pipeline import inject_faults
from ml_connector_sandbox.common.ratelimit import SlidingWindowLimiter
from ml_connector_sandbox.common.settings import settings_dict
from ml_connector_sandbox.common.stats import RequestStats
from ml_connector_sandbox.servicenow import errors, import_api, platform, table_api
from ml_connector_sandbox.servicenow.auth import Credentials, TokenStore
from ml_connector_sandbox.servicenow.catalog_types import Table
from ml_connector_sandbox.servicenow.context import RATE_LIMIT_RULE_SYS_ID, Context
from ml_connector_sandbox.servicenow.imports import ImportService
from ml_connector_sandbox.servicenow.query import QueryParser
from ml_connector_sandbox.servicenow.settings import ServiceNowSettings
from ml_connector_sandbox.servicenow.store import Store

RATE_WINDOW_SECONDS = 3600.0
Handler = Callable[[Context, Request, Table], Awaitable[Response]]


def _api(
    ctx: Context, kind: str, handler: Handler, action: str | None = None
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a Table/Import API handler in the request pipeline every covered call goes through."""

    async def endpoint(request: Request) -> Response:
        table_name = request.path_params["table"]
        route = f"{kind}:{action or request.method}:{table_name}"
        response = await _serve(ctx, request, table_name, handler, kind)
        ctx.stats.record(route, response.status_code, api=True)
        return response

    return endpoint


async def _serve(ctx: Context, request: Request, table_name: str, handler: Handler, kind: str) -> Response:
    fault = await inject_faults(ctx.faults, ctx.tokens.revoke_all)
    if fault is not None and fault.status == 429:
        return errors.rate_limited(ctx.settings.rate_limit_per_hour, str(fault.retry_after))
    if fault is not None:
        return errors.server_error(fault.status)
    user = ctx.tokens.authenticate(request.headers.get("authorization", ""))
    if user is None:
        return errors.not_authenticated()
    ctx.limiter.limit = ctx.settings.rate_limit_per_hour
    wait = ctx.limiter.check(user)
    reset = time.time() + (wait if wait is not None else RATE_WINDOW_SECONDS)
    headers = {
        "X-RateLimit-Limit": str(ctx.limiter.limit),
        "X-RateLimit-Reset": str(int(reset)),
        "X-RateLimit-Rule": RATE_LIMIT_RULE_SYS_ID,
    }
    if wait is not None:
        return errors.rate_limited(ctx.limiter.limit, SlidingWindowLimiter.retry_after_header(wait), headers)
    ctx.imports.process_due()
    table = import_api.staging_table(ctx, table_name) if kind == "import" else ctx.table(table_name)
    response = errors.invalid_table(table_name) if table is None else await handler(ctx, request, table)
    response.headers.update(headers)
    return response


def _oauth(ctx: Context) -> Callable[[Request], Awaitable[Response]]:
    async def token(request: Request) -> Response:
        response = await _grant(ctx, request)
        ctx.stats.record("oauth", response.status_code, api=False)
        return response

    return token


async def _grant(ctx: Context, request: Request) -> Response:
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return errors.json_response(
            {
                "error": "invalid_request",
                "error_description": "Content-Type must be application/x-www-form-urlencoded",
            },
            400,
        )
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
    body = ctx.tokens.grant(form, client_credentials_enabled=ctx.settings.client_credentials_enabled)
    if body is None:
        return errors.oauth_denied()
    ctx.stats.tokens_issued += 1
    return errors.json_response(body)


async def _unknown_resource(_: Request) -> Response:
    return errors.bad_request("Requested URI does not represent any resource", None)


def _admin_hooks(ctx: Context) -> AdminHooks:
    def update_settings(changes: dict[str, Any]) -> None:
        ctx.settings.update(changes)
        ctx.limiter.limit = ctx.settings.rate_limit_per_hour
        if {"roles", "s2p_apps_installed"} & set(changes):
            platform.sync(ctx.store, ctx.settings, ctx.user_sys_id)

    def mutate(body: dict[str, Any]) -> dict[str, Any]:
        action = body.get("action")
        table = ctx.catalog.get(str(body.get("table", "")))
        if table is None or table.view:
            msg = f"unknown or read-only table: {body.get('table')!r}"
            raise ValueError(msg)
        with ctx.store.transaction():
            if action == "delete_rows":
                parsed = ctx.parser.parse(table, str(body.get("query", "")))
                return {"deleted": ctx.store.delete(table, parsed.where, parsed.params)}
            if action == "set_fields":
                fields = {k: str(v) for k, v in dict(body["fields"]).items() if table.column(k) is not None}
                return {"updated": ctx.store.update(table, str(body["sys_id"]), fields)}
        msg = f"unknown action: {action!r}"
        raise ValueError(msg)

    return AdminHooks(
        name="servicenow",
        stats=ctx.stats,
        faults=ctx.faults,
        get_settings=lambda: settings_dict(ctx.settings),
        update_settings=update_settings,
        revoke_tokens=ctx.tokens.revoke_all,
        mutate=mutate,
    )


def create_app(
    settings: ServiceNowSettings, store: Store, *, base_url: str, credentials: Credentials, user_sys_id: str
) -> Starlette:
    """The ServiceNow Starlette app over an opened store; `app.state.ctx` exposes internals to tests."""
    ctx = Context(
        base_url=base_url.rstrip("/"),
        user_sys_id=user_sys_id,
        catalog=store.catalog,
        store=store,
        settings=settings,
        tokens=TokenStore(credentials, lambda: settings.token_ttl_seconds),
        parser=QueryParser(store.catalog, user_sys_id),
        imports=ImportService(store, lambda: settings.async_delay_seconds),
        limiter=SlidingWindowLimiter(settings.rate_limit_per_hour, RATE_WINDOW_SECONDS),
        stats=RequestStats(),
        faults=FaultInjector(),
    )
    routes: list[Route] = [
        *admin_routes(_admin_hooks(ctx)),
        Route("/oauth_token.do", _oauth(ctx), methods=["POST"]),
    ]
    for prefix in ("/api/now/table", "/api/now/v1/table", "/api/now/v2/table"):
        routes += [
            Route(f"{prefix}/{{table}}", _api(ctx, "table", table_api.list_records), methods=["GET"]),
            Route(f"{prefix}/{{table}}", _api(ctx, "table", table_api.create_record), methods=["POST"]),
            Route(
                f"{prefix}/{{table}}/{{sys_id}}", _api(ctx, "table", table_api.get_record), methods=["GET"]
            ),
            Route(
                f"{prefix}/{{table}}/{{sys_id}}",
                _api(ctx, "table", table_api.update_record),
                methods=["PUT", "PATCH"],
            ),
            Route(
                f"{prefix}/{{table}}/{{sys_id}}",
                _api(ctx, "table", table_api.delete_record),
                methods=["DELETE"],
            ),
        ]
    routes += [
        Route(
            "/api/now/import/{table}/insertMultiple",
            _api(ctx, "import", import_api.insert_multiple, "insertMultiple"),
            methods=["POST"],
        ),
        Route("/api/now/import/{table}", _api(ctx, "import", import_api.insert_one), methods=["POST"]),
        Route("/api/now/import/{table}/{sys_id}", _api(ctx, "import", import_api.get_row), methods=["GET"]),
        Route("/api/{rest:path}", _unknown_resource, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.ctx = ctx
    return app
