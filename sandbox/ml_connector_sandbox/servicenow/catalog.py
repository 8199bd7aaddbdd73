"""The table catalogue: every table the emulator knows, its columns, and the staging → target transform maps.

Kept in one place so the store, the query parser, the Table API, the Import Set API and the platform tables
(`sys_db_object`, `sys_dictionary`) all agree on the same names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

# Columns every record carries; not writable through the APIs.
SYSTEM_COLUMNS: tuple[str, ...] = (
    "sys_id",
    "sys_created_on",
    "sys_created_by",
    "sys_updated_on",
    "sys_updated_by",
    "sys_mod_count",
)
# Audit columns every staging row carries (they extend sys_import_set_row on a real instance).
IMPORT_ROW_COLUMNS: tuple[str, ...] = (
    "sys_import_set",
    "sys_import_row",
    "sys_import_state",
    "sys_import_state_comment",
    "sys_target_table",
    "sys_target_sys_id",
    "sys_transform_map",
    "sys_row_error",
)
INTEGER_COLUMNS = frozenset({"sys_mod_count", "sys_import_row"})

S2P_SCOPES: tuple[tuple[str, str, str], ...] = (
    ("sn_shop", "Source-to-Pay Common Architecture", "24.0.0"),
    ("sn_fin", "Finance Common Architecture", "12.0.1"),
    ("sn_ap_apm", "Accounts Payable Invoice Processing", "6.1.2"),
    ("sn_spend_intg", "Source-to-Pay Integration Framework", "14.0.2"),
    ("sn_fcms_intg", "Finance - ERP Integration", "19.0.3"),
)
DEFAULT_ROLES: tuple[str, ...] = (
    "sn_fcms_intg.integration_user",
    "import_transformer",
    "soap",
    "sn_spend_intg.procurement_integrator",
    "sn_ap_apm.accounts_payable_specialist",
)

_LABEL_WORDS = {"erp": "ERP", "url": "URL", "gl": "GL", "uom": "UOM", "sku": "SKU", "po": "PO", "id": "id"}
_LABEL_OVERRIDES = {"state_province": "State/Province"}


def column_label(name: str) -> str:
    """Derive the label a ServiceNow admin would give a column ("u_erp_source" → "ERP source")."""
    base = name[2:] if name.startswith("u_") else name
    if base in _LABEL_OVERRIDES:
        return _LABEL_OVERRIDES[base]
    words = [_LABEL_WORDS.get(w, w) for w in base.split("_")]
    first = words[0]
    words[0] = first if first.isupper() else first.capitalize()
    return " ".join(words)


@dataclass(frozen=True)
class Column:
    name: str
    internal_type: str = "string"
    reference: str | None = None  # referenced table for reference columns
    max_length: int = 255
    mandatory: bool = False

    @property
    def label(self) -> str:
        return column_label(self.name)


@dataclass(frozen=True)
class Table:
    """One ServiceNow table as the emulator stores it."""

    name: str
    label: str
    columns: tuple[Column, ...]
    scope: str = "global"
    number_prefix: str | None = None
    display_field: str = "sys_id"
    super_class: str | None = None
    s2p: bool = False  # hidden when the S2P apps are not installed
    writable: bool = True  # Table API inserts/updates allowed
    insertable: bool = True  # False → POST answers the ACL 403 (sn_fin_gl_account)
    indexes: tuple[tuple[str, ...], ...] = ()
    view: bool = False  # sys_import_set_row: a UNION over the staging tables

    def column(self, name: str) -> Column | None:
        return self.columns_by_name.get(name)

    @cached_property
    def columns_by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.all_columns}

    @cached_property
    def all_columns(self) -> tuple[Column, ...]:
        system = tuple(
            Column(n, "integer" if n in INTEGER_COLUMNS else ("GUID" if n == "sys_id" else "glide_date_time"))
            for n in SYSTEM_COLUMNS
        )
        return system + self.columns


@dataclass(frozen=True)
class Reference:
    """A target reference resolved by business key: `field ← ref_table(ref_field=staging value, ...)`."""

    table: str
    keys: tuple[tuple[str, str], ...]  # (field in ref_table, staging column)
    required: bool = True  # not found → row error; otherwise the field stays empty
    error_prefix: str = "Reference not found"


@dataclass(frozen=True)
class FieldMap:
    target: str
    source: str | None = None
    kind: str = "copy"  # copy | active_flag | reference | insert_constant
    reference: Reference | None = None
    constant: str = ""


@dataclass(frozen=True)
class TransformMap:
    name: str
    staging: str
    target: str
    fields: tuple[FieldMap, ...]
    coalesce: tuple[str, ...]


def _cols(*names: str, refs: dict[str, str] | None = None) -> tuple[Column, ...]:
    refs = refs or {}
    return tuple(
        Column(n, "reference" if n in refs else "string", refs.get(n), 32 if n in refs else 255)
        for n in names
    )


def _copy(*names: str) -> tuple[FieldMap, ...]:
    return tuple(FieldMap(n, n) for n in names)


# --- transform maps (docs/sandbox.md, "ServiceNow emulator") ---------------------------------------

_SUPPLIER_REF_ORDER = Reference("sn_fin_supplier", (("erp_number", "supplier"), ("erp_source", "erp_source")))
_SUPPLIER_REF_INVOICE = Reference(
    "sn_fin_supplier", (("erp_number", "u_supplier"), ("erp_source", "u_erp_source"))
)
_INVOICE_REF = (("external_invoice_number", "u_external_invoice_number"), ("erp_source", "u_erp_source"))

TRANSFORM_MAPS: tuple[TransformMap, ...] = (
    TransformMap(
        "Master data supplier",
        "sn_fcms_intg_imp_supplier",
        "sn_fin_supplier",
        (
            FieldMap("erp_number", "erp_company_code"),
            *_copy("erp_source", "legal_name", "tax_id", "duns"),
            FieldMap("registration_country", "country"),
            *_copy("city", "street_address", "state_province", "zip", "payment_term", "currency"),
            FieldMap("active", "status", "active_flag"),
            *_copy("legal_entities", "url"),
        ),
        ("erp_number", "erp_source"),
    ),
    TransformMap(
        "Master data cost center",
        "sn_fcms_intg_imp_cost_center",
        "cmn_cost_center",
        (
            *_copy("code", "name", "account_number", "erp_source", "legal_entity", "valid_from", "valid_to"),
            FieldMap("active", "status", "active_flag"),
        ),
        ("code", "erp_source", "legal_entity"),
    ),
    TransformMap(
        "GL account load data",
        "sn_fcms_intg_gl_account_stage",
        "sn_fin_gl_account",
        (
            FieldMap("gl_account", "gl_account"),
            FieldMap("display_name", "account_name"),
            *_copy("short_description", "type", "category"),
            FieldMap("legal_entity", "entity"),
            *_copy("erp_source", "account_currency", "inactive"),
        ),
        ("gl_account", "erp_source", "legal_entity"),
    ),
    TransformMap(
        "Order stage",
        "sn_fcms_intg_imp_order",
        "sn_shop_purchase_order",
        (
            *_copy("erp_number", "erp_source"),
            FieldMap("supplier", kind="reference", reference=_SUPPLIER_REF_ORDER),
            FieldMap("legal_entity", "legal_entity"),
            FieldMap("ordered", "order_date"),
            *_copy(
                "expected_delivery",
                "currency",
                "total_amount",
                "status",
                "buyer",
                "purchase_order_type",
                "payment_term",
            ),
        ),
        ("erp_number", "erp_source"),
    ),
    TransformMap(
        "Order line stage",
        "sn_fcms_intg_imp_order_line",
        "sn_shop_purchase_order_line",
        (
            FieldMap(
                "purchase_order",
                kind="reference",
                reference=Reference(
                    "sn_shop_purchase_order",
                    (("erp_number", "erp_number"), ("erp_source", "erp_source")),
                    error_prefix="Purchase order line received before its purchase order; not found",
                ),
            ),
            *_copy("erp_number", "erp_line_number", "erp_source", "sku", "short_description"),
            FieldMap("total_individual_units", "quantity"),
            FieldMap("individual_unit_cost", "unit_price"),
            *_copy("total_line_amount", "uom", "expected_delivery_date"),
            FieldMap("state", "status"),
            FieldMap("general_ledger_account", "gl_account"),
            FieldMap("cost_center", "cost_center"),
        ),
        ("erp_number", "erp_line_number", "erp_source"),
    ),
    TransformMap(
        "Invoice import",
        "sn_spend_intg_imp_invoice",
        "sn_shop_invoice",
        (
            FieldMap("external_invoice_number", "u_external_invoice_number"),
            FieldMap("erp_source", "u_erp_source"),
            FieldMap("supplier", kind="reference", reference=_SUPPLIER_REF_INVOICE),
            FieldMap("supplier_invoice_number", "u_supplier_invoice_number"),
            FieldMap("invoice_date", "u_invoice_date"),
            FieldMap("due_date", "u_due_date"),
            FieldMap("purchase_order_number", "u_purchase_order"),
            FieldMap("currency", "u_currency"),
            FieldMap("subtotal", "u_subtotal"),
            FieldMap("tax_amount", "u_tax_amount"),
            FieldMap("amount_invoiced", "u_amount_invoiced"),
            FieldMap("legal_entity", "u_legal_entity"),
            FieldMap("erp_number", "u_erp_number"),
            FieldMap("type", "u_invoice_type"),
            FieldMap("state", kind="insert_constant", constant="draft"),
        ),
        ("external_invoice_number", "erp_source"),
    ),
    TransformMap(
        "Invoice line import",
        "sn_spend_intg_imp_invoice_line",
        "sn_shop_invoice_line",
        (
            FieldMap("invoice", kind="reference", reference=Reference("sn_shop_invoice", _INVOICE_REF)),
            FieldMap("external_invoice_number", "u_external_invoice_number"),
            FieldMap("line_number", "u_line_number"),
            FieldMap("erp_source", "u_erp_source"),
            FieldMap("line_description", "u_line_description"),
            FieldMap("invoiced_quantity", "u_line_quantity"),
            FieldMap("line_unit_price", "u_line_unit_price"),
            FieldMap("line_amount", "u_line_amount"),
            FieldMap("purchase_order_number", "u_purchase_order"),
            FieldMap("order_line_number", "u_purchase_order_line"),
            FieldMap("cost_center", "u_cost_center"),
            FieldMap("ledger_account", "u_gl_account"),
            FieldMap("tax_code", "u_tax_code"),
            FieldMap("currency", "u_currency"),
        ),
        ("external_invoice_number", "line_number", "erp_source"),
    ),
    TransformMap(
        "Invoice payment detail import",
        "sn_spend_intg_imp_invoice_payment_detail",
        "sn_shop_invoice_payment_detail",
        (
            FieldMap("external_payment_number", "u_external_payment_number"),
            FieldMap("erp_source", "u_erp_source"),
            FieldMap(
                "invoice",
                kind="reference",
                reference=Reference("sn_shop_invoice", _INVOICE_REF, required=False),
            ),
            FieldMap("external_invoice_number", "u_external_invoice_number"),
            FieldMap("supplier_erp_number", "u_supplier"),
            FieldMap("payment_date", "u_payment_date"),
            FieldMap("payment_amount", "u_payment_amount"),
            FieldMap("currency", "u_currency"),
            FieldMap("payment_reference", "u_payment_reference"),
        ),
        ("external_payment_number", "erp_source"),
    ),
)
TRANSFORMS_BY_STAGING: dict[str, TransformMap] = {t.staging: t for t in TRANSFORM_MAPS}

STAGING_COLUMNS: dict[str, tuple[str, ...]] = {
    "sn_fcms_intg_imp_supplier": (
        "erp_company_code",
        "erp_source",
        "legal_name",
        "tax_id",
        "duns",
        "country",
        "city",
        "street_address",
        "state_province",
        "zip",
        "payment_term",
        "currency",
        "status",
        "legal_entities",
        "url",
    ),
    "sn_fcms_intg_imp_cost_center": (
        "code",
        "name",
        "account_number",
        "erp_source",
        "legal_entity",
        "valid_from",
        "valid_to",
        "status",
    ),
    "sn_fcms_intg_gl_account_stage": (
        "gl_account",
        "account_name",
        "short_description",
        "type",
        "category",
        "entity",
        "erp_source",
        "account_currency",
        "inactive",
    ),
    "sn_fcms_intg_imp_order": (
        "erp_number",
        "erp_source",
        "supplier",
        "legal_entity",
        "order_date",
        "expected_delivery",
        "currency",
        "total_amount",
        "status",
        "buyer",
        "purchase_order_type",
        "payment_term",
    ),
    "sn_fcms_intg_imp_order_line": (
        "erp_number",
        "erp_line_number",
        "erp_source",
        "sku",
        "short_description",
        "quantity",
        "unit_price",
        "total_line_amount",
        "uom",
        "expected_delivery_date",
        "status",
        "gl_account",
        "cost_center",
    ),
    "sn_spend_intg_imp_invoice": (
        "u_external_invoice_number",
        "u_erp_source",
        "u_supplier",
        "u_supplier_invoice_number",
        "u_invoice_date",
        "u_due_date",
        "u_purchase_order",
        "u_currency",
        "u_subtotal",
        "u_tax_amount",
        "u_amount_invoiced",
        "u_legal_entity",
        "u_erp_number",
        "u_invoice_type",
    ),
    "sn_spend_intg_imp_invoice_line": (
        "u_external_invoice_number",
        "u_line_number",
        "u_erp_source",
        "u_line_description",
        "u_line_quantity",
        "u_line_unit_price",
        "u_line_amount",
        "u_purchase_order",
        "u_purchase_order_line",
        "u_cost_center",
        "u_gl_account",
        "u_tax_code",
        "u_currency",
    ),
    "sn_spend_intg_imp_invoice_payment_detail": (
        "u_external_payment_number",
        "u_erp_source",
        "u_external_invoice_number",
        "u_supplier",
        "u_payment_date",
        "u_payment_amount",
        "u_currency",
        "u_payment_reference",
    ),
}
_STAGING_LABELS = {
    "sn_fcms_intg_imp_supplier": "Supplier Inbound",
    "sn_fcms_intg_imp_cost_center": "Cost Center Inbound",
    "sn_fcms_intg_gl_account_stage": "GL Account Inbound",
    "sn_fcms_intg_imp_order": "Order Stage",
    "sn_fcms_intg_imp_order_line": "Order Line Stage",
    "sn_spend_intg_imp_invoice": "Invoice Import",
    "sn_spend_intg_imp_invoice_line": "Invoice Line Import",
    "sn_spend_intg_imp_invoice_payment_detail": "Invoice Payment Detail Import",
}

# --- target tables ------------------------------------------------------------------------------------------

_TARGETS: tuple[tuple[str, str, str, str | None, str], ...] = (
    # name, label, scope, number prefix, display field
    ("sn_fin_supplier", "Supplier", "sn_fin", "SUP", "legal_name"),
    ("cmn_cost_center", "Cost Center", "global", None, "name"),
    ("sn_fin_gl_account", "GL Account", "sn_fin", "GLA", "display_name"),
    ("sn_shop_purchase_order", "Purchase Order", "sn_shop", "PO", "number"),
    ("sn_shop_purchase_order_line", "Purchase Order Line", "sn_shop", "POL", "number"),
    ("sn_shop_invoice", "Invoice", "sn_shop", "INV", "number"),
    ("sn_shop_invoice_line", "Invoice Line", "sn_shop", "INVL", "number"),
    ("sn_shop_invoice_payment_detail", "Invoice Payment Detail", "sn_shop", "IPD", "number"),
)


def _target_table(name: str, label: str, scope: str, prefix: str | None, display: str) -> Table:
    tmap = next(t for t in TRANSFORM_MAPS if t.target == name)
    refs = {f.target: f.reference.table for f in tmap.fields if f.reference is not None}
    names = [f.target for f in tmap.fields]
    if prefix:
        names.insert(0, "number")
    return Table(
        name,
        label,
        _cols(*names, refs=refs),
        scope=scope,
        number_prefix=prefix,
        display_field=display,
        s2p=scope != "global" or name == "cmn_cost_center",
        insertable=name != "sn_fin_gl_account",
        indexes=(("sys_updated_on",), ("number",)) if prefix else (("sys_updated_on",),),
    )


def _staging_table(name: str) -> Table:
    scope = "sn_spend_intg" if name.startswith("sn_spend_intg") else "sn_fcms_intg"
    return Table(
        name,
        _STAGING_LABELS[name],
        _cols(*IMPORT_ROW_COLUMNS, *STAGING_COLUMNS[name]),
        scope=scope,
        super_class="sys_import_set_row",
        s2p=True,
        writable=False,
        indexes=(("sys_import_set", "sys_import_row"),),
    )


def _platform_tables() -> tuple[Table, ...]:
    return (
        Table(
            "sys_store_app",
            "Store Application",
            _cols("scope", "name", "version", "active"),
            display_field="name",
        ),
        Table("sys_scope", "Application", _cols("scope", "name", "version", "active"), display_field="name"),
        Table(
            "sys_db_object",
            "Table",
            _cols(
                "name",
                "label",
                "super_class",
                "sys_scope",
                refs={"super_class": "sys_db_object", "sys_scope": "sys_scope"},
            ),
            display_field="label",
            indexes=(("name",),),
        ),
        Table(
            "sys_dictionary",
            "Dictionary Entry",
            _cols("name", "element", "column_label", "internal_type", "mandatory", "max_length", "reference"),
            display_field="column_label",
            indexes=(("name",),),
        ),
        Table(
            "sys_user",
            "User",
            _cols("user_name", "name", "email", "time_zone", "active"),
            display_field="name",
        ),
        Table("sys_user_role", "Role", _cols("name", "description"), display_field="name"),
        Table(
            "sys_user_has_role",
            "User Role",
            _cols(
                "user",
                "role",
                "inherited",
                "state",
                "granted_by",
                refs={"user": "sys_user", "role": "sys_user_role", "granted_by": "sys_user"},
            ),
            display_field="role",
        ),
        Table(
            "sys_rest_insert_multiple",
            "Rest Insert Multiple",
            _cols("staging_table", "mode", "key_mapping"),
            display_field="staging_table",
        ),
        Table(
            "sys_import_set",
            "Import Set",
            _cols("number", "table_name", "state", "mode", "short_description"),
            number_prefix="ISET",
            display_field="number",
            writable=False,
        ),
        Table(
            "sys_import_set_row",
            "Import Set Row",
            _cols(*IMPORT_ROW_COLUMNS, "sys_class_name"),
            display_field="sys_id",
            writable=False,
            view=True,
        ),
    )


@dataclass
class Catalog:
    """Lookup of every table by name."""

    tables: dict[str, Table] = field(default_factory=dict)

    def get(self, name: str) -> Table | None:
        return self.tables.get(name)

    @property
    def staging_tables(self) -> list[Table]:
        return [self.tables[t.staging] for t in TRANSFORM_MAPS]

    @property
    def stored_tables(self) -> list[Table]:
        return [t for t in self.tables.values() if not t.view]


def build_catalog() -> Catalog:
    catalog = Catalog()
    tables = [
        *_platform_tables(),
        *(_target_table(*t) for t in _TARGETS),
        *(_staging_table(n) for n in STAGING_COLUMNS),
    ]
    for table in tables:
        catalog.tables[table.name] = table
    return catalog
