"""Encoded-query operators, OR blocks, ordering, dot-walk and dropped unknown fields."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from .helpers import import_many, rows, supplier

CODES = ["S1", "S2", "S3", "X10"]


@pytest.fixture
def suppliers(client: TestClient) -> TestClient:
    import_many(
        client,
        "sn_fcms_intg_imp_supplier",
        [
            supplier("S1", city="Berlin", tax_id="5"),
            supplier("S2", city="Bern", tax_id="7"),
            supplier("S3", city="", tax_id="9"),
            supplier("X10", "OTHER", city="Paris", tax_id="3", status="blocked"),
        ],
    )
    return client


def _codes(client: TestClient, query: str, table: str = "sn_fin_supplier") -> list[str]:
    return [r["erp_number"] for r in rows(client, table, sysparm_query=query, sysparm_fields="erp_number")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("erp_number=S2", ["S2"]),
        ("erp_number!=S2", ["S1", "S3", "X10"]),
        ("tax_id>5", ["S2", "S3"]),
        ("tax_id>=5", ["S1", "S2", "S3"]),
        ("tax_id<5", ["X10"]),
        ("tax_id<=5", ["S1", "X10"]),
        ("cityLIKEer", ["S1", "S2"]),
        ("citySTARTSWITHBer", ["S1", "S2"]),
        ("cityENDSWITHin", ["S1"]),
        ("erp_numberINS1,X10", ["S1", "X10"]),
        ("erp_numberNOT INS1,X10", ["S2", "S3"]),
        ("cityISEMPTY", ["S3"]),
        ("cityISNOTEMPTY", ["S1", "S2", "X10"]),
        ("active=true^erp_source=M3-100^tax_id>5", ["S2", "S3"]),
        ("erp_number=S1^ORerp_number=S3", ["S1", "S3"]),
        ("erp_source=OTHER^NQcity=Bern", ["S2", "X10"]),
        ("nosuchfield=1", CODES),
        ("nosuchfield=1^erp_number=S1", ["S1"]),
        ("", CODES),
    ],
)
def test_operators(suppliers: TestClient, query: str, expected: list[str]) -> None:
    assert sorted(_codes(suppliers, query)) == sorted(expected)


def test_ordering(suppliers: TestClient) -> None:
    assert _codes(suppliers, "ORDERBYtax_id") == ["X10", "S1", "S2", "S3"]
    assert _codes(suppliers, "ORDERBYDESCtax_id") == ["S3", "S2", "S1", "X10"]
    assert _codes(suppliers, "active=true^ORDERBYDESCcity^ORDERBYerp_number") == ["S2", "S1", "S3"]


def test_dot_walk_filter_and_order(suppliers: TestClient) -> None:
    import_many(
        suppliers,
        "sn_fcms_intg_imp_order",
        [
            {"erp_number": "P1", "erp_source": "M3-100", "supplier": "S2"},
            {"erp_number": "P2", "erp_source": "M3-100", "supplier": "S1"},
        ],
    )
    assert _codes(suppliers, "supplier.city=Bern", "sn_shop_purchase_order") == ["P1"]
    assert _codes(suppliers, "supplier.citySTARTSWITHBer^ORDERBYsupplier.city", "sn_shop_purchase_order") == [
        "P2",
        "P1",
    ]
    assert _codes(suppliers, "supplier.nosuch=1", "sn_shop_purchase_order") == ["P1", "P2"]


def test_like_treats_wildcards_literally(suppliers: TestClient) -> None:
    assert _codes(suppliers, "cityLIKE%") == []
    assert _codes(suppliers, "erp_numberLIKE_1") == []


def test_string_comparisons_ignore_case_as_on_the_platform(suppliers: TestClient) -> None:
    """ServiceNow compares strings case-insensitively; the emulator does too (and so can use its NOCASE
    coalesce indexes for the target's lookups)."""
    assert _codes(suppliers, "erp_number=s2") == ["S2"]
    assert sorted(_codes(suppliers, "erp_source=m3-100^erp_numberINs1,x10")) == ["S1"]
    assert sorted(_codes(suppliers, "erp_numberNOT INs1,x10")) == ["S2", "S3"]
