"""Start-up validation: every settings mistake fails before any stream syncs, naming its cause, no secrets."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from tap_infor_cloudsuite.preflight import PreflightError


def _secrets(sandbox) -> list[str]:
    creds = sandbox.ion.credentials
    return [creds[k] for k in ("client_id", "client_secret", "saak", "sask")]


def _no_stream_requests(ion) -> bool:
    return not any(route.startswith(("M3/EXPORTMI", "M3/CRS630MI")) for route in ion.stats()["by_route"])


def test_product_line_not_supported(run_tap, config) -> None:
    with pytest.raises(PreflightError, match="product_line 'ln' is not supported yet; only 'm3' is"):
        run_tap({**config, "product_line": "ln"})


def test_missing_credentials_setting(run_tap, config) -> None:
    config = {k: v for k, v in config.items() if k != "ionapi_path"}
    with pytest.raises(PreflightError, match="set either 'ionapi'.*or 'ionapi_path'"):
        run_tap(config)


def test_malformed_ionapi(run_tap, config, sandbox, ion, tmp_path: Path) -> None:
    ion.reset_stats()
    data = json.loads(Path(sandbox.ion.credentials["ionapi_path"]).read_text())
    del data["pu"], data["saak"]
    bad = tmp_path / "broken.ionapi"
    bad.write_text(json.dumps(data))
    with pytest.raises(PreflightError) as info:
        run_tap({**config, "ionapi_path": str(bad)})
    assert "pu" in str(info.value) and str(bad) in str(info.value)
    assert not any(s in str(info.value) for s in _secrets(sandbox))
    assert ion.stats()["total"] <= 1  # only the stats reset itself: nothing reached ION


def test_ionapi_content_setting_works(run_tap, config, sandbox) -> None:
    content = Path(sandbox.ion.credentials["ionapi_path"]).read_text()
    config = {k: v for k, v in config.items() if k != "ionapi_path"}
    result = run_tap({**config, "ionapi": content}, streams=["suppliers"])
    assert result.records["suppliers"]


def test_wrong_company(run_tap, config, ion) -> None:
    ion.reset_stats()
    companies = [{"cono": "100", "divisions": ["AAA"]}, {"cono": "300", "divisions": ["AAA"]}]
    with pytest.raises(PreflightError) as info:
        run_tap({**config, "companies": companies})
    assert str(info.value) == (
        "company 300 is not available to this service account on the M3 instance "
        "(M3: Not authorized for company 300)"
    )
    assert _no_stream_requests(ion)


def test_unknown_division_names_valid_ones(run_tap, config) -> None:
    with pytest.raises(
        PreflightError, match=r"company 100 has no division\(s\) ZZZ .*valid divisions: AAA, BBB"
    ):
        run_tap({**config, "companies": [{"cono": "100", "divisions": ["AAA", "ZZZ"]}]})


@pytest.mark.parametrize(("key", "error"), [("cs", "invalid_client"), ("sask", "invalid_grant")])
def test_wrong_credentials_cli(sandbox, tmp_path: Path, key: str, error: str) -> None:
    """Through the real CLI: non-zero exit, the OAuth error and the file named, nothing secret on stderr."""
    data = json.loads(Path(sandbox.ion.credentials["ionapi_path"]).read_text())
    data[key] = "wrong-value-123"
    path = tmp_path / "wrong.ionapi"
    path.write_text(json.dumps(data))
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"ionapi_path": str(path), "companies": [{"cono": "100", "divisions": ["AAA"]}]})
    )
    exe = Path(sys.executable).with_name("tap-infor-cloudsuite")
    proc = subprocess.run(
        [str(exe), "--config", str(config)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode != 0
    assert error in proc.stderr and str(path) in proc.stderr
    assert '"type":"SCHEMA"' not in proc.stdout.replace(" ", "")
    for secret in [*_secrets(sandbox), "wrong-value-123"]:
        if secret != data[key]:
            assert secret not in proc.stderr


def test_no_secret_in_logs(run_tap, config, sandbox, caplog, capsys) -> None:
    caplog.set_level(logging.DEBUG)
    result = run_tap(config, streams=["suppliers", "gl_accounts"])
    auth = result.tap.ion_authenticator
    text = caplog.text + capsys.readouterr().err
    assert "Pre-flight checks passed" in text
    for secret in [*_secrets(sandbox), auth.access_token, auth.refresh_token]:
        assert secret and secret not in text
