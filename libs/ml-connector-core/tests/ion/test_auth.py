from __future__ import annotations

import base64
import datetime

import pytest
import time_machine
from ml_connector.ion.auth import IonApiAuthenticator, IonAuthError

TOKEN = {
    "access_token": "tok-1-abcdef",
    "token_type": "Bearer",
    "expires_in": 7200,
    "refresh_token": "rt-1-abcdef",
}


def _auth(credentials, session, **kw):
    return IonApiAuthenticator(credentials, session=session, sleep=lambda s: None, **kw)


def test_password_grant_with_basic_client(make_response, token_session, credentials) -> None:
    session = token_session(make_response(200, TOKEN))
    auth = _auth(credentials, session)
    auth.update_access_token()
    call = session.calls[0]
    assert call["url"] == "https://sso.example.com/ACME_TST/as/token.oauth2"
    assert call["data"] == {
        "grant_type": "password",
        "username": "ACME_TST#saak-value",
        "password": "sask-secret-value",
    }
    expected = base64.b64encode(b"ACME_TST~cid:csecret-value").decode()
    assert call["headers"]["Authorization"] == f"Basic {expected}"
    assert auth.access_token == "tok-1-abcdef"


def test_token_cached_and_refreshed_with_margin(make_response, token_session, credentials) -> None:
    session = token_session(make_response(200, TOKEN))
    with time_machine.travel(
        datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc), tick=False
    ) as clock:
        auth = _auth(credentials, session, refresh_margin_seconds=300)
        for _ in range(50):
            if not auth.is_token_valid():
                auth.update_access_token()
        assert auth.token_requests == 1
        clock.shift(7200 - 301)
        assert auth.is_token_valid()
        clock.shift(2)
        assert not auth.is_token_valid()  # inside the 300 s margin: refresh proactively
        auth.update_access_token()
        assert session.calls[-1]["data"]["grant_type"] == "refresh_token"


def test_short_lived_token_margin_capped(make_response, token_session, credentials) -> None:
    session = token_session(make_response(200, {**TOKEN, "expires_in": 10}))
    with time_machine.travel(
        datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc), tick=False
    ) as clock:
        auth = _auth(credentials, session)
        auth.update_access_token()
        clock.shift(4)
        assert auth.is_token_valid()


def test_invalidate_forces_password_grant(make_response, token_session, credentials) -> None:
    session = token_session(make_response(200, TOKEN))
    auth = _auth(credentials, session)
    auth.update_access_token()
    auth.invalidate()
    assert not auth.is_token_valid()
    auth.update_access_token()
    assert [c["data"]["grant_type"] for c in session.calls] == ["password", "password"]


@pytest.mark.parametrize(
    ("status", "error", "hint"),
    [(401, "invalid_client", "ci/cs"), (400, "invalid_grant", "saak/sask")],
)
def test_token_errors_are_clear_and_secret_free(
    make_response, token_session, credentials, status, error, hint
) -> None:
    body = {"error": error, "error_description": "rejected"}
    auth = _auth(credentials, token_session(make_response(status, body)))
    with pytest.raises(IonAuthError) as info:
        auth.update_access_token()
    message = str(info.value)
    assert f"HTTP {status} {error} (rejected)" in message and hint in message and "ionapi setting" in message
    for secret in credentials.secrets:
        assert secret not in message


def test_token_429_waits_retry_after(make_response, token_session, credentials) -> None:
    waits: list[float] = []
    session = token_session(
        make_response(429, {"error": "x"}, {"Retry-After": "3"}), make_response(200, TOKEN)
    )
    auth = IonApiAuthenticator(credentials, session=session, sleep=waits.append)
    auth.update_access_token()
    assert waits == [3.0] and auth.access_token == "tok-1-abcdef"
