"""record_outcomes as four set-based statements: one executemany per table, no per-row trips."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, literal_column, update
from sqlalchemy.engine import Connection, Dialect

from ml_connector.ledger import codec
from ml_connector.ledger.bulk import BulkStatement, RowSource, driver_value
from ml_connector.ledger.models import ACTIONS, EXCEPTION_KIND_BY_ACTION, SUCCESS_ACTIONS, RecordOutcome
from ml_connector.ledger.schema import OPEN, OPEN_PREDICATE, RESOLVED, audit, exceptions, processed_keys
from ml_connector.secrets.redact import redact

Key = tuple[str, str, str]  # (source_system, stream, source_id)


@dataclass
class _Failure:
    kind: str
    key: Key
    count: int
    outcome: RecordOutcome


def validate(outcomes: Sequence[RecordOutcome]) -> None:
    """Reject a bad batch before anything is written (a half-written batch would lie)."""
    for outcome in outcomes:
        if outcome.action not in ACTIONS:
            msg = f"unknown action {outcome.action!r} for {outcome.stream}/{outcome.source_id}"
            raise ValueError(msg)
        if outcome.action in SUCCESS_ACTIONS and not outcome.content_hash:
            msg = f"{outcome.action} outcome for {outcome.stream}/{outcome.source_id} needs a content_hash"
            raise ValueError(msg)


class OutcomeWriter:
    """The statements record_outcomes needs, built and compiled once for the ledger's dialect."""

    def __init__(self, dialect: Dialect, insert: Callable[..., Any]) -> None:
        self.dialect = dialect
        rows = RowSource(dialect, [c for c in audit.c if c.name != "id"])
        self.audit = BulkStatement(rows.insert(insert, audit), dialect, rows)

        rows = RowSource(dialect, list(processed_keys.c))
        keys = rows.insert(insert, processed_keys)
        keys = keys.on_conflict_do_update(
            index_elements=list(processed_keys.primary_key.columns),
            set_={
                "content_hash": keys.excluded.content_hash,
                # an "unchanged" outcome may not repeat the target id: keep the one we know
                "target_table": func.coalesce(keys.excluded.target_table, processed_keys.c.target_table),
                "target_id": func.coalesce(keys.excluded.target_id, processed_keys.c.target_id),
                "last_run_id": keys.excluded.last_run_id,
                "updated_at": keys.excluded.updated_at,
            },
        )
        self.keys = BulkStatement(keys, dialect, rows)

        rows = RowSource(dialect, [exceptions.c.source_id, exceptions.c.source_system, exceptions.c.stream])
        close = (
            update(exceptions)
            .where(
                OPEN_PREDICATE,
                exceptions.c.source_id == rows.c["source_id"],
                exceptions.c.source_system == rows.c["source_system"],
                exceptions.c.stream == rows.c["stream"],
            )
            .values(
                status=literal_column(f"'{RESOLVED}'"),  # a literal: every bind is a row or batch value
                resolved_run_id=bindparam("s_run_id", type_=exceptions.c.resolved_run_id.type),
                resolved_at=bindparam("s_now", type_=exceptions.c.resolved_at.type),
                updated_at=bindparam("s_now", type_=exceptions.c.updated_at.type),
            )
        )
        self.close = BulkStatement(close, dialect, rows)

        rows = RowSource(dialect, [c for c in exceptions.c if c.name != "id"])
        entries = rows.insert(insert, exceptions)
        entries = entries.on_conflict_do_update(
            index_elements=[
                exceptions.c.kind,
                exceptions.c.source_system,
                exceptions.c.stream,
                exceptions.c.source_id,
            ],
            index_where=OPEN_PREDICATE,
            set_={
                "attempts": exceptions.c.attempts + entries.excluded.attempts,
                "error": entries.excluded.error,
                "payload": entries.excluded.payload,
                "run_id": entries.excluded.run_id,
                "job": entries.excluded.job,
                "updated_at": entries.excluded.updated_at,
            },
        )
        self.exceptions = BulkStatement(entries, dialect, rows)

    def write(
        self,
        conn: Connection,
        *,
        run_id: str,
        job: str | None,
        outcomes: Sequence[RecordOutcome],
        now: dt.datetime,
    ) -> None:
        """Apply a batch in an order-equivalent form: audit every outcome, then keys, closures, exceptions.

        Within a batch only the sequence *per key* matters: a success closes what was open
        before it, and failures after a key's last success leave one open entry per kind.
        """
        stamp = driver_value(audit.c.recorded_at, now, self.dialect)
        self.audit.execute(
            conn,
            [
                {
                    "run_id": run_id,
                    "stream": o.stream,
                    "source_system": o.source_system,
                    "source_id": o.source_id,
                    "action": o.action,
                    "target_table": o.target_table,
                    "target_id": o.target_id,
                    "content_hash": o.content_hash,
                    "error": _masked(o.error),
                    "recorded_at": stamp,
                }
                for o in outcomes
            ],
        )
        last_success: dict[Key, RecordOutcome] = {}
        failures: dict[tuple[str, Key], _Failure] = {}
        for outcome in outcomes:
            key = (outcome.source_system, outcome.stream, outcome.source_id)
            if outcome.action in SUCCESS_ACTIONS:
                last_success[key] = outcome
                for kind in EXCEPTION_KIND_BY_ACTION.values():
                    failures.pop((kind, key), None)  # opened and closed within this batch
            else:
                kind = EXCEPTION_KIND_BY_ACTION[outcome.action]
                known = failures.get((kind, key))
                failures[(kind, key)] = _Failure(kind, key, known.count + 1 if known else 1, outcome)
        self.keys.execute(
            conn,
            [
                {
                    "source_system": key[0],
                    "stream": key[1],
                    "source_id": key[2],
                    "content_hash": o.content_hash,
                    "target_table": o.target_table,
                    "target_id": o.target_id,
                    "last_run_id": run_id,
                    "updated_at": stamp,
                }
                # sorted: concurrent writers take row locks in the same order, so they cannot deadlock
                for key, o in sorted(last_success.items())
            ],
        )
        self.close.execute(
            conn,
            [
                {"source_system": key[0], "stream": key[1], "source_id": key[2]}
                for key in sorted(last_success)
            ],
            run_id=run_id,
            now=stamp,
        )
        self.exceptions.execute(
            conn,
            [
                {
                    "kind": f.kind,
                    "status": OPEN,
                    "run_id": run_id,
                    "job": job,
                    "stream": f.key[1],
                    "source_system": f.key[0],
                    "source_id": f.key[2],
                    "error": _masked(f.outcome.error),
                    "payload": codec.dumps(_masked_payload(f.outcome.payload)),
                    "attempts": f.count,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "resolved_run_id": None,
                    "resolved_at": None,
                }
                for _, f in sorted(failures.items())
            ],
        )


def _masked(text: str | None) -> str | None:
    """Errors and failed payloads are written as given, minus any value passed to protect().

    An HTTP error can quote a URL with a token in it; the ledger outlives logs, so it gets
    the same redaction (a no-op until something is protected).
    """
    return redact(text) if text else text


def _masked_payload(value: Any) -> Any:
    """Mask string values only, so the payload stays valid JSON for replay."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: _masked_payload(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked_payload(item) for item in value]
    return value
