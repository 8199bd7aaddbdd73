"""Encoded-query parser: `sysparm_query` → a parameterised SQL WHERE clause and ORDER BY.

Like a real instance with default properties, parts naming unknown fields are silently dropped (a typo widens
the result instead of failing), which is exactly the trap a client must not fall into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ml_connector_sandbox.servicenow.catalog import Catalog
from ml_connector_sandbox.servicenow.catalog_types import Table
from ml_connector_sandbox.servicenow.store import q

_FIELD = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)?")
# Longest first so "NOT IN" wins over "IN" and ">=" over ">".
_OPERATORS = (
    "ISNOTEMPTY",
    "ISEMPTY",
    "NOT LIKE",
    "NOT IN",
    "STARTSWITH",
    "ENDSWITH",
    "LIKE",
    "IN",
    "!=",
    ">=",
    "<=",
    "=",
    ">",
    "<",
)
USER_ID_JS = "javascript:gs.getUserID()"


@dataclass
class SqlQuery:
    where: str = ""
    params: list[Any] = field(default_factory=list)
    order: str = ""


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class QueryParser:
    """Translate encoded queries against one table of the catalogue."""

    def __init__(self, catalog: Catalog, user_sys_id: str) -> None:
        self.catalog = catalog
        self.user_sys_id = user_sys_id

    def parse(self, table: Table, encoded: str) -> SqlQuery:
        params: list[Any] = []
        orders: list[str] = []
        blocks: list[str] = []
        match_all = False
        for block in encoded.split("^NQ") if encoded else []:
            groups: list[list[str]] = []
            for token in block.split("^"):
                if token.startswith("ORDERBYDESC"):
                    self._order(table, token[11:], "DESC", orders)
                elif token.startswith("ORDERBY"):
                    self._order(table, token[7:], "ASC", orders)
                elif token.startswith("OR") and groups:  # field names are lower case, so "OR" is the operator
                    sql = self._condition(table, token[2:], params)
                    if sql:
                        groups[-1].append(sql)
                elif token and token != "EQ":
                    sql = self._condition(table, token, params)
                    if sql:
                        groups.append([sql])
            if groups:
                blocks.append(" AND ".join("(" + " OR ".join(g) + ")" for g in groups))
            else:
                match_all = True  # a block whose every part was dropped matches everything
        if match_all or not blocks:
            return SqlQuery("", [], ", ".join(orders))
        return SqlQuery(" OR ".join(f"({b})" for b in blocks), params, ", ".join(orders))

    # --- pieces ------------------------------------------------------------------------------------------

    def _column_sql(self, table: Table, name: str) -> tuple[str, Table | None, str] | None:
        """Resolve a (possibly dot-walked) field: (outer column SQL, referenced table, referenced column)."""
        if "." in name:
            ref_col, _, sub = name.partition(".")
            col = table.column(ref_col)
            ref = self.catalog.get(col.reference) if col is not None and col.reference else None
            if ref is None or ref.column(sub) is None:
                return None
            return f"t.{q(ref_col)}", ref, sub
        if table.column(name) is None:
            return None
        return f"t.{q(name)}", None, name

    def _order(self, table: Table, name: str, direction: str, orders: list[str]) -> None:
        resolved = self._column_sql(table, name)
        if resolved is None:
            return
        outer, ref, sub = resolved
        if ref is None:
            orders.append(f"{outer} {direction}")
        else:
            orders.append(f"(SELECT r.{q(sub)} FROM {q(ref.name)} AS r WHERE r.sys_id = {outer}) {direction}")

    def _condition(self, table: Table, token: str, params: list[Any]) -> str | None:
        match = _FIELD.match(token)
        if match is None:
            return None
        name, rest = match.group(0), token[match.end() :]
        op = next((o for o in _OPERATORS if rest.startswith(o)), None)
        if op is None:
            return None
        value = rest[len(op) :]
        resolved = self._column_sql(table, name)
        if resolved is None:
            return None
        outer, ref, sub = resolved
        if value == USER_ID_JS:
            value = self.user_sys_id
        col = f"{q(sub)}" if ref is not None else outer
        sql, values = self._predicate(col, op, value)
        if ref is not None:
            sql = f"{outer} IN (SELECT sys_id FROM {q(ref.name)} WHERE {sql})"
        params.extend(values)
        return sql

    @staticmethod
    def _predicate(col: str, op: str, value: str) -> tuple[str, list[Any]]:
        if op == "ISEMPTY":
            return f"{col} = ''", []
        if op == "ISNOTEMPTY":
            return f"{col} != ''", []
        # ServiceNow compares strings case-insensitively; COLLATE NOCASE says so and lets SQLite use the
        # (NOCASE) indexes, so a lookup stays O(log n) at 1M rows instead of scanning the table
        if op in ("IN", "NOT IN"):
            items = value.split(",")
            marks = ", ".join("?" * len(items))
            return f"{col} COLLATE NOCASE {op} ({marks})", items
        if op in ("LIKE", "NOT LIKE", "STARTSWITH", "ENDSWITH"):
            escaped = _like_escape(value)
            pattern = {"STARTSWITH": f"{escaped}%", "ENDSWITH": f"%{escaped}"}.get(op, f"%{escaped}%")
            sql_op = "NOT LIKE" if op == "NOT LIKE" else "LIKE"
            return f"{col} {sql_op} ? ESCAPE '\\'", [pattern]
        return f"{col} COLLATE NOCASE {op} ?", [value]
