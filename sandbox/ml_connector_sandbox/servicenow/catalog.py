"""The table catalogue: every table the emulator knows and its columns.

Kept in one place so the store, the query parser, the Table API, the Import Set API and the platform tables
(`sys_db_object`, `sys_dictionary`) all agree on the same names. The staging tables and transform maps are
in `s2p_staging`, the table model in `catalog_types`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ml_connector_sandbox.servicenow.catalog_types import IMPORT_ROW_COLUMNS, Table, columns
from ml_connector_sandbox.servicenow.s2p_staging import (
    STAGING_COLUMNS,
    STAGING_LABELS,
    TRANSFORM_MAPS,
)

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
        columns(*names, refs=refs),
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
        STAGING_LABELS[name],
        columns(*IMPORT_ROW_COLUMNS, *STAGING_COLUMNS[name]),
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
            columns("scope", "name", "version", "active"),
            display_field="name",
        ),
        Table("sys_scope", "Application", columns("scope", "name", "version", "active"), display_field="name"),
        Table(
            "sys_db_object",
            "Table",
            columns(
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
            columns("name", "element", "column_label", "internal_type", "mandatory", "max_length", "reference"),
            display_field="column_label",
            indexes=(("name",),),
        ),
        Table(
            "sys_user",
            "User",
            columns("user_name", "name", "email", "time_zone", "active"),
            display_field="name",
        ),
        Table("sys_user_role", "Role", columns("name", "description"), display_field="name"),
        Table(
            "sys_user_has_role",
            "User Role",
            columns(
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
            columns("staging_table", "mode", "key_mapping"),
            display_field="staging_table",
        ),
        Table(
            "sys_import_set",
            "Import Set",
            columns("number", "table_name", "state", "mode", "short_description"),
            number_prefix="ISET",
            display_field="number",
            writable=False,
        ),
        Table(
            "sys_import_set_row",
            "Import Set Row",
            columns(*IMPORT_ROW_COLUMNS, "sys_class_name"),
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
