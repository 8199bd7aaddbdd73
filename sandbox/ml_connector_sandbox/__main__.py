"""`python -m ml_connector_sandbox serve ...`: the foreground server the supervisor detaches."""

from __future__ import annotations

import argparse
from pathlib import Path

from ml_connector_sandbox.supervisor import SandboxOptions, serve


def _ports(values: list[str]) -> dict[str, int]:
    ports = {}
    for value in values:
        name, _, port = value.partition("=")
        ports[name] = int(port)
    return ports


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ml_connector_sandbox")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="serve every emulator in the foreground")
    run.add_argument("--data-dir", type=Path, default=Path(".sandbox"))
    run.add_argument("--scale", type=int, default=5000)
    run.add_argument("--seed", type=int, default=42)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", action="append", default=[], help="NAME=PORT, e.g. ion=18761")
    run.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    options = SandboxOptions(
        data_dir=args.data_dir, scale=args.scale, seed=args.seed, host=args.host, ports=_ports(args.port)
    )
    serve(options, fresh=args.fresh)


if __name__ == "__main__":
    main()
