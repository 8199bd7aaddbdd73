"""Reference data the mapper resolves against: suppliers, GL accounts, cost centers, items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from typing_extensions import override

from tap_infor_cloudsuite import m3_files
from tap_infor_cloudsuite.client import M3ExportStream, M3ListStream

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class SuppliersStream(M3ExportStream):
    """Supplier master (CIDMAS), per company."""

    name = "suppliers"
    file = m3_files.CIDMAS


class _AccountingDimensionStream(M3ListStream):
    """One accounting dimension of FCHACC through CRS630MI/LstAccountID, per company and division."""

    file = m3_files.FCHACC
    program = "CRS630MI"
    transaction = "LstAccountID"
    from_key = "AITM"
    dimension_setting: str

    @override
    def inputs(self, context: Context | None) -> dict[str, Any]:
        return {"AITP": int(self.config[self.dimension_setting]), "DIVI": (context or {}).get("divi")}


class GLAccountsStream(_AccountingDimensionStream):
    """GL accounts: dimension `gl_account_dimension` (AITP 1 by default)."""

    name = "gl_accounts"
    dimension_setting = "gl_account_dimension"


class CostCentersStream(_AccountingDimensionStream):
    """Cost centers: dimension `cost_center_dimension` (AITP 2 by default; tenant-specific)."""

    name = "cost_centers"
    dimension_setting = "cost_center_dimension"


class ItemsStream(M3ExportStream):
    """Item master (MITMAS), per company."""

    name = "items"
    file = m3_files.MITMAS
