"""Fixtures: a fresh ServiceNow emulator in tmp_path and a TestClient with Basic auth."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ml_connector_sandbox.servicenow import EmulatorHandle, build
from ml_connector_sandbox.servicenow.context import Context
from starlette.testclient import TestClient

BASE_URL = "http://127.0.0.1:18762"


@pytest.fixture
def handle(tmp_path: Path) -> Iterator[EmulatorHandle]:
    h = build(tmp_path, base_url=BASE_URL)
    yield h
    h.close()


@pytest.fixture
def ctx(handle: EmulatorHandle) -> Context:
    return handle.app.state.ctx


@pytest.fixture
def client(handle: EmulatorHandle) -> TestClient:
    c = TestClient(handle.app)
    c.auth = (handle.credentials["username"], handle.credentials["password"])
    return c


@pytest.fixture
def anon(handle: EmulatorHandle) -> TestClient:
    return TestClient(handle.app)
