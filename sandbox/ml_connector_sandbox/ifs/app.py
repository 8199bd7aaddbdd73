"""IFS Cloud routes: IAM (Keycloak) token endpoint, OData projections and entity services, admin.

Per request: stats → faults → auth → rate limit → handler.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from typing import Any

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
from ml_connector_sandbox.ifs import catalog, odata, query
from ml_connector_sandbox.ifs.mutate import mutate
from ml_connector_sandbox.ifs.store import IfsStore

_JSON = "application/json;odata.metadata=minimal"
GRANTED_SCOPE = "openid audience microprofile-jwt profile email"


@dataclass
class IfsSettings:
    """Run-time settings (`/_sandbox/settings`); the UNCONFIRMED vendor facts are all here."""

    token_ttl_seconds: float = 180  # IFS sample and a live tenant; 3600 mimics long-lived IAM clients
    refresh_expires_seconds: int = 1800
    requests_per_minute: int = 1000  # per client; IFS publishes no limit (UNCONFIRMED)
    retry_after_seconds: float = 1
    server_page_size: int = 5000  # page cap and nextLink threshold (UNCONFIRMED)
    honor_maxpagesize: bool = True  # Prefer: odata.maxpagesize (UNCONFIRMED)
    expose_change_timestamp: bool = True  # Rowversion filterable on transactional sets (UNCONFIRMED)
    allowed_companies: list[str] | None = None  # IAM "Allowed Companies"; None = all; others read empty


@dataclass
class IfsCredentials:
    tenant: str
    realm: str
    client_id: str
    client_secret: str


@dataclass
class IfsRuntime(EmulatorRuntime[IfsSettings, IfsStore, IfsCredentials]):
    """The shared runtime plus the per-client quota, rebuilt when its setting changes."""

    quota: SlidingWindowLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.quota = SlidingWindowLimiter(int(self.settings.requests_per_minute), 60)

    def update_settings(self, changes: dict[str, Any]) -> None:
        apply_partial(self.settings, changes)
        if "requests_per_minute" in changes:
            self.quota = SlidingWindowLimiter(int(self.settings.requests_per_minute), 60)

    def query_options(self) -> query.QueryOptions:
        s = self.settings
        allowed = None if s.allowed_companies is None else [str(c) for c in s.allowed_companies]
        return query.QueryOptions(s.server_page_size, s.honor_maxpagesize, s.expose_change_timestamp, allowed)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None, media: str = _JSON) -> Response:
    return orjson_response(body, status, headers, media)


def _error(err: odata.ODataError, headers: dict[str, str] | None = None) -> Response:
    return _json(err.body(), err.status, headers)


def _jwt_like() -> str:
    """Opaque to clients, shaped like the Keycloak JWTs IFS returns."""
    return "eyJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(48) + "." + secrets.token_urlsafe(32)


def create_app(rt: IfsRuntime) -> Starlette:
    """The IFS emulator's ASGI app over one runtime."""
    creds = rt.credentials

    async def token(request: Request) -> Response:
        if request.path_params["realm"] != creds.realm:
            return _json({"error": "Realm does not exist"}, 404, media="application/json")
        form = await urlencoded_form(request)
        if form is None:
            return _json({"error": "invalid_request", "error_description": "Missing form parameter: grant_type"},
                         400, media="application/json")
        if form.get("grant_type") != "client_credentials":
            return _json({"error": "unsupported_grant_type", "error_description": "Unsupported grant_type"},
                         400, media="application/json")
        if client_credentials(request, form) != (creds.client_id, creds.client_secret):
            return _json({"error": "unauthorized_client",
                          "error_description": "Invalid client or Invalid client credentials"},
                         401, media="application/json")
        ttl = float(rt.settings.token_ttl_seconds)
        access, refresh = rt.tokens.issue(creds.client_id, ttl)
        rt.stats.tokens_issued += 1
        body = {"access_token": access, "expires_in": math.ceil(ttl),
                "refresh_expires_in": rt.settings.refresh_expires_seconds, "refresh_token": refresh,
                "token_type": "Bearer", "id_token": _jwt_like(), "not-before-policy": 0,
                "session_state": secrets.token_hex(16), "scope": GRANTED_SCOPE}
        return _json(body, 200, {"Cache-Control": "no-store"}, media="application/json")

    async def discovery(request: Request) -> Response:
        realm = request.path_params["realm"]
        if realm != creds.realm:
            return _json({"error": "Realm does not exist"}, 404, media="application/json")
        issuer = f"{str(request.base_url).rstrip('/')}/auth/realms/{realm}"
        return _json({"issuer": issuer, "token_endpoint": f"{issuer}/protocol/openid-connect/token",
                      "grant_types_supported": ["client_credentials"]}, media="application/json")

    def resolve(request: Request) -> tuple[str, dict[str, catalog.EntitySet]]:
        p = request.path_params
        service = p["service"]
        api = f"ifsapplications/{p['kind']}/v1"
        ok_area = p["area"] == "int" or (p["area"] == "main" and api == catalog.PROJECTION_API)
        sets = catalog.services(api).get(service[:-4]) if service.endswith(".svc") and ok_area else None
        if sets is None:
            raise odata.ODataError(404, "ODP_NOT_FOUND", "Metadata not found.")
        return service[:-4], sets

    async def gate(request: Request) -> Response | None:
        """Faults, then the bearer token, then the per-client quota."""
        fault = await inject_faults(rt.faults, rt.tokens.revoke_all_access)
        if fault is not None and fault.status == 429:
            return _error(odata.ODataError(429, "TOO_MANY_REQUESTS", "Too many requests."),
                          {"Retry-After": str(fault.retry_after)})
        if fault is not None:
            return _error(odata.ODataError(fault.status, "ODP_SERVER_ERROR", "An unexpected error occurred."))
        token = bearer_token(request)
        client = rt.tokens.validate(token) if token is not None else None
        if client is None:
            return _error(odata.ODataError(401, "UNAUTHORIZED", "Unauthorized."),
                          {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        wait = rt.quota.check(client)
        if wait is not None:
            retry = SlidingWindowLimiter.retry_after_header(max(wait, float(rt.settings.retry_after_seconds)))
            return _error(odata.ODataError(429, "TOO_MANY_REQUESTS", "Too many requests."), {"Retry-After": retry})
        return None

    async def entity_set(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        try:
            service, sets = resolve(request)
            name = request.path_params.get("entity_set", "")
            if name == "$metadata":
                return Response(_edmx(service, sets, rt.settings.expose_change_timestamp),
                                media_type="application/xml")
            base = f"{str(request.base_url).rstrip('/')}{request.url.path.rsplit('/', 1)[0]}"
            if name == "":
                return _json({"@odata.context": f"{base}/$metadata",
                              "value": [{"name": n, "kind": "EntitySet", "url": n} for n in sets]})
            s = sets.get(name)
            if s is None:
                raise odata.ODataError(404, "ODP_NOT_FOUND", f"Resource not found for the segment '{name}'.")
            body, headers = query.run(
                rt.store, s, dict(request.query_params), request.headers.get("prefer"), rt.query_options(),
                context_url=f"{base}/$metadata#{s.name}", page_url=f"{base}/{s.name}")
        except odata.ODataError as err:
            return _error(err)
        return _json(body, 200, headers)

    def odata_route(request: Request) -> str:
        return f"odata/{request.path_params.get('service', '')}/{request.path_params.get('entity_set', '')}"

    hooks = AdminHooks(
        name="ifs", stats=rt.stats, faults=rt.faults, get_settings=lambda: settings_dict(rt.settings),
        update_settings=rt.update_settings, revoke_tokens=rt.tokens.revoke_all_access,
        mutate=lambda body: mutate(rt.store, body, rt.clock()),
    )
    stats = rt.stats
    odata_path = "/{area}/ifsapplications/{kind}/v1/{service}"
    routes = [
        *counted_routes(stats, admin_routes(hooks), "_sandbox", api=False),
        Route("/auth/realms/{realm}/protocol/openid-connect/token", counted(stats, "token", api=False)(token),
              methods=["POST"]),
        Route("/auth/realms/{realm}/.well-known/openid-configuration",
              counted(stats, "discovery", api=False)(discovery)),
        Route(odata_path + "/", counted(stats, odata_route, api=True)(entity_set)),
        Route(odata_path + "/{entity_set}", counted(stats, odata_route, api=True)(entity_set)),
        Route("/{path:path}", counted(stats, "unknown", api=False)(_not_found),
              methods=["GET", "POST", "PUT", "PATCH"]),
    ]
    app = Starlette(routes=routes)
    app.state.ifs = rt
    return app


async def _not_found(_: Request) -> Response:
    return _error(odata.ODataError(404, "ODP_NOT_FOUND", "Metadata not found."))


def _edmx(service: str, sets: dict[str, catalog.EntitySet], expose_change: bool) -> bytes:
    """A minimal EDMX: entity types with keys and property types, and the container, as IFS names them."""
    ns = f"IfsApp.{service}"
    types, container = [], []
    for s in sets.values():
        keys = "".join(f'<PropertyRef Name="{k}"/>' for k in s.keys)
        props = "".join(f'<Property Name="{n}" Type="{t}"/>' for n, t in s.visible_fields(expose_change).items())
        types.append(f'<EntityType Name="{s.entity_type}"><Key>{keys}</Key>{props}</EntityType>')
        container.append(f'<EntitySet Name="{s.name}" EntityType="{ns}.{s.entity_type}"/>')
    return (
        '<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" '
        'xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>'
        f'<Schema Namespace="{ns}" xmlns="http://docs.oasis-open.org/odata/ns/edm">{"".join(types)}'
        f'<EntityContainer Name="DefaultContainer">{"".join(container)}</EntityContainer></Schema>'
        "</edmx:DataServices></edmx:Edmx>"
    ).encode()
