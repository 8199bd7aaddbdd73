"""Supplier invoices and their lines, enriched before they are emitted.

Invoices get the supplier's name; lines get their cost center's description and whether it is active
(both null when the cost center is unknown, so the mapper can quarantine the line with a reason), and
their header's `InvoiceDate` as `invoice_date` (downstream an invoice is keyed by number plus that date).
Both get `po_order_date`, the `OrderDate` of the purchase order they reference (`PoRefNumber`): downstream a
PO is keyed by number plus that date, so an invoice can name its PO exactly for three-way matching.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th
from typing_extensions import override

from tap_ifs_cloud import catalog
from tap_ifs_cloud.streams.purchasing import HeaderDateLines
from tap_ifs_cloud.streams.reference import LookupSource

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


PO_ORDER_DATE = th.Property(
    "po_order_date", th.DateType,
    description="OrderDate of the purchase order named by PoRefNumber; null without one or when IFS has no such PO.",
)


def po_order_date(tap: Any, record: dict[str, Any]) -> Any:
    reference = record.get("PoRefNumber")
    return tap.header_date("purchase_orders", (str(reference),)) if reference not in (None, "") else None


class SupplierInvoicesStream(LookupSource):
    spec = catalog.SUPPLIER_INVOICES

    @override
    def extra_properties(self) -> dict[str, Any]:
        return th.PropertiesList(
            th.Property("supplier_name", th.StringType, description="Name of the supplier (Identity)."),
            PO_ORDER_DATE,
        ).to_dict()["properties"]

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        self.ifs_tap.ensure_lookup("suppliers")
        tap = self.ifs_tap
        for record in super().get_records(context):
            record["supplier_name"] = tap.lookups.supplier_name(record.get("Identity"))
            record["po_order_date"] = po_order_date(tap, record)
            yield record


class SupplierInvoiceLinesStream(HeaderDateLines):
    spec = catalog.SUPPLIER_INVOICE_LINES
    header_stream, date_property = "supplier_invoices", "invoice_date"

    @override
    def extra_properties(self) -> dict[str, Any]:
        return super().extra_properties() | th.PropertiesList(
            th.Property("cost_center_description", th.StringType, description="Description of the cost center."),
            th.Property("cost_center_active", th.BooleanType,
                        description="Cost center valid today; null when the cost center is unknown."),
            PO_ORDER_DATE,
        ).to_dict()["properties"]

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        self.ifs_tap.ensure_lookup("cost_centers")
        tap, code_field = self.ifs_tap, self.ifs_tap.cost_center_field
        for record in super().get_records(context):
            description, active = tap.lookups.cost_center(record.get("Company"), record.get(code_field))
            record["cost_center_description"], record["cost_center_active"] = description, active
            record["po_order_date"] = po_order_date(tap, record)
            yield record
