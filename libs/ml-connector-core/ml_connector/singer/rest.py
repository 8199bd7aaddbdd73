"""A RESTStream base for every ml-connector tap: pacing, Retry-After, backoff with jitter, one re-auth on 401.

Vendor-neutral on purpose (ION today, IFS and ServiceTitan later). Settings read from the tap config:
`requests_per_minute`, `max_retries`, `request_timeout_seconds`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING, Any

import requests
from singer_sdk import RESTStream
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from typing_extensions import TypeVar, override

from ml_connector.http.pacing import RequestPacer
from ml_connector.http.retry import backoff_delays, retry_after_seconds
from ml_connector.singer.errors import UnauthorizedAPIError, error_detail, safe_error_message
from ml_connector.singer.prefetch import Prefetcher

if TYPE_CHECKING:
    from backoff.types import Details
    from singer_sdk.helpers.types import Context
    from singer_sdk.tap_base import Tap

_T = TypeVar("_T", default=Any)
RequestFunc = Callable[[requests.PreparedRequest, Any], requests.Response]

DEFAULT_REQUESTS_PER_MINUTE = 300
DEFAULT_MAX_RETRIES = 8
DEFAULT_TIMEOUT_SECONDS = 60
MAX_SERVER_WAIT_SECONDS = 900.0
_PACER_ATTRIBUTE = "_ml_request_pacer"


def tap_pacer(tap: Tap) -> RequestPacer:
    """The one pacer of a tap instance: all its streams share the vendor's per-client quota."""
    pacer = getattr(tap, _PACER_ATTRIBUTE, None)
    if pacer is None:
        pacer = RequestPacer(tap.config.get("requests_per_minute", DEFAULT_REQUESTS_PER_MINUTE))
        setattr(tap, _PACER_ATTRIBUTE, pacer)
    return pacer


class ResilientRESTStream(RESTStream[_T]):
    """RESTStream that stays under the quota and survives 429s, 5xx, timeouts and revoked tokens."""

    #: Named in the fatal message after a second 401, e.g. "the .ionapi client and service account".
    credentials_hint: str = "the API credentials"
    #: Base and cap (seconds) of the exponential backoff used when the server gives no wait.
    backoff_base_seconds: float = 1.0
    backoff_cap_seconds: float = 60.0

    @property
    def pacer(self) -> RequestPacer:
        return tap_pacer(self._tap)

    @override
    def request_records(self, context: Context | None) -> Iterable[dict]:
        """The SDK's paging loop, read ahead by one page on a helper thread (see `prefetch`): the next request
        is on the wire, or waiting for its pacing slot, while this page's records are emitted."""
        if not self.config.get("read_ahead", True):
            yield from super().request_records(context)
            return
        chunk = int(self.config.get("page_size") or 1000)
        yield from Prefetcher(lambda: iter(super(ResilientRESTStream, self).request_records(context)),
                              chunk=chunk, name=f"read-ahead-{self.name}")

    @property
    @override
    def timeout(self) -> int:
        return int(self.config.get("request_timeout_seconds", DEFAULT_TIMEOUT_SECONDS))

    @override
    def backoff_max_tries(self) -> int:
        return int(self.config.get("max_retries", DEFAULT_MAX_RETRIES)) + 1

    @override
    def backoff_jitter(self, value: float) -> float:
        """Identity: jitter is applied in the wait generator, and never to a server-given wait."""
        return value

    @override
    def backoff_wait_generator(self) -> Generator[float, Any, None]:
        delays = backoff_delays(base=self.backoff_base_seconds, cap=self.backoff_cap_seconds)
        exception = yield  # type: ignore[misc]  # backoff primes the generator with None
        while True:
            exception = yield self.retry_wait(exception, delays)

    def retry_wait(self, exception: BaseException | None, delays: Any) -> float:
        """`Retry-After` exactly on 429/503 (and hold the pacer back); otherwise jittered exponential."""
        response = getattr(exception, "response", None)
        if isinstance(exception, RetriableAPIError) and response is not None:
            server_wait = retry_after_seconds(response.headers)
            if server_wait is not None and response.status_code in (429, 503):
                server_wait = min(server_wait, MAX_SERVER_WAIT_SECONDS)
                self.pacer.push_back(server_wait)
                return server_wait
        return float(next(delays))

    @override
    def backoff_handler(self, details: Details) -> None:
        exc = details.get("exception")
        response = getattr(exc, "response", None)
        cause = f"HTTP {response.status_code}" if response is not None else type(exc).__name__
        self.log(
            "Retrying %s after %s (try %d) in %.2f s",
            self.name,
            cause,
            details.get("tries", 0),
            details.get("wait") or 0.0,
            level=logging.WARNING,
        )

    @override
    def request_decorator(self, func: RequestFunc) -> RequestFunc:  # type: ignore[override]
        def send(prepared: requests.PreparedRequest, context: Context | None) -> requests.Response:
            return self._send_reauthenticating(func, prepared, context)

        return super().request_decorator(send)

    def _send_paced(
        self, func: RequestFunc, prepared: requests.PreparedRequest, context: Context | None
    ) -> requests.Response:
        self.pacer.wait()
        try:
            return func(prepared, context)
        except TimeoutError as exc:  # a raw socket timeout: the SDK retries only requests' Timeout
            raise requests.exceptions.Timeout(str(exc)) from exc

    def _send_reauthenticating(
        self, func: RequestFunc, prepared: requests.PreparedRequest, context: Context | None
    ) -> requests.Response:
        try:
            return self._send_paced(func, prepared, context)
        except UnauthorizedAPIError as first:
            invalidate = getattr(self.authenticator, "invalidate", None)
            if invalidate is None:
                raise FatalAPIError(f"{first} — check {self.credentials_hint}") from None
            self.log("HTTP 401 on %s: re-authenticating once and resending", self.name, level=logging.WARNING)
            invalidate()
        try:
            return self._send_paced(func, prepared, context)
        except UnauthorizedAPIError as second:
            msg = f"{second} again after re-authenticating — check {self.credentials_hint}"
            raise FatalAPIError(msg) from None

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Records of one partition; a batching message writer is drained when they end (or are abandoned)."""
        try:
            yield from super().get_records(context)
        finally:
            drain = getattr(self._tap.message_writer, "drain", None)
            if callable(drain):
                drain()

    @override
    def validate_response(self, response: requests.Response) -> None:
        if response.status_code == 401:
            raise UnauthorizedAPIError(self.response_error_message(response))
        super().validate_response(response)

    @override
    def response_error_message(self, response: requests.Response) -> str:
        """Status, method and path only, plus the vendor's error text from known JSON keys."""
        return safe_error_message(response, detail=self.error_detail(response))

    def error_detail(self, response: requests.Response) -> str | None:
        """Override to extract a vendor-specific error text; must never return secrets."""
        return error_detail(response)
