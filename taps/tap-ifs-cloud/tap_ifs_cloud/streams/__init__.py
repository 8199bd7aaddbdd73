"""Stream classes in sync order: reference data first, then purchasing, then payables."""

from __future__ import annotations

from tap_ifs_cloud.streams.payables import SupplierInvoiceLinesStream, SupplierInvoicesStream
from tap_ifs_cloud.streams.purchasing import PurchaseOrderLinesStream, PurchaseOrdersStream
from tap_ifs_cloud.streams.reference import CompaniesStream, CostCentersStream, GLAccountsStream, SuppliersStream

STREAM_TYPES = (
    CompaniesStream,
    SuppliersStream,
    GLAccountsStream,
    CostCentersStream,
    PurchaseOrdersStream,
    PurchaseOrderLinesStream,
    SupplierInvoicesStream,
    SupplierInvoiceLinesStream,
)

__all__ = ["STREAM_TYPES"]
