"""ServiceNow REST client: Table API reads and Import Set writes, paced, retried and counted.

Retry policy (reference §7): 429/500/502/503/504 are retried; `Retry-After` is honoured exactly (no jitter on a
server-given wait); other waits are exponential with jitter. A 401 drops the token and re-sends once. Writes that
are not idempotent are never re-sent blindly after a 5xx or timeout: the caller gets `UncertainWriteError` and
checks first (import_multiple does, through its `recheck` hook).
"""

from __future__ import annotations

import http.cookiejar
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from ml_connector.http.pacing import RequestPacer
from ml_connector.http.retry import backoff_delays, retry_after_seconds
from ml_connector.servicenow.auth import Authenticator
from ml_connector.servicenow.errors import (
    ServiceNowAuthError,
    ServiceNowError,
    ServiceNowUnavailable,
    UncertainWriteError,
    error_from_response,
)
from ml_connector.servicenow.imports import ImportSetResult, RecheckFn, run_import_multiple, run_import_one
from ml_connector.servicenow.query import Query

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class TablePage:
    """One Table API page; `total` is X-Total-Count (counted before ACLs) when the instance sent it."""

    rows: list[dict[str, Any]]
    total: int | None


class ServiceNowClient:
    """One instance, one auth strategy, one cookie-less session (no per-session request serialisation)."""

    def __init__(
        self,
        instance_url: str,
        auth: Authenticator,
        *,
        requests_per_minute: float | None = None,
        timeout: float = 60.0,
        max_attempts: int = 8,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.instance_url = instance_url.rstrip("/")
        self.auth = auth
        self.session = session or requests.Session()
        # cookies would pin every request to one node session, where the instance serialises them
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self.pacer = RequestPacer(requests_per_minute)
        self.timeout = timeout
        self.max_attempts = max_attempts
        self._sleep = sleep
        self._rng = rng
        self.counters: Counter[str] = Counter()

    # -- plumbing -------------------------------------------------------------------------------

    @property
    def reads(self) -> int:
        return self.counters["reads"]

    @property
    def writes(self) -> int:
        return self.counters["writes"]

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> requests.Response:
        """Send with pacing, retries and one re-auth; raise a ServiceNowError subclass on failure."""
        method = method.upper()
        if idempotent is None:
            idempotent = method not in ("POST", "PATCH")
        url = path if path.startswith("http") else f"{self.instance_url}{path}"
        delays = backoff_delays(base=1.0, cap=60.0, rng=self._rng)
        reauthenticated = False
        attempt = 0
        while True:
            attempt += 1
            self.pacer.wait()
            headers = {"Accept": "application/json", **self.auth.headers()}
            self.counters["writes" if method in _WRITE_METHODS else "reads"] += 1
            try:
                response = self.session.request(
                    method, url, params=params, json=json, headers=headers, timeout=self.timeout
                )
            except requests.ConnectTimeout as exc:
                self._give_up_or_wait(attempt, next(delays), f"connect timeout to {self.instance_url}: {exc}")
                continue
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not idempotent:
                    raise UncertainWriteError(None, f"{method} {path} failed in flight: {type(exc).__name__}") from exc
                self._give_up_or_wait(attempt, next(delays), f"{self.instance_url} unreachable: {exc}")
                continue
            status = response.status_code
            if status == 401:
                if reauthenticated or self.auth.method == "basic":
                    raise self._auth_failure(response)
                # the request was refused before processing, so re-sending even a POST is safe
                self.counters["reauth"] += 1
                self.auth.invalidate()
                reauthenticated = True
                continue
            if status == 429:
                server_wait = retry_after_seconds(response.headers)
                self._give_up_or_wait(
                    attempt,
                    server_wait if server_wait is not None else next(delays),
                    f"rate limited by {self.instance_url}",
                    response,
                )
                continue
            if status in RETRY_STATUSES:
                if not idempotent:
                    raise error_from_response(response, UncertainWriteError)
                self._give_up_or_wait(attempt, next(delays), f"{self.instance_url} answered {status}", response)
                continue
            if status >= 400:
                raise error_from_response(response)
            return response

    def _give_up_or_wait(
        self, attempt: int, wait: float, reason: str, response: requests.Response | None = None
    ) -> None:
        if attempt >= self.max_attempts:
            if response is not None:
                error = error_from_response(response, ServiceNowUnavailable)
                error.args = (f"{reason} after {attempt} attempts: {error.args[0]}",)
                raise error
            raise ServiceNowUnavailable(None, f"{reason} (after {attempt} attempts)")
        self.counters["retries"] += 1
        logger.info("%s; retry %d in %.1fs", reason, attempt, wait)
        self._sleep(wait)

    def _auth_failure(self, response: requests.Response) -> ServiceNowAuthError:
        base = error_from_response(response)
        if self.auth.method == "basic":
            hint = "ServiceNow rejected Basic auth: check username/password and that the user is active"
        else:
            hint = (
                "ServiceNow still answers 401 with a fresh OAuth token: check the OAuth client "
                "(client_id/client_secret), its OAuth Application User and that user's roles"
            )
        return ServiceNowAuthError(401, f"{hint} ({base.message})", base.detail)

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        response = self.request("GET", path, params=params)
        try:
            return response.json()
        except ValueError as exc:
            raise ServiceNowError(response.status_code, f"non-JSON answer from {path}") from exc

    # -- Table API ----------------------------------------------------------------------------

    def get_table_page(
        self,
        table: str,
        query: Query | str = "",
        fields: Sequence[str] | None = None,
        *,
        limit: int = 1000,
        offset: int = 0,
        count: bool = False,
        display_value: bool | str = False,
    ) -> TablePage:
        """One GET on /api/now/table/{table} with reference links stripped and (by default) no count."""
        params: dict[str, Any] = {
            "sysparm_limit": limit,
            "sysparm_exclude_reference_link": "true",
            "sysparm_display_value": str(display_value).lower(),
        }
        query_text = str(query)
        if query_text:
            params["sysparm_query"] = query_text
        if fields:
            params["sysparm_fields"] = ",".join(dict.fromkeys(fields))
        if offset:
            params["sysparm_offset"] = offset
        if not count:
            params["sysparm_no_count"] = "true"
        response = self.request("GET", f"/api/now/table/{table}", params=params)
        body = response.json()
        rows = body.get("result") or []
        total_header = response.headers.get("X-Total-Count")
        total = int(total_header) if total_header and total_header.isdigit() else None
        return TablePage(rows=list(rows), total=total)

    def iter_table(
        self, table: str, query: Query | str = "", fields: Sequence[str] | None = None, page_size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every row, keyset-paged on sys_id; stops only on an empty page because ACLs make short ones."""
        base = str(query)
        if "ORDERBY" in base or "^NQ" in base:
            raise ValueError("iter_table orders by sys_id itself; pass a query without ORDERBY or ^NQ")
        wanted = list(fields or [])
        if wanted and "sys_id" not in wanted:
            wanted.append("sys_id")
        last: str | None = None
        offset = 0
        while True:
            parts = [p for p in (base, f"sys_id>{last}" if last else "") if p]
            page = self.get_table_page(
                table, "^".join([*parts, "ORDERBYsys_id"]), wanted or None, limit=page_size, offset=offset
            )
            if not page.rows:
                return
            keyed = [row for row in page.rows if row.get("sys_id")]
            yield from (row for row in page.rows if row)
            if keyed:
                last, offset = str(keyed[-1]["sys_id"]), 0
            else:
                offset += len(page.rows)  # a page of ACL-blanked rows: step over it

    def find_rows(
        self, table: str, query: Query | str, fields: Sequence[str], *, expected: int = 0
    ) -> list[dict[str, Any]]:
        """Rows of a bounded lookup in (usually) one request: one page sized to the expectation, and more
        pages only when X-Total-Count (counted before ACLs) says the first did not hold everything."""
        limit = min(max(expected * 2 + 10, 100), 10000)
        first = self.get_table_page(table, query, fields, limit=limit, count=True)
        if first.total is not None and first.total <= limit:
            return [row for row in first.rows if row]
        if first.total is None and len(first.rows) < limit:
            return [row for row in first.rows if row]
        return list(self.iter_table(table, query, fields, page_size=1000))

    # -- Import Set API ---------------------------------------------------------------------------

    def import_multiple(
        self,
        staging_table: str,
        records: Sequence[Mapping[str, str]],
        *,
        recheck: RecheckFn | None = None,
        poll_timeout: float = 60.0,
        chunk_size: int | None = None,
    ) -> ImportSetResult:
        """insertMultiple per chunk of `chunk_size` + per-row results in input order (see imports.py)."""
        return run_import_multiple(
            self, staging_table, records, recheck=recheck, poll_timeout=poll_timeout, chunk_size=chunk_size
        )

    def import_one(self, staging_table: str, record: Mapping[str, str]) -> ImportSetResult:
        """Single-row import, transformed synchronously."""
        return run_import_one(self, staging_table, record)

    def sleep(self, seconds: float) -> None:
        self._sleep(seconds)
