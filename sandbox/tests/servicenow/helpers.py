"""Helpers shared by the ServiceNow emulator tests."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient


class FakeClock:
    """Monotonic-style clock tests can move forward."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def rows(client: TestClient, table: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"/api/now/table/{table}", params=params)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def import_many(client: TestClient, table: str, records: list[dict[str, Any]]) -> str:
    response = client.post(f"/api/now/import/{table}/insertMultiple", json={"records": records})
    assert response.status_code == 201, response.text
    return response.json()["import_set_id"]


def set_rows(client: TestClient, set_id: str) -> list[dict[str, Any]]:
    return rows(client, "sys_import_set_row", sysparm_query=f"sys_import_set={set_id}^ORDERBYsys_import_row")


def supplier(code: str, source: str = "M3-100", **extra: str) -> dict[str, str]:
    return {
        "erp_company_code": code,
        "erp_source": source,
        "legal_name": f"Supplier {code}",
        "status": "active",
        **extra,
    }
