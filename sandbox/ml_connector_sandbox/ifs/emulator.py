"""Build the IFS emulator: open or seed the store, keep stable IAM client credentials."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from ml_connector_sandbox.ifs import seed as seeding
from ml_connector_sandbox.ifs.app import IfsCredentials, IfsRuntime, IfsSettings, create_app
from ml_connector_sandbox.ifs.catalog import PROJECTION_API
from ml_connector_sandbox.ifs.store import IfsStore

TENANT = "mlc"
REALM = "mlc1"  # observed realms look like the tenant plus an environment index (rule UNCONFIRMED)


@dataclass
class EmulatorHandle:
    """What the supervisor needs: the ASGI app, the credentials to publish, and a way to close the store."""

    app: Starlette
    credentials: dict[str, Any]
    runtime: IfsRuntime
    name: str = "ifs"
    seeded_counts: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        self.runtime.store.close()


def _load_or_create_credentials(path: Path) -> IfsCredentials:
    """Generated once and reused, so a sandbox restart does not invalidate client configs."""
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return IfsCredentials(**{k: data[k] for k in ("tenant", "realm", "client_id", "client_secret")})
    creds = IfsCredentials(TENANT, REALM, "ml-connector", secrets.token_urlsafe(32))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(creds), indent=2), encoding="utf-8")
    path.chmod(0o600)
    return creds


def build(data_dir: Path, *, base_url: str, scale: int = 5000, seed: int = 42, fresh: bool = False) -> EmulatorHandle:
    """Open (seeding when missing or `fresh`) `data_dir/ifs.db` and return the emulator ready to serve."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    base_url = base_url.rstrip("/")
    store = IfsStore(data_dir / "ifs.db")
    counts: dict[str, int] = {}
    if fresh or not store.is_seeded():
        counts = seeding.seed(store, scale=scale, seed=seed, now=int(time.time()))
    creds = _load_or_create_credentials(data_dir / "credentials" / "ifs.json")
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
    return EmulatorHandle(app=create_app(runtime), credentials=published, runtime=runtime, seeded_counts=counts)
