"""End to end against the ServiceNow emulator: exact values, idempotence, updates, dead letters, faults."""

from __future__ import annotations

import copy
import logging
from decimal import Decimal
from typing import Any

import pytest
import requests
from sn_target_helpers import run_target, sn_rows, write_requests
from m3_fixture import dataset, messages, to_singer

from ml_connector.ledger import Ledger


def test_full_load_exact_values_then_rerun_writes_nothing(sandbox: Any, sn_admin: Any, config: dict) -> None:
    data = dataset(cono="110")
    target = run_target(config, to_singer(messages(data)))
    counts = target.summary.ledger_counts()
    assert counts["supplier_invoice_lines"]["inserted"] == 12
    assert counts["customers"]["extracted"] == 2  # ignored, never sent

    supplier = sn_rows(sandbox, "sn_fin_supplier", "erp_number = ? AND erp_source = ?", ("S0001", "M3-110"))
    assert len(supplier) == 1
    assert {k: supplier[0][k] for k in ("legal_name", "registration_country", "city", "active", "legal_entities")} \
        == {"legal_name": "Société Générale, SA", "registration_country": "DE", "city": "Köln", "active": "true",
            "legal_entities": "110"}
    invoice = sn_rows(sandbox, "sn_shop_invoice", "external_invoice_number = ? AND erp_source = ?",
                      ("AAA-2024-1000", "M3-110"))[0]
    assert (invoice["subtotal"], invoice["tax_amount"], invoice["amount_invoiced"], invoice["type"]) == \
        ("81.123455", "19.000001", "100.123456", "invoice")
    inv_supplier = sn_rows(sandbox, "sn_fin_supplier", "erp_number = ? AND erp_source = ?", ("S0000", "M3-110"))
    assert invoice["supplier"] == inv_supplier[0]["sys_id"]
    line = sn_rows(sandbox, "sn_shop_purchase_order_line", "erp_number = ? AND erp_source = ? AND erp_line_number = ?",
                   ("PO000001", "M3-110", "20.1"))[0]
    assert (line["individual_unit_cost"], line["total_individual_units"], line["general_ledger_account"]) == \
        ("12.345678", "3", "60000")
    assert line["purchase_order"]
    gl = sn_rows(sandbox, "sn_fin_gl_account", "gl_account = ? AND erp_source = ?", ("60004", "M3-110"))[0]
    assert (gl["display_name"], gl["inactive"], gl["legal_entity"]) == ("Expense account 4", "true", "AAA")

    sn_admin.reset_stats()
    again = run_target(config, to_singer(messages(data)))
    assert write_requests(sn_admin.stats()) == 0
    assert all(c["inserted"] == c["updated"] == c["failed"] == 0 for c in again.summary.ledger_counts().values())
    assert again.summary.ledger_counts()["supplier_invoices"]["unchanged"] == 6


def test_five_changed_invoices_are_exactly_five_updates(sandbox: Any, sn_admin: Any, config: dict) -> None:
    data = dataset(cono="120", invoices=8)
    run_target(config, to_singer(messages(data)))
    changed = copy.deepcopy(data)
    for record in changed["supplier_invoices"][:5]:
        record["CUAM"] = record["CUAM"] + Decimal("1.000001")
    sn_admin.reset_stats()
    target = run_target(config, to_singer(messages(changed)))
    counts = target.summary.ledger_counts()["supplier_invoices"]
    assert (counts["updated"], counts["unchanged"], counts["inserted"]) == (5, 3, 0)
    routes = sn_admin.stats()["by_route"]
    assert routes.get("import:insertMultiple:sn_spend_intg_imp_invoice") == 1
    assert not any(r.startswith("import:") and "invoice_line" in r for r in routes)
    row = sn_rows(sandbox, "sn_shop_invoice", "external_invoice_number = ? AND erp_source = ?",
                  ("AAA-2024-1000", "M3-120"))[0]
    assert row["amount_invoiced"] == "101.123457"


def test_line_without_header_is_dead_lettered_and_run_goes_on(sandbox: Any, sn_admin: Any, config: dict) -> None:
    data = dataset(cono="130")
    orphan = dict(data["supplier_invoice_lines"][0], JRNO=4242)
    data["supplier_invoice_lines"].append(orphan)
    target = run_target(config, to_singer(messages(data)))  # must not raise
    counts = target.summary.ledger_counts()["supplier_invoice_lines"]
    assert (counts["inserted"], counts["failed"]) == (12, 1)
    ledger = Ledger(config["ledger_url"])
    run = ledger.get_run(target.run_id)
    assert run is not None and run.status == "completed_with_errors"
    entries = ledger.open_entries()
    dead = [e for e in entries if e.source_id == "130|AAA|2024|4242|2"]
    assert len(dead) == 1 and dead[0].kind == "dead_letter"
    assert "sn_shop_invoice" in (dead[0].error or "")  # the instance's own message
    assert dead[0].payload and dead[0].payload["JRNO"] == 4242


def test_rows_staged_by_another_tool_are_unchanged(sandbox: Any, sn_admin: Any, config: dict) -> None:
    data = dataset(cono="140")
    creds = sandbox.servicenow.credentials
    from target_servicenow_s2p.mapping import build_mappings

    mapping = build_mappings("infor_m3")["suppliers"]
    rows = [mapping.map_record(r, {"erp_source_prefix": "M3"}) for r in data["suppliers"]]
    response = requests.post(
        f"{sandbox.servicenow.base_url}/api/now/import/sn_fcms_intg_imp_supplier/insertMultiple",
        json={"records": rows}, auth=(creds["username"], creds["password"]), timeout=30,
    )
    assert response.status_code in (200, 201)
    sn_admin.reset_stats()
    target = run_target(config, to_singer(messages({"suppliers": data["suppliers"]})))
    assert target.summary.ledger_counts()["suppliers"]["unchanged"] == 6
    assert "import:insertMultiple:sn_fcms_intg_imp_supplier" not in sn_admin.stats()["by_route"]
    assert len(sn_rows(sandbox, "sn_fin_supplier", "erp_source = ?", ("M3-140",))) == 6


def test_faults_and_revoked_token_give_the_same_content(sandbox: Any, sn_admin: Any, config: dict) -> None:
    data = dataset(cono="150")
    sn_admin.faults(rate_429=0.10, rate_5xx=0.05, retry_after_seconds=1, revoke_tokens_after=12, seed=3)
    try:
        target = run_target(config, to_singer(messages(data)))
    finally:
        sn_admin.clear_faults()
    assert target.client.counters["retries"] + target.client.counters["reauth"] > 0
    counts = target.summary.ledger_counts()
    assert sum(c["failed"] for c in counts.values()) == 0
    for table, expected in (("sn_fin_supplier", 6), ("sn_shop_invoice", 6), ("sn_shop_invoice_line", 12),
                            ("sn_shop_purchase_order_line", 8), ("sn_shop_invoice_payment_detail", 3)):
        assert len(sn_rows(sandbox, table, "erp_source = ?", ("M3-150",))) == expected, table


def test_headers_drain_before_lines_whatever_the_input_order(sandbox: Any, sn_admin: Any, config: dict) -> None:
    data = dataset(cono="160")
    order = ["supplier_invoice_lines", "purchase_order_lines", "payments", "supplier_invoices", "purchase_orders",
             "suppliers", "gl_accounts", "cost_centers"]
    target = run_target(dict(config, batch_size=1000), to_singer(messages(data, order)))
    assert sum(c["failed"] for c in target.summary.ledger_counts().values()) == 0


def test_write_budget_per_thousand_records(sandbox: Any, sn_admin: Any, config: dict) -> None:
    data = dataset(cono="170", suppliers=40, orders=100, invoices=500, lines_per_invoice=4)
    text = to_singer(messages(data))
    records = sum(len(v) for k, v in data.items() if k != "customers")
    sn_admin.reset_stats()
    run_target(config, text)
    per_thousand = write_requests(sn_admin.stats()) * 1000 / records
    assert per_thousand <= 15, per_thousand
    print(f"write requests: {write_requests(sn_admin.stats())} for {records} records = {per_thousand:.1f} per 1000")


def test_no_secret_in_logs(sandbox: Any, sn_admin: Any, config: dict, caplog: pytest.LogCaptureFixture,
                           capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    sn_admin.faults(revoke_tokens_after=3, seed=1)
    try:
        target = run_target(config, to_singer(messages(dataset(cono="180", invoices=2))))
    finally:
        sn_admin.clear_faults()
    text = caplog.text + capsys.readouterr().err
    creds = sandbox.servicenow.credentials
    assert creds["client_secret"] not in text and creds["password"] not in text
    token = target.client.auth._access_token  # noqa: SLF001
    assert token and token not in text
