"""The sandbox's Snowflake: fakesnow served with a health route, its databases kept under the data dir."""

from __future__ import annotations

from pathlib import Path

import requests
import snowflake.connector
from ml_connector_sandbox.registry import EMULATORS
from ml_connector_sandbox.snowflake import build


def _connect(creds: dict) -> snowflake.connector.SnowflakeConnection:
    return snowflake.connector.connect(
        user=creds["user"], password=creds["password"], account=creds["account"], host=creds["host"],
        port=creds["port"], protocol=creds["protocol"], database=creds["database"], schema="RAW",
        network_timeout=5, session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
    )


def test_registered_on_its_port() -> None:
    assert any(spec.name == "snowflake" and spec.default_port == 18764 for spec in EMULATORS)


def test_serves_snowflake_and_keeps_data_across_restarts(serve, tmp_path: Path) -> None:
    handle, creds = serve(build, tmp_path, fresh=True)
    base = f"http://{creds['host']}:{creds['port']}"
    assert requests.get(f"{base}/_sandbox/health", timeout=5).json() == {"ok": True, "emulator": "snowflake"}
    with _connect(creds) as conn:
        conn.cursor().execute("create table T (ID number(38,0), AMT number(38,6))")
        conn.cursor().execute("insert into T values (1, 1.123456)")
    serve.stop()
    handle.close()
    assert (tmp_path / "snowflake" / "ANALYTICS.db").exists()

    handle, creds = serve(build, tmp_path, fresh=False)
    with _connect(creds) as conn:
        assert conn.cursor().execute("select ID, AMT::varchar from T").fetchall() == [(1, "1.123456")]
    serve.stop()
    handle.close()

    handle, creds = serve(build, tmp_path, fresh=True)
    with _connect(creds) as conn:
        tables = conn.cursor().execute("show tables in schema ANALYTICS.RAW").fetchall()
    assert tables == []
    serve.stop()
    handle.close()
