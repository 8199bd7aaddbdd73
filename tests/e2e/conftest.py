"""End-to-end fixtures: a sandbox per test module and `meltano run` in the real project with isolated state."""

from __future__ import annotations

import contextlib
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
BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"
MELTANO = str(BIN / "meltano")
ML_CONNECTOR = str(BIN / "ml-connector")
E2E_SCALE = int(os.environ.get("ML_CONNECTOR_E2E_SCALE", "1200"))
PAIR = ("ion", "servicenow")
JOB = "infor-to-servicenow"
CROSSWALK_HEADER = "dimension,source_value,target_value,company\n"


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
        # the repo's crosswalk is the operators' file: each test project edits its own
        self.crosswalk = work / "crosswalk.csv"
        self.crosswalk.write_text(CROSSWALK_HEADER, encoding="utf-8")
        self.runs = 0
        self.env = {
            **os.environ,
            "MELTANO_DATABASE_URI": f"sqlite:///{work / 'meltano.db'}",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "MELTANO_ENVIRONMENT": "sandbox",
            # every plugin and `ml-connector` command falls back to this ledger, never the repo's own
            "ML_CONNECTOR_LEDGER_URL": self.ledger_url,
            **_plugin_env(sandbox, self.ledger_url),
            # Meltano lets a mapping's config beat env vars, so crosswalk_path is set on the plugin (meltano.yml)
            "MAPPER_GL_VENDOR_CROSSWALK_PATH": str(self.crosswalk),
        }

    def _call(self, argv: list[str], extra_env: dict[str, str] | None, timeout: int) -> JobRun:
        """Run a command in the repo as a user types it; output is stdout+stderr combined, kept in a log."""
        proc = subprocess.run(
            argv, cwd=ROOT, env={**self.env, **(extra_env or {})}, capture_output=True, text=True, timeout=timeout,
            check=False,
        )
        self.runs += 1
        log = self.work / f"{Path(argv[0]).name}-{argv[1]}-{self.runs}.log"
        log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
        return JobRun(proc.returncode, proc.stdout + proc.stderr, log)

    def run(self, *args: str, extra_env: dict[str, str] | None = None, timeout: int = 900) -> JobRun:
        """`meltano run ...` (blocks or a job name)."""
        return self._call([MELTANO, "run", *args], extra_env, timeout)

    def cli(self, *args: str, extra_env: dict[str, str] | None = None, timeout: int = 900) -> JobRun:
        """`ml-connector ...` from the repo, with this project's ledger and Meltano database."""
        return self._call([ML_CONNECTOR, *args], extra_env, timeout)

    def main_job(self, **kwargs: Any) -> JobRun:
        return self.run("tap-infor-cloudsuite", "target-servicenow-s2p", **kwargs)

    def job(self, **kwargs: Any) -> JobRun:
        """The scheduled job: tap, GL/vendor mapper, target."""
        return self.run(JOB, **kwargs)

    def set_crosswalk(self, *rows: tuple[str, str, str, str]) -> None:
        """Replace the crosswalk with (dimension, source_value, target_value, company) rows."""
        lines = "".join(",".join(row) + "\n" for row in rows)
        self.crosswalk.write_text(CROSSWALK_HEADER + lines, encoding="utf-8")

    def meltano_state(self) -> list[tuple[Any, ...]]:
        """Every state row of the Meltano system database (to prove a run left them alone)."""
        conn = sqlite3.connect(f"file:{self.work / 'meltano.db'}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT * FROM state ORDER BY 1").fetchall()
        finally:
            conn.close()

    def ledger(self) -> Ledger:
        return Ledger(self.ledger_url)

    def m3(self) -> sqlite3.Connection:
        return _readonly(self.sandbox.data_dir / "m3.db")

    def servicenow(self) -> sqlite3.Connection:
        return _readonly(self.sandbox.data_dir / "servicenow.db")

    def secrets(self) -> list[str]:
        emulators = self.sandbox.emulators
        found = [emulators["ion"].credentials[k] for k in ("client_secret", "sask") if "ion" in emulators]
        if "ifs" in emulators:
            found.append(emulators["ifs"].credentials["client_secret"])
        if "servicenow" in self.sandbox.emulators:
            sn = self.sandbox.servicenow.credentials
            found += [sn["client_secret"], sn["password"]]
        return found


def _plugin_env(sandbox: RunningSandbox, ledger_url: str) -> dict[str, str]:
    """Settings that point the plugins at the emulators this sandbox serves (free ports, not the defaults)."""
    env = {}
    if "ion" in sandbox.emulators:
        env["TAP_INFOR_CLOUDSUITE_IONAPI_PATH"] = sandbox.ion.credentials["ionapi_path"]
    if "ifs" in sandbox.emulators:  # the emulator's own credentials file, as the sandbox environment reads it
        ifs = sandbox.emulators["ifs"]
        env |= {"TAP_IFS_CLOUD_BASE_URL": ifs.base_url,
                "TAP_IFS_CLOUD_CREDENTIALS_FILE": str(ifs.data_dir / "credentials" / "ifs.json")}
    if "servicenow" in sandbox.emulators:
        sn = sandbox.servicenow.credentials
        # this sandbox's credentials file replaces the sandbox environment's (a fresh clone has none)
        servicenow = {"INSTANCE_URL": sandbox.servicenow.base_url, "CLIENT_ID": sn["client_id"],
                      "CLIENT_SECRET": sn["client_secret"], "LEDGER_URL": ledger_url,
                      "CREDENTIALS_FILE": str(sandbox.servicenow.data_dir / "credentials" / "servicenow.json")}
        # the target and the GL/vendor mapper (which reads the target's reference tables) alike
        for prefix in ("TARGET_SERVICENOW_S2P", "MAPPER_GL_VENDOR"):
            env |= {f"{prefix}_{name}": value for name, value in servicenow.items()}
    if "snowflake" in sandbox.emulators:
        sf = sandbox.emulators["snowflake"].credentials
        env |= {
            "TARGET_SNOWFLAKE_FAKESNOW_HOST": str(sf["host"]),
            "TARGET_SNOWFLAKE_FAKESNOW_PORT": str(sf["port"]),
            "MAPPER_AUDIT_LEDGER_URL": ledger_url,
        }
    return env


def _readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


@contextlib.contextmanager
def sandbox_project(work: Path, *, names: tuple[str, ...], scale: int, seed: int) -> Iterator[Project]:
    """A sandbox serving `names` and the project pointed at it: what each pair's fixtures build on."""
    with run_sandbox(work / "sandbox", scale=scale, seed=seed, names=names) as sandbox:
        yield Project(sandbox, work)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    with sandbox_project(tmp_path_factory.mktemp("e2e"), names=PAIR, scale=E2E_SCALE, seed=11) as project:
        yield project


@pytest.fixture
def fresh_project(tmp_path: Path) -> Iterator[Project]:
    with sandbox_project(tmp_path, names=PAIR, scale=E2E_SCALE // 2, seed=23) as project:
        yield project


def import_requests(stats: dict[str, Any]) -> int:
    """ServiceNow write requests: Import Set API calls."""
    return sum(n for route, n in stats["by_route"].items() if route.startswith("import:"))


def dump(value: Any) -> str:
    return json.dumps(value, indent=2, default=str)
