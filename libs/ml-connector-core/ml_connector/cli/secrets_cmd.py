"""`ml-connector secrets`: manage the encrypted store without a value ever reaching the terminal."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from ml_connector.cli.main import CliError
from ml_connector.secrets import SECRET_PREFIX, SecretStore


def register(subparsers: Any) -> None:
    """Add `secrets set|list|delete`."""
    secrets = subparsers.add_parser(
        "secrets",
        help="encrypted credentials (key: ML_CONNECTOR_SECRETS_KEY; file: ML_CONNECTOR_SECRETS_FILE)",
    )
    sub = secrets.add_subparsers(dest="secrets_command", metavar="ACTION", required=True)

    set_ = sub.add_parser("set", help="store a secret; reference it in config as mlc-secret:NAME")
    set_.add_argument("name", metavar="NAME")
    source = set_.add_mutually_exclusive_group()
    source.add_argument("--value-from-stdin", action="store_true", help="read the value from standard input")
    source.add_argument("--from-file", type=Path, metavar="PATH", help="read the value from a file")
    set_.set_defaults(func=_set)

    list_ = sub.add_parser("list", help="secret names (never values)")
    list_.set_defaults(func=_list)

    delete = sub.add_parser("delete", help="remove a secret")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(func=_delete)


def _set(args: argparse.Namespace) -> int:
    value = _read_value(args)
    if not value:
        raise CliError(f"empty value for {args.name!r}: nothing stored")
    store = SecretStore()
    store.set(args.name, value)
    print(f"stored {args.name} in {store.path} (use it in config as {SECRET_PREFIX}{args.name})")
    return 0


def _read_value(args: argparse.Namespace) -> str:
    """Value from stdin, a file, or a no-echo prompt; one trailing newline is not part of it."""
    if args.value_from_stdin:
        raw = sys.stdin.read()
    elif args.from_file is not None:
        raw = args.from_file.read_text(encoding="utf-8")
    elif sys.stdin.isatty():
        raw = getpass.getpass(f"value for {args.name}: ")
    else:
        raise CliError("no terminal to prompt on: use --value-from-stdin or --from-file PATH")
    if raw.endswith("\r\n"):
        return raw[:-2]
    return raw.removesuffix("\n")


def _list(_args: argparse.Namespace) -> int:
    for name in SecretStore().names():
        print(name)
    return 0


def _delete(args: argparse.Namespace) -> int:
    store = SecretStore()
    store.delete(args.name)
    print(f"deleted {args.name} from {store.path}")
    return 0
