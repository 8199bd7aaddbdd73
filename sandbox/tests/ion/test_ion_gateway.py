"""Gateway behaviour: per-client quota, fault injection, stats, settings, unknown paths."""

from __future__ import annotations

from .conftest import Ion

LIST = "CRS620MI/LstSuppliers"


def test_per_client_quota_answers_429_with_retry_after(ion: Ion) -> None:
    ion.client.put("/_sandbox/settings", json={"rate_limit_per_minute": 5})
    statuses = [ion.get(LIST).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    limited = ion.get(LIST)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    stats = ion.client.get("/_sandbox/stats").json()
    assert stats["by_status"]["429"] == 3
    assert stats["by_route"]["M3/CRS620MI/LstSuppliers"] == 8
    assert stats["max_per_minute"] == 8


def test_quota_without_retry_after(ion: Ion) -> None:
    ion.client.put("/_sandbox/settings", json={"rate_limit_per_minute": 1, "send_retry_after": False})
    assert ion.get(LIST).status_code == 200
    limited = ion.get(LIST)
    assert limited.status_code == 429 and "Retry-After" not in limited.headers


def test_injected_429_and_5xx_fractions(ion: Ion) -> None:
    ion.client.put("/_sandbox/settings", json={"rate_limit_per_minute": 0})  # 0 = no quota
    ion.client.put("/_sandbox/faults", json={"rate_429": 0.2, "rate_5xx": 0.2, "retry_after_seconds": 2.5, "seed": 7})
    responses = [ion.get(LIST, {"FRSU": "S00039"}) for _ in range(300)]
    n429 = [r for r in responses if r.status_code == 429]
    n5xx = [r for r in responses if r.status_code >= 500]
    assert 35 <= len(n429) <= 85 and 35 <= len(n5xx) <= 85
    assert all(r.headers["Retry-After"] == "3" for r in n429)
    assert all(r.json() == {"error": "Internal Server Error"} for r in n5xx)
    assert {r.status_code for r in n5xx} <= {500, 502, 503}
    # Same seed, same pattern.
    ion.client.put("/_sandbox/faults", json={"seed": 7})
    again = [ion.get(LIST, {"FRSU": "S00039"}).status_code for _ in range(300)]
    assert again == [r.status_code for r in responses]


def test_faults_never_hit_admin_or_token_routes(ion: Ion) -> None:
    ion.client.put("/_sandbox/faults", json={"rate_5xx": 1.0})
    assert ion.token_response().status_code == 200
    assert ion.client.get("/_sandbox/health").json() == {"ok": True, "emulator": "ion"}
    assert ion.get(LIST).status_code in (500, 502, 503)


def test_revoke_tokens_after_n_requests(ion: Ion) -> None:
    ion.client.put("/_sandbox/faults", json={"revoke_tokens_after": 2})
    assert [ion.get(LIST).status_code for _ in range(3)] == [200, 200, 401]


def test_settings_round_trip_and_unknown_setting(ion: Ion) -> None:
    settings = ion.client.get("/_sandbox/settings").json()
    assert settings == {"token_ttl_seconds": 7200, "rate_limit_per_minute": 300, "auth_per_minute": 20,
                        "send_retry_after": True, "max_maxrecs": 10000, "retry_after_seconds": 1}
    assert ion.client.put("/_sandbox/settings", json={"nope": 1}).status_code == 400
    assert ion.client.put("/_sandbox/settings", json={"max_maxrecs": 7}).json()["max_maxrecs"] == 7


def test_stats_reset_and_admin_routes_counted_separately(ion: Ion) -> None:
    ion.get(LIST)
    ion.client.post("/_sandbox/stats/reset")
    ion.get(LIST)
    stats = ion.client.get("/_sandbox/stats").json()
    assert stats["by_route"] == {"_sandbox": 1, "M3/CRS620MI/LstSuppliers": 1}
    assert stats["max_per_minute"] == 1


def test_unknown_tenant_and_path_are_404(ion: Ion) -> None:
    headers = {"Authorization": f"Bearer {ion.token()}"}
    assert ion.client.get("/OTHER_TST/M3/m3api-rest/v2/execute/" + LIST, headers=headers).status_code == 404
    assert ion.client.get("/MLC_TST/M3/nothing", headers=headers).status_code == 404
    assert ion.client.post("/OTHER/as/token.oauth2", data={}).status_code == 404
