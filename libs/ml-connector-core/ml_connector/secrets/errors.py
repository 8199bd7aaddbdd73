"""What every secrets module agrees on: the reference prefix and the one error type."""

from __future__ import annotations

#: A config value ``mlc-secret:NAME`` means "the secret NAME from the encrypted store".
SECRET_PREFIX = "mlc-secret:"
KEY_ENV = "ML_CONNECTOR_SECRETS_KEY"
FILE_ENV = "ML_CONNECTOR_SECRETS_FILE"


class SecretsError(Exception):
    """An expected secrets failure; its message never contains a secret value."""
