"""Mingle SSO token endpoint, token lifetime and revocation, and the credentials files."""

from __future__ import annotations

import json
from pathlib import Path

from ml_connector_sandbox.ion import build

from .conftest import BASE, Ion, FakeClock

LIST = "CRS620MI/LstSuppliers"


def test_password_grant_with_client_in_body(ion: Ion) -> None:
    response = ion.token_response()
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 7200
    assert body["access_token"] and body["refresh_token"]
    assert ion.get(LIST, token=body["access_token"]).status_code == 200
    assert ion.client.get("/_sandbox/stats").json()["tokens_issued"] == 1


def test_password_grant_with_basic_client_auth(ion: Ion) -> None:
    data = {"grant_type": "password", "username": ion.creds["saak"], "password": ion.creds["sask"]}
    response = ion.client.post("/MLC_TST/as/token.oauth2", data=data,
                               auth=(ion.creds["client_id"], ion.creds["client_secret"]))
    assert response.status_code == 200
    assert ion.get(LIST, token=response.json()["access_token"]).status_code == 200


def test_bad_client_is_401_and_bad_service_account_is_400(ion: Ion) -> None:
    bad_client = ion.token_response(client_secret="nope")
    assert bad_client.status_code == 401 and bad_client.json()["error"] == "invalid_client"
    bad_account = ion.token_response(password="nope")
    assert bad_account.status_code == 400 and bad_account.json()["error"] == "invalid_grant"
    assert "error_description" in bad_account.json()
    unsupported = ion.token_response(grant_type="authorization_code")
    assert unsupported.status_code == 400 and unsupported.json()["error"] == "unsupported_grant_type"


def test_token_endpoint_is_form_only(ion: Ion) -> None:
    response = ion.client.post("/MLC_TST/as/token.oauth2", json={"grant_type": "password"})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_refresh_grant_issues_a_new_access_token(ion: Ion) -> None:
    first = ion.token_response().json()
    refreshed = ion.token_response(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.status_code == 200
    assert refreshed.json()["access_token"] != first["access_token"]
    assert ion.get(LIST, token=refreshed.json()["access_token"]).status_code == 200
    assert ion.token_response(grant_type="refresh_token", refresh_token="rt_bogus").status_code == 400


def test_token_expires_after_ttl(ion: Ion, clock: FakeClock) -> None:
    ion.runtime.tokens.clock = clock
    ion.client.put("/_sandbox/settings", json={"token_ttl_seconds": 5})
    body = ion.token_response().json()
    assert body["expires_in"] == 5
    token = body["access_token"]
    clock.now += 4.9
    assert ion.get(LIST, token=token).status_code == 200
    clock.now += 0.2
    expired = ion.get(LIST, token=token)
    assert expired.status_code == 401
    assert expired.json() == {"error": "Unauthorized"}
    assert expired.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_missing_or_unknown_token_is_401(ion: Ion) -> None:
    no_header = ion.client.get(f"/MLC_TST/M3/m3api-rest/v2/execute/{LIST}")
    assert no_header.status_code == 401
    assert ion.get(LIST, token="not-a-token").status_code == 401


def test_revoke_endpoint_and_admin_revoke(ion: Ion) -> None:
    body = ion.token_response().json()
    response = ion.client.post("/MLC_TST/as/revoke_token.oauth2", data={"token": body["access_token"]},
                               auth=(ion.creds["client_id"], ion.creds["client_secret"]))
    assert response.status_code == 200
    assert ion.get(LIST, token=body["access_token"]).status_code == 401
    # Revoking the refresh token kills the grant.
    ion.client.post("/MLC_TST/as/revoke_token.oauth2", data={"token": body["refresh_token"]},
                    auth=(ion.creds["client_id"], ion.creds["client_secret"]))
    assert ion.token_response(grant_type="refresh_token", refresh_token=body["refresh_token"]).status_code == 400

    token = ion.token()
    assert ion.client.post("/_sandbox/revoke-tokens").json()["revoked"] >= 1
    assert ion.get(LIST, token=token).status_code == 401


def test_auth_rate_limit_per_tenant(ion: Ion) -> None:
    ion.client.put("/_sandbox/settings", json={"auth_per_minute": 3})
    statuses = [ion.token_response().status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = ion.token_response()
    assert limited.json() == {"error": "too_many_requests"}
    assert int(limited.headers["Retry-After"]) >= 1


def test_credentials_files_are_stable_across_builds(tmp_path: Path) -> None:
    first = build(tmp_path, base_url=BASE + "/", scale=100)
    first.close()
    second = build(tmp_path, base_url=BASE, scale=100)
    second.close()
    assert first.credentials == second.credentials
    creds = second.credentials
    assert creds["client_id"].startswith("MLC_TST~") and creds["saak"].startswith("MLC_TST#")
    assert creds["api_base_url"] == f"{BASE}/MLC_TST/M3/m3api-rest/v2"
    assert creds["token_url"] == f"{BASE}/MLC_TST/as/token.oauth2"
    ionapi = json.loads(Path(creds["ionapi_path"]).read_text(encoding="utf-8"))
    assert ionapi["iu"] == BASE and ionapi["pu"] == f"{BASE}/MLC_TST/as/"
    assert ionapi["ci"] == creds["client_id"] and ionapi["cs"] == creds["client_secret"]
    assert {k: ionapi[k] for k in ("ti", "ot", "or", "oa", "v", "dt", "ev", "cn")} == {
        "ti": "MLC_TST", "ot": "token.oauth2", "or": "revoke_token.oauth2", "oa": "authorization.oauth2",
        "v": "1.0", "dt": "12", "ev": "U000000001", "cn": "ml-connector"}
    json.dumps(creds)  # JSON-serialisable for `sandbox status --json`
