"""Accounts payable from the AP ledger (FPLEDG) and its GL lines (FGLEDG).

An AP invoice is the FPLEDG row with TRCD 40 and JSNO 1; its lines are the FGLEDG rows with TRCD 40 of
the same CONO/DIVI/YEA4/JRNO; a payment is an FPLEDG row with TRCD 50.
"""

from __future__ import annotations

from tap_infor_cloudsuite import m3_files
from tap_infor_cloudsuite.client import M3ExportStream

TRCD_INVOICE = 40
TRCD_PAYMENT = 50


class SupplierInvoicesStream(M3ExportStream):
    name = "supplier_invoices"
    file = m3_files.FPLEDG
    conditions = (("TRCD", TRCD_INVOICE), ("JSNO", 1))
    restrict_to_divisions = True


class SupplierInvoiceLinesStream(M3ExportStream):
    name = "supplier_invoice_lines"
    file = m3_files.FGLEDG
    conditions = (("TRCD", TRCD_INVOICE),)
    restrict_to_divisions = True


class PaymentsStream(M3ExportStream):
    name = "payments"
    file = m3_files.FPLEDG
    conditions = (("TRCD", TRCD_PAYMENT),)
    restrict_to_divisions = True
