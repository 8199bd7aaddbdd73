"""The IFS pair, `meltano run ifs-to-servicenow` (tap-ifs-cloud | mapper-gl-vendor | target-servicenow-s2p--ifs),
end to end on the sandbox: every seeded invoice and PO once, unknown cost centers quarantined, idempotent
re-runs, exact updates, and the same content under injected 429s within the configured request rate."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ml_connector.ledger.selection import document_of, reasons_of

from tests.e2e.conftest import Project, _readonly, import_requests, sandbox_project  # noqa: PLC2701

pytestmark = pytest.mark.e2e

JOB = "ifs-to-servicenow"
NAMES = ("ifs", "servicenow")
UNKNOWN_COST_CENTER = "CC999"


def _ifs(project: Project) -> sqlite3.Connection:
    return _readonly(project.sandbox.data_dir / "ifs.db")


def _bad_invoices(ifs: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = ifs.execute("SELECT DISTINCT Company, InvoiceId FROM supplier_invoice_lines WHERE CodeB = ?",
                       (UNKNOWN_COST_CENTER,))
    return {(r["Company"], str(r["InvoiceId"])) for r in rows}


def _expected(ifs: sqlite3.Connection) -> dict[str, dict[tuple[str, ...], Any]]:
    """What ServiceNow must hold: IFS minus the documents on an unknown cost center, keyed as the target keys."""
    bad = _bad_invoices(ifs)
    order_dates = dict(ifs.execute("SELECT OrderNo, OrderDate FROM purchase_orders"))

    def po_key(reference: str | None) -> str:  # an invoice names its PO by the PO's own key
        return f"{reference}-{order_dates[reference]}" if reference else ""

    invoices = {(f"{r['Company']}-{r['InvoiceId']}-{r['InvoiceDate']}", f"IFS-{r['Company']}"):
                (Decimal(r["GrossCurrAmount"]), po_key(r["PoRefNumber"]))
                for r in ifs.execute("SELECT * FROM supplier_invoices")
                if (r["Company"], str(r["InvoiceId"])) not in bad}
    dates = {(r["Company"], str(r["InvoiceId"])): r["InvoiceDate"] for r in ifs.execute("SELECT * FROM supplier_invoices")}
    lines = {(f"{r['Company']}-{r['InvoiceId']}-{dates[(r['Company'], str(r['InvoiceId']))]}", str(r["ItemId"]),
              f"IFS-{r['Company']}"): Decimal(r["NetCurrAmount"])
             for r in ifs.execute("SELECT * FROM supplier_invoice_lines") if (r["Company"], str(r["InvoiceId"])) not in bad}
    orders = {(f"{r['OrderNo']}-{r['OrderDate']}", f"IFS-{r['Company']}"): r["VendorNo"]
              for r in ifs.execute("SELECT * FROM purchase_orders")}
    order_lines = {(po_key(r["OrderNo"]), str(r["LineNo"]) if str(r["ReleaseNo"]) in ("", "0") else
                    f"{r['LineNo']}.{r['ReleaseNo']}", f"IFS-{r['Company']}"): Decimal(r["NetAmtCurr"])
                   for r in ifs.execute("SELECT * FROM purchase_order_lines")}
    return {"supplier_invoices": invoices, "supplier_invoice_lines": lines, "purchase_orders": orders,
            "purchase_order_lines": order_lines}


def _loaded(sn: sqlite3.Connection) -> dict[str, list[tuple[tuple[str, ...], Any]]]:
    def rows(sql: str, n: int, value: Any) -> list[tuple[tuple[str, ...], Any]]:
        return [(tuple(r[:n]), value(r[n]) if len(r) == n + 1 else (value(r[n]), *r[n + 1:]))
                for r in sn.execute(sql) if str(r[n - 1]).startswith("IFS-")]

    return {
        "supplier_invoices": rows("SELECT external_invoice_number, erp_source, amount_invoiced, purchase_order_number "
                                  "FROM sn_shop_invoice", 2, Decimal),
        "supplier_invoice_lines": rows("SELECT external_invoice_number, line_number, erp_source, line_amount "
                                       "FROM sn_shop_invoice_line", 3, Decimal),
        "purchase_orders": rows("SELECT o.erp_number, o.erp_source, s.erp_number FROM sn_shop_purchase_order o "
                                "LEFT JOIN sn_fin_supplier s ON s.sys_id = o.supplier", 2, str),
        "purchase_order_lines": rows("SELECT erp_number, erp_line_number, erp_source, total_line_amount "
                                     "FROM sn_shop_purchase_order_line", 3, Decimal),
    }


def assert_landed_exactly_once(project: Project) -> None:
    expected, loaded = _expected(_ifs(project)), _loaded(project.servicenow())
    for stream, rows in loaded.items():
        keys = [key for key, _ in rows]
        assert len(keys) == len(set(keys)), f"duplicate {stream} in ServiceNow"
        assert dict(rows) == expected[stream], f"{stream}: ServiceNow differs from IFS minus the bad documents"
    dead = project.ledger().open_entries(kind="dead_letter")
    assert not dead, f"{len(dead)} records dead-lettered, e.g. {dead[0].stream} {dead[0].source_id}: {dead[0].error}"


def _counts(project: Project) -> dict[str, dict[str, int]]:
    run = project.ledger().last_run(job=JOB)
    assert run is not None
    return run.counts


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    with sandbox_project(tmp_path_factory.mktemp("e2e-ifs"), names=NAMES, scale=1200, seed=11) as project:
        yield project


def test_first_run_lands_every_invoice_and_po_once(project: Project) -> None:
    # small drains: a line that overtook its header on the way would reach ServiceNow before it and fail
    result = project.run(JOB, extra_env={"TARGET_SERVICENOW_S2P__IFS_BATCH_SIZE_ROWS": "50"})
    assert result.returncode == 0, result.explain()
    assert_landed_exactly_once(project)
    bad = _bad_invoices(_ifs(project))
    assert bad, "the sandbox seeded no invoice on an unknown cost center"
    entries = project.ledger().open_entries(kind="quarantine")
    assert {document_of(e) for e in entries} == {f"supplier_invoice:{c}|{i}" for c, i in bad}
    assert all(any(r.get("value") == UNKNOWN_COST_CENTER for r in reasons_of(e)) or not reasons_of(e)
               for e in entries)
    assert all(reasons_of(e) for e in entries if e.stream == "supplier_invoice_lines")
    for secret in project.secrets():
        assert secret not in result.output


def test_rerun_loads_nothing(project: Project) -> None:
    admin = project.sandbox.admin("servicenow")
    admin.reset_stats()
    result = project.run(JOB)
    assert result.returncode == 0, result.explain()
    assert import_requests(admin.stats()) == 0
    for stream, counts in _counts(project).items():
        assert counts.get("inserted", 0) == 0 and counts.get("updated", 0) == 0, stream
    assert_landed_exactly_once(project)


def test_five_changed_invoices_update_exactly_those(project: Project) -> None:
    bad = _bad_invoices(_ifs(project))
    ifs = _ifs(project)
    company = next(c for (c,) in ifs.execute("SELECT DISTINCT Company FROM supplier_invoices ORDER BY 1")
                   if not any((c, str(i)) in bad for (i,) in ifs.execute(
                       "SELECT InvoiceId FROM supplier_invoices WHERE Company = ? ORDER BY InvoiceId LIMIT 5", (c,))))
    changed = project.sandbox.admin("ifs").mutate({"action": "change_invoices", "count": 5, "company": company})
    assert len(changed["changed"]) == 5
    result = project.run(JOB)
    assert result.returncode == 0, result.explain()
    counts = _counts(project)
    assert counts["supplier_invoices"]["updated"] == 5
    assert counts["supplier_invoices"].get("inserted", 0) == 0
    assert counts["supplier_invoice_lines"]["updated"] == 5  # the first line of each
    assert counts["suppliers"].get("updated", 0) == 0
    assert_landed_exactly_once(project)


def test_429s_give_the_same_content_within_the_request_rate(tmp_path: Path) -> None:
    rpm = 50  # below the ~70 requests the run needs, so the pacing is what keeps every minute under it
    with sandbox_project(tmp_path, names=NAMES, scale=300, seed=11) as project:
        for name in NAMES:
            project.sandbox.admin(name).faults(rate_429=0.10, retry_after_seconds=1, seed=5)
        env = {"TAP_IFS_CLOUD_REQUESTS_PER_MINUTE": str(rpm), "TAP_IFS_CLOUD_PAGE_SIZE": "20"}
        result = project.run(JOB, extra_env=env)
        assert result.returncode == 0, result.explain()
        stats = project.sandbox.admin("ifs").stats()
        assert stats["by_status"].get("429", 0) > 0, "no fault was injected"
        reads = sum(n for route, n in stats["by_route"].items() if route.startswith("odata/"))
        assert reads > rpm, "too few requests for the rate check to mean anything"
        assert stats["max_per_minute"] <= rpm, stats
        assert_landed_exactly_once(project)
