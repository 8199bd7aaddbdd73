"""Build the ION emulator: open or seed the M3 store, keep stable credentials, write the `.ionapi` file."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from ml_connector_sandbox.ion.app import IonCredentials, IonRuntime, IonSettings, create_app
from ml_connector_sandbox.ion import seed as seeding
from ml_connector_sandbox.ion.store import M3Store

TENANT = "MLC_TST"


@dataclass
class EmulatorHandle:
    """What the supervisor needs: the ASGI app, the credentials to publish, and a way to close the store."""

    app: Starlette
    credentials: dict[str, Any]
    runtime: IonRuntime
    name: str = "ion"
    seeded_counts: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        self.runtime.store.close()


def _load_or_create_credentials(path: Path) -> IonCredentials:
    """Secrets are generated once and reused so a sandbox restart does not invalidate client configs."""
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return IonCredentials(**{k: data[k] for k in ("tenant", "client_id", "client_secret", "saak", "sask")})
    creds = IonCredentials(
        tenant=TENANT,
        client_id=f"{TENANT}~{secrets.token_urlsafe(24)}",
        client_secret=secrets.token_urlsafe(32),
        saak=f"{TENANT}#{secrets.token_urlsafe(24)}",
        sask=secrets.token_urlsafe(32),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(creds), indent=2), encoding="utf-8")
    path.chmod(0o600)
    return creds


def _write_ionapi(path: Path, creds: IonCredentials, base_url: str) -> None:
    ionapi = {
        "ti": creds.tenant,
        "cn": "ml-connector",
        "dt": "12",
        "ci": creds.client_id,
        "cs": creds.client_secret,
        "iu": base_url,
        "pu": f"{base_url}/{creds.tenant}/as/",
        "oa": "authorization.oauth2",
        "ot": "token.oauth2",
        "or": "revoke_token.oauth2",
        "ev": "U000000001",
        "v": "1.0",
        "saak": creds.saak,
        "sask": creds.sask,
    }
    path.write_text(json.dumps(ionapi, indent=2, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)


def build(data_dir: Path, *, base_url: str, scale: int = 5000, seed: int = 42, fresh: bool = False) -> EmulatorHandle:
    """Open (seeding when missing or `fresh`) `data_dir/m3.db` and return the emulator ready to serve."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    base_url = base_url.rstrip("/")
    store = M3Store(data_dir / "m3.db")
    counts: dict[str, int] = {}
    if fresh or not store.is_seeded():
        counts = seeding.seed(store, scale=scale, seed=seed)
    cred_dir = data_dir / "credentials"
    creds = _load_or_create_credentials(cred_dir / "ion.json")
    ionapi_path = cred_dir / "ml-connector.ionapi"
    _write_ionapi(ionapi_path, creds, base_url)
    runtime = IonRuntime(settings=IonSettings(), store=store, credentials=creds)
    published = {
        "tenant": creds.tenant,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "saak": creds.saak,
        "sask": creds.sask,
        "token_url": f"{base_url}/{creds.tenant}/as/token.oauth2",
        "api_base_url": f"{base_url}/{creds.tenant}/M3/m3api-rest/v2",
        "ionapi_path": str(ionapi_path),
    }
    return EmulatorHandle(app=create_app(runtime), credentials=published, runtime=runtime, seeded_counts=counts)
