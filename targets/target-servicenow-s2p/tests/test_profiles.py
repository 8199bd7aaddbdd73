"""Profiles join per-source field specs with the instance's staging-table facts (staging.py)."""

from __future__ import annotations

import pytest
from target_servicenow_s2p.profiles import PROFILES, ProfileError, _profile
from target_servicenow_s2p.staging import STAGING_TABLES


def test_profile_takes_staging_facts_and_keeps_field_order() -> None:
    profile = _profile("sn_fcms_intg_imp_supplier", {"legal_name": "NAME", "erp_company_code": "ID"})
    assert profile == {
        "rank": 0,
        "staging_table": "sn_fcms_intg_imp_supplier",
        "target_table": "sn_fin_supplier",
        "key_columns": ["erp_company_code", "erp_source"],
        "fields": {"legal_name": "NAME", "erp_company_code": "ID"},
        "target_fields": {"legal_name": "legal_name", "erp_company_code": "erp_number"},
    }
    assert list(profile["target_fields"]) == ["legal_name", "erp_company_code"]


def test_unknown_staging_column_is_a_clear_error() -> None:
    with pytest.raises(ProfileError, match=r"sn_fcms_intg_imp_supplier.*'no_such_column'"):
        _profile("sn_fcms_intg_imp_supplier", {"legal_name": "NAME", "no_such_column": "X"})


def test_unknown_staging_table_is_a_clear_error() -> None:
    with pytest.raises(ProfileError, match="unknown staging table 'sn_nope'"):
        _profile("sn_nope", {"legal_name": "NAME"})


def test_every_profile_stream_maps_its_staging_keys() -> None:
    for source, streams in PROFILES.items():
        for stream, profile in streams.items():
            table = STAGING_TABLES[profile["staging_table"]]
            assert set(table["key_columns"]) <= set(profile["fields"]), (source, stream)


def test_profiles_do_not_share_mutable_staging_facts() -> None:
    m3, ifs = PROFILES["infor_m3"]["suppliers"], PROFILES["ifs_cloud"]["suppliers"]
    assert m3["key_columns"] is not ifs["key_columns"]
    assert m3["target_fields"]["status"] is not ifs["target_fields"]["status"]
    assert m3["target_fields"]["status"] is not STAGING_TABLES["sn_fcms_intg_imp_supplier"]["transform"]["status"]


def test_ifs_invoice_names_its_purchase_order_by_the_po_key() -> None:
    """Three-way matching: the invoice's PO reference equals the PO's erp_number (number + order date)."""
    from target_servicenow_s2p.converters import compile_spec

    orders, invoices = PROFILES["ifs_cloud"]["purchase_orders"], PROFILES["ifs_cloud"]["supplier_invoices"]
    po_key, invoice_po = compile_spec(orders["fields"]["erp_number"]), compile_spec(invoices["fields"]["u_purchase_order"])
    assert invoice_po({"PoRefNumber": "P0000007", "po_order_date": "2025-03-01"}, {}) == po_key(
        {"OrderNo": "P0000007", "OrderDate": "2025-03-01"}, {}) == "P0000007-2025-03-01"
    assert invoice_po({"PoRefNumber": "", "po_order_date": None}, {}) == ""  # no PO: no reference
    assert invoice_po({"PoRefNumber": "P9", "po_order_date": None}, {}) == "P9"  # PO unknown to IFS: its number
    lines = PROFILES["ifs_cloud"]["supplier_invoice_lines"]
    assert compile_spec(lines["fields"]["u_purchase_order"])(
        {"PoRefNumber": "P0000007", "po_order_date": "2025-03-01"}, {}) == "P0000007-2025-03-01"
