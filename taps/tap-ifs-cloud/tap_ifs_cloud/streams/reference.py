"""Reference data, synced first: companies, suppliers, GL accounts, cost centers (a code part).

Suppliers and cost centers also fill the run's lookups that supplier invoices are enriched from.
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


class CompaniesStream(IFSStream):
    spec = catalog.COMPANIES


class GLAccountsStream(IFSStream):
    spec = catalog.GL_ACCOUNTS


class _LookupSource(IFSStream):
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


class SuppliersStream(_LookupSource):
    spec = catalog.SUPPLIERS


class CostCentersStream(_LookupSource):
    spec = catalog.COST_CENTERS
