"""`ml-connector quarantine list`: what is still open, with every reason, as a table or JSON."""

from __future__ import annotations

import argparse
from typing import Any

from ml_connector.cli.audit_cmd import _print_json, _table, _when
from ml_connector.ledger import Ledger, OpenEntry
from ml_connector.ledger.selection import KINDS, document_of, reasons_of


def register(subparsers: Any) -> None:
    quarantine = subparsers.add_parser("quarantine", help="open quarantined and dead-lettered records")
    sub = quarantine.add_subparsers(dest="quarantine_command", metavar="WHAT", required=True)
    listing = sub.add_parser("list", help="open entries with their reasons, oldest first")
    listing.add_argument("--ledger-url", default=None, help="ledger database URL (default: the ledger default)")
    listing.add_argument("--kind", choices=[*KINDS, "all"], default="quarantine",
                         help="quarantine (default), dead_letter or all")
    listing.add_argument("--job")
    listing.add_argument("--stream")
    listing.add_argument("--source-system")
    listing.add_argument("--record", help="one record id (key properties joined by '|')")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(func=_list)


def entry_dict(entry: OpenEntry) -> dict[str, Any]:
    reasons = reasons_of(entry)
    return {
        "id": entry.id,
        "kind": entry.kind,
        "job": entry.job,
        "run_id": entry.run_id,
        "stream": entry.stream,
        "source_system": entry.source_system,
        "source_id": entry.source_id,
        "document": document_of(entry),
        "reasons": reasons,
        "error": None if reasons else entry.error,
        "attempts": entry.attempts,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


def _reason_lines(entry: OpenEntry) -> list[str]:
    reasons = reasons_of(entry)
    if not reasons:
        return [" ".join((entry.error or "-").split())[:100]]
    return [
        f"{r.get('reason')}: {r.get('field')}={r.get('value')}"
        + ("" if r.get("record") == entry.source_id and r.get("stream") == entry.stream
           else f" (on {r.get('stream')} {r.get('record')})")
        for r in reasons
    ]


def _list(args: argparse.Namespace) -> int:
    kinds = list(KINDS) if args.kind == "all" else [args.kind]
    with Ledger(args.ledger_url) as ledger:
        entries = [
            e for kind in kinds
            for e in ledger.open_entries(kind=kind, stream=args.stream, job=args.job,
                                         source_system=args.source_system, source_id=args.record)
        ]
    entries.sort(key=lambda e: (e.created_at, e.id))
    if args.json:
        return _print_json([entry_dict(e) for e in entries])
    if not entries:
        print("nothing open")
        return 0
    rows: list[list[str]] = []
    for e in entries:
        for index, reason in enumerate(_reason_lines(e)):
            first = index == 0
            rows.append([
                str(e.id) if first else "", e.kind if first else "", (e.job or "-") if first else "",
                e.stream if first else "", e.source_id if first else "", _when(e.updated_at) if first else "",
                str(e.attempts) if first else "", reason,
            ])
    print(_table(["id", "kind", "job", "stream", "record", "updated", "attempts", "reason"], rows))
    print(f"\n{len(entries)} open entr{'y' if len(entries) == 1 else 'ies'}")
    return 0
