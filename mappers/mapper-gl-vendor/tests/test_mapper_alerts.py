"""The whole mapper over stdin/stdout: ledger quarantine, run counts, remembered references, alerts."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from gl_vendor_messages import REFERENCE_MESSAGES, invoice, line, schema, state

from ml_connector.ledger import Ledger, ReferenceBook
from mapper_gl_vendor.mapper import GLVendorMapper


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()


def _run(config: dict[str, Any], messages: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
         run_id: str) -> list[dict[str, Any]]:
    monkeypatch.setenv("ML_CONNECTOR_RUN_ID", run_id)
    mapper = GLVendorMapper(config=config)
    out = io.StringIO()

    class Stdout:
        buffer = io.BytesIO()

        def flush(self) -> None:
            pass

    fake = Stdout()
    with redirect_stdout(fake):  # type: ignore[type-var]
        mapper.listen(io.StringIO("\n".join(json.dumps(m, default=str) for m in messages) + "\n"))
    out.write(fake.buffer.getvalue().decode())
    return [json.loads(x) for x in out.getvalue().splitlines()]


def test_quarantine_alert_and_memory(tmp_path: Path, receiver: tuple[str, list[dict[str, Any]]],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    url, received = receiver
    config = {"target_system": "none", "ledger_url": f"sqlite:///{tmp_path}/l.db", "job_name": "j",
              "alert_webhook_url": url}
    first = [*REFERENCE_MESSAGES, schema("supplier_invoices"), invoice(1), invoice(2),
             schema("supplier_invoice_lines"), line(1, 2), line(2, 2, account="0000"), state(1)]
    out = _run(config, first, monkeypatch, "run1")
    assert [m["record"]["JRNO"] for m in out if m["type"] == "RECORD" and m["stream"].startswith("supplier_inv")] \
        == [1, 1]
    ledger = Ledger(config["ledger_url"])
    entries = ledger.open_entries(kind="quarantine")
    assert sorted(e.source_id for e in entries) == ["100|AAA|2025|2|1", "100|AAA|2025|2|2"]
    header = next(e for e in entries if e.stream == "supplier_invoices")
    assert "mlc_vendor" not in header.payload and header.payload["CUAM"] == "10.50"
    assert ledger.get_run("run1").counts["supplier_invoice_lines"]["quarantined"] == 1
    assert received and received[0]["quarantined"] == 2 and "text" in received[0]
    assert len(ReferenceBook(config["ledger_url"]).load("infor_m3")) == 4

    # an incremental run without reference records still knows the accounts, and still rejects 0000
    out = _run(config, [schema("supplier_invoices"), invoice(3), schema("supplier_invoice_lines"),
                        line(3, 2), line(3, 3, account="0000"), state(2)], monkeypatch, "run2")
    assert [m["type"] for m in out] == ["SCHEMA", "SCHEMA", "STATE"]
    reasons = json.loads(ledger.open_entries(kind="quarantine", source_id="100|AAA|2025|3|1")[0].error)["reasons"]
    # known from memory: 4000 is not unknown; 0000 is (target side is empty here: target_system none)
    assert ("AIT1", "0000", "unknown_in_source") in [(r["field"], r["value"], r["reason"]) for r in reasons]
    assert ("AIT1", "4000", "unknown_in_source") not in [(r["field"], r["value"], r["reason"]) for r in reasons]


def test_unreachable_webhook_does_not_fail_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = {"target_system": "none", "ledger_url": f"sqlite:///{tmp_path}/l.db",
              "alert_webhook_url": "http://127.0.0.1:9/nothing-listens-here", "alert_timeout_seconds": 2}
    out = _run(config, [*REFERENCE_MESSAGES, schema("supplier_invoice_lines"), line(5, 2, account="0")],
               monkeypatch, "run3")
    assert all(m["type"] == "SCHEMA" or m["stream"] != "supplier_invoice_lines" for m in out)
    assert Ledger(config["ledger_url"]).get_run("run3").status == "succeeded"
