"""The SDK's standard tap tests, run against the M3 emulator."""

from __future__ import annotations

from typing import Any

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_infor_cloudsuite.tap import TapInforCloudSuite

# Filled in place by `_point_at_sandbox` before the suite's runner syncs: the test class is built at import
# time, when the session's emulator does not exist yet. The placeholder only has to pass config validation.
SUITE_CONFIG: dict[str, Any] = {
    "ionapi_path": "set-by-fixture.ionapi",
    "companies": [{"cono": "100", "divisions": ["AAA", "BBB"]}, {"cono": "200", "divisions": ["AAA"]}],
}


@pytest.fixture(scope="session", autouse=True)
def _point_at_sandbox(sandbox) -> None:
    SUITE_CONFIG.update(ionapi_path=sandbox.ion.credentials["ionapi_path"], requests_per_minute=0)


TestTapInforCloudSuite = get_tap_test_class(
    TapInforCloudSuite,
    config=SUITE_CONFIG,
    suite_config=SuiteConfig(max_records_limit=5),
    parse_env_config=False,
)
