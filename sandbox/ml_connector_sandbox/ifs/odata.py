"""OData v4 system query options as IFS serves them: `$filter` → SQL, `$orderby`, `$select`, `Prefer`.

Supported in `$filter`: `eq ne gt ge lt le`, `and`, `or`, `not`, parentheses, `null`, `true`/`false`,
string literals ('' escapes a quote), numbers, `Edm.Date` (2026-01-01) and `Edm.DateTimeOffset`
(2026-01-01T00:00:00Z, offsets allowed) literals, and enum literals (IfsApp.X.Enum'Member').
An unknown property is a 400 "Malformed Request." with the detail text IFS sends.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ml_connector_sandbox.ifs.catalog import BOOL, DATE, DEC, DTS, INT, STR

_OPS = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<lp>\()|(?P<rp>\))
    |(?P<enum>[A-Za-z_][\w.]*'(?:[^']|'')*')
    |(?P<str>'(?:[^']|'')*')
    |(?P<dts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))
    |(?P<date>\d{4}-\d{2}-\d{2})
    |(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    |(?P<name>[A-Za-z_]\w*)
    )""",
    re.VERBOSE,
)


class ODataError(Exception):
    """An error answered in the IFS body shape: {"error": {"code", "message", "details": [...]}}."""

    def __init__(self, status: int, code: str, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.detail:
            error["details"] = [{"code": self.code, "message": self.detail}]
        return {"error": error}


def malformed(detail: str) -> ODataError:
    return ODataError(400, "ODP_MALFORMED_REQUEST", "Malformed Request.", detail)


def unknown_property(name: str, type_name: str) -> ODataError:
    return malformed(f"The property '{name}', used in a query expression, is not defined in type '{type_name}'.")


def normalise_timestamp(text: str) -> str:
    """A DateTimeOffset literal as the stored UTC text (second resolution, `Z`)."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Operand:
    kind: str  # "prop", "lit", "bool-expr"
    sql: str
    edm: str | None = None
    params: list[Any] = field(default_factory=list)
    literal: str | None = None  # token kind of a literal


class FilterParser:
    """Recursive descent over the tokens; builds a parameterised SQL condition."""

    def __init__(self, text: str, fields: dict[str, str], type_name: str) -> None:
        self.fields, self.type_name = fields, type_name
        self.tokens = self._tokenise(text)
        self.pos = 0

    @staticmethod
    def _tokenise(text: str) -> list[tuple[str, str]]:
        tokens, pos = [], 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise malformed(f"Syntax error at position {pos} in $filter.")
            kind = m.lastgroup or ""
            tokens.append((kind, m.group(kind)))
            pos = m.end()
        return tokens

    def parse(self) -> tuple[str, list[Any]]:
        result = self._or()
        if self.pos != len(self.tokens):
            raise malformed(f"Syntax error near '{self.tokens[self.pos][1]}' in $filter.")
        if result.kind != "bool-expr":
            raise malformed("The $filter expression must evaluate to a boolean.")
        return result.sql, result.params

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _keyword(self, word: str) -> bool:
        tok = self._peek()
        if tok and tok[0] == "name" and tok[1] == word:
            self.pos += 1
            return True
        return False

    def _or(self) -> _Operand:
        left = self._and()
        while self._keyword("or"):
            right = self._and()
            left = _Operand("bool-expr", f"({left.sql} OR {right.sql})", params=left.params + right.params)
        return left

    def _and(self) -> _Operand:
        left = self._not()
        while self._keyword("and"):
            right = self._not()
            left = _Operand("bool-expr", f"({left.sql} AND {right.sql})", params=left.params + right.params)
        return left

    def _not(self) -> _Operand:
        if self._keyword("not"):
            inner = self._not()
            return _Operand("bool-expr", f"(NOT {inner.sql})", params=inner.params)
        return self._comparison()

    def _comparison(self) -> _Operand:
        left = self._primary()
        tok = self._peek()
        if tok and tok[0] == "name" and tok[1] in _OPS:
            self.pos += 1
            return self._compare(left, tok[1], self._primary())
        if left.kind == "prop" and left.edm == BOOL:
            return _Operand("bool-expr", f"({left.sql} = 1)")
        return left

    def _primary(self) -> _Operand:
        tok = self._peek()
        if tok is None:
            raise malformed("Unexpected end of $filter.")
        self.pos += 1
        kind, text = tok
        if kind == "lp":
            inner = self._or()
            if self._peek() != ("rp", ")"):
                raise malformed("Missing ')' in $filter.")
            self.pos += 1
            return inner
        if kind == "name":
            if text in ("true", "false"):
                return _Operand("lit", "?", BOOL, [1 if text == "true" else 0], "bool")
            if text == "null":
                return _Operand("lit", "NULL", None, [], "null")
            if text not in self.fields:
                raise unknown_property(text, self.type_name)
            return _Operand("prop", text, self.fields[text])
        if kind in ("str", "enum"):
            value = text[text.index("'") + 1 : -1].replace("''", "'")
            return _Operand("lit", "?", STR, [value], kind)
        if kind == "dts":
            return _Operand("lit", "?", DTS, [normalise_timestamp(text)], kind)
        if kind == "date":
            return _Operand("lit", "?", DATE, [text], kind)
        if kind == "num":
            number = float(text) if any(c in text for c in ".eE") else int(text)
            return _Operand("lit", "?", DEC, [number], kind)
        raise malformed(f"Unexpected '{text}' in $filter.")

    def _compare(self, left: _Operand, op: str, right: _Operand) -> _Operand:
        if left.kind == "lit" and right.kind == "prop":
            left, right = right, left
            op = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}.get(op, op)
        if right.literal == "null" or left.literal == "null":
            other = left if right.literal == "null" else right
            if op not in ("eq", "ne"):
                raise malformed("null can only be compared with eq or ne.")
            return _Operand("bool-expr", f"({other.sql} IS {'NOT ' if op == 'ne' else ''}NULL)", params=other.params)
        if left.kind != "prop":
            raise malformed("A comparison needs a property on one side.")
        column = left.sql
        if right.kind == "prop":
            _check_types(left.edm, right.edm)
            rhs, params = right.sql, []
        else:
            _check_types(left.edm, right.edm, right.literal)
            rhs, params = "?", right.params
        if left.edm == DEC:
            column, rhs = f"CAST({column} AS REAL)", rhs if rhs == "?" else f"CAST({rhs} AS REAL)"
        return _Operand("bool-expr", f"({column} {_OPS[op]} {rhs})", params=params)


def _check_types(prop: str | None, other: str | None, literal: str | None = None) -> None:
    numeric = {INT, DEC}
    if prop in numeric and other in numeric:
        return
    if prop == other:
        return
    raise malformed(f"The types '{prop}' and '{other if literal != 'enum' else 'Edm.Enum'}' are not compatible.")


def parse_filter(text: str, fields: dict[str, str], type_name: str) -> tuple[str, list[Any]]:
    return FilterParser(text, fields, type_name).parse()


def parse_orderby(text: str, fields: dict[str, str], type_name: str) -> list[tuple[str, bool]]:
    """`A desc, B` → [("A", True), ("B", False)]; unknown properties are a 400."""
    out = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise malformed(f"Invalid $orderby clause '{part.strip()}'.")
        if words[0] not in fields:
            raise unknown_property(words[0], type_name)
        out.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    return out


def parse_select(text: str, fields: dict[str, str], type_name: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if name not in fields:
            raise unknown_property(name, type_name)
    return list(dict.fromkeys(names))


def parse_int_option(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit():
        raise malformed(f"The value '{value}' of {name} is not a non-negative integer.")
    return int(value)


def prefer_maxpagesize(header: str | None) -> int | None:
    """`Prefer: odata.maxpagesize=N` (other preferences ignored)."""
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "odata.maxpagesize" and value.strip().isdigit():
            return max(int(value.strip()), 1)
    return None
