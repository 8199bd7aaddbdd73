"""Snowflake stand-in: fakesnow's server app (DuckDB behind the Snowflake wire protocol), persisted on disk."""

from ml_connector_sandbox.snowflake.emulator import EmulatorHandle, build

__all__ = ["EmulatorHandle", "build"]
