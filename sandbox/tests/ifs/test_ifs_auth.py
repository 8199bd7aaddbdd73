"""IAM token endpoint (Keycloak shape), token lifetime, revocation, and the per-client quota."""

from __future__ import annotations

from .helpers import INVOICES


def test_client_credentials_token_has_keycloak_fields(ifs) -> None:
    body = ifs.token_response().json()
    assert body["expires_in"] == 180 and body["refresh_expires_in"] == 1800 and body["token_type"] == "Bearer"
    assert {"access_token", "refresh_token", "id_token", "session_state", "scope", "not-before-policy"} <= set(body)


def test_bad_secret_and_wrong_realm_are_refused(ifs) -> None:
    bad = ifs.token_response(client_secret="nope")
    assert bad.status_code == 401 and bad.json()["error"] == "unauthorized_client"
    assert ifs.client.post("/auth/realms/other/protocol/openid-connect/token",
                           data={"grant_type": "client_credentials"}).status_code == 404
    assert ifs.token_response(grant_type="password").json()["error"] == "unsupported_grant_type"


def test_token_expires_after_its_ttl(ifs) -> None:
    now = [1_800_000_000.0]
    ifs.runtime.tokens.clock = lambda: now[0]
    assert ifs.get(INVOICES, {"$top": "1"}).status_code == 200
    now[0] += 181
    response = ifs.get(INVOICES, {"$top": "1"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "UNAUTHORIZED"


def test_revoke_tokens_and_quota_with_retry_after(ifs) -> None:
    ifs.runtime.update_settings({"requests_per_minute": 2})
    assert [ifs.get(INVOICES, {"$top": "1"}).status_code for _ in range(2)] == [200, 200]
    limited = ifs.get(INVOICES, {"$top": "1"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    stats = ifs.client.get("/_sandbox/stats").json()
    assert stats["max_per_minute"] == 3 and stats["by_status"]["429"] == 1
    assert ifs.client.post("/_sandbox/revoke-tokens").json()["revoked"] == 1
    ifs.runtime.update_settings({"requests_per_minute": 100})
    assert ifs.get(INVOICES, {"$top": "1"}).status_code == 401


def test_injected_faults_use_the_ifs_error_body(ifs) -> None:
    ifs.client.put("/_sandbox/faults", json={"rate_5xx": 1.0})
    response = ifs.get(INVOICES, {"$top": "1"})
    assert response.status_code in (500, 502, 503) and "message" in response.json()["error"]
    ifs.client.put("/_sandbox/faults", json={"rate_5xx": 0.0, "rate_429": 1.0, "retry_after_seconds": 2})
    response = ifs.get(INVOICES, {"$top": "1"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
