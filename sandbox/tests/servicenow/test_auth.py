"""Basic auth, the OAuth grants, expiry, revocation and the 401 body."""

from __future__ import annotations

from ml_connector_sandbox.servicenow.context import Context
from starlette.testclient import TestClient

from .helpers import FakeClock

UNAUTHENTICATED = {
    "error": {"message": "User Not Authenticated", "detail": "Required to provide Auth information"},
    "status": "failure",
}


def _token(anon: TestClient, creds: dict[str, str], grant: str, **extra: str) -> dict:
    form = {
        "grant_type": grant,
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
        **extra,
    }
    response = anon.post("/oauth_token.do", data=form)
    assert response.status_code == 200, response.text
    return response.json()


def test_missing_and_wrong_auth_answer_the_vendor_401(anon: TestClient, handle) -> None:
    response = anon.get("/api/now/table/sys_user")
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED
    wrong = anon.get("/api/now/table/sys_user", auth=(handle.credentials["username"], "nope"))
    assert wrong.status_code == 401


def test_basic_auth_and_credentials_file(client: TestClient, handle, tmp_path) -> None:
    assert client.get("/api/now/table/sys_user").status_code == 200
    assert (tmp_path / "credentials" / "servicenow.json").exists()
    assert handle.credentials["instance_url"] == "http://127.0.0.1:18762"


def test_credentials_survive_a_rebuild(tmp_path) -> None:
    from ml_connector_sandbox.servicenow import build

    first = build(tmp_path, base_url="http://a")
    first.close()
    second = build(tmp_path, base_url="http://a", fresh=True)
    assert second.credentials["password"] == first.credentials["password"]
    second.close()


def test_password_grant_then_refresh(anon: TestClient, handle) -> None:
    creds = handle.credentials
    body = _token(anon, creds, "password", username=creds["username"], password=creds["password"])
    assert body["token_type"] == "Bearer" and body["expires_in"] == 1800 and body["refresh_token"]
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert anon.get("/api/now/table/sys_user", headers=headers).status_code == 200
    refreshed = _token(anon, creds, "refresh_token", refresh_token=body["refresh_token"])
    assert "refresh_token" not in refreshed
    assert (
        anon.get(
            "/api/now/table/sys_user", headers={"Authorization": f"Bearer {refreshed['access_token']}"}
        ).status_code
        == 200
    )


def test_client_credentials_grant_and_its_switch(anon: TestClient, handle, ctx: Context) -> None:
    body = _token(anon, handle.credentials, "client_credentials")
    assert "refresh_token" not in body
    assert anon.put("/_sandbox/settings", json={"client_credentials_enabled": False}).status_code == 200
    form = {
        "grant_type": "client_credentials",
        "client_id": handle.credentials["client_id"],
        "client_secret": handle.credentials["client_secret"],
    }
    denied = anon.post("/oauth_token.do", data=form)
    assert denied.status_code == 401
    assert denied.json() == {"error_description": "access_denied", "error": "server_error"}


def test_bad_client_or_user_is_denied(anon: TestClient, handle) -> None:
    creds = handle.credentials
    form = {
        "grant_type": "password",
        "client_id": creds["client_id"],
        "client_secret": "x",
        "username": creds["username"],
        "password": creds["password"],
    }
    assert anon.post("/oauth_token.do", data=form).status_code == 401
    form["client_secret"] = creds["client_secret"]
    form["password"] = "wrong"
    assert anon.post("/oauth_token.do", data=form).status_code == 401


def test_json_body_is_rejected(anon: TestClient, handle) -> None:
    response = anon.post(
        "/oauth_token.do",
        json={"grant_type": "client_credentials", "client_id": handle.credentials["client_id"]},
    )
    assert response.status_code == 400


def test_token_expires_with_time_travel(anon: TestClient, handle, ctx: Context) -> None:
    clock = FakeClock()
    ctx.tokens.clock = clock
    anon.put("/_sandbox/settings", json={"token_ttl_seconds": 60})
    body = _token(anon, handle.credentials, "client_credentials")
    assert body["expires_in"] == 60
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert anon.get("/api/now/table/sys_user", headers=headers).status_code == 200
    clock.advance(61)
    assert anon.get("/api/now/table/sys_user", headers=headers).json() == UNAUTHENTICATED


def test_revoke_tokens_and_stats(anon: TestClient, handle) -> None:
    body = _token(anon, handle.credentials, "client_credentials")
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert anon.post("/_sandbox/revoke-tokens").json() == {"revoked": 1}
    assert anon.get("/api/now/table/sys_user", headers=headers).status_code == 401
    stats = anon.get("/_sandbox/stats").json()
    assert stats["tokens_issued"] == 1
    assert stats["by_route"]["oauth"] == 1
    assert stats["by_route"]["table:GET:sys_user"] == 1
