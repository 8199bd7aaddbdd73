"""Import Set API: single-row synchronous import, insertMultiple, and reading one staging row back."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ml_connector_sandbox.servicenow import errors
from ml_connector_sandbox.servicenow.catalog_types import Table
from ml_connector_sandbox.servicenow.context import Context
from ml_connector_sandbox.servicenow.s2p_staging import TRANSFORMS_BY_STAGING
from ml_connector_sandbox.servicenow.store import new_sys_id
from ml_connector_sandbox.servicenow.transform import RowResult


def staging_table(ctx: Context, name: str) -> Table | None:
    table = ctx.table(name)
    return table if table is not None and name in TRANSFORMS_BY_STAGING else None


def _result_item(ctx: Context, staging: str, result: RowResult) -> dict[str, Any]:
    tmap = TRANSFORMS_BY_STAGING[staging]
    target = ctx.catalog.tables[tmap.target]
    item: dict[str, Any] = {
        "transform_map": tmap.name,
        "table": tmap.target,
        "display_name": target.display_field,
        "display_value": result.display_value,
        "record_link": ctx.record_link(tmap.target, result.target_sys_id) if result.target_sys_id else "",
        "status": result.state,
        "sys_id": result.target_sys_id,
        "status_message": result.comment,
    }
    if result.error:
        item["error_message"] = result.error
    return item


async def _json(request: Request) -> Any:
    try:
        return orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return None


def _unsupported(request: Request) -> Response | None:
    if "json" not in request.headers.get("content-type", "application/json").lower():
        return errors.error(415, "Unsupported Media Type", "Only application/json is accepted")
    return None


async def insert_one(ctx: Context, request: Request, table: Table) -> Response:
    bad = _unsupported(request)
    if bad:
        return bad
    body = await _json(request)
    if not isinstance(body, dict):
        return errors.bad_request("Exception while reading request", "Expected a JSON object of field values")
    record = ctx.imports.map_record(table.name, body, "column_name")
    loaded = ctx.imports.load(table.name, [record], synchronous=True)
    result = loaded.results[0][1]
    assert result is not None  # synchronous loads always carry results
    return errors.json_response(
        {
            "import_set": loaded.number,
            "staging_table": table.name,
            "result": [_result_item(ctx, table.name, result)],
        },
        201,
    )


async def insert_multiple(ctx: Context, request: Request, table: Table) -> Response:
    bad = _unsupported(request)
    if bad:
        return bad
    body = await _json(request)
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return errors.bad_request("Exception while reading request", 'Expected {"records":[{...}, ...]}')
    maximum = ctx.settings.max_insert_multiple_records
    if len(records) > maximum:
        return errors.bad_request(
            "Invalid request", f"Too many records: {len(records)}; the maximum is {maximum}"
        )
    synchronous, mapping = ctx.imports.insert_mode(table.name, ctx.settings.insert_multiple_mode_override)
    mapped = [ctx.imports.map_record(table.name, r, mapping) for r in records]
    loaded = ctx.imports.load(table.name, mapped, synchronous=synchronous)
    multi = request.query_params.get("multi_import_set_id") or new_sys_id()
    return errors.json_response({"import_set_id": loaded.sys_id, "multi_import_set_id": multi}, 201)


async def get_row(ctx: Context, request: Request, table: Table) -> Response:
    """The staging record with its transform result (404 once cleaned up or never there)."""
    rows = ctx.store.select(
        table, [c.name for c in table.all_columns], "sys_id = ?", (request.path_params["sys_id"],)
    )
    if not rows:
        return errors.no_record()
    row = rows[0]
    number = ctx.store.db.execute(
        "SELECT number FROM sys_import_set WHERE sys_id = ?", (row["sys_import_set"],)
    ).fetchone()
    target = ctx.catalog.tables[row["sys_target_table"]]
    display = ""
    if row["sys_target_sys_id"]:
        found = ctx.store.select(target, [target.display_field], "sys_id = ?", (row["sys_target_sys_id"],))
        display = str(found[0][target.display_field]) if found else ""
    result = RowResult(
        row["sys_import_state"],
        row["sys_import_state_comment"],
        row["sys_target_sys_id"],
        display,
        row["sys_row_error"],
    )
    return errors.json_response(
        {
            "import_set": number[0] if number else "",
            "staging_table": table.name,
            "result": [_result_item(ctx, table.name, result)],
        }
    )
