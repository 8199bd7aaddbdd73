"""OAuth for the ION API Gateway: the resource-owner password grant with the service-account keys.

ION counts service-account authentications (20 per minute, 1,000 per day per tenant), so the token is
cached on the authenticator instance, refreshed a margin before it expires, and re-requested after a
401 only when the caller says so (`invalidate`).
"""

from __future__ import annotations

import base64
import datetime
import time
from typing import Any

import requests
from singer_sdk.authenticators import OAuthAuthenticator
from typing_extensions import override

from ml_connector.http.retry import retry_after_seconds
from ml_connector.ion.ionapi import IonApiCredentials
from ml_connector.secrets import protect

_HINTS = {
    "invalid_client": "check the client id/secret (ci/cs)",
    "unauthorized_client": "check that the authorized app may use the password grant (Backend Service)",
    "invalid_grant": "check the service-account keys (saak/sask); the service account may be revoked",
}
_MAX_TOKEN_ATTEMPTS = 3
_MAX_TOKEN_WAIT = 60.0


class IonAuthError(RuntimeError):
    """The token endpoint refused us; the message carries status and OAuth error code, never a secret."""

    def __init__(self, message: str, *, status: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class IonApiAuthenticator(OAuthAuthenticator):
    """Bearer tokens for ION from a `.ionapi` file; one instance per tap/target, shared by its streams."""

    def __init__(
        self,
        credentials: IonApiCredentials,
        *,
        refresh_margin_seconds: float = 300,
        timeout: float = 60,
        session: requests.Session | None = None,
        sleep: Any = time.sleep,
    ) -> None:
        basic = base64.b64encode(f"{credentials.ci}:{credentials.cs}".encode()).decode("ascii")
        super().__init__(
            auth_endpoint=credentials.token_url,
            oauth_headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
            client_id=credentials.ci,
            client_secret=credentials.cs,
        )
        protect(*credentials.secrets, basic)
        self.credentials = credentials
        self.refresh_margin_seconds = float(refresh_margin_seconds)
        self.timeout = timeout
        self.token_requests = 0
        self._sleep = sleep
        if session is not None:
            self._session = session

    @property
    @override
    def oauth_request_body(self) -> dict[str, Any]:
        return {
            "grant_type": "password",
            "username": self.credentials.saak,
            "password": self.credentials.sask,
        }

    def _effective_margin(self) -> float:
        """The refresh margin, capped at half the lifetime so short-lived tokens are still reused."""
        if not self.expires_in:
            return 0.0
        return min(self.refresh_margin_seconds, self.expires_in / 2)

    @override
    def is_token_valid(self) -> bool:
        if not self.access_token or self.last_refreshed is None:
            return False
        if not self.expires_in:
            return True
        age = (_utc_now() - self.last_refreshed).total_seconds()
        return age < self.expires_in - self._effective_margin()

    def invalidate(self) -> None:
        """Forget the access token (after a 401) so the next request authenticates afresh."""
        self.access_token = None
        self.last_refreshed = None

    @override
    def update_access_token(self) -> None:
        """Refresh with the refresh token when we hold one, else run the password grant."""
        if self.refresh_token and self.access_token is not None:
            try:
                self._request_token({"grant_type": "refresh_token", "refresh_token": self.refresh_token})
                return
            except IonAuthError as exc:
                self.logger.info("ION refresh-token grant refused (%s); using the password grant", exc.error)
                self.refresh_token = None
        self._request_token(self.oauth_request_body)

    def _request_token(self, body: dict[str, Any]) -> None:
        grant = body["grant_type"]
        for attempt in range(1, _MAX_TOKEN_ATTEMPTS + 1):
            self.token_requests += 1
            requested_at = _utc_now()
            try:
                response = self._session.post(
                    self.auth_endpoint, headers=self._oauth_headers, data=body, timeout=self.timeout
                )
            except requests.RequestException as exc:
                if attempt == _MAX_TOKEN_ATTEMPTS:
                    msg = f"ION token endpoint {self.auth_endpoint} unreachable: {type(exc).__name__}"
                    raise IonAuthError(msg) from None
                self._sleep(min(2.0**attempt, _MAX_TOKEN_WAIT))
                continue
            transient = response.status_code == 429 or response.status_code >= 500
            if transient and attempt < _MAX_TOKEN_ATTEMPTS:
                wait = retry_after_seconds(response.headers)  # ION's auth limit answers 429
                self._sleep(min(wait if wait is not None else 2.0**attempt, _MAX_TOKEN_WAIT))
                continue
            if response.status_code >= 400:
                raise self._token_error(response, grant)
            self._store(response, requested_at)
            self.logger.info("Obtained an ION access token (%s grant)", grant)
            return

    def _store(self, response: requests.Response, requested_at: datetime.datetime) -> None:
        try:
            payload = response.json()
            token = payload["access_token"]
        except (ValueError, KeyError, TypeError):
            msg = f"ION token endpoint {self.auth_endpoint} answered HTTP {response.status_code} without an access_token"
            raise IonAuthError(msg, status=response.status_code) from None
        protect(token)
        self.access_token = token
        if payload.get("refresh_token"):
            self.refresh_token = payload["refresh_token"]
            protect(self.refresh_token)
        expires = payload.get("expires_in", self._default_expiration)
        self.expires_in = int(expires) if expires else None
        self.last_refreshed = requested_at

    def _token_error(self, response: requests.Response, grant: str) -> IonAuthError:
        error, description = None, None
        try:
            payload = response.json()
            if isinstance(payload, dict):
                error = payload.get("error")
                description = payload.get("error_description")
        except ValueError:
            pass
        detail = f" {error}" if isinstance(error, str) else ""
        if isinstance(description, str) and description:
            detail += f" ({_mask(description[:200], self.credentials)})"
        hint = _HINTS.get(error or "", "check the .ionapi credentials")
        msg = (
            f"ION authentication failed ({grant} grant): HTTP {response.status_code}{detail} — {hint} "
            f"in the .ionapi from {self.credentials.source}"
        )
        return IonAuthError(msg, status=response.status_code, error=error if isinstance(error, str) else None)

    def revoke(self) -> None:
        """Revoke the refresh (or access) token at the end of a long-lived process; errors are ignored."""
        token, hint = (
            (self.refresh_token, "refresh_token")
            if self.refresh_token
            else (self.access_token, "access_token")
        )
        if not token:
            return
        try:
            self._session.post(
                self.credentials.revoke_url,
                headers=self._oauth_headers,
                data={"token": token, "token_type_hint": hint},
                timeout=self.timeout,
            )
        except requests.RequestException:
            self.logger.info("ION token revocation failed; the token will expire on its own")
        self.invalidate()
        self.refresh_token = None


def _mask(text: str, credentials: IonApiCredentials) -> str:
    for secret in credentials.secrets:
        text = text.replace(secret, "****")
    return text
