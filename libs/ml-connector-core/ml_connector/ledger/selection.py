"""Which open entries a replay re-sends: by job, stream, record or entry id — whole documents at a time.

A quarantined record's error is the mapper's JSON (``{"document": ..., "reasons": [...]}``); replaying one
line of an invoice alone would stage a line without its header, so a record selection widens to every
open entry of the same document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from ml_connector.ledger.ledger import Ledger
from ml_connector.ledger.models import OpenEntry

KINDS = ("quarantine", "dead_letter")


def document_of(entry: OpenEntry) -> str | None:
    """The mapper's document id of a quarantined entry; None for anything else."""
    if entry.kind != "quarantine" or not entry.error or not entry.error.startswith("{"):
        return None
    try:
        return json.loads(entry.error).get("document")
    except ValueError:
        return None


def reasons_of(entry: OpenEntry) -> list[dict[str, str]]:
    """The mapper's reasons of a quarantined entry ([] for dead letters, whose error is plain text)."""
    if not entry.error or not entry.error.startswith("{"):
        return []
    try:
        return list(json.loads(entry.error).get("reasons") or [])
    except ValueError:
        return []


def select_entries(
    ledger: Ledger,
    *,
    kind: str | None = None,
    job: str | None = None,
    stream: str | None = None,
    source_ids: Sequence[str] = (),
    entry_ids: Iterable[int] = (),
    source_system: str | None = None,
) -> list[OpenEntry]:
    """Open entries matching every filter given (all open entries when none is), documents kept whole."""
    kinds = [kind] if kind else list(KINDS)
    pool = [e for k in kinds for e in ledger.open_entries(kind=k, job=job, source_system=source_system)]
    wanted_ids = {int(i) for i in entry_ids}
    chosen = [
        e
        for e in pool
        if (not stream or e.stream == stream)
        and (not source_ids or e.source_id in source_ids)
        and (not wanted_ids or e.id in wanted_ids)
    ]
    documents = {d for d in (document_of(e) for e in chosen) if d}
    if documents:
        chosen_ids = {e.id for e in chosen}
        chosen += [e for e in pool if e.id not in chosen_ids and document_of(e) in documents]
    return sorted(chosen, key=lambda e: (e.created_at, e.id))
