"""`ml-connector sandbox up|down|status`: start, stop and describe the local vendor emulators."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

_SECRET_KEYS = ("password", "secret", "sask", "saak", "cs", "ci")


def _supervisor() -> Any:
    try:
        from ml_connector_sandbox import supervisor
    except ImportError as exc:  # the sandbox is a dev/demo package, not a plugin dependency
        msg = "the sandbox package is not installed: run `make setup` (or pip install -e sandbox)"
        raise SystemExit(msg) from exc
    return supervisor


def _print_human(status: dict[str, Any]) -> None:
    if not status.get("emulators"):
        print(f"sandbox: not running (data dir {status['data_dir']})")
        return
    state = "running" if status["running"] else "NOT answering"
    print(f"sandbox: {state} (data dir {status['data_dir']})")
    for name, info in status["emulators"].items():
        print(f"  {name:<11} {info['base_url']}")
        for key, value in info["credentials"].items():
            hidden = any(part in key.lower() for part in _SECRET_KEYS) and key != "ionapi_path"
            print(f"      {key}: {'(hidden; use --json)' if hidden else value}")


def _up(args: argparse.Namespace) -> int:
    sup = _supervisor()
    options = sup.SandboxOptions(data_dir=args.data_dir, scale=args.scale, seed=args.seed)
    try:
        status = sup.up(options, fresh=args.fresh)
    except sup.SandboxError as exc:
        raise SystemExit(f"sandbox: {exc}") from exc
    _print_human(status)
    return 0


def _down(args: argparse.Namespace) -> int:
    stopped = _supervisor().down(args.data_dir)
    print("sandbox: stopped" if stopped else "sandbox: was not running")
    return 0


def _status(args: argparse.Namespace) -> int:
    status = _supervisor().read_status(args.data_dir)
    if args.json:
        print(json.dumps(status, indent=2))
    else:
        _print_human(status)
    return 0 if status["running"] else 3


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("sandbox", help="local emulators of the vendor APIs")
    parser.add_argument("--data-dir", type=Path, default=Path(".sandbox"), help="where the emulators keep data")
    sub = parser.add_subparsers(dest="sandbox_command", required=True)
    up = sub.add_parser("up", help="seed (first time) and start every emulator in the background")
    up.add_argument("--scale", type=int, default=5000, help="AP invoice lines to seed (default 5000)")
    up.add_argument("--seed", type=int, default=42, help="random seed of the data")
    up.add_argument("--fresh", action="store_true", help="wipe and reseed the data first")
    up.set_defaults(func=_up)
    down = sub.add_parser("down", help="stop the emulators (data is kept)")
    down.set_defaults(func=_down)
    status = sub.add_parser("status", help="base URLs and credentials of each emulator")
    status.add_argument("--json", action="store_true", help="machine-readable, with credentials")
    status.set_defaults(func=_status)
