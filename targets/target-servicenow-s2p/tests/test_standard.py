"""The SDK's standard target tests. Their fixtures use streams the infor_m3 profile does not map, so they
exercise the message handling, CLI and the ignored-stream path — never the instance (pre-flight runs only
for mapped streams). Exclusions are listed with the reason."""

from __future__ import annotations

import tempfile
from pathlib import Path

from singer_sdk.testing import get_target_test_class
from singer_sdk.testing import target_tests as sdk
from singer_sdk.testing.suites import SingerTestSuite

from target_servicenow_s2p.target import TargetServiceNowS2P

SUITE = SingerTestSuite(
    kind="target",
    tests=[
        sdk.TargetArrayData,
        sdk.TargetCamelcaseComplexSchema,
        sdk.TargetCamelcaseTest,
        sdk.TargetCliPrintsTest,
        sdk.TargetDuplicateRecords,
        sdk.TargetEncodedStringData,
        sdk.TargetNoPrimaryKeys,
        sdk.TargetOptionalAttributes,
        sdk.TargetPrimaryKeyUpdates,
        sdk.TargetRecordMissingOptionalFields,
        sdk.TargetSchemaNoProperties,
        sdk.TargetSchemaUpdates,
        sdk.TargetSpecialCharsInAttributes,
        # Excluded:
        # - TargetInvalidSchemaTest, TargetRecordBeforeSchemaTest, TargetRecordMissingKeyProperty: they expect
        #   an exception from SDK validation/key checks; this target keeps validation opt-in (validate_records)
        #   and dead-letters bad records instead of stopping the run, so those expectations do not apply.
        # - TargetMultipleStateMessages: disabled in the SDK's own suite as well.
    ],
)

CONFIG = {
    # never contacted: every fixture stream is unmapped, and pre-flight only runs for mapped streams
    "instance_url": "http://127.0.0.1:9",
    "client_id": "standard-tests",
    "client_secret": "standard-tests-secret",
    "ledger_url": f"sqlite:///{Path(tempfile.gettempdir()) / 'target-servicenow-s2p-standard-tests.db'}",
}

TestTargetServiceNowS2P = get_target_test_class(TargetServiceNowS2P, config=CONFIG, custom_suites=[SUITE],
                                                include_target_tests=False)
