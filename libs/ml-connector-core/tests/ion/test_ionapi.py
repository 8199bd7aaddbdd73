from __future__ import annotations

import json
from pathlib import Path

import pytest
from ml_connector.ion.ionapi import IonApiFileError, parse_ionapi

GOOD = {
    "ti": "ACME_TST",
    "cn": "ml-connector",
    "dt": "12",
    "ci": "ACME_TST~clientid",
    "cs": "client-secret-value",
    "iu": "https://ion.example.com",
    "pu": "https://sso.example.com:443/ACME_TST/as/",
    "oa": "authorization.oauth2",
    "ot": "token.oauth2",
    "or": "revoke_token.oauth2",
    "ev": "U1",
    "v": "1.0",
    "saak": "ACME_TST#serviceaccountkey",
    "sask": "service-account-secret",
}
SECRETS = ("ACME_TST~clientid", "client-secret-value", "ACME_TST#serviceaccountkey", "service-account-secret")


def test_parse_text_builds_urls() -> None:
    creds = parse_ionapi(json.dumps(GOOD))
    assert creds.m3_base_url == "https://ion.example.com/ACME_TST/M3/m3api-rest/v2"
    assert creds.token_url == "https://sso.example.com:443/ACME_TST/as/token.oauth2"
    assert creds.revoke_url == "https://sso.example.com:443/ACME_TST/as/revoke_token.oauth2"
    assert creds.source == "ionapi setting"
    assert not any(s in repr(creds) for s in SECRETS)


def test_parse_path(tmp_path: Path) -> None:
    path = tmp_path / "x.ionapi"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert parse_ionapi(str(path)).source == str(path)
    assert parse_ionapi(path).saak == GOOD["saak"]


def test_missing_keys_named_without_secrets(tmp_path: Path) -> None:
    bad = {k: v for k, v in GOOD.items() if k not in ("ot", "iu")}
    path = tmp_path / "bad.ionapi"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(IonApiFileError) as info:
        parse_ionapi(str(path))
    message = str(info.value)
    assert "iu" in message and "ot" in message and str(path) in message
    assert not any(s in message for s in SECRETS)


def test_no_service_account() -> None:
    bad = {k: v for k, v in GOOD.items() if k not in ("saak", "sask")}
    with pytest.raises(IonApiFileError, match=r"no service-account keys \(saak/sask\)"):
        parse_ionapi(json.dumps(bad))


def test_invalid_json_does_not_echo_content() -> None:
    text = json.dumps(GOOD)[:-5]
    with pytest.raises(IonApiFileError) as info:
        parse_ionapi(text)
    assert "not valid JSON" in str(info.value)
    assert not any(s in str(info.value) for s in SECRETS)


def test_unreadable_path() -> None:
    with pytest.raises(IonApiFileError, match="cannot read the .ionapi file /nonexistent/x.ionapi"):
        parse_ionapi("/nonexistent/x.ionapi")


def test_every_missing_key_is_named_at_once() -> None:
    import json

    import pytest

    from ml_connector.ion.ionapi import IonApiFileError, parse_ionapi

    partial = {"ti": "T", "ci": "T~c", "cs": "s3cr3t-value", "iu": "https://gw", "ot": "token.oauth2", "sask": "pw-value"}
    with pytest.raises(IonApiFileError) as caught:
        parse_ionapi(json.dumps(partial))
    message = str(caught.value)
    assert "pu" in message and "saak" in message
    assert "s3cr3t-value" not in message and "pw-value" not in message
