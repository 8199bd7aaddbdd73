"""Run the adapter in-process and query fakesnow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import snowflake.connector as snowflake_connector

DATA = Path(__file__).parent / "data"


def target_config(kwargs: dict[str, Any], schema: str, **extra: Any) -> dict[str, Any]:
    """Adapter config for one test schema; each test uses its own schema to stay independent."""
    return {
        "user": "fake",
        "password": "snow",
        "account": "fakesnow",
        "database": "ANALYTICS",
        "schema": schema,
        "host": kwargs["host"],
        "port": kwargs["port"],
        **extra,
    }


def load(config: dict[str, Any], fixture: str | Path) -> None:
    """Run the adapter in-process on a .singer file (what its CLI does, minus interpreter start-up)."""
    from target_snowflake_fakesnow.target import TargetSnowflakeFakesnow

    path = fixture if isinstance(fixture, Path) else DATA / fixture
    with path.open(encoding="utf-8") as handle:
        TargetSnowflakeFakesnow(config=config).listen(handle)


def query(kwargs: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    with snowflake_connector.connect(**kwargs, database="ANALYTICS") as conn:
        return conn.cursor().execute(sql).fetchall()
