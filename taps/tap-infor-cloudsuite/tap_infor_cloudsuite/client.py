"""M3 stream bases: `M3ExportStream` (EXPORTMI/Select on a file) and `M3ListStream` (MI list transactions)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import requests
from ml_connector.ion import exportmi
from ml_connector.ion.client import execute_url
from ml_connector.ion.m3 import M3BusinessError, M3ResponseError, m3_date, single_result
from ml_connector.singer.rest import ResilientRESTStream
from singer_sdk.exceptions import FatalAPIError
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.streams.rest import HTTPRequest, PageContext
from typing_extensions import override

from tap_infor_cloudsuite.m3_files import M3File
from tap_infor_cloudsuite.paging import KeysetPaginator, PageTracker

if TYPE_CHECKING:
    from singer_sdk.authenticators import APIAuthenticatorBase
    from singer_sdk.helpers.types import Context

    from tap_infor_cloudsuite.tap import TapInforCloudSuite


class M3Stream(ResilientRESTStream[Any]):
    """Common to all M3 streams: ION auth and URL, LMDT increments, typed records, key-range paging."""

    file: ClassVar[M3File]
    replication_key = "LMDT"
    # Rows arrive in key order, not LMDT order. check_sorted stays True: with is_sorted False the SDK then
    # keeps the *maximum* LMDT as progress marker (check_sorted False would keep the last one seen).
    is_sorted = False
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.ROOT_ONLY
    credentials_hint = "the .ionapi client (ci/cs) and service account (saak/sask) and its M3 user"
    program: ClassVar[str]
    transaction: ClassVar[str]
    allow_partial_results: ClassVar[bool] = False

    def __init__(self, tap: TapInforCloudSuite) -> None:
        super().__init__(tap=tap, schema=self.file.schema())
        self.primary_keys = list(self.file.keys)
        self.path = (
            f"/execute/{self.program}/{self.transaction}"  # metrics endpoint tag; URLs are built below
        )
        self._tracker = PageTracker()

    @property
    def m3_tap(self) -> TapInforCloudSuite:
        return self._tap  # type: ignore[return-value]

    @property
    @override
    def url_base(self) -> str:
        return self.m3_tap.ion_credentials.m3_base_url

    @property
    @override
    def authenticator(self) -> APIAuthenticatorBase:
        return self.m3_tap.ion_authenticator

    @property
    @override
    def http_headers(self) -> dict[str, str]:
        return {"Accept": "application/json"}

    @property
    def page_size(self) -> int:
        return int(self.config.get("page_size", 1000))

    @override
    def get_new_paginator(self) -> KeysetPaginator:
        self._tracker = PageTracker()
        return KeysetPaginator(self._tracker)

    def start_day(self, context: Context | None) -> str | None:
        """First LMDT to read (ISO): the bookmark day minus the look-back, never before start_date."""
        state = self.get_context_state(context)
        bookmark = (
            state.get("replication_key_value")
            if state.get("replication_key") == self.replication_key
            else None
        )
        start = str(self.config["start_date"])[:10] if self.config.get("start_date") else None
        if not bookmark:
            return start
        day = datetime.date.fromisoformat(str(bookmark)[:10]) - datetime.timedelta(
            days=int(self.config.get("lookback_days", 1))
        )
        if start:
            day = max(day, datetime.date.fromisoformat(start))
        return day.isoformat()

    def execute_url(self, context: Context | None, **matrix: Any) -> str:
        cono = context.get("cono") if context else None
        return execute_url(self.url_base, self.program, self.transaction, cono=cono, **matrix)

    def m3_records(self, response: requests.Response) -> list[dict[str, str]]:
        """The page's raw MI records; business errors become fatal (a partial NOK too, unless allowed)."""
        try:
            result = single_result(response.content, self.program, self.transaction)
            result.raise_for_error(allow_partial=self.allow_partial_results)
        except (M3BusinessError, M3ResponseError) as exc:
            raise FatalAPIError(str(exc)) from None
        if result.error is not None:
            self.logger.warning("%s: accepting a partial result: %s", self.name, result.error)
        elif result.was_terminated:
            msg = f"M3 {self.program}/{self.transaction} was terminated by the server; the page may be incomplete"
            raise FatalAPIError(msg)
        return result.records

    def convert(self, row: dict[str, str]) -> dict[str, Any]:
        """M3 strings to typed values; fields not in the schema are dropped."""
        converters = self.file.converters
        return {name: converters[name](value) for name, value in row.items() if name in converters}

    def companies(self) -> list[dict[str, Any]]:
        """Configured companies, normalised by the tap (CONO and divisions as strings)."""
        return self.m3_tap.companies


class M3ExportStream(M3Stream):
    """A whole M3 file through EXPORTMI/Select, per company, LMDT-filtered, paged by key range."""

    program = exportmi.PROGRAM
    transaction = exportmi.TRANSACTION
    #: Extra fixed conditions on unprefixed columns, e.g. (("TRCD", 40), ("JSNO", 1)).
    conditions: ClassVar[tuple[tuple[str, Any], ...]] = ()
    #: Keep only the configured divisions (files carrying DIVI).
    restrict_to_divisions: ClassVar[bool] = False
    separator: ClassVar[str] = "|"

    @property
    @override
    def partitions(self) -> list[dict[str, Any]]:
        return [{"cono": company["cono"]} for company in self.companies()]

    def where(self, context: Context | None, after: tuple[Any, ...] | None) -> str:
        """Company, fixed conditions, divisions, LMDT from the start day, then the key range after `after`."""
        f, p = self.file, self.file.prefix
        cono = str(context["cono"]) if context else ""
        parts = [exportmi.compare(f"{p}CONO", "=", int(cono) if cono.isdigit() else cono)]
        parts += [exportmi.compare(f"{p}{col}", "=", value) for col, value in self.conditions]
        if self.restrict_to_divisions:
            parts.append(exportmi.any_of(f"{p}DIVI", self.m3_tap.divisions_of(cono)))
        if day := self.start_day(context):
            parts.append(exportmi.compare(f"{p}LMDT", ">=", int(m3_date(day))))
        if after is not None:
            parts.append(exportmi.keyset_after([f"{p}{k}" for k in f.keys[1:]], list(after)))
        return exportmi.all_of(parts)

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        context = page.stream_context
        qery = exportmi.build_select(
            self.file.name, self.file.prefix, self.file.columns, self.where(context, page.next_page_token)
        )
        return HTTPRequest(
            url=self.execute_url(context, maxrecs=self.page_size),
            headers=self.http_headers,
            params={"SEPC": self.separator, "HDRS": "1", "QERY": qery},
            safe_query_chars=",",
        )

    @override
    def parse_response(self, response: requests.Response) -> Iterator[dict[str, Any]]:
        raw = self.m3_records(response)
        # The header row may or may not count against maxrecs: treat either full shape as "more may follow".
        self._tracker.full = len(raw) >= self.page_size
        self._tracker.last_key = None
        names, rows = exportmi.read_repl(raw, prefix=self.file.prefix, separator=self.separator)
        converters = self.file.converters
        known = [(i, name, converters[name]) for i, name in enumerate(names) if name in converters]
        key_columns = self.file.keys[1:]
        record: dict[str, Any] | None = None
        for values in rows:  # one pass per row: no intermediate dict, no per-field lookups
            record = {name: convert(values[i]) for i, name, convert in known}
            yield record
        if record is not None:
            self._tracker.last_key = tuple(self.file.key_literal(k, record[k]) for k in key_columns)


class M3ListStream(M3Stream):
    """An MI list transaction per company and division, paged by its from-key, LMDT filtered client-side."""

    #: The input that starts the list at a key (inclusive) and the key column it pages on.
    from_key: ClassVar[str]

    @property
    @override
    def partitions(self) -> list[dict[str, Any]]:
        return [
            {"cono": company["cono"], "divi": divi}
            for company in self.companies()
            for divi in company.get("divisions", [])
        ]

    def inputs(self, context: Context | None) -> dict[str, Any]:
        """Transaction inputs besides the from-key."""
        return {}

    @override
    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        context = page.stream_context or {}
        params = {**self.inputs(context)}
        if page.next_page_token:
            params[self.from_key] = page.next_page_token[0]
        return HTTPRequest(
            url=self.execute_url(context, maxrecs=self.page_size, divi=context.get("divi")),
            headers=self.http_headers,
            params=params,
        )

    @override
    def parse_response(self, response: requests.Response) -> Iterator[dict[str, Any]]:
        raw = self.m3_records(response)
        after = self._tracker.last_key[0] if self._tracker.last_key else None
        self._tracker.full = len(raw) >= self.page_size
        if raw:
            self._tracker.last_key = (raw[-1].get(self.from_key, "").rstrip(),)
        for row in raw:
            if after is not None and row.get(self.from_key, "").rstrip() <= after:
                continue  # the from-key is inclusive: drop what the previous page already gave
            yield self.convert(row)

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Fill CONO/DIVI from the partition and apply the LMDT filter the transaction lacks."""
        day = self.start_day(context)
        cono = context.get("cono") if context else None
        divi = context.get("divi") if context else None
        for record in super().get_records(context):
            if record.get("CONO") is None:
                record["CONO"] = cono
            if not record.get("DIVI") and divi is not None:
                record["DIVI"] = divi
            if day and (record.get("LMDT") or "") < day:
                continue
            yield record
