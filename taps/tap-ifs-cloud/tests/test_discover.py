"""`--discover` output is a contract with every downstream mapper/target: snapshot it."""

from __future__ import annotations

import json

from tap_ifs_cloud.tap import TapIFSCloud


def test_discover_snapshot(snapshot) -> None:
    tap = TapIFSCloud(
        config={"base_url": "https://unused.example", "realm": "r", "client_id": "c", "client_secret": "s",
                "companies": ["10"]},
        validate_config=True,
        parse_env_config=False,
    )
    catalog = tap.catalog_dict
    assert [s["tap_stream_id"] for s in catalog["streams"]] == [
        "companies",
        "suppliers",
        "gl_accounts",
        "cost_centers",
        "purchase_orders",
        "purchase_order_lines",
        "supplier_invoices",
        "supplier_invoice_lines",
    ]
    assert json.loads(json.dumps(catalog)) == snapshot
