"""The encrypted store: round trip, wrong key, file mode, atomic rewrite, and config resolution."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from ml_connector.secrets import SECRET_PREFIX, SecretsError, SecretStore, resolve_config, resolve_secret

VALUE = "s3cr3t-Client-Value!"


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secrets.enc"
    monkeypatch.setenv("ML_CONNECTOR_SECRETS_FILE", str(path))
    monkeypatch.setenv("ML_CONNECTOR_SECRETS_KEY", "correct horse battery staple")
    return path


def test_round_trip_and_names(store_env: Path) -> None:
    store = SecretStore()
    store.set("ion_client_secret", VALUE)
    store.set("servicenow.password", "pw-1234")
    fresh = SecretStore()  # a new instance re-derives the key from the salt in the header
    assert fresh.get("ion_client_secret") == VALUE
    assert fresh.names() == ["ion_client_secret", "servicenow.password"]
    fresh.delete("servicenow.password")
    assert SecretStore().names() == ["ion_client_secret"]
    with pytest.raises(SecretsError, match="no secret named"):
        fresh.get("servicenow.password")
    with pytest.raises(SecretsError, match="no secret named"):
        fresh.delete("servicenow.password")


def test_file_is_private_and_holds_no_plaintext(store_env: Path) -> None:
    SecretStore().set("ion_client_secret", VALUE)
    assert stat.S_IMODE(store_env.stat().st_mode) == 0o600
    text = store_env.read_text()
    assert VALUE not in text and "ion_client_secret" not in text
    header = json.loads(text)
    assert header["kdf"]["name"] == "scrypt" and len(header["kdf"]["salt"]) > 0
    assert [p.name for p in store_env.parent.iterdir() if p.name.startswith(".secrets-")] == []


def test_salt_is_random_per_file(tmp_path: Path) -> None:
    one, two = SecretStore(tmp_path / "a.enc", key="k"), SecretStore(tmp_path / "b.enc", key="k")
    one.set("x", VALUE)
    two.set("x", VALUE)
    salt = lambda p: json.loads(p.read_text())["kdf"]["salt"]
    assert salt(tmp_path / "a.enc") != salt(tmp_path / "b.enc")


def test_wrong_key_is_a_clear_error_without_values(store_env: Path) -> None:
    SecretStore().set("ion_client_secret", VALUE)
    with pytest.raises(SecretsError) as caught:
        SecretStore(key="not the key").get("ion_client_secret")
    assert "wrong ML_CONNECTOR_SECRETS_KEY?" in str(caught.value)
    assert str(caught.value).startswith("cannot decrypt")
    assert VALUE not in str(caught.value)


def test_missing_key_names_the_variable(store_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ML_CONNECTOR_SECRETS_KEY")
    with pytest.raises(SecretsError, match="ML_CONNECTOR_SECRETS_KEY is not set"):
        SecretStore().names()


def test_invalid_names_and_empty_values_refused(store_env: Path) -> None:
    with pytest.raises(SecretsError, match="invalid secret name"):
        SecretStore().set("has space", VALUE)
    with pytest.raises(SecretsError, match="empty"):
        SecretStore().set("ok", "")


def test_not_a_secrets_file(store_env: Path) -> None:
    store_env.write_text("hello")
    with pytest.raises(SecretsError, match="not an ml-connector secrets file"):
        SecretStore().names()


def test_default_path_under_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ML_CONNECTOR_SECRETS_FILE", raising=False)
    monkeypatch.setenv("MELTANO_PROJECT_ROOT", str(tmp_path))
    assert SecretStore(key="k").path == tmp_path / ".ml-connector" / "secrets.enc"


def test_resolve_secret_and_config(store_env: Path) -> None:
    SecretStore().set("ion", VALUE)
    assert resolve_secret(f"{SECRET_PREFIX}ion") == VALUE
    assert resolve_secret("plain") == "plain"
    assert resolve_secret(None) is None
    config = {
        "client_secret": f"{SECRET_PREFIX}ion",
        "password": "typed-in-env",
        "base_url": "http://x",
        "n": 3,
    }
    resolved = resolve_config(config, ["client_secret", "password", "absent"])
    assert resolved == {"client_secret": VALUE, "password": "typed-in-env", "base_url": "http://x", "n": 3}
    assert config["client_secret"] == f"{SECRET_PREFIX}ion"  # the caller's mapping is untouched
    with pytest.raises(SecretsError, match="no secret named 'nope'"):
        resolve_secret(f"{SECRET_PREFIX}nope")
