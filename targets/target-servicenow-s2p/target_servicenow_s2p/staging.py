"""The ServiceNow instance's staging tables as data: where each one's transform writes, its coalesce keys,
its load rank, and how the transform stores each staging column in the target table.

These are facts about the instance, not about any ERP: every source profile (profiles.py) that loads a
staging table shares them, so they live here once and a profile only says which source field feeds which
staging column.

`rank` orders loading (headers before their lines, invoices before payments). `key_columns` are the
staging columns the transform coalesces on. `transform` maps a staging column to its target spec:
`"column"` (same value), `{"column": c, "true_when": v}` (boolean written from a choice) or a dot-walked
reference (`"supplier.erp_number"`) compared with the staging value; mapping.py uses it to recognise rows
already in the target table.
"""

from __future__ import annotations

from typing import Any, TypedDict


class StagingTable(TypedDict):
    """One staging table: its transform's target table, coalesce keys, load rank and column targets."""

    target_table: str
    key_columns: tuple[str, ...]
    rank: int
    transform: dict[str, Any]


# the transform writes a choice column ("active"/"inactive") into a boolean
ACTIVE = {"column": "active", "true_when": "active"}

STAGING_TABLES: dict[str, StagingTable] = {
    "sn_fcms_intg_imp_supplier": {
        "target_table": "sn_fin_supplier",
        "key_columns": ("erp_company_code", "erp_source"),
        "rank": 0,
        "transform": {
            "erp_company_code": "erp_number",
            "erp_source": "erp_source",
            "legal_name": "legal_name",
            "tax_id": "tax_id",
            "country": "registration_country",
            "city": "city",
            "street_address": "street_address",
            "state_province": "state_province",
            "zip": "zip",
            "payment_term": "payment_term",
            "currency": "currency",
            "status": ACTIVE,
            "legal_entities": "legal_entities",
        },
    },
    "sn_fcms_intg_gl_account_stage": {
        "target_table": "sn_fin_gl_account",
        "key_columns": ("gl_account", "erp_source", "entity"),
        "rank": 0,
        "transform": {
            "gl_account": "gl_account",
            "account_name": "display_name",
            "short_description": "short_description",
            "entity": "legal_entity",
            "erp_source": "erp_source",
            "inactive": "inactive",
        },
    },
    "sn_fcms_intg_imp_cost_center": {
        "target_table": "cmn_cost_center",
        "key_columns": ("code", "erp_source", "legal_entity"),
        "rank": 0,
        "transform": {
            "code": "code",
            "name": "name",
            "account_number": "account_number",
            "legal_entity": "legal_entity",
            "erp_source": "erp_source",
            "status": ACTIVE,
        },
    },
    "sn_fcms_intg_imp_order": {
        "target_table": "sn_shop_purchase_order",
        "key_columns": ("erp_number", "erp_source"),
        "rank": 1,
        "transform": {
            "erp_number": "erp_number",
            "erp_source": "erp_source",
            "supplier": "supplier.erp_number",
            "legal_entity": "legal_entity",
            "order_date": "ordered",
            "expected_delivery": "expected_delivery",
            "currency": "currency",
            "total_amount": "total_amount",
            "status": "status",
            "buyer": "buyer",
            "purchase_order_type": "purchase_order_type",
            "payment_term": "payment_term",
        },
    },
    "sn_fcms_intg_imp_order_line": {
        "target_table": "sn_shop_purchase_order_line",
        "key_columns": ("erp_number", "erp_line_number", "erp_source"),
        "rank": 2,
        "transform": {
            "erp_number": "erp_number",
            "erp_line_number": "erp_line_number",
            "erp_source": "erp_source",
            "sku": "sku",
            "short_description": "short_description",
            "quantity": "total_individual_units",
            "unit_price": "individual_unit_cost",
            "total_line_amount": "total_line_amount",
            "uom": "uom",
            "expected_delivery_date": "expected_delivery_date",
            "status": "state",
            "gl_account": "general_ledger_account",
            "cost_center": "cost_center",
        },
    },
    "sn_spend_intg_imp_invoice": {
        "target_table": "sn_shop_invoice",
        "key_columns": ("u_external_invoice_number", "u_erp_source"),
        "rank": 1,
        "transform": {
            "u_external_invoice_number": "external_invoice_number",
            "u_erp_source": "erp_source",
            "u_supplier": "supplier.erp_number",
            "u_supplier_invoice_number": "supplier_invoice_number",
            "u_invoice_date": "invoice_date",
            "u_due_date": "due_date",
            "u_purchase_order": "purchase_order_number",
            "u_currency": "currency",
            "u_subtotal": "subtotal",
            "u_tax_amount": "tax_amount",
            "u_amount_invoiced": "amount_invoiced",
            "u_legal_entity": "legal_entity",
            "u_erp_number": "erp_number",
            "u_invoice_type": "type",
        },
    },
    "sn_spend_intg_imp_invoice_line": {
        "target_table": "sn_shop_invoice_line",
        "key_columns": ("u_external_invoice_number", "u_line_number", "u_erp_source"),
        "rank": 2,
        "transform": {
            "u_external_invoice_number": "external_invoice_number",
            "u_line_number": "line_number",
            "u_erp_source": "erp_source",
            "u_line_description": "line_description",
            "u_line_quantity": "invoiced_quantity",
            "u_line_unit_price": "line_unit_price",
            "u_line_amount": "line_amount",
            "u_purchase_order": "purchase_order_number",
            "u_purchase_order_line": "order_line_number",
            "u_cost_center": "cost_center",
            "u_gl_account": "ledger_account",
            "u_tax_code": "tax_code",
            "u_currency": "currency",
        },
    },
    "sn_spend_intg_imp_invoice_payment_detail": {
        "target_table": "sn_shop_invoice_payment_detail",
        "key_columns": ("u_external_payment_number", "u_erp_source"),
        "rank": 3,
        "transform": {
            "u_external_payment_number": "external_payment_number",
            "u_erp_source": "erp_source",
            "u_external_invoice_number": "external_invoice_number",
            "u_supplier": "supplier_erp_number",
            "u_payment_date": "payment_date",
            "u_payment_amount": "payment_amount",
            "u_currency": "currency",
            "u_payment_reference": "payment_reference",
        },
    },
}
