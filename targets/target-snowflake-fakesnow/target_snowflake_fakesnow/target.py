"""The sandbox loader: target-snowflake with a host/port to reach fakesnow and a loader fakesnow can run.

Subclasses instead of patches: nothing in target-snowflake changes for any other importer, and the
stock config validation, record handling, batching and DDL run unchanged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError
from target_snowflake.sinks import SnowflakeSink
from target_snowflake.target import TargetSnowflake

from target_snowflake_fakesnow.connector import FakesnowConnector

_EXTRA_SETTINGS = th.PropertiesList(
    th.Property("host", th.StringType, default="127.0.0.1", description="fakesnow server host."),
    th.Property("port", th.IntegerType, default=18764, description="fakesnow server port."),
    th.Property("protocol", th.StringType, default="http", allowed_values=["http", "https"]),
    th.Property(
        "network_timeout",
        th.IntegerType,
        default=15,
        description="Seconds before a failed request surfaces (fakesnow answers unsupported SQL with a 500, "
        "which the Snowflake connector would otherwise retry for minutes).",
    ),
).to_dict()


AUTH_SETTINGS = ("password", "private_key", "private_key_path", "oauth_access_token")


def auth_errors(config: dict[str, Any]) -> list[str]:
    """Say which authentication is missing or ambiguous, before any record arrives.

    Stock target-snowflake 0.19.2 finds this only when the first SCHEMA opens a connection, and the
    SDK then logs just "Config validation failed" (its own explanation is dropped).
    """
    if config.get("use_browser_authentication"):
        return []
    given = [name for name in AUTH_SETTINGS if config.get(name)]
    if not given:
        return [
            (
                "no Snowflake authentication configured: set `password`, or a key pair with "
                "`private_key` (base64 or PEM, a secret) or `private_key_path` (+ `private_key_passphrase` "
                "if the key is encrypted)"
            )
        ]
    if len(given) > 1:
        return [f"set exactly one of password / private_key / private_key_path / oauth_access_token, not {given}"]
    return []


class FakesnowSink(SnowflakeSink):
    """The stock sink with the fakesnow connector."""

    connector_class = FakesnowConnector


class TargetSnowflakeFakesnow(TargetSnowflake):
    """Stock TargetSnowflake plus host/port settings; every stock setting keeps its meaning."""

    name = "target-snowflake-fakesnow"
    package_name = "target-snowflake-fakesnow"
    config_jsonschema: ClassVar[dict[str, Any]] = {
        **TargetSnowflake.config_jsonschema,
        "properties": {
            **TargetSnowflake.config_jsonschema["properties"],
            **_EXTRA_SETTINGS["properties"],
        },
    }
    default_sink_class = FakesnowSink

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """The stock JSON-schema checks plus a clear authentication check."""
        errors = super()._validate_config(raise_errors=raise_errors) + auth_errors(dict(self.config))
        if errors and raise_errors:
            raise ConfigValidationError("Config validation failed", errors=errors)
        return errors


if __name__ == "__main__":
    TargetSnowflakeFakesnow.cli()
