"""IFS vendor facts for the tap: default projection/entity-set names, keys and fields per stream.

From `shared/reference/ifs-cloud.md` §2. Every name here is only a default: the `streams` setting overrides
projection, entity set, API path and incremental fields per stream, because several are UNCONFIRMED
(supplier-invoice projection and sets, `Rowversion` as a filterable change timestamp).
"""

from __future__ import annotations

from dataclasses import dataclass

PROJECTION_PATH = "/main/ifsapplications/projection/v1"
ENTITY_PATH = "/int/ifsapplications/entity/v1"  # Entity Service API (must be activated in API Explorer)
CHANGE_FIELD = "Rowversion"
MAX_PAGE_SIZE = 5000

# Modes of incremental extraction (setting `streams.<name>.replication_mode`).
CHANGE_TIMESTAMP, BUSINESS_DATE, FULL_TABLE = "change_timestamp", "business_date", "full_table"
MODES = (CHANGE_TIMESTAMP, BUSINESS_DATE, FULL_TABLE)

STR, INT, DEC, DATE, DTS, BOOL = "string", "integer", "decimal", "date", "date-time", "boolean"


@dataclass(frozen=True)
class StreamSpec:
    """Defaults of one stream; `fields` are IFS property names with their JSON kinds."""

    name: str
    projection: str
    entity_set: str
    keys: tuple[str, ...]
    fields: dict[str, str]
    api_path: str = PROJECTION_PATH
    company_field: str | None = "Company"
    replication_mode: str = CHANGE_TIMESTAMP
    change_field: str = CHANGE_FIELD
    date_field: str | None = None  # business date for the fallback mode


COMPANIES = StreamSpec(
    "companies", "CompanyHandling", "CompanySet", ("Company",),
    {"Company": STR, "Name": STR, "Country": STR, "CurrencyCode": STR}, replication_mode=FULL_TABLE,
)
SUPPLIERS = StreamSpec(
    "suppliers", "SupplierHandling", "SupplierInfoGeneralSet", ("SupplierId",),
    {"SupplierId": STR, "Name": STR, "PartyType": STR, "Country": STR, "DefaultLanguage": STR,
     "CreationDate": DATE, "Objstate": STR},
    company_field=None, replication_mode=FULL_TABLE, date_field="CreationDate",
)
GL_ACCOUNTS = StreamSpec(
    "gl_accounts", "VoucherRowsAnalysis", "Reference_Account", ("Company", "Account"),
    {"Company": STR, "CodePart": STR, "Account": STR, "ValidFrom": DATE, "ValidUntil": DATE, "Description": STR,
     "AccntGroup": STR, "AccntType": STR, "LogicalAccountType": STR, "LedgFlag": STR, "ReqCodeB": STR,
     "ReqCodeC": STR},
    replication_mode=FULL_TABLE,
)
COST_CENTERS = StreamSpec(  # code part B by default: setting `cost_center_code_part`
    "cost_centers", "VoucherRowsAnalysis", "Reference_CodeB", ("Company", "CodeB"),
    {"Company": STR, "CodePart": STR, "CodeB": STR, "ValidFrom": DATE, "ValidUntil": DATE, "Description": STR,
     "AccntType": STR, "SortValue": STR, "BudgetValue": STR},
    replication_mode=FULL_TABLE,
)
PURCHASE_ORDERS = StreamSpec(
    "purchase_orders", "PurchaseOrderHandling", "PurchaseOrderSet", ("OrderNo",),
    {"OrderNo": STR, "Company": STR, "VendorNo": STR, "OrderDate": DATE, "Objstate": STR, "Contract": STR,
     "BuyerCode": STR, "AuthorizeCode": STR, "CurrencyCode": STR, "WantedReceiptDate": DATE},
    date_field="OrderDate",
)
PURCHASE_ORDER_LINES = StreamSpec(
    "purchase_order_lines", "PurchaseOrderLineEntity", "PurchaseOrderLineSet", ("OrderNo", "LineNo", "ReleaseNo"),
    {"OrderNo": STR, "LineNo": STR, "ReleaseNo": STR, "Company": STR, "PartNo": STR, "Description": STR,
     "BuyQtyDue": DEC, "BuyUnitMeas": STR, "BuyUnitPrice": DEC, "NetAmtCurr": DEC, "GrossAmtCurr": DEC,
     "CurrencyCode": STR, "Objstate": STR, "Contract": STR, "VendorNo": STR, "WantedDeliveryDate": DATE,
     "PlannedReceiptDate": DATE, "ProjectId": STR},
    api_path=ENTITY_PATH, date_field="WantedDeliveryDate",
)
SUPPLIER_INVOICES = StreamSpec(
    "supplier_invoices", "ManSuppInvoiceHandling", "ManSuppInvoiceSet", ("Company", "InvoiceId"),
    {"Company": STR, "InvoiceId": INT, "Identity": STR, "PartyType": STR, "SeriesId": STR, "InvoiceNo": STR,
     "InvoiceDate": DATE, "DueDate": DATE, "PayTermId": STR, "Currency": STR, "NetCurrAmount": DEC,
     "VatCurrAmount": DEC, "GrossCurrAmount": DEC, "PoRefNumber": STR, "Objstate": STR},
    date_field="InvoiceDate",
)
SUPPLIER_INVOICE_LINES = StreamSpec(
    "supplier_invoice_lines", "ManSuppInvoiceHandling", "ManSuppInvoiceItemSet", ("Company", "InvoiceId", "ItemId"),
    {"Company": STR, "InvoiceId": INT, "ItemId": INT, "Account": STR, "CodeB": STR, "CodeC": STR, "Text": STR,
     "Quantity": DEC, "NetCurrAmount": DEC, "VatCurrAmount": DEC, "VatCode": STR, "PoRefNumber": STR,
     "PoLineNo": STR, "Currency": STR},
)

# Sync order: reference data first, so transactional records can be enriched from it.
SPECS: tuple[StreamSpec, ...] = (COMPANIES, SUPPLIERS, GL_ACCOUNTS, COST_CENTERS, PURCHASE_ORDERS,
                                 PURCHASE_ORDER_LINES, SUPPLIER_INVOICES, SUPPLIER_INVOICE_LINES)
