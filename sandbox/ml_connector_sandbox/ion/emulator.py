"""Build the ION emulator: open or seed the M3 store, keep stable credentials, write the `.ionapi` file."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from ml_connector_sandbox.common.emulator import (
    SeededEmulatorHandle,
    credentials_path,
    load_or_create_credentials_as,
    seed_if_needed,
)
from ml_connector_sandbox.ion.app import IonCredentials, IonRuntime, IonSettings, create_app
from ml_connector_sandbox.ion import seed as seeding
from ml_connector_sandbox.ion.store import M3Store

TENANT = "MLC_TST"

EmulatorHandle = SeededEmulatorHandle[IonRuntime]


def _new_credentials() -> IonCredentials:
    return IonCredentials(
        tenant=TENANT,
        client_id=f"{TENANT}~{secrets.token_urlsafe(24)}",
        client_secret=secrets.token_urlsafe(32),
        saak=f"{TENANT}#{secrets.token_urlsafe(24)}",
        sask=secrets.token_urlsafe(32),
    )


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
    counts = seed_if_needed(store, fresh=fresh, seed=lambda s: seeding.seed(s, scale=scale, seed=seed))
    creds = load_or_create_credentials_as(data_dir, "ion", IonCredentials, _new_credentials)
    ionapi_path = credentials_path(data_dir, "ion").parent / "ml-connector.ionapi"
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
    return EmulatorHandle(name="ion", app=create_app(runtime), credentials=published, close=store.close,
                          runtime=runtime, seeded_counts=counts)
