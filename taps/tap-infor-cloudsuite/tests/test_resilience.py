"""Faults injected by the emulator: revoked tokens, 429 with Retry-After, 5xx, and client-side pacing."""

from __future__ import annotations

import time

from ml_connector.singer.rest import ResilientRESTStream

STREAMS = ["suppliers", "supplier_invoices", "purchase_order_lines", "gl_accounts"]


def test_revoked_token_mid_run_recovers_with_one_reauth(run_tap, config, ion) -> None:
    baseline = run_tap(config, streams=STREAMS)
    ion.reset_stats()
    ion.faults(revoke_tokens_after=4)
    result = run_tap(config, streams=STREAMS)
    stats = ion.stats()
    assert stats["by_status"].get("401") == 1
    assert stats["tokens_issued"] == 2  # the start-up token and exactly one re-authentication
    for stream in STREAMS:
        assert sorted(result.keys(stream)) == sorted(baseline.keys(stream))


def test_429_and_5xx_storm_gives_the_same_records(run_tap, config, ion, monkeypatch) -> None:
    baseline = run_tap({**config, "page_size": 25}, streams=STREAMS)
    waits: list[tuple[int | None, float]] = []
    original = ResilientRESTStream.retry_wait

    def recording(self, exception, delays):
        seconds = original(self, exception, delays)
        response = getattr(exception, "response", None)
        waits.append((response.status_code if response is not None else None, seconds))
        return seconds

    monkeypatch.setattr(ResilientRESTStream, "retry_wait", recording)
    monkeypatch.setattr(ResilientRESTStream, "backoff_base_seconds", 0.05)
    ion.faults(rate_429=0.10, rate_5xx=0.05, retry_after_seconds=1, seed=5)
    ion.reset_stats()
    started = time.monotonic()
    result = run_tap({**config, "page_size": 25}, streams=STREAMS)
    elapsed = time.monotonic() - started
    by_status = ion.stats()["by_status"]
    assert by_status.get("429", 0) >= 1 and sum(by_status.get(s, 0) for s in ("500", "502", "503")) >= 1
    for stream in STREAMS:
        assert sorted(result.keys(stream)) == sorted(baseline.keys(stream))
    server_waits = [w for status, w in waits if status == 429]
    assert server_waits and all(w == 1.0 for w in server_waits)  # Retry-After exactly, no jitter
    assert elapsed >= sum(server_waits)


def test_pacing_stays_under_requests_per_minute(run_tap, config, ion) -> None:
    ion.reset_stats()
    started = time.monotonic()
    run_tap({**config, "requests_per_minute": 600, "page_size": 25}, streams=["gl_accounts"])
    elapsed = time.monotonic() - started
    stats = ion.stats()
    api_requests = sum(n for route, n in stats["by_route"].items() if route.startswith("M3/"))
    assert api_requests >= 15
    assert elapsed >= (api_requests - 1) * 0.1 * 0.95  # evenly spaced at 60/600 s
    assert stats["max_per_minute"] <= 600
