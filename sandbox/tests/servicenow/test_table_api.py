"""Table API: CRUD, paging headers, value shapes, the vendor's error bodies and ACLs."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from starlette.testclient import TestClient

from .helpers import import_many, rows, supplier


def _create_cost_centers(client: TestClient, count: int) -> list[dict]:
    created = []
    for i in range(count):
        response = client.post(
            "/api/now/table/cmn_cost_center",
            json={"code": f"CC{i:02d}", "name": f"Center {i}", "erp_source": "M3", "bogus": 1},
        )
        assert response.status_code == 201
        created.append(response.json()["result"])
    return created


def _links(header: str) -> dict[str, str]:
    """rel → sysparm_offset of each Link entry (every entry keeps sysparm_limit)."""
    found = {}
    for url, rel in re.findall(r'<([^>]+)>;rel="(\w+)"', header):
        query = parse_qs(urlsplit(url).query)
        assert query["sysparm_limit"] == ["2"]
        found[rel] = query["sysparm_offset"][0]
    return found


def test_crud_cycle(client: TestClient) -> None:
    response = client.post("/api/now/table/sn_fin_supplier", json={"legal_name": "Acme", "sys_id": "x" * 32})
    assert response.status_code == 201
    record = response.json()["result"]
    assert re.fullmatch(r"[0-9a-f]{32}", record["sys_id"])
    assert record["number"].startswith("SUP") and record["sys_mod_count"] == "0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", record["sys_created_on"])
    assert response.headers["location"].endswith(f"/api/now/table/sn_fin_supplier/{record['sys_id']}")
    url = f"/api/now/table/sn_fin_supplier/{record['sys_id']}"
    patched = client.patch(url, json={"city": "Łódź"}).json()["result"]
    assert patched["city"] == "Łódź" and patched["legal_name"] == "Acme" and patched["sys_mod_count"] == "1"
    assert client.put(url, json={"tax_id": "1"}).json()["result"]["sys_mod_count"] == "2"
    assert client.get(url, params={"sysparm_fields": "legal_name,nope"}).json() == {
        "result": {"legal_name": "Acme"}
    }
    assert client.delete(url).status_code == 204
    missing = client.get(url)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "No Record found"


def test_no_response_body_header(client: TestClient) -> None:
    response = client.post(
        "/api/now/table/cmn_cost_center", json={"code": "A"}, headers={"X-no-response-body": "true"}
    )
    assert response.status_code == 201 and response.content == b""


def test_paging_headers(client: TestClient) -> None:
    _create_cost_centers(client, 5)
    response = client.get("/api/now/table/cmn_cost_center", params={"sysparm_limit": 2, "sysparm_offset": 2})
    assert response.headers["x-total-count"] == "5"
    assert [r["code"] for r in response.json()["result"]] == ["CC02", "CC03"]
    assert _links(response.headers["link"]) == {"first": "0", "prev": "0", "next": "4", "last": "4"}
    first = client.get("/api/now/table/cmn_cost_center", params={"sysparm_limit": 2})
    assert 'rel="prev"' not in first.headers["link"]
    single = client.get("/api/now/table/cmn_cost_center", params={"sysparm_limit": 10})
    assert "link" not in single.headers and single.headers["x-total-count"] == "5"
    no_count = client.get(
        "/api/now/table/cmn_cost_center", params={"sysparm_limit": 2, "sysparm_no_count": "true"}
    )
    assert "x-total-count" not in no_count.headers and "link" not in no_count.headers
    assert len(no_count.json()["result"]) == 2


def test_reference_shapes_and_display_values(client: TestClient) -> None:
    import_many(client, "sn_fcms_intg_imp_supplier", [supplier("S1")])
    import_many(
        client, "sn_fcms_intg_imp_order", [{"erp_number": "P1", "erp_source": "M3-100", "supplier": "S1"}]
    )
    sup = rows(client, "sn_fin_supplier")[0]
    plain = rows(client, "sn_shop_purchase_order", sysparm_fields="supplier")[0]["supplier"]
    assert plain == {
        "link": f"http://127.0.0.1:18762/api/now/table/sn_fin_supplier/{sup['sys_id']}",
        "value": sup["sys_id"],
    }
    bare = rows(
        client, "sn_shop_purchase_order", sysparm_fields="supplier", sysparm_exclude_reference_link="true"
    )
    assert bare[0]["supplier"] == sup["sys_id"]
    shown = rows(
        client, "sn_shop_purchase_order", sysparm_fields="supplier,erp_number", sysparm_display_value="true"
    )
    assert shown[0]["supplier"]["display_value"] == "Supplier S1" and shown[0]["erp_number"] == "P1"
    both = rows(
        client, "sn_shop_purchase_order", sysparm_fields="supplier,erp_number", sysparm_display_value="all"
    )
    assert both[0]["supplier"]["value"] == sup["sys_id"] and both[0]["erp_number"] == {
        "display_value": "P1",
        "value": "P1",
    }
    walked = rows(client, "sn_shop_purchase_order", sysparm_fields="supplier.erp_number")
    assert walked == [{"supplier.erp_number": "S1"}]


def test_invalid_table_and_unknown_uri(client: TestClient) -> None:
    response = client.get("/api/now/table/sn_apo_invoice")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"message": "Invalid table sn_apo_invoice", "detail": None},
        "status": "failure",
    }
    assert (
        client.get("/api/now/nothing").json()["error"]["message"]
        == "Requested URI does not represent any resource"
    )


def test_versioned_paths(client: TestClient) -> None:
    for prefix in ("/api/now/v1/table", "/api/now/v2/table"):
        assert client.get(f"{prefix}/sys_user").status_code == 200


def test_gl_account_insert_is_denied_by_acl(client: TestClient) -> None:
    response = client.post("/api/now/table/sn_fin_gl_account", json={"gl_account": "60100"})
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "message": "Operation Failed",
            "detail": "ACL Exception Insert Failed due to security constraints",
        },
        "status": "failure",
    }


def test_preflight_platform_tables(client: TestClient) -> None:
    scopes = rows(
        client,
        "sys_store_app",
        sysparm_query="scopeINsn_shop,sn_fin,sn_ap_apm,sn_spend_intg,sn_fcms_intg^active=true",
        sysparm_fields="scope,name,version,active",
    )
    assert {s["scope"] for s in scopes} == {"sn_shop", "sn_fin", "sn_ap_apm", "sn_spend_intg", "sn_fcms_intg"}
    tables = rows(
        client,
        "sys_db_object",
        sysparm_query="name=sn_fcms_intg_imp_supplier",
        sysparm_fields="name,label,super_class",
        sysparm_exclude_reference_link="true",
    )
    assert len(tables) == 1 and tables[0]["super_class"]
    columns = rows(
        client,
        "sys_dictionary",
        sysparm_query="name=sn_spend_intg_imp_invoice^internal_type!=collection",
        sysparm_fields="element,column_label,internal_type,mandatory,max_length",
    )
    assert {
        "element": "u_erp_source",
        "column_label": "ERP source",
        "internal_type": "string",
        "mandatory": "false",
        "max_length": "255",
    } in columns
    assert len(columns) == 14
    me = rows(
        client,
        "sys_user",
        sysparm_query="sys_id=javascript:gs.getUserID()",
        sysparm_fields="sys_id,user_name,time_zone",
    )
    assert me[0]["user_name"] == "mlc.integration" and me[0]["time_zone"] == "UTC"
    roles = rows(
        client,
        "sys_user_has_role",
        sysparm_query="user.user_name=mlc.integration^ORuser=javascript:gs.getUserID()",
        sysparm_fields="role.name,inherited,granted_by.name",
        sysparm_display_value="true",
    )
    assert {r["role.name"] for r in roles} >= {"sn_fcms_intg.integration_user", "import_transformer", "soap"}
    multi = rows(client, "sys_rest_insert_multiple", sysparm_fields="staging_table,mode,key_mapping")
    assert len(multi) == 8 and multi[0]["key_mapping"] == "column_name"


def test_roles_setting_and_unreadable_roles(client: TestClient, anon: TestClient) -> None:
    anon.put("/_sandbox/settings", json={"roles": ["soap"]})
    assert [r["role.name"] for r in rows(client, "sys_user_has_role", sysparm_fields="role.name")] == ["soap"]
    anon.put("/_sandbox/settings", json={"roles_readable": False})
    response = client.get("/api/now/table/sys_user_has_role")
    assert response.status_code == 403 and response.json()["error"]["message"] == "Operation Failed"


def test_s2p_apps_not_installed(client: TestClient, anon: TestClient) -> None:
    anon.put("/_sandbox/settings", json={"s2p_apps_installed": False})
    assert client.get("/api/now/table/sn_fin_supplier").status_code == 400
    assert client.get("/api/now/table/sn_fcms_intg_imp_supplier").status_code == 400
    imported = client.post("/api/now/import/sn_fcms_intg_imp_supplier", json=supplier("S1"))
    assert imported.status_code == 400 and imported.json()["error"]["message"].startswith("Invalid table")
    active = rows(client, "sys_scope", sysparm_query="scope=sn_shop", sysparm_fields="active")
    assert active == [{"active": "false"}]
    assert rows(client, "sys_db_object", sysparm_query="name=sn_fin_supplier") == []
    anon.put("/_sandbox/settings", json={"s2p_apps_installed": True})
    assert client.get("/api/now/table/sn_fin_supplier").status_code == 200
    assert len(rows(client, "sys_db_object", sysparm_query="name=sn_fin_supplier")) == 1
