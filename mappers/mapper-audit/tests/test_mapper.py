"""mapper-audit: order-preserving pass-through, one audit record per record, dead letters in the ledger."""

from __future__ import annotations

import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from mapper_audit.mapper import AuditMapper
from mapper_audit.shape import RecordError, decimal_text
from ml_connector.ledger import Ledger

TAP_OUTPUT = Path(__file__).parent / "data" / "m3_invoices_tap.singer"


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, **config: Any) -> list[dict]:
    """Run the mapper in-process on Singer text; returns the messages it wrote to stdout."""
    settings = {"ledger_url": f"sqlite:///{tmp_path / 'ledger.db'}", "job_name": "infor-to-snowflake", **config}
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", stdout)
        AuditMapper(config=settings).listen(io.StringIO(text))
        stdout.flush()
    out = stdout.buffer.getvalue().decode()
    return [json.loads(line, parse_float=Decimal) for line in out.splitlines() if line.strip()]


def test_pass_through_keeps_order_and_adds_one_audit_record_per_record(tmp_path, monkeypatch) -> None:
    out = _run(tmp_path, monkeypatch, TAP_OUTPUT.read_text(), run_id="run-1")
    kinds = [(m["type"], m.get("stream")) for m in out]
    assert kinds[0] == ("SCHEMA", "load_audit")  # audit schema before any audit record
    assert kinds[1] == ("SCHEMA", "supplier_invoices")
    assert kinds[-1] == ("STATE", None)  # STATE still last, after every record it covers
    data = [m for m in out if m["type"] == "RECORD" and m["stream"] == "supplier_invoices"]
    audit = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "load_audit"]
    assert len(data) == 10  # 12 in, 2 dead-lettered
    assert len(audit) == 12  # one audit row per record, failed ones included
    assert [a["source_record_id"] for a in audit[:2]] == ["100|AAA|2026|1001|1", "100|AAA|2026|1002|1"]
    # data records come in input order, each followed by its audit record
    assert [m["record"]["JRNO"] for m in data] == list(range(1001, 1011))
    first = audit[0]
    assert first["run_id"] == "run-1"
    assert first["result"] == "loaded"
    assert first["source_change_ts"] == "2026-11-20T00:00:00+00:00"
    assert first["extracted_at"] == "2026-11-23T10:00:00+00:00"
    assert len(first["content_hash"]) == 64


def test_amounts_become_exact_decimals(tmp_path, monkeypatch) -> None:
    out = _run(tmp_path, monkeypatch, TAP_OUTPUT.read_text())
    schema = next(m for m in out if m["type"] == "SCHEMA" and m["stream"] == "supplier_invoices")
    assert schema["schema"]["properties"]["CUAM"] == {
        "type": ["string", "null"], "format": "x-singer.decimal", "precision": 38, "scale": 6
    }
    assert schema["key_properties"] == ["CONO", "DIVI", "YEA4", "JRNO", "JSNO"]
    record = next(m for m in out if m["type"] == "RECORD" and m["stream"] == "supplier_invoices")["record"]
    assert record["CUAM"] == "1001.000001"
    assert record["IVDT"] == "2026-11-05"


def test_bad_records_go_to_the_dead_letter_queue_and_the_run_goes_on(tmp_path, monkeypatch) -> None:
    out = _run(tmp_path, monkeypatch, TAP_OUTPUT.read_text(), run_id="run-2")
    audit = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "load_audit"]
    failed = [a for a in audit if a["result"] == "failed"]
    assert {f["error"] for f in failed} == {"missing key properties ['JRNO']", "CUAM: 1.1234567 has more than 6 decimals"}
    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        entries = ledger.open_entries(kind="dead_letter", job="infor-to-snowflake")
        run = ledger.get_run("run-2")
    assert {e.source_id for e in entries} == {"100|AAA|2026||1", "100|AAA|2026|2000|1"}
    payload = next(e.payload for e in entries if e.source_id == "100|AAA|2026|2000|1")
    assert payload is not None and Decimal(str(payload["CUAM"])) == Decimal("1.1234567")  # exact, replayable
    assert run is not None and run.status == "completed_with_errors"
    assert run.counts["supplier_invoices"]["extracted"] == 12
    assert run.counts["supplier_invoices"]["failed"] == 2


def test_replay_resends_dead_letters_and_closes_them_once_they_pass(tmp_path, monkeypatch) -> None:
    _run(tmp_path, monkeypatch, TAP_OUTPUT.read_text(), run_id="run-1")
    schema_line = TAP_OUTPUT.read_text().splitlines()[0] + "\n"
    # the cause is fixed (the column now keeps 7 decimals): replay with no new input records
    out = _run(tmp_path, monkeypatch, schema_line, run_id="run-2", replay_dead_letters=True, decimal_scale=7)
    replayed = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "supplier_invoices"]
    assert [r["JRNO"] for r in replayed] == [2000]
    assert replayed[0]["CUAM"] == "1.1234567"
    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        still_open = {e.source_id for e in ledger.open_entries(kind="dead_letter")}
    assert still_open == {"100|AAA|2026||1"}  # the record without a key cannot pass, it stays queued


def test_dead_letters_are_durable_before_the_state_is_forwarded(tmp_path, monkeypatch) -> None:
    seen: list[str] = []
    original = Ledger.record_outcomes

    def spy(self: Ledger, run_id: str, outcomes: Any) -> None:
        seen.append("ledger")
        original(self, run_id, outcomes)

    monkeypatch.setattr(Ledger, "record_outcomes", spy)
    monkeypatch.setattr(AuditMapper, "write_message", lambda self, m: seen.append(m.type.value))
    AuditMapper(config={"ledger_url": f"sqlite:///{tmp_path / 'l.db'}"}).listen(io.StringIO(TAP_OUTPUT.read_text()))
    assert seen.index("ledger") < seen.index("STATE")


def test_decimal_text() -> None:
    assert decimal_text(Decimal("10.50"), 6, "x") == "10.50"
    assert decimal_text(3, 6, "x") == "3"
    assert decimal_text(Decimal("1.1000000"), 6, "x") == "1.1000000"  # trailing zeros are not precision
    for bad in (Decimal("1.0000001"), "abc", True, Decimal("NaN")):
        with pytest.raises(RecordError):
            decimal_text(bad, 6, "x")


def test_records_off_schema_are_dead_lettered_so_the_target_need_not_validate(tmp_path, monkeypatch) -> None:
    lines = TAP_OUTPUT.read_text().splitlines()
    bad = json.loads(lines[1])
    bad["record"].update(JRNO=4242, SUNO=17)  # a number where the schema says string (or null)
    text = "\n".join([lines[0], lines[1], json.dumps(bad)]) + "\n"
    out = _run(tmp_path, monkeypatch, text, run_id="run-v")
    data = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "supplier_invoices"]
    audit = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "load_audit"]
    assert [r["JRNO"] for r in data] == [1001]
    assert [(a["result"], a["error"]) for a in audit] == [
        ("loaded", None), ("failed", "SUNO: 17 is not of type ['null', 'string']")
    ]
    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        assert {e.source_id for e in ledger.open_entries(kind="dead_letter")} == {"100|AAA|2026|4242|1"}
    # switched off, the record is forwarded as it is (for a target that validates itself)
    out = _run(tmp_path, monkeypatch, text, run_id="run-w", validate_records=False)
    assert len([m for m in out if m["type"] == "RECORD" and m["stream"] == "supplier_invoices"]) == 2


def test_record_check_matches_jsonschema_for_plain_schemas() -> None:
    from mapper_audit.validate import record_check

    schema = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": ["integer"]},
            "name": {"type": ["string", "null"]},
            "amount": {"type": ["string", "null"], "format": "x-singer.decimal", "precision": 38, "scale": 6},
            "rate": {"type": "number"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "meta": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
        },
    }
    check = record_check(schema)
    assert check({"id": 1, "name": None, "amount": "1.50", "rate": Decimal("0.5"), "tags": ["a"], "meta": {"ok": True}}) is None
    assert check({"id": 1, "extra": object()}) is None  # additional properties are allowed
    assert check({"name": "x"}) == "missing required properties ['id']"
    assert check({"id": True}) == "id: True is not of type ['integer']"  # a bool is no integer
    assert check({"id": 1, "rate": "1"}) == "rate: '1' is not of type ['number']"
    assert check({"id": 1, "tags": ["a", 2]}) == "tags: [1]: 2 is not of type ['string']"
    assert check({"id": 1, "meta": {"ok": "yes"}}) == "meta: ok: 'yes' is not of type ['boolean']"
    # a keyword the compiled check does not know: jsonschema itself checks the stream
    strict = record_check({"type": "object", "properties": {"code": {"type": "string", "maxLength": 2}}})
    assert strict({"code": "ab"}) is None
    assert strict({"code": "abc"}) == "code: 'abc' is too long"
