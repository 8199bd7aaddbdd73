"""Authentication settings: a clear message when none is given; key-pair settings accepted."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from singer_sdk.exceptions import ConfigValidationError
from target_snowflake_fakesnow.target import TargetSnowflakeFakesnow, auth_errors

from .helpers import DATA, load, query, target_config

BASE = {"user": "loader", "account": "acme-xy12345", "database": "ANALYTICS"}


def test_neither_password_nor_key_pair_fails_clearly() -> None:
    with pytest.raises(ConfigValidationError) as raised:
        TargetSnowflakeFakesnow(config=BASE)
    assert "no Snowflake authentication configured" in raised.value.errors[0]
    assert "private_key_path" in raised.value.errors[0]


def test_two_methods_at_once_are_refused() -> None:
    assert auth_errors({**BASE, "password": "x", "private_key_path": "/keys/rsa.p8"})
    assert not auth_errors({**BASE, "private_key_path": "/keys/rsa.p8"})
    assert not auth_errors({**BASE, "use_browser_authentication": True})


def _run(executable: str, config: dict, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    schema_line = (DATA / "invoices_run1.singer").read_text(encoding="utf-8").splitlines()[0] + "\n"
    script = Path(sys.executable).with_name(executable)
    return subprocess.run(
        [str(script), "--config", str(path)], input=schema_line, capture_output=True, text=True, timeout=120, check=False
    )


def test_stock_target_fails_on_first_schema_without_detail(tmp_path: Path) -> None:
    """What production's stock target-snowflake 0.19.2 does: exit 1, but only "Config validation failed"."""
    done = _run("target-snowflake", BASE, tmp_path)
    assert done.returncode == 1
    assert "Config validation failed" in done.stderr
    assert "no Snowflake authentication configured" not in done.stderr


def test_adapter_cli_names_the_missing_settings(tmp_path: Path) -> None:
    done = _run("target-snowflake-fakesnow", BASE, tmp_path)
    assert done.returncode == 1
    assert "no Snowflake authentication configured" in done.stderr


def test_key_pair_from_secret_setting_connects(fakesnow_kwargs: dict) -> None:
    """`private_key` (base64 DER, as a secret env var would hold it) is read and sent; fakesnow accepts it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    config = target_config(fakesnow_kwargs, "KEYPAIR")
    del config["password"]
    config["private_key"] = base64.b64encode(der).decode()
    load(config, "invoices_run1.singer")
    assert query(fakesnow_kwargs, "select count(*) from ANALYTICS.KEYPAIR.SUPPLIER_INVOICES") == [(10,)]
