"""mapper-gl-vendor: forwards a transactional record only when its GL account, cost center and vendor
resolve to active target values; quarantines whole documents otherwise (see router.py for the ordering)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from ml_connector.alerts import run_alert, send_alert
from ml_connector.ledger import Ledger, ReferenceBook, ReferenceValue, SchemaBook
from ml_connector.ledger.identity import current_job_name, current_run_id
from ml_connector.secrets import protect, resolve_secret
from ml_connector.servicenow import ServiceNowClient, build_authenticator
from ml_connector.servicenow.credentials import credentials
from ml_connector.singer.writer import BufferedMsgSpecWriter
from singer_sdk.contrib.msgspec import MsgSpecReader
from singer_sdk.mapper_base import InlineMapper
from singer_sdk.singerlib import Message
from typing_extensions import override

from mapper_gl_vendor.crosswalk import Crosswalk
from mapper_gl_vendor.quarantine import QuarantineBook
from mapper_gl_vendor.resolution import Key, Resolver
from mapper_gl_vendor.router import MessageRouter
from mapper_gl_vendor.rules import Profile, compile_profile
from mapper_gl_vendor.settings import CONFIG_SCHEMA, NO_TARGET
from mapper_gl_vendor.target_reference import TARGET_READERS

PLUGIN = "mapper-gl-vendor"


class _Raw:
    """A message passed on as the dict it arrived as: no singerlib object per record on the hot path."""

    __slots__ = ("_data", "type")

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.type = data["type"]

    def to_dict(self) -> dict[str, Any]:
        return self._data


class GLVendorMapper(InlineMapper):
    """GL account / cost center / vendor resolution with quarantine, for any tap and target pair."""

    name = PLUGIN
    config_jsonschema = CONFIG_SCHEMA
    message_reader_class = MsgSpecReader
    message_writer_class = BufferedMsgSpecWriter

    # -- configuration ----------------------------------------------------------------------------

    @cached_property
    def profile(self) -> Profile:
        return compile_profile(self.config.get("profile") or "infor_m3", self.config.get("profile_overrides"))

    @property
    def source_system(self) -> str:
        return str(self.config.get("source_system") or self.profile.name)

    @cached_property
    def ledger_url(self) -> str | None:
        return self.config.get("ledger_url") or None

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.ledger_url)

    @cached_property
    def run_id(self) -> str:
        """Shared with the target: explicit ids first (replay, orchestrators), else the `meltano run` parent."""
        job = current_job_name(self.config.get("job_name"))
        run_id = self.ledger.start_run(job=job, plugin=PLUGIN, run_id=current_run_id())
        self.logger.info("ledger run %s (job %s)", run_id, job)
        return run_id

    @cached_property
    def job(self) -> str:
        return current_job_name(self.config.get("job_name"))

    @cached_property
    def quarantine_book(self) -> QuarantineBook:
        added = [c.added for checks in self.profile.checks.values() for c in checks]
        return QuarantineBook(self.ledger, run_id=self.run_id, source_system=self.source_system, added_fields=added)

    @cached_property
    def schema_book(self) -> SchemaBook:
        return SchemaBook(self.ledger_url)

    @cached_property
    def reference_book(self) -> ReferenceBook:
        return ReferenceBook(self.ledger_url)

    def build_client(self) -> ServiceNowClient:
        if not self.config.get("instance_url"):
            raise ValueError("instance_url is required to read the target's reference tables "
                             "(or set target_system: none)")
        creds = credentials(self.config)
        secret, password = resolve_secret(creds["client_secret"]), resolve_secret(creds["password"])
        protect(*(v for v in (secret, password) if v))
        auth = build_authenticator(
            self.config["instance_url"],
            auth_method=self.config.get("auth_method") or "oauth_client_credentials",
            client_id=creds["client_id"], client_secret=secret, username=creds["username"], password=password,
            on_token=lambda token: protect(token),
        )
        return ServiceNowClient(self.config["instance_url"], auth,
                                requests_per_minute=self.config.get("requests_per_minute"))

    def target_reference(self) -> dict[Key, bool]:
        """The target's reference rows at start: one read per table per run, never per record."""
        system = self.config.get("target_system") or "servicenow"
        if system == NO_TARGET:
            return {}
        prefix = self.config.get("erp_source_prefix") or self.profile.erp_source_prefix
        return TARGET_READERS[system](self.build_client(), self.profile, prefix, self.logger)

    def build_resolver(self) -> Resolver:
        remembered = [((v.dimension, v.company, v.division, v.value), v.active)
                      for v in self.reference_book.load(self.source_system)]
        crosswalk = Crosswalk.load(self.config.get("crosswalk_path"))
        resolver = Resolver(self.profile, crosswalk=crosswalk, target=self.target_reference(),
                            remembered=remembered, crosswalk_required=self.config.get("crosswalk_required") or [])
        self.logger.info("resolution ready: %d remembered source value(s), %d target value(s), %d crosswalk entr(ies)",
                         len(remembered), len(resolver.target), len(crosswalk))
        return resolver

    @cached_property
    def router(self) -> MessageRouter:
        _ = self.run_id  # open the ledger run before the first message is judged
        return MessageRouter(
            self.profile, self.build_resolver, emit=self._emit, book=lambda: self.quarantine_book,
            on_schema=self._save_schema, spill_directory=self.config.get("spill_directory") or None,
        )

    # -- messages ---------------------------------------------------------------------------------

    def _emit(self, message: dict[str, Any]) -> None:
        self.write_message(_Raw(message))  # type: ignore[arg-type]

    def _save_schema(self, stream: str, schema: dict[str, Any], keys: list[str]) -> None:
        self._positions = getattr(self, "_positions", {})
        position = self._positions.setdefault(stream, len(self._positions))
        self.schema_book.save(self.source_system, stream, schema, keys, position)

    @override
    def map_schema_message(self, message_dict: dict) -> Iterable[Message]:
        self.router.schema(message_dict)
        return ()

    @override
    def map_record_message(self, message_dict: dict) -> Iterable[Message]:
        self.router.record(message_dict)
        return ()

    @override
    def map_state_message(self, message_dict: dict) -> Iterable[Message]:
        self.router.state(message_dict)
        return ()

    @override
    def map_activate_version_message(self, message_dict: dict) -> Iterable[Message]:
        self.router.activate_version(message_dict)
        return ()

    @override
    def process_endofpipe(self) -> None:
        """Release what is held, record what was seen, report the run, alert when something was kept back."""
        router = self.router
        try:
            router.end()
            self.quarantine_book.flush()
            if router._resolver is not None:  # noqa: SLF001 - only remember when references were judged
                seen = [ReferenceValue(*key, active) for key, active in router.resolver.seen.items()]
                self.reference_book.remember(self.source_system, self.run_id, seen)
        except BaseException:
            self.ledger.finish_run(self.run_id, status="failed", counts=self.counts())
            raise
        counts = self.counts()
        self.ledger.finish_run(self.run_id, status="succeeded", counts=counts)
        book = self.quarantine_book
        self.logger.info("run %s: %d record(s) in, %d quarantined %s", self.run_id,
                         sum(router.extracted.values()), book.total, dict(book.counts))
        body = run_alert(job=self.job, run_id=self.run_id, counts=counts, reporter=PLUGIN, samples=book.samples)
        send_alert(resolve_secret(self.config.get("alert_webhook_url")), body, self.logger,
                   timeout=float(self.config.get("alert_timeout_seconds") or 10))

    def counts(self) -> dict[str, dict[str, int]]:
        router = self.router
        streams = set(router.extracted) | set(self.quarantine_book.counts)
        return {s: {"extracted": router.extracted[s], "quarantined": self.quarantine_book.counts[s]} for s in streams}


if __name__ == "__main__":
    GLVendorMapper.cli()
