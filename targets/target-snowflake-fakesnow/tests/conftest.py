"""A fakesnow server shared by the adapter tests."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

# These tests need fakesnow and target-snowflake 0.19.2, installed in `.venvs/snowflake` (`make test-snowflake`);
# elsewhere they are not collected rather than failing on an import.
_NEEDS = ("fakesnow", "target_snowflake", "target_snowflake_fakesnow")
collect_ignore_glob = [] if all(importlib.util.find_spec(m) for m in _NEEDS) else ["test_*.py"]


@pytest.fixture(scope="session")
def fakesnow_kwargs() -> Iterator[dict[str, Any]]:
    """Connect kwargs of an in-process fakesnow server (one in-memory DuckDB shared by all tests)."""
    import fakesnow

    with fakesnow.server() as kwargs:
        yield kwargs
