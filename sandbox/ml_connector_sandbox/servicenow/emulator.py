"""Build the ServiceNow emulator over a data directory: credentials, SQLite store, platform seed, app."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from ml_connector_sandbox.common.emulator import (
    EmulatorHandle,
    credentials_path,
    load_or_create_credentials,
    write_credentials,
)
from ml_connector_sandbox.servicenow import platform
from ml_connector_sandbox.servicenow.app import create_app
from ml_connector_sandbox.servicenow.auth import Credentials
from ml_connector_sandbox.servicenow.catalog import build_catalog
from ml_connector_sandbox.servicenow.settings import ServiceNowSettings
from ml_connector_sandbox.servicenow.store import Store

USERNAME = "mlc.integration"


def _new_credentials() -> dict[str, Any]:
    return {
        "username": USERNAME,
        "password": secrets.token_urlsafe(18),
        "client_id": secrets.token_hex(16),
        "client_secret": secrets.token_urlsafe(24),
    }


def _credentials(data_dir: Path, base_url: str) -> dict[str, Any]:
    """Generated once and kept, so `status --json` and later builds hand out the same secrets."""
    creds = load_or_create_credentials(data_dir, "servicenow", _new_credentials)
    creds["instance_url"] = base_url.rstrip("/")  # the port may change between runs
    write_credentials(credentials_path(data_dir, "servicenow"), creds)
    return creds


def build(
    data_dir: Path, *, base_url: str, scale: int = 5000, seed: int = 42, fresh: bool = False
) -> EmulatorHandle:
    """Open (or create with `fresh`/when missing) `servicenow.db`; `scale`/`seed` are accepted for symmetry
    with
    the other emulators: the instance starts with no business data, the connector loads it."""
    del scale, seed
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    creds = _credentials(data_dir, base_url)
    db_path = data_dir / "servicenow.db"
    create = fresh or not db_path.exists()
    if create:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = ServiceNowSettings()
    store = Store(db_path, build_catalog(), user_name=USERNAME)
    user_sys_id = platform.stable_id("sys_user", USERNAME)
    if create:
        store.create_schema()
        platform.seed(store, settings, user_sys_id)
    else:
        platform.sync(store, settings, user_sys_id)
    app = create_app(
        settings,
        store,
        base_url=creds["instance_url"],
        user_sys_id=user_sys_id,
        credentials=Credentials(
            creds["username"], creds["password"], creds["client_id"], creds["client_secret"]
        ),
    )
    return EmulatorHandle(name="servicenow", app=app, credentials=creds, close=store.close)
