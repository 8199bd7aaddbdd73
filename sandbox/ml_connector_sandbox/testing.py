"""An in-process sandbox for tests: every emulator on a free port, served from a background thread.

Subprocesses (meltano run, plugin CLIs) reach it over HTTP like any vendor endpoint. Also the helpers
every tap's test suite shares: run a tap in-process, restore an emulator after a test, read its database.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import requests

from ml_connector_sandbox.registry import EMULATORS, EmulatorHandle, build_emulator
from ml_connector_sandbox.server import free_port, make_servers, serve_all


class AdminClient:
    """Drives one emulator's `/_sandbox/*` admin API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = requests.Session()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self._session.request(method, f"{self.base_url}/_sandbox/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def faults(self, **changes: Any) -> dict[str, Any]:
        return self._call("PUT", "faults", changes)

    def clear_faults(self) -> dict[str, Any]:
        return self.faults(rate_429=0.0, rate_5xx=0.0, slow_rate=0.0, revoke_tokens_after=None)

    def settings(self, **changes: Any) -> dict[str, Any]:
        return self._call("PUT", "settings", changes) if changes else self._call("GET", "settings")

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats")

    def reset_stats(self) -> None:
        self._call("POST", "stats/reset")

    def revoke_tokens(self) -> int:
        return int(self._call("POST", "revoke-tokens")["revoked"])

    def mutate(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "mutate", body)


@dataclass
class EmulatorInfo:
    name: str
    base_url: str
    credentials: dict[str, Any]
    data_dir: Path


@dataclass
class RunningSandbox:
    data_dir: Path
    emulators: dict[str, EmulatorInfo] = field(default_factory=dict)

    @property
    def ion(self) -> EmulatorInfo:
        return self.emulators["ion"]

    @property
    def servicenow(self) -> EmulatorInfo:
        return self.emulators["servicenow"]

    def admin(self, name: str) -> AdminClient:
        return AdminClient(self.emulators[name].base_url)

    def status(self) -> dict[str, Any]:
        """Same shape as `ml-connector sandbox status --json`."""
        return {
            "running": True,
            "data_dir": str(self.data_dir),
            "emulators": {
                name: {"base_url": info.base_url, "credentials": info.credentials}
                for name, info in self.emulators.items()
            },
        }


def _wait_healthy(base_url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{base_url}/_sandbox/health", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            msg = f"sandbox emulator at {base_url} did not become healthy within {timeout:.0f}s"
            raise RuntimeError(msg)
        time.sleep(0.05)


@contextlib.contextmanager
def run_sandbox(
    data_dir: Path,
    *,
    scale: int = 300,
    seed: int = 7,
    fresh: bool = True,
    host: str = "127.0.0.1",
    names: Iterable[str] | None = None,
) -> Iterator[RunningSandbox]:
    """Build and serve the named emulators (default: all) until the block exits."""
    wanted = set(names) if names is not None else {spec.name for spec in EMULATORS}
    data_dir.mkdir(parents=True, exist_ok=True)
    handles: list[EmulatorHandle] = []
    sandbox = RunningSandbox(data_dir=data_dir)
    apps = []
    for spec in EMULATORS:
        if spec.name not in wanted:
            continue
        port = free_port(host)
        base_url = f"http://{host}:{port}"
        handle = build_emulator(spec, data_dir, base_url=base_url, scale=scale, seed=seed, fresh=fresh)
        handles.append(handle)
        apps.append((handle.app, host, port))
        sandbox.emulators[spec.name] = EmulatorInfo(spec.name, base_url, handle.credentials, data_dir)
    servers = make_servers(apps)
    thread = threading.Thread(target=lambda: asyncio.run(serve_all(servers)), daemon=True)
    thread.start()
    try:
        for info in sandbox.emulators.values():
            _wait_healthy(info.base_url)
        yield sandbox
    finally:
        for server in servers:
            server.should_exit = True
        thread.join(timeout=10)
        for handle in handles:
            handle.close()


class _SyncableTap(Protocol):
    streams: Any

    def sync_all(self) -> None: ...


TapT = TypeVar("TapT", bound=_SyncableTap)


@dataclass
class SyncResult(Generic[TapT]):
    """The Singer messages one in-process sync wrote, and the views tap tests assert on."""

    tap: TapT
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


def run_tap_in_process(
    tap_class: Any,
    config: dict[str, Any],
    *,
    state: dict[str, Any] | None = None,
    streams: list[str] | None = None,
) -> SyncResult[Any]:
    """One `sync_all` in-process (faster than a subprocess, and the tap stays inspectable); stdout is
    captured as Singer messages. `streams` selects a subset."""
    tap = tap_class(config=config, state=state, validate_config=True, parse_env_config=False)
    if streams is not None:
        for name, stream in tap.streams.items():
            stream.selected = name in streams
    buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    result: SyncResult[Any] = SyncResult(tap)
    try:
        with contextlib.redirect_stdout(buffer):
            tap.sync_all()
    finally:
        buffer.flush()
        lines = buffer.buffer.getvalue().decode().splitlines()
        result.messages = [json.loads(line) for line in lines if line]
    return result


def clean_admin(sandbox: RunningSandbox, name: str) -> AdminClient:
    """An emulator's admin client, faults cleared and stats zeroed, so a test counts only its own calls."""
    admin = sandbox.admin(name)
    admin.clear_faults()
    admin.reset_stats()
    return admin


@contextlib.contextmanager
def restoring_admin(sandbox: RunningSandbox, name: str) -> Iterator[AdminClient]:
    """One emulator's admin client; faults and settings go back to what they were when the block exits,
    so a session-wide sandbox can serve every test."""
    admin = sandbox.admin(name)
    defaults = admin.settings()
    yield admin
    admin.clear_faults()
    admin.settings(**defaults)


@contextlib.contextmanager
def read_only_database(sandbox: RunningSandbox, filename: str) -> Iterator[sqlite3.Connection]:
    """A read-only connection to an emulator's SQLite file, to check what a run read against the source."""
    conn = sqlite3.connect(f"file:{Path(sandbox.data_dir) / filename}?mode=ro", uri=True)
    yield conn
    conn.close()
