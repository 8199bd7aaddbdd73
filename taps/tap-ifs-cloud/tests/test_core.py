"""The SDK's standard tap tests, run against the IFS emulator."""

from __future__ import annotations

from typing import Any

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_ifs_cloud.tap import TapIFSCloud

from .conftest import tap_config

# Filled in place before the suite syncs: the class is built at import, before the emulator exists.
SUITE_CONFIG: dict[str, Any] = {"base_url": "http://set-by-fixture", "realm": "r", "client_id": "c",
                                "client_secret": "s", "companies": ["10"]}


@pytest.fixture(scope="session", autouse=True)
def _point_at_sandbox(sandbox) -> None:
    SUITE_CONFIG.update(tap_config(sandbox))


TestTapIFSCloud = get_tap_test_class(
    TapIFSCloud, config=SUITE_CONFIG, suite_config=SuiteConfig(max_records_limit=5), parse_env_config=False,
)
