"""Purchase orders: headers (PurchaseOrderHandling) and lines (PurchaseOrderLineEntity on /int/)."""

from __future__ import annotations

from tap_ifs_cloud import catalog
from tap_ifs_cloud.client import IFSStream


class PurchaseOrdersStream(IFSStream):
    spec = catalog.PURCHASE_ORDERS


class PurchaseOrderLinesStream(IFSStream):
    spec = catalog.PURCHASE_ORDER_LINES
