"""OAuth token store and Basic-auth check; the clock is injectable so tests can travel past token expiry."""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

REFRESH_TTL_SECONDS = 8_640_000  # ServiceNow's default refresh-token lifespan (100 days)


@dataclass
class Credentials:
    username: str
    password: str
    client_id: str
    client_secret: str


@dataclass
class _Token:
    user: str
    client_id: str
    expires_at: float


class TokenStore:
    """Issues and validates bearer tokens for the one integration user and OAuth client."""

    def __init__(
        self, creds: Credentials, ttl: Callable[[], int], clock: Callable[[], float] = time.time
    ) -> None:
        self.creds = creds
        self.ttl = ttl
        self.clock = clock
        self._access: dict[str, _Token] = {}
        self._refresh: dict[str, _Token] = {}

    def _client_ok(self, client_id: str, client_secret: str) -> bool:
        return hmac.compare_digest(client_id, self.creds.client_id) and hmac.compare_digest(
            client_secret, self.creds.client_secret
        )

    def _user_ok(self, username: str, password: str) -> bool:
        return hmac.compare_digest(username, self.creds.username) and hmac.compare_digest(
            password, self.creds.password
        )

    def _issue(self, user: str, client_id: str, *, refresh: bool) -> dict[str, object]:
        now = self.clock()
        ttl = self.ttl()
        access = secrets.token_urlsafe(48)
        self._access[access] = _Token(user, client_id, now + ttl)
        body: dict[str, object] = {
            "scope": "useraccount",
            "token_type": "Bearer",
            "expires_in": ttl,
            "access_token": access,
        }
        if refresh:
            token = secrets.token_urlsafe(48)
            self._refresh[token] = _Token(user, client_id, now + REFRESH_TTL_SECONDS)
            body["refresh_token"] = token
        return body

    def grant(self, form: dict[str, str], *, client_credentials_enabled: bool) -> dict[str, object] | None:
        """Answer one token request, or None for the vendor's generic access_denied."""
        grant = form.get("grant_type", "")
        if not self._client_ok(form.get("client_id", ""), form.get("client_secret", "")):
            return None
        if grant == "password":
            if not self._user_ok(form.get("username", ""), form.get("password", "")):
                return None
            return self._issue(self.creds.username, self.creds.client_id, refresh=True)
        if grant == "refresh_token":
            token = self._refresh.get(form.get("refresh_token", ""))
            if token is None or token.expires_at <= self.clock():
                return None
            return self._issue(token.user, token.client_id, refresh=False)
        if grant == "client_credentials" and client_credentials_enabled:
            # The "OAuth Application User" of the client is the integration user.
            return self._issue(self.creds.username, self.creds.client_id, refresh=False)
        return None

    def user_for_bearer(self, token: str) -> str | None:
        found = self._access.get(token)
        if found is None or found.expires_at <= self.clock():
            return None
        return found.user

    def user_for_basic(self, encoded: str) -> str | None:
        try:
            username, _, password = base64.b64decode(encoded).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return username if self._user_ok(username, password) else None

    def authenticate(self, header: str) -> str | None:
        """User name for an Authorization header (Basic or Bearer), or None."""
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            return self.user_for_bearer(value.strip())
        if scheme.lower() == "basic":
            return self.user_for_basic(value.strip())
        return None

    def revoke_all(self) -> int:
        """Revoke every access token; refresh tokens survive, so a client can recover as on an instance."""
        count = len(self._access)
        self._access.clear()
        return count
