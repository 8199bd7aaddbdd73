"""Admin mutations: change IFS data the way a user would, so incremental syncs have something to pick up.

Every change sets `Rowversion` to now, which also changes the row's ETag.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ml_connector_sandbox.ifs.catalog import CHANGE_FIELD, DEC, ENTITY_SETS, INT, BOOL, EntitySet
from ml_connector_sandbox.ifs.seed import timestamp
from ml_connector_sandbox.ifs.store import IfsStore

_DELTA = Decimal("1.25")


def _plus(text: str | None) -> str:
    value = Decimal(text or "0") + _DELTA
    out = format(value, "f")
    return out.rstrip("0").rstrip(".") if "." in out else out


def change_invoices(store: IfsStore, count: Any, now: float, company: str | None = None) -> list[dict[str, Any]]:
    """Raise the first `count` invoices (by Company, InvoiceId) by 1.25 and touch all their lines."""
    if not isinstance(count, int) or count < 0:
        raise ValueError("count must be a non-negative integer")
    stamp = timestamp(int(now))
    where, args = ("WHERE Company = ?", [company]) if company else ("", [])
    changed = []
    with store.transaction() as conn:
        heads = conn.execute(
            f"SELECT Company, InvoiceId, NetCurrAmount, GrossCurrAmount FROM supplier_invoices {where} "
            "ORDER BY Company, InvoiceId LIMIT ?", [*args, count]).fetchall()
        for comp, invoice_id, net, gross in heads:
            conn.execute(
                "UPDATE supplier_invoices SET NetCurrAmount = ?, GrossCurrAmount = ?, Rowversion = ? "
                "WHERE Company = ? AND InvoiceId = ?", (_plus(net), _plus(gross), stamp, comp, invoice_id))
            conn.execute(
                "UPDATE supplier_invoice_lines SET NetCurrAmount = CASE WHEN ItemId = 1 THEN ? ELSE NetCurrAmount "
                "END, Rowversion = ? WHERE Company = ? AND InvoiceId = ?",
                (_plus(conn.execute("SELECT NetCurrAmount FROM supplier_invoice_lines WHERE Company = ? AND "
                                    "InvoiceId = ? AND ItemId = 1", (comp, invoice_id)).fetchone()[0]),
                 stamp, comp, invoice_id))
            changed.append({"Company": comp, "InvoiceId": invoice_id})
    return changed


def _find_set(name: str) -> EntitySet:
    for s in ENTITY_SETS.values():
        if name in (s.table, s.name):
            return s
    raise ValueError(f"unknown entity set {name!r}")


def _coerce(s: EntitySet, name: str, value: Any) -> Any:
    kind = s.fields.get(name)
    if kind is None:
        raise ValueError(f"{s.name} has no field {name}")
    if value is None:
        return None
    try:
        if kind == INT:
            return int(value)
        if kind == BOOL:
            return 1 if value else 0
        if kind == DEC:
            return format(Decimal(str(value)), "f")
    except (ValueError, InvalidOperation):
        raise ValueError(f"{name}: {value!r} is not a valid {kind}") from None
    return str(value)


def set_fields(store: IfsStore, set_name: str, key: Any, fields: Any, now: float) -> list[dict[str, Any]]:
    """Edit one row precisely; Rowversion is maintained, never set."""
    s = _find_set(str(set_name))
    if not isinstance(key, dict) or set(key) != set(s.keys):
        raise ValueError(f"key must have exactly the fields {list(s.keys)}")
    if not isinstance(fields, dict) or not fields:
        raise ValueError("fields must be a non-empty object")
    if set(fields) & {*s.keys, CHANGE_FIELD}:
        raise ValueError("cannot set key fields or Rowversion")
    values = {name: _coerce(s, name, v) for name, v in fields.items()}
    key_values = [_coerce(s, k, key[k]) for k in s.keys]
    assignments = ", ".join(f"{name} = ?" for name in values)
    with store.transaction() as conn:
        cur = conn.execute(
            f'UPDATE "{s.table}" SET {assignments}, {CHANGE_FIELD} = ? WHERE '
            + " AND ".join(f"{k} = ?" for k in s.keys),
            [*values.values(), timestamp(int(now)), *key_values])
        if cur.rowcount == 0:
            raise KeyError(f"no {s.name} row with key {key}")
    return [dict(zip(s.keys, key_values))]


def mutate(store: IfsStore, body: dict[str, Any], now: float) -> dict[str, Any]:
    """Dispatch `POST /_sandbox/mutate`."""
    action = body.get("action")
    if action == "change_invoices":
        return {"changed": change_invoices(store, body.get("count", 1), now, body.get("company"))}
    if action == "set_fields":
        return {"changed": set_fields(store, body.get("entity_set", ""), body.get("key"), body.get("fields"), now)}
    raise ValueError(f"unknown action {action!r}; use change_invoices or set_fields")
