"""tap-infor-cloudsuite: Infor CloudSuite M3 through the ION API Gateway."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from ml_connector.ion.auth import IonApiAuthenticator
from ml_connector.ion.ionapi import IonApiCredentials, IonApiFileError, parse_ionapi
from ml_connector.secrets import SecretsError, resolve_secret
from ml_connector.singer.tap import OrderedStreamsTap
from typing_extensions import override

from tap_infor_cloudsuite.preflight import PreflightError, run_preflight
from tap_infor_cloudsuite.settings import CONFIG_SCHEMA
from tap_infor_cloudsuite.streams import STREAM_TYPES


class TapInforCloudSuite(OrderedStreamsTap):
    """Suppliers, GL accounts, cost centers, customers, items, POs, AP invoices and payments from M3."""

    name = "tap-infor-cloudsuite"
    config_jsonschema = CONFIG_SCHEMA
    stream_types = STREAM_TYPES

    @cached_property
    def ion_credentials(self) -> IonApiCredentials:
        """Parsed once per run from `ionapi` (content or secret reference) or `ionapi_path`."""
        try:
            inline = resolve_secret(self.config.get("ionapi"))
        except SecretsError as exc:
            raise PreflightError(f"cannot resolve the ionapi setting: {exc}") from None
        path = self.config.get("ionapi_path")
        if not inline and not path:
            msg = "set either 'ionapi' (the .ionapi file content or mlc-secret:NAME) or 'ionapi_path'"
            raise PreflightError(msg)
        if inline and not inline.lstrip().startswith("{"):
            msg = "the ionapi setting is neither .ionapi JSON content nor a resolvable mlc-secret reference"
            raise PreflightError(msg)
        try:
            return parse_ionapi(inline) if inline else parse_ionapi(Path(str(path)))
        except IonApiFileError as exc:
            raise PreflightError(str(exc)) from None

    @cached_property
    def ion_authenticator(self) -> IonApiAuthenticator:
        """One token cache per tap instance, shared by every stream (ION limits authentications)."""
        return IonApiAuthenticator(
            self.ion_credentials,
            refresh_margin_seconds=float(self.config.get("token_refresh_margin_seconds", 300)),
            timeout=float(self.config.get("request_timeout_seconds", 60)),
        )

    @cached_property
    def companies(self) -> list[dict[str, Any]]:
        """Configured companies with string CONO and division codes (context values must be strings)."""
        return [
            {"cono": str(c["cono"]).strip(), "divisions": [str(d).strip() for d in c.get("divisions") or []]}
            for c in self.config.get("companies") or []
        ]

    def divisions_of(self, cono: str) -> list[str]:
        for company in self.companies:
            if company["cono"] == cono:
                return company["divisions"]
        return []

    @override
    def sync_all(self) -> None:  # type: ignore[misc]  # final in the SDK; pre-flight must run first
        run_preflight(self)
        super().sync_all()

    @override
    def run_connection_test(self) -> bool:  # type: ignore[misc]
        run_preflight(self)
        return super().run_connection_test()


if __name__ == "__main__":
    TapInforCloudSuite.cli()
