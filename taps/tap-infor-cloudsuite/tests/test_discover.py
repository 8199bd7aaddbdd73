"""`--discover` output is a contract with every downstream mapper/target: snapshot it."""

from __future__ import annotations

import json

from tap_infor_cloudsuite.tap import TapInforCloudSuite


def test_discover_snapshot(snapshot) -> None:
    tap = TapInforCloudSuite(
        config={"ionapi_path": "unused.ionapi", "companies": [{"cono": "100", "divisions": ["AAA"]}]},
        validate_config=True,
        parse_env_config=False,
    )
    catalog = tap.catalog_dict
    assert [s["tap_stream_id"] for s in catalog["streams"]] == [
        "suppliers",
        "gl_accounts",
        "cost_centers",
        "customers",
        "items",
        "purchase_orders",
        "purchase_order_lines",
        "supplier_invoices",
        "supplier_invoice_lines",
        "payments",
    ]
    assert json.loads(json.dumps(catalog)) == snapshot
