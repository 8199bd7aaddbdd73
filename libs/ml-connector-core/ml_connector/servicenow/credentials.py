"""ServiceNow credentials as every plugin reads them: explicit settings first, then `credentials_file`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ml_connector.credentials import credentials_from

CREDENTIAL_KEYS = ("client_id", "client_secret", "username", "password")


def credentials(config: Mapping[str, Any]) -> dict[str, str | None]:
    """The four credential settings of `config`, completed from the JSON file `credentials_file` names."""
    return credentials_from(config, CREDENTIAL_KEYS)
