"""OAuth 2 for any ml-connector tap: lifetime from the response, early refresh, 401 hook.

`CachedTokenAuthenticator` is the token lifecycle every grant shares (ION's password grant builds on it
too); `ClientCredentialsAuthenticator` is the vendor-neutral client-credentials grant (IFS IAM / Keycloak
today). The secret and every token are registered with `ml_connector.secrets.protect`, and error messages
carry the OAuth error code only, never the body.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any, ClassVar

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


def oauth_error_fields(response: requests.Response) -> tuple[Any, Any]:
    """`error` and `error_description` of an OAuth error body (None where absent or not JSON)."""
    try:
        payload = response.json()
    except ValueError:
        return None, None
    if not isinstance(payload, dict):
        return None, None
    return payload.get("error"), payload.get("error_description")


class CachedTokenAuthenticator(OAuthAuthenticator):
    """One cached bearer token per instance: its lifetime taken from the response, refreshed a margin
    before it expires, forgotten after a 401 (`invalidate`), requested with retries on transient errors.

    Token endpoints count authentications, so every stream of a run must share one instance.
    Subclasses choose the grant (`update_access_token`) and word refusals (`error_type`, `endpoint_label`).
    """

    error_type: ClassVar[type[TokenRequestError]] = TokenRequestError
    endpoint_label: ClassVar[str] = "token endpoint"

    def __init__(
        self,
        *,
        refresh_margin_seconds: float,
        timeout: float,
        max_attempts: int,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        **oauth: Any,
    ) -> None:
        super().__init__(**oauth)
        self.refresh_margin_seconds = float(refresh_margin_seconds)
        self.timeout, self.max_attempts = timeout, max_attempts
        self.token_requests = 0
        self.expires_at: float | None = None
        self._clock, self._sleep = clock, sleep
        if session is not None:
            self._session = session

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

    def _is_transient(self, status: int) -> bool:
        return status in _RETRY_STATUSES

    def _post_token_request(
        self, data: dict[str, Any], fallback_delay: Callable[[int], float]
    ) -> tuple[requests.Response, float]:
        """POST to the token endpoint until it answers for good; the answer and when it was asked.

        Waits `Retry-After` when the endpoint sends one, else `fallback_delay(attempt)`; both capped.
        """
        for attempt in range(1, self.max_attempts + 1):
            self.token_requests += 1
            requested_at = self._clock()
            try:
                response = self._session.post(
                    self.auth_endpoint, headers=self._oauth_headers, data=data, timeout=self.timeout
                )
            except requests.RequestException as exc:
                if attempt == self.max_attempts:
                    msg = f"{self.endpoint_label} {self.auth_endpoint} unreachable: {type(exc).__name__}"
                    raise self.error_type(msg) from None
                self._sleep(min(fallback_delay(attempt), _MAX_WAIT))
                continue
            if self._is_transient(response.status_code) and attempt < self.max_attempts:
                wait = retry_after_seconds(response.headers)
                self._sleep(min(wait if wait is not None else fallback_delay(attempt), _MAX_WAIT))
                continue
            return response, requested_at
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _token_payload(self, response: requests.Response) -> dict[str, Any]:
        """The token response body; refused unless it carries an access token."""
        try:
            payload = response.json()
            _ = payload["access_token"]
        except (ValueError, KeyError, TypeError):
            msg = (
                f"{self.endpoint_label} {self.auth_endpoint} answered HTTP {response.status_code}"
                " without an access_token"
            )
            raise self.error_type(msg, status=response.status_code) from None
        return dict(payload)

    def _keep_token(self, payload: dict[str, Any], requested_at: float) -> None:
        """Cache the access token; its lifetime counts from when it was asked for, the safe side."""
        self.access_token = payload["access_token"]
        expires = payload.get("expires_in", self._default_expiration)
        self.expires_in = int(expires) if expires else None
        self.expires_at = requested_at + self.expires_in if self.expires_in else None
        self.last_refreshed = datetime.datetime.fromtimestamp(requested_at, datetime.timezone.utc)


class ClientCredentialsAuthenticator(CachedTokenAuthenticator):
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
            refresh_margin_seconds=refresh_margin_seconds,
            timeout=timeout,
            max_attempts=max_attempts,
            clock=clock,
            sleep=sleep,
            session=session,
            auth_endpoint=token_url,
            oauth_scopes=scope,
            client_id=client_id,
            client_secret=client_secret,
            oauth_headers={"Accept": "application/json"},
        )
        protect(client_secret)
        self.hint = hint

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

    @override
    def update_access_token(self) -> None:
        delays = backoff_delays(base=1.0, cap=_MAX_WAIT)
        response, requested_at = self._post_token_request(self.oauth_request_body, lambda _: next(delays))
        if response.status_code >= 400:
            raise self._error(response)
        payload = self._token_payload(response)
        others = (str(payload[k]) for k in ("refresh_token", "id_token") if payload.get(k))
        protect(payload["access_token"], *others)
        self._keep_token(payload, requested_at)
        self.refresh_token = payload.get("refresh_token")
        self.logger.info("Obtained an access token valid for %s s", self.expires_in or "unlimited")

    def _error(self, response: requests.Response) -> TokenRequestError:
        error, _ = oauth_error_fields(response)
        code = error if isinstance(error, str) and len(error) < 80 else None
        msg = f"authentication failed at {self.auth_endpoint}: HTTP {response.status_code}"
        msg += f" {code}" if code else ""
        return TokenRequestError(f"{msg} — {self.hint}", status=response.status_code, error=code)
