"""EXPORTMI `QERY` mini-language: tokenizer and recursive-descent parser producing parameterised SQL.

Grammar (what M3 accepts in practice; anything else is refused like M3 refuses it):
    query     := ( "count" "(" "#" ")" | column ("," column)* ) "from" FILE [ "where" or_expr ]
    or_expr   := and_expr ("or" and_expr)*
    and_expr  := primary ("and" primary)*
    primary   := "(" or_expr ")" | column OP literal
    OP        := = | <> | != | > | >= | < | <=
    literal   := 'quoted string' ('' escapes a quote) | integer | decimal
Columns carry the file's two-letter prefix (`IDSUNO`); `*` is not allowed. Conditions on the company column
(`IDCONO = 200`) are ignored: rows always come from the company of the call (`cono`), as on a real grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ml_connector_sandbox.ion.files import ALPHA, DECIMAL, FILES, M3File

_MAX_DEPTH = 32
_LMDT_MARK = "\x00LMDT"  # placeholder in generated SQL, resolved once the access path is chosen
_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^']|'')*')
      | (?P<num>-?\d+(?:\.\d+)?)(?![A-Za-z_])
      | (?P<op><>|!=|>=|<=|=|<|>)
      | (?P<punct>[(),#*])
      | (?P<ident>[A-Za-z0-9_$@]+)
    )""",
    re.VERBOSE,
)


class QueryError(ValueError):
    """A QERY M3 would refuse; the message becomes the MI error message."""


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    pos: int


@dataclass
class ExportQuery:
    """A parsed QERY: what to select from which file, and the WHERE clause as SQL with parameters."""

    file: M3File
    columns: list[str] = field(default_factory=list)  # stored column names, in request order
    headers: list[str] = field(default_factory=list)  # the prefixed names as requested
    count: bool = False
    where_sql: str = ""
    params: list[Any] = field(default_factory=list)
    # Top-level `LMDT <op> value` conjuncts: they decide whether the change-date index beats a key-order scan.
    lmdt_bounds: list[tuple[str, Any]] = field(default_factory=list)

    def probe_sql(self, company: int, cutoff: int) -> tuple[str, list[Any]] | None:
        """A cheap index-only count (stopping at `cutoff`) of the rows inside the LMDT bounds, if any."""
        if not self.lmdt_bounds:
            return None
        conds = "".join(f" AND LMDT {op} ?" for op, _ in self.lmdt_bounds)
        sql = (
            f'SELECT count(*) FROM (SELECT 1 FROM "{self.file.name}" INDEXED BY "{self.file.name}_LMDT" '
            f"WHERE CONO = ?{conds} LIMIT ?)"
        )
        return sql, [company, *(v for _, v in self.lmdt_bounds), cutoff]

    def sql(self, company: int, limit: int | None, *, by_change_date: bool = False) -> tuple[str, list[Any]]:
        """The SELECT for the caller's company in primary-key order (M3 ignores any CONO in the query).

        `by_change_date` reads through the LMDT index and sorts, which wins when few rows changed recently."""
        # Decide the access path ourselves (SQLite's guess at range selectivity is often wrong here):
        # `+LMDT` keeps the LMDT index out of play so rows stream in key order.
        where_sql = self.where_sql.replace(_LMDT_MARK, "LMDT" if by_change_date else "+LMDT")
        where = "CONO = ?" + (f" AND ({where_sql})" if where_sql else "")
        params: list[Any] = [company, *self.params]
        table = f'"{self.file.name}"'
        if by_change_date:
            table += f' INDEXED BY "{self.file.name}_LMDT"'
        if self.count:
            return f"SELECT count(*) FROM {table} WHERE {where}", params
        sql = f"SELECT {', '.join(self.columns)} FROM {table} WHERE {where} ORDER BY {', '.join(self.file.keys)}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return sql, params


def tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN_RE.match(text, pos)
        if m is None or m.lastgroup is None:
            raise QueryError(f"Invalid character at position {pos + 1} in query")
        tokens.append(_Tok(m.lastgroup, m.group(m.lastgroup), m.start(m.lastgroup)))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.query: ExportQuery | None = None
        # the plain `column op value` terms of the last primary / conjunction parsed (None: not all plain)
        self._primary_terms: list[tuple[str, str, Any]] | None = None
        self._terms: list[tuple[str, str, Any]] | None = None

    def peek(self, offset: int = 0) -> _Tok | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise QueryError("Unexpected end of query")
        self.i += 1
        return tok

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "ident" and tok.text.lower() == word

    def expect_word(self, word: str) -> None:
        tok = self.take()
        if tok.kind != "ident" or tok.text.lower() != word:
            raise QueryError(f"Expected '{word}' at position {tok.pos + 1}, found '{tok.text}'")

    def expect_punct(self, char: str) -> None:
        tok = self.take()
        if tok.text != char:
            raise QueryError(f"Expected '{char}' at position {tok.pos + 1}, found '{tok.text}'")

    def parse(self) -> ExportQuery:
        count = False
        requested: list[str] = []
        nxt = self.peek(1)
        if self.is_word("count") and nxt is not None and nxt.text == "(":
            self.take()
            self.expect_punct("(")
            self.expect_punct("#")
            self.expect_punct(")")
            count = True
        else:
            requested.append(self.column_token())
            while (tok := self.peek()) is not None and tok.text == ",":
                self.take()
                requested.append(self.column_token())
        self.expect_word("from")
        name = self.take()
        file = FILES.get(name.text.upper()) if name.kind == "ident" else None
        if file is None:
            raise QueryError(f"File {name.text} does not exist")
        self.query = ExportQuery(file=file, count=count)
        for col in requested:
            self.query.columns.append(self.resolve(col))
            self.query.headers.append(col.upper())
        if self.is_word("where"):
            self.take()
            self.query.where_sql, self.query.lmdt_bounds = self.or_expr(0)
        if (tok := self.peek()) is not None:
            raise QueryError(f"Unexpected '{tok.text}' at position {tok.pos + 1}")
        return self.query

    def column_token(self) -> str:
        tok = self.take()
        if tok.text == "*":
            raise QueryError("Column list * is not allowed, name the fields")
        if tok.kind != "ident" or tok.text.lower() in ("from", "where", "and", "or"):
            raise QueryError(f"Expected a field name at position {tok.pos + 1}, found '{tok.text}'")
        return tok.text

    def resolve(self, prefixed: str) -> str:
        assert self.query is not None
        column = self.query.file.column_for(prefixed)
        if column is None:
            raise QueryError(f"Field {prefixed.upper()} does not exist in file {self.query.file.name}")
        return column

    def or_expr(self, depth: int) -> tuple[str, list[tuple[str, Any]]]:
        """SQL of the disjunction, and its LMDT bounds when it is a plain conjunction."""
        assert self.query is not None
        first_param = len(self.query.params)
        sql, bounds = self.and_expr(depth)
        parts, branches = [sql], [self._terms]
        while self.is_word("or"):
            self.take()
            parts.append(self.and_expr(depth)[0])
            branches.append(self._terms)
        keyset = _keyset_after(branches)
        self._terms = branches[0] if len(branches) == 1 else None
        if keyset is not None:  # the same rows, said so that SQLite seeks the primary key instead of scanning
            columns, values = keyset
            del self.query.params[first_param:]
            self.query.params.extend(values)
            return f"({', '.join(columns)}) > ({', '.join('?' * len(values))})", []
        return " OR ".join(parts), (bounds if len(parts) == 1 else [])

    def and_expr(self, depth: int) -> tuple[str, list[tuple[str, Any]]]:
        parts: list[str] = []
        bounds: list[tuple[str, Any]] = []
        terms: list[tuple[str, str, Any]] | None = []
        while True:
            sql, bound = self.primary(depth)
            parts.append(sql)
            terms = None if terms is None or self._primary_terms is None else [*terms, *self._primary_terms]
            if bound is not None:
                bounds.append(bound)
            if not self.is_word("and"):
                self._terms = terms
                return " AND ".join(parts), bounds
            self.take()

    def primary(self, depth: int) -> tuple[str, tuple[str, Any] | None]:
        assert self.query is not None
        self._primary_terms = None
        tok = self.peek()
        if tok is not None and tok.text == "(":
            if depth >= _MAX_DEPTH:
                raise QueryError("Query is nested too deeply")
            self.take()
            inner, _ = self.or_expr(depth + 1)
            self.expect_punct(")")
            self._primary_terms = self._terms  # a bracketed plain conjunction stays usable as terms
            return f"({inner})", None
        column = self.resolve(self.column_token())
        op_tok = self.take()
        if op_tok.kind != "op":
            raise QueryError(f"Expected an operator at position {op_tok.pos + 1}, found '{op_tok.text}'")
        op = "<>" if op_tok.text == "!=" else op_tok.text
        lit = self.take()
        kind = self.query.file.types[column]
        if lit.kind == "str":
            value: Any = lit.text[1:-1].replace("''", "'")
        elif lit.kind == "num":
            value = lit.text if kind == ALPHA else (float(lit.text) if "." in lit.text else int(lit.text))
        else:
            raise QueryError(f"Expected a value at position {lit.pos + 1}, found '{lit.text}'")
        if column == "CONO":  # EXPORTMI runs in the caller's company; a CONO condition in the query is void
            return "1 = 1", None
        self.query.params.append(value)
        if kind == DECIMAL:  # decimals are stored as text; compare them as numbers
            return f"CAST({column} AS REAL) {op} CAST(? AS REAL)", None
        if column == "LMDT":
            return f"{_LMDT_MARK} {op} ?", (None if op == "<>" else (op, value))
        self._primary_terms = [(column, op, value)]
        return f"{column} {op} ?", None


def _keyset_after(branches: list[list[tuple[str, str, Any]] | None]) -> tuple[list[str], list[Any]] | None:
    """`(A > a) or (A = a and B > b) or ...` (what a keyset pager sends) as columns and values, else None."""
    if len(branches) < 2 or any(b is None for b in branches):
        return None
    last = branches[-1]
    assert last is not None
    columns, values = [c for c, _, _ in last], [v for _, _, v in last]
    if len(set(columns)) != len(columns):
        return None
    for i, branch in enumerate(branches):
        expected = [(columns[j], "=", values[j]) for j in range(i)] + [(columns[i], ">", values[i])]
        if branch != expected:
            return None
    return columns, values


def parse_query(text: str) -> ExportQuery:
    """Parse a QERY or raise QueryError with an M3-style message."""
    if not text.strip():
        raise QueryError("Query must be entered")
    return _Parser(text).parse()
