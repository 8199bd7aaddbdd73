"""A session-wide IFS emulator (scale 300) and helpers to run the tap in-process against it."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from ml_connector_sandbox import testing as sandbox_testing
from ml_connector_sandbox.testing import RunningSandbox, run_sandbox

from tap_ifs_cloud.tap import TapIFSCloud


@dataclass
class SyncResult:
    tap: TapIFSCloud
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def records(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for m in self.messages:
            if m["type"] == "RECORD":
                out.setdefault(m["stream"], []).append(m["record"])
        return out

    @property
    def state(self) -> dict[str, Any]:
        states = [m["value"] for m in self.messages if m["type"] == "STATE"]
        return states[-1] if states else {}

    def keys(self, stream: str) -> list[tuple[Any, ...]]:
        pk = self.tap.streams[stream].primary_keys
        return [tuple(r[k] for k in pk) for r in self.records.get(stream, [])]


def run_tap(config: dict[str, Any], *, state: dict | None = None, streams: list[str] | None = None) -> SyncResult:
    """One `sync_all` in-process; stdout captured as Singer messages."""
    tap = TapIFSCloud(config=config, state=state, validate_config=True, parse_env_config=False)
    if streams is not None:
        for name, stream in tap.streams.items():
            stream.selected = name in streams
    buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    result = SyncResult(tap)
    try:
        with redirect_stdout(buffer):
            tap.sync_all()
    finally:
        buffer.flush()
        result.messages = [json.loads(line) for line in buffer.buffer.getvalue().decode().splitlines() if line]
    return result


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """run_sandbox restricted to the IFS emulator: faster, and independent of the other emulators."""
    patch = pytest.MonkeyPatch()
    patch.setattr(sandbox_testing, "EMULATORS", tuple(e for e in sandbox_testing.EMULATORS if e.name == "ifs"))
    try:
        with run_sandbox(tmp_path_factory.mktemp("sandbox"), scale=300, seed=7) as running:
            yield running
    finally:
        patch.undo()


def tap_config(sandbox: RunningSandbox, **overrides: Any) -> dict[str, Any]:
    creds = sandbox.emulators["ifs"].credentials
    return {"base_url": creds["base_url"], "realm": creds["realm"], "client_id": creds["client_id"],
            "client_secret": creds["client_secret"], "companies": creds["companies"], "requests_per_minute": 0,
            "change_lookback_seconds": 0, "page_size": 100, **overrides}


@pytest.fixture
def ifs(sandbox: RunningSandbox) -> Iterator[Any]:
    """The IFS admin client; faults and settings restored after each test."""
    admin = sandbox.admin("ifs")
    defaults = admin.settings()
    yield admin
    admin.clear_faults()
    admin.settings(**defaults)


@pytest.fixture
def config(sandbox: RunningSandbox) -> dict[str, Any]:
    return tap_config(sandbox)


@pytest.fixture
def ifs_db(sandbox: RunningSandbox) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{Path(sandbox.data_dir) / 'ifs.db'}?mode=ro", uri=True)
    yield conn
    conn.close()


@pytest.fixture(name="run_tap")
def _run_tap_fixture():
    return run_tap
