"""Build the IFS emulator: open or seed the store, keep stable IAM client credentials."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from ml_connector_sandbox.common.emulator import (
    SeededEmulatorHandle,
    load_or_create_credentials_as,
    seed_if_needed,
)
from ml_connector_sandbox.ifs import seed as seeding
from ml_connector_sandbox.ifs.app import IfsCredentials, IfsRuntime, IfsSettings, create_app
from ml_connector_sandbox.ifs.catalog import PROJECTION_API
from ml_connector_sandbox.ifs.store import IfsStore

TENANT = "mlc"
REALM = "mlc1"  # observed realms look like the tenant plus an environment index (rule UNCONFIRMED)

EmulatorHandle = SeededEmulatorHandle[IfsRuntime]


def _new_credentials() -> IfsCredentials:
    return IfsCredentials(TENANT, REALM, "ml-connector", secrets.token_urlsafe(32))


def build(data_dir: Path, *, base_url: str, scale: int = 5000, seed: int = 42, fresh: bool = False) -> EmulatorHandle:
    """Open (seeding when missing or `fresh`) `data_dir/ifs.db` and return the emulator ready to serve."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    base_url = base_url.rstrip("/")
    store = IfsStore(data_dir / "ifs.db")
    counts = seed_if_needed(
        store, fresh=fresh, seed=lambda s: seeding.seed(s, scale=scale, seed=seed, now=int(time.time()))
    )
    creds = load_or_create_credentials_as(data_dir, "ifs", IfsCredentials, _new_credentials)
    runtime = IfsRuntime(settings=IfsSettings(), store=store, credentials=creds)
    published = {
        "tenant": creds.tenant,
        "realm": creds.realm,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "base_url": base_url,
        "token_url": f"{base_url}/auth/realms/{creds.realm}/protocol/openid-connect/token",
        "api_base_url": f"{base_url}/main/{PROJECTION_API}",
        "companies": store.companies(),
    }
    return EmulatorHandle(name="ifs", app=create_app(runtime), credentials=published, close=store.close,
                          runtime=runtime, seeded_counts=counts)
