"""mapper-gl-vendor end to end on the sandbox: the real `meltano run infor-to-servicenow` (tap, mapping
gl-vendor-infor-servicenow, target), then the real `ml-connector replay`, which runs
`meltano run --no-state-update tap-ledger-replay gl-vendor-infor-servicenow target-servicenow-s2p`.

The tests share one small sandbox and run in order: seeded bad invoices are quarantined, a crosswalk fix
plus replay stages them, and an incremental run still judges lines against remembered references.
"""

from __future__ import annotations

import http.server
import json
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from ml_connector.ledger import Ledger

from tests.e2e.conftest import PAIR, Project, sandbox_project
from tests.e2e.expectations import bad_documents, invoice_doc, invoice_key

pytestmark = pytest.mark.e2e

MAPPER_SCALE = 300
MAPPING_PIPELINE = "gl-vendor-infor-servicenow target-servicenow-s2p"


class _Hook(http.server.BaseHTTPRequestHandler):
    """The alert webhook: keeps every JSON body it is sent."""

    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        _Hook.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sandbox_project(tmp_path_factory.mktemp("mapper"), names=PAIR, scale=MAPPER_SCALE, seed=11) as project:
            project.env["MAPPER_GL_VENDOR_ALERT_WEBHOOK_URL"] = f"http://127.0.0.1:{server.server_address[1]}/hook"
            yield project
    finally:
        server.shutdown()


def _sn(project: Project, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = project.servicenow()
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _open_docs(ledger: Ledger) -> dict[str, list[dict[str, str]]]:
    return {e.source_id.rsplit("|", 1)[0]: json.loads(e.error)["reasons"]
            for e in ledger.open_entries(kind="quarantine", stream="supplier_invoices")}


def _reasons(reasons: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["field"], r["value"], r["reason"]) for r in reasons]


def _staged_invoices(project: Project) -> set[tuple[str, str]]:
    rows = _sn(project, "SELECT external_invoice_number, erp_source FROM sn_shop_invoice")
    return {(r["external_invoice_number"], r["erp_source"]) for r in rows}


def _line_key(head: sqlite3.Row, jsno: int) -> dict[str, Any]:
    return {k: head[k] for k in ("CONO", "DIVI", "YEA4", "JRNO")} | {"JSNO": jsno}


def _resolved_by(project: Project, doc: str) -> set[tuple[str, str | None]]:
    """(status, resolved_run_id) of every ledger entry of one invoice document."""
    conn = sqlite3.connect(f"file:{project.work / 'ledger.db'}?mode=ro", uri=True)
    try:
        return set(conn.execute("SELECT status, resolved_run_id FROM ledger_exceptions WHERE source_id LIKE ?",
                                (f"{doc}|%",)).fetchall())
    finally:
        conn.close()


def test_first_run_stages_valid_and_quarantines_exactly_the_bad(project: Project) -> None:
    m3 = project.m3()
    heads = m3.execute("SELECT * FROM FPLEDG WHERE TRCD = 40 AND JSNO = 1 AND CONO = 100 ORDER BY JRNO").fetchall()
    locked_cc = m3.execute("SELECT AITM, DIVI FROM FCHACC WHERE AITP = 2 AND LCKD = 1 AND CONO = 100").fetchall()
    gl_head, cc_head, vendor_head = heads[0], heads[1], heads[2]
    ion = project.sandbox.admin("ion")
    ion.mutate({"action": "set_fields", "file": "FGLEDG", "key": _line_key(gl_head, 2), "fields": {"AIT1": "0000"}})
    cc_code = next(r["AITM"] for r in locked_cc if r["DIVI"] == cc_head["DIVI"])
    ion.mutate({"action": "set_fields", "file": "FGLEDG", "key": _line_key(cc_head, 2), "fields": {"AIT2": cc_code}})
    ion.mutate({"action": "set_fields", "file": "FPLEDG", "key": _line_key(vendor_head, 1),
                "fields": {"SUNO": "S77777"}})
    project.seeded = {"gl": invoice_doc(gl_head), "cc": invoice_doc(cc_head),  # type: ignore[attr-defined]
                      "vendor": invoice_doc(vendor_head)}

    result = project.job()
    assert result.returncode == 0, result.explain()
    ledger = project.ledger()
    docs = _open_docs(ledger)
    assert set(docs) == bad_documents(project.m3())["supplier_invoices"]
    seeded = project.seeded  # type: ignore[attr-defined]
    assert ("AIT1", "0000", "unknown_in_source") in _reasons(docs[seeded["gl"]])
    assert ("AIT2", cc_code, "inactive_in_target") in _reasons(docs[seeded["cc"]])
    assert ("SUNO", "S77777", "unknown_in_source") in _reasons(docs[seeded["vendor"]])
    # nothing invalid reached the target: staged = all invoices minus quarantined ones
    all_docs = {invoice_doc(h) for h in project.m3().execute("SELECT * FROM FPLEDG WHERE TRCD = 40 AND JSNO = 1")}
    assert _staged_invoices(project) == {invoice_key(d) for d in all_docs - set(docs)}
    assert not _sn(project, "SELECT * FROM sn_shop_invoice_line WHERE ledger_account = '0000'")
    run = ledger.last_run()
    assert run is not None and run.job == "infor-to-servicenow"
    assert set(run.plugins) == {"mapper-gl-vendor", "target-servicenow-s2p"}, "mapper and target share one run"
    assert run.counts["supplier_invoices"]["quarantined"] == len(docs)
    assert any(a["run_id"] == run.run_id and a["quarantined"] > 0 for a in _Hook.received)


def test_crosswalk_and_replay_stage_them_once(project: Project) -> None:
    seeded = project.seeded  # type: ignore[attr-defined]
    cono, divi = seeded["gl"].split("|")[:2]
    m3 = project.m3()
    good_gl = m3.execute("SELECT AITM FROM FCHACC WHERE CONO = ? AND DIVI = ? AND AITP = 1 AND LCKD = 0",
                         (int(cono), divi)).fetchone()[0]
    good_sup = m3.execute("SELECT SUNO FROM CIDMAS WHERE CONO = 100 AND STAT = '20'").fetchone()[0]
    project.set_crosswalk(("gl_account", "0000", good_gl, cono), ("vendor", "S77777", good_sup, "100"))
    ledger = project.ledger()
    before = _open_docs(ledger)
    fixable = [d for d in (seeded["gl"], seeded["vendor"]) if {r["value"] for r in before[d]} <= {"0000", "S77777"}]
    assert fixable, "the seeded documents have other faults too: nothing for the crosswalk to fix"
    state = project.meltano_state()

    result = project.cli("replay", "--record", f"{seeded['gl']}|2", "--record", f"{seeded['vendor']}|1")
    assert result.returncode == 0, result.explain()
    assert f"tap-ledger-replay {MAPPING_PIPELINE}" in result.output
    replay = ledger.last_run()
    assert replay is not None and replay.run_id in result.output and replay.status == "succeeded"
    assert set(replay.plugins) == {"mapper-gl-vendor", "target-servicenow-s2p"}
    assert project.meltano_state() == state, "replay touched the main job's Meltano state"
    after = _open_docs(ledger)
    for doc in fixable:
        assert doc not in after
        assert _resolved_by(project, doc) == {("resolved", replay.run_id)}, "entries not closed by the replay run"
        assert len(_sn(project, "SELECT * FROM sn_shop_invoice WHERE external_invoice_number = ? "
                                "AND erp_source = ?", *invoice_key(doc))) == 1
    if seeded["gl"] in fixable:
        rows = _sn(project, "SELECT ledger_account FROM sn_shop_invoice_line WHERE external_invoice_number = ? "
                            "AND erp_source = ? AND line_number = '2'", *invoice_key(seeded["gl"]))
        assert [r["ledger_account"] for r in rows] == [good_gl]
    assert set(after) == set(before) - set(fixable)

    # replaying again (everything still open, through Meltano) changes nothing
    staged = _staged_invoices(project)
    again = project.cli("replay", "--all")
    assert again.returncode == 0, again.explain()
    assert _staged_invoices(project) == staged
    assert _open_docs(ledger) == after
    assert project.meltano_state() == state


def test_incremental_run_still_rejects_unknown_account(project: Project) -> None:
    ledger = project.ledger()
    quarantined = set(_open_docs(ledger))
    head = next(h for h in project.m3().execute("SELECT * FROM FPLEDG WHERE TRCD = 40 AND JSNO = 1 ORDER BY JRNO DESC")
                if invoice_doc(h) not in quarantined)
    project.sandbox.admin("ion").mutate({"action": "set_fields", "file": "FGLEDG", "key": _line_key(head, 2),
                                         "fields": {"AIT1": "0001"}})
    result = project.job()
    assert result.returncode == 0, result.explain()
    run = ledger.last_run()
    assert run is not None
    assert run.counts.get("gl_accounts", {}).get("extracted", 0) < 50  # no full reference load this time
    # only the line changed: the document's records in this run (the line) are quarantined
    entry = ledger.open_entries(kind="quarantine", stream="supplier_invoice_lines",
                                source_id=f"{invoice_doc(head)}|2")[0]
    assert entry.run_id == run.run_id
    assert ("AIT1", "0001", "unknown_in_source") in _reasons(json.loads(entry.error)["reasons"])


def test_quarantine_list_and_replay_cli(project: Project) -> None:
    listing = project.cli("quarantine", "list", "--json")
    assert listing.returncode == 0, listing.explain()
    entries, _ = json.JSONDecoder().raw_decode(listing.output, listing.output.index("["))
    assert entries and all(e["reasons"] for e in entries)
    dry = project.cli("replay", "--all", "--dry-run")
    assert dry.returncode == 0, dry.explain()
    assert f"tap-ledger-replay {MAPPING_PIPELINE}" in dry.output
