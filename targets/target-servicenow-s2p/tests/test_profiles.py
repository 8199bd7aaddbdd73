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
