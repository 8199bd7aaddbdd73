"""Import Set API: coalesce cycle, insertMultiple sync/async, key mapping, row errors and limits."""

from __future__ import annotations

import time

from ml_connector_sandbox.servicenow.context import Context
from starlette.testclient import TestClient

from .helpers import FakeClock, import_many, rows, set_rows, supplier


def test_single_import_insert_update_ignored(client: TestClient) -> None:
    url = "/api/now/import/sn_fcms_intg_imp_cost_center"
    body = {"code": "CC1", "name": "Finance", "erp_source": "M3", "legal_entity": "100", "status": "active"}
    first = client.post(url, json=body)
    assert first.status_code == 201
    payload = first.json()
    assert (
        payload["import_set"].startswith("ISET")
        and payload["staging_table"] == "sn_fcms_intg_imp_cost_center"
    )
    item = payload["result"][0]
    assert item["status"] == "inserted" and item["table"] == "cmn_cost_center"
    assert item["transform_map"] == "Master data cost center" and item["display_value"] == "Finance"
    assert item["record_link"].endswith(f"/cmn_cost_center/{item['sys_id']}")
    again = client.post(url, json={**body, "code": "cc1"}).json()["result"][0]  # coalesce ignores case
    assert again["status"] == "updated" and again["sys_id"] == item["sys_id"]
    same = client.post(url, json={**body, "code": "cc1"}).json()["result"][0]
    assert same["status"] == "ignored" and same["status_message"] == "No field values changed"
    record = rows(client, "cmn_cost_center")
    assert len(record) == 1 and record[0]["sys_mod_count"] == "1" and record[0]["active"] == "true"
    row_id = rows(client, "sn_fcms_intg_imp_cost_center")[0]["sys_id"]
    staged = client.get(f"/api/now/import/sn_fcms_intg_imp_cost_center/{row_id}")
    assert staged.json()["result"][0]["status"] == "inserted"


def test_insert_multiple_sync_results_and_import_set(client: TestClient) -> None:
    set_id = import_many(
        client,
        "sn_fcms_intg_imp_supplier",
        [
            supplier("S1"),
            supplier("S2", status="blocked"),
            supplier("", legal_name="no code"),
            supplier("S1"),
            {"erp_company_code": "S3", "erp_source": "M3-100", "legal_entities": {"a": "b:c"}},
        ],
    )
    result = set_rows(client, set_id)
    assert [r["sys_import_state"] for r in result] == [
        "inserted",
        "inserted",
        "skipped",
        "ignored",
        "inserted",
    ]
    assert [r["sys_import_row"] for r in result] == ["0", "1", "2", "3", "4"]
    assert result[0]["sys_target_table"] == "sn_fin_supplier" and len(result[0]["sys_target_sys_id"]) == 32
    assert result[0]["sys_transform_map"] == "Master data supplier"
    assert result[3]["sys_target_sys_id"] == result[0]["sys_target_sys_id"]
    import_set = rows(client, "sys_import_set", sysparm_query=f"sys_id={set_id}")[0]
    assert import_set["state"] == "processed" and import_set["mode"] == "synchronous"
    assert import_set["table_name"] == "sn_fcms_intg_imp_supplier"
    by_code = {r["erp_number"]: r for r in rows(client, "sn_fin_supplier")}
    assert by_code["S2"]["active"] == "false"
    assert by_code["S3"]["legal_entities"] == '{"a"="b=c"}'  # nested JSON mangled like the platform does


def test_line_before_header_and_header_earlier_in_batch(client: TestClient) -> None:
    import_many(client, "sn_fcms_intg_imp_supplier", [supplier("S1")])
    line = {"erp_number": "P1", "erp_line_number": "1", "erp_source": "M3-100", "quantity": "2"}
    early = set_rows(client, import_many(client, "sn_fcms_intg_imp_order_line", [line]))[0]
    assert early["sys_import_state"] == "error"
    assert early["sys_import_state_comment"].startswith(
        "Purchase order line received before its purchase order"
    )
    assert "erp_number='P1' erp_source='M3-100'" in early["sys_row_error"]
    order = {"erp_number": "P1", "erp_source": "M3-100", "supplier": "S1"}
    orphan = {"erp_number": "P2", "erp_source": "M3-100", "supplier": "S404"}
    states = set_rows(client, import_many(client, "sn_fcms_intg_imp_order", [order, orphan]))
    assert states[1]["sys_import_state"] == "error"
    assert (
        states[1]["sys_row_error"]
        == "Reference not found: sn_fin_supplier erp_number='S404' erp_source='M3-100'"
    )
    retried = set_rows(client, import_many(client, "sn_fcms_intg_imp_order_line", [line]))[0]
    assert retried["sys_import_state"] == "inserted"
    po_line = rows(client, "sn_shop_purchase_order_line", sysparm_exclude_reference_link="true")[0]
    assert (
        po_line["purchase_order"] == states[0]["sys_target_sys_id"]
        and po_line["total_individual_units"] == "2"
    )


def test_invoice_chain_in_one_batch_order(client: TestClient) -> None:
    import_many(client, "sn_fcms_intg_imp_supplier", [supplier("S1")])
    inv = {
        "u_external_invoice_number": "I1",
        "u_erp_source": "M3-100",
        "u_supplier": "S1",
        "u_subtotal": "10",
    }
    assert (
        set_rows(client, import_many(client, "sn_spend_intg_imp_invoice", [inv]))[0]["sys_import_state"]
        == "inserted"
    )
    assert rows(client, "sn_shop_invoice")[0]["state"] == "draft"
    line = {"u_external_invoice_number": "I1", "u_line_number": "1", "u_erp_source": "M3-100"}
    assert (
        set_rows(client, import_many(client, "sn_spend_intg_imp_invoice_line", [line]))[0]["sys_import_state"]
        == "inserted"
    )
    pay = {"u_external_payment_number": "PAY1", "u_erp_source": "M3-100", "u_external_invoice_number": "NOPE"}
    paid = set_rows(client, import_many(client, "sn_spend_intg_imp_invoice_payment_detail", [pay]))[0]
    assert paid["sys_import_state"] == "inserted"  # an unknown invoice leaves the reference empty


def test_too_many_records_and_bad_bodies(client: TestClient, anon: TestClient) -> None:
    anon.put("/_sandbox/settings", json={"max_insert_multiple_records": 2})
    url = "/api/now/import/sn_fcms_intg_imp_supplier/insertMultiple"
    too_many = client.post(url, json={"records": [supplier("A"), supplier("B"), supplier("C")]})
    assert too_many.status_code == 400 and too_many.json()["status"] == "failure"
    assert client.post(url, json=[supplier("A")]).status_code == 400
    assert client.post(url, content=b"a=b", headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post("/api/now/import/sn_fin_supplier", json={}).status_code == 400


def test_async_mode_pending_then_processed_with_label_keys(
    client: TestClient, anon: TestClient, ctx: Context
) -> None:
    clock = FakeClock()
    ctx.imports.clock = clock
    deleted = anon.post(
        "/_sandbox/mutate",
        json={
            "action": "delete_rows",
            "table": "sys_rest_insert_multiple",
            "query": "staging_table=sn_fcms_intg_imp_supplier",
        },
    )
    assert deleted.json() == {"deleted": 1}
    by_label = {
        "ERP company code": "S1",
        "ERP source": "M3-100",
        "Legal name": "Labelled",
        "Status": "active",
    }
    by_name = supplier("S2")  # column names are not labels: every key is dropped in async mode
    set_id = import_many(client, "sn_fcms_intg_imp_supplier", [by_label, by_name])
    pending = set_rows(client, set_id)
    assert [r["sys_import_state"] for r in pending] == ["pending", "pending"]
    assert rows(client, "sys_import_set", sysparm_query=f"sys_id={set_id}")[0]["state"] == "loaded"
    clock.advance(2.5)
    done = set_rows(client, set_id)
    assert [r["sys_import_state"] for r in done] == ["inserted", "skipped"]
    assert rows(client, "sys_import_set", sysparm_query=f"sys_id={set_id}")[0]["mode"] == "asynchronous"
    assert rows(client, "sn_fin_supplier", sysparm_fields="legal_name") == [{"legal_name": "Labelled"}]


def test_mode_override_async_real_delay(client: TestClient, anon: TestClient) -> None:
    anon.put(
        "/_sandbox/settings", json={"insert_multiple_mode_override": "async", "async_delay_seconds": 0.05}
    )
    set_id = import_many(
        client, "sn_fcms_intg_imp_supplier", [supplier("S1")]
    )  # sys_rest_insert_multiple: by name
    time.sleep(0.1)
    assert set_rows(client, set_id)[0]["sys_import_state"] == "inserted"
    assert anon.put("/_sandbox/settings", json={"insert_multiple_mode_override": "later"}).status_code == 400


def test_set_fields_mutation_changes_a_target(client: TestClient, anon: TestClient) -> None:
    import_many(client, "sn_fcms_intg_imp_supplier", [supplier("S1")])
    target = rows(client, "sn_fin_supplier")[0]
    answer = anon.post(
        "/_sandbox/mutate",
        json={
            "action": "set_fields",
            "table": "sn_fin_supplier",
            "sys_id": target["sys_id"],
            "fields": {"legal_name": "Edited"},
        },
    )
    assert answer.json() == {"updated": 1}
    again = set_rows(client, import_many(client, "sn_fcms_intg_imp_supplier", [supplier("S1")]))[0]
    assert again["sys_import_state"] == "updated"
    assert rows(client, "sn_fin_supplier")[0]["sys_mod_count"] == "2"
    assert (
        anon.post("/_sandbox/mutate", json={"action": "nope", "table": "sn_fin_supplier"}).status_code == 400
    )
