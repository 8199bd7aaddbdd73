"""`ml-connector replay`: re-send quarantined and dead-lettered records through the same mapper and target.

Per job of the selected entries, the pipeline is the job's task in meltano.yml minus its tap (e.g.
`gl-vendor-infor-servicenow target-servicenow-s2p`), or `--pipeline`. It runs as
`meltano run --no-state-update tap-ledger-replay <pipeline>` with one fresh run id shared by mapper and
target; the target's dedup makes a replay land each record once, and its success closes the entries.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from ml_connector.cli.main import CliError
from ml_connector.ledger import Ledger, OpenEntry, default_ledger_url
from ml_connector.ledger.identity import RUN_ID_ENV
from ml_connector.ledger.selection import KINDS, select_entries

REPLAY_TAP = "tap-ledger-replay"


def register(subparsers: Any) -> None:
    replay = subparsers.add_parser("replay", help="re-send open quarantined / dead-lettered records")
    replay.add_argument("--ledger-url", default=None, help="ledger database URL (default: the ledger default)")
    replay.add_argument("--kind", choices=KINDS, help="only this kind (default: both)")
    replay.add_argument("--job", help="entries of this job")
    replay.add_argument("--stream", help="entries of this stream")
    replay.add_argument("--record", action="append", default=[], metavar="ID",
                        help="a record id (repeatable); a quarantined record brings its whole document")
    replay.add_argument("--entry", action="append", default=[], type=int, metavar="N", help="a ledger entry id")
    replay.add_argument("--all", action="store_true", help="every open entry")
    replay.add_argument("--pipeline", help='blocks after the tap, e.g. "gl-vendor-infor-servicenow target-servicenow-s2p"')
    replay.add_argument("--project-dir", default=None, help="Meltano project (default: $MELTANO_PROJECT_ROOT or cwd)")
    replay.add_argument("--meltano", default=None, help="meltano executable (default: next to this Python, else PATH)")
    replay.add_argument("--dry-run", action="store_true", help="show what would run")
    replay.set_defaults(func=_replay)


def job_pipeline(project_dir: Path, job: str) -> list[str]:
    """The blocks after the tap of the job's first task (jobs from meltano.yml and its include_paths)."""
    import yaml

    main = project_dir / "meltano.yml"
    if not main.exists():
        raise CliError(f"no meltano.yml in {project_dir}; pass --pipeline")
    documents = [yaml.safe_load(main.read_text(encoding="utf-8")) or {}]
    for pattern in documents[0].get("include_paths") or []:
        for path in sorted(project_dir.glob(pattern.removeprefix("./"))):
            documents.append(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    for document in documents:
        for definition in document.get("jobs") or []:
            if definition.get("name") != job:
                continue
            for task in definition.get("tasks") or []:
                blocks = task.split() if isinstance(task, str) else list(task)
                if len(blocks) >= 2:
                    return blocks[1:]
    raise CliError(f"job {job!r} has no 'tap ... target' task in meltano.yml; pass --pipeline")


def _meltano(explicit: str | None) -> str:
    if explicit:
        return explicit
    beside = Path(sys.executable).parent / "meltano"
    return str(beside) if beside.exists() else "meltano"


def _replay(args: argparse.Namespace) -> int:
    if not (args.all or args.job or args.stream or args.record or args.entry):
        raise CliError("say what to replay: --job, --stream, --record, --entry or --all")
    project = Path(args.project_dir or os.environ.get("MELTANO_PROJECT_ROOT") or os.getcwd()).resolve()
    ledger_url = args.ledger_url or default_ledger_url()
    with Ledger(ledger_url) as ledger:
        entries = select_entries(ledger, kind=args.kind, job=args.job, stream=args.stream,
                                 source_ids=args.record, entry_ids=args.entry)
    if not entries:
        print("nothing open to replay")
        return 0
    by_job: dict[str, list[OpenEntry]] = defaultdict(list)
    for entry in entries:
        by_job[entry.job or "adhoc"].append(entry)
    status = 0
    for job, group in by_job.items():
        blocks = args.pipeline.split() if args.pipeline else job_pipeline(project, job)
        status = max(status, _run_one(args, project, ledger_url, job, blocks, group))
    return status


def _run_one(args: argparse.Namespace, project: Path, ledger_url: str, job: str, blocks: list[str],
             entries: list[OpenEntry]) -> int:
    run_id = str(uuid.uuid4())
    command = [_meltano(args.meltano), "run", "--no-state-update", REPLAY_TAP, *blocks]
    env = {
        **os.environ,
        RUN_ID_ENV: run_id,
        "MELTANO_RUN_ID": run_id,
        "MELTANO_JOB_NAME": job,
        "ML_CONNECTOR_LEDGER_URL": ledger_url,
        "TAP_LEDGER_REPLAY_LEDGER_URL": ledger_url,
        "TAP_LEDGER_REPLAY_ENTRY_IDS": json.dumps([e.id for e in entries]),
    }
    print(f"replaying {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} of job {job} as run {run_id}:")
    print("  " + shlex.join(command))
    if args.dry_run:
        return 0
    proc = subprocess.run(command, cwd=project, env=env, check=False)  # noqa: S603
    with Ledger(ledger_url) as ledger:
        still = {e.id for e in ledger.open_entries()} & {e.id for e in entries}
        run = ledger.get_run(run_id)
    totals = run.totals() if run else {}
    print(f"run {run_id}: {run.status if run else 'not recorded'}; inserted {totals.get('inserted', 0)}, "
          f"updated {totals.get('updated', 0)}, unchanged {totals.get('unchanged', 0)}, "
          f"quarantined {totals.get('quarantined', 0)}, failed {totals.get('failed', 0)}; "
          f"{len(entries) - len(still)} closed, {len(still)} still open")
    if proc.returncode != 0:
        raise CliError(f"meltano run exited with {proc.returncode}")
    return 0
