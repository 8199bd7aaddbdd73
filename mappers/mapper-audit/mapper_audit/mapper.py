"""mapper-audit: pass every message through, add an audit record per record, dead-letter what cannot load.

Sits between a tap and a warehouse target (`tap mapper-audit target-snowflake`), so the stock target
loads the audit stream into its own table in the same run as the data.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import Any, ClassVar

from ml_connector.hashing import content_hash
from ml_connector.ledger import Ledger, RecordOutcome
from ml_connector.ledger.identity import current_run_id
from ml_connector.singer.writer import BufferedMsgSpecWriter
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecReader
from singer_sdk.mapper_base import InlineMapper
from singer_sdk.singerlib import ActivateVersionMessage, Message, RecordMessage, SchemaMessage, StateMessage

from mapper_audit.shape import (
    AUDIT_KEYS,
    AUDIT_SCHEMA,
    RESULT_FAILED,
    RESULT_LOADED,
    RecordError,
    StreamShape,
    shape_schema,
)

PLUGIN = "mapper-audit"


class AuditMapper(InlineMapper):
    """Forwards SCHEMA/RECORD/STATE in order; per RECORD also one `load_audit` record (result loaded|failed)."""

    name = PLUGIN
    message_reader_class = MsgSpecReader
    message_writer_class = BufferedMsgSpecWriter
    config_jsonschema: ClassVar[dict[str, Any]] = th.PropertiesList(
        th.Property("audit_stream", th.StringType, default="load_audit", description="Stream (table) of audit rows."),
        th.Property("run_id", th.StringType, description="Default: MELTANO_RUN_ID, else the pipeline's run id."),
        th.Property("job_name", th.StringType, default="adhoc", description="Job name recorded in the ledger."),
        th.Property("source_system", th.StringType, default="infor_m3"),
        th.Property("ledger_url", th.StringType, description="Ledger database URL (default: the project's SQLite)."),
        th.Property(
            "decimal_scale",
            th.IntegerType,
            default=6,
            description="Number properties become NUMBER(decimal_precision, decimal_scale); null keeps them as JSON numbers.",
        ),
        th.Property("decimal_precision", th.IntegerType, default=38),
        th.Property("hash_records", th.BooleanType, default=True, description="Add each record's content hash."),
        th.Property(
            "validate_records",
            th.BooleanType,
            default=True,
            description="Check every record against the schema forwarded for it (types, required properties) and "
            "dead-letter one that fails, so the target need not validate (its `validate_records: false`).",
        ),
        th.Property(
            "replay_dead_letters",
            th.BooleanType,
            default=False,
            description="Re-send this job's open dead letters of a stream right after its SCHEMA.",
        ),
    ).to_dict()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shapes: dict[str, StreamShape] = {}
        self._audit_schema_sent = False
        self._counts: dict[str, dict[str, int]] = defaultdict(lambda: {"extracted": 0, "failed": 0})
        self._pending: list[RecordOutcome] = []
        self._open_keys: dict[str, set[str]] | None = None
        self._run_started = False

    # -- identity and ledger ------------------------------------------------------------------

    @cached_property
    def run_id(self) -> str:
        return self.config.get("run_id") or current_run_id()

    @cached_property
    def ledger(self) -> Ledger:
        ledger = Ledger(self.config.get("ledger_url") or None)
        ledger.start_run(job=self.config.get("job_name") or "adhoc", plugin=PLUGIN, run_id=self.run_id)
        self._run_started = True
        return ledger

    def _open_dead_letters(self) -> dict[str, set[str]]:
        """Keys of this job's open dead letters per stream: a later pass of such a key closes it."""
        if self._open_keys is None:
            self._open_keys = defaultdict(set)
            for entry in self.ledger.open_entries(
                kind="dead_letter", source_system=self.config.get("source_system"), job=self.config.get("job_name")
            ):
                self._open_keys[entry.stream].add(entry.source_id)
        return self._open_keys

    def _flush(self) -> None:
        """Make dead letters durable before any STATE that moves the bookmark past them is forwarded."""
        if self._pending:
            self.ledger.record_outcomes(self.run_id, self._pending)
            self._pending = []

    # -- messages -----------------------------------------------------------------------------

    def map_schema_message(self, message_dict: dict) -> Iterable[Message]:
        scale = self.config.get("decimal_scale")
        shape, schema = shape_schema(
            message_dict,
            scale=None if scale is None else int(scale),
            precision=int(self.config["decimal_precision"]),
            validate=bool(self.config.get("validate_records", True)),
        )
        self._shapes[shape.stream] = shape
        if not self._audit_schema_sent:
            self._audit_schema_sent = True
            yield SchemaMessage(stream=self.config["audit_stream"], schema=AUDIT_SCHEMA, key_properties=list(AUDIT_KEYS))
        yield SchemaMessage(
            stream=shape.stream,
            schema=schema,
            key_properties=list(shape.key_properties),
            bookmark_properties=message_dict.get("bookmark_properties"),
        )
        if self.config.get("replay_dead_letters"):
            yield from self._replay(shape)

    def _replay(self, shape: StreamShape) -> Iterable[Message]:
        """Open dead letters of this stream, sent before the tap's records so a newer version still wins."""
        entries = self.ledger.open_entries(
            kind="dead_letter",
            stream=shape.stream,
            source_system=self.config.get("source_system"),
            job=self.config.get("job_name"),
        )
        self.logger.info("replaying %d dead letters of %s", len(entries), shape.stream)
        for entry in entries:
            if entry.payload is not None:
                yield from self.map_record_message({"type": "RECORD", "stream": shape.stream, "record": entry.payload})

    def map_record_message(self, message_dict: dict) -> Iterable[Message]:
        stream = message_dict["stream"]
        shape = self._shapes[stream]
        record: dict[str, Any] = message_dict["record"]
        source_id = shape.source_id(record)
        counts = self._counts[stream]
        counts["extracted"] += 1
        audit = {
            "run_id": self.run_id,
            "stream": stream,
            "source_record_id": source_id,
            "source_change_ts": shape.change_ts(record),
            "extracted_at": message_dict.get("time_extracted"),
            "result": RESULT_LOADED,
            "error": None,
            "content_hash": content_hash(record) if self.config.get("hash_records", True) else None,
        }
        try:
            converted = shape.check_and_convert(record)
        except RecordError as exc:
            counts["failed"] += 1
            audit.update(result=RESULT_FAILED, error=str(exc))
            self._pending.append(
                RecordOutcome(stream, self.config["source_system"], source_id, "failed", error=str(exc), payload=record)
            )
            self.logger.warning("dead letter %s/%s: %s", stream, source_id, exc)
        else:
            yield RecordMessage.from_dict({**message_dict, "record": converted})
            if source_id in self._open_dead_letters().get(stream, ()):
                self._open_keys[stream].discard(source_id)  # type: ignore[index]
                self._pending.append(
                    RecordOutcome(
                        stream, self.config["source_system"], source_id, "inserted",
                        content_hash=audit["content_hash"] or content_hash(record),
                    )
                )
        yield RecordMessage.from_dict(
            {"type": "RECORD", "stream": self.config["audit_stream"], "record": audit,
             "time_extracted": message_dict.get("time_extracted")}
        )

    def map_state_message(self, message_dict: dict) -> Iterable[Message]:
        self._flush()
        yield StateMessage(value=message_dict["value"])

    def map_activate_version_message(self, message_dict: dict) -> Iterable[Message]:
        yield ActivateVersionMessage(stream=message_dict["stream"], version=message_dict["version"])

    def process_endofpipe(self) -> None:
        """Record the run's counts; status says whether any record was dead-lettered."""
        super().process_endofpipe()
        # the writer holds RECORDs back until the next non-RECORD message: everything is out before the
        # run is reported
        drain = getattr(self.message_writer, "drain", None)
        drain() if callable(drain) else sys.stdout.flush()
        self._flush()
        failed = sum(c["failed"] for c in self._counts.values())
        self.ledger.finish_run(
            self.run_id,
            status="completed_with_errors" if failed else "succeeded",
            counts={stream: dict(c) for stream, c in self._counts.items()},
        )
        self.logger.info("run %s: %s", self.run_id, dict(self._counts))
