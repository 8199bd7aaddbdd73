"""Mapping profiles as data: per source ERP and stream, the staging table it loads and which source field
feeds each staging column.

Only the per-source choices live here; what the instance does with a staging table (target table, coalesce
keys, load rank, how its transform writes each column) is the same for every source, so it lives once in
staging.py and `_profile` joins the two into the dict mapping.py reads. A profile may map a subset of a
staging table's columns; a column the table does not know fails at import rather than at load time.
Field specs: `"SUNM"` copies a source field; dicts use a kind from converters.SPEC_KINDS.
"""

from __future__ import annotations

import copy
from typing import Any

from target_servicenow_s2p.staging import STAGING_TABLES


class ProfileError(ValueError):
    """A profile maps onto a staging table or column the instance does not have."""


def _profile(staging_table: str, fields: dict[str, Any]) -> dict[str, Any]:
    """One stream's profile: its field specs plus the staging table's facts, `target_fields` in field order.

    Staging facts are copied so no two profiles share a mutable list or dict.
    """
    table = STAGING_TABLES.get(staging_table)
    if table is None:
        raise ProfileError(f"unknown staging table {staging_table!r}; known: {sorted(STAGING_TABLES)}")
    transform = table["transform"]
    unknown = [column for column in fields if column not in transform]
    if unknown:
        raise ProfileError(
            f"staging table {staging_table!r} has no column(s) {unknown}; staging.py knows {list(transform)}"
        )
    return {
        "rank": table["rank"],
        "staging_table": staging_table,
        "target_table": table["target_table"],
        "key_columns": list(table["key_columns"]),
        "fields": dict(fields),
        "target_fields": {column: copy.deepcopy(transform[column]) for column in fields},
    }


ERP = {"as": "erp_source"}
M3_VOUCHER = {"template": "{DIVI}-{YEA4}-{JRNO}"}
# codes the GL/vendor mapper resolved (and added as mlc_*) win over the raw source codes
VENDOR = {"as": "first", "fields": ["mlc_vendor", "SUNO"]}
GL_ACCOUNT = {"as": "first", "fields": ["mlc_gl_account", "AIT1"]}
COST_CENTER = {"as": "first", "fields": ["mlc_cost_center", "AIT2"]}


INFOR_M3: dict[str, dict[str, Any]] = {
    "suppliers": _profile("sn_fcms_intg_imp_supplier", {
        "erp_company_code": {"as": "text", "field": "SUNO", "required": True},
        "erp_source": ERP,
        "legal_name": "SUNM",
        "tax_id": "VRNO",
        "country": "CSCD",
        "city": "TOWN",
        "street_address": "ADR1",
        "state_province": "ECAR",
        "zip": "PONO",
        "payment_term": "TEPY",
        "currency": "CUCD",
        "status": {"as": "choice", "field": "STAT", "equals": "20", "then": "active", "else": "inactive"},
        "legal_entities": "CONO",
    }),
    "gl_accounts": _profile("sn_fcms_intg_gl_account_stage", {
        "gl_account": {"as": "text", "field": "AITM", "required": True},
        "account_name": "TX40",
        "short_description": "TX15",
        "entity": {"as": "text", "field": "DIVI", "required": True},
        "erp_source": ERP,
        "inactive": {"as": "choice", "field": "LCKD", "equals": "1", "then": "true", "else": "false"},
    }),
    "cost_centers": _profile("sn_fcms_intg_imp_cost_center", {
        "code": {"as": "text", "field": "AITM", "required": True},
        "name": "TX40",
        "account_number": "AITM",
        "legal_entity": {"as": "text", "field": "DIVI", "required": True},
        "erp_source": ERP,
        "status": {"as": "choice", "field": "LCKD", "equals": "1", "then": "inactive", "else": "active"},
    }),
    "purchase_orders": _profile("sn_fcms_intg_imp_order", {
        "erp_number": {"as": "text", "field": "PUNO", "required": True},
        "erp_source": ERP,
        "supplier": VENDOR,
        "legal_entity": "DIVI",
        "order_date": {"as": "date", "field": "PUDT"},
        "expected_delivery": {"as": "date", "field": "DWDT"},
        "currency": "CUCD",
        "total_amount": {"as": "number", "field": "NTAM"},
        "status": "PUST",
        "buyer": "BUYE",
        "purchase_order_type": "ORTY",
        "payment_term": "TEPY",
    }),
    "purchase_order_lines": _profile("sn_fcms_intg_imp_order_line", {
        "erp_number": {"as": "text", "field": "PUNO", "required": True},
        "erp_line_number": {"as": "line_number", "field": "PNLI", "sub": "PNLS"},
        "erp_source": ERP,
        "sku": "ITNO",
        "short_description": "PITD",
        "quantity": {"as": "number", "field": "ORQA"},
        "unit_price": {"as": "number", "field": "PUPR"},
        "total_line_amount": {"as": "number", "field": "LNAM"},
        "uom": "PUUN",
        "expected_delivery_date": {"as": "date", "field": "DWDT"},
        "status": "PUST",
        "gl_account": GL_ACCOUNT,
        "cost_center": COST_CENTER,
    }),
    "supplier_invoices": _profile("sn_spend_intg_imp_invoice", {
        "u_external_invoice_number": M3_VOUCHER,
        "u_erp_source": ERP,
        "u_supplier": VENDOR,
        "u_supplier_invoice_number": "SINO",
        "u_invoice_date": {"as": "date", "field": "IVDT"},
        "u_due_date": {"as": "date", "field": "DUDT"},
        "u_purchase_order": "PUNO",
        "u_currency": "CUCD",
        "u_subtotal": {"as": "difference", "fields": ["CUAM", "VTAM"]},
        "u_tax_amount": {"as": "number", "field": "VTAM"},
        "u_amount_invoiced": {"as": "number", "field": "CUAM", "required": True},
        "u_legal_entity": "DIVI",
        "u_erp_number": {"template": "{VSER}{VONO}"},
        "u_invoice_type": {"as": "sign", "field": "CUAM", "negative": "credit_note", "else": "invoice"},
    }),
    "supplier_invoice_lines": _profile("sn_spend_intg_imp_invoice_line", {
        "u_external_invoice_number": M3_VOUCHER,
        "u_line_number": {"as": "text", "field": "JSNO", "required": True},
        "u_erp_source": ERP,
        "u_line_description": "VTXT",
        "u_line_quantity": {"as": "number", "field": "IVQA"},
        "u_line_unit_price": {"as": "ratio", "fields": ["CUAM", "IVQA"], "places": 6},
        "u_line_amount": {"as": "number", "field": "CUAM", "required": True},
        "u_purchase_order": "PUNO",
        "u_purchase_order_line": "PNLI",
        "u_cost_center": COST_CENTER,
        "u_gl_account": GL_ACCOUNT,
        "u_tax_code": "VTCD",
        "u_currency": "CUCD",
    }),
    "payments": _profile("sn_spend_intg_imp_invoice_payment_detail", {
        "u_external_payment_number": {"template": "{DIVI}-{YEA4}-{JRNO}-{JSNO}"},
        "u_erp_source": ERP,
        # M3 payments carry the paid invoice's SUNO + SINO, not its voucher: the link stays empty
        "u_external_invoice_number": {"const": ""},
        "u_supplier": "SUNO",
        "u_payment_date": {"as": "date", "field": "ACDT"},
        "u_payment_amount": {"as": "number", "field": "CUAM", "required": True},
        "u_currency": "CUCD",
        "u_payment_reference": "SINO",
    }),
}

# -- IFS Cloud (tap-ifs-cloud records: IFS property names, plus the tap's enrichment fields) -------------
# IFS is its own ERP source: erp_source = <prefix, IFS>-<Company>. A document's dedup key is its number plus
# its creation date (the header date: IFS numbers may repeat across series and years), carried in the
# external number since the staging tables' key columns are fixed; lines sit under their header's key (the
# tap copies the header date onto each line as invoice_date / order_date).
IFS_ERP = {"as": "erp_source", "field": "Company"}
IFS_INVOICE_KEY = {"template": "{Company}-{InvoiceId}-{InvoiceDate}"}
IFS_INVOICE_LINE_KEY = {"template": "{Company}-{InvoiceId}-{invoice_date}"}
IFS_ORDER_KEY = {"template": "{OrderNo}-{OrderDate}"}
IFS_ORDER_LINE_KEY = {"template": "{OrderNo}-{order_date}"}
#: an invoice names its PO by the PO's key (number + order date, from tap-ifs-cloud's po_order_date)
IFS_INVOICE_PO = {"template": "{PoRefNumber}-{po_order_date}", "fallback": "PoRefNumber"}
IFS_VENDOR = {"as": "first", "fields": ["mlc_vendor", "Identity"]}
IFS_ORDER_VENDOR = {"as": "first", "fields": ["mlc_vendor", "VendorNo"]}
IFS_GL_ACCOUNT = {"as": "first", "fields": ["mlc_gl_account", "Account"]}
IFS_COST_CENTER = {"as": "first", "fields": ["mlc_cost_center", "CodeB"]}
IFS_VALID = {"as": "valid_today", "fields": ["ValidFrom", "ValidUntil"]}

IFS_CLOUD: dict[str, dict[str, Any]] = {
    # needs the tap's suppliers_per_company: an IFS supplier is global
    "suppliers": _profile("sn_fcms_intg_imp_supplier", {
        "erp_company_code": {"as": "text", "field": "SupplierId", "required": True},
        "erp_source": IFS_ERP,
        "legal_name": "Name",
        "country": "Country",
        "status": {
            "as": "choice", "field": "Objstate", "equals": "Active", "then": "active", "else": "inactive",
        },
        "legal_entities": "Company",
    }),
    "gl_accounts": _profile("sn_fcms_intg_gl_account_stage", {
        "gl_account": {"as": "text", "field": "Account", "required": True},
        "account_name": "Description",
        "short_description": "AccntGroup",
        "entity": {"as": "text", "field": "Company", "required": True},
        "erp_source": IFS_ERP,
        "inactive": {**IFS_VALID, "then": "false", "else": "true"},
    }),
    "cost_centers": _profile("sn_fcms_intg_imp_cost_center", {
        "code": {"as": "text", "field": "CodeB", "required": True},
        "name": "Description",
        "account_number": "CodeB",
        "legal_entity": {"as": "text", "field": "Company", "required": True},
        "erp_source": IFS_ERP,
        "status": {**IFS_VALID, "then": "active", "else": "inactive"},
    }),
    "purchase_orders": _profile("sn_fcms_intg_imp_order", {
        "erp_number": IFS_ORDER_KEY,
        "erp_source": IFS_ERP,
        "supplier": IFS_ORDER_VENDOR,
        "legal_entity": "Company",
        "order_date": {"as": "date", "field": "OrderDate"},
        "expected_delivery": {"as": "date", "field": "WantedReceiptDate"},
        "currency": "CurrencyCode",
        "status": "Objstate",
        "buyer": "BuyerCode",
    }),
    "purchase_order_lines": _profile("sn_fcms_intg_imp_order_line", {
        "erp_number": IFS_ORDER_LINE_KEY,
        "erp_line_number": {"as": "line_number", "field": "LineNo", "sub": "ReleaseNo"},
        "erp_source": IFS_ERP,
        "sku": "PartNo",
        "short_description": "Description",
        "quantity": {"as": "number", "field": "BuyQtyDue"},
        "unit_price": {"as": "number", "field": "BuyUnitPrice"},
        "total_line_amount": {"as": "number", "field": "NetAmtCurr"},
        "uom": "BuyUnitMeas",
        "expected_delivery_date": {"as": "date", "field": "WantedDeliveryDate"},
        "status": "Objstate",
    }),
    "supplier_invoices": _profile("sn_spend_intg_imp_invoice", {
        "u_external_invoice_number": IFS_INVOICE_KEY,
        "u_erp_source": IFS_ERP,
        "u_supplier": IFS_VENDOR,
        "u_supplier_invoice_number": "InvoiceNo",
        "u_invoice_date": {"as": "date", "field": "InvoiceDate"},
        "u_due_date": {"as": "date", "field": "DueDate"},
        "u_purchase_order": IFS_INVOICE_PO,
        "u_currency": "Currency",
        "u_subtotal": {"as": "number", "field": "NetCurrAmount"},
        "u_tax_amount": {"as": "number", "field": "VatCurrAmount"},
        "u_amount_invoiced": {"as": "number", "field": "GrossCurrAmount", "required": True},
        "u_legal_entity": "Company",
        "u_erp_number": {"template": "{SeriesId}{InvoiceId}"},
        "u_invoice_type": {
            "as": "sign", "field": "GrossCurrAmount", "negative": "credit_note", "else": "invoice",
        },
    }),
    "supplier_invoice_lines": _profile("sn_spend_intg_imp_invoice_line", {
        "u_external_invoice_number": IFS_INVOICE_LINE_KEY,
        "u_line_number": {"as": "text", "field": "ItemId", "required": True},
        "u_erp_source": IFS_ERP,
        "u_line_description": "Text",
        "u_line_quantity": {"as": "number", "field": "Quantity"},
        "u_line_unit_price": {"as": "ratio", "fields": ["NetCurrAmount", "Quantity"], "places": 6},
        "u_line_amount": {"as": "number", "field": "NetCurrAmount", "required": True},
        "u_purchase_order": IFS_INVOICE_PO,
        "u_purchase_order_line": "PoLineNo",
        "u_cost_center": IFS_COST_CENTER,
        "u_gl_account": IFS_GL_ACCOUNT,
        "u_tax_code": "VatCode",
        "u_currency": "Currency",
    }),
}

PROFILES: dict[str, dict[str, dict[str, Any]]] = {"infor_m3": INFOR_M3, "ifs_cloud": IFS_CLOUD}
