"""`ml-connector`: one entry point whose subcommands are contributed by small modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


class CliError(Exception):
    """An expected failure: printed as one line on stderr, exit code 2, no traceback."""


def build_parser() -> argparse.ArgumentParser:
    """The parser with every available subcommand (sandbox only when its module is installed)."""
    # imported here, not at module top, so command modules can import CliError from us
    from ml_connector.cli import audit_cmd, quarantine_cmd, replay_cmd, secrets_cmd

    parser = argparse.ArgumentParser(
        prog="ml-connector", description="Operate ml-connector pipelines: audit trail, secrets, sandbox."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    audit_cmd.register(sub)
    secrets_cmd.register(sub)
    quarantine_cmd.register(sub)
    replay_cmd.register(sub)
    try:
        from ml_connector.cli import sandbox_cmd
    except ImportError:
        pass
    else:
        sandbox_cmd.register(sub)
    return parser


def _expected_errors() -> tuple[type[BaseException], ...]:
    from ml_connector.secrets import SecretsError

    expected: tuple[type[BaseException], ...] = (CliError, SecretsError, OSError)
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")  # not imported: cannot be the cause
    if sqlalchemy_exc is not None:
        # bad ledger URL, unreachable server: the user's to fix, not a bug
        expected += (sqlalchemy_exc.ArgumentError, sqlalchemy_exc.OperationalError)
    return expected


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except _expected_errors() as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"ml-connector: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # under `python -m` this file is `__main__`; the command modules import the CliError of
    # `ml_connector.cli.main`, so run that module's main for their errors to be recognised
    from ml_connector.cli.main import main as _main

    sys.exit(_main())
