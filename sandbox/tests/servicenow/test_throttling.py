"""Rate-limit rule, fault injection and admin routes."""

from __future__ import annotations

import time

from ml_connector_sandbox.servicenow.context import RATE_LIMIT_RULE_SYS_ID
from starlette.testclient import TestClient


def test_health_and_settings(anon: TestClient) -> None:
    assert anon.get("/_sandbox/health").json() == {"ok": True, "emulator": "servicenow"}
    settings = anon.get("/_sandbox/settings").json()
    assert settings["token_ttl_seconds"] == 1800 and settings["rate_limit_per_hour"] == 360000
    assert anon.put("/_sandbox/settings", json={"no_such": 1}).status_code == 400


def test_rate_limit_rule(client: TestClient, anon: TestClient) -> None:
    anon.put("/_sandbox/settings", json={"rate_limit_per_hour": 3})
    for _ in range(3):
        ok = client.get("/api/now/table/sys_user")
        assert ok.status_code == 200
        assert (
            ok.headers["x-ratelimit-limit"] == "3"
            and ok.headers["x-ratelimit-rule"] == RATE_LIMIT_RULE_SYS_ID
        )
        assert int(ok.headers["x-ratelimit-reset"]) > time.time()
    over = client.get("/api/now/table/sys_user")
    assert over.status_code == 429
    assert int(over.headers["retry-after"]) >= 1 and over.headers["x-ratelimit-limit"] == "3"
    assert over.json() == {
        "error": {
            "message": "Rate limit exceeded",
            "detail": "Rate limit of 3 requests per hour for REST API exceeded",
        },
        "status": "failure",
    }
    stats = anon.get("/_sandbox/stats").json()
    assert stats["by_status"]["429"] == 1 and stats["max_per_minute"] == 4
    anon.post("/_sandbox/stats/reset")
    assert anon.get("/_sandbox/stats").json()["total"] == 0


def test_injected_faults(client: TestClient, anon: TestClient) -> None:
    anon.put("/_sandbox/faults", json={"rate_429": 1.0, "retry_after_seconds": 2})
    storm = client.get("/api/now/table/sys_user")
    assert storm.status_code == 429 and storm.headers["retry-after"] == "2"
    assert storm.json()["error"]["message"] == "Rate limit exceeded"
    anon.put("/_sandbox/faults", json={"rate_429": 0.0, "rate_5xx": 1.0})
    broken = client.get("/api/now/table/sys_user")
    assert broken.status_code in (500, 502, 503)
    assert broken.json()["error"]["message"] == "Internal server error"
    anon.put("/_sandbox/faults", json={"rate_5xx": 0.0, "slow_rate": 1.0, "slow_ms": 50})
    started = time.perf_counter()
    assert client.get("/api/now/table/sys_user").status_code == 200
    assert time.perf_counter() - started >= 0.05


def test_token_revoked_mid_run(anon: TestClient, handle) -> None:
    creds = handle.credentials
    form = {
        "grant_type": "client_credentials",
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
    }
    headers = {"Authorization": f"Bearer {anon.post('/oauth_token.do', data=form).json()['access_token']}"}
    anon.put("/_sandbox/faults", json={"revoke_tokens_after": 2})
    codes = [anon.get("/api/now/table/sys_user", headers=headers).status_code for _ in range(3)]
    assert codes == [200, 200, 401]
    assert anon.post("/oauth_token.do", data=form).status_code == 200  # the token endpoint is never faulted
