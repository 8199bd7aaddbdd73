"""Table API: list/get/insert/update/delete with the vendor's parameters, paging headers and value shapes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ml_connector_sandbox.servicenow import errors
from ml_connector_sandbox.servicenow.catalog_types import SYSTEM_COLUMNS, Table
from ml_connector_sandbox.servicenow.context import Context
from ml_connector_sandbox.servicenow.imports import staging_value
from ml_connector_sandbox.servicenow.store import Row, q

DEFAULT_LIMIT = 10_000


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "false").lower() == "true"


def _int_param(request: Request, name: str, default: int) -> int:
    try:
        return max(int(request.query_params.get(name, default)), 0)
    except ValueError:
        return default


def _lookup(ctx: Context, table: Table, ids: set[str], column: str) -> dict[str, str]:
    """sys_id → column value for referenced rows, fetched in chunks (SQLite caps bound parameters)."""
    found: dict[str, str] = {}
    id_list = [i for i in ids if i]
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        sql = (
            f"SELECT sys_id, {q(column)} FROM {q(table.name)} WHERE sys_id IN ({', '.join('?' * len(chunk))})"
        )
        found.update({r[0]: str(r[1]) for r in ctx.store.db.execute(sql, chunk)})
    return found


class Serializer:
    """Turns stored rows into the JSON records the Table API answers, honouring the sysparm_* switches."""

    def __init__(self, ctx: Context, table: Table, request: Request) -> None:
        self.ctx = ctx
        self.table = table
        mode = request.query_params.get("sysparm_display_value", "false").lower()
        self.display = mode if mode in ("true", "all") else "false"
        self.exclude_links = _flag(request, "sysparm_exclude_reference_link")
        requested = [
            f.strip() for f in request.query_params.get("sysparm_fields", "").split(",") if f.strip()
        ]
        self.fields = (
            [f for f in requested if self._valid(f)] if requested else [c.name for c in table.all_columns]
        )
        self.columns = list(dict.fromkeys(f.partition(".")[0] for f in self.fields))

    def _valid(self, name: str) -> bool:
        base, dot, sub = name.partition(".")
        col = self.table.column(base)
        if col is None:
            return False
        if not dot:
            return True
        ref = self.ctx.catalog.get(col.reference) if col.reference else None
        return ref is not None and ref.column(sub) is not None

    def records(self, rows: list[Row]) -> list[dict[str, Any]]:
        walks: dict[str, dict[str, str]] = {}
        for name in self.fields:
            base, dot, sub = name.partition(".")
            col = self.table.column(base)
            if col is None or not col.reference:
                continue
            ref = self.ctx.catalog.tables[col.reference]
            ids = {str(r[base]) for r in rows}
            if dot:
                walks[name] = _lookup(self.ctx, ref, ids, sub)
            elif self.display != "false" and name not in walks:
                walks[name] = _lookup(self.ctx, ref, ids, ref.display_field)
        return [self._record(row, walks) for row in rows]

    def _record(self, row: Row, walks: dict[str, dict[str, str]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.fields:
            base, dot, _ = name.partition(".")
            value = str(row[base])
            if dot:
                out[name] = walks[name].get(value, "")
                continue
            col = self.table.column(name)
            if col is not None and col.reference:
                out[name] = self._reference(col.reference, value, walks.get(name, {}).get(value, ""))
            elif self.display == "all":
                out[name] = {"display_value": value, "value": value}
            else:
                out[name] = value
        return out

    def _reference(self, ref_table: str, value: str, display: str) -> Any:
        link = None if self.exclude_links or not value else self.ctx.record_link(ref_table, value)
        if self.display == "false":
            return {"link": link, "value": value} if link else value
        if self.display == "true":
            return {"display_value": display, "link": link} if link else display
        body = {"display_value": display, "value": value}
        if link:
            body["link"] = link
        return body


def _link_header(ctx: Context, request: Request, offset: int, limit: int, total: int) -> str | None:
    """first/prev/next/last, only when the result spans more than one page."""
    if limit <= 0 or (offset == 0 and total <= limit):
        return None
    base = f"{ctx.base_url}{request.url.path}"

    def url(page_offset: int) -> str:
        params = dict(request.query_params)
        params["sysparm_offset"] = str(page_offset)
        params["sysparm_limit"] = str(limit)
        return f"<{base}?{urlencode(params)}>"

    last = max((total - 1) // limit * limit, 0)
    parts = [f'{url(0)};rel="first"']
    if offset > 0:
        parts.append(f'{url(max(offset - limit, 0))};rel="prev"')
    if offset + limit < total:
        parts.append(f'{url(offset + limit)};rel="next"')
    parts.append(f'{url(last)};rel="last"')
    return ",".join(parts)


def _readable(ctx: Context, table: Table) -> bool:
    return table.name != "sys_user_has_role" or ctx.settings.roles_readable


async def list_records(ctx: Context, request: Request, table: Table) -> Response:
    if not _readable(ctx, table):
        return errors.acl_read_denied()
    parsed = ctx.parser.parse(table, request.query_params.get("sysparm_query", ""))
    limit = _int_param(request, "sysparm_limit", DEFAULT_LIMIT)
    offset = _int_param(request, "sysparm_offset", 0)
    ser = Serializer(ctx, table, request)
    rows = ctx.store.select(table, ser.columns, parsed.where, parsed.params, parsed.order, limit, offset)
    headers: dict[str, str] = {}
    if not _flag(request, "sysparm_no_count"):
        total = ctx.store.count(table, parsed.where, parsed.params)
        headers["X-Total-Count"] = str(total)
        link = (
            None
            if _flag(request, "sysparm_suppress_pagination_header")
            else _link_header(ctx, request, offset, limit, total)
        )
        if link:
            headers["Link"] = link
    return errors.json_response({"result": ser.records(rows)}, 200, headers)


async def get_record(ctx: Context, request: Request, table: Table) -> Response:
    if not _readable(ctx, table):
        return errors.acl_read_denied()
    ser = Serializer(ctx, table, request)
    rows = ctx.store.select(table, ser.columns, "sys_id = ?", (request.path_params["sys_id"],))
    if not rows:
        return errors.no_record()
    return errors.json_response({"result": ser.records(rows)[0]})


async def _body(request: Request) -> dict[str, Any] | None:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


def _writable_values(table: Table, body: dict[str, Any]) -> dict[str, str]:
    """Known, non-system fields only; reference values may come as {"value": sys_id}."""
    values = {}
    for key, value in body.items():
        if key in SYSTEM_COLUMNS or table.column(key) is None or key.startswith("sys_import"):
            continue
        if isinstance(value, dict) and "value" in value:
            value = value["value"]
        values[key] = staging_value(value)
    return values


def _answer(
    ctx: Context,
    request: Request,
    table: Table,
    sys_id: str,
    status: int,
    headers: dict[str, str] | None = None,
) -> Response:
    if request.headers.get("x-no-response-body", "").lower() == "true":
        return Response(status_code=status, headers=headers)
    ser = Serializer(ctx, table, request)
    rows = ctx.store.select(table, ser.columns, "sys_id = ?", (sys_id,))
    return errors.json_response({"result": ser.records(rows)[0]}, status, headers)


async def create_record(ctx: Context, request: Request, table: Table) -> Response:
    if not table.writable or not table.insertable:
        return errors.acl_insert_denied()
    body = await _body(request)
    if body is None:
        return errors.bad_request("Exception while reading request", "The payload is not valid JSON.")
    with ctx.store.transaction():
        row = ctx.store.insert(table, _writable_values(table, body))
    link = ctx.record_link(table.name, row["sys_id"])
    return _answer(ctx, request, table, row["sys_id"], 201, {"Location": link})


async def update_record(ctx: Context, request: Request, table: Table) -> Response:
    if not table.writable:
        return errors.acl_write_denied()
    sys_id = request.path_params["sys_id"]
    if ctx.store.get(table, sys_id) is None:
        return errors.no_record()
    body = await _body(request)
    if body is None:
        return errors.bad_request("Exception while reading request", "The payload is not valid JSON.")
    with ctx.store.transaction():
        ctx.store.update(table, sys_id, _writable_values(table, body))
    return _answer(ctx, request, table, sys_id, 200)


async def delete_record(ctx: Context, request: Request, table: Table) -> Response:
    if not table.writable:
        return errors.error(
            403, "Operation Failed", "ACL Exception Delete Failed due to security constraints"
        )
    with ctx.store.transaction():
        deleted = ctx.store.delete(table, "sys_id = ?", (request.path_params["sys_id"],))
    return Response(status_code=204) if deleted else errors.no_record()
