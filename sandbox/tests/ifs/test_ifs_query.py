"""OData query options: $filter operators and literals, $select, $orderby, $count, both paging styles, errors."""

from __future__ import annotations

import pytest

from .helpers import API, INVOICES, LINES, PO_LINES, SUPPLIERS


def _ids(rows: list[dict]) -> list[tuple[str, int]]:
    return [(r["Company"], r["InvoiceId"]) for r in rows]


def _all(ifs, path: str, **params: str) -> list[dict]:
    return ifs.rows(path, **{"$top": "5000", **params})


@pytest.mark.parametrize(("op", "check"), [
    ("ge", lambda v, x: v >= x), ("gt", lambda v, x: v > x), ("eq", lambda v, x: v == x),
    ("lt", lambda v, x: v < x), ("le", lambda v, x: v <= x), ("ne", lambda v, x: v != x),
])
def test_comparisons_on_timestamps_dates_strings_numbers(ifs, op, check) -> None:
    rows = _all(ifs, INVOICES)
    pivot = sorted(rows, key=lambda r: r["Rowversion"])[len(rows) // 2]
    cases = [("Rowversion", pivot["Rowversion"], pivot["Rowversion"]), ("InvoiceDate", pivot["InvoiceDate"], pivot["InvoiceDate"]),
             ("Identity", f"'{pivot['Identity']}'", pivot["Identity"]), ("InvoiceId", str(pivot["InvoiceId"]), pivot["InvoiceId"]),
             ("NetCurrAmount", str(pivot["NetCurrAmount"]), pivot["NetCurrAmount"])]
    for field, literal, value in cases:
        got = _all(ifs, INVOICES, **{"$filter": f"{field} {op} {literal}"})
        assert _ids(got) == _ids([r for r in rows if check(r[field], value)]), field


def test_and_or_parentheses_and_offsets(ifs) -> None:
    rows = _all(ifs, INVOICES)
    expr = "Company eq '10' and (InvoiceDate lt 2026-01-01 or Rowversion ge 2026-01-01T01:00:00+01:00)"
    got = _all(ifs, INVOICES, **{"$filter": expr})
    want = [r for r in rows if r["Company"] == "10" and (r["InvoiceDate"] < "2026-01-01" or r["Rowversion"] >= "2026-01-01T00:00:00Z")]
    assert _ids(got) == _ids(want) and got


def test_quote_escaping_in_string_literals(ifs) -> None:
    names = [r["Name"] for r in _all(ifs, SUPPLIERS)]
    name = next(n for n in names if "'" in n)
    got = _all(ifs, SUPPLIERS, **{"$filter": "Name eq '" + name.replace("'", "''") + "'"})
    assert got and all(r["Name"] == name for r in got)


def test_select_returns_etag_and_selected_only_and_meta_without_select(ifs) -> None:
    row = ifs.rows(INVOICES, **{"$select": "InvoiceId,NetCurrAmount", "$top": "1"})[0]
    assert set(row) == {"@odata.etag", "InvoiceId", "NetCurrAmount"}
    full = ifs.rows(INVOICES, **{"$top": "1"})[0]
    assert {"luname", "keyref", "Objgrants"} <= set(full) and full["keyref"].startswith("COMPANY=")


def test_orderby_count_top_skip(ifs) -> None:
    body = ifs.get(INVOICES, {"$orderby": "InvoiceId desc", "$count": "true", "$top": "3", "$skip": "2"}).json()
    everything = _all(ifs, INVOICES, **{"$orderby": "InvoiceId desc"})
    assert body["@odata.count"] == len(everything) and _ids(body["value"]) == _ids(everything[2:5])
    assert "@odata.nextLink" not in body  # $top is a hard limit, as on live tenants


def test_maxpagesize_answers_preference_applied_and_next_links(ifs) -> None:
    expected = _ids(_all(ifs, INVOICES))
    response = ifs.get(INVOICES, {"$count": "true"}, Prefer="odata.maxpagesize=25")
    assert response.headers["Preference-Applied"] == "odata.maxpagesize=25"
    got, body = [], response.json()
    while True:
        got += body["value"]
        if "@odata.nextLink" not in body:
            break
        body = ifs.get(body["@odata.nextLink"], Prefer="odata.maxpagesize=25").json()
    assert _ids(got) == expected


def test_page_size_is_capped_by_the_server(ifs) -> None:
    ifs.runtime.update_settings({"server_page_size": 40})
    big = ifs.get(LINES, {"$top": "100"}, Prefer="odata.maxpagesize=5000")
    assert big.headers["Preference-Applied"] == "odata.maxpagesize=40"
    body = big.json()
    assert len(body["value"]) == 40 and "$skiptoken=40" in body["@odata.nextLink"]
    no_top = ifs.get(LINES).json()
    assert len(no_top["value"]) == 40 and "@odata.nextLink" in no_top


def test_entity_service_path_and_service_document(ifs) -> None:
    assert ifs.rows(PO_LINES, **{"$top": "1"})[0]["LineNo"]
    assert ifs.get(PO_LINES.replace("/int/", "/main/")).status_code == 404
    doc = ifs.get(f"{API}/ManSuppInvoiceHandling.svc/").json()
    assert {"ManSuppInvoiceSet", "ManSuppInvoiceItemSet"} <= {v["name"] for v in doc["value"]}
    assert b"EntityType" in ifs.get(f"{API}/ManSuppInvoiceHandling.svc/$metadata").content


def test_errors_use_the_ifs_body(ifs) -> None:
    bad = ifs.get(INVOICES, {"$filter": "NotAColumn eq 1"})
    assert bad.status_code == 400 and bad.json()["error"]["message"] == "Malformed Request."
    assert "'NotAColumn', used in a query expression" in bad.json()["error"]["details"][0]["message"]
    assert ifs.get(f"{API}/Nope.svc/Things").json() == {"error": {"code": "ODP_NOT_FOUND", "message": "Metadata not found."}}
    assert ifs.get(INVOICES, {"$expand": "Lines"}).json()["error"]["code"] == "ODP_NOT_IMPLEMENTED"
    assert ifs.get(INVOICES, {"$filter": "InvoiceDate eq 'x'"}).status_code == 400
    assert ifs.get(INVOICES, {"$filter": "(Company eq '10'"}).status_code == 400


def test_hidden_change_timestamp_and_allowed_companies(ifs) -> None:
    ifs.runtime.update_settings({"expose_change_timestamp": False, "allowed_companies": ["20"]})
    assert ifs.get(INVOICES, {"$filter": "Rowversion gt 2020-01-01T00:00:00Z"}).status_code == 400
    rows = _all(ifs, INVOICES)
    assert rows and {r["Company"] for r in rows} == {"20"} and "Rowversion" not in rows[0]
    assert ifs.rows(INVOICES, **{"$filter": "Company eq '10'"}) == []
