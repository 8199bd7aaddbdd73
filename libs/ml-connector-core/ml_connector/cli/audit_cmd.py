"""`ml-connector audit`: what happened in a run, to a record, and what is still open."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ml_connector.cli.main import CliError
from ml_connector.ledger import Ledger
from ml_connector.ledger.models import COUNTERS

if TYPE_CHECKING:
    from ml_connector.ledger import RunSummary

_ERROR_WIDTH = 80


def register(subparsers: Any) -> None:
    """Add `audit` and its subcommands; --ledger-url works before or after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--ledger-url", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", help="machine-readable output")

    audit = subparsers.add_parser("audit", help="inspect the ledger: runs, record trails, open exceptions")
    audit.add_argument(
        "--ledger-url",
        default=None,
        help="ledger database URL (default: ML_CONNECTOR_LEDGER_URL or the project's SQLite file)",
    )
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="WHAT", required=True)

    runs = audit_sub.add_parser("runs", parents=[common], help="recent runs, newest first")
    runs.add_argument("--job")
    runs.add_argument("--limit", type=int, default=20)
    runs.set_defaults(func=_runs)

    run = audit_sub.add_parser("run", parents=[common], help="one run's counts per stream")
    run.add_argument("run_id", nargs="?", metavar="RUN_ID")
    run.add_argument("--last", action="store_true", help="the most recent run (the default without RUN_ID)")
    run.add_argument("--job", help="with --last: the most recent run of this job")
    run.set_defaults(func=_run)

    record = audit_sub.add_parser("record", parents=[common], help="a record's history across runs")
    record.add_argument("source_id", metavar="SOURCE_ID")
    record.add_argument("--stream")
    record.add_argument("--source-system")
    record.set_defaults(func=_record)

    open_ = audit_sub.add_parser("open", parents=[common], help="open dead letters and quarantined records")
    open_.add_argument("--kind", choices=["dead_letter", "quarantine"])
    open_.add_argument("--stream")
    open_.add_argument("--job")
    open_.set_defaults(func=_open)


def _runs(args: argparse.Namespace) -> int:
    with _ledger(args) as ledger:
        found = ledger.list_runs(limit=args.limit, job=args.job)
    if args.json:
        return _print_json([_run_dict(run) for run in found])
    if not found:
        print("no runs recorded")
        return 0
    rows = []
    for run in found:
        totals = run.totals()
        rows.append(
            [run.run_id, run.job, run.status, _when(run.started_at), _duration(run)]
            + [str(totals.get(name, 0)) for name in COUNTERS]
        )
    print(_table(["run", "job", "status", "started", "duration", *COUNTERS], rows, numeric_from=5))
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.run_id and args.last:
        raise CliError("give either RUN_ID or --last, not both")
    with _ledger(args) as ledger:
        run = ledger.get_run(args.run_id) if args.run_id else ledger.last_run(job=args.job)
    if run is None:
        raise CliError(f"no run {args.run_id!r} in the ledger" if args.run_id else "no runs recorded")
    if args.json:
        return _print_json(_run_dict(run))
    print(f"run       {run.run_id}")
    print(f"job       {run.job}")
    print(f"plugins   {', '.join(run.plugins) or '-'}")
    print(f"status    {run.status}")
    print(f"started   {_when(run.started_at)}")
    print(f"finished  {_when(run.finished_at)}")
    print(f"duration  {_duration(run)}")
    print()
    extra = sorted({name for counts in run.counts.values() for name in counts} - set(COUNTERS))
    columns = [*COUNTERS, *extra]
    rows = [
        [stream] + [str(run.counts[stream].get(name, 0)) for name in columns] for stream in sorted(run.counts)
    ]
    totals = run.totals()
    rows.append(["TOTAL"] + [str(totals.get(name, 0)) for name in columns])
    print(_table(["stream", *columns], rows, numeric_from=1))
    return 0


def _record(args: argparse.Namespace) -> int:
    with _ledger(args) as ledger:
        history = ledger.record_history(
            source_id=args.source_id, stream=args.stream, source_system=args.source_system
        )
    if not history:
        raise CliError(f"no ledger entries for source id {args.source_id!r}")
    if args.json:
        return _print_json([dataclasses.asdict(entry) for entry in history])
    rows = [
        [
            _when(entry.recorded_at),
            entry.run_id,
            f"{entry.source_system}/{entry.stream}",
            entry.action,
            "/".join(part for part in (entry.target_table, entry.target_id) if part) or "-",
            _one_line(entry.error),
        ]
        for entry in history
    ]
    print(_table(["recorded", "run", "source", "action", "target", "error"], rows))
    return 0


def _open(args: argparse.Namespace) -> int:
    with _ledger(args) as ledger:
        entries = ledger.open_entries(kind=args.kind, stream=args.stream, job=args.job)
    if args.json:
        return _print_json([dataclasses.asdict(entry) for entry in entries])
    if not entries:
        print("no open exceptions")
        return 0
    rows = [
        [str(e.id), e.kind, e.stream, e.source_id, str(e.attempts), _when(e.updated_at), _one_line(e.error)]
        for e in entries
    ]
    print(_table(["id", "kind", "stream", "source id", "attempts", "last seen", "error"], rows))
    return 0


def _ledger(args: argparse.Namespace) -> Ledger:
    return Ledger(args.ledger_url)


# -- formatting -------------------------------------------------------------------------------


def _run_dict(run: RunSummary) -> dict[str, Any]:
    data = dataclasses.asdict(run)
    data["duration_seconds"] = run.duration_seconds
    data["totals"] = run.totals()
    return data


def _print_json(value: Any) -> int:
    print(json.dumps(value, indent=2, default=_json_default))
    return 0


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def _when(moment: dt.datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def _duration(run: RunSummary) -> str:
    seconds = run.duration_seconds
    if seconds is None:
        return "running" if run.status == "running" else "-"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{rest:02d}s" if hours else f"{minutes}m{rest:02d}s"


def _one_line(text: str | None) -> str:
    if not text:
        return "-"
    flat = " ".join(text.split())
    return flat if len(flat) <= _ERROR_WIDTH else flat[: _ERROR_WIDTH - 1] + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric_from: int | None = None) -> str:
    """Plain aligned columns; numbers right-aligned so counts line up."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for index, (cell, width) in enumerate(zip(cells, widths)):
            numeric = numeric_from is not None and index >= numeric_from
            parts.append(str(cell).rjust(width) if numeric else str(cell).ljust(width))
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])
