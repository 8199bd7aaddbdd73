"""Encoded queries: escaping and structure."""

from __future__ import annotations

import pytest

from ml_connector.servicenow import Query


def test_and_or_nq_orderby() -> None:
    q = Query().eq("active", "true").in_("scope", ["a", "b"]).or_eq("scope", "c").new_query().eq("x", 1)
    assert q.order_by("sys_id").build() == "active=true^scopeINa,b^ORscope=c^NQx=1^ORDERBYsys_id"


def test_values_with_commas_leave_the_in_list() -> None:
    assert Query().in_("name", ["A", "B, Inc"]).build() == "nameINA^ORname=B, Inc"


def test_values_with_caret_are_widened_never_split() -> None:
    text = Query().eq("legal_name", "Acme^Supply Co").in_("code", ["x", "y^z"]).build()
    assert text == "legal_nameLIKESupply Co^codeINx^ORcodeLIKEy"
    with pytest.raises(ValueError, match="cannot express"):
        Query().gt("n", "a^b")


def test_empty_in_matches_nothing() -> None:
    assert Query().in_("a", []).build() == "aISEMPTY^aISNOTEMPTY"
