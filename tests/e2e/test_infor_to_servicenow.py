"""The main job, `meltano run tap-infor-cloudsuite target-servicenow-s2p`, end to end on the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ml_connector.ledger.selection import document_of, reasons_of

from tests.e2e import expectations as exp
from tests.e2e.conftest import PAIR, Project, import_requests, sandbox_project
from tests.e2e.expectations import assert_loaded_exactly_once

pytestmark = pytest.mark.e2e


def _counts(project: Project) -> dict[str, dict[str, int]]:
    run = project.ledger().last_run()
    assert run is not None
    return run.counts


def test_first_run_loads_every_record_once(project: Project) -> None:
    result = project.main_job()
    assert result.returncode == 0, result.explain()
    assert_loaded_exactly_once(project.m3(), project.servicenow())
    counts = _counts(project)
    assert counts["supplier_invoices"]["inserted"] == counts["supplier_invoices"]["extracted"]
    for secret in project.secrets():
        assert secret not in result.output


def test_second_run_writes_nothing(project: Project) -> None:
    sn_admin = project.sandbox.admin("servicenow")
    sn_admin.reset_stats()
    result = project.main_job()
    assert result.returncode == 0, result.explain()
    assert import_requests(sn_admin.stats()) == 0
    for stream, counts in _counts(project).items():
        assert counts.get("inserted", 0) == 0, stream
        assert counts.get("updated", 0) == 0, stream
    assert_loaded_exactly_once(project.m3(), project.servicenow())


def test_five_changed_invoices_update_exactly_those(project: Project) -> None:
    changed = project.sandbox.admin("ion").mutate({"action": "change_invoices", "count": 5})["changed"]
    assert len(changed) == 5
    result = project.main_job()
    assert result.returncode == 0, result.explain()
    counts = _counts(project)
    assert counts["supplier_invoices"]["updated"] == 5
    assert counts["supplier_invoices"].get("inserted", 0) == 0
    assert counts["suppliers"].get("updated", 0) == 0
    assert_loaded_exactly_once(project.m3(), project.servicenow())


def test_faults_give_the_same_final_content(fresh_project: Project) -> None:
    for name in ("ion", "servicenow"):
        fresh_project.sandbox.admin(name).faults(
            rate_429=0.10, rate_5xx=0.05, retry_after_seconds=1, revoke_tokens_after=15, seed=5
        )
    result = fresh_project.main_job()
    assert result.returncode == 0, result.explain()
    stats = fresh_project.sandbox.admin("servicenow").stats()
    assert stats["by_status"].get("429", 0) > 0, "no fault was injected"
    assert_loaded_exactly_once(fresh_project.m3(), fresh_project.servicenow())


# -- the scheduled job, with the GL/vendor mapper -----------------------------------------------------

JOB_SCALE = 300
AUDITED = ("extracted", "inserted", "quarantined")


@pytest.fixture
def job_project(tmp_path: Path) -> Iterator[Project]:
    """Small and fresh: the job's first run must see exactly the sandbox's seeded bad documents."""
    with sandbox_project(tmp_path, names=PAIR, scale=JOB_SCALE, seed=11) as project:
        yield project


def _audit_table(output: str) -> dict[str, dict[str, int]]:
    """Per-stream counters from the table `ml-connector audit run` prints."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["stream"])
    header = lines[start].split()
    rows = {}
    for line in lines[start + 1:]:
        cells = line.split()
        if len(cells) == len(header) and cells[1].isdigit():
            rows[cells[0]] = dict(zip(header[1:], map(int, cells[1:]), strict=True))
    return rows


def test_job_lands_everything_but_the_bad_documents(job_project: Project) -> None:
    result = job_project.job()
    assert result.returncode == 0, result.explain()
    m3, sn = job_project.m3(), job_project.servicenow()
    bad = exp.bad_documents(m3)
    assert bad["supplier_invoices"] and bad["purchase_orders"], "the sandbox seeded no bad document"
    bad_invoices = {exp.invoice_key(d) for d in bad["supplier_invoices"]}
    bad_orders = {exp.order_key(d) for d in bad["purchase_orders"]}

    landing: dict[str, tuple[int, int]] = {}  # stream -> (records landed, records of bad documents)
    for stream, expected, loaded, bad_keys in (
        ("supplier_invoices", exp.expected_invoices(m3), exp.loaded_invoices(sn), bad_invoices),
        ("supplier_invoice_lines", exp.expected_invoice_lines(m3), exp.loaded_invoice_lines(sn), bad_invoices),
        ("purchase_orders", exp.expected_purchase_orders(m3), exp.loaded_purchase_orders(sn), bad_orders),
        ("purchase_order_lines", exp.expected_purchase_order_lines(m3), exp.loaded_purchase_order_lines(sn),
         bad_orders),
        ("suppliers", exp.expected_suppliers(m3), exp.loaded_suppliers(sn), set()),
    ):
        good = {key: value for key, value in expected.items() if (key[0], key[-1]) not in bad_keys}
        landing[stream] = (len(good), len(expected) - len(good))
        keys = [key for key, _ in loaded]
        assert len(keys) == len(set(keys)), f"duplicate {stream} in ServiceNow"
        assert dict(loaded) == good, f"{stream}: ServiceNow differs from M3 minus the bad documents"

    entries = job_project.ledger().open_entries(kind="quarantine")
    documents = {f"supplier_invoice:{d}" for d in bad["supplier_invoices"]}
    documents |= {f"purchase_order:{d}" for d in bad["purchase_orders"]}
    assert {document_of(e) for e in entries} == documents, "quarantined documents differ from M3's bad ones"
    assert all(reasons_of(e) for e in entries), "a quarantined record without its reasons"

    audit = job_project.cli("audit", "run", "--last")
    assert audit.returncode == 0, audit.explain()
    printed = _audit_table(audit.output)
    for stream, (landed, quarantined) in landing.items():
        expected_counts = {"extracted": landed + quarantined, "inserted": landed, "quarantined": quarantined}
        assert {k: printed[stream][k] for k in AUDITED} == expected_counts, stream
    for stream, dimension in (("gl_accounts", 1), ("cost_centers", 2)):
        rows = m3.execute("SELECT CONO, DIVI FROM FCHACC WHERE AITP = ?", (dimension,)).fetchall()
        count = sum((row["CONO"], row["DIVI"]) in exp.DIVISIONS for row in rows)
        assert {k: printed[stream][k] for k in AUDITED} == {"extracted": count, "inserted": count, "quarantined": 0}
