"""Build the ServiceNow emulator over a data directory: credentials, SQLite store, platform seed, app."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from ml_connector_sandbox.servicenow import platform
from ml_connector_sandbox.servicenow.app import create_app
from ml_connector_sandbox.servicenow.auth import Credentials
from ml_connector_sandbox.servicenow.catalog import build_catalog
from ml_connector_sandbox.servicenow.settings import ServiceNowSettings
from ml_connector_sandbox.servicenow.store import Store

USERNAME = "mlc.integration"


@dataclass
class EmulatorHandle:
    app: Starlette
    credentials: dict[str, Any]
    close: Callable[[], None] = field(repr=False)
    name: str = "servicenow"


def _credentials(data_dir: Path, base_url: str) -> dict[str, Any]:
    """Generated once and kept, so `status --json` and later builds hand out the same secrets."""
    path = data_dir / "credentials" / "servicenow.json"
    if path.exists():
        creds = json.loads(path.read_text())
    else:
        creds = {
            "username": USERNAME,
            "password": secrets.token_urlsafe(18),
            "client_id": secrets.token_hex(16),
            "client_secret": secrets.token_urlsafe(24),
        }
    creds["instance_url"] = base_url.rstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(creds, indent=2) + "\n")
    path.chmod(0o600)
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
    return EmulatorHandle(app=app, credentials=creds, close=store.close)
