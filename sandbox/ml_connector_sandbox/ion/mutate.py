"""Admin mutations: change M3 data the way a user would, so incremental syncs have something to pick up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from ml_connector_sandbox.ion.files import ALPHA, AUDIT_FIELDS, DATE, DECIMAL, FILES, NUMBER, M3File, format_value
from ml_connector_sandbox.ion.store import M3Store

_INVOICE_DELTA = Decimal("1.25")
_AUDIT = {name for name, _ in AUDIT_FIELDS}


def _decimal_text(value: Decimal) -> str:
    """Canonical M3 decimal text: plain notation, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _stamp(now: float) -> tuple[int, int]:
    day = dt.datetime.fromtimestamp(now, dt.timezone.utc).date()
    return day.year * 10000 + day.month * 100 + day.day, int(now * 1000)


def _key_dict(file: M3File, row: tuple[Any, ...]) -> dict[str, str]:
    return {k: format_value(file.types[k], v) for k, v in zip(file.keys, row)}


def change_invoices(store: M3Store, count: int, now: float) -> list[dict[str, str]]:
    """Raise the amount of the first `count` AP invoices of company 100 (by key) and reword their lines."""
    if not isinstance(count, int) or count < 0:
        raise ValueError("count must be a non-negative integer")
    head = FILES["FPLEDG"]
    lmdt, lmts = _stamp(now)
    changed = []
    with store.transaction() as conn:
        heads = conn.execute(
            "SELECT CONO, DIVI, YEA4, JRNO, JSNO, CUAM FROM FPLEDG WHERE CONO = 100 AND TRCD = 40 AND JSNO = 1 "
            "ORDER BY CONO, DIVI, YEA4, JRNO, JSNO LIMIT ?",
            (count,),
        ).fetchall()
        for cono, divi, yea4, jrno, jsno, cuam in heads:
            conn.execute(
                "UPDATE FPLEDG SET CUAM = ?, LMDT = ?, LMTS = ?, CHNO = CHNO + 1 "
                "WHERE CONO = ? AND DIVI = ? AND YEA4 = ? AND JRNO = ? AND JSNO = ?",
                (_decimal_text(Decimal(cuam) + _INVOICE_DELTA), lmdt, lmts, cono, divi, yea4, jrno, jsno),
            )
            first = conn.execute(
                "SELECT JSNO, ACAM FROM FGLEDG WHERE CONO = ? AND DIVI = ? AND YEA4 = ? AND JRNO = ? "
                "ORDER BY JSNO LIMIT 1",
                (cono, divi, yea4, jrno),
            ).fetchone()
            if first is not None:
                amount = _decimal_text(Decimal(first[1]) + _INVOICE_DELTA)
                conn.execute(
                    "UPDATE FGLEDG SET ACAM = ?, CUAM = ? WHERE CONO = ? AND DIVI = ? AND YEA4 = ? AND JRNO = ? "
                    "AND JSNO = ?",
                    (amount, amount, cono, divi, yea4, jrno, first[0]),
                )
            conn.execute(
                "UPDATE FGLEDG SET VTXT = 'Revised ' || ? || ' line ' || JSNO, LMDT = ?, LMTS = ?, CHNO = CHNO + 1 "
                "WHERE CONO = ? AND DIVI = ? AND YEA4 = ? AND JRNO = ?",
                (str(lmdt), lmdt, lmts, cono, divi, yea4, jrno),
            )
            changed.append(_key_dict(head, (cono, divi, yea4, jrno, jsno)))
    return changed


def _coerce(file: M3File, name: str, value: object) -> object:
    kind = file.types.get(name)
    if kind is None:
        raise ValueError(f"{file.name} has no field {name}")
    if kind in (NUMBER, DATE):
        try:
            return int(str(value) or 0)
        except ValueError:
            raise ValueError(f"{name} must be an integer") from None
    if kind == DECIMAL:
        try:
            return _decimal_text(Decimal(str(value)))
        except InvalidOperation:
            raise ValueError(f"{name} must be a decimal number") from None
    assert kind == ALPHA
    text = str(value)
    if ";" in text or "|" in text:
        raise ValueError(f"{name}: ';' and '|' would break EXPORTMI rows")
    return text


def set_fields(store: M3Store, file_name: str, key: dict[str, Any], fields: dict[str, Any], now: float) -> list[dict[str, str]]:
    """Edit one record precisely; audit columns are maintained, never set."""
    file = FILES.get(str(file_name).upper())
    if file is None:
        raise ValueError(f"unknown file {file_name}")
    if not isinstance(key, dict) or set(key) != set(file.keys):
        raise ValueError(f"key must have exactly the fields {list(file.keys)}")
    if not isinstance(fields, dict) or not fields:
        raise ValueError("fields must be a non-empty object")
    bad = set(fields) & (set(file.keys) | _AUDIT)
    if bad:
        raise ValueError(f"cannot set key or audit field(s) {sorted(bad)}")
    values = {name: _coerce(file, name, v) for name, v in fields.items()}
    key_values = [_coerce(file, k, key[k]) for k in file.keys]
    lmdt, lmts = _stamp(now)
    assignments = ", ".join(f"{name} = ?" for name in values)
    where = " AND ".join(f"{k} = ?" for k in file.keys)
    with store.transaction() as conn:
        cur = conn.execute(
            f'UPDATE "{file.name}" SET {assignments}, LMDT = ?, LMTS = ?, CHNO = CHNO + 1 WHERE {where}',
            [*values.values(), lmdt, lmts, *key_values],
        )
        if cur.rowcount == 0:
            raise KeyError(f"no {file.name} record with key {key}")
    return [_key_dict(file, tuple(key_values))]


def mutate(store: M3Store, body: dict[str, Any], now: float) -> dict[str, Any]:
    """Dispatch `POST /_sandbox/mutate`."""
    action = body.get("action")
    if action == "change_invoices":
        return {"changed": change_invoices(store, body.get("count", 1), now)}
    if action == "set_fields":
        return {"changed": set_fields(store, body.get("file", ""), body.get("key"), body.get("fields"), now)}
    raise ValueError(f"unknown action {action!r}; use change_invoices or set_fields")
