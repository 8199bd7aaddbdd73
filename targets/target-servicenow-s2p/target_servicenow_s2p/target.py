"""target-servicenow-s2p: Singer records into ServiceNow Source-to-Pay staging tables, each once, with a trail."""

from __future__ import annotations

import sys
import threading
from functools import cached_property
from typing import Any

import click
from singer_sdk import Target
from singer_sdk.contrib.msgspec import MsgSpecReader
from singer_sdk.sinks import Sink
from typing_extensions import override

from ml_connector.alerts import run_alert, send_alert
from ml_connector.ledger import Ledger
from ml_connector.ledger.identity import current_job_name, current_run_id
from ml_connector.secrets import protect, resolve_secret
from ml_connector.servicenow import ServiceNowClient, build_authenticator
from ml_connector.servicenow.credentials import credentials

from target_servicenow_s2p.mapping import StreamMapping, build_mappings
from target_servicenow_s2p.pipeline import OrderedWriter
from target_servicenow_s2p.preflight import PreflightError, PreflightReport, log_report, run_preflight
from target_servicenow_s2p.settings import CONFIG_SCHEMA
from target_servicenow_s2p.sinks import IgnoredStreamSink, ServiceNowSink
from target_servicenow_s2p.summary import RunSummary

PLUGIN = "target-servicenow-s2p"


class TargetServiceNowS2P(Target):
    """Loads AP/procurement streams through the S2P Import Set staging tables."""

    name = PLUGIN
    config_jsonschema = CONFIG_SCHEMA
    message_reader_class = MsgSpecReader

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # one drain at a time: rank ordering and a single paced client (parallel drains gain nothing here)
        self.max_parallelism = 1
        self.summary = RunSummary()
        self._run_id: str | None = None
        self._finished = False
        self._preflight_done = False
        self._warned: set[str] = set()
        self._lock = threading.RLock()

    # -- configuration --------------------------------------------------------------------------

    @cached_property
    def mappings(self) -> dict[str, StreamMapping]:
        return build_mappings(self.config.get("mapping_profile") or "infor_m3", self.config.get("stream_mappings"))

    @property
    def job_name(self) -> str:
        return current_job_name(self.config.get("job_name"))

    @property
    def source_system(self) -> str:
        return str(self.config.get("source_system") or "infor_m3")

    @property
    def mapping_context(self) -> dict[str, Any]:
        return {"erp_source_prefix": self.config.get("erp_source_prefix") or "M3"}

    @override
    def get_sink_class(self, stream_name: str) -> type[Sink]:
        return ServiceNowSink if stream_name in self.mappings else IgnoredStreamSink

    @cached_property
    def client(self) -> ServiceNowClient:
        creds = credentials(self.config)
        secret = resolve_secret(creds["client_secret"])
        password = resolve_secret(creds["password"])
        protect(*(v for v in (secret, password) if v))
        auth = build_authenticator(
            self.config["instance_url"],
            auth_method=self.config.get("auth_method") or "oauth_client_credentials",
            client_id=creds["client_id"],
            client_secret=secret,
            username=creds["username"],
            password=password,
            on_token=lambda token: protect(token),
        )
        return ServiceNowClient(
            self.config["instance_url"], auth, requests_per_minute=self.config.get("requests_per_minute")
        )

    @cached_property
    def writes(self) -> OrderedWriter:
        """Every batch write, in hand-over order, on one thread beside the reading of stdin."""
        return OrderedWriter(depth=1)

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.config.get("ledger_url") or None)

    @property
    def run_id(self) -> str:
        self.ensure_started(needs_instance=False)
        assert self._run_id is not None
        return self._run_id

    # -- lifecycle ------------------------------------------------------------------------------

    def ensure_started(self, *, needs_instance: bool) -> None:
        """Open the ledger run on first use; run pre-flight before the first sink that will write."""
        with self._lock:
            if self._run_id is None:
                job = self.job_name
                self._run_id = self.ledger.start_run(
                    job=job, plugin=PLUGIN, run_id=current_run_id()
                )
                self.logger.info("ledger run %s (job %s)", self._run_id, job)
            if needs_instance and not self._preflight_done and self.config.get("preflight", True):
                self._preflight_done = True
                report = self.preflight()
                if not report.ok:
                    error = PreflightError("pre-flight failed: " + "; ".join(report.errors))
                    self.abort(error)
                    raise error

    def preflight(self) -> PreflightReport:
        staging = sorted({m.staging_table for m in self.mappings.values()})
        method = self.config.get("auth_method") or "oauth_client_credentials"
        hint = "instance_url, username, password" if method == "basic" else (
            "instance_url, client_id, client_secret" + (", username, password" if method == "oauth_password" else "")
        )
        report = run_preflight(
            self.client,
            staging_tables=staging,
            required_scopes=self.config.get("required_scopes") or [],
            required_roles=self.config.get("required_roles") or [],
            auth_hint=f"auth_method={method}: {hint}",
        )
        log_report(report, self.logger)
        return report

    def warn_ignored(self, stream: str) -> None:
        with self._lock:
            if stream not in self._warned:
                self._warned.add(stream)
                self.logger.warning(
                    "stream '%s' is not in mapping profile '%s': its records are ignored "
                    "(add it to stream_mappings to load it)",
                    stream,
                    self.config.get("mapping_profile") or "infor_m3",
                )

    def drain_lower_ranks(self, rank: int) -> None:
        """Drain every sink that must land before a sink of `rank` (headers before lines)."""
        lower = [s for s in list(self._sinks_active.values())
                 if isinstance(s, ServiceNowSink) and s.mapping.rank < rank and s.current_size]
        for sink in sorted(lower, key=lambda s: s.mapping.rank):
            self.drain_one(sink)

    def abort(self, error: BaseException) -> None:
        """Close the ledger run as failed before the exception ends the process."""
        self.logger.error("run cannot continue: %s", error)
        self._finish("failed")

    def _finish(self, status: str) -> None:
        with self._lock:
            if self._finished or self._run_id is None:
                return
            self._finished = True
            counts = self.summary.ledger_counts()
            self.ledger.finish_run(self._run_id, status=status, counts=counts)
        self.logger.info("run %s %s\n%s", self._run_id, status, self.summary.table())
        alert = run_alert(job=self.job_name, run_id=self._run_id, counts=counts, reporter=PLUGIN)
        send_alert(self.config.get("alert_webhook_url"), alert, self.logger,
                   timeout=float(self.config.get("alert_timeout_seconds") or 10))

    @override
    def _write_state_message(self, state: dict) -> None:
        """A STATE confirms every record before it: only once the writer has written them all."""
        self.writes.wait()
        super()._write_state_message(state)

    @override
    def process_endofpipe(self) -> None:
        self.ensure_started(needs_instance=False)
        try:
            super().process_endofpipe()
            self.writes.wait()  # also when no STATE came: the run's counts must be final
        except BaseException:
            self._finish("failed")
            raise
        finally:
            self.writes.close()
        self._finish(self.summary.status())

    # -- CLI ------------------------------------------------------------------------------------

    @classmethod
    @override
    def get_singer_command(cls) -> click.Command:
        command = super().get_singer_command()
        command.params.append(
            click.Option(["--test"], is_flag=True, default=False,
                         help="Run the pre-flight checks against the instance and exit (0 = ready).")
        )
        return command

    @classmethod
    @override
    def invoke(cls, *, test: bool = False, **kwargs: Any) -> None:  # type: ignore[override]
        if not test:
            super().invoke(**kwargs)
            return
        config = kwargs.get("config")
        target = cls(
            config=config.config if config else None,
            validate_config=True,
            parse_env_config=bool(config and config.parse_env),
        )
        report = target.preflight()
        click.echo("pre-flight passed" if report.ok else "pre-flight failed:\n  " + "\n  ".join(report.errors))
        sys.exit(0 if report.ok else 1)
