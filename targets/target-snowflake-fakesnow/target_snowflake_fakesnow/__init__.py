"""Sandbox-only stand-in: stock target-snowflake, loading a local fakesnow server instead of Snowflake."""
