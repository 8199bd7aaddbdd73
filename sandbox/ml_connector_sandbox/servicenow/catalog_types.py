"""The emulator's table model: columns, tables, references and transform maps (data types only)."""

from __future__ import annotations

from dataclasses import dataclass
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


def columns(*names: str, refs: dict[str, str] | None = None) -> tuple[Column, ...]:
    refs = refs or {}
    return tuple(
        Column(n, "reference" if n in refs else "string", refs.get(n), 32 if n in refs else 255)
        for n in names
    )


def same_name(*names: str) -> tuple[FieldMap, ...]:
    return tuple(FieldMap(n, n) for n in names)
