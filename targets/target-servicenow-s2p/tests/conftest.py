"""Fixtures: one sandbox per module, a fresh ledger per test, and a helper that feeds Singer text to the target."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ml_connector_sandbox.testing import RunningSandbox, clean_admin, run_sandbox  # noqa: E402



@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with run_sandbox(tmp_path_factory.mktemp("sandbox"), scale=300, names=("servicenow",)) as running:
        yield running


@pytest.fixture
def sn_admin(sandbox: RunningSandbox) -> Any:
    return clean_admin(sandbox, "servicenow")


@pytest.fixture
def config(sandbox: RunningSandbox, tmp_path: Path) -> dict[str, Any]:
    creds = sandbox.servicenow.credentials
    return {
        "instance_url": sandbox.servicenow.base_url,
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
        "ledger_url": f"sqlite:///{tmp_path}/ledger.db",
    }
