"""The Snowflake stand-in tests need fakesnow and target-snowflake: they run in `.venvs/snowflake`."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# These tests need fakesnow and target-snowflake 0.19.2, installed in `.venvs/snowflake` (`make test-snowflake`);
# elsewhere they are not collected rather than failing on an import.
_NEEDS = ("fakesnow", "target_snowflake", "target_snowflake_fakesnow")
collect_ignore_glob = [] if all(importlib.util.find_spec(m) for m in _NEEDS) else ["test_*.py"]


@pytest.fixture
def serve() -> Iterator[Any]:
    """Serve an emulator handle on a free port from a background thread, like `sandbox up` does."""
    from ml_connector_sandbox.server import free_port, make_servers, serve_all

    running: list[tuple[Any, threading.Thread]] = []

    def start(build: Any, data_dir: Path, *, fresh: bool) -> tuple[Any, dict[str, Any]]:
        port = free_port()
        handle = build(data_dir, base_url=f"http://127.0.0.1:{port}", fresh=fresh)
        [server] = make_servers([(handle.app, "127.0.0.1", port)])
        thread = threading.Thread(target=lambda: asyncio.run(serve_all([server])), daemon=True)
        thread.start()
        running.append((server, thread))
        import time

        while not server.started:
            time.sleep(0.05)
        return handle, handle.credentials

    def stop() -> None:
        while running:
            server, thread = running.pop()
            server.should_exit = True
            thread.join(timeout=10)

    start.stop = stop  # type: ignore[attr-defined]
    yield start
    stop()
