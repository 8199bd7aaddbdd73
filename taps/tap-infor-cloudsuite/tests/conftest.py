"""A session-wide ION/M3 emulator and helpers to run the tap in-process against it."""

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
from tap_infor_cloudsuite.tap import TapInforCloudSuite

COMPANIES = [{"cono": "100", "divisions": ["AAA", "BBB"]}, {"cono": "200", "divisions": ["AAA"]}]


def run_tap(
    config: dict[str, Any], *, state: dict | None = None, streams: list[str] | None = None
) -> SyncResult[TapInforCloudSuite]:
    """One `sync_all` in-process; stdout captured as Singer messages."""
    return run_tap_in_process(TapInforCloudSuite, config, state=state, streams=streams)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with run_sandbox(tmp_path_factory.mktemp("sandbox"), scale=300, seed=7, names=("ion",)) as running:
        yield running


@pytest.fixture
def ion(sandbox: RunningSandbox) -> Iterator[AdminClient]:
    """The ION admin client, with faults and settings restored after each test."""
    with restoring_admin(sandbox, "ion") as admin:
        yield admin


@pytest.fixture
def config(sandbox: RunningSandbox) -> dict[str, Any]:
    return {
        "ionapi_path": sandbox.ion.credentials["ionapi_path"],
        "companies": COMPANIES,
        "requests_per_minute": 0,
        "lookback_days": 0,
    }


@pytest.fixture
def m3_db(sandbox: RunningSandbox) -> Iterator[sqlite3.Connection]:
    with read_only_database(sandbox, "m3.db") as conn:
        yield conn


@pytest.fixture(name="run_tap")
def _run_tap_fixture():
    return run_tap
