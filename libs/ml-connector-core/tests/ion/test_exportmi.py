from __future__ import annotations

import pytest
from ml_connector.ion.exportmi import any_of, build_select, keyset_after, literal, parse_rows


def test_literals() -> None:
    assert literal(100) == "100"
    assert literal("S0'1") == "'S0''1'"


def test_build_select() -> None:
    q = build_select("CIDMAS", "ID", ["CONO", "SUNO"], "IDCONO = 100")
    assert q == "IDCONO, IDSUNO from CIDMAS where IDCONO = 100"
    assert build_select("CIDMAS", "ID", ["SUNO"]) == "IDSUNO from CIDMAS"


def test_keyset_composite() -> None:
    cond = keyset_after(["EPDIVI", "EPYEA4", "EPJRNO"], ["AAA", 2024, 17])
    assert cond == (
        "((EPDIVI > 'AAA') or (EPDIVI = 'AAA' and EPYEA4 > 2024) or "
        "(EPDIVI = 'AAA' and EPYEA4 = 2024 and EPJRNO > 17))"
    )
    assert keyset_after(["IDSUNO"], ["S1"]) == "(IDSUNO > 'S1')"
    with pytest.raises(ValueError):
        keyset_after(["A"], [])


def test_any_of() -> None:
    assert any_of("IADIVI", ["AAA"]) == "IADIVI = 'AAA'"
    assert any_of("IADIVI", ["AAA", "BBB"]) == "(IADIVI = 'AAA' or IADIVI = 'BBB')"


def test_parse_rows_with_header() -> None:
    records = [{"REPL": "IDSUNO|IDSUNM"}, {"REPL": "S1|Müller"}, {"REPL": "S2|"}]
    assert list(parse_rows(records, prefix="ID", separator="|")) == [
        {"SUNO": "S1", "SUNM": "Müller"},
        {"SUNO": "S2", "SUNM": ""},
    ]
    with pytest.raises(ValueError, match="separator"):
        list(parse_rows([{"REPL": "IDSUNO"}, {"REPL": "a|b"}], prefix="ID", separator="|"))
