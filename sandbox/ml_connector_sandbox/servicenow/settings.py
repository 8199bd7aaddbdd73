"""Run-time settings of the ServiceNow emulator (`/_sandbox/settings`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ml_connector_sandbox.common.settings import apply_partial
from ml_connector_sandbox.servicenow.catalog_types import DEFAULT_ROLES

_MODE_OVERRIDES = (None, "sync", "async")


@dataclass
class ServiceNowSettings:
    token_ttl_seconds: int = 1800
    rate_limit_per_hour: int = 360_000
    client_credentials_enabled: bool = True
    s2p_apps_installed: bool = True
    roles: list[str] = field(default_factory=lambda: list(DEFAULT_ROLES))
    roles_readable: bool = True
    async_delay_seconds: float = 2.0
    max_insert_multiple_records: int = 1000
    insert_multiple_mode_override: str | None = None

    def update(self, changes: dict[str, Any]) -> None:
        """Validate then apply, so a bad value leaves the settings untouched."""
        mode = changes.get("insert_multiple_mode_override", self.insert_multiple_mode_override)
        if mode not in _MODE_OVERRIDES:
            msg = "insert_multiple_mode_override must be null, 'sync' or 'async'"
            raise ValueError(msg)
        roles = changes.get("roles", self.roles)
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            msg = "roles must be a list of role names"
            raise ValueError(msg)
        apply_partial(self, changes)
