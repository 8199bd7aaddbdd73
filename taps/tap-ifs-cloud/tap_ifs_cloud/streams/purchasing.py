"""Purchase orders: headers (PurchaseOrderHandling) and lines (PurchaseOrderLineEntity on /int/).

Lines get their header's `OrderDate` as `order_date`: downstream a PO is keyed by number plus that date.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th
from typing_extensions import override

from tap_ifs_cloud import catalog
from tap_ifs_cloud.client import IFSStream
from tap_ifs_cloud.enrich import HEADER_DATES, document_key
from tap_ifs_cloud.streams.reference import LookupSource

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class PurchaseOrdersStream(LookupSource):
    spec = catalog.PURCHASE_ORDERS


class HeaderDateLines(IFSStream):
    """A line stream whose records carry their header's date (`date_property`), looked up by document key."""

    header_stream: str
    date_property: str

    @override
    def extra_properties(self) -> dict[str, Any]:
        return th.PropertiesList(
            th.Property(self.date_property, th.DateType,
                        description=f"{HEADER_DATES[self.header_stream][1]} of the line's header."),
        ).to_dict()["properties"]

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        keys, tap = HEADER_DATES[self.header_stream][0], self.ifs_tap
        for record in super().get_records(context):
            record[self.date_property] = tap.header_date(self.header_stream, document_key(record, keys))
            yield record


class PurchaseOrderLinesStream(HeaderDateLines):
    spec = catalog.PURCHASE_ORDER_LINES
    header_stream, date_property = "purchase_orders", "order_date"
