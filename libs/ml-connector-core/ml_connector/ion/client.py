"""A small M3 MI client for one-off calls outside streams (pre-flight checks, lookups, target writes).

Same policies as the streams: paced, `Retry-After` honoured on 429, jittered backoff on 5xx and
connection errors for reads, one re-authentication after a 401.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from ml_connector.http.pacing import RequestPacer
from ml_connector.http.retry import RETRIABLE_STATUSES, backoff_delays, retry_after_seconds
from ml_connector.ion.auth import IonApiAuthenticator
from ml_connector.ion.m3 import M3Result, single_result
from ml_connector.singer.errors import safe_error_message


class M3HTTPError(RuntimeError):
    """A gateway-level failure (not an M3 business error); the message is safe to log."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def execute_url(
    base_url: str,
    program: str,
    transaction: str,
    *,
    maxrecs: int | None = None,
    cono: str | int | None = None,
    divi: str | None = None,
    returncols: list[str] | None = None,
) -> str:
    """`{base}/execute/PGM/TRN;maxrecs=N;cono=C;divi=D` — control parameters as matrix parameters."""
    matrix = ""
    if maxrecs is not None:
        matrix += f";maxrecs={int(maxrecs)}"
    if returncols:
        matrix += ";returncols=" + ",".join(returncols)
    if cono not in (None, ""):
        matrix += f";cono={quote(str(cono), safe='')}"
    if divi not in (None, ""):
        matrix += f";divi={quote(str(divi), safe='')}"
    return f"{base_url.rstrip('/')}/execute/{program}/{transaction}{matrix}"


class M3Client:
    """Calls single MI transactions; `read_only=False` turns off retries after a timeout (Adds are not idempotent)."""

    def __init__(
        self,
        base_url: str,
        authenticator: IonApiAuthenticator,
        *,
        pacer: RequestPacer | None = None,
        session: requests.Session | None = None,
        max_retries: int = 8,
        timeout: float = 60,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url
        self.authenticator = authenticator
        self.pacer = pacer or RequestPacer(None)
        self.session = session or requests.Session()
        self.max_retries = max_retries
        self.timeout = timeout
        self._sleep = sleep

    def execute(
        self,
        program: str,
        transaction: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        cono: str | int | None = None,
        divi: str | None = None,
        maxrecs: int | None = None,
        read_only: bool = True,
    ) -> M3Result:
        """Run one transaction; business errors stay in the returned `M3Result` (call `raise_for_error`)."""
        url = execute_url(self.base_url, program, transaction, maxrecs=maxrecs, cono=cono, divi=divi)
        params = {k: str(v) for k, v in (inputs or {}).items() if v is not None}
        response = self._send(url, params, read_only=read_only)
        return single_result(response.content, program, transaction)

    def _send(self, url: str, params: dict[str, str], *, read_only: bool) -> requests.Response:
        delays = backoff_delays()
        reauthenticated = False
        attempt = 0
        while True:
            attempt += 1
            self.pacer.wait()
            request = requests.Request("GET", url, params=params, headers={"Accept": "application/json"})
            prepared = self.authenticator(self.session.prepare_request(request))
            try:
                response = self.session.send(prepared, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not read_only or attempt > self.max_retries:
                    msg = f"M3 request failed: {type(exc).__name__} for GET {prepared.path_url.split('?')[0]}"
                    raise M3HTTPError(msg) from None
                self._sleep(next(delays))
                continue
            if response.status_code == 401 and not reauthenticated:
                reauthenticated = True
                self.authenticator.invalidate()
                continue
            if (
                response.status_code in RETRIABLE_STATUSES
                and attempt <= self.max_retries
                and (read_only or response.status_code == 429)
            ):
                wait = retry_after_seconds(response.headers) if response.status_code in (429, 503) else None
                if wait is not None:
                    self.pacer.push_back(wait)
                self._sleep(wait if wait is not None else next(delays))
                continue
            if response.status_code >= 400:
                raise M3HTTPError(safe_error_message(response), response.status_code)
            return response
