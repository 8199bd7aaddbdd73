"""Everything one emulator instance shares between its API handlers."""

from __future__ import annotations

from dataclasses import dataclass

from ml_connector_sandbox.common.faults import FaultInjector
from ml_connector_sandbox.common.ratelimit import SlidingWindowLimiter
from ml_connector_sandbox.common.stats import RequestStats
from ml_connector_sandbox.servicenow.auth import TokenStore
from ml_connector_sandbox.servicenow.catalog import Catalog
from ml_connector_sandbox.servicenow.catalog_types import Table
from ml_connector_sandbox.servicenow.imports import ImportService
from ml_connector_sandbox.servicenow.query import QueryParser
from ml_connector_sandbox.servicenow.settings import ServiceNowSettings
from ml_connector_sandbox.servicenow.store import Store

RATE_LIMIT_RULE_SYS_ID = "5c0f1a7e9b3d4e2a8f6c1b0d7e9a3c51"


@dataclass
class Context:
    base_url: str
    user_sys_id: str
    catalog: Catalog
    store: Store
    settings: ServiceNowSettings
    tokens: TokenStore
    parser: QueryParser
    imports: ImportService
    limiter: SlidingWindowLimiter
    stats: RequestStats
    faults: FaultInjector

    def table(self, name: str) -> Table | None:
        """The table as the API sees it: S2P tables vanish while the apps are 'not installed'."""
        table = self.catalog.get(name)
        if table is None or (table.s2p and not self.settings.s2p_apps_installed):
            return None
        return table

    def record_link(self, table: str, sys_id: str) -> str:
        return f"{self.base_url}/api/now/table/{table}/{sys_id}"
