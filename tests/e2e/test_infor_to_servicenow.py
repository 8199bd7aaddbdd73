"""The main job, `meltano run tap-infor-cloudsuite target-servicenow-s2p`, end to end on the sandbox."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Project, import_requests
from tests.e2e.expectations import assert_loaded_exactly_once

pytestmark = pytest.mark.e2e


def _counts(project: Project) -> dict[str, dict[str, int]]:
    run = project.ledger().last_run()
    assert run is not None
    return run.counts


def test_first_run_loads_every_record_once(project: Project) -> None:
    result = project.main_job()
    assert result.returncode == 0, result.explain()
    assert_loaded_exactly_once(project.m3(), project.servicenow())
    counts = _counts(project)
    assert counts["supplier_invoices"]["inserted"] == counts["supplier_invoices"]["extracted"]
    for secret in project.secrets():
        assert secret not in result.output


def test_second_run_writes_nothing(project: Project) -> None:
    sn_admin = project.sandbox.admin("servicenow")
    sn_admin.reset_stats()
    result = project.main_job()
    assert result.returncode == 0, result.explain()
    assert import_requests(sn_admin.stats()) == 0
    for stream, counts in _counts(project).items():
        assert counts.get("inserted", 0) == 0, stream
        assert counts.get("updated", 0) == 0, stream
    assert_loaded_exactly_once(project.m3(), project.servicenow())


def test_five_changed_invoices_update_exactly_those(project: Project) -> None:
    changed = project.sandbox.admin("ion").mutate({"action": "change_invoices", "count": 5})["changed"]
    assert len(changed) == 5
    result = project.main_job()
    assert result.returncode == 0, result.explain()
    counts = _counts(project)
    assert counts["supplier_invoices"]["updated"] == 5
    assert counts["supplier_invoices"].get("inserted", 0) == 0
    assert counts["suppliers"].get("updated", 0) == 0
    assert_loaded_exactly_once(project.m3(), project.servicenow())


def test_faults_give_the_same_final_content(fresh_project: Project) -> None:
    for name in ("ion", "servicenow"):
        fresh_project.sandbox.admin(name).faults(
            rate_429=0.10, rate_5xx=0.05, retry_after_seconds=1, revoke_tokens_after=15, seed=5
        )
    result = fresh_project.main_job()
    assert result.returncode == 0, result.explain()
    stats = fresh_project.sandbox.admin("servicenow").stats()
    assert stats["by_status"].get("429", 0) > 0, "no fault was injected"
    assert_loaded_exactly_once(fresh_project.m3(), fresh_project.servicenow())
