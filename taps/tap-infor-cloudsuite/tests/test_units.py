"""Request building without a server: LMDT start day, EXPORTMI conditions, list-transaction URLs."""

from __future__ import annotations

from typing import Any

import pytest
from singer_sdk.streams.rest import PageContext
from tap_infor_cloudsuite.tap import TapInforCloudSuite

BASE = {"ionapi_path": "unused.ionapi", "companies": [{"cono": "100", "divisions": ["AAA", "BBB"]}]}


def _tap(state: dict[str, Any] | None = None, **config: Any) -> TapInforCloudSuite:
    return TapInforCloudSuite(
        config={**BASE, **config}, state=state, validate_config=True, parse_env_config=False
    )


def _state(stream: str, value: str) -> dict[str, Any]:
    return {
        "bookmarks": {
            stream: {
                "partitions": [
                    {"context": {"cono": "100"}, "replication_key": "LMDT", "replication_key_value": value}
                ]
            }
        }
    }


@pytest.mark.parametrize(
    ("state_value", "config", "expected"),
    [
        (None, {}, None),
        (None, {"start_date": "2024-03-01"}, "2024-03-01"),
        ("2024-05-10", {"lookback_days": 0}, "2024-05-10"),
        ("2024-05-10", {"lookback_days": 3}, "2024-05-07"),
        ("2024-05-10", {"lookback_days": 30, "start_date": "2024-05-01"}, "2024-05-01"),
    ],
)
def test_start_day(state_value, config, expected) -> None:
    state = _state("suppliers", state_value) if state_value else None
    stream = _tap(state, **config).streams["suppliers"]
    assert stream.start_day({"cono": "100"}) == expected


def test_exportmi_where_with_keyset_and_divisions() -> None:
    stream = _tap(_state("supplier_invoices", "2024-05-10"), lookback_days=1).streams["supplier_invoices"]
    where = stream.where({"cono": "100"}, ("AAA", 2024, 17, 1))
    assert where == (
        "EPCONO = 100 and EPTRCD = 40 and EPJSNO = 1 and (EPDIVI = 'AAA' or EPDIVI = 'BBB') and EPLMDT >= 20240509"
        " and ((EPDIVI > 'AAA') or (EPDIVI = 'AAA' and EPYEA4 > 2024) or (EPDIVI = 'AAA' and EPYEA4 = 2024 and "
        "EPJRNO > 17) or (EPDIVI = 'AAA' and EPYEA4 = 2024 and EPJRNO = 17 and EPJSNO > 1))"
    )


def test_exportmi_request(monkeypatch) -> None:
    stream = _tap(page_size=500).streams["suppliers"]
    monkeypatch.setattr(type(stream), "url_base", "https://ion/T/M3/m3api-rest/v2")
    request = stream.get_http_request(
        page=PageContext(stream_context={"cono": "100"}, next_page_token=("S1",))
    )
    assert request.url == "https://ion/T/M3/m3api-rest/v2/execute/EXPORTMI/Select;maxrecs=500;cono=100"
    assert request.params["HDRS"] == "1" and request.params["SEPC"] == "|"
    assert request.params["QERY"].endswith("from CIDMAS where IDCONO = 100 and (IDSUNO > 'S1')")


def test_list_request(monkeypatch) -> None:
    stream = _tap(cost_center_dimension=3).streams["cost_centers"]
    monkeypatch.setattr(type(stream), "url_base", "https://ion/T/M3/m3api-rest/v2")
    context = {"cono": "100", "divi": "BBB"}
    request = stream.get_http_request(page=PageContext(stream_context=context, next_page_token=("4000",)))
    assert request.url.endswith("/execute/CRS630MI/LstAccountID;maxrecs=1000;cono=100;divi=BBB")
    assert request.params == {"AITP": 3, "DIVI": "BBB", "AITM": "4000"}


def test_partitions_carry_no_secrets() -> None:
    tap = _tap(ionapi='{"ti": "x"}')
    assert tap.streams["suppliers"].partitions == [{"cono": "100"}]
    assert tap.streams["gl_accounts"].partitions == [
        {"cono": "100", "divi": "AAA"},
        {"cono": "100", "divi": "BBB"},
    ]
