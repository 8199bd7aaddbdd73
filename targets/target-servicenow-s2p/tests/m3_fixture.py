"""Deterministic M3-shaped Singer messages for every stream (the field names tap-infor-cloudsuite emits)."""

from __future__ import annotations

import msgspec
from decimal import Decimal
from pathlib import Path
from typing import Any

STR = {"type": ["string", "null"]}
INT = {"type": ["integer", "null"]}
NUM = {"type": ["number", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}

KEYS = {
    "suppliers": ["CONO", "SUNO"],
    "gl_accounts": ["CONO", "DIVI", "AITP", "AITM"],
    "cost_centers": ["CONO", "DIVI", "AITP", "AITM"],
    "purchase_orders": ["CONO", "PUNO"],
    "purchase_order_lines": ["CONO", "PUNO", "PNLI", "PNLS"],
    "supplier_invoices": ["CONO", "DIVI", "YEA4", "JRNO", "JSNO"],
    "supplier_invoice_lines": ["CONO", "DIVI", "YEA4", "JRNO", "JSNO"],
    "payments": ["CONO", "DIVI", "YEA4", "JRNO", "JSNO"],
    "customers": ["CONO", "CUNO"],
}


def _schema(record: dict[str, Any]) -> dict[str, Any]:
    props = {}
    for name, value in record.items():
        if isinstance(value, bool):
            props[name] = {"type": ["boolean", "null"]}
        elif isinstance(value, int):
            props[name] = INT
        elif isinstance(value, (float, Decimal)):
            props[name] = NUM
        elif name in ("PUDT", "DWDT", "IVDT", "DUDT", "ACDT"):
            props[name] = DATE
        else:
            props[name] = STR
    return {"type": "object", "properties": props}


def dataset(*, suppliers: int = 6, orders: int = 4, invoices: int = 6, lines_per_invoice: int = 2,
            cono: str = "100", divi: str = "AAA") -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = {k: [] for k in KEYS}
    names = ["Müller GmbH", "Société Générale, SA", "Łódź Sp. z o.o.", "東京商事", "Acme^Supply", "Plain Co"]
    for i in range(suppliers):
        data["suppliers"].append({
            "CONO": cono, "SUNO": f"S{i:04d}", "SUNM": names[i % len(names)], "STAT": "90" if i == 2 else "20",
            "SUTY": "0", "CSCD": "DE", "CUCD": "EUR", "TEPY": "30", "PYME": "TRF", "VRNO": f"DE{i:09d}",
            "PHNO": "", "ADR1": f"Strasse {i}", "TOWN": "Köln", "PONO": f"5{i:04d}", "ECAR": "NW", "LNCD": "DE",
        })
    for i in range(5):
        data["gl_accounts"].append({"CONO": cono, "DIVI": divi, "AITP": "1", "AITM": f"60{i:03d}",
                                    "TX40": f"Expense account {i}", "TX15": f"Exp {i}", "LCKD": "1" if i == 4 else "0"})
    for i in range(3):
        data["cost_centers"].append({"CONO": cono, "DIVI": divi, "AITP": "2", "AITM": f"CC{i:02d}",
                                     "TX40": f"Cost center {i}", "TX15": f"CC {i}", "LCKD": "1" if i == 2 else "0"})
    for i in range(orders):
        puno = f"PO{i:06d}"
        data["purchase_orders"].append({
            "CONO": cono, "PUNO": puno, "DIVI": divi, "SUNO": f"S{i % suppliers:04d}", "PUDT": "2024-05-01",
            "DWDT": "2024-05-20", "CUCD": "EUR", "ORTY": "STD", "TEPY": "30", "BUYE": "BUYER1", "FACI": "F01",
            "WHLO": "W01", "PUSL": "20", "PUST": "20", "NTAM": Decimal("1234.567891"),
        })
        for line in (1, 2):
            data["purchase_order_lines"].append({
                "CONO": cono, "PUNO": puno, "PNLI": line * 10, "PNLS": 1 if line == 2 else 0, "DIVI": divi,
                "ITNO": f"ITEM{line}", "PITD": f"Item {line}", "ORQA": Decimal("3"), "PUPR": Decimal("12.345678"),
                "PUUN": "EA", "LNAM": Decimal("37.037034"), "DWDT": "2024-05-20", "PUSL": "20", "PUST": "20",
                "AIT1": "60000", "AIT2": "CC00",
            })
    for i in range(invoices):
        jrno = 1000 + i
        cuam = Decimal("-50.10") if i == 1 else Decimal(f"{100 + i}.123456")
        vtam = Decimal("-8.00") if i == 1 else Decimal("19.000001")
        data["supplier_invoices"].append({
            "CONO": cono, "DIVI": divi, "YEA4": 2024, "JRNO": jrno, "JSNO": 1, "TRCD": "40", "SPYN": "",
            "SUNO": f"S{i % suppliers:04d}", "SINO": f"INV-{i:05d}", "IVDT": "2024-06-01", "DUDT": "2024-07-01",
            "ACDT": "2024-06-02", "CUCD": "EUR", "CUAM": cuam, "VTAM": vtam, "PUNO": f"PO{i % max(orders, 1):06d}",
            "VONO": 5000 + i, "VSER": "AP", "PYST": "",
        })
        for line in range(lines_per_invoice):
            data["supplier_invoice_lines"].append({
                "CONO": cono, "DIVI": divi, "YEA4": 2024, "JRNO": jrno, "JSNO": line + 2, "TRCD": "40",
                "AIT1": "60000", "AIT2": "CC00", "ACAM": Decimal("10.5"), "CUAM": Decimal("10.500001"),
                "CUCD": "EUR", "VTXT": f"Line {line} of {jrno}", "VTCD": "V19", "PUNO": "PO000000", "PNLI": 10,
                "ITNO": "ITEM1", "IVQA": Decimal("0") if line == 1 else Decimal("3"),
            })
        if i % 2 == 0:
            data["payments"].append({
                "CONO": cono, "DIVI": divi, "YEA4": 2024, "JRNO": 9000 + i, "JSNO": 1, "TRCD": "50", "SPYN": "",
                "SUNO": f"S{i % suppliers:04d}", "SINO": f"INV-{i:05d}", "IVDT": "2024-06-01", "DUDT": "2024-07-01",
                "ACDT": "2024-07-01", "CUCD": "EUR", "CUAM": -cuam, "VTAM": Decimal("0"), "PUNO": "",
                "VONO": 7000 + i, "VSER": "PY", "PYST": "",
            })
    data["customers"] = [{"CONO": cono, "CUNO": f"C{i}", "CUNM": f"Customer {i}", "STAT": "20", "CSCD": "DE",
                          "CUCD": "EUR", "TEPY": "30", "PHNO": ""} for i in range(2)]
    return data


def messages(data: dict[str, list[dict[str, Any]]], order: list[str] | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for stream in order or list(data):
        records = data.get(stream) or []
        if not records:
            continue
        out.append({"type": "SCHEMA", "stream": stream, "schema": _schema(records[0]), "key_properties": KEYS[stream]})
        out.extend({"type": "RECORD", "stream": stream, "record": r} for r in records)
    out.append({"type": "STATE", "value": {"bookmarks": {}}})
    return out


_ENCODER = msgspec.json.Encoder(decimal_format="number")  # exact decimals as JSON numbers, as our taps write


def to_singer(msgs: list[dict[str, Any]]) -> str:
    return "".join(_ENCODER.encode(m).decode() + "\n" for m in msgs)


def write_singer(path: Path, msgs: list[dict[str, Any]]) -> Path:
    path.write_text(to_singer(msgs), encoding="utf-8")
    return path
