"""A session-wide IFS emulator (scale 300) and helpers to run the tap in-process against it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from ml_connector_sandbox.testing import (
    AdminClient,
    RunningSandbox,
    SyncResult,
    read_only_database,
    restoring_admin,
    run_sandbox,
    run_tap_in_process,
)

from tap_ifs_cloud.tap import TapIFSCloud


def run_tap(
    config: dict[str, Any], *, state: dict | None = None, streams: list[str] | None = None
) -> SyncResult[TapIFSCloud]:
    """One `sync_all` in-process; stdout captured as Singer messages."""
    return run_tap_in_process(TapIFSCloud, config, state=state, streams=streams)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """Only the IFS emulator: faster, and independent of the other emulators."""
    with run_sandbox(tmp_path_factory.mktemp("sandbox"), scale=300, seed=7, names=("ifs",)) as running:
        yield running


def tap_config(sandbox: RunningSandbox, **overrides: Any) -> dict[str, Any]:
    creds = sandbox.emulators["ifs"].credentials
    return {"base_url": creds["base_url"], "realm": creds["realm"], "client_id": creds["client_id"],
            "client_secret": creds["client_secret"], "companies": creds["companies"], "requests_per_minute": 0,
            "change_lookback_seconds": 0, "page_size": 100, **overrides}


@pytest.fixture
def ifs(sandbox: RunningSandbox) -> Iterator[AdminClient]:
    """The IFS admin client; faults and settings restored after each test."""
    with restoring_admin(sandbox, "ifs") as admin:
        yield admin


@pytest.fixture
def config(sandbox: RunningSandbox) -> dict[str, Any]:
    return tap_config(sandbox)


@pytest.fixture
def ifs_db(sandbox: RunningSandbox) -> Iterator[sqlite3.Connection]:
    with read_only_database(sandbox, "ifs.db") as conn:
        yield conn


@pytest.fixture(name="run_tap")
def _run_tap_fixture():
    return run_tap
