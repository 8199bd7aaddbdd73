"""What the target already holds: its reference tables, read once per run (read-only, shared client).

One reader per target system. The ServiceNow reader maps the S2P tables back to resolution keys:
erp_source ``<prefix>-<company>`` -> company, legal_entity -> division (per-division dimensions only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ml_connector.servicenow import Query, ServiceNowClient

from mapper_gl_vendor.profiles import COST_CENTER, GL_ACCOUNT, VENDOR
from mapper_gl_vendor.resolution import Key, text
from mapper_gl_vendor.rules import Profile


@dataclass(frozen=True)
class TableSpec:
    """One target reference table: which columns hold the value, the division and the active flag."""

    dimension: str
    table: str
    value: str
    division: str | None
    active: Callable[[Mapping[str, Any]], bool]


SERVICENOW_TABLES = (
    TableSpec(GL_ACCOUNT, "sn_fin_gl_account", "gl_account", "legal_entity",
              lambda row: text(row.get("inactive")).lower() != "true"),
    TableSpec(COST_CENTER, "cmn_cost_center", "code", "legal_entity",
              lambda row: text(row.get("active")).lower() == "true"),
    TableSpec(VENDOR, "sn_fin_supplier", "erp_number", None,
              lambda row: text(row.get("active")).lower() == "true"),
)


def servicenow_reference(
    client: ServiceNowClient, profile: Profile, erp_source_prefix: str, logger: logging.Logger
) -> dict[Key, bool]:
    """Every reference row of this source (erp_source STARTSWITH prefix), keyed like the resolver."""
    per_division = {rule.dimension: rule.per_division for rule in profile.references.values()}
    prefix = f"{erp_source_prefix}-"
    index: dict[Key, bool] = {}
    for spec in SERVICENOW_TABLES:
        fields = [spec.value, "erp_source", *([spec.division] if spec.division else []),
                  "inactive" if spec.dimension == GL_ACCOUNT else "active"]
        query = f"erp_sourceSTARTSWITH{prefix}" if "^" not in prefix else Query().is_not_empty("erp_source")
        rows = 0
        for row in client.iter_table(spec.table, query, fields, page_size=5000):
            erp_source = text(row.get("erp_source"))
            value = text(row.get(spec.value))
            if not erp_source.startswith(prefix) or not value:
                continue
            company = erp_source[len(prefix):]
            division = text(row.get(spec.division)) if spec.division and per_division.get(spec.dimension) else ""
            key = (spec.dimension, company, division, value)
            index[key] = index.get(key, False) or spec.active(row)
            rows += 1
        logger.info("target reference %s: %d row(s) of %s", spec.table, rows, erp_source_prefix)
    return index


TARGET_READERS = {"servicenow": servicenow_reference}
