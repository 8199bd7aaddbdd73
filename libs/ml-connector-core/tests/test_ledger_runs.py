"""Runs: start, finish, the mapper+target merge, and the listings the CLI relies on."""

from __future__ import annotations

import pytest
from ml_connector.ledger import Ledger


def test_start_run_returns_hex_id_and_running_status(ledger: Ledger) -> None:
    run_id = ledger.start_run(job="infor-to-servicenow", plugin="mapper-gl-vendor")
    assert len(run_id) == 32 and int(run_id, 16) >= 0
    run = ledger.get_run(run_id)
    assert run is not None
    assert (run.job, run.status, run.plugins, run.finished_at) == (
        "infor-to-servicenow",
        "running",
        ("mapper-gl-vendor",),
        None,
    )
    assert run.duration_seconds is None


def test_explicit_run_id_is_kept(ledger: Ledger) -> None:
    assert ledger.start_run(job="j", plugin="p", run_id="meltano-run-1") == "meltano-run-1"
    assert ledger.get_run("meltano-run-1") is not None
    assert ledger.get_run("missing") is None


def test_finish_merges_mapper_and_target_reports(ledger_url: str) -> None:
    mapper, target = Ledger(ledger_url), Ledger(ledger_url)
    try:
        run_id = mapper.start_run(job="infor-to-servicenow", plugin="mapper-gl-vendor")
        target.start_run(job="infor-to-servicenow", plugin="target-servicenow-s2p", run_id=run_id)
        mapper.finish_run(
            run_id, status="succeeded", counts={"suppliers": {"extracted": 10, "quarantined": 2}}
        )
        assert mapper.get_run(run_id).status == "running"  # the target has not finished yet
        target.finish_run(
            run_id,
            status="succeeded",
            counts={
                "suppliers": {"extracted": 8, "inserted": 5, "updated": 1, "unchanged": 1, "failed": 1},
                "purchase_orders": {"extracted": 3, "inserted": 3},
            },
        )
        run = target.get_run(run_id)
        assert run.status == "succeeded"
        assert run.plugins == ("mapper-gl-vendor", "target-servicenow-s2p")
        assert run.counts["suppliers"] == {
            "extracted": 10,
            "inserted": 5,
            "updated": 1,
            "unchanged": 1,
            "quarantined": 2,
            "failed": 1,
        }
        assert run.counts["purchase_orders"]["inserted"] == 3
        assert run.counts["purchase_orders"]["failed"] == 0
        assert run.totals()["inserted"] == 8
        assert run.finished_at is not None and run.duration_seconds >= 0
    finally:
        mapper.close()
        target.close()


def test_same_plugin_finishing_twice_replaces_its_counts(ledger: Ledger) -> None:
    run_id = ledger.start_run(job="j", plugin="target")
    ledger.finish_run(run_id, status="failed", counts={"s": {"inserted": 4}})
    ledger.finish_run(run_id, status="succeeded", counts={"s": {"inserted": 5}})
    run = ledger.get_run(run_id)
    assert run.counts["s"]["inserted"] == 5
    assert run.status == "succeeded"


def test_worst_plugin_status_wins(ledger: Ledger) -> None:
    run_id = ledger.start_run(job="j", plugin="mapper")
    ledger.start_run(job="j", plugin="target", run_id=run_id)
    ledger.finish_run(run_id, status="succeeded", counts={}, plugin="mapper")
    ledger.finish_run(run_id, status="failed", counts={}, plugin="target")
    assert ledger.get_run(run_id).status == "failed"


def test_finish_unknown_run_raises(ledger: Ledger) -> None:
    with pytest.raises(KeyError):
        ledger.finish_run("nope", status="succeeded", counts={})


def test_list_and_last_run_newest_first_and_by_job(ledger: Ledger) -> None:
    ids = [ledger.start_run(job="a" if i % 2 else "b", plugin="p", run_id=f"r{i}") for i in range(5)]
    assert [run.run_id for run in ledger.list_runs()] == list(reversed(ids))
    assert [run.run_id for run in ledger.list_runs(job="a")] == ["r3", "r1"]
    assert [run.run_id for run in ledger.list_runs(limit=2)] == ["r4", "r3"]
    assert ledger.last_run().run_id == "r4"
    assert ledger.last_run(job="b").run_id == "r4"
    assert ledger.last_run(job="a").run_id == "r3"
    assert ledger.last_run(job="zzz") is None
