"""What every emulator's `build()` shares: the handle it returns and credentials that survive restarts."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from starlette.applications import Starlette

from ml_connector_sandbox.common.faults import FaultInjector
from ml_connector_sandbox.common.stats import RequestStats
from ml_connector_sandbox.common.tokens import TokenStore

RuntimeT = TypeVar("RuntimeT")
SettingsT = TypeVar("SettingsT")
StoreT = TypeVar("StoreT")
CredentialsT = TypeVar("CredentialsT")


@dataclass
class EmulatorRuntime(Generic[SettingsT, StoreT, CredentialsT]):
    """Shared by a token-issuing emulator's routes; tests reach in (e.g. `tokens.clock`) to travel in time."""

    settings: SettingsT
    store: StoreT
    credentials: CredentialsT
    clock: Callable[[], float] = time.time
    tokens: TokenStore = field(default_factory=TokenStore)
    stats: RequestStats = field(default_factory=RequestStats)
    faults: FaultInjector = field(default_factory=FaultInjector)


@dataclass
class EmulatorHandle:
    """What the supervisor needs: the ASGI app, the credentials to publish, and a way to release resources."""

    name: str
    app: Starlette
    credentials: dict[str, Any]
    close: Callable[[], None] = field(repr=False)


@dataclass
class SeededEmulatorHandle(EmulatorHandle, Generic[RuntimeT]):
    """An emulator over a seeded store; tests reach into `runtime` to change settings or travel in time."""

    runtime: RuntimeT
    seeded_counts: dict[str, int] = field(default_factory=dict)


class _SeedableStore(Protocol):
    def is_seeded(self) -> bool: ...


StoreSeededT = TypeVar("StoreSeededT", bound=_SeedableStore)


def seed_if_needed(
    store: StoreSeededT, *, fresh: bool, seed: Callable[[StoreSeededT], dict[str, int]]
) -> dict[str, int]:
    """Seed a new (or `fresh`) store; a seeded one is served as it is, so mutations survive restarts.
    Returns the rows seeded per table (empty when nothing was seeded)."""
    return seed(store) if fresh or not store.is_seeded() else {}


def credentials_path(data_dir: Path, name: str) -> Path:
    """`<data dir>/credentials/<emulator>.json`, where `sandbox status --json` and later builds find them."""
    return Path(data_dir) / "credentials" / f"{name}.json"


def write_credentials(path: Path, credentials: dict[str, Any]) -> None:
    """Owner-only, since the file holds secrets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(credentials, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


def load_or_create_credentials(
    data_dir: Path, name: str, generate: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Generated once and reused, so a sandbox restart does not invalidate client configs."""
    path = credentials_path(data_dir, name)
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    credentials = generate()
    write_credentials(path, credentials)
    return credentials


def load_or_create_credentials_as(
    data_dir: Path, name: str, cls: type[CredentialsT], generate: Callable[[], CredentialsT]
) -> CredentialsT:
    """`load_or_create_credentials` as a credentials dataclass; keys it does not know are ignored."""
    data = load_or_create_credentials(data_dir, name, lambda: asdict(generate()))  # type: ignore[call-overload]
    return cls(**{f.name: data[f.name] for f in fields(cls)})  # type: ignore[arg-type]
