"""`meltano run infor-to-snowflake-sandbox` end to end: ION emulator -> mapper-audit -> fakesnow.

The three tests share one sandbox and run in order (first load, unchanged re-run, five changed
invoices), as the ServiceNow pair's tests do. The warehouse is read through the emulator's own
Snowflake endpoint, so what is checked is what a Snowflake client would see.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.conftest import E2E_SCALE, JobRun, Project, sandbox_project
from tests.e2e.expectations import DIVISIONS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not importlib.util.find_spec("fakesnow") or not importlib.util.find_spec("snowflake.connector"),
        reason="the Snowflake stand-in needs fakesnow and snowflake-connector-python in this venv",
    ),
]

JOB = "infor-to-snowflake-sandbox"
LEDGER_JOB = "infor-to-snowflake"  # the audit-snowflake mapping's job_name: the same for sandbox and prod
SCHEMA = "INFOR_M3"
# stream -> (M3 file, extra condition): the rows of m3.db the tap must deliver for the sandbox companies
SOURCE: dict[str, tuple[str, str]] = {
    "suppliers": ("CIDMAS", ""),
    "gl_accounts": ("FCHACC", "AITP = 1"),
    "cost_centers": ("FCHACC", "AITP = 2"),
    "customers": ("OCUSMA", ""),
    "items": ("MITMAS", ""),
    "purchase_orders": ("MPHEAD", ""),
    "purchase_order_lines": ("MPLINE", ""),
    "supplier_invoices": ("FPLEDG", "TRCD = 40 AND JSNO = 1"),
    "supplier_invoice_lines": ("FGLEDG", "TRCD = 40"),
    "payments": ("FPLEDG", "TRCD = 50"),
}
INVOICE_KEY = ("CONO", "DIVI", "YEA4", "JRNO", "JSNO")


def _m3_file(stream: str) -> Any:
    from tap_infor_cloudsuite import m3_files

    return getattr(m3_files, SOURCE[stream][0])


def _source_rows(m3: sqlite3.Connection, stream: str) -> list[sqlite3.Row]:
    file, condition = SOURCE[stream]
    rows = m3.execute(f"SELECT * FROM {file}" + (f" WHERE {condition}" if condition else "")).fetchall()
    divisional = "DIVI" in _m3_file(stream).kinds
    return [r for r in rows if not divisional or (r["CONO"], r["DIVI"]) in DIVISIONS]


class Warehouse:
    """A Snowflake connection to the sandbox's stand-in, with the queries the tests share."""

    def __init__(self, project: Project) -> None:
        import snowflake.connector

        creds = project.sandbox.emulators["snowflake"].credentials
        self.conn = snowflake.connector.connect(
            user=creds["user"], password=creds["password"], account=creds["account"], host=creds["host"],
            port=creds["port"], protocol=creds["protocol"], database=creds["database"], schema=SCHEMA,
        )

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.conn.cursor().execute(sql).fetchall()

    def counts(self) -> dict[str, int]:
        return {stream: self.rows(f"SELECT count(*) FROM {stream.upper()}")[0][0] for stream in SOURCE}

    def invoice_amounts(self) -> dict[tuple[Any, ...], tuple[Decimal, dt.date]]:
        keys = ", ".join(INVOICE_KEY)
        return {row[:5]: (row[5], row[6]) for row in self.rows(f"SELECT {keys}, CUAM, IVDT FROM SUPPLIER_INVOICES")}

    def audit(self, run_id: str) -> dict[tuple[str, str], int]:
        """(stream, result) -> audit rows of one run."""
        rows = self.rows(f"SELECT STREAM, RESULT, count(*) FROM LOAD_AUDIT WHERE RUN_ID = '{run_id}' GROUP BY 1, 2")
        return {(stream, result): n for stream, result, n in rows}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    work = tmp_path_factory.mktemp("e2e-snowflake")
    with sandbox_project(work, names=("ion", "snowflake"), scale=E2E_SCALE, seed=11) as project:
        yield project


@pytest.fixture(scope="module")
def first_run(project: Project) -> JobRun:
    return project.run(JOB)


@pytest.fixture(scope="module")
def warehouse(project: Project, first_run: JobRun) -> Iterator[Warehouse]:
    """Connects after the first run, which creates the schema."""
    wh = Warehouse(project)
    yield wh
    wh.conn.close()


def _run(project: Project) -> tuple[JobRun, Any]:
    result = project.run(JOB)
    assert result.returncode == 0, result.explain()
    return result, _ledger_run(project)


def _ledger_run(project: Project) -> Any:
    run = project.ledger().last_run(job=LEDGER_JOB)
    assert run is not None, "mapper-audit recorded no run"
    return run


def _assert_audit_matches_run(wh: Warehouse, run: Any) -> None:
    """One audit row per record the run extracted, each `loaded`; nothing dead-lettered."""
    expected = {(stream, "loaded"): c["extracted"] for stream, c in run.counts.items() if c["extracted"]}
    assert wh.audit(run.run_id) == expected
    dupes = wh.rows(
        f"SELECT count(*) FROM (SELECT STREAM, SOURCE_RECORD_ID FROM LOAD_AUDIT WHERE RUN_ID = '{run.run_id}' "
        "GROUP BY 1, 2 HAVING count(*) > 1)"
    )
    assert dupes == [(0,)]


def _assert_matches_source(project: Project, wh: Warehouse) -> None:
    """Per table: the source's row count, each key once; invoices with the source's amount and date."""
    m3 = project.m3()
    counts = wh.counts()
    assert counts == {stream: len(_source_rows(m3, stream)) for stream in SOURCE}
    for stream in SOURCE:
        keys = ", ".join(_m3_file(stream).keys)
        distinct = wh.rows(f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {stream.upper()})")
        assert distinct == [(counts[stream],)], f"duplicate keys in {stream}"
    expected = {
        (str(r["CONO"]), r["DIVI"], r["YEA4"], r["JRNO"], r["JSNO"]): (
            Decimal(r["CUAM"]), dt.datetime.strptime(str(r["IVDT"]), "%Y%m%d").date()
        )
        for r in _source_rows(m3, "supplier_invoices")
    }
    assert wh.invoice_amounts() == expected


def test_first_run_loads_every_record_once_with_warehouse_types(
    project: Project, first_run: JobRun, warehouse: Warehouse
) -> None:
    assert first_run.returncode == 0, first_run.explain()
    _assert_matches_source(project, warehouse)
    run = _ledger_run(project)
    assert run.status == "succeeded"
    assert {s: c["extracted"] for s, c in run.counts.items()} == {s: warehouse.counts()[s] for s in SOURCE}
    _assert_audit_matches_run(warehouse, run)
    for stream in SOURCE:
        kinds = _m3_file(stream).kinds
        described = {r[0]: r[1] for r in warehouse.rows(f"DESCRIBE TABLE {stream.upper()}")}
        for column, kind in kinds.items():
            if kind == "decimal":
                assert described[column] == "NUMBER(38,6)", (stream, column, described[column])
            elif kind == "date":
                assert described[column] == "DATE", (stream, column, described[column])
    for secret in project.secrets():
        assert secret not in first_run.output


def test_second_run_adds_no_rows(project: Project, warehouse: Warehouse) -> None:
    before = warehouse.counts()
    _, run = _run(project)
    assert warehouse.counts() == before
    _assert_matches_source(project, warehouse)
    _assert_audit_matches_run(warehouse, run)  # a re-read record is audited again, in this run


def test_five_changed_invoices_are_updated_in_place(project: Project, warehouse: Warehouse) -> None:
    before = warehouse.counts()
    old = warehouse.invoice_amounts()
    changed = project.sandbox.admin("ion").mutate({"action": "change_invoices", "count": 5})["changed"]
    assert len(changed) == 5
    _, run = _run(project)
    assert warehouse.counts() == before
    _assert_matches_source(project, warehouse)  # the new amounts, and still each key once
    new = warehouse.invoice_amounts()
    keys = {(str(c["CONO"]), c["DIVI"], int(c["YEA4"]), int(c["JRNO"]), int(c["JSNO"])) for c in changed}
    assert {k for k in new if new[k] != old[k]} == keys
    _assert_audit_matches_run(warehouse, run)
    ids = ", ".join(f"'{'|'.join(str(v) for v in key)}'" for key in keys)
    audited = warehouse.rows(
        f"SELECT count(DISTINCT SOURCE_RECORD_ID) FROM LOAD_AUDIT WHERE RUN_ID = '{run.run_id}' "
        f"AND STREAM = 'supplier_invoices' AND SOURCE_RECORD_ID IN ({ids})"
    )
    assert audited == [(5,)]
    assert warehouse.rows("SELECT count(DISTINCT RUN_ID) FROM LOAD_AUDIT") == [(3,)]
