"""Authentication to a ServiceNow instance: OAuth (client credentials or password grant) or Basic.

Tokens are refreshed *before* they expire (a margin) so a long batch never starts with a token that dies
mid-request; a 401 invalidates the token once and the client re-sends (see client.py).
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import requests

from ml_connector.http.retry import backoff_delays, retry_after_seconds
from ml_connector.servicenow.errors import ServiceNowAuthError, ServiceNowUnavailable, parse_error_body

TOKEN_PATH = "/oauth_token.do"
AUTH_METHODS = ("oauth_client_credentials", "oauth_password", "basic")
_TOKEN_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Authenticator(Protocol):
    """What the client needs from an auth strategy."""

    method: str

    def headers(self) -> dict[str, str]: ...

    def invalidate(self) -> None: ...


class BasicAuthenticator:
    """HTTP Basic: works on every REST API; no token to refresh."""

    method = "basic"

    def __init__(self, username: str, password: str) -> None:
        if not username or not password:
            raise ServiceNowAuthError(None, "auth_method 'basic' needs the settings username and password")
        raw = f"{username}:{password}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")

    def headers(self) -> dict[str, str]:
        return {"Authorization": self._header}

    def invalidate(self) -> None:
        """Nothing cached; a 401 with Basic means the password is wrong."""


class OAuthAuthenticator:
    """OAuth 2 against /oauth_token.do (form-encoded; a JSON body is rejected by the instance)."""

    def __init__(
        self,
        instance_url: str,
        *,
        grant: str,
        client_id: str,
        client_secret: str,
        username: str | None = None,
        password: str | None = None,
        session: requests.Session | None = None,
        margin_seconds: float = 120.0,
        timeout: float = 30.0,
        on_token: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
    ) -> None:
        if grant not in ("client_credentials", "password"):
            raise ValueError(f"unsupported grant {grant!r}")
        missing = [n for n, v in (("client_id", client_id), ("client_secret", client_secret)) if not v]
        if grant == "password":
            missing += [n for n, v in (("username", username), ("password", password)) if not v]
        if missing:
            raise ServiceNowAuthError(None, f"auth_method 'oauth_{grant}' needs the settings: {', '.join(missing)}")
        self.method = f"oauth_{grant}"
        self.grant = grant
        self._url = instance_url.rstrip("/") + TOKEN_PATH
        self._client_id = client_id
        self._client_secret = client_secret
        self._username = username
        self._password = password
        self._session = session or requests.Session()
        self._margin = margin_seconds
        self._timeout = timeout
        self._on_token = on_token
        self._clock = clock
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._lock = threading.Lock()
        self._access_token: str | None = None
        self._refresh_token: str | None = None
        self._expires_at = 0.0
        self.tokens_fetched = 0

    def headers(self) -> dict[str, str]:
        with self._lock:
            if not self._access_token or self._clock() >= self._expires_at:
                self._renew()
            return {"Authorization": f"Bearer {self._access_token}"}

    def invalidate(self) -> None:
        with self._lock:
            self._access_token = None
            self._expires_at = 0.0

    def _renew(self) -> None:
        if self._refresh_token:
            try:
                self._store(self._post({
                    "grant_type": "refresh_token",
                    "refresh_token": self._refresh_token,
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                }))
                return
            except ServiceNowAuthError:
                self._refresh_token = None  # expired or revoked: fall back to a full grant
        form = {"grant_type": self.grant, "client_id": self._client_id, "client_secret": self._client_secret}
        if self.grant == "password":
            form.update(username=self._username or "", password=self._password or "")
        self._store(self._post(form))

    def _store(self, body: dict[str, Any]) -> None:
        token = body.get("access_token")
        if not token:
            raise ServiceNowAuthError(200, "token endpoint answered without an access_token", None)
        if self._on_token:
            self._on_token(str(token))
        if body.get("refresh_token"):
            self._refresh_token = str(body["refresh_token"])
            if self._on_token:
                self._on_token(self._refresh_token)
        lifetime = float(body.get("expires_in") or 1800)
        # never let the margin swallow a short-lived token entirely
        margin = min(self._margin, lifetime / 4)
        self._access_token = str(token)
        self._expires_at = self._clock() + lifetime - margin
        self.tokens_fetched += 1

    def _post(self, form: dict[str, str]) -> dict[str, Any]:
        delays = backoff_delays(base=1.0, cap=30.0)
        last: Exception | None = None
        for _ in range(self._max_attempts):
            try:
                response = self._session.post(
                    self._url, data=form, timeout=self._timeout, headers={"Accept": "application/json"}
                )
            except requests.RequestException as exc:
                last = exc
                self._sleep(next(delays))
                continue
            if response.status_code in _TOKEN_RETRY_STATUSES:
                wait = retry_after_seconds(response.headers) if response.status_code == 429 else None
                self._sleep(wait if wait is not None else next(delays))
                last = ServiceNowUnavailable(response.status_code, f"token endpoint answered {response.status_code}")
                continue
            if response.status_code >= 400:
                raise self._rejection(response, form["grant_type"])
            try:
                return dict(response.json())
            except ValueError as exc:
                raise ServiceNowAuthError(response.status_code, "token endpoint answered non-JSON") from exc
        raise ServiceNowUnavailable(None, f"could not reach {self._url}: {last}")

    def _rejection(self, response: requests.Response, grant: str) -> ServiceNowAuthError:
        try:
            body = response.json()
        except ValueError:
            body = None
        message, detail = parse_error_body(response.status_code, body, response.text or "")
        code = f"{response.status_code} {message}"
        if grant == "refresh_token":
            return ServiceNowAuthError(response.status_code, f"refresh token rejected ({code})", detail)
        if grant == "client_credentials":
            hint = (
                f"ServiceNow rejected the OAuth client ({code}): check client_id/client_secret and that client "
                "credentials are enabled on the instance (glide.oauth.inbound.client.credential.grant_type.enabled)"
                " with an OAuth Application User set"
            )
        else:
            hint = (
                f"ServiceNow rejected the OAuth password grant ({code}): check client_id/client_secret and "
                "username/password, and that the user is active, not locked out and allowed to log in"
            )
        return ServiceNowAuthError(response.status_code, hint, detail)


def build_authenticator(
    instance_url: str,
    *,
    auth_method: str = "oauth_client_credentials",
    client_id: str | None = None,
    client_secret: str | None = None,
    username: str | None = None,
    password: str | None = None,
    session: requests.Session | None = None,
    on_token: Callable[[str], None] | None = None,
) -> Authenticator:
    """The authenticator for the `auth_method` setting."""
    if auth_method == "basic":
        return BasicAuthenticator(username or "", password or "")
    if auth_method in ("oauth_client_credentials", "oauth_password"):
        return OAuthAuthenticator(
            instance_url,
            grant=auth_method.removeprefix("oauth_"),
            client_id=client_id or "",
            client_secret=client_secret or "",
            username=username,
            password=password,
            session=session,
            on_token=on_token,
        )
    raise ServiceNowAuthError(None, f"unknown auth_method {auth_method!r}; use one of {', '.join(AUTH_METHODS)}")
