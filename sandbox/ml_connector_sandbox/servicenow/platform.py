"""Platform tables a pre-flight check reads, kept in line with the settings that change what they report."""

from __future__ import annotations

import hashlib

from ml_connector_sandbox.servicenow.catalog_types import S2P_SCOPES, Table
from ml_connector_sandbox.servicenow.s2p_staging import STAGING_COLUMNS
from ml_connector_sandbox.servicenow.settings import ServiceNowSettings
from ml_connector_sandbox.servicenow.store import Store


def stable_id(*parts: str) -> str:
    """Deterministic sys_id, so references between platform rows survive a re-sync."""
    return hashlib.md5(":".join(parts).encode()).hexdigest()  # noqa: S324 - an identifier, not security


def seed(store: Store, settings: ServiceNowSettings, user_sys_id: str) -> None:
    """Fill the platform tables of a fresh instance (no business data)."""
    cat = store.catalog
    with store.transaction():
        store.insert(
            cat.tables["sys_user"],
            {
                "sys_id": user_sys_id,
                "user_name": store.user_name,
                "name": "MLC Integration",
                "email": "mlc.integration@example.com",
                "time_zone": "UTC",
                "active": "true",
            },
        )
        for staging in STAGING_COLUMNS:
            store.insert(
                cat.tables["sys_rest_insert_multiple"],
                {
                    "sys_id": stable_id("sys_rest_insert_multiple", staging),
                    "staging_table": staging,
                    "mode": "synchronous",
                    "key_mapping": "column_name",
                },
            )
        for table_name in ("sys_store_app", "sys_scope"):
            for scope, name, version in (("global", "Global", ""), *S2P_SCOPES):
                store.insert(
                    cat.tables[table_name],
                    {
                        "sys_id": stable_id(table_name, scope),
                        "scope": scope,
                        "name": name,
                        "version": version,
                        "active": "true",
                    },
                )
    sync(store, settings, user_sys_id)


def _visible(table: Table, settings: ServiceNowSettings) -> bool:
    return settings.s2p_apps_installed or not table.s2p


def sync(store: Store, settings: ServiceNowSettings, user_sys_id: str) -> None:
    """Reflect `s2p_apps_installed` and `roles` in the scope, table, dictionary and role tables."""
    cat = store.catalog
    t = cat.tables
    with store.transaction():
        active = "true" if settings.s2p_apps_installed else "false"
        for table_name in ("sys_store_app", "sys_scope"):
            store.db.execute(
                f"UPDATE {table_name} SET active = ? WHERE scope != 'global' AND active != ?",
                (active, active),
            )
        store.delete(t["sys_db_object"], "")
        store.delete(t["sys_dictionary"], "")
        for table in cat.tables.values():
            if not _visible(table, settings):
                continue
            store.insert(
                t["sys_db_object"],
                {
                    "sys_id": stable_id("sys_db_object", table.name),
                    "name": table.name,
                    "label": table.label,
                    "super_class": stable_id("sys_db_object", table.super_class) if table.super_class else "",
                    "sys_scope": stable_id("sys_scope", table.scope),
                },
            )
            store.insert(
                t["sys_dictionary"],
                {
                    "name": table.name,
                    "element": "",
                    "column_label": table.label,
                    "internal_type": "collection",
                    "mandatory": "false",
                    "max_length": "40",
                },
            )
            own = (
                table.columns
                if table.name not in STAGING_COLUMNS
                else [c for c in table.columns if c.name in STAGING_COLUMNS[table.name]]
            )
            for col in own:
                store.insert(
                    t["sys_dictionary"],
                    {
                        "name": table.name,
                        "element": col.name,
                        "column_label": col.label,
                        "internal_type": col.internal_type,
                        "mandatory": "true" if col.mandatory else "false",
                        "max_length": str(col.max_length),
                        "reference": col.reference or "",
                    },
                )
        store.delete(t["sys_user_has_role"], "")
        for role in settings.roles:
            role_id = stable_id("sys_user_role", role)
            if not store.count(t["sys_user_role"], "sys_id = ?", (role_id,)):
                store.insert(t["sys_user_role"], {"sys_id": role_id, "name": role, "description": ""})
            store.insert(
                t["sys_user_has_role"],
                {"user": user_sys_id, "role": role_id, "inherited": "false", "state": "active"},
            )
