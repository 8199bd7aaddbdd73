"""Run bookkeeping: a run is reported on by several plugins (mapper, target) and merged here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from ml_connector.ledger import codec
from ml_connector.ledger.identity import DEFAULT_JOB
from ml_connector.ledger.models import COUNTERS, RunSummary
from ml_connector.ledger.schema import run_plugins, runs

RUNNING = "running"
# "extracted" is seen by every plugin in the chain (the mapper and the target both receive the
# records), so it merges by max; outcome counters are each plugin's own work, so they add up.
MAX_COUNTERS = frozenset({"extracted"})
_FAILED = frozenset({"failed", "error", "aborted", "killed", "cancelled"})
_SUCCEEDED = frozenset({"succeeded", "success", "completed", "complete", "ok", "done"})


def status_rank(status: str) -> int:
    """Worst wins: failed > running > anything unusual (partial, ...) > succeeded."""
    lowered = status.lower()
    if lowered in _FAILED:
        return 3
    if lowered == RUNNING:
        return 2
    if lowered in _SUCCEEDED:
        return 0
    return 1


def merge_status(statuses: Iterable[str]) -> str:
    """The run's status from its plugins' statuses."""
    merged: str | None = None
    for status in statuses:
        if merged is None or status_rank(status) > status_rank(merged):
            merged = status
    return merged or RUNNING


def merge_counts(reports: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    """Merge per-plugin counts into stream -> counter -> n, every standard counter present."""
    merged: dict[str, dict[str, int]] = {}
    for report in reports:
        for stream, counters in report.items():
            target = merged.setdefault(stream, dict.fromkeys(COUNTERS, 0))
            for name, value in counters.items():
                number = int(value)
                if name in MAX_COUNTERS:
                    target[name] = max(target.get(name, 0), number)
                else:
                    target[name] = target.get(name, 0) + number
    return merged


def start(
    conn: Connection, insert: Callable[..., Any], *, run_id: str, job: str, plugin: str, now: dt.datetime
) -> None:
    """Create the run (first plugin) and register this plugin on it (every plugin)."""
    conn.execute(
        insert(runs)
        .values(run_id=run_id, job=job, plugins="", status=RUNNING, started_at=now, counts="{}")
        .on_conflict_do_nothing(index_elements=[runs.c.run_id])
    )
    if job != DEFAULT_JOB:  # a plugin that knows the job names the run another plugin opened as "adhoc"
        conn.execute(runs.update().where(runs.c.run_id == run_id, runs.c.job == DEFAULT_JOB).values(job=job))
    stmt = insert(run_plugins).values(
        run_id=run_id, plugin=plugin, status=RUNNING, started_at=now, finished_at=None, counts="{}"
    )
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[run_plugins.c.run_id, run_plugins.c.plugin],
            set_={"status": RUNNING, "finished_at": None},
        )
    )
    refresh(conn, run_id)


def finish(
    conn: Connection,
    insert: Callable[..., Any],
    *,
    run_id: str,
    plugin: str,
    status: str,
    counts: Mapping[str, Mapping[str, int]],
    now: dt.datetime,
) -> None:
    """Record one plugin's final report (replacing an earlier one of the same plugin) and re-merge."""
    if conn.execute(select(runs.c.run_id).where(runs.c.run_id == run_id)).first() is None:
        msg = f"unknown run {run_id!r}: call start_run first"
        raise KeyError(msg)
    report = codec.dumps({stream: dict(values) for stream, values in counts.items()})
    stmt = insert(run_plugins).values(
        run_id=run_id, plugin=plugin, status=status, started_at=now, finished_at=now, counts=report
    )
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[run_plugins.c.run_id, run_plugins.c.plugin],
            set_={"status": status, "finished_at": now, "counts": report},
        )
    )
    refresh(conn, run_id)


def refresh(conn: Connection, run_id: str) -> None:
    """Recompute the run row from its plugin rows; the row lock serialises concurrent finishers."""
    conn.execute(select(runs.c.run_id).where(runs.c.run_id == run_id).with_for_update()).first()
    rows = conn.execute(
        select(run_plugins).where(run_plugins.c.run_id == run_id).order_by(run_plugins.c.started_at)
    ).all()
    status = merge_status(row.status for row in rows)
    finished = [row.finished_at for row in rows if row.finished_at is not None]
    conn.execute(
        update(runs)
        .where(runs.c.run_id == run_id)
        .values(
            plugins=",".join(row.plugin for row in rows),
            status=status,
            finished_at=max(finished) if finished and status != RUNNING else None,
            counts=codec.dumps(merge_counts(codec.loads(row.counts) or {} for row in rows)),
        )
    )


def to_summary(row: Row[Any]) -> RunSummary:
    """A ledger_runs row as the public value object."""
    return RunSummary(
        run_id=row.run_id,
        job=row.job,
        plugins=tuple(name for name in row.plugins.split(",") if name),
        started_at=row.started_at,
        finished_at=row.finished_at,
        status=row.status,
        counts=codec.loads(row.counts) or {},
    )
