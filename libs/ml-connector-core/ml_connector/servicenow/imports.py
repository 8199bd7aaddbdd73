"""Import Set API writes with per-row outcomes mapped back to the caller's input order.

insertMultiple answers only the import set's id; the per-row truth (inserted / updated / ignored / skipped /
error, target sys_id, message) is in `sys_import_set_row`. An async import set is polled until processed.
An insertMultiple that failed in flight (5xx, timeout) may have been applied, so it is re-sent only for the
rows that the caller's `recheck` (a read by coalesce keys) cannot find in the target.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ml_connector.servicenow.errors import ServiceNowError, UncertainWriteError

if TYPE_CHECKING:
    from ml_connector.servicenow.client import ServiceNowClient

logger = logging.getLogger(__name__)

ROW_FIELDS = (
    "sys_import_row",
    "sys_import_state",
    "sys_import_state_comment",
    "sys_target_sys_id",
    "sys_target_table",
    "sys_row_error",
)
FINAL_STATES = frozenset({"inserted", "updated", "ignored", "skipped", "error"})
MAX_RESENDS = 3


@dataclass(frozen=True)
class ImportRowResult:
    """What the transform did with one input row."""

    status: str  # inserted | updated | ignored | skipped | error
    sys_id: str | None = None
    target_table: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("inserted", "updated", "ignored")


@dataclass
class ImportSetResult:
    """Per-row results, `rows[i]` belonging to input record i."""

    import_set_ids: list[str] = field(default_factory=list)
    rows: list[ImportRowResult] = field(default_factory=list)


RecheckFn = Callable[[Sequence[Mapping[str, str]]], Mapping[int, ImportRowResult]]
"""Given rows that may or may not have landed, answer {index: result} for those already in the target."""


def run_import_multiple(
    client: ServiceNowClient,
    staging_table: str,
    records: Sequence[Mapping[str, str]],
    *,
    recheck: RecheckFn | None,
    poll_timeout: float,
    chunk_size: int | None = None,
) -> ImportSetResult:
    """One insertMultiple per chunk, then ONE read of the rows of every import set created."""
    result = ImportSetResult(rows=[ImportRowResult("error", message="not sent")] * len(records))
    size = max(1, chunk_size or len(records) or 1)
    sets: list[tuple[str, list[int]]] = []
    for start in range(0, len(records), size):
        indexes = list(range(start, min(start + size, len(records))))
        sets.extend(_post_chunk(client, staging_table, records, indexes, recheck, result))
    if sets:
        rows = _read_rows(client, [s for s, _ in sets], len(records), poll_timeout)
        for set_id, indexes in sets:
            for local, row in enumerate(_in_input_order(rows.get(set_id, []), len(indexes))):
                result.rows[indexes[local]] = row
        result.import_set_ids.extend(s for s, _ in sets)
    return result


def _post_chunk(
    client: ServiceNowClient,
    staging_table: str,
    records: Sequence[Mapping[str, str]],
    indexes: list[int],
    recheck: RecheckFn | None,
    result: ImportSetResult,
) -> list[tuple[str, list[int]]]:
    pending = indexes
    for attempt in range(1, MAX_RESENDS + 1):
        batch = [records[i] for i in pending]
        try:
            body = client.request(
                "POST", f"/api/now/import/{staging_table}/insertMultiple", json={"records": batch}, idempotent=False
            ).json()
        except UncertainWriteError as exc:
            if recheck is None or attempt == MAX_RESENDS:
                raise
            logger.warning("insertMultiple to %s failed in flight (%s); re-reading before re-sending", staging_table, exc)
            client.sleep(min(2.0**attempt, 10.0))
            landed = recheck(batch)
            for local, row in landed.items():
                result.rows[pending[local]] = row
            pending = [index for local, index in enumerate(pending) if local not in landed]
            if not pending:
                return []
            continue
        import_set_id = str(body.get("import_set_id") or "")
        if not import_set_id:
            raise ServiceNowError(None, f"insertMultiple to {staging_table} answered no import_set_id", str(body)[:200])
        return [(import_set_id, pending)]
    return []


def run_import_one(client: ServiceNowClient, staging_table: str, record: Mapping[str, str]) -> ImportSetResult:
    body = client.request("POST", f"/api/now/import/{staging_table}", json=dict(record), idempotent=False).json()
    items = body.get("result") or []
    first = items[0] if items else {}
    row = ImportRowResult(
        status=str(first.get("status") or "error"),
        sys_id=first.get("sys_id") or None,
        target_table=first.get("table") or None,
        message=first.get("error_message") or first.get("status_message") or None,
    )
    return ImportSetResult(import_set_ids=[str(body.get("import_set") or "")], rows=[row])


def _read_rows(
    client: ServiceNowClient, set_ids: list[str], expected: int, poll_timeout: float
) -> dict[str, list[dict]]:
    """Rows of the import sets grouped by set; polls the sets first when the transform runs async."""
    rows = _fetch_rows(client, set_ids, expected)
    deadline = time.monotonic() + poll_timeout
    delay = 0.2
    while _unfinished(rows, expected):
        if time.monotonic() >= deadline:
            logger.warning("import sets %s not processed after %.0fs", ",".join(set_ids), poll_timeout)
            break
        client.sleep(delay)
        delay = min(delay * 2, 5.0)
        states = client.get_table_page(
            "sys_import_set", "sys_idIN" + ",".join(set_ids), ["sys_id", "state"], limit=len(set_ids)
        ).rows
        if states and all(s.get("state") == "processed" for s in states):
            rows = _fetch_rows(client, set_ids, expected)
            break
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(str(row.get("sys_import_set") or ""), []).append(row)
    return grouped


def _fetch_rows(client: ServiceNowClient, set_ids: list[str], expected: int) -> list[dict]:
    return client.find_rows(
        "sys_import_set_row", "sys_import_setIN" + ",".join(set_ids), ("sys_import_set", *ROW_FIELDS),
        expected=expected,
    )


def _unfinished(rows: list[dict], expected: int) -> bool:
    return len(rows) < expected or any(row.get("sys_import_state") not in FINAL_STATES for row in rows)


def _in_input_order(rows: list[dict], expected: int) -> list[ImportRowResult]:
    numbered = []
    for row in rows:
        try:
            numbered.append((int(str(row.get("sys_import_row") or "")), row))
        except ValueError:
            continue
    # instances number rows from 0 (the docs' example); tolerate a 1-based numbering too
    base = min((n for n, _ in numbered), default=0)
    base = base if base in (0, 1) else 0
    ordered: list[ImportRowResult] = [
        ImportRowResult("error", message="the instance returned no import row for this record")
    ] * expected
    for number, row in numbered:
        index = number - base
        if 0 <= index < expected:
            ordered[index] = _row_result(row)
    return ordered


def _row_result(row: Mapping[str, str]) -> ImportRowResult:
    state = str(row.get("sys_import_state") or "error")
    message = row.get("sys_row_error") or row.get("sys_import_state_comment") or None
    if state not in FINAL_STATES:
        message = f"import row still '{state}' when the poll timed out"
        state = "error"
    return ImportRowResult(
        status=state,
        sys_id=row.get("sys_target_sys_id") or None,
        target_table=row.get("sys_target_table") or None,
        message=str(message) if message else None,
    )
