"""mapper-audit | target-snowflake-fakesnow into the sandbox's Snowflake: data once, audit row per record per run."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import snowflake.connector
from ml_connector.ledger import Ledger
from ml_connector_sandbox.snowflake import build

ROOT = Path(__file__).resolve().parents[2]
TAP_OUTPUT = ROOT / "mappers" / "mapper-audit" / "tests" / "data" / "m3_invoices_tap.singer"
BIN = Path(sys.executable).parent


def _pipeline(tmp_path: Path, creds: dict, run_id: str, text: str) -> str:
    """tap output | mapper-audit | target-snowflake-fakesnow, as `meltano run` wires them."""
    mapper_cfg = tmp_path / "mapper.json"
    mapper_cfg.write_text(json.dumps({"ledger_url": f"sqlite:///{tmp_path / 'ledger.db'}",
                                      "job_name": "infor-to-snowflake", "run_id": run_id}))
    target_cfg = tmp_path / "target.json"
    target_cfg.write_text(json.dumps({k: creds[k] for k in ("user", "password", "account", "host", "port", "protocol",
                                                            "database")} | {"schema": "M3"}))
    mapped = subprocess.run([str(BIN / "mapper-audit"), "--config", str(mapper_cfg)], input=text,
                            capture_output=True, text=True, timeout=120, check=True).stdout
    loaded = subprocess.run([str(BIN / "target-snowflake-fakesnow"), "--config", str(target_cfg)], input=mapped,
                            capture_output=True, text=True, timeout=180, check=False)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    return loaded.stdout


def test_audit_table_reconciles_with_the_data(serve, tmp_path: Path) -> None:
    _, creds = serve(build, tmp_path / "sandbox", fresh=True)
    text = TAP_OUTPUT.read_text()
    state = _pipeline(tmp_path, creds, "run-1", text)
    assert '"replication_key_value": "2026-11-20"' in state  # STATE reached the target and was confirmed

    # second run: the same 10 good records, invoice 1003 changed at the source
    changed = text.replace('"JRNO": 1003, "JSNO": 1, "SUNO": "S0003", "SINO": "INV-3", "IVDT": "2026-11-05", '
                           '"CUAM": 1003.000003', '"JRNO": 1003, "JSNO": 1, "SUNO": "S0003", "SINO": "INV-3", '
                           '"IVDT": "2026-11-05", "CUAM": 7777.5')
    assert changed != text
    _pipeline(tmp_path, creds, "run-2", changed)

    with snowflake.connector.connect(user="fake", password="snow", account="fakesnow", host=creds["host"],
                                     port=creds["port"], protocol="http", database="ANALYTICS", schema="M3") as conn:
        cur = conn.cursor()
        assert cur.execute("select count(*), count(distinct JRNO) from SUPPLIER_INVOICES").fetchall() == [(10, 10)]
        assert cur.execute("select CUAM from SUPPLIER_INVOICES where JRNO = 1003").fetchall() == [(Decimal("7777.5"),)]
        per_run = cur.execute(
            "select RUN_ID, RESULT, count(*) from LOAD_AUDIT group by 1, 2 order by 1, 2").fetchall()
        assert per_run == [("run-1", "failed", 2), ("run-1", "loaded", 10), ("run-2", "failed", 2),
                           ("run-2", "loaded", 10)]
        # reconciliation is a join: every loaded audit row has its data row, none is missing
        orphans = cur.execute(
            "select count(*) from LOAD_AUDIT a left join SUPPLIER_INVOICES d on a.SOURCE_RECORD_ID = "
            "d.CONO || '|' || d.DIVI || '|' || d.YEA4 || '|' || d.JRNO || '|' || d.JSNO "
            "where a.RESULT = 'loaded' and d.JRNO is null").fetchall()
        assert orphans == [(0,)]
        # what changed between runs is visible from the content hashes
        changed_ids = cur.execute(
            "select b.SOURCE_RECORD_ID from LOAD_AUDIT a join LOAD_AUDIT b on a.SOURCE_RECORD_ID = b.SOURCE_RECORD_ID "
            "and a.RUN_ID = 'run-1' and b.RUN_ID = 'run-2' where a.CONTENT_HASH <> b.CONTENT_HASH").fetchall()
        assert changed_ids == [("100|AAA|2026|1003|1",)]
        stamps = cur.execute(
            "select count(*) from LOAD_AUDIT where EXTRACTED_AT is null or _SDC_BATCHED_AT is null "
            "or SOURCE_CHANGE_TS is null").fetchall()
        assert stamps == [(0,)]
        described = {r[0]: r[1] for r in cur.execute("describe table SUPPLIER_INVOICES").fetchall()}
        assert (described["CUAM"], described["IVDT"]) == ("NUMBER(38,6)", "DATE")

    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        assert len(ledger.open_entries(kind="dead_letter", job="infor-to-snowflake")) == 2
