"""An in-process sandbox for tests: every emulator on a free port, served from a background thread.

Subprocesses (meltano run, plugin CLIs) reach it over HTTP like any vendor endpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
