"""ION API Gateway + Mingle SSO + M3 MI REST routes: token endpoints, gateway checks, MI execution, admin."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ml_connector_sandbox.common.admin import AdminHooks, admin_routes
from ml_connector_sandbox.common.emulator import EmulatorRuntime
from ml_connector_sandbox.common.http import (
    bearer_token,
    client_credentials,
    orjson_response,
    urlencoded_form,
)
from ml_connector_sandbox.common.pipeline import counted, counted_routes, inject_faults
from ml_connector_sandbox.common.ratelimit import SlidingWindowLimiter
from ml_connector_sandbox.common.settings import apply_partial, settings_dict
from ml_connector_sandbox.ion import programs
from ml_connector_sandbox.ion.files import DEFAULT_COMPANY
from ml_connector_sandbox.ion.mutate import mutate
from ml_connector_sandbox.ion.store import M3Store

_CONTROL = {"maxrecs", "returncols", "cono", "divi", "excludempty", "excludeempty", "righttrim", "dateformat",
            "metadata", "extendedresult", "format", "m3user"}
_TRUE = {"true", "1", "yes"}


@dataclass
class IonSettings:
    """Run-time settings of the ION emulator (`/_sandbox/settings`)."""

    token_ttl_seconds: float = 7200
    rate_limit_per_minute: int = 300
    auth_per_minute: int = 20
    send_retry_after: bool = True
    max_maxrecs: int = 10000
    # Lower bound of the Retry-After the gateway sends with its own 429s (quota and auth limit).
    retry_after_seconds: float = 1


@dataclass
class IonCredentials:
    tenant: str
    client_id: str
    client_secret: str
    saak: str
    sask: str


@dataclass
class IonRuntime(EmulatorRuntime[IonSettings, M3Store, IonCredentials]):
    """The shared runtime plus the tenant's companies, the API quota and the authentication limit."""

    companies: tuple[int, ...] = ()
    quota: SlidingWindowLimiter = field(init=False)
    auth_limit: SlidingWindowLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.companies = tuple(self.store.companies())
        self.rebuild_limiters()

    def rebuild_limiters(self) -> None:
        self.quota = SlidingWindowLimiter(int(self.settings.rate_limit_per_minute), 60)
        self.auth_limit = SlidingWindowLimiter(int(self.settings.auth_per_minute), 60)

    def update_settings(self, changes: dict[str, Any]) -> None:
        apply_partial(self.settings, changes)
        if {"rate_limit_per_minute", "auth_per_minute"} & set(changes):
            self.rebuild_limiters()

    def retry_after(self, wait: float) -> str:
        return SlidingWindowLimiter.retry_after_header(max(wait, float(self.settings.retry_after_seconds)))


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return orjson_response(body, status, headers)


def _oauth_error(error: str, description: str, status: int) -> Response:
    return _json({"error": error, "error_description": description}, status, {"Cache-Control": "no-store"})


def _split_matrix(segment: str) -> tuple[str, dict[str, str]]:
    name, *pairs = segment.split(";")
    params: dict[str, str] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key:
            params[key.lower()] = unquote(value)
    return name, params


def _resolve_call(rt: IonRuntime, request: Request, matrix: dict[str, str]) -> programs.Call:
    """Merge matrix and query parameters into a Call; raises MIError for a company the user may not use."""
    control = dict(matrix)
    fields: dict[str, str] = {}
    for key, value in request.query_params.items():
        if key not in ("CONO", "DIVI") and key.lower() in _CONTROL:
            control.setdefault(key.lower(), value)
        else:
            fields[key] = value
    cono_text = fields.get("CONO") or control.get("cono") or str(DEFAULT_COMPANY)
    if not cono_text.strip().isdigit() or int(cono_text) not in rt.companies:
        raise programs.MIError("ServerReturnedNOK", f"Not authorized for company {cono_text.strip()}",
                               code="XAU0008", field_name="CONO")
    cap = int(rt.settings.max_maxrecs)
    try:
        maxrecs = int(control.get("maxrecs", "100"))
    except ValueError:
        maxrecs = 100
    limit = cap if maxrecs <= 0 else min(maxrecs, cap)
    returncols = control.get("returncols")
    exclude = control.get("excludempty", control.get("excludeempty", "false")).lower() in _TRUE
    return programs.Call(
        company=int(cono_text), division=fields.get("DIVI") or control.get("divi", ""), fields=fields,
        limit=limit, returncols=returncols.split(",") if returncols else None, exclude_empty=exclude,
        now=rt.clock(),
    )


def create_app(rt: IonRuntime) -> Starlette:
    """The ION emulator's ASGI app over one runtime (settings, store, credentials, tokens)."""
    creds = rt.credentials

    def tenant_ok(request: Request) -> bool:
        return request.path_params.get("ti") == creds.tenant

    async def token(request: Request) -> Response:
        if not tenant_ok(request):
            return _json({"error": "Not Found"}, 404)
        wait = rt.auth_limit.check(creds.tenant)
        if wait is not None:
            return _json({"error": "too_many_requests"}, 429, {"Retry-After": rt.retry_after(wait)})
        form = await urlencoded_form(request)
        if form is None:
            return _oauth_error("invalid_request", "Content-Type must be application/x-www-form-urlencoded", 400)
        client = client_credentials(request, form)
        if client != (creds.client_id, creds.client_secret):
            return _oauth_error("invalid_client", "Client authentication failed", 401)
        ttl = float(rt.settings.token_ttl_seconds)
        grant = form.get("grant_type", "")
        if grant == "password":
            if (form.get("username"), form.get("password")) != (creds.saak, creds.sask):
                return _oauth_error("invalid_grant", "Invalid service account credentials", 400)
            access, refresh = rt.tokens.issue(creds.client_id, ttl)
        elif grant == "refresh_token":
            refresh = form.get("refresh_token", "")
            maybe = rt.tokens.refresh(refresh, creds.client_id, ttl)
            if maybe is None:
                return _oauth_error("invalid_grant", "Refresh token is invalid, expired or revoked", 400)
            access = maybe
        else:
            return _oauth_error("unsupported_grant_type", f"Grant type '{grant}' is not supported", 400)
        rt.stats.tokens_issued += 1
        body = {"access_token": access, "token_type": "Bearer", "expires_in": math.ceil(ttl), "refresh_token": refresh}
        return _json(body, 200, {"Cache-Control": "no-store"})

    async def revoke(request: Request) -> Response:
        if not tenant_ok(request):
            return _json({"error": "Not Found"}, 404)
        form = await urlencoded_form(request)
        if form is None:
            return _oauth_error("invalid_request", "Content-Type must be application/x-www-form-urlencoded", 400)
        if client_credentials(request, form) != (creds.client_id, creds.client_secret):
            return _oauth_error("invalid_client", "Client authentication failed", 401)
        rt.tokens.revoke(form.get("token", ""), creds.client_id)
        return Response(status_code=200)  # RFC 7009: unknown tokens are not an error

    async def execute(request: Request) -> Response:
        fault = await inject_faults(rt.faults, rt.tokens.revoke_all_access)
        if fault is not None and fault.status == 429:
            return _json({"error": "Too Many Requests"}, 429, {"Retry-After": str(fault.retry_after)})
        if fault is not None:
            return _json({"error": "Internal Server Error"}, fault.status)
        if not tenant_ok(request):
            return _json({"error": "Not Found"}, 404)
        token = bearer_token(request)
        client = rt.tokens.validate(token) if token is not None else None
        if client is None:
            return _json({"error": "Unauthorized"}, 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        wait = rt.quota.check(client)
        if wait is not None:
            headers = {"Retry-After": rt.retry_after(wait)} if rt.settings.send_retry_after else None
            return _json({"error": "Too Many Requests"}, 429, headers)
        program = request.path_params["program"]
        transaction, matrix = _split_matrix(request.path_params["transaction"])
        try:
            txn = programs.lookup(program, transaction)
            call = _resolve_call(rt, request, matrix)
            call.values = programs.validate(txn, call.fields)
            records = programs.shape(txn.handler(rt.store, call), call)
        except programs.MIError as error:
            return _json(programs.failure(transaction, error))
        return _json(programs.success(transaction, records))

    async def not_found(_: Request) -> Response:
        return _json({"error": "Not Found"}, 404)

    def m3_route(request: Request) -> str:
        txn = request.path_params.get("transaction", "").split(";")[0]
        return f"M3/{request.path_params.get('program', '')}/{txn}"

    hooks = AdminHooks(
        name="ion",
        stats=rt.stats,
        faults=rt.faults,
        get_settings=lambda: settings_dict(rt.settings),
        update_settings=rt.update_settings,
        revoke_tokens=rt.tokens.revoke_all_access,
        mutate=lambda body: mutate(rt.store, body, rt.clock()),
    )
    stats = rt.stats
    routes = [
        *counted_routes(stats, admin_routes(hooks), "_sandbox", api=False),
        Route("/{ti}/as/token.oauth2", counted(stats, "token", api=False)(token), methods=["POST"]),
        Route("/{ti}/as/revoke_token.oauth2", counted(stats, "revoke", api=False)(revoke), methods=["POST"]),
        Route("/{ti}/M3/m3api-rest/v2/execute/{program}/{transaction}",
              counted(stats, m3_route, api=True)(execute), methods=["GET"]),
        Route("/{path:path}", counted(stats, "unknown", api=False)(not_found),
              methods=["GET", "POST", "PUT", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.ion = rt
    return app
