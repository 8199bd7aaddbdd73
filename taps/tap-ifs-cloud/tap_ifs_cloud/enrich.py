"""In-memory lookups from the reference streams of the same run, for enriching supplier invoices.

Flat memory on purpose: only the fields the enrichment needs (supplier id → name; company + cost center
→ description and active flag; document key → header date), never whole records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


#: header stream → (key fields, date field): the date lines inherit, since a document's key downstream is its
#: number plus this date and IFS lines do not carry it
HEADER_DATES: dict[str, tuple[tuple[str, ...], str]] = {
    "supplier_invoices": (("Company", "InvoiceId"), "InvoiceDate"),
    "purchase_orders": (("OrderNo",), "OrderDate"),
}
MISSING = object()


@dataclass
class Lookups:
    suppliers: dict[str, str] = field(default_factory=dict)
    cost_centers: dict[tuple[str, str], tuple[str | None, bool]] = field(default_factory=dict)
    header_dates: dict[str, dict[tuple[str, ...], Any]] = field(default_factory=dict)
    #: stream name → partitions (company or "") read completely in this run
    complete: dict[str, set[str]] = field(default_factory=dict)

    def remember(self, stream: str, record: dict[str, Any], code_field: str) -> None:
        if stream == "suppliers":
            self.suppliers[str(record["SupplierId"])] = record.get("Name") or ""
        elif stream == "cost_centers":
            key = (str(record["Company"]), str(record[code_field]))
            self.cost_centers[key] = (record.get("Description"), is_active(record))
        elif stream in HEADER_DATES:
            keys, date_field = HEADER_DATES[stream]
            self.header_dates.setdefault(stream, {})[document_key(record, keys)] = record.get(date_field)

    def mark_complete(self, stream: str, partition: str) -> None:
        self.complete.setdefault(stream, set()).add(partition)

    def is_complete(self, stream: str, partitions: list[str]) -> bool:
        return set(partitions) <= self.complete.get(stream, set())

    def supplier_name(self, supplier_id: Any) -> str | None:
        return self.suppliers.get(str(supplier_id)) if supplier_id is not None else None

    def header_date(self, stream: str, key: tuple[str, ...]) -> Any:
        """The header's date, or MISSING when its header was not read in this run."""
        return self.header_dates.get(stream, {}).get(key, MISSING)

    def cost_center(self, company: Any, code: Any) -> tuple[str | None, bool | None]:
        """(description, active) — (None, None) when the cost center is unknown."""
        if code is None:
            return None, None
        return self.cost_centers.get((str(company), str(code)), (None, None))


def is_active(record: dict[str, Any], today: dt.date | None = None) -> bool:
    """Valid today: ValidFrom ≤ today ≤ ValidUntil (missing bounds are open)."""
    day = (today or dt.datetime.now(dt.timezone.utc).date()).isoformat()
    start, end = record.get("ValidFrom"), record.get("ValidUntil")
    return (not start or str(start)[:10] <= day) and (not end or day <= str(end)[:10])


def document_key(record: dict[str, Any], fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(record.get(name)) for name in fields)
