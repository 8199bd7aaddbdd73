"""Purchase orders: heads (MPHEAD) and lines (MPLINE), restricted to the configured divisions."""

from __future__ import annotations

from tap_infor_cloudsuite import m3_files
from tap_infor_cloudsuite.client import M3ExportStream


class PurchaseOrdersStream(M3ExportStream):
    name = "purchase_orders"
    file = m3_files.MPHEAD
    restrict_to_divisions = True


class PurchaseOrderLinesStream(M3ExportStream):
    name = "purchase_order_lines"
    file = m3_files.MPLINE
    restrict_to_divisions = True
