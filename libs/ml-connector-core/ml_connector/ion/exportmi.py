"""EXPORTMI/Select: build `QERY` strings, keyset conditions for composite keys, and read `REPL` rows.

EXPORTMI has no offset, so pages are cut with a lexicographic key-range condition on the file's key
fields, starting after the last row of the previous page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

PROGRAM = "EXPORTMI"
TRANSACTION = "Select"

Value = str | int | Decimal


def literal(value: Value) -> str:
    """An EXPORTMI literal: numbers bare, strings single-quoted with embedded quotes doubled."""
    if isinstance(value, bool):
        msg = "booleans have no EXPORTMI literal"
        raise TypeError(msg)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def compare(column: str, op: str, value: Value) -> str:
    if op not in {"=", "<>", "!=", ">", ">=", "<", "<="}:
        msg = f"unsupported EXPORTMI operator {op!r}"
        raise ValueError(msg)
    return f"{column} {op} {literal(value)}"


def any_of(column: str, values: Iterable[Value]) -> str:
    """`(C = a or C = b)` — EXPORTMI has no IN."""
    parts = [compare(column, "=", v) for v in values]
    if not parts:
        msg = f"any_of({column}) needs at least one value"
        raise ValueError(msg)
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def keyset_after(columns: Sequence[str], values: Sequence[Value]) -> str:
    """Rows strictly after `values` in key order: `(K1 > a) or (K1 = a and K2 > b) or ...`."""
    if len(columns) != len(values) or not columns:
        msg = "keyset_after needs one value per key column"
        raise ValueError(msg)
    branches = []
    for i, column in enumerate(columns):
        equal = [compare(c, "=", v) for c, v in zip(columns[:i], values[:i])]
        branches.append("(" + " and ".join([*equal, compare(column, ">", values[i])]) + ")")
    return branches[0] if len(branches) == 1 else "(" + " or ".join(branches) + ")"


def all_of(conditions: Iterable[str | None]) -> str:
    return " and ".join(c for c in conditions if c)


def build_select(file: str, prefix: str, columns: Sequence[str], where: str | None = None) -> str:
    """`PFCOL1, PFCOL2 from FILE [where ...]` (no SELECT keyword, lowercase from/where)."""
    qery = ", ".join(prefixed(prefix, c) for c in columns) + f" from {file}"
    return f"{qery} where {where}" if where else qery


def prefixed(prefix: str, column: str) -> str:
    return column if column.startswith(prefix) and len(column) == len(prefix) + 4 else f"{prefix}{column}"


def read_repl(
    records: Iterable[dict[str, str]],
    *,
    prefix: str,
    separator: str = ";",
    columns: Sequence[str] | None = None,
) -> tuple[list[str], Iterator[list[str]]]:
    """Column names (unprefixed) and an iterator of value lists, checked for the column count.

    Without `columns` the first record is the header row (`HDRS=1`), so the mapping follows what the
    server actually returned rather than what was asked for.
    """
    rows = iter(records)
    if columns is None:
        header = next(rows, None)
        names = (
            []
            if header is None
            else [_unprefixed(v, prefix) for v in header.get("REPL", "").split(separator)]
        )
    else:
        names = list(columns)
    return names, _values(rows, len(names), separator)


def _unprefixed(name: str, prefix: str) -> str:
    name = name.strip()
    return name[len(prefix) :] if name.startswith(prefix) and len(name) == len(prefix) + 4 else name


def _values(rows: Iterator[dict[str, str]], width: int, separator: str) -> Iterator[list[str]]:
    for record in rows:
        values = record.get("REPL", "").split(separator)
        if len(values) != width:
            msg = (
                f"EXPORTMI row has {len(values)} values for {width} columns; a value contains "
                f"the separator {separator!r}"
            )
            raise ValueError(msg)
        yield values


def parse_rows(
    records: Iterable[dict[str, str]],
    *,
    prefix: str,
    separator: str = ";",
    columns: Sequence[str] | None = None,
) -> Iterator[dict[str, str]]:
    """Turn `{"REPL": "v1;v2"}` records into dicts keyed by unprefixed column names."""
    names, values = read_repl(records, prefix=prefix, separator=separator, columns=columns)
    for row in values:
        yield dict(zip(names, row))
