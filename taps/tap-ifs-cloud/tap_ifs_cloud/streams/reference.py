"""Reference data, synced first: companies, suppliers, GL accounts, cost centers (a code part).

Suppliers and cost centers also fill the run's lookups that supplier invoices are enriched from;
`LookupSource` is also what document headers use to hand their date to their lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from typing_extensions import override

from tap_ifs_cloud import catalog
from tap_ifs_cloud.catalog import FULL_TABLE
from tap_ifs_cloud.client import IFSStream

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_ifs_cloud.tap import TapIFSCloud


class CompaniesStream(IFSStream):
    spec = catalog.COMPANIES


class GLAccountsStream(IFSStream):
    spec = catalog.GL_ACCOUNTS


class LookupSource(IFSStream):
    """A reference stream whose rows (only the needed fields) are remembered for enrichment."""

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        lookups, code_field = self.ifs_tap.lookups, self.ifs_tap.cost_center_field
        for record in super().get_records(context):
            lookups.remember(self.name, record, code_field)
            yield record

    @override
    def partition_done(self, context: Context | None) -> None:
        if self.ifs.mode == FULL_TABLE or self._full_read:  # an incremental read is not the whole set
            self.ifs_tap.lookups.mark_complete(self.name, self.partition_id(context))


class SuppliersStream(LookupSource):
    """Global in IFS; with `suppliers_per_company` one record per configured company (key Company +
    SupplierId), read once and fanned out, for targets that file vendors under a company's ERP source."""

    spec = catalog.SUPPLIERS

    def __init__(self, tap: TapIFSCloud) -> None:
        super().__init__(tap)
        self.per_company = bool(tap.config.get("suppliers_per_company"))
        if self.per_company:
            self.schema["properties"]["Company"] = {"type": ["string"]}
            self.primary_keys = ["Company", *self.primary_keys]

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        if not self.per_company or self._full_read:
            yield from super().get_records(context)
            return
        companies = self.ifs_tap.companies
        for record in super().get_records(context):
            for company in companies:
                yield {**record, "Company": company}


class CostCentersStream(LookupSource):
    spec = catalog.COST_CENTERS
