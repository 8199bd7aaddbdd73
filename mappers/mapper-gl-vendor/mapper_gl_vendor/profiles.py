"""Source profiles as data: which streams carry reference values and which fields of which
transactional streams must resolve. A new source (ifs_cloud, servicetitan, procurify) is a new entry.

Per profile:
- ``erp_source_prefix``: the prefix the target uses for this source's records (erp_source = PREFIX-company).
- ``company_field`` / ``division_field``: where a record says which company (and division) it belongs to.
- ``references``: stream -> dimension, value field, whether the value is per division, and an ``active``
  rule (``{"field": F, "equals": V}`` active when equal, ``{"field": F, "not_equals": V}`` active unless).
- ``documents``: header stream + line stream + the fields that identify one document in both.
- ``checks``: stream -> list of ``{"dimension", "field", "as", "required"}``; ``as`` is the added field.
"""

from __future__ import annotations

from typing import Any

GL_ACCOUNT = "gl_account"
COST_CENTER = "cost_center"
VENDOR = "vendor"
DIMENSIONS = (GL_ACCOUNT, COST_CENTER, VENDOR)

#: The documented fields the mapper adds to transactional records (the target stages these).
ADDED_FIELDS = {GL_ACCOUNT: "mlc_gl_account", COST_CENTER: "mlc_cost_center", VENDOR: "mlc_vendor"}

_LINE_CHECKS = [
    {"dimension": GL_ACCOUNT, "field": "AIT1", "as": ADDED_FIELDS[GL_ACCOUNT], "required": True},
    {"dimension": COST_CENTER, "field": "AIT2", "as": ADDED_FIELDS[COST_CENTER], "required": False},
]
_VENDOR_CHECK = [{"dimension": VENDOR, "field": "SUNO", "as": ADDED_FIELDS[VENDOR], "required": True}]

INFOR_M3: dict[str, Any] = {
    "erp_source_prefix": "M3",
    "company_field": "CONO",
    "division_field": "DIVI",
    "references": {
        "gl_accounts": {"dimension": GL_ACCOUNT, "field": "AITM", "per_division": True,
                        "active": {"field": "LCKD", "not_equals": "1"}},
        "cost_centers": {"dimension": COST_CENTER, "field": "AITM", "per_division": True,
                         "active": {"field": "LCKD", "not_equals": "1"}},
        "suppliers": {"dimension": VENDOR, "field": "SUNO", "per_division": False,
                      "active": {"field": "STAT", "equals": "20"}},
    },
    "documents": {
        "supplier_invoice": {"header": "supplier_invoices", "lines": "supplier_invoice_lines",
                             "key": ["CONO", "DIVI", "YEA4", "JRNO"]},
        "purchase_order": {"header": "purchase_orders", "lines": "purchase_order_lines",
                           "key": ["CONO", "PUNO"]},
    },
    "checks": {
        "supplier_invoices": _VENDOR_CHECK,
        "supplier_invoice_lines": _LINE_CHECKS,
        "purchase_orders": _VENDOR_CHECK,
        "purchase_order_lines": _LINE_CHECKS,
    },
}

# IFS Cloud (tap-ifs-cloud): GL accounts and cost centers (code part B) are per company, with no division
# level; suppliers are global in IFS, so the tap must run with suppliers_per_company (one record per company,
# like the target files them under IFS-<Company>). No `active` rule: IFS states validity as a date range
# (ValidFrom/ValidUntil, supplier Objstate) and posted documents keep referencing values that expired since;
# existence per company is what a document needs. Add a rule via profile_overrides to be stricter.
# IFS purchase order lines carry no posting codes, so only their header's supplier is checked.
_IFS_PER_COMPANY = {"per_division": False}
IFS_CLOUD: dict[str, Any] = {
    "erp_source_prefix": "IFS",
    "company_field": "Company",
    "division_field": "Company",
    "references": {
        "gl_accounts": {"dimension": GL_ACCOUNT, "field": "Account", **_IFS_PER_COMPANY},
        "cost_centers": {"dimension": COST_CENTER, "field": "CodeB", **_IFS_PER_COMPANY},
        "suppliers": {"dimension": VENDOR, "field": "SupplierId", **_IFS_PER_COMPANY},
    },
    "documents": {
        "supplier_invoice": {"header": "supplier_invoices", "lines": "supplier_invoice_lines",
                             "key": ["Company", "InvoiceId"]},
        "purchase_order": {"header": "purchase_orders", "lines": "purchase_order_lines", "key": ["OrderNo"]},
    },
    "checks": {
        "supplier_invoices": [{"dimension": VENDOR, "field": "Identity", "as": ADDED_FIELDS[VENDOR], "required": True}],
        "supplier_invoice_lines": [
            {"dimension": GL_ACCOUNT, "field": "Account", "as": ADDED_FIELDS[GL_ACCOUNT], "required": True},
            {"dimension": COST_CENTER, "field": "CodeB", "as": ADDED_FIELDS[COST_CENTER], "required": False},
        ],
        "purchase_orders": [{"dimension": VENDOR, "field": "VendorNo", "as": ADDED_FIELDS[VENDOR], "required": True}],
    },
}

PROFILES: dict[str, dict[str, Any]] = {"infor_m3": INFOR_M3, "ifs_cloud": IFS_CLOUD}
