"""tap-ifs-cloud: IFS Cloud OData projections (reference data, purchase orders, supplier invoices)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ml_connector.secrets import SecretsError, resolve_secret
from ml_connector.singer.oauth import ClientCredentialsAuthenticator
from ml_connector.singer.writer import BufferedMsgSpecWriter
from singer_sdk import Stream, Tap
from singer_sdk.exceptions import ConfigValidationError
from typing_extensions import override

from tap_ifs_cloud.enrich import Lookups
from tap_ifs_cloud.settings import CONFIG_SCHEMA
from tap_ifs_cloud.streams import STREAM_TYPES


class TapIFSCloud(Tap):
    """Companies, suppliers, GL accounts, cost centers, POs and supplier invoices from IFS Cloud."""

    name = "tap-ifs-cloud"
    config_jsonschema = CONFIG_SCHEMA
    message_writer_class = BufferedMsgSpecWriter

    @cached_property
    def base_url(self) -> str:
        """`base_url` when set, else https://<tenant>.ifs.cloud."""
        if self.config.get("base_url"):
            return str(self.config["base_url"]).rstrip("/")
        if self.config.get("tenant"):
            return f"https://{self.config['tenant']}.ifs.cloud"
        raise ConfigValidationError("set either 'tenant' (https://<tenant>.ifs.cloud) or 'base_url'")

    @cached_property
    def token_url(self) -> str:
        return self.config.get("token_url") or (
            f"{self.base_url}/auth/realms/{self.config['realm']}/protocol/openid-connect/token"
        )

    @cached_property
    def authenticator(self) -> ClientCredentialsAuthenticator:
        """One token cache per run, shared by every stream."""
        try:
            secret = resolve_secret(self.config["client_secret"])
        except SecretsError as exc:
            raise ConfigValidationError(f"cannot resolve client_secret: {exc}") from None
        return ClientCredentialsAuthenticator(
            token_url=self.token_url,
            client_id=self.config["client_id"],
            client_secret=str(secret),
            scope=self.config.get("scope"),
            refresh_margin_seconds=float(self.config.get("token_refresh_margin_seconds", 30)),
            timeout=float(self.config.get("request_timeout_seconds", 60)),
            hint="check client_id/client_secret, realm and token_url of the IFS IAM client",
        )

    @cached_property
    def companies(self) -> list[str]:
        return [str(c).strip() for c in self.config.get("companies") or []]

    @cached_property
    def lookups(self) -> Lookups:
        return Lookups()

    @property
    def cost_center_field(self) -> str:
        return f"Code{self.config.get('cost_center_code_part') or 'B'}"

    def ensure_lookup(self, name: str) -> None:
        """Make the lookup of a reference stream complete: read what its own sync did not (deselected,
        incremental, or cut short) without emitting it."""
        stream = self.streams[name]
        if self.lookups.is_complete(name, stream.partition_ids()):  # type: ignore[attr-defined]
            return
        self.logger.info("Loading %s for enrichment (not fully synced in this run)", name)
        stream._full_read = True  # type: ignore[attr-defined]  # noqa: SLF001
        try:
            for context in stream.partitions or [None]:
                for _ in stream.get_records(context):
                    pass
        finally:
            stream._full_read = False  # type: ignore[attr-defined]  # noqa: SLF001

    @override
    def discover_streams(self) -> list[Any]:
        return [stream_type(self) for stream_type in STREAM_TYPES]

    @property
    @override
    def streams(self) -> dict[str, Stream]:
        """Streams in sync order: the SDK sorts them by name, but reference data must go first."""
        rank = {stream_type.spec.name: i for i, stream_type in enumerate(STREAM_TYPES)}
        return dict(sorted(super().streams.items(), key=lambda item: rank.get(item[0], len(rank))))


if __name__ == "__main__":
    TapIFSCloud.cli()
