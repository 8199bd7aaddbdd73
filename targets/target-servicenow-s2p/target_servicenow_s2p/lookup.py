"""Query-before-insert: one batched read of the target table by coalesce keys, so rows that are already
there (staged by another tool, or written by a run that died before the ledger commit) cost no write."""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ml_connector.servicenow import Query, ServiceNowClient

from target_servicenow_s2p.mapping import StreamMapping

MAX_QUERY_CHARS = 6000


@dataclass(frozen=True)
class ExistingRow:
    sys_id: str
    matches: bool  # every readable target column already holds the value the transform would write


def _normal(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if text.endswith(" 00:00:00"):
        text = text[:-9]
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation:
        return text
    return format(number.normalize(), "f") if number.is_finite() else text


def same_values(mapping: StreamMapping, row: Mapping[str, str], existing: Mapping[str, Any]) -> bool:
    for column, target in mapping.target_fields.items():
        if target.column not in existing:
            continue  # not readable (ACL, unknown column, no dot-walk): the ledger hash still guards it
        if _normal(target.expected(row.get(column, ""))) != _normal(existing[target.column]):
            return False
    return True


def _group_column(mapping: StreamMapping) -> str | None:
    for column in mapping.key_columns:
        if column.endswith("erp_source"):
            return column
    return None


def _queries(mapping: StreamMapping, rows: Sequence[Mapping[str, str]], budget: int) -> list[str]:
    """Encoded queries covering `rows`: `=` on the ERP source, IN on the other keys, split to fit a URL."""
    group = _group_column(mapping)
    groups: dict[str, list[Mapping[str, str]]] = defaultdict(list)
    for row in rows:
        groups[row.get(group, "") if group else ""].append(row)
    result: list[str] = []

    def build(group_value: str, chunk: Sequence[Mapping[str, str]]) -> None:
        query = Query()
        for column in mapping.key_columns:
            target = mapping.target_fields[column].column
            if column == group:
                query.eq(target, group_value)
            else:
                query.in_(target, [r[column] for r in chunk])
        text = query.build()
        if len(text) > budget and len(chunk) > 1:
            half = len(chunk) // 2
            build(group_value, chunk[:half])
            build(group_value, chunk[half:])
        else:
            result.append(text)

    for group_value, chunk in groups.items():
        build(group_value, chunk)
    return result


def find_existing(
    client: ServiceNowClient, mapping: StreamMapping, rows: Sequence[Mapping[str, str]]
) -> dict[int, ExistingRow]:
    """{index in rows: ExistingRow} for the rows whose coalesce key already exists in the target table."""
    key_columns = mapping.target_key_columns()
    if not rows or mapping.target_table is None or key_columns is None:
        return {}
    fields = ["sys_id", *dict.fromkeys(t.column for t in mapping.target_fields.values())]
    budget = MAX_QUERY_CHARS - len(",".join(fields)) - len(mapping.target_table) - 200
    found: dict[tuple[str, ...], Mapping[str, Any]] = {}
    for query in _queries(mapping, rows, budget):
        for existing in client.find_rows(mapping.target_table, query, fields, expected=len(rows)):
            key = tuple(str(existing.get(c, "")) for c in key_columns)
            found.setdefault(key, existing)
    answer: dict[int, ExistingRow] = {}
    for index, row in enumerate(rows):
        existing = found.get(mapping.key_of(row))
        if existing is not None:
            answer[index] = ExistingRow(str(existing.get("sys_id", "")), same_values(mapping, row, existing))
    return answer
