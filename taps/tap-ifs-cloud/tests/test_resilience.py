"""429 storms, pacing under requests_per_minute, token expiry mid-run, and no secret in the logs."""

from __future__ import annotations

import logging

from ml_connector.singer.rest import ResilientRESTStream

STREAMS = ["suppliers", "supplier_invoices", "purchase_order_lines"]


def test_429s_give_the_same_records_and_pacing_holds(run_tap, config, ifs, monkeypatch) -> None:
    baseline = run_tap({**config, "page_size": 20}, streams=STREAMS)
    monkeypatch.setattr(ResilientRESTStream, "backoff_base_seconds", 0.01)
    ifs.faults(rate_429=0.10, retry_after_seconds=0, seed=3)
    ifs.reset_stats()
    rpm = 1200
    result = run_tap({**config, "page_size": 20, "requests_per_minute": rpm}, streams=STREAMS)
    stats = ifs.stats()
    assert stats["by_status"].get("429", 0) >= 2
    for stream in STREAMS:
        assert sorted(result.keys(stream)) == sorted(baseline.keys(stream)), stream
    assert stats["max_per_minute"] <= rpm


def test_expired_token_mid_run_is_refreshed(run_tap, config, ifs) -> None:
    ifs.settings(token_ttl_seconds=1)  # margin caps at half the lifetime: refreshed before each expiry
    ifs.faults(revoke_tokens_after=3)  # and one revoked token: a single 401, then one re-authentication
    ifs.reset_stats()
    result = run_tap({**config, "page_size": 20}, streams=["supplier_invoice_lines"])
    stats = ifs.stats()
    assert result.records["supplier_invoice_lines"] and stats["by_status"].get("401", 0) <= 1
    assert stats["tokens_issued"] >= 2


def test_no_secret_in_logs(run_tap, config, ifs, caplog, capsys) -> None:
    caplog.set_level(logging.DEBUG)
    result = run_tap(config, streams=["companies"])
    token = result.tap.authenticator.access_token
    ifs.faults(rate_5xx=1.0)
    try:
        run_tap({**config, "max_retries": 0}, streams=["companies"])
    except Exception as exc:  # noqa: BLE001 - the failure text itself must be clean too
        logging.getLogger("test").error("sync failed: %s", exc)
    text = caplog.text + capsys.readouterr().err
    assert config["client_secret"] not in text and token not in text
