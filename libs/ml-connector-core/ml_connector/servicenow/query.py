"""Encoded-query builder: ServiceNow silently drops malformed query parts, so values are made safe here once.

An encoded query has no escape for `^` (it separates conditions) and an IN list none for `,`. Such values are
widened to `LIKE` on their longest safe segment, so the query returns a superset: callers that look rows up by
value (query-before-insert, reference lookups) compare the returned rows exactly anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _safe_segment(value: str) -> str:
    segments = [s for s in value.replace(",", "^").split("^") if s]
    return max(segments, key=len) if segments else ""


def _condition(field: str, operator: str, value: Any) -> str:
    text = str(value)
    if "^" not in text:
        return f"{field}{operator}{text}"
    if operator != "=":
        raise ValueError(f"cannot express {field}{operator}{text!r} in an encoded query ('^' in the value)")
    segment = _safe_segment(text)
    return f"{field}LIKE{segment}" if segment else f"{field}ISNOTEMPTY"


class Query:
    """Fluent builder for `sysparm_query` strings (`^` AND, `^OR`, `^NQ`, ORDERBY)."""

    def __init__(self) -> None:
        self._blocks: list[list[str]] = [[]]
        self._order: list[str] = []

    def _add(self, condition: str) -> Query:
        self._blocks[-1].append(condition)
        return self

    def eq(self, field: str, value: Any) -> Query:
        return self._add(_condition(field, "=", value))

    def ne(self, field: str, value: Any) -> Query:
        return self._add(_condition(field, "!=", value))

    def gt(self, field: str, value: Any) -> Query:
        return self._add(_condition(field, ">", value))

    def ge(self, field: str, value: Any) -> Query:
        return self._add(_condition(field, ">=", value))

    def lt(self, field: str, value: Any) -> Query:
        return self._add(_condition(field, "<", value))

    def is_empty(self, field: str) -> Query:
        return self._add(f"{field}ISEMPTY")

    def is_not_empty(self, field: str) -> Query:
        return self._add(f"{field}ISNOTEMPTY")

    def in_(self, field: str, values: Iterable[Any]) -> Query:
        """`fieldINa,b`; values holding `,` or `^` become `^OR` alternatives (`=` or a widening LIKE)."""
        plain: list[str] = []
        awkward: list[str] = []
        for value in dict.fromkeys(str(v) for v in values):
            (awkward if "," in value or "^" in value else plain).append(value)
        parts: list[str] = []
        if plain:
            parts.append(f"{field}IN{','.join(plain)}")
        parts.extend(_condition(field, "=", v) for v in awkward)
        if not parts:
            # an empty IN must match nothing, never everything (dropped parts widen the query)
            parts.append(f"{field}ISEMPTY^{field}ISNOTEMPTY")
        return self._add("^OR".join(parts))

    def or_eq(self, field: str, value: Any) -> Query:
        """OR the next condition with the previous one (`^OR` binds tighter than `^`)."""
        if not self._blocks[-1]:
            return self.eq(field, value)
        self._blocks[-1][-1] += f"^OR{_condition(field, '=', value)}"
        return self

    def new_query(self) -> Query:
        """Start a `^NQ` block: rows matching either block are returned."""
        if self._blocks[-1]:
            self._blocks.append([])
        return self

    def order_by(self, field: str, *, descending: bool = False) -> Query:
        self._order.append(f"ORDERBYDESC{field}" if descending else f"ORDERBY{field}")
        return self

    def copy(self) -> Query:
        clone = Query()
        clone._blocks = [list(block) for block in self._blocks]
        clone._order = list(self._order)
        return clone

    def build(self) -> str:
        blocks = ["^".join(block) for block in self._blocks if block]
        text = "^NQ".join(blocks)
        order = "^".join(self._order)
        return f"{text}^{order}" if text and order else text or order

    def __str__(self) -> str:
        return self.build()
