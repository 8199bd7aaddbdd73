"""Throughput of insertMultiple (printed, not asserted: machines differ)."""

from __future__ import annotations

import time

from starlette.testclient import TestClient

from .helpers import import_many, rows


def test_insert_multiple_throughput(client: TestClient) -> None:
    total, batch = 10_000, 500
    import_many(
        client,
        "sn_fcms_intg_imp_supplier",
        [
            {"erp_company_code": f"S{i:03d}", "erp_source": "M3-100", "legal_name": f"S {i}"}
            for i in range(200)
        ],
    )
    records = [
        {
            "erp_number": f"P{i:06d}",
            "erp_source": "M3-100",
            "supplier": f"S{i % 200:03d}",
            "total_amount": f"{i}.125",
            "currency": "EUR",
            "status": "open",
        }
        for i in range(total)
    ]
    started = time.perf_counter()
    for start in range(0, total, batch):
        import_many(client, "sn_fcms_intg_imp_order", records[start : start + batch])
    elapsed = time.perf_counter() - started
    print(f"\ninsertMultiple: {total} rows in {elapsed:.2f} s = {total / elapsed:,.0f} rows/s")
    count = client.get("/api/now/table/sn_shop_purchase_order", params={"sysparm_limit": 1})
    assert count.headers["x-total-count"] == str(total)
    errors = rows(client, "sys_import_set_row", sysparm_query="sys_import_state=error", sysparm_limit=1)
    assert errors == []
