"""Message builders shared by the unit tests: a tiny M3-shaped run without any network."""

from __future__ import annotations

import decimal
from typing import Any

SCHEMAS = {
    "gl_accounts": ["CONO", "DIVI", "AITP", "AITM"],
    "cost_centers": ["CONO", "DIVI", "AITP", "AITM"],
    "suppliers": ["CONO", "SUNO"],
    "supplier_invoices": ["CONO", "DIVI", "YEA4", "JRNO", "JSNO"],
    "supplier_invoice_lines": ["CONO", "DIVI", "YEA4", "JRNO", "JSNO"],
    "items": ["CONO", "ITNO"],
}


def schema(stream: str) -> dict[str, Any]:
    props = {k: {"type": ["string", "null"]} for k in SCHEMAS[stream]}
    return {"type": "SCHEMA", "stream": stream, "schema": {"type": "object", "properties": props},
            "key_properties": SCHEMAS[stream]}


def record(stream: str, **fields: Any) -> dict[str, Any]:
    return {"type": "RECORD", "stream": stream, "record": {"CONO": "100", "DIVI": "AAA", **fields}}


def gl(code: str, locked: str = "0", divi: str = "AAA") -> dict[str, Any]:
    return record("gl_accounts", DIVI=divi, AITP="1", AITM=code, LCKD=locked)


def cc(code: str, locked: str = "0") -> dict[str, Any]:
    return record("cost_centers", AITP="2", AITM=code, LCKD=locked)


def supplier(suno: str, stat: str = "20") -> dict[str, Any]:
    return {"type": "RECORD", "stream": "suppliers", "record": {"CONO": "100", "SUNO": suno, "STAT": stat}}


def invoice(jrno: int, suno: str = "S1") -> dict[str, Any]:
    return record("supplier_invoices", YEA4=2025, JRNO=jrno, JSNO=1, SUNO=suno, CUAM=decimal.Decimal("10.50"))


def line(jrno: int, jsno: int, account: str = "4000", center: str = "CC1") -> dict[str, Any]:
    return record("supplier_invoice_lines", YEA4=2025, JRNO=jrno, JSNO=jsno, AIT1=account, AIT2=center)


def state(n: int) -> dict[str, Any]:
    return {"type": "STATE", "value": {"n": n}}


REFERENCE_MESSAGES = [schema("suppliers"), supplier("S1"), schema("gl_accounts"), gl("4000"), gl("4999", locked="1"),
                      schema("cost_centers"), cc("CC1")]
