"""End-to-end fixtures: a sandbox per test module and `meltano run` in the real project with isolated state."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ml_connector.ledger import Ledger
from ml_connector_sandbox.testing import RunningSandbox, run_sandbox

ROOT = Path(__file__).resolve().parents[2]
MELTANO = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "meltano")
E2E_SCALE = int(os.environ.get("ML_CONNECTOR_E2E_SCALE", "1200"))
PAIR = ("ion", "servicenow")


@dataclass
class JobRun:
    returncode: int
    output: str
    log: Path

    def explain(self) -> str:
        """What a failing assertion shows: the errors, and where the whole log is."""
        errors = [line for line in self.output.splitlines() if "error" in line.lower() or "Error" in line]
        return f"rc={self.returncode}; full log: {self.log}\n" + "\n".join(errors[-40:])


class Project:
    """The repo's Meltano project pointed at one sandbox, with its own system DB, ledger and state."""

    def __init__(self, sandbox: RunningSandbox, work: Path) -> None:
        self.sandbox = sandbox
        self.work = work
        self.ledger_url = f"sqlite:///{work / 'ledger.db'}"
        self.runs = 0
        sn = sandbox.servicenow.credentials
        self.env = {
            **os.environ,
            "MELTANO_DATABASE_URI": f"sqlite:///{work / 'meltano.db'}",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "MELTANO_ENVIRONMENT": "sandbox",
            "TAP_INFOR_CLOUDSUITE_IONAPI_PATH": sandbox.ion.credentials["ionapi_path"],
            "TARGET_SERVICENOW_S2P_INSTANCE_URL": sandbox.servicenow.base_url,
            "TARGET_SERVICENOW_S2P_CLIENT_ID": sn["client_id"],
            "TARGET_SERVICENOW_S2P_CLIENT_SECRET": sn["client_secret"],
            "TARGET_SERVICENOW_S2P_LEDGER_URL": self.ledger_url,
        }

    def run(self, *args: str, extra_env: dict[str, str] | None = None, timeout: int = 900) -> JobRun:
        """`meltano run ...` as a user types it; output is stdout+stderr combined."""
        proc = subprocess.run(  # noqa: S603
            [MELTANO, "run", *args],
            cwd=ROOT, env={**self.env, **(extra_env or {})}, capture_output=True, text=True, timeout=timeout,
        )
        self.runs += 1
        log = self.work / f"meltano-run-{self.runs}.log"
        log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
        return JobRun(proc.returncode, proc.stdout + proc.stderr, log)

    def main_job(self, **kwargs: Any) -> JobRun:
        return self.run("tap-infor-cloudsuite", "target-servicenow-s2p", **kwargs)

    def ledger(self) -> Ledger:
        return Ledger(self.ledger_url)

    def m3(self) -> sqlite3.Connection:
        return _readonly(self.sandbox.data_dir / "m3.db")

    def servicenow(self) -> sqlite3.Connection:
        return _readonly(self.sandbox.data_dir / "servicenow.db")

    def secrets(self) -> list[str]:
        ion = self.sandbox.ion.credentials
        sn = self.sandbox.servicenow.credentials
        return [ion["client_secret"], ion["sask"], sn["client_secret"], sn["password"]]


def _readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    work = tmp_path_factory.mktemp("e2e")
    with run_sandbox(work / "sandbox", scale=E2E_SCALE, seed=11, names=PAIR) as sandbox:
        yield Project(sandbox, work)


@pytest.fixture
def fresh_project(tmp_path: Path) -> Iterator[Project]:
    with run_sandbox(tmp_path / "sandbox", scale=E2E_SCALE // 2, seed=23, names=PAIR) as sandbox:
        yield Project(sandbox, tmp_path)


def import_requests(stats: dict[str, Any]) -> int:
    """ServiceNow write requests: Import Set API calls."""
    return sum(n for route, n in stats["by_route"].items() if route.startswith("import:"))


def dump(value: Any) -> str:
    return json.dumps(value, indent=2, default=str)
