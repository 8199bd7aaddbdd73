"""The infor_m3 profile, value by value, without a network."""

from __future__ import annotations

from decimal import Decimal

import pytest
from m3_fixture import dataset

from target_servicenow_s2p.converters import MappingError
from target_servicenow_s2p.mapping import build_mappings, source_id

CTX = {"erp_source_prefix": "M3"}
MAPPINGS = build_mappings("infor_m3")
DATA = dataset()


def test_supplier_row() -> None:
    row = MAPPINGS["suppliers"].map_record(DATA["suppliers"][1], CTX)
    assert row == {
        "erp_company_code": "S0001", "erp_source": "M3-100", "legal_name": "Société Générale, SA",
        "tax_id": "DE000000001", "country": "DE", "city": "Köln", "street_address": "Strasse 1",
        "state_province": "NW", "zip": "50001", "payment_term": "30", "currency": "EUR", "status": "active",
        "legal_entities": "100",
    }
    assert MAPPINGS["suppliers"].map_record(DATA["suppliers"][2], CTX)["status"] == "inactive"


def test_gl_and_cost_center_flags() -> None:
    gl = MAPPINGS["gl_accounts"].map_record(DATA["gl_accounts"][4], CTX)
    assert gl == {"gl_account": "60004", "account_name": "Expense account 4", "short_description": "Exp 4",
                  "entity": "AAA", "erp_source": "M3-100", "inactive": "true"}
    cc = MAPPINGS["cost_centers"].map_record(DATA["cost_centers"][0], CTX)
    assert cc == {"code": "CC00", "name": "Cost center 0", "account_number": "CC00", "legal_entity": "AAA",
                  "erp_source": "M3-100", "status": "active"}


def test_po_and_lines() -> None:
    po = MAPPINGS["purchase_orders"].map_record(DATA["purchase_orders"][0], CTX)
    assert po["total_amount"] == "1234.567891" and po["order_date"] == "2024-05-01"
    first, second = (MAPPINGS["purchase_order_lines"].map_record(r, CTX) for r in DATA["purchase_order_lines"][:2])
    assert first["erp_line_number"] == "10" and second["erp_line_number"] == "20.1"
    assert second["unit_price"] == "12.345678" and second["gl_account"] == "60000"


def test_invoice_amounts_are_exact() -> None:
    inv = MAPPINGS["supplier_invoices"].map_record(DATA["supplier_invoices"][0], CTX)
    assert inv["u_external_invoice_number"] == "AAA-2024-1000"
    assert (inv["u_subtotal"], inv["u_tax_amount"], inv["u_amount_invoiced"]) == ("81.123455", "19.000001", "100.123456")
    assert inv["u_erp_number"] == "AP5000" and inv["u_invoice_type"] == "invoice"
    credit = MAPPINGS["supplier_invoices"].map_record(DATA["supplier_invoices"][1], CTX)
    assert credit["u_invoice_type"] == "credit_note" and credit["u_subtotal"] == "-42.10"


def test_invoice_line_unit_price() -> None:
    line, zero_qty = (MAPPINGS["supplier_invoice_lines"].map_record(r, CTX) for r in DATA["supplier_invoice_lines"][:2])
    assert line["u_line_unit_price"] == "3.500000" and line["u_line_number"] == "2"
    assert zero_qty["u_line_unit_price"] == ""


def test_no_exponent_and_no_float_rounding() -> None:
    record = dict(DATA["purchase_orders"][0], NTAM=Decimal("1E+3"))
    assert MAPPINGS["purchase_orders"].map_record(record, CTX)["total_amount"] == "1000"
    record = dict(DATA["purchase_orders"][0], NTAM=0.1 + 0.2)
    assert MAPPINGS["purchase_orders"].map_record(record, CTX)["total_amount"] == "0.30000000000000004"


def test_payment_row() -> None:
    pay = MAPPINGS["payments"].map_record(DATA["payments"][0], CTX)
    assert pay["u_external_payment_number"] == "AAA-2024-9000-1"
    assert pay["u_external_invoice_number"] == "" and pay["u_payment_reference"] == "INV-00000"


@pytest.mark.parametrize(("change", "reason"), [
    ({"CUAM": "abc"}, "not a number"),
    ({"CUAM": None}, "not a number"),
])
def test_bad_records_raise_mapping_error(change: dict, reason: str) -> None:
    with pytest.raises(MappingError, match=reason):
        MAPPINGS["supplier_invoices"].map_record(dict(DATA["supplier_invoices"][0], **change), CTX)


def test_missing_key_field() -> None:
    record = dict(DATA["supplier_invoices"][0])
    del record["JRNO"]
    with pytest.raises(MappingError, match="missing field JRNO"):
        MAPPINGS["supplier_invoices"].map_record(record, CTX)


def test_source_id_from_key_properties_or_mapping_key() -> None:
    record = DATA["supplier_invoices"][0]
    mapping = MAPPINGS["supplier_invoices"]
    assert source_id(record, ["CONO", "DIVI", "YEA4", "JRNO", "JSNO"], mapping, None) == "100|AAA|2024|1000|1"
    row = mapping.map_record(record, CTX)
    assert source_id(record, [], mapping, row) == "AAA-2024-1000|M3-100"


def test_overrides_merge_and_new_streams() -> None:
    mappings = build_mappings("infor_m3", {
        "suppliers": {"staging_table": "u_custom_supplier", "fields": {"url": {"const": "https://x"}}},
        "customers": {"staging_table": "u_customer", "fields": {"u_code": "CUNO"}, "key_columns": ["u_code"]},
    })
    assert mappings["suppliers"].staging_table == "u_custom_supplier"
    assert mappings["suppliers"].map_record(DATA["suppliers"][0], CTX)["url"] == "https://x"
    assert mappings["customers"].map_record(DATA["customers"][0], CTX) == {"u_code": "C0"}
    with pytest.raises(ValueError, match="needs"):
        build_mappings("infor_m3", {"items": {"fields": {"a": "ITNO"}}})


def test_credentials_file_fills_missing_settings_and_explicit_values_win(tmp_path) -> None:
    import json

    from ml_connector.servicenow.credentials import credentials

    path = tmp_path / "sn.json"
    path.write_text(json.dumps({"client_id": "from-file", "client_secret": "file-secret"}), encoding="utf-8")
    creds = credentials({"credentials_file": str(path), "client_id": "explicit"})
    assert creds["client_id"] == "explicit"
    assert creds["client_secret"] == "file-secret"
    assert creds["password"] is None


def test_unreadable_credentials_file_names_the_setting(tmp_path) -> None:
    import pytest

    from ml_connector.servicenow.credentials import credentials

    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="credentials_file"):
        credentials({"credentials_file": str(tmp_path / "bad.json")})


def test_resolved_codes_from_the_mapper_win_over_source_codes() -> None:
    from target_servicenow_s2p.converters import compile_spec

    first = compile_spec({"as": "first", "fields": ["mlc_gl_account", "AIT1"]})
    assert first({"AIT1": "6010", "mlc_gl_account": "60100"}, {}) == "60100"
    assert first({"AIT1": "6010"}, {}) == "6010"  # without the mapper: the source code
    assert first({"AIT1": "6010", "mlc_gl_account": ""}, {}) == "6010"


def test_explicit_credentials_do_not_need_the_credentials_file(tmp_path) -> None:
    from ml_connector.credentials import credentials_from

    config = {"credentials_file": str(tmp_path / "absent.json"), "client_id": "id", "client_secret": "s"}
    assert credentials_from(config, ("client_id", "client_secret")) == {"client_id": "id", "client_secret": "s"}
