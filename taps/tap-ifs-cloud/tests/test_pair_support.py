"""What the ifs-to-servicenow pair needs from the tap: header dates on lines, suppliers per company, and
IAM credentials from a file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from singer_sdk.exceptions import ConfigValidationError

from tests.conftest import run_tap
from tap_ifs_cloud.tap import TapIFSCloud


def test_lines_carry_their_header_date(config, ifs_db: sqlite3.Connection) -> None:
    result = run_tap(config, streams=["purchase_order_lines", "supplier_invoice_lines"])  # headers not selected
    dates = dict(((c, i), d) for c, i, d in ifs_db.execute("SELECT Company, InvoiceId, InvoiceDate FROM supplier_invoices"))
    lines = result.records["supplier_invoice_lines"]
    assert lines and all(r["invoice_date"] == dates[(r["Company"], r["InvoiceId"])] for r in lines)
    orders = dict(ifs_db.execute("SELECT OrderNo, OrderDate FROM purchase_orders"))
    assert all(r["order_date"] == orders[r["OrderNo"]] for r in result.records["purchase_order_lines"])
    assert "supplier_invoices" not in result.records  # read for the dates, not emitted


def test_invoices_carry_their_purchase_orders_date(config, ifs_db: sqlite3.Connection) -> None:
    """Downstream a PO is keyed by number + OrderDate: invoices and their lines need that date to name it."""
    result = run_tap(config, streams=["supplier_invoices", "supplier_invoice_lines"])  # POs not selected
    orders = dict(ifs_db.execute("SELECT OrderNo, OrderDate FROM purchase_orders"))
    for stream in ("supplier_invoices", "supplier_invoice_lines"):
        records = result.records[stream]
        with_po = [r for r in records if r["PoRefNumber"]]
        assert with_po and len(with_po) < len(records), f"{stream}: the seed must mix invoices with and without PO"
        assert all(r["po_order_date"] == orders[r["PoRefNumber"]] for r in with_po), stream
        assert all(r["po_order_date"] is None for r in records if not r["PoRefNumber"]), stream
    assert "purchase_orders" not in result.records  # read for the dates, not emitted


def test_suppliers_per_company(config, ifs_db: sqlite3.Connection) -> None:
    result = run_tap({**config, "suppliers_per_company": True}, streams=["suppliers"])
    count = ifs_db.execute("SELECT count(*) FROM suppliers").fetchone()[0]
    keys = result.keys("suppliers")
    assert len(keys) == len(set(keys)) == count * len(config["companies"])
    assert result.tap.streams["suppliers"].primary_keys == ["Company", "SupplierId"]


def test_credentials_file_fills_what_is_not_set(config, tmp_path: Path) -> None:
    path = tmp_path / "ifs.json"
    path.write_text(json.dumps({k: config[k] for k in ("realm", "client_id", "client_secret")}), encoding="utf-8")
    bare = {k: v for k, v in config.items() if k not in ("realm", "client_id", "client_secret")}
    result = run_tap({**bare, "credentials_file": str(path)}, streams=["companies"])
    assert result.records["companies"]
    with pytest.raises(ConfigValidationError, match="client_secret"):
        _ = TapIFSCloud(config={**bare, "realm": "r", "client_id": "c"}).authenticator
