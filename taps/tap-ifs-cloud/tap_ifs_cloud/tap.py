"""tap-ifs-cloud: IFS Cloud OData projections (reference data, purchase orders, supplier invoices)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ml_connector.credentials import credentials_from
from ml_connector.secrets import SecretsError, resolve_secret
from ml_connector.singer.oauth import ClientCredentialsAuthenticator
from ml_connector.singer.tap import OrderedStreamsTap
from singer_sdk.exceptions import ConfigValidationError

from tap_ifs_cloud.enrich import MISSING, Lookups
from tap_ifs_cloud.settings import CONFIG_SCHEMA
from tap_ifs_cloud.streams import STREAM_TYPES


class TapIFSCloud(OrderedStreamsTap):
    """Companies, suppliers, GL accounts, cost centers, POs and supplier invoices from IFS Cloud."""

    name = "tap-ifs-cloud"
    config_jsonschema = CONFIG_SCHEMA
    stream_types = STREAM_TYPES

    @cached_property
    def base_url(self) -> str:
        """`base_url` when set, else https://<tenant>.ifs.cloud."""
        if self.config.get("base_url"):
            return str(self.config["base_url"]).rstrip("/")
        if self.config.get("tenant"):
            return f"https://{self.config['tenant']}.ifs.cloud"
        raise ConfigValidationError("set either 'tenant' (https://<tenant>.ifs.cloud) or 'base_url'")

    @cached_property
    def iam(self) -> dict[str, Any]:
        """realm, client_id and client_secret: explicit settings win over `credentials_file` (a mounted secret,
        or the sandbox's `.sandbox/credentials/ifs.json`)."""
        try:
            found = credentials_from(self.config, ("realm", "client_id", "client_secret"))
        except ValueError as exc:
            raise ConfigValidationError(str(exc)) from None
        missing = [k for k, v in found.items() if not v and not (k == "realm" and self.config.get("token_url"))]
        if missing:
            raise ConfigValidationError(f"set {', '.join(missing)} (or a credentials_file holding them)")
        return found

    @cached_property
    def token_url(self) -> str:
        return self.config.get("token_url") or (
            f"{self.base_url}/auth/realms/{self.iam['realm']}/protocol/openid-connect/token"
        )

    @cached_property
    def authenticator(self) -> ClientCredentialsAuthenticator:
        """One token cache per run, shared by every stream."""
        try:
            secret = resolve_secret(self.iam["client_secret"])
        except SecretsError as exc:
            raise ConfigValidationError(f"cannot resolve client_secret: {exc}") from None
        return ClientCredentialsAuthenticator(
            token_url=self.token_url,
            client_id=self.iam["client_id"],
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

    def header_date(self, stream: str, key: tuple[str, ...]) -> Any:
        """A line's header date; reads the header stream once (not emitted) when a changed line's header did
        not change in this run."""
        found = self.lookups.header_date(stream, key)
        if found is MISSING:
            self.ensure_lookup(stream)
            found = self.lookups.header_date(stream, key)
        return None if found is MISSING else found


if __name__ == "__main__":
    TapIFSCloud.cli()
