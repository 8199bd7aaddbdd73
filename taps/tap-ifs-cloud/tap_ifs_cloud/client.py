"""`IFSStream`: one OData entity set as a Singer stream — URL, query, paging, increments, typed records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec
import requests
from ml_connector.singer.rest import ResilientRESTStream
from singer_sdk.exceptions import FatalAPIError
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.streams.rest import PageContext
from typing_extensions import override

from tap_ifs_cloud import odata
from tap_ifs_cloud.catalog import BUSINESS_DATE, CHANGE_TIMESTAMP, DEC, MAX_PAGE_SIZE, StreamSpec
from tap_ifs_cloud.paging import ODataPaginator, PageTracker
from tap_ifs_cloud.stream_config import ResolvedStream, resolve, schema_for

if TYPE_CHECKING:
    from singer_sdk.authenticators import APIAuthenticatorBase
    from singer_sdk.helpers.types import Context

    from tap_ifs_cloud.tap import TapIFSCloud

ETAG_FIELD = "odata_etag"
_DECODER = msgspec.json.Decoder(float_hook=Decimal)  # amounts stay exact: IFS decimals have scale up to 65


class IFSStream(ResilientRESTStream[Any]):
    """Common to every IFS stream; subclasses only name their `spec` (and may enrich records)."""

    spec: ClassVar[StreamSpec]
    is_sorted = False  # rows come in key order, not change order
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.ROOT_ONLY
    credentials_hint = "the IAM client id/secret and realm, and the permission sets of its service user"

    def __init__(self, tap: TapIFSCloud) -> None:
        self.ifs: ResolvedStream = resolve(self.spec, tap.config)
        super().__init__(tap=tap, name=self.spec.name, schema=schema_for(self.ifs, self.extra_properties()))
        self.primary_keys = list(self.ifs.keys)
        self.replication_key = self.ifs.replication_key  # type: ignore[assignment]
        self.path = self.ifs.path
        self._tracker = PageTracker()
        self._full_read = False  # set while a lookup is loaded outside the stream's own sync

    def extra_properties(self) -> dict[str, Any]:
        """JSON-schema properties a subclass adds (enrichment)."""
        return {}

    @property
    def ifs_tap(self) -> TapIFSCloud:
        return self._tap  # type: ignore[return-value]

    @property
    @override
    def url_base(self) -> str:
        return self.ifs_tap.base_url

    @property
    @override
    def authenticator(self) -> APIAuthenticatorBase:
        return self.ifs_tap.authenticator

    @property
    def page_size(self) -> int:
        return min(int(self.config.get("page_size", MAX_PAGE_SIZE)), MAX_PAGE_SIZE)

    @property
    def client_paging(self) -> bool:
        return self.config.get("paging_mode", "client") == "client"

    @property
    @override
    def partitions(self) -> list[dict[str, Any]] | None:
        if not self.ifs.company_field:
            return None
        # Keyed by the company property itself, so the SDK's context-into-record step adds nothing new.
        return [{self.ifs.company_field: str(c)} for c in self.ifs_tap.companies]

    def partition_id(self, context: Context | None) -> str:
        return str(context[self.ifs.company_field]) if context and self.ifs.company_field else ""

    def partition_ids(self) -> list[str]:
        return [self.partition_id(p) for p in self.partitions or [None]]

    @override
    def get_new_paginator(self) -> ODataPaginator:
        self._tracker = PageTracker()
        return ODataPaginator(self._tracker, self.page_size, client_paging=self.client_paging)

    def selected_properties(self) -> list[str]:
        """$select: the catalog's selected IFS properties, keys and replication key always included."""
        if self._full_read:  # a lookup load needs the fields the enrichment reads, selected or not
            return list(self.ifs.fields)
        always = {*self.ifs.keys, *([self.replication_key] if self.replication_key else [])}
        return [p for p in self.ifs.fields if p in always or self.mask.get(("properties", p), True)]

    def filter_conditions(self, context: Context | None) -> list[str]:
        conditions = []
        if context and self.ifs.company_field:
            conditions.append(odata.eq(self.ifs.company_field, context[self.ifs.company_field]))
        if self.replication_key and not self._full_read:
            conditions.append(self.increment_condition(context))
        return [c for c in conditions if c]

    def increment_condition(self, context: Context | None) -> str:
        """`Rowversion gt <bookmark - look-back>` or, in the fallback, `InvoiceDate ge <bookmark - days>`."""
        state = self.get_context_state(context)
        bookmark = state.get("replication_key_value") if state.get("replication_key") == self.replication_key else None
        start = self.config.get("start_date")
        field = self.replication_key
        if self.ifs.mode == CHANGE_TIMESTAMP:
            if bookmark:
                since = _parse_ts(bookmark) - dt.timedelta(seconds=int(self.config.get("change_lookback_seconds", 60)))
                return f"{field} gt {odata.timestamp_literal(since)}"
            return f"{field} ge {odata.timestamp_literal(start)}" if start else ""
        if self.ifs.mode == BUSINESS_DATE:
            day = None
            if bookmark:
                day = dt.date.fromisoformat(str(bookmark)[:10]) - dt.timedelta(days=int(self.config.get("lookback_days", 3)))
            if start:
                first = dt.date.fromisoformat(str(start)[:10])
                day = max(day, first) if day else first
            return f"{field} ge {odata.date_literal(day)}" if day else ""
        return ""

    @override
    def get_http_request(self, *, page: PageContext) -> odata.ODataRequest:
        headers = {"Accept": "application/json"}
        if not self.client_paging:
            headers["Prefer"] = f"odata.maxpagesize={self.page_size}"
        token = page.next_page_token
        if token is not None and token.next_link:
            return odata.ODataRequest(url=token.next_link, headers=headers)
        params: dict[str, Any] = {
            "$select": odata.select(self.selected_properties()),
            "$filter": odata.all_of(self.filter_conditions(page.stream_context)),
            "$orderby": ",".join(self.ifs.keys),  # IFS: order when paging, or pages may overlap
        }
        if self.client_paging:
            params["$top"] = self.page_size
            params["$skip"] = token.skip if token else 0
        return odata.ODataRequest(url=self.get_url(page.stream_context), headers=headers, params=params)

    @override
    def parse_response(self, response: requests.Response) -> Iterator[dict[str, Any]]:
        try:
            payload = _DECODER.decode(response.content)
            rows = payload["value"]
        except (msgspec.DecodeError, KeyError, TypeError):
            raise FatalAPIError(f"{self.name}: the response is not an OData collection") from None
        self._tracker.rows = len(rows)
        self._tracker.next_link = payload.get("@odata.nextLink")
        wanted, decimals = self.ifs.fields, self.ifs.decimal_fields
        for row in rows:
            record = {name: row.get(name) for name in wanted}
            for name in decimals:
                value = record[name]
                if value is not None and not isinstance(value, Decimal):
                    record[name] = Decimal(value)
            record[ETAG_FIELD] = row.get("@odata.etag")
            yield record

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        yield from super().get_records(context)
        self.partition_done(context)

    def partition_done(self, context: Context | None) -> None:
        """Called once a partition was read to its end (not after a record limit cut it short)."""


def _parse_ts(value: Any) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


__all__ = ["DEC", "ETAG_FIELD", "IFSStream"]
