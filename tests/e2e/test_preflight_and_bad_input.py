"""Bad configuration fails before any write, with a message naming the cause and no secret in the output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Project, import_requests

pytestmark = pytest.mark.e2e


def _no_writes_and_no_secrets(project: Project, output: str) -> None:
    assert import_requests(project.sandbox.admin("servicenow").stats()) == 0
    for secret in project.secrets():
        assert secret not in output


def test_preflight_fails_without_s2p_apps(fresh_project: Project) -> None:
    admin = fresh_project.sandbox.admin("servicenow")
    admin.settings(s2p_apps_installed=False)
    admin.reset_stats()
    result = fresh_project.main_job()
    assert result.returncode != 0
    assert "S2P apps missing or inactive" in result.output
    _no_writes_and_no_secrets(fresh_project, result.output)


def test_malformed_ionapi_fails_naming_the_missing_keys(fresh_project: Project, tmp_path: Path) -> None:
    good = json.loads(Path(fresh_project.sandbox.ion.credentials["ionapi_path"]).read_text(encoding="utf-8"))
    broken = {k: v for k, v in good.items() if k not in ("pu", "saak")}
    path = tmp_path / "broken.ionapi"
    path.write_text(json.dumps(broken), encoding="utf-8")
    fresh_project.sandbox.admin("servicenow").reset_stats()
    result = fresh_project.main_job(extra_env={"TAP_INFOR_CLOUDSUITE_IONAPI_PATH": str(path)})
    assert result.returncode != 0
    assert "pu" in result.output and "saak" in result.output
    _no_writes_and_no_secrets(fresh_project, result.output)


def test_wrong_company_fails_naming_it(fresh_project: Project) -> None:
    fresh_project.sandbox.admin("servicenow").reset_stats()
    companies = json.dumps([{"cono": "999", "divisions": ["AAA"]}])
    result = fresh_project.main_job(extra_env={"TAP_INFOR_CLOUDSUITE_COMPANIES": companies})
    assert result.returncode != 0
    assert "company 999" in result.output
    _no_writes_and_no_secrets(fresh_project, result.output)


def test_wrong_servicenow_secret_fails_naming_the_setting(fresh_project: Project) -> None:
    fresh_project.sandbox.admin("servicenow").reset_stats()
    result = fresh_project.main_job(extra_env={"TARGET_SERVICENOW_S2P_CLIENT_SECRET": "not-the-secret"})
    assert result.returncode != 0
    assert "client_secret" in result.output
    _no_writes_and_no_secrets(fresh_project, result.output)
