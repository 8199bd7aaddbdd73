"""record_outcomes semantics: audit trail, processed keys, and the dead-letter/quarantine queues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ml_connector.hashing import content_hash
from ml_connector.ledger import Ledger, ProcessedKey, RecordOutcome

SYS, STREAM = "infor-m3", "suppliers"


def _ok(
    source_id: str, action: str = "inserted", digest: str = "h1", target_id: str | None = "sys-1"
) -> RecordOutcome:
    return RecordOutcome(
        STREAM,
        SYS,
        source_id,
        action,
        content_hash=digest,
        target_table="x_s2p_supplier",
        target_id=target_id,
    )


def _bad(
    source_id: str, action: str = "failed", error: str = "boom", payload: dict | None = None
) -> RecordOutcome:
    return RecordOutcome(STREAM, SYS, source_id, action, error=error, payload=payload or {"id": source_id})


@pytest.fixture
def run_id(ledger: Ledger) -> str:
    return ledger.start_run(job="infor-to-servicenow", plugin="target-servicenow-s2p")


def test_processed_keys_upserted_for_successes(ledger: Ledger, run_id: str) -> None:
    ledger.record_outcomes(run_id, [_ok("A"), _ok("B", digest="hb", target_id="sys-b"), _bad("C")])
    found = ledger.processed_keys(source_system=SYS, stream=STREAM, source_ids=["A", "B", "C", "Z"])
    assert found == {
        "A": ProcessedKey("h1", "x_s2p_supplier", "sys-1", run_id),
        "B": ProcessedKey("hb", "x_s2p_supplier", "sys-b", run_id),
    }
    second = ledger.start_run(job="infor-to-servicenow", plugin="target-servicenow-s2p")
    ledger.record_outcomes(
        second, [_ok("A", "updated", digest="h2", target_id=None), _ok("B", "unchanged", digest="hb")]
    )
    found = ledger.processed_keys(source_system=SYS, stream=STREAM, source_ids=["A", "B"])
    assert found["A"] == ProcessedKey(
        "h2", "x_s2p_supplier", "sys-1", second
    )  # target id kept when not repeated
    assert found["B"].last_run_id == second


def test_processed_keys_scoped_by_system_and_stream_and_chunked(ledger: Ledger, run_id: str) -> None:
    ids = [f"S{i:05d}" for i in range(1200)]
    ledger.record_outcomes(run_id, [_ok(i) for i in ids])
    assert len(ledger.processed_keys(source_system=SYS, stream=STREAM, source_ids=ids)) == 1200
    assert ledger.processed_keys(source_system=SYS, stream="invoices", source_ids=ids) == {}
    assert ledger.processed_keys(source_system="ifs", stream=STREAM, source_ids=ids) == {}
    assert ledger.processed_keys(source_system=SYS, stream=STREAM, source_ids=[]) == {}


def test_failure_opens_entry_with_payload_and_repeat_updates_it(ledger: Ledger, run_id: str) -> None:
    payload = {"id": "C", "amount": Decimal("1234.50"), "due": dt.date(2024, 5, 1)}
    ledger.record_outcomes(run_id, [_bad("C", error="HTTP 400", payload=payload)])
    [entry] = ledger.open_entries()
    assert (entry.kind, entry.attempts, entry.error, entry.job) == (
        "dead_letter",
        1,
        "HTTP 400",
        "infor-to-servicenow",
    )
    assert entry.payload == {"id": "C", "amount": "1234.50", "due": "2024-05-01"}
    second = ledger.start_run(job="infor-to-servicenow", plugin="target-servicenow-s2p")
    ledger.record_outcomes(second, [_bad("C", error="HTTP 500", payload={"id": "C", "v": 2})])
    [again] = ledger.open_entries()
    assert again.id == entry.id
    assert (again.attempts, again.error, again.payload, again.run_id) == (
        2,
        "HTTP 500",
        {"id": "C", "v": 2},
        second,
    )
    assert again.created_at == entry.created_at and again.updated_at >= entry.updated_at


def test_repeated_failure_in_one_batch_counts_attempts(ledger: Ledger, run_id: str) -> None:
    ledger.record_outcomes(run_id, [_bad("C", error="one"), _bad("C", error="two")])
    [entry] = ledger.open_entries()
    assert (entry.attempts, entry.error) == (2, "two")


def test_kinds_are_separate_queues(ledger: Ledger, run_id: str) -> None:
    ledger.record_outcomes(run_id, [_bad("C", "quarantined", error="unknown GL 4000"), _bad("C", "failed")])
    assert sorted(e.kind for e in ledger.open_entries()) == ["dead_letter", "quarantine"]
    assert [e.error for e in ledger.open_entries(kind="quarantine")] == ["unknown GL 4000"]


def test_success_closes_open_entries(ledger: Ledger, run_id: str) -> None:
    ledger.record_outcomes(run_id, [_bad("C", "quarantined"), _bad("C", "failed"), _bad("D")])
    replay = ledger.start_run(job="infor-to-servicenow", plugin="target-servicenow-s2p")
    ledger.record_outcomes(replay, [_ok("C")])
    assert [(e.source_id, e.kind) for e in ledger.open_entries()] == [("D", "dead_letter")]
    ledger.record_outcomes(replay, [_bad("C")])  # a later failure opens a fresh entry
    reopened = ledger.open_entries(source_id="C")
    assert [(e.kind, e.attempts) for e in reopened] == [("dead_letter", 1)]


def test_order_within_a_batch_decides(ledger: Ledger, run_id: str) -> None:
    ledger.record_outcomes(run_id, [_bad("A"), _ok("A"), _ok("B"), _bad("B", error="after")])
    assert [(e.source_id, e.error) for e in ledger.open_entries()] == [("B", "after")]
    assert set(ledger.processed_keys(source_system=SYS, stream=STREAM, source_ids=["A", "B"])) == {"A", "B"}


def test_history_is_oldest_first_across_runs(ledger: Ledger, run_id: str) -> None:
    ledger.record_outcomes(run_id, [_bad("A", error="first"), _ok("A")])
    second = ledger.start_run(job="infor-to-servicenow", plugin="target-servicenow-s2p")
    ledger.record_outcomes(second, [_ok("A", "unchanged")])
    ledger.record_outcomes(second, [RecordOutcome("invoices", SYS, "A", "inserted", content_hash="x")])
    history = ledger.record_history(source_id="A", stream=STREAM)
    assert [(h.run_id, h.action, h.error) for h in history] == [
        (run_id, "failed", "first"),
        (run_id, "inserted", None),
        (second, "unchanged", None),
    ]
    assert history[1].target_id == "sys-1" and history[1].content_hash == "h1"
    assert history[0].recorded_at.tzinfo is not None
    assert len(ledger.record_history(source_id="A")) == 4
    assert ledger.record_history(source_id="A", source_system="other") == []


def test_open_entries_filters(ledger: Ledger, run_id: str) -> None:
    other = ledger.start_run(job="ifs-to-servicenow", plugin="target-servicenow-s2p")
    ledger.record_outcomes(run_id, [_bad("A"), _bad("B", "quarantined")])
    ledger.record_outcomes(other, [RecordOutcome("invoices", "ifs", "I1", "failed", error="x")])
    assert len(ledger.open_entries()) == 3
    assert [e.source_id for e in ledger.open_entries(kind="dead_letter", source_system=SYS)] == ["A"]
    assert [e.source_id for e in ledger.open_entries(stream="invoices")] == ["I1"]
    assert [e.source_id for e in ledger.open_entries(job="ifs-to-servicenow")] == ["I1"]
    assert [e.source_id for e in ledger.open_entries(source_id="B")] == ["B"]
    assert ledger.open_entries(kind="quarantine", job="ifs-to-servicenow") == []


def test_bad_batches_are_rejected_whole(ledger: Ledger, run_id: str) -> None:
    with pytest.raises(ValueError, match="unknown action"):
        ledger.record_outcomes(run_id, [_ok("A"), RecordOutcome(STREAM, SYS, "B", "loaded")])
    with pytest.raises(ValueError, match="content_hash"):
        ledger.record_outcomes(run_id, [RecordOutcome(STREAM, SYS, "B", "inserted")])
    assert ledger.record_history(source_id="A") == []
    ledger.record_outcomes(run_id, [])  # nothing to do is fine


def test_hash_of_record_round_trips(ledger: Ledger, run_id: str) -> None:
    record = {"id": "A", "amount": Decimal("10.50")}
    ledger.record_outcomes(run_id, [_ok("A", digest=content_hash(record))])
    found = ledger.processed_keys(source_system=SYS, stream=STREAM, source_ids=["A"])
    assert found["A"].content_hash == content_hash({"id": "A", "amount": Decimal("10.5")})


def test_protected_values_never_reach_the_ledger(ledger: Ledger, run_id: str) -> None:
    from ml_connector.secrets import protect

    protect("ledger-token-77f1")
    ledger.record_outcomes(
        run_id,
        [
            _bad(
                "A",
                error="401 for https://h/?token=ledger-token-77f1",
                payload={"auth": "ledger-token-77f1", "pin": 77011},
            )
        ],
    )
    [entry] = ledger.open_entries()
    assert entry.error == "401 for https://h/?token=***" and entry.payload == {"auth": "***", "pin": 77011}
    assert "ledger-token-77f1" not in (ledger.record_history(source_id="A")[0].error or "")
