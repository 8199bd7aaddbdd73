"""Answer one entity-set GET: filter, order, select, client (`$top`/`$skip`) and server-driven paging."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson

from ml_connector_sandbox.ifs import odata
from ml_connector_sandbox.ifs.catalog import BOOL, CHANGE_FIELD, DEC, ENTITY_SETS, EntitySet, keyref
from ml_connector_sandbox.ifs.store import IfsStore

_SUPPORTED = {"$filter", "$select", "$orderby", "$top", "$skip", "$count", "$skiptoken", "$format"}
_NOT_IMPLEMENTED = {"$expand", "$apply", "$search", "$compute"}
_TABLE_NO = {name: i for i, name in enumerate(ENTITY_SETS, start=1)}


@dataclass
class QueryOptions:
    """What a query may see: settings of the emulator at the time of the request."""

    server_page_size: int
    honor_maxpagesize: bool
    expose_change_timestamp: bool
    allowed_companies: list[str] | None


def etag(table: str, rowid: int, rowversion: str | None) -> str:
    """IFS weak ETag: base64 of `W/"<objid>:<objversion YYYYMMDDHH24MISS>"`, so it changes on every update."""
    objversion = "".join(ch for ch in (rowversion or "") if ch.isdigit())
    inner = f'W/"AAA{_TABLE_NO[table]:03d}{rowid:010X}:{objversion}"'
    return f'W/"{base64.b64encode(inner.encode()).decode()}"'


def run(
    store: IfsStore, s: EntitySet, params: Mapping[str, str], prefer: str | None, opts: QueryOptions,
    *, context_url: str, page_url: str,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON body and extra headers of one page; raises ODataError for a bad request."""
    for name in params:
        if name in _NOT_IMPLEMENTED:
            raise odata.ODataError(501, "ODP_NOT_IMPLEMENTED", f"The query option {name} is not implemented.")
        if name.startswith("$") and name not in _SUPPORTED:
            raise odata.malformed(f"The query parameter '{name}' is not supported.")
    fields = s.visible_fields(opts.expose_change_timestamp)
    select = odata.parse_select(params["$select"], fields, s.type_name) if "$select" in params else None
    where, args = ["1=1"], []
    if "$filter" in params:
        sql, filter_args = odata.parse_filter(params["$filter"], fields, s.type_name)
        where.append(sql)
        args += filter_args
    if s.company_field and opts.allowed_companies is not None:
        where.append(f"{s.company_field} IN ({', '.join('?' * len(opts.allowed_companies)) or 'NULL'})")
        args += list(opts.allowed_companies)
    order = odata.parse_orderby(params["$orderby"], fields, s.type_name) if "$orderby" in params else []
    order += [(k, False) for k in s.keys if k not in {name for name, _ in order}]
    top = odata.parse_int_option("$top", params.get("$top"))
    skip = odata.parse_int_option("$skip", params.get("$skip")) or 0
    delivered = odata.parse_int_option("$skiptoken", params.get("$skiptoken")) or 0
    page = max(int(opts.server_page_size), 1)
    wanted = odata.prefer_maxpagesize(prefer) if opts.honor_maxpagesize else None
    headers = {}
    if wanted is not None:
        page = min(wanted, page)
        headers["Preference-Applied"] = f"odata.maxpagesize={page}"
    window_left = None if top is None else max(top - delivered, 0)
    limit = page if window_left is None else min(page, window_left)
    columns = list(dict.fromkeys([*(select or fields), *s.keys, CHANGE_FIELD]))
    where_sql = " AND ".join(where)
    rows = store.fetch(
        f'SELECT rowid, {", ".join(columns)} FROM "{s.table}" WHERE {where_sql} '
        f'ORDER BY {", ".join(f"{n} DESC" if desc else n for n, desc in order)} LIMIT ? OFFSET ?',
        [*args, limit + 1, skip + delivered],
    )
    more = len(rows) > limit
    body: dict[str, Any] = {"@odata.context": context_url + (f"({','.join(select)})" if select else "")}
    if params.get("$count", "").lower() == "true":
        body["@odata.count"] = store.fetch(f'SELECT count(*) FROM "{s.table}" WHERE {where_sql}', args)[0][0]
    body["value"] = [_row(s, row, columns, select or list(fields), fields, meta=select is None) for row in rows[:limit]]
    if more and (window_left is None or window_left > limit):
        next_params = {k: v for k, v in params.items() if k != "$skiptoken"}
        next_params["$skiptoken"] = str(delivered + limit)
        body["@odata.nextLink"] = f"{page_url}?{urlencode(next_params, safe='$,()')}"
    return body, headers


def _row(s: EntitySet, row: tuple[Any, ...], columns: list[str], shown: list[str], fields: dict[str, str],
         *, meta: bool) -> dict[str, Any]:
    values = dict(zip(columns, row[1:]))
    out: dict[str, Any] = {"@odata.etag": etag(s.table, row[0], values.get(CHANGE_FIELD))}
    if meta:
        out.update(luname=s.luname, keyref=keyref(s, values), Objgrants=None)
    for name in shown:
        value = values[name]
        kind = fields[name]
        if value is not None and kind == DEC:
            value = orjson.Fragment(value)  # exact decimal text as a JSON number, every decimal kept
        elif value is not None and kind == BOOL:
            value = bool(value)
        out[name] = value
    return out
