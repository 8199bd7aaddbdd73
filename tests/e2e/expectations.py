"""What the ServiceNow sandbox must hold after loading the M3 sandbox: computed from the M3 data itself."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

DIVISIONS = {(100, "AAA"), (100, "BBB"), (200, "AAA")}


def _dec(value: object) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def expected_suppliers(m3: sqlite3.Connection) -> dict[tuple[str, str], dict[str, str]]:
    return {
        (row["SUNO"], f"M3-{row['CONO']}"): {"legal_name": row["SUNM"], "active": "true" if str(row["STAT"]) == "20" else "false"}
        for row in m3.execute("SELECT CONO, SUNO, SUNM, STAT FROM CIDMAS")
    }


def expected_purchase_orders(m3: sqlite3.Connection) -> dict[tuple[str, str], Decimal]:
    return {
        (row["PUNO"], f"M3-{row['CONO']}"): _dec(row["NTAM"])
        for row in m3.execute("SELECT CONO, DIVI, PUNO, NTAM FROM MPHEAD")
        if (row["CONO"], row["DIVI"]) in DIVISIONS
    }


def expected_invoices(m3: sqlite3.Connection) -> dict[tuple[str, str], Decimal]:
    return {
        (f"{row['DIVI']}-{row['YEA4']}-{row['JRNO']}", f"M3-{row['CONO']}"): _dec(row["CUAM"])
        for row in m3.execute("SELECT CONO, DIVI, YEA4, JRNO, CUAM FROM FPLEDG WHERE TRCD = 40 AND JSNO = 1")
    }


def expected_invoice_lines(m3: sqlite3.Connection) -> dict[tuple[str, str, str], Decimal]:
    return {
        (f"{row['DIVI']}-{row['YEA4']}-{row['JRNO']}", str(row["JSNO"]), f"M3-{row['CONO']}"): _dec(row["CUAM"])
        for row in m3.execute("SELECT CONO, DIVI, YEA4, JRNO, JSNO, CUAM FROM FGLEDG WHERE TRCD = 40")
    }


def loaded_suppliers(sn: sqlite3.Connection) -> list[tuple[tuple[str, str], dict[str, str]]]:
    return [
        ((row["erp_number"], row["erp_source"]), {"legal_name": row["legal_name"], "active": row["active"]})
        for row in sn.execute("SELECT erp_number, erp_source, legal_name, active FROM sn_fin_supplier")
    ]


def loaded_purchase_orders(sn: sqlite3.Connection) -> list[tuple[tuple[str, str], Decimal]]:
    return [
        ((row["erp_number"], row["erp_source"]), _dec(row["total_amount"]))
        for row in sn.execute("SELECT erp_number, erp_source, total_amount FROM sn_shop_purchase_order")
    ]


def loaded_invoices(sn: sqlite3.Connection) -> list[tuple[tuple[str, str], Decimal]]:
    return [
        ((row["external_invoice_number"], row["erp_source"]), _dec(row["amount_invoiced"]))
        for row in sn.execute("SELECT external_invoice_number, erp_source, amount_invoiced FROM sn_shop_invoice")
    ]


def loaded_invoice_lines(sn: sqlite3.Connection) -> list[tuple[tuple[str, str, str], Decimal]]:
    return [
        ((row["external_invoice_number"], row["line_number"], row["erp_source"]), _dec(row["line_amount"]))
        for row in sn.execute("SELECT external_invoice_number, line_number, erp_source, line_amount FROM sn_shop_invoice_line")
    ]


def assert_loaded_exactly_once(m3: sqlite3.Connection, sn: sqlite3.Connection) -> None:
    """Every seeded supplier, PO, invoice and invoice line is in ServiceNow once, with the source's values."""
    pairs = [
        ("suppliers", expected_suppliers(m3), loaded_suppliers(sn)),
        ("purchase orders", expected_purchase_orders(m3), loaded_purchase_orders(sn)),
        ("invoices", expected_invoices(m3), loaded_invoices(sn)),
        ("invoice lines", expected_invoice_lines(m3), loaded_invoice_lines(sn)),
    ]
    for label, expected, loaded in pairs:
        keys = [key for key, _ in loaded]
        assert len(keys) == len(set(keys)), f"duplicate {label} in ServiceNow"
        assert dict(loaded) == expected, f"{label}: ServiceNow content differs from M3"
        assert expected, f"the sandbox seeded no {label}"


def expected_purchase_order_lines(m3: sqlite3.Connection) -> dict[tuple[str, str, str], Decimal]:
    return {
        (row["PUNO"], _line_number(row), f"M3-{row['CONO']}"): _dec(row["LNAM"])
        for row in m3.execute("SELECT CONO, DIVI, PUNO, PNLI, PNLS, LNAM FROM MPLINE")
        if (row["CONO"], row["DIVI"]) in DIVISIONS
    }


def loaded_purchase_order_lines(sn: sqlite3.Connection) -> list[tuple[tuple[str, str, str], Decimal]]:
    return [
        ((row["erp_number"], row["erp_line_number"], row["erp_source"]), _dec(row["total_line_amount"]))
        for row in sn.execute("SELECT erp_number, erp_line_number, erp_source, total_line_amount "
                              "FROM sn_shop_purchase_order_line")
    ]


def _line_number(row: sqlite3.Row) -> str:
    return str(row["PNLI"]) if row["PNLS"] in (0, None) else f"{row['PNLI']}.{row['PNLS']}"


# -- documents the GL/vendor mapper must quarantine ---------------------------------------------------


def invoice_doc(row: sqlite3.Row) -> str:
    """The mapper's document id of an FPLEDG/FGLEDG row (also the ledger source id minus `|JSNO`)."""
    return f"{row['CONO']}|{row['DIVI']}|{row['YEA4']}|{row['JRNO']}"


def invoice_key(doc: str) -> tuple[str, str]:
    """(external invoice number, erp_source) in ServiceNow of a mapper invoice document `CONO|DIVI|YEA4|JRNO`:
    the key of `expected_invoices` (the number alone repeats across companies)."""
    cono, number = doc.split("|", 1)
    return number.replace("|", "-"), f"M3-{cono}"


def order_key(doc: str) -> tuple[str, str]:
    """(erp_number, erp_source) in ServiceNow of a mapper purchase order document `CONO|PUNO`."""
    cono, puno = doc.split("|")
    return puno, f"M3-{cono}"


def bad_documents(m3: sqlite3.Connection) -> dict[str, set[str]]:
    """Per header stream, the documents whose vendor, GL account or cost center is unknown or inactive in M3
    (a locked account or cost center, a supplier not in status 20, or a code M3 does not hold); an empty cost
    center is allowed. Invoices are `CONO|DIVI|YEA4|JRNO`, purchase orders `CONO|PUNO`."""
    active = {(r["CONO"], r["DIVI"], r["AITP"], r["AITM"]): r["LCKD"] != 1
              for r in m3.execute("SELECT CONO, DIVI, AITP, AITM, LCKD FROM FCHACC")}
    vendors = {(r["CONO"], r["SUNO"]): str(r["STAT"]) == "20" for r in m3.execute("SELECT CONO, SUNO, STAT FROM CIDMAS")}

    def line_ok(line: sqlite3.Row) -> bool:
        division = (line["CONO"], line["DIVI"])
        cost_center = str(line["AIT2"] or "").strip()
        return active.get((*division, 1, line["AIT1"]), False) and (
            not cost_center or active.get((*division, 2, cost_center), False))

    invoices = {invoice_doc(h) for h in m3.execute("SELECT * FROM FPLEDG WHERE TRCD = 40 AND JSNO = 1")
                if not vendors.get((h["CONO"], h["SUNO"]), False)}
    invoices |= {invoice_doc(line) for line in m3.execute("SELECT * FROM FGLEDG WHERE TRCD = 40") if not line_ok(line)}
    heads = {(h["CONO"], h["PUNO"]): h for h in m3.execute("SELECT * FROM MPHEAD")
             if (h["CONO"], h["DIVI"]) in DIVISIONS}
    orders = {key for key, h in heads.items() if not vendors.get(key[:1] + (h["SUNO"],), False)}
    orders |= {(line["CONO"], line["PUNO"]) for line in m3.execute("SELECT * FROM MPLINE")
               if (line["CONO"], line["PUNO"]) in heads and not line_ok(line)}
    return {"supplier_invoices": invoices, "purchase_orders": {f"{cono}|{puno}" for cono, puno in orders}}
