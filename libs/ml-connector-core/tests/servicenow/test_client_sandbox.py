"""ServiceNowClient against the emulator: auth flavours, retries, paging, imports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from ml_connector_sandbox.testing import RunningSandbox, clean_admin, run_sandbox

from ml_connector.servicenow import (
    ImportRowResult,
    OAuthAuthenticator,
    ServiceNowAuthError,
    ServiceNowClient,
    ServiceNowUnavailable,
    UncertainWriteError,
    build_authenticator,
)
from ml_connector.servicenow.platform import current_user, inactive_scopes, missing_tables


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with run_sandbox(tmp_path_factory.mktemp("sn"), scale=300, names=("servicenow",)) as running:
        yield running


@pytest.fixture
def admin(sandbox: RunningSandbox) -> Any:
    return clean_admin(sandbox, "servicenow")


def client_for(sandbox: RunningSandbox, method: str = "oauth_client_credentials", **kw: Any) -> ServiceNowClient:
    creds = {**sandbox.servicenow.credentials, **kw}
    auth = build_authenticator(sandbox.servicenow.base_url, auth_method=method, client_id=creds["client_id"],
                               client_secret=creds["client_secret"], username=creds["username"],
                               password=creds["password"])
    return ServiceNowClient(sandbox.servicenow.base_url, auth, sleep=lambda _s: None)


@pytest.mark.parametrize("method", ["oauth_client_credentials", "oauth_password", "basic"])
def test_every_auth_method_reads(sandbox: RunningSandbox, admin: Any, method: str) -> None:
    assert current_user(client_for(sandbox, method)).user_name == "mlc.integration"


def test_bad_client_secret_names_the_settings(sandbox: RunningSandbox, admin: Any) -> None:
    with pytest.raises(ServiceNowAuthError, match=r"client_id/client_secret.*grant_type.enabled"):
        current_user(client_for(sandbox, client_secret="wrong"))


def test_token_refreshed_before_expiry_with_margin(sandbox: RunningSandbox, admin: Any) -> None:
    now = [0.0]
    creds = sandbox.servicenow.credentials
    auth = OAuthAuthenticator(sandbox.servicenow.base_url, grant="password", client_id=creds["client_id"],
                              client_secret=creds["client_secret"], username=creds["username"],
                              password=creds["password"], margin_seconds=120, clock=lambda: now[0])
    auth.headers()
    now[0] = 1800 - 121
    auth.headers()
    assert auth.tokens_fetched == 1
    now[0] = 1800 - 119  # inside the margin: renewed (through the refresh token) before it expires
    auth.headers()
    assert auth.tokens_fetched == 2


def test_revoked_token_reauths_once(sandbox: RunningSandbox, admin: Any) -> None:
    client = client_for(sandbox)
    current_user(client)
    admin.revoke_tokens()
    assert current_user(client).user_name
    assert client.counters["reauth"] == 1


def test_retry_after_is_honoured_exactly(sandbox: RunningSandbox, admin: Any) -> None:
    waits: list[float] = []
    client = client_for(sandbox)
    client._sleep = waits.append  # noqa: SLF001
    current_user(client)
    admin.faults(rate_429=1.0, retry_after_seconds=7)
    try:
        with pytest.raises(ServiceNowUnavailable, match="rate limited"):
            current_user(client)
    finally:
        admin.clear_faults()
    assert waits == [7.0] * (client.max_attempts - 1)


def test_keyset_paging_reads_everything(sandbox: RunningSandbox, admin: Any) -> None:
    client = client_for(sandbox)
    rows = [{"code": f"K{i:03d}", "name": f"n{i}", "erp_source": "PAGE", "legal_entity": "X", "status": "active"}
            for i in range(23)]
    client.import_multiple("sn_fcms_intg_imp_cost_center", rows)
    seen = list(client.iter_table("cmn_cost_center", "erp_source=PAGE", ["code"], page_size=5))
    assert sorted(r["code"] for r in seen) == [r["code"] for r in rows]


def test_async_import_is_polled_and_mapped_to_input_order(sandbox: RunningSandbox, admin: Any) -> None:
    admin.settings(insert_multiple_mode_override="async", async_delay_seconds=0.3)
    client = ServiceNowClient(sandbox.servicenow.base_url, client_for(sandbox).auth)
    try:
        rows = [{"code": f"A{i}", "name": "x", "erp_source": "ASYNC", "legal_entity": "X", "status": "active"}
                for i in range(7)]
        rows[3] = dict(rows[3], code="")  # empty coalesce key: skipped by the instance
        result = client.import_multiple("sn_fcms_intg_imp_cost_center", rows, chunk_size=3)
    finally:
        admin.settings(insert_multiple_mode_override=None)
    assert [r.status for r in result.rows] == ["inserted"] * 3 + ["skipped"] + ["inserted"] * 3
    assert len(result.import_set_ids) == 3 and all(r.sys_id for r in result.rows if r.ok)


def test_uncertain_insert_is_rechecked_not_resent_blindly(sandbox: RunningSandbox, admin: Any) -> None:
    client = client_for(sandbox)
    real = client.request
    calls: list[int] = []

    def flaky(method: str, path: str, **kw: Any) -> requests.Response:
        if "insertMultiple" in path and not calls:
            calls.append(1)
            real(method, path, **kw)  # it lands, but the answer is lost
            raise UncertainWriteError(502, "Bad Gateway")
        return real(method, path, **kw)

    client.request = flaky  # type: ignore[method-assign]
    rows = [{"code": f"U{i}", "name": "x", "erp_source": "UNC", "legal_entity": "X", "status": "active"}
            for i in range(4)]

    def recheck(batch: Any) -> dict[int, ImportRowResult]:
        found = {r["code"]: r["sys_id"] for r in client.iter_table("cmn_cost_center", "erp_source=UNC", ["code"])}
        return {i: ImportRowResult("inserted", found[r["code"]]) for i, r in enumerate(batch) if r["code"] in found}

    result = client.import_multiple("sn_fcms_intg_imp_cost_center", rows, recheck=recheck)
    assert [r.status for r in result.rows] == ["inserted"] * 4
    assert admin.stats()["by_route"]["import:insertMultiple:sn_fcms_intg_imp_cost_center"] == 1


def test_platform_checks(sandbox: RunningSandbox, admin: Any) -> None:
    client = client_for(sandbox)
    assert inactive_scopes(client, ["sn_shop", "sn_fcms_intg"]) == []
    assert missing_tables(client, ["sn_fcms_intg_imp_supplier", "u_nope"]) == ["u_nope"]
    admin.settings(s2p_apps_installed=False)
    try:
        assert inactive_scopes(client, ["sn_shop", "sn_fcms_intg"]) == ["sn_shop", "sn_fcms_intg"]
    finally:
        admin.settings(s2p_apps_installed=True)
