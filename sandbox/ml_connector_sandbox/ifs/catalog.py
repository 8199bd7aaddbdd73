"""Every IFS name the emulator serves: API paths, projections, entity sets, fields and their EDM types.

Defaults follow `shared/reference/ifs-cloud.md` §2. Names marked UNCONFIRMED there (the supplier-invoice
projection and sets, `Rowversion` as a filterable change timestamp, some header fields) are kept here only,
so a tenant that differs is one edit away — and the tap makes every one of them a setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROJECTION_API = "ifsapplications/projection/v1"  # served under /main/ and /int/
ENTITY_API = "ifsapplications/entity/v1"  # served under /int/ only (Entity Service API)

# EDM kinds and how SQLite stores them.
STR, INT, DEC, DATE, DTS, BOOL = "Edm.String", "Edm.Int32", "Edm.Decimal", "Edm.Date", "Edm.DateTimeOffset", "Edm.Boolean"
SQL_TYPES = {STR: "TEXT", INT: "INTEGER", DEC: "TEXT", DATE: "TEXT", DTS: "TEXT", BOOL: "INTEGER"}
CHANGE_FIELD = "Rowversion"  # UNCONFIRMED on real AP projections; hidden when the set has no change field


@dataclass(frozen=True)
class EntitySet:
    """One entity set; `table` is the SQLite table and the key used by mutations and tests."""

    table: str
    api: str  # PROJECTION_API or ENTITY_API
    service: str  # projection (or entity service) name without ".svc"
    name: str
    entity_type: str
    luname: str
    keys: tuple[str, ...]
    fields: dict[str, str]
    change_field: str | None = CHANGE_FIELD
    company_field: str | None = "Company"
    keyref_names: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """Stored columns: the declared fields plus Rowversion (always stored: it feeds the ETag)."""
        cols = tuple(self.fields)
        return cols if CHANGE_FIELD in cols else (*cols, CHANGE_FIELD)

    @property
    def type_name(self) -> str:
        return f"IfsApp.{self.service}.{self.entity_type}"

    def visible_fields(self, expose_change: bool) -> dict[str, str]:
        """Fields a client can see and filter on."""
        if self.change_field and expose_change:
            return {**self.fields, self.change_field: DTS}
        return dict(self.fields)


def _set(table: str, api: str, service: str, name: str, entity_type: str, luname: str, keys: tuple[str, ...],
         fields: dict[str, str], **kw: object) -> EntitySet:
    return EntitySet(table, api, service, name, entity_type, luname, keys, fields, **kw)  # type: ignore[arg-type]


COMPANIES = _set(
    "companies", PROJECTION_API, "CompanyHandling", "CompanySet", "Company", "Company", ("Company",),
    {"Company": STR, "Name": STR, "Country": STR, "CurrencyCode": STR},
    change_field=None,
)
SUPPLIERS = _set(
    "suppliers", PROJECTION_API, "SupplierHandling", "SupplierInfoGeneralSet", "SupplierInfoGeneral",
    "SupplierInfoGeneral", ("SupplierId",),
    {"SupplierId": STR, "Name": STR, "PartyType": STR, "Country": STR, "DefaultLanguage": STR,
     "CreationDate": DATE, "Objstate": STR},
    company_field=None,
)
GL_ACCOUNTS = _set(
    "gl_accounts", PROJECTION_API, "VoucherRowsAnalysis", "Reference_Account", "Account", "Account",
    ("Company", "Account"),
    {"Company": STR, "CodePart": STR, "Account": STR, "ValidFrom": DATE, "ValidUntil": DATE, "Description": STR,
     "AccntGroup": STR, "AccntType": STR, "LogicalAccountType": STR, "LedgFlag": STR, "ReqCodeB": STR,
     "ReqCodeC": STR},
    change_field=None,
)
COST_CENTERS = _set(
    "cost_centers", PROJECTION_API, "VoucherRowsAnalysis", "Reference_CodeB", "CodeB", "CodeB",
    ("Company", "CodeB"),
    {"Company": STR, "CodePart": STR, "CodeB": STR, "ValidFrom": DATE, "ValidUntil": DATE, "Description": STR,
     "AccntType": STR, "SortValue": STR, "BudgetValue": STR},
    change_field=None,
)
PURCHASE_ORDERS = _set(
    "purchase_orders", PROJECTION_API, "PurchaseOrderHandling", "PurchaseOrderSet", "PurchaseOrder",
    "PurchaseOrder", ("OrderNo",),
    {"OrderNo": STR, "Company": STR, "VendorNo": STR, "OrderDate": DATE, "Objstate": STR, "Contract": STR,
     "BuyerCode": STR, "AuthorizeCode": STR, "CurrencyCode": STR, "WantedReceiptDate": DATE},
)
PURCHASE_ORDER_LINES = _set(
    "purchase_order_lines", ENTITY_API, "PurchaseOrderLineEntity", "PurchaseOrderLineSet", "PurchaseOrderLine",
    "PurchaseOrderLine", ("OrderNo", "LineNo", "ReleaseNo"),
    {"OrderNo": STR, "LineNo": STR, "ReleaseNo": STR, "Company": STR, "PartNo": STR, "Description": STR,
     "BuyQtyDue": DEC, "BuyUnitMeas": STR, "BuyUnitPrice": DEC, "NetAmtCurr": DEC, "GrossAmtCurr": DEC,
     "CurrencyCode": STR, "Objstate": STR, "Contract": STR, "VendorNo": STR, "WantedDeliveryDate": DATE,
     "PlannedReceiptDate": DATE, "ProjectId": STR},
)
SUPPLIER_INVOICES = _set(  # projection and set names UNCONFIRMED
    "supplier_invoices", PROJECTION_API, "ManSuppInvoiceHandling", "ManSuppInvoiceSet", "ManSuppInvoice",
    "ManSuppInvoice", ("Company", "InvoiceId"),
    {"Company": STR, "InvoiceId": INT, "Identity": STR, "PartyType": STR, "SeriesId": STR, "InvoiceNo": STR,
     "InvoiceDate": DATE, "DueDate": DATE, "PayTermId": STR, "Currency": STR, "NetCurrAmount": DEC,
     "VatCurrAmount": DEC, "GrossCurrAmount": DEC, "PoRefNumber": STR, "Objstate": STR},
)
SUPPLIER_INVOICE_LINES = _set(  # projection, set and field names UNCONFIRMED
    "supplier_invoice_lines", PROJECTION_API, "ManSuppInvoiceHandling", "ManSuppInvoiceItemSet",
    "ManSuppInvoiceItem", "ManSuppInvoiceItem", ("Company", "InvoiceId", "ItemId"),
    {"Company": STR, "InvoiceId": INT, "ItemId": INT, "Account": STR, "CodeB": STR, "CodeC": STR, "Text": STR,
     "Quantity": DEC, "NetCurrAmount": DEC, "VatCurrAmount": DEC, "VatCode": STR, "PoRefNumber": STR,
     "PoLineNo": STR, "Currency": STR},
)

ENTITY_SETS: dict[str, EntitySet] = {
    s.table: s
    for s in (COMPANIES, SUPPLIERS, GL_ACCOUNTS, COST_CENTERS, PURCHASE_ORDERS, PURCHASE_ORDER_LINES,
              SUPPLIER_INVOICES, SUPPLIER_INVOICE_LINES)
}


def services(api: str) -> dict[str, dict[str, EntitySet]]:
    """service name → entity-set name → set, for one API kind."""
    out: dict[str, dict[str, EntitySet]] = {}
    for s in ENTITY_SETS.values():
        if s.api == api:
            out.setdefault(s.service, {})[s.name] = s
    return out


def keyref(s: EntitySet, row: dict[str, object]) -> str:
    """IFS keyref: upper-snake key names in alphabetical order, `NAME=value^` each."""
    parts = sorted((_snake(k), row[k]) for k in s.keys)
    return "".join(f"{k}={v}^" for k, v in parts)


def _snake(name: str) -> str:
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(name)).upper()
