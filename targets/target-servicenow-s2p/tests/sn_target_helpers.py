"""Helpers the target's sandbox tests share: feed Singer text to the target, read what landed.

A module of its own (not conftest) so its name cannot clash with another test folder's conftest.
"""

from __future__ import annotations

import io
import sqlite3
from typing import Any

from ml_connector_sandbox.testing import RunningSandbox

from target_servicenow_s2p.target import TargetServiceNowS2P


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
