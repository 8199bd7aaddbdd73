"""Where the ledger lives and how it connects; SQLite with a mapper and a target writing at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from ml_connector.ledger import Ledger, RecordOutcome, default_ledger_url
from ml_connector.ledger.engine import build_engine, normalise_url
from ml_connector.secrets.redact import redact


def test_default_url_from_env_or_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ML_CONNECTOR_LEDGER_URL", "postgresql://db/ledger")
    assert default_ledger_url() == "postgresql://db/ledger"
    monkeypatch.delenv("ML_CONNECTOR_LEDGER_URL")
    monkeypatch.setenv("MELTANO_PROJECT_ROOT", str(tmp_path / "project"))
    assert default_ledger_url() == f"sqlite:///{tmp_path / 'project' / '.ml-connector' / 'ledger.db'}"
    assert (tmp_path / "project" / ".ml-connector").is_dir()
    monkeypatch.delenv("MELTANO_PROJECT_ROOT")
    monkeypatch.chdir(tmp_path)
    assert default_ledger_url() == f"sqlite:///{tmp_path / '.ml-connector' / 'ledger.db'}"
    with Ledger() as ledger:
        ledger.start_run(job="j", plugin="p")
    assert (tmp_path / ".ml-connector" / "ledger.db").exists()


def test_postgres_urls_use_psycopg3_and_passwords_are_protected() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    engine = build_engine("postgresql://ledger:pw-Ledger-9931@127.0.0.1:1/ledger")  # no connection yet
    engine.dispose()
    assert redact("password pw-Ledger-9931") == "password ***"


def test_wal_mode(tmp_path: Path) -> None:
    with Ledger(f"sqlite:///{tmp_path / 'l.db'}") as ledger, ledger._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_two_writers_interleave_without_lock_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    mapper, target = Ledger(url), Ledger(url)
    run_id = mapper.start_run(job="j", plugin="mapper")
    target.start_run(job="j", plugin="target", run_id=run_id)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def write(ledger: Ledger, action: str, prefix: str) -> None:
        try:
            start.wait()
            for batch in range(40):
                outcomes = [
                    RecordOutcome("s", "m3", f"{prefix}{batch}-{i}", action, content_hash="h", error="e")
                    for i in range(50)
                ]
                ledger.record_outcomes(run_id, outcomes)
                ledger.processed_keys(
                    source_system="m3", stream="s", source_ids=[o.source_id for o in outcomes]
                )
            ledger.finish_run(run_id, status="succeeded", counts={"s": {action: 2000}})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(mapper, "quarantined", "q")),
        threading.Thread(target=write, args=(target, "inserted", "i")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    run = mapper.get_run(run_id)
    assert run.counts["s"]["quarantined"] == 2000 and run.counts["s"]["inserted"] == 2000
    assert len(target.open_entries(kind="quarantine")) == 2000
    mapper.close()
    target.close()
