"""The `ml-connector` CLI: audit figures on both backends, secrets commands that never echo values."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ml_connector.cli.main import main
from ml_connector.ledger import Ledger, RecordOutcome

SECRET = "Sup3r-Secret-Value-42"


@pytest.fixture
def populated(ledger_url: str) -> tuple[str, str]:
    with Ledger(ledger_url) as ledger:
        run_id = ledger.start_run(job="infor-to-servicenow", plugin="mapper-gl-vendor")
        ledger.record_outcomes(
            run_id,
            [RecordOutcome("suppliers", "m3", "SUP-7", "quarantined", error="unknown GL account 4711")],
        )
        ledger.finish_run(
            run_id, status="succeeded", counts={"suppliers": {"extracted": 123, "quarantined": 7}}
        )
        ledger.start_run(job="infor-to-servicenow", plugin="target-servicenow-s2p", run_id=run_id)
        ledger.record_outcomes(
            run_id,
            [
                RecordOutcome(
                    "suppliers",
                    "m3",
                    "SUP-1",
                    "inserted",
                    content_hash="h",
                    target_table="x_s2p_supplier",
                    target_id="sys-001",
                ),
                RecordOutcome("suppliers", "m3", "SUP-2", "failed", error="HTTP 400 invalid tax id"),
            ],
        )
        ledger.finish_run(
            run_id,
            status="succeeded",
            counts={
                "suppliers": {"extracted": 116, "inserted": 101, "updated": 9, "unchanged": 4, "failed": 2}
            },
        )
    return ledger_url, run_id


def test_audit_run_shows_figures(populated: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    url, run_id = populated
    assert main(["audit", "--ledger-url", url, "run", "--last"]) == 0
    out = capsys.readouterr().out
    assert run_id in out and "succeeded" in out and "mapper-gl-vendor, target-servicenow-s2p" in out
    suppliers = next(line for line in out.splitlines() if line.startswith("suppliers"))
    assert suppliers.split() == ["suppliers", "123", "101", "9", "4", "7", "2"]
    assert any(line.split()[:1] == ["TOTAL"] for line in out.splitlines())
    assert main(["audit", "run", run_id, "--json", "--ledger-url", url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["suppliers"]["inserted"] == 101 and data["totals"]["failed"] == 2


def test_audit_runs_record_and_open(populated: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    url, run_id = populated
    assert main(["audit", "--ledger-url", url, "runs"]) == 0
    out = capsys.readouterr().out
    assert run_id in out and "infor-to-servicenow" in out and "123" in out
    assert main(["audit", "--ledger-url", url, "record", "SUP-1"]) == 0
    out = capsys.readouterr().out
    assert "inserted" in out and "x_s2p_supplier/sys-001" in out and run_id in out
    assert main(["audit", "--ledger-url", url, "open"]) == 0
    out = capsys.readouterr().out
    assert "unknown GL account 4711" in out and "HTTP 400 invalid tax id" in out
    assert main(["audit", "--ledger-url", url, "open", "--kind", "quarantine", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["source_id"], entry["attempts"]) == ("SUP-7", 1)


def test_audit_expected_errors_exit_2(populated: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = populated
    assert main(["audit", "--ledger-url", url, "run", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "ml-connector: error: no run 'nope' in the ledger"
    assert main(["audit", "--ledger-url", url, "record", "NOPE"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def _cli(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ml_connector.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ML_CONNECTOR_")}
    env["ML_CONNECTOR_SECRETS_FILE"] = str(tmp_path / "secrets.enc")
    env["ML_CONNECTOR_SECRETS_KEY"] = "passphrase for tests"
    return env


def test_secrets_cli_never_echoes_values(
    cli_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # as a user runs it: real processes, real stdin
    stored = _cli(["secrets", "set", "ion_client_secret", "--value-from-stdin"], cli_env, stdin=SECRET + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "mlc-secret:ion_client_secret" in stored.stdout
    # the rest in-process (same code path, a second faster)
    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    value_file = tmp_path / "pw.txt"
    value_file.write_text(SECRET + "-file\n")
    assert main(["secrets", "set", "snow_password", "--from-file", str(value_file)]) == 0
    assert main(["secrets", "delete", "snow_password"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["secrets", "set", "snow_password", "--value-from-stdin"]) == 2  # empty: nothing stored
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    listing = _cli(["secrets", "list"], cli_env)
    assert listing.returncode == 0
    assert listing.stdout.split() == ["ion_client_secret"]
    assert SECRET not in stored.stdout + stored.stderr + listing.stdout + listing.stderr
    from ml_connector.secrets import SecretStore

    store = SecretStore(Path(cli_env["ML_CONNECTOR_SECRETS_FILE"]), key=cli_env["ML_CONNECTOR_SECRETS_KEY"])
    assert store.get("ion_client_secret") == SECRET  # the trailing newline from stdin is not part of it


def test_secrets_cli_errors(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET))
    assert main(["secrets", "set", "x", "--value-from-stdin"]) == 0
    capsys.readouterr()

    monkeypatch.setenv("ML_CONNECTOR_SECRETS_KEY", "wrong")
    assert main(["secrets", "list"]) == 2
    assert "wrong ML_CONNECTOR_SECRETS_KEY?" in capsys.readouterr().err

    monkeypatch.delenv("ML_CONNECTOR_SECRETS_KEY")
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET))
    assert main(["secrets", "set", "y", "--value-from-stdin"]) == 2
    assert "ML_CONNECTOR_SECRETS_KEY is not set" in capsys.readouterr().err

    monkeypatch.setenv("ML_CONNECTOR_SECRETS_KEY", cli_env["ML_CONNECTOR_SECRETS_KEY"])
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no prompt possible
    assert main(["secrets", "set", "y"]) == 2
    assert "--value-from-stdin" in capsys.readouterr().err
    assert main(["secrets", "delete", "nope"]) == 2
    captured = capsys.readouterr()
    assert "no secret named 'nope'" in captured.err
    assert "Traceback" not in captured.err and SECRET not in captured.out + captured.err


def test_main_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "audit" in out and "secrets" in out
