"""OAuth for the ION API Gateway: the resource-owner password grant with the service-account keys.

ION counts service-account authentications (20 per minute, 1,000 per day per tenant), so the token is
cached on the authenticator instance, refreshed a margin before it expires, and re-requested after a
401 only when the caller says so (`invalidate`). That lifecycle is `CachedTokenAuthenticator`'s.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import requests
from typing_extensions import override

from ml_connector.ion.ionapi import IonApiCredentials
from ml_connector.secrets import protect
from ml_connector.singer.oauth import CachedTokenAuthenticator, TokenRequestError, oauth_error_fields

_HINTS = {
    "invalid_client": "check the client id/secret (ci/cs)",
    "unauthorized_client": "check that the authorized app may use the password grant (Backend Service)",
    "invalid_grant": "check the service-account keys (saak/sask); the service account may be revoked",
}
_MAX_TOKEN_ATTEMPTS = 3


class IonAuthError(TokenRequestError):
    """The ION token endpoint refused us; the message carries status and OAuth error code, never a secret."""


class IonApiAuthenticator(CachedTokenAuthenticator):
    """Bearer tokens for ION from a `.ionapi` file; one instance per tap/target, shared by its streams."""

    error_type = IonAuthError
    endpoint_label = "ION token endpoint"

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
            refresh_margin_seconds=refresh_margin_seconds,
            timeout=timeout,
            max_attempts=_MAX_TOKEN_ATTEMPTS,
            sleep=sleep,
            session=session,
            auth_endpoint=credentials.token_url,
            oauth_headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
            client_id=credentials.ci,
            client_secret=credentials.cs,
        )
        protect(*credentials.secrets, basic)
        self.credentials = credentials

    @property
    @override
    def oauth_request_body(self) -> dict[str, Any]:
        return {
            "grant_type": "password",
            "username": self.credentials.saak,
            "password": self.credentials.sask,
        }

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

    @override
    def _is_transient(self, status: int) -> bool:
        return status == 429 or status >= 500  # ION's auth limit answers 429

    def _request_token(self, body: dict[str, Any]) -> None:
        grant = body["grant_type"]
        response, requested_at = self._post_token_request(body, lambda attempt: 2.0**attempt)
        if response.status_code >= 400:
            raise self._token_error(response, grant)
        payload = self._token_payload(response)
        protect(payload["access_token"])
        self._keep_token(payload, requested_at)
        if payload.get("refresh_token"):
            self.refresh_token = payload["refresh_token"]
            protect(self.refresh_token)
        self.logger.info("Obtained an ION access token (%s grant)", grant)

    def _token_error(self, response: requests.Response, grant: str) -> IonAuthError:
        error, description = oauth_error_fields(response)
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
