"""Fixtures: one sandbox per module, a fresh ledger per test, and a helper that feeds Singer text to the target."""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ml_connector_sandbox.testing import RunningSandbox, run_sandbox  # noqa: E402

from target_servicenow_s2p.target import TargetServiceNowS2P  # noqa: E402


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with run_sandbox(tmp_path_factory.mktemp("sandbox"), scale=300, names=("servicenow",)) as running:
        yield running


@pytest.fixture
def sn_admin(sandbox: RunningSandbox) -> Any:
    admin = sandbox.admin("servicenow")
    admin.clear_faults()
    admin.reset_stats()
    return admin


@pytest.fixture
def config(sandbox: RunningSandbox, tmp_path: Path) -> dict[str, Any]:
    creds = sandbox.servicenow.credentials
    return {
        "instance_url": sandbox.servicenow.base_url,
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
        "ledger_url": f"sqlite:///{tmp_path}/ledger.db",
    }


def run_target(config: dict[str, Any], text: str) -> TargetServiceNowS2P:
    target = TargetServiceNowS2P(config=config)
    target.listen(io.StringIO(text))
    return target


def sn_rows(sandbox: RunningSandbox, table: str, where: str = "1=1", params: tuple = ()) -> list[dict[str, Any]]:
    db = sqlite3.connect(sandbox.data_dir / "servicenow.db")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute(f"SELECT * FROM {table} WHERE {where}", params)]
    finally:
        db.close()


def write_requests(stats: dict[str, Any]) -> int:
    """Requests the write path made: everything but the token and the pre-flight reads."""
    skip = ("oauth", "table:GET:sys_user", "table:GET:sys_store_app", "table:GET:sys_scope",
            "table:GET:sys_db_object", "table:GET:sys_user_has_role")
    return sum(n for route, n in stats["by_route"].items() if not route.startswith(skip))
