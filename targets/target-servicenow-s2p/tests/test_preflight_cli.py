"""Pre-flight failures stop the run before any write; soft checks only warn; `--test` reports and exits."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sn_target_helpers import run_target, write_requests
from m3_fixture import dataset, messages, to_singer

from target_servicenow_s2p.preflight import PreflightError

CLI = str(Path(sys.executable).parent / "target-servicenow-s2p")


def test_s2p_apps_missing_stops_before_any_write(sn_admin: Any, config: dict) -> None:
    sn_admin.settings(s2p_apps_installed=False)
    try:
        with pytest.raises(PreflightError, match=r"S2P apps missing or inactive on .*sn_fcms_intg"):
            run_target(config, to_singer(messages(dataset(cono="210"))))
    finally:
        sn_admin.settings(s2p_apps_installed=True)
    assert write_requests(sn_admin.stats()) == 0


def test_unreadable_roles_only_warn(sn_admin: Any, config: dict, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    sn_admin.settings(roles_readable=False)
    try:
        target = run_target(config, to_singer(messages(dataset(cono="220", invoices=1))))
    finally:
        sn_admin.settings(roles_readable=True)
    assert "cannot read roles; make sure the user" in caplog.text
    assert target.summary.ledger_counts()["suppliers"]["inserted"] == 6


def test_wrong_client_secret_names_the_setting(sn_admin: Any, config: dict) -> None:
    with pytest.raises(PreflightError, match="client_secret"):
        run_target(dict(config, client_secret="wrong-secret-value"), to_singer(messages(dataset(cono="230"))))
    assert write_requests(sn_admin.stats()) == 0


def test_meltano_test_stream_is_ignored(config: dict) -> None:
    text = "\n".join(json.dumps(m) for m in [
        {"type": "SCHEMA", "stream": "meltano_test_stream", "schema": {"properties": {"id": {"type": "integer"}}},
         "key_properties": ["id"]},
        {"type": "RECORD", "stream": "meltano_test_stream", "record": {"id": 1}},
    ]) + "\n"
    target = run_target(config, text)
    assert target.summary.ledger_counts()["meltano_test_stream"]["extracted"] == 1


def test_cli_test_flag(config: dict, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(config))
    ok = subprocess.run([CLI, "--config", str(good), "--test"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(config, client_secret="nope-nope")))
    failed = subprocess.run([CLI, "--config", str(bad), "--test"], capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1
    assert "client_secret" in failed.stdout + failed.stderr
    assert config["client_secret"] not in failed.stdout + failed.stderr
