"""Paths and the TestClient wrapper shared by the IFS emulator tests."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from ml_connector_sandbox.ifs import EmulatorHandle

SCALE = 400
API = "/main/ifsapplications/projection/v1"
INVOICES = f"{API}/ManSuppInvoiceHandling.svc/ManSuppInvoiceSet"
LINES = f"{API}/ManSuppInvoiceHandling.svc/ManSuppInvoiceItemSet"
SUPPLIERS = f"{API}/SupplierHandling.svc/SupplierInfoGeneralSet"
PO_LINES = "/int/ifsapplications/entity/v1/PurchaseOrderLineEntity.svc/PurchaseOrderLineSet"


class Ifs:
    """A TestClient with the emulator's credentials."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle, self.creds, self.runtime = handle, handle.credentials, handle.runtime
        self.client = TestClient(handle.app)
        self._token: str | None = None

    def token_response(self, **overrides: str) -> Any:
        data = {"grant_type": "client_credentials", "client_id": self.creds["client_id"],
                "client_secret": self.creds["client_secret"], "scope": "openid microprofile-jwt", **overrides}
        return self.client.post(f"/auth/realms/{self.creds['realm']}/protocol/openid-connect/token", data=data)

    def token(self) -> str:
        if self._token is None:
            self._token = self.token_response().json()["access_token"]
        return self._token

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(path, params=params, headers={"Authorization": f"Bearer {self.token()}", **headers})

    def rows(self, path: str, **params: Any) -> list[dict[str, Any]]:
        response = self.get(path, params)
        assert response.status_code == 200, response.text
        return response.json()["value"]


