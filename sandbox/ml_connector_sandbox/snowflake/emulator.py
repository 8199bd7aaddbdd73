"""Serve fakesnow's Starlette app as the sandbox's Snowflake, with its databases as DuckDB files.

fakesnow keeps one database instance in a module global of `fakesnow.server` and accepts any user,
password or account. `build()` swaps that global for one that stores each Snowflake database as
`<data dir>/snowflake/<DATABASE>.db`, so what a run loaded survives `sandbox down`/`up` and can be
inspected with `duckdb`. (A client-side `FAKESNOW_DB_PATH` session parameter would open the files once
per login instead.) Hence one Snowflake stand-in per process.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from ml_connector_sandbox.common.emulator import EmulatorHandle

USER, PASSWORD, ACCOUNT = "fake", "snow", "fakesnow"
DATABASE = "ANALYTICS"


def _credentials(base_url: str, db_dir: Path) -> dict[str, Any]:
    url = urlparse(base_url)
    return {
        "user": USER,
        "password": PASSWORD,
        "account": ACCOUNT,
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 80,
        "protocol": url.scheme or "http",
        "database": DATABASE,
        "duckdb_dir": str(db_dir),
    }


def build(
    data_dir: Path, *, base_url: str, scale: int = 5000, seed: int = 42, fresh: bool = False
) -> EmulatorHandle:
    """Point fakesnow at `<data_dir>/snowflake/` (emptied with `fresh`); the warehouse starts empty."""
    del scale, seed  # nothing to seed: target-snowflake creates schemas and tables itself
    if sys.version_info < (3, 11):
        msg = "the Snowflake stand-in needs Python >= 3.11 (fakesnow, duckdb and snowflake-connector-python)"
        raise RuntimeError(msg)
    import fakesnow.server as fakesnow_server  # heavy (duckdb, sqlglot): only when the sandbox starts
    from fakesnow.instance import FakeSnow

    db_dir = Path(data_dir) / "snowflake"
    if fresh and db_dir.exists():
        shutil.rmtree(db_dir)
    db_dir.mkdir(parents=True, exist_ok=True)
    instance = FakeSnow(db_path=db_dir)
    fakesnow_server.shared_fs = instance
    fakesnow_server.sessions.clear()

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"ok": True, "emulator": "snowflake"})

    app = Starlette(routes=[Route("/_sandbox/health", health), Mount("", app=fakesnow_server.app)])

    def close() -> None:
        for conn in list(fakesnow_server.sessions.values()):
            with contextlib.suppress(Exception):  # a dead session must not stop the shutdown
                conn.close()
        fakesnow_server.sessions.clear()
        instance.duck_conn.close()

    return EmulatorHandle(name="snowflake", app=app, credentials=_credentials(base_url, db_dir), close=close)
