"""`sandbox up|down|status`: one detached process serving every emulator, described by `<data dir>/sandbox.json`."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from ml_connector_sandbox.registry import EMULATORS, build_emulator
from ml_connector_sandbox.server import make_servers, serve_all

STATE_FILE = "sandbox.json"
LOG_FILE = "sandbox.log"


class SandboxError(RuntimeError):
    """An expected failure the CLI reports in one line."""


@dataclass(frozen=True)
class SandboxOptions:
    data_dir: Path
    scale: int = 5000
    seed: int = 42
    host: str = "127.0.0.1"
    ports: dict[str, int] | None = None


def _state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def _pid_alive(pid: int) -> bool:
    try:  # a sandbox this process started is its child: reap it, or it lingers as a zombie that "exists"
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _healthy(base_url: str) -> bool:
    try:
        return requests.get(f"{base_url}/_sandbox/health", timeout=2).ok
    except requests.RequestException:
        return False


def read_status(data_dir: Path) -> dict[str, Any]:
    """What is running: base URLs, credentials, and whether each emulator answers."""
    path = _state_path(data_dir)
    if not path.exists():
        return {"running": False, "data_dir": str(data_dir), "emulators": {}}
    state = json.loads(path.read_text(encoding="utf-8"))
    alive = _pid_alive(int(state.get("pid", 0)))
    for info in state.get("emulators", {}).values():
        info["healthy"] = alive and _healthy(info["base_url"])
    state["running"] = alive and all(i["healthy"] for i in state.get("emulators", {}).values())
    return state


def serve(options: SandboxOptions, *, fresh: bool) -> None:
    """Run in the foreground until SIGTERM/SIGINT; used by the detached process `up` starts."""
    data_dir = options.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    ports = options.ports or {}
    handles, apps, emulators = [], [], {}
    for spec in EMULATORS:
        port = ports.get(spec.name, spec.default_port)
        base_url = f"http://{options.host}:{port}"
        handle = build_emulator(
            spec, data_dir, base_url=base_url, scale=options.scale, seed=options.seed, fresh=fresh
        )
        handles.append(handle)
        apps.append((handle.app, options.host, port))
        emulators[spec.name] = {"base_url": base_url, "credentials": handle.credentials}
    servers = make_servers(apps)
    state = {
        "pid": os.getpid(),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data_dir": str(data_dir.resolve()),
        "scale": options.scale,
        "seed": options.seed,
        "emulators": emulators,
    }
    state_path = _state_path(data_dir)
    tmp = state_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)  # it holds the sandbox credentials
    tmp.replace(state_path)
    try:
        asyncio.run(serve_all(servers))
    finally:
        state_path.unlink(missing_ok=True)
        for handle in handles:
            handle.close()


def up(options: SandboxOptions, *, fresh: bool = False, timeout: float = 900.0) -> dict[str, Any]:
    """Start the sandbox in the background (seeding first if needed) and wait until it answers."""
    data_dir = options.data_dir
    current = read_status(data_dir)
    if current["running"] and not fresh:
        return current
    if current.get("pid") and _pid_alive(int(current["pid"])):
        down(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    _state_path(data_dir).unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "ml_connector_sandbox", "serve",
        "--data-dir", str(data_dir), "--scale", str(options.scale), "--seed", str(options.seed),
        "--host", options.host,
    ]
    for name, port in (options.ports or {}).items():
        command += ["--port", f"{name}={port}"]
    if fresh:
        command.append("--fresh")
    with open(data_dir / LOG_FILE, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (data_dir / LOG_FILE).read_text(encoding="utf-8", errors="replace")[-2000:]
            msg = f"sandbox exited during start-up (code {process.returncode}); log tail:\n{tail}"
            raise SandboxError(msg)
        status = read_status(data_dir)
        if status["running"]:
            return status
        time.sleep(0.2)
    msg = f"sandbox did not answer within {timeout:.0f}s; see {data_dir / LOG_FILE}"
    raise SandboxError(msg)


def down(data_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop the background sandbox; its data stays in the data dir. Returns whether one was running."""
    path = _state_path(data_dir)
    if not path.exists():
        return False
    pid = int(json.loads(path.read_text(encoding="utf-8")).get("pid", 0))
    if not pid or not _pid_alive(pid):
        path.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)
    return True
