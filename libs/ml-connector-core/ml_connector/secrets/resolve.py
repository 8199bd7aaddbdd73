"""Turn ``mlc-secret:NAME`` references in plugin config into values, and protect them at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ml_connector.secrets.errors import SECRET_PREFIX
from ml_connector.secrets.redact import protect
from ml_connector.secrets.store import SecretStore


def resolve_secret(value: str | None, *, store: SecretStore | None = None) -> str | None:
    """A reference becomes the stored value (protected); any other value is returned unchanged."""
    if not isinstance(value, str) or not value.startswith(SECRET_PREFIX):
        return value
    name = value[len(SECRET_PREFIX) :].strip()
    secret = (store or SecretStore()).get(name)
    protect(secret)
    return secret


def resolve_config(
    config: Mapping[str, Any], secret_keys: Iterable[str], *, store: SecretStore | None = None
) -> dict[str, Any]:
    """A copy of ``config`` whose secret keys are resolved, and whose secret values are all protected.

    Plain (unreferenced) values of those keys are protected too: a secret typed into .env
    must stay out of the logs as much as one kept in the store.
    """
    resolved = dict(config)
    for key in secret_keys:
        value = resolved.get(key)
        if not isinstance(value, str) or not value:
            continue
        if value.startswith(SECRET_PREFIX):
            store = store or SecretStore()  # one store: the slow key derivation happens once
            resolved[key] = resolve_secret(value, store=store)
        else:
            protect(value)
    return resolved
