"""Value objects the ledger hands out and takes in; frozen so callers cannot mutate history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SUCCESS_ACTIONS = frozenset({"inserted", "updated", "unchanged"})
EXCEPTION_KIND_BY_ACTION = {"failed": "dead_letter", "quarantined": "quarantine"}
ACTIONS = SUCCESS_ACTIONS | EXCEPTION_KIND_BY_ACTION.keys()
EXCEPTION_KINDS = frozenset(EXCEPTION_KIND_BY_ACTION.values())

#: The counters every stream of a run summary carries (missing ones read as 0).
COUNTERS = ("extracted", "inserted", "updated", "unchanged", "quarantined", "failed")


@dataclass(frozen=True)
class RecordOutcome:
    """What happened to one source record in one plugin.

    ``payload`` is the *record* (never config or credentials); it is kept only for
    ``failed``/``quarantined`` outcomes, so a replay can re-send it once the cause is fixed.
    """

    stream: str
    source_system: str
    source_id: str
    action: str
    content_hash: str | None = None
    target_table: str | None = None
    target_id: str | None = None
    error: str | None = None
    payload: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ProcessedKey:
    """The last successful load of a source key: lets a target skip an unchanged record."""

    content_hash: str
    target_table: str | None
    target_id: str | None
    last_run_id: str


@dataclass(frozen=True)
class OpenEntry:
    """An unresolved dead letter or quarantined record; ``run_id`` is the latest run that hit it."""

    id: int
    kind: str
    run_id: str
    job: str | None
    stream: str
    source_system: str
    source_id: str
    error: str | None
    payload: dict[str, Any] | None
    attempts: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class RunSummary:
    """One pipeline run, merged over the plugins (mapper, target) that reported on it."""

    run_id: str
    job: str
    plugins: tuple[str, ...]
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def duration_seconds(self) -> float | None:
        """Wall time of the run, None while it is still running."""
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def totals(self) -> dict[str, int]:
        """Counters summed over every stream."""
        total: dict[str, int] = dict.fromkeys(COUNTERS, 0)
        for per_stream in self.counts.values():
            for name, value in per_stream.items():
                total[name] = total.get(name, 0) + value
        return total


@dataclass(frozen=True)
class AuditEntry:
    """One line of a record's trail: which run did what with it."""

    run_id: str
    stream: str
    source_system: str
    source_id: str
    action: str
    target_table: str | None
    target_id: str | None
    content_hash: str | None
    error: str | None
    recorded_at: dt.datetime
