"""Query building, both paging styles and token refresh with time travel — no server needed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import requests
import time_machine
from ml_connector.singer.oauth import ClientCredentialsAuthenticator
from singer_sdk.streams.rest import PageContext

from tap_ifs_cloud import odata
from tap_ifs_cloud.paging import ODataPaginator, PageToken, PageTracker
from tap_ifs_cloud.tap import TapIFSCloud

CONFIG = {"tenant": "acme", "realm": "acme1", "client_id": "tap", "client_secret": "s3cr3t-value",
          "companies": ["10", "O'Neil"], "page_size": 2}


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, json.dumps(body).encode()  # noqa: SLF001
    response.headers.update({"Content-Type": "application/json", **(headers or {})})
    return response


def test_literals_escape_quotes_and_format_timestamps() -> None:
    assert odata.string_literal("O'Brien") == "'O''Brien'"
    assert odata.timestamp_literal("2026-03-04T11:15:22+01:00") == "2026-03-04T10:15:22Z"
    assert odata.timestamp_literal(dt.datetime(2026, 1, 1)) == "2026-01-01T00:00:00Z"
    assert odata.date_literal(dt.date(2026, 1, 2)) == "2026-01-02"
    assert odata.all_of(["A eq 1", "B eq 2 or C eq 3", ""]) == "A eq 1 and (B eq 2 or C eq 3)"


def test_request_url_select_filter_and_paging_params() -> None:
    tap = TapIFSCloud(config=CONFIG, parse_env_config=False)
    stream = tap.streams["supplier_invoices"]
    stream.mask[("properties", "PayTermId")] = False  # deselected → not in $select
    request = stream.get_http_request(page=PageContext({"Company": "O'Neil"}, PageToken(4)))
    query = request.encode_params()
    assert request.url == ("https://acme.ifs.cloud/main/ifsapplications/projection/v1/"
                           "ManSuppInvoiceHandling.svc/ManSuppInvoiceSet")
    assert "$filter=Company%20eq%20'O''Neil'" in query and "$top=2&$skip=4" in query
    select = dict(p.split("=", 1) for p in query.split("&"))["$select"].split(",")
    assert "PayTermId" not in select and {"Company", "InvoiceId", "Rowversion"} <= set(select)
    lines = tap.streams["purchase_order_lines"]
    assert "/int/ifsapplications/entity/v1/PurchaseOrderLineEntity.svc/" in lines.get_url(None)


def test_incremental_condition_uses_bookmark_minus_lookback() -> None:
    tap = TapIFSCloud(config={**CONFIG, "change_lookback_seconds": 60}, parse_env_config=False)
    stream = tap.streams["supplier_invoices"]
    context = {"Company": "10"}
    state = stream.get_context_state(context)
    state.update(replication_key="Rowversion", replication_key_value="2026-03-04T10:15:22Z")
    assert stream.increment_condition(context) == "Rowversion gt 2026-03-04T10:14:22Z"


def test_client_paging_moves_skip_and_server_links_are_followed() -> None:
    tracker = PageTracker()
    client = ODataPaginator(tracker, 2, client_paging=True)
    tracker.rows, tracker.next_link = 2, None
    client.advance(_response(200, {}))
    assert client.current_value == PageToken(2)
    tracker.rows, tracker.next_link = 1, "https://x/Set?$skiptoken=1"  # server cut the $top window
    client.advance(_response(200, {}))
    assert client.current_value == PageToken(2, "https://x/Set?$skiptoken=1")
    tracker.rows, tracker.next_link = 1, None
    client.advance(_response(200, {}))
    assert client.current_value == PageToken(4)
    tracker.rows = 1
    client.advance(_response(200, {}))
    assert client.finished
    server = ODataPaginator(tracker, 5000, client_paging=False)
    tracker.rows, tracker.next_link = 5000, "https://x/Set?$skiptoken=5000"
    server.advance(_response(200, {}))
    assert server.current_value.next_link.endswith("5000")
    tracker.next_link = None
    server.advance(_response(200, {}))
    assert server.finished


class _TokenSession:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        self.posts.append(kwargs["data"])
        if len(self.posts) == 1:
            return _response(503, {"error": "busy"}, {"Retry-After": "0"})
        return _response(200, {"access_token": f"tok-{len(self.posts)}", "expires_in": 180})


def test_token_lifetime_from_response_refreshed_before_expiry() -> None:
    session = _TokenSession()
    auth = ClientCredentialsAuthenticator(token_url="https://acme/token", client_id="tap", client_secret="s3cr3t-value",
                                          scope="openid", refresh_margin_seconds=30, session=session,
                                          sleep=lambda _: None)
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), tick=False) as traveller:
        request = auth(requests.Request("GET", "https://acme/x").prepare())
        assert request.headers["Authorization"] == "Bearer tok-2" and auth.expires_in == 180
        assert session.posts[-1] == {"grant_type": "client_credentials", "client_id": "tap",
                                     "client_secret": "s3cr3t-value", "scope": "openid"}
        traveller.shift(149)
        assert auth.is_token_valid()
        traveller.shift(2)  # 151 s: inside the 30 s margin
        assert not auth.is_token_valid()
        auth(requests.Request("GET", "https://acme/x").prepare())
        assert len(session.posts) == 3
        auth.invalidate()  # what the stream does on a 401
        assert not auth.is_token_valid()
