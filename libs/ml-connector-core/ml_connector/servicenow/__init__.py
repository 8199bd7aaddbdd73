"""ServiceNow client shared by the ml-connector plugins (Table API reads, Import Set writes)."""

from __future__ import annotations

from ml_connector.servicenow.auth import AUTH_METHODS, BasicAuthenticator, OAuthAuthenticator, build_authenticator
from ml_connector.servicenow.client import ServiceNowClient, TablePage
from ml_connector.servicenow.errors import (
    ServiceNowAuthError,
    ServiceNowError,
    ServiceNowUnavailable,
    UncertainWriteError,
)
from ml_connector.servicenow.imports import ImportRowResult, ImportSetResult
from ml_connector.servicenow.query import Query

__all__ = [
    "AUTH_METHODS",
    "BasicAuthenticator",
    "ImportRowResult",
    "ImportSetResult",
    "OAuthAuthenticator",
    "Query",
    "ServiceNowAuthError",
    "ServiceNowClient",
    "ServiceNowError",
    "ServiceNowUnavailable",
    "TablePage",
    "UncertainWriteError",
    "build_authenticator",
]
