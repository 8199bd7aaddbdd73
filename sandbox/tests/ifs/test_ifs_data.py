"""Seeded data: scale, determinism and the awkward cases tests downstream rely on."""

from __future__ import annotations

from ml_connector_sandbox.ifs.seed import UNKNOWN_COST_CENTER, decimal_text

from .helpers import SCALE


def test_scale_is_the_number_of_invoice_lines(ifs) -> None:
    store = ifs.runtime.store
    assert SCALE <= store.count("supplier_invoice_lines") <= SCALE + 5
    assert store.count("supplier_invoices") > 50 and store.count("purchase_order_lines") > 100
    assert store.companies() == ["10", "20", "30"]


def test_awkward_cases_are_present(ifs) -> None:
    fetch = ifs.runtime.store.fetch
    assert fetch("SELECT max(n) FROM (SELECT count(*) n FROM supplier_invoices GROUP BY Rowversion)")[0][0] > 10
    assert fetch("SELECT count(*) FROM supplier_invoice_lines WHERE CodeB = ?", [UNKNOWN_COST_CENTER])[0][0] >= 3
    assert fetch("SELECT count(*) FROM cost_centers WHERE ValidUntil < date('now')")[0][0] >= 1
    assert fetch("SELECT count(*) FROM gl_accounts WHERE ValidUntil < date('now')")[0][0] >= 1
    assert fetch("SELECT count(*) FROM suppliers WHERE Objstate = 'Blocked'")[0][0] + 1 >= 1
    names = [r[0] for r in fetch("SELECT Name FROM suppliers")]
    assert any(not n.isascii() for n in names)
    decimals = [r[0] for r in fetch("SELECT NetCurrAmount FROM supplier_invoice_lines")]
    assert max(len(d.partition(".")[2]) for d in decimals) > 6


def test_decimal_text_is_exact() -> None:
    assert decimal_text(123456789012345, 12) == "123.456789012345"
    assert decimal_text(1500, 2) == "15" and decimal_text(-5, 2) == "-0.05"


def test_change_invoices_bumps_rowversion_and_etag(ifs_fresh) -> None:
    before = {(r["Company"], r["InvoiceId"]): r for r in ifs_fresh.rows(
        "/main/ifsapplications/projection/v1/ManSuppInvoiceHandling.svc/ManSuppInvoiceSet", **{"$top": "3"})}
    changed = ifs_fresh.client.post("/_sandbox/mutate", json={"action": "change_invoices", "count": 3}).json()
    assert len(changed["changed"]) == 3
    after = ifs_fresh.rows("/main/ifsapplications/projection/v1/ManSuppInvoiceHandling.svc/ManSuppInvoiceSet",
                           **{"$top": "3"})
    for row in after:
        old = before[(row["Company"], row["InvoiceId"])]
        assert row["@odata.etag"] != old["@odata.etag"] and row["Rowversion"] > old["Rowversion"]
        assert row["@odata.etag"].startswith('W/"')
    bad = ifs_fresh.client.post("/_sandbox/mutate", json={"action": "nope"})
    assert bad.status_code == 400
