"""Stream classes, in sync order: reference data first, then purchasing, payables and sales."""

from __future__ import annotations

from tap_infor_cloudsuite.streams.payables import (
    PaymentsStream,
    SupplierInvoiceLinesStream,
    SupplierInvoicesStream,
)
from tap_infor_cloudsuite.streams.purchasing import PurchaseOrderLinesStream, PurchaseOrdersStream
from tap_infor_cloudsuite.streams.reference import (
    CostCentersStream,
    GLAccountsStream,
    ItemsStream,
    SuppliersStream,
)
from tap_infor_cloudsuite.streams.sales import CustomersStream

STREAM_TYPES = (
    SuppliersStream,
    GLAccountsStream,
    CostCentersStream,
    CustomersStream,
    ItemsStream,
    PurchaseOrdersStream,
    PurchaseOrderLinesStream,
    SupplierInvoicesStream,
    SupplierInvoiceLinesStream,
    PaymentsStream,
)

__all__ = ["STREAM_TYPES"]
