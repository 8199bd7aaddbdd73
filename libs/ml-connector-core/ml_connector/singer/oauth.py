"""OAuth 2 client-credentials for any ml-connector tap: lifetime from the response, early refresh, 401 hook.

Vendor-neutral (IFS IAM / Keycloak today). The secret and every token are registered with
`ml_connector.secrets.protect`, and error messages carry the OAuth error code only, never the body.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

import requests
from singer_sdk.authenticators import OAuthAuthenticator
from typing_extensions import override

from ml_connector.http.retry import backoff_delays, retry_after_seconds
from ml_connector.secrets import protect

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_WAIT = 60.0


class TokenRequestError(RuntimeError):
    """The token endpoint refused us; the message carries status and OAuth error code, never a secret."""

    def __init__(self, message: str, *, status: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status, self.error = status, error


class ClientCredentialsAuthenticator(OAuthAuthenticator):
    """Bearer tokens from a client-credentials grant (client_secret_post); one instance per tap."""

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        refresh_margin_seconds: float = 30,
        timeout: float = 60,
        max_attempts: int = 4,
        hint: str = "check the client id and secret",
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(
            auth_endpoint=token_url,
            oauth_scopes=scope,
            client_id=client_id,
            client_secret=client_secret,
            oauth_headers={"Accept": "application/json"},
        )
        protect(client_secret)
        self.refresh_margin_seconds = float(refresh_margin_seconds)
        self.timeout, self.max_attempts, self.hint = timeout, max_attempts, hint
        self.token_requests = 0
        self.expires_at: float | None = None
        self._clock, self._sleep = clock, sleep
        if session is not None:
            self._session = session

    @property
    @override
    def oauth_request_body(self) -> dict[str, Any]:
        body = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        if self.oauth_scopes:
            body["scope"] = self.oauth_scopes
        return body

    def effective_margin(self) -> float:
        """The refresh margin, capped at half the lifetime so a short-lived token is still reused."""
        return min(self.refresh_margin_seconds, (self.expires_in or 0) / 2)

    @override
    def is_token_valid(self) -> bool:
        if not self.access_token:
            return False
        if self.expires_at is None:
            return True
        return self._clock() < self.expires_at - self.effective_margin()

    def invalidate(self) -> None:
        """Forget the token (after a 401) so the next request authenticates afresh."""
        self.access_token = None
        self.last_refreshed = None
        self.expires_at = None

    @override
    def update_access_token(self) -> None:
        delays = backoff_delays(base=1.0, cap=_MAX_WAIT)
        for attempt in range(1, self.max_attempts + 1):
            self.token_requests += 1
            requested_at = self._clock()
            try:
                response = self._session.post(
                    self.auth_endpoint,
                    headers=self._oauth_headers,
                    data=self.oauth_request_body,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                if attempt == self.max_attempts:
                    msg = f"token endpoint {self.auth_endpoint} unreachable: {type(exc).__name__}"
                    raise TokenRequestError(msg) from None
                self._sleep(next(delays))
                continue
            if response.status_code in _RETRY_STATUSES and attempt < self.max_attempts:
                wait = retry_after_seconds(response.headers)
                self._sleep(min(wait, _MAX_WAIT) if wait is not None else next(delays))
                continue
            if response.status_code >= 400:
                raise self._error(response)
            self._store(response, requested_at)
            return

    def _store(self, response: requests.Response, requested_at: float) -> None:
        try:
            payload = response.json()
            token = payload["access_token"]
        except (ValueError, KeyError, TypeError):
            msg = f"token endpoint {self.auth_endpoint} answered HTTP {response.status_code} without an access_token"
            raise TokenRequestError(msg, status=response.status_code) from None
        protect(token, *(str(payload[k]) for k in ("refresh_token", "id_token") if payload.get(k)))
        self.access_token = token
        self.refresh_token = payload.get("refresh_token")
        expires = payload.get("expires_in", self._default_expiration)
        self.expires_in = int(expires) if expires else None
        self.expires_at = requested_at + self.expires_in if self.expires_in else None
        self.last_refreshed = datetime.datetime.fromtimestamp(requested_at, datetime.timezone.utc)
        self.logger.info("Obtained an access token valid for %s s", self.expires_in or "unlimited")

    def _error(self, response: requests.Response) -> TokenRequestError:
        error = None
        try:
            payload = response.json()
            error = payload.get("error") if isinstance(payload, dict) else None
        except ValueError:
            pass
        code = error if isinstance(error, str) and len(error) < 80 else None
        msg = f"authentication failed at {self.auth_endpoint}: HTTP {response.status_code}"
        msg += f" {code}" if code else ""
        return TokenRequestError(f"{msg} — {self.hint}", status=response.status_code, error=code)
