"""The adapter loads M3-shaped records into fakesnow: exact types, upsert in place, no duplicates."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from .helpers import DATA, load, query, target_config

TABLE = "ANALYTICS.{schema}.SUPPLIER_INVOICES"


def _rows(kwargs: dict, schema: str) -> dict[int, tuple]:
    rows = query(kwargs, f"select JRNO, CUAM, VTAM, IVDT, LMDT from {TABLE.format(schema=schema)}")
    return {row[0]: row[1:] for row in rows}


def test_types_are_number_with_scale_and_date(fakesnow_kwargs: dict) -> None:
    load(target_config(fakesnow_kwargs, "TYPES"), "invoices_run1.singer")
    described = {row[0]: row[1] for row in query(fakesnow_kwargs, f"describe table {TABLE.format(schema='TYPES')}")}
    assert described["CUAM"] == "NUMBER(38,6)"
    assert described["VTAM"] == "NUMBER(38,6)"
    assert described["IVDT"] == "DATE"
    assert described["LMDT"] == "DATE"
    assert described["JRNO"] == "NUMBER(38,0)"
    assert described["_SDC_BATCHED_AT"] == "TIMESTAMP_NTZ(9)"
    [(amount, kind)] = query(
        fakesnow_kwargs, f"select CUAM, typeof(CUAM) from {TABLE.format(schema='TYPES')} where JRNO = 1007"
    )
    assert amount == Decimal("1007.000007")  # all six decimals survive
    assert kind.startswith(("DECIMAL(38,6)", "NUMBER(38,6)"))


def test_upsert_twice_adds_nothing_and_updates_in_place(fakesnow_kwargs: dict) -> None:
    config = target_config(fakesnow_kwargs, "UPSERT", load_method="upsert")
    load(config, "invoices_run1.singer")
    first = _rows(fakesnow_kwargs, "UPSERT")
    assert len(first) == 10

    load(config, "invoices_run1.singer")  # the same records again
    assert query(fakesnow_kwargs, f"select count(*) from {TABLE.format(schema='UPSERT')}") == [(10,)]
    assert _rows(fakesnow_kwargs, "UPSERT") == first

    load(config, "invoices_run2.singer")  # 1..5 changed (3 twice, the last wins), 6..10 unchanged
    after = _rows(fakesnow_kwargs, "UPSERT")
    assert len(after) == 10
    assert query(fakesnow_kwargs, f"select count(*) from {TABLE.format(schema='UPSERT')}") == [(10,)]
    for jrno in (1001, 1002, 1004, 1005):
        assert after[jrno][0] == Decimal(f"{9000 + jrno - 1000}.500001")
    assert after[1003][0] == Decimal("9003.999999")
    assert {jrno: after[jrno] for jrno in range(1006, 1011)} == {jrno: first[jrno] for jrno in range(1006, 1011)}
    changed = query(
        fakesnow_kwargs, f"select count(*) from {TABLE.format(schema='UPSERT')} where LMDT = '2026-11-23'::date"
    )
    assert changed == [(5,)]


def test_cli_entry_point_loads_and_echoes_state(fakesnow_kwargs: dict, tmp_path: Path) -> None:
    """The console script Meltano runs: stock CLI, adapter classes, final STATE on stdout."""
    import json

    config = tmp_path / "config.json"
    config.write_text(json.dumps(target_config(fakesnow_kwargs, "CLI")), encoding="utf-8")
    script = Path(sys.executable).with_name("target-snowflake-fakesnow")
    with (DATA / "invoices_run1.singer").open() as stdin:
        done = subprocess.run(
            [str(script), "--config", str(config)], stdin=stdin, capture_output=True, text=True, timeout=120, check=False
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "bookmarks": {"supplier_invoices": {"replication_key_value": "2026-11-20"}}
    }
    assert query(fakesnow_kwargs, "select count(*) from ANALYTICS.CLI.SUPPLIER_INVOICES") == [(10,)]


def test_failed_upsert_batch_keeps_the_rows_it_would_replace(fakesnow_kwargs: dict, monkeypatch) -> None:
    """The keyed delete and the insert are one transaction: a failure between them loses no loaded row."""
    import pytest
    from sqlalchemy.engine import Connection

    config = target_config(fakesnow_kwargs, "ATOMIC", load_method="upsert")
    load(config, "invoices_run1.singer")
    before = _rows(fakesnow_kwargs, "ATOMIC")

    real = Connection.exec_driver_sql

    def fail_on_insert(self: Connection, statement: str, *args: object, **kwargs: object) -> object:
        if statement.startswith("insert into"):
            raise RuntimeError("warehouse went away")
        return real(self, statement, *args, **kwargs)

    monkeypatch.setattr(Connection, "exec_driver_sql", fail_on_insert)
    with pytest.raises(RuntimeError, match="warehouse went away"):
        load(config, "invoices_run2.singer")
    monkeypatch.undo()
    assert _rows(fakesnow_kwargs, "ATOMIC") == before  # the 5 changed invoices: old values, not gone
    scratch = query(fakesnow_kwargs, "show tables like 'FS_SCRATCH%' in schema ANALYTICS.ATOMIC")
    assert scratch == []  # the scratch table is dropped on failure too
