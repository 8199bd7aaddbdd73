"""Opaque OAuth tokens (Mingle SSO, IFS IAM): access/refresh tokens with expiry, refresh and revocation."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class _Token:
    client_id: str
    issued_at: float
    ttl: float | None  # None = no expiry (refresh tokens live until revoked)
    refresh: str | None = None  # for access tokens: the refresh token (grant) they belong to
    revoked: bool = False


class TokenStore:
    """Keeps tokens in memory; `clock` is injectable so tests can travel past the expiry."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._access: dict[str, _Token] = {}
        self._refresh: dict[str, _Token] = {}

    def issue(self, client_id: str, ttl: float) -> tuple[str, str]:
        """New grant (password flow): an access token and the refresh token of the grant."""
        refresh = "rt_" + secrets.token_urlsafe(32)
        self._refresh[refresh] = _Token(client_id, self.clock(), None)
        return self._new_access(client_id, ttl, refresh), refresh

    def refresh(self, refresh_token: str, client_id: str, ttl: float) -> str | None:
        """A fresh access token for a live refresh token of the same client, else None."""
        grant = self._refresh.get(refresh_token)
        if grant is None or grant.revoked or grant.client_id != client_id:
            return None
        return self._new_access(client_id, ttl, refresh_token)

    def _new_access(self, client_id: str, ttl: float, refresh: str) -> str:
        self._prune()
        token = secrets.token_urlsafe(32)
        self._access[token] = _Token(client_id, self.clock(), ttl, refresh)
        return token

    def validate(self, access_token: str) -> str | None:
        """The client id behind a live access token, or None (unknown, expired or revoked)."""
        tok = self._access.get(access_token)
        if tok is None or tok.revoked or (tok.ttl is not None and self.clock() >= tok.issued_at + tok.ttl):
            return None
        return tok.client_id

    def revoke(self, token: str, client_id: str) -> bool:
        """Revoke one token of this client; revoking a refresh token also revokes its access tokens."""
        if (tok := self._access.get(token)) is not None and tok.client_id == client_id:
            tok.revoked = True
            return True
        if (grant := self._refresh.get(token)) is not None and grant.client_id == client_id:
            grant.revoked = True
            for access in self._access.values():
                if access.refresh == token:
                    access.revoked = True
            return True
        return False

    def revoke_all_access(self) -> int:
        """Revoke every live access token (refresh tokens survive, as after a gateway-side session purge)."""
        count = 0
        for tok in self._access.values():
            if not tok.revoked:
                tok.revoked = True
                count += 1
        return count

    def _prune(self) -> None:
        """Forget access tokens that expired long ago so a long benchmark does not grow memory without bound."""
        if len(self._access) < 10_000:
            return
        now = self.clock()
        self._access = {
            k: t for k, t in self._access.items() if t.ttl is None or now < t.issued_at + t.ttl + 3600
        }
