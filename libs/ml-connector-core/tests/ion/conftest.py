from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from ml_connector.ion.ionapi import IonApiCredentials, parse_ionapi

IONAPI = {
    "ti": "ACME_TST",
    "cn": "c",
    "ci": "ACME_TST~cid",
    "cs": "csecret-value",
    "iu": "https://ion.example.com",
    "pu": "https://sso.example.com/ACME_TST/as/",
    "ot": "token.oauth2",
    "or": "revoke_token.oauth2",
    "saak": "ACME_TST#saak-value",
    "sask": "sask-secret-value",
}


def make_response(
    status: int,
    body: Any = None,
    headers: dict[str, str] | None = None,
    url: str = "https://ion.example.com/x",
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode() if body is not None else b""
    response.headers.update({"Content-Type": "application/json", **(headers or {})})
    response.url = url
    response.reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 429: "Too Many Requests"}.get(
        status, ""
    )
    response.request = requests.Request("GET", url).prepare()
    return response


class FakeTokenSession:
    """Stands in for the authenticator's requests.Session: records posts, answers from a queue."""

    def __init__(self, *answers: requests.Response) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        self.calls.append({"url": url, **kwargs})
        if len(self.answers) > 1:
            return self.answers.pop(0)
        return self.answers[0]


@pytest.fixture
def credentials() -> IonApiCredentials:
    return parse_ionapi(json.dumps(IONAPI))


@pytest.fixture(name="make_response")
def _make_response_fixture():
    return make_response


@pytest.fixture(name="token_session")
def _token_session_fixture():
    return FakeTokenSession
