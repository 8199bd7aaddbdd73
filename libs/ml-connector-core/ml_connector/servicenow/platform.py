"""Read-only platform checks (apps, tables, roles, user) used by pre-flight and by any ServiceNow plugin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ml_connector.servicenow.errors import ServiceNowError
from ml_connector.servicenow.query import Query

if TYPE_CHECKING:
    from ml_connector.servicenow.client import ServiceNowClient


@dataclass(frozen=True)
class CurrentUser:
    sys_id: str
    user_name: str
    time_zone: str


def current_user(client: ServiceNowClient) -> CurrentUser:
    """The API user (also proves that authentication works)."""
    rows = client.get_table_page(
        "sys_user", "sys_id=javascript:gs.getUserID()", ["sys_id", "user_name", "time_zone"], limit=1
    ).rows
    row = rows[0] if rows else {}
    return CurrentUser(str(row.get("sys_id") or ""), str(row.get("user_name") or ""), str(row.get("time_zone") or ""))


def inactive_scopes(client: ServiceNowClient, scopes: Iterable[str]) -> list[str]:
    """Required scopes with no active app: sys_store_app first, then sys_scope (S2P parts are Store scopes)."""
    wanted = list(dict.fromkeys(scopes))
    found: set[str] = set()
    for table in ("sys_store_app", "sys_scope"):
        missing = [s for s in wanted if s not in found]
        if not missing:
            break
        try:
            rows = client.get_table_page(
                table, Query().in_("scope", missing).eq("active", "true"), ["scope", "active"], limit=100
            ).rows
        except ServiceNowError as exc:
            if exc.status in (400, 403, 404):
                continue
            raise
        found.update(str(r.get("scope")) for r in rows if str(r.get("active", "true")).lower() == "true")
    return [s for s in wanted if s not in found]


def missing_tables(client: ServiceNowClient, tables: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(tables))
    rows = client.get_table_page("sys_db_object", Query().in_("name", wanted), ["name"], limit=1000).rows
    present = {str(r.get("name")) for r in rows}
    return [t for t in wanted if t not in present]


def user_roles(client: ServiceNowClient, user_sys_id: str) -> set[str]:
    """Role names granted to a user; raises ServiceNowError (often 403) when the table is not readable."""
    rows = client.get_table_page(
        "sys_user_has_role", Query().eq("user", user_sys_id), ["role.name"], limit=10000
    ).rows
    return {str(r.get("role.name")) for r in rows if r.get("role.name")}
