"""EXPORTMI/Select: the QERY parser and the served rows (company scope, key order, headers, count)."""

from __future__ import annotations

import pytest

from ml_connector_sandbox.ion.exportmi import QueryError, parse_query

from .conftest import Ion


def test_parser_builds_parameterised_sql() -> None:
    q = parse_query("IASUNO, IAPUNO, IALMDT from MPHEAD where IACONO = 100 and IALMDT >= 20240301 "
                    "and (IAPUNO > '0000001240' or IANTAM <= 12.5)")
    assert q.file.name == "MPHEAD" and q.columns == ["SUNO", "PUNO", "LMDT"]
    assert q.headers == ["IASUNO", "IAPUNO", "IALMDT"]
    assert q.params == [20240301, "0000001240", 12.5]
    assert q.lmdt_bounds == [(">=", 20240301)]
    sql, params = q.sql(200, 10)
    assert params == [200, 20240301, "0000001240", 12.5, 10]
    assert "ORDER BY CONO, PUNO" in sql and "'" not in sql


def test_parser_accepts_operators_quotes_and_count() -> None:
    for op in ("=", "<>", "!=", ">", ">=", "<", "<="):
        assert parse_query(f"IDSUNO from CIDMAS where IDSUNO {op} 'S1'").params == ["S1"]
    assert parse_query("IDSUNM from CIDMAS where IDSUNM = 'O''Brien'").params == ["O'Brien"]
    assert parse_query("count(#) from FGLEDG where EGACAM > -5").count
    assert parse_query("idsuno FROM cidmas WHERE idstat = '90' OR (idsuno < 'S2' AND idsuno > 'S1')").columns == ["SUNO"]
    assert parse_query("IDSUNO from CIDMAS where IDLMDT > 1 or IDSUNO = 'X'").lmdt_bounds == []


@pytest.mark.parametrize(
    "query",
    [
        "* from CIDMAS",
        "SUNO from CIDMAS",  # missing prefix
        "IASUNO from CIDMAS",  # other file's prefix
        "IDSUNO from NOFILE",
        "IDSUNO CIDMAS",
        "IDSUNO from CIDMAS where",
        "IDSUNO from CIDMAS where IDSUNO = ",
        "IDSUNO from CIDMAS where IDSUNO = 'x' and",
        "IDSUNO from CIDMAS where (IDSUNO = 'x'",
        "IDSUNO from CIDMAS where IDSUNO like 'x'",
        "IDSUNO from CIDMAS where IDSUNO = 'x'; drop table CIDMAS",
        "IDSUNO from CIDMAS where IDSUNO = 'unterminated",
        "IDSUNO from CIDMAS where IDSUNO = IDSUNM",
        "",
    ],
)
def test_parser_rejects_bad_queries(query: str) -> None:
    with pytest.raises(QueryError):
        parse_query(query)


def test_bad_query_is_an_m3_error(ion: Ion) -> None:
    result = ion.mi("EXPORTMI/Select", {"QERY": "* from CIDMAS"})
    assert result["errorType"] == "ServerReturnedNOK" and result["errorField"] == "QERY"
    assert ion.mi("EXPORTMI/Select")["errorType"] == "MandatoryInputFieldNotFound"


def test_rows_come_from_the_call_company_in_key_order(ion: Ion) -> None:
    query = "EPCONO, EPDIVI, EPYEA4, EPJRNO, EPJSNO from FPLEDG where EPCONO = 200"
    default_company = ion.export(query, ";maxrecs=0")
    company_200 = ion.export(query, ";maxrecs=0;cono=200")
    assert default_company and all(r.startswith("100;") for r in default_company)
    assert company_200 and all(r.startswith("200;AAA;") for r in company_200)

    def key(row: str) -> tuple[int, str, int, int, int]:
        c, d, y, j, s = row.split(";")
        return int(c), d, int(y), int(j), int(s)

    assert [key(r) for r in default_company] == sorted(key(r) for r in default_company)


def test_headers_separator_maxrecs_and_count(ion: Ion) -> None:
    rows = ion.export("IAPUNO, IASUNO, IALMDT from MPHEAD", ";maxrecs=5", HDRS="1", SEPC="|")
    assert rows[0] == "IAPUNO|IASUNO|IALMDT" and len(rows) == 5  # the header row counts toward maxrecs
    assert all(len(r.split("|")) == 3 for r in rows)
    total = int(ion.export("count(#) from MPHEAD")[0])
    assert total == len(ion.export("IAPUNO from MPHEAD", ";maxrecs=0"))
    assert len(ion.export("IAPUNO from MPHEAD")) == min(total, 100)


def test_keyset_paging_with_lmdt_window(ion: Ion) -> None:
    """The client pattern: LMDT window plus an inclusive key cursor, deduplicated on the key."""
    base = "IAPUNO, IALMDT from MPHEAD where IALMDT >= 20000101 and IALMDT <= 29991231"
    everything = ion.export(base, ";maxrecs=0")
    seen: list[str] = []
    cursor = ""
    while True:
        query = base + (f" and IAPUNO >= '{cursor}'" if cursor else "")
        page = ion.export(query, ";maxrecs=9")
        seen.extend(r for r in page if not seen or r.split(";")[0] > seen[-1].split(";")[0])
        if len(page) < 9:
            break
        cursor = page[-1].split(";")[0]
    assert seen == everything


def test_numeric_and_decimal_comparisons(ion: Ion) -> None:
    rows = ion.export("EGACAM from FGLEDG where EGACAM > 1000.5", ";maxrecs=0")
    assert rows and all(float(r) > 1000.5 for r in rows)
    assert all("e" not in r.lower() for r in rows)
    invoices = ion.export("EPTRCD, EPCUAM from FPLEDG where EPTRCD = '50'", ";maxrecs=0")
    assert invoices and all(r.startswith("50;-") for r in invoices)


def test_keyset_condition_becomes_a_row_value_seek() -> None:
    """What tap-infor-cloudsuite sends after each page reads as one row-value range, so a page at 1M rows is an
    index seek (0.006 s) instead of a scan from the start of the company (0.35 s)."""
    query = parse_query("IDSUNO from CIDMAS where IDCONO = 100 and IDSTAT = '20' and "
                        "(IDSUNO > 'S1' or (IDSUNO = 'S1' and IDSUNM > 'X'))")
    assert query.where_sql == "1 = 1 AND STAT = ? AND ((SUNO, SUNM) > (?, ?))"
    assert query.params == ["20", "S1", "X"]
    other = parse_query("IDSUNO from CIDMAS where (IDSUNO > 'S1' or (IDSUNO = 'S2' and IDSUNM > 'X'))")
    assert other.where_sql == "(SUNO > ? OR (SUNO = ? AND SUNM > ?))"  # not the pattern: left as written


def test_keyset_paging_in_three_key_columns_reads_every_row_once(ion: Ion) -> None:
    base = "EGDIVI, EGYEA4, EGJRNO, EGJSNO from FGLEDG"
    everything = ion.export(base, ";maxrecs=0")
    seen: list[str] = []
    while True:
        after = ""
        if seen:
            d, y, j, s = seen[-1].split(";")
            after = (f" where (EGDIVI > '{d}' or (EGDIVI = '{d}' and EGYEA4 > {y}) or "
                     f"(EGDIVI = '{d}' and EGYEA4 = {y} and EGJRNO > {j}) or "
                     f"(EGDIVI = '{d}' and EGYEA4 = {y} and EGJRNO = {j} and EGJSNO > {s}))")
        page = ion.export(base + after, ";maxrecs=7")
        seen.extend(page)
        if len(page) < 7:
            break
    assert seen == everything and len(set(seen)) == len(seen)
