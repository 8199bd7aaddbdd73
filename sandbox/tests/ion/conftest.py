"""Fixtures: a small seeded ION emulator per test module, plus helpers to get tokens and call MI."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")  # starlette's TestClient nags about httpx2

from starlette.testclient import TestClient  # noqa: E402

from ml_connector_sandbox.ion import EmulatorHandle, build  # noqa: E402

SCALE = 400
BASE = "http://testserver"


class Ion:
    """A TestClient with the emulator's credentials and small helpers for the common calls."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle = handle
        self.creds = handle.credentials
        self.client = TestClient(handle.app)
        self.runtime = handle.runtime
        self._token: str | None = None

    def token_response(self, **overrides: str) -> Any:
        data = {"grant_type": "password", "username": self.creds["saak"], "password": self.creds["sask"],
                "client_id": self.creds["client_id"], "client_secret": self.creds["client_secret"]}
        data.update(overrides)
        return self.client.post("/MLC_TST/as/token.oauth2", data=data)

    def token(self) -> str:
        if self._token is None:
            response = self.token_response()
            assert response.status_code == 200, response.text
            self._token = response.json()["access_token"]
        return self._token

    def get(self, path: str, params: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        return self.client.get(f"/MLC_TST/M3/m3api-rest/v2/execute/{path}", params=params, headers=headers)

    def mi(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The single result of a successful-status MI call."""
        response = self.get(path, params)
        assert response.status_code == 200, response.text
        return response.json()["results"][0]

    def records(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, str]]:
        result = self.mi(path, params)
        assert "errorMessage" not in result, result
        return result["records"]

    def export(self, query: str, matrix: str = "", **params: Any) -> list[str]:
        return [r["REPL"] for r in self.records(f"EXPORTMI/Select{matrix}", {"QERY": query, **params})]


def _make(path: Path) -> Ion:
    return Ion(build(path, base_url=BASE, scale=SCALE, seed=42))


@pytest.fixture(scope="module")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded database per module; tests that change data use `ion_fresh`."""
    path = tmp_path_factory.mktemp("ion")
    build(path, base_url=BASE, scale=SCALE, seed=42).close()
    return path


@pytest.fixture
def ion(shared_dir: Path) -> Iterator[Ion]:
    """A new runtime (tokens, stats, settings, faults) over the module's seeded data."""
    emulator = _make(shared_dir)
    yield emulator
    emulator.handle.close()


@pytest.fixture
def ion_fresh(tmp_path: Path) -> Iterator[Ion]:
    emulator = _make(tmp_path)
    yield emulator
    emulator.handle.close()


class FakeClock:
    """Time that only moves when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
