"""Fixtures: a small seeded IFS emulator per module behind a TestClient, plus a token helper."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterator

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")

from ml_connector_sandbox.ifs import build  # noqa: E402

from .helpers import SCALE, Ifs  # noqa: E402


@pytest.fixture(scope="module")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ifs")
    build(path, base_url="http://testserver", scale=SCALE, seed=42).close()
    return path


@pytest.fixture
def ifs(shared_dir: Path) -> Iterator[Ifs]:
    """A new runtime (tokens, stats, settings, faults) over the module's seeded data."""
    emulator = Ifs(build(shared_dir, base_url="http://testserver", scale=SCALE, seed=42))
    yield emulator
    emulator.handle.close()


@pytest.fixture
def ifs_fresh(tmp_path: Path) -> Iterator[Ifs]:
    emulator = Ifs(build(tmp_path, base_url="http://testserver", scale=SCALE, seed=42))
    yield emulator
    emulator.handle.close()
