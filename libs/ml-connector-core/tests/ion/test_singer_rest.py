"""The shared REST plumbing: Retry-After exactly, jittered backoff otherwise, one re-auth on 401, safe errors."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from ml_connector.singer.rest import ResilientRESTStream, tap_pacer
from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError


class _Auth:
    def __init__(self) -> None:
        self.invalidated = 0

    def invalidate(self) -> None:
        self.invalidated += 1

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class _Stream(ResilientRESTStream[Any]):
    name = "things"
    path = "/things"
    url_base = "https://api.example.com"
    schema = th.PropertiesList(th.Property("id", th.IntegerType)).to_dict()
    _auth = _Auth()

    @property
    def authenticator(self) -> _Auth:  # type: ignore[override]
        return self._auth


class _Tap(Tap):
    name = "tap-test"
    config_jsonschema = th.PropertiesList(
        th.Property("requests_per_minute", th.IntegerType),
        th.Property("max_retries", th.IntegerType),
    ).to_dict()

    def discover_streams(self) -> list[_Stream]:
        return [_Stream(self)]


@pytest.fixture
def stream() -> _Stream:
    tap = _Tap(config={"requests_per_minute": 0, "max_retries": 3}, validate_config=False)
    s = tap.streams["things"]
    s._auth = _Auth()
    return s  # type: ignore[return-value]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr("backoff._sync.time.sleep", recorded.append)
    return recorded


def _prepared() -> requests.PreparedRequest:
    return requests.Request("GET", "https://api.example.com/things?api_key=SECRETKEY").prepare()


def test_retry_after_is_exact_and_pushes_pacer(stream, make_response, sleeps) -> None:
    answers = [make_response(429, {"error": "slow down"}, {"Retry-After": "2"}) for _ in range(2)]
    answers.append(make_response(200, [{"id": 1}]))
    calls = []

    def func(prepared, context):
        calls.append(prepared)
        response = answers.pop(0)
        stream.validate_response(response)
        return response

    pushed: list[float] = []
    stream.pacer.push_back = pushed.append  # type: ignore[method-assign]
    response = stream.request_decorator(func)(_prepared(), None)
    assert response.status_code == 200
    assert sleeps == [2.0, 2.0] and pushed == [2.0, 2.0]


def test_5xx_backs_off_with_jitter_then_gives_up(stream, make_response, sleeps) -> None:
    def func(prepared, context):
        response = make_response(503, {"error": "down"})
        stream.validate_response(response)
        return response

    with pytest.raises(RetriableAPIError):
        stream.request_decorator(func)(_prepared(), None)
    assert len(sleeps) == 3  # max_retries=3 → 4 tries
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0 and 2.0 <= sleeps[2] <= 4.0


def test_401_reauthenticates_once(stream, make_response, sleeps) -> None:
    answers = [make_response(401, {"error": "Unauthorized"}), make_response(200, [])]

    def func(prepared, context):
        response = answers.pop(0)
        stream.validate_response(response)
        return response

    assert stream.request_decorator(func)(_prepared(), None).status_code == 200
    assert stream.authenticator.invalidated == 1 and sleeps == []


def test_second_401_is_fatal_and_names_credentials(stream, make_response) -> None:
    def func(prepared, context):
        response = make_response(401, {"error": "Unauthorized"})
        stream.validate_response(response)
        return response

    with pytest.raises(FatalAPIError, match="again after re-authenticating — check the API credentials"):
        stream.request_decorator(func)(_prepared(), None)
    assert stream.authenticator.invalidated == 1


def test_error_message_has_no_query_or_body_secrets(stream, make_response) -> None:
    url = "https://api.example.com/things?api_key=SECRETKEY"
    response = make_response(400, {"error": "bad filter", "access_token": "TOKENVALUE"}, url=url)
    message = stream.response_error_message(response)
    assert message == "HTTP 400 Bad Request for GET /things: bad filter"


def test_one_pacer_per_tap(stream) -> None:
    assert tap_pacer(stream._tap) is stream.pacer
