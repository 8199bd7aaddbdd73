"""Credentials at rest (encrypted store), references in config, and redaction in logs."""

from __future__ import annotations

from ml_connector.secrets.errors import SECRET_PREFIX, SecretsError
from ml_connector.secrets.redact import protect
from ml_connector.secrets.resolve import resolve_config, resolve_secret
from ml_connector.secrets.store import SecretStore

__all__ = ["SECRET_PREFIX", "SecretStore", "SecretsError", "protect", "resolve_config", "resolve_secret"]
