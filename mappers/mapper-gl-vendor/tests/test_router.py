"""Document grouping, STATE holding and pass-through order, through the router with an in-memory book."""

from __future__ import annotations

from typing import Any

from gl_vendor_messages import cc, gl, invoice, line, record, schema, state, supplier

from mapper_gl_vendor.crosswalk import Crosswalk
from mapper_gl_vendor.resolution import Resolver
from mapper_gl_vendor.router import MessageRouter
from mapper_gl_vendor.rules import compile_profile

PROFILE = compile_profile("infor_m3")


class FakeBook:
    def __init__(self, out: list[Any]) -> None:
        self.out = out
        self.documents: list[tuple[str, list[str], list[dict[str, str]]]] = []

    def quarantine(self, document: str, records: list[tuple[str, dict, str]], reasons: list[dict]) -> None:
        self.documents.append((document, [f"{s}:{sid}" for s, _, sid in records], reasons))

    def flush(self) -> None:
        self.out.append("flush")


def run(messages: list[dict[str, Any]]) -> tuple[list[Any], FakeBook]:
    out: list[Any] = []
    book = FakeBook(out)
    router = MessageRouter(PROFILE, lambda: Resolver(PROFILE, crosswalk=Crosswalk(), target={}),
                           emit=out.append, book=lambda: book)
    for m in messages:
        getattr(router, {"SCHEMA": "schema", "RECORD": "record", "STATE": "state",
                         "ACTIVATE_VERSION": "activate_version"}[m["type"]])(m)
    router.end()
    return out, book


def _tags(out: list[Any]) -> list[str]:
    tags = []
    for m in out:
        if m == "flush":
            continue
        if m["type"] == "RECORD":
            r = m["record"]
            tags.append(f"{m['stream']}:{r.get('JRNO', r.get('AITM', r.get('SUNO', r.get('ITNO'))))}"
                        + (f".{r['JSNO']}" if m["stream"].endswith("lines") else ""))
        elif m["type"] == "STATE":
            tags.append(f"STATE{m['value']['n']}")
        else:
            tags.append(f"{m['type']}:{m['stream']}")
    return tags


REFERENCES = [schema("suppliers"), supplier("S1"), supplier("S9", "90"),
              schema("gl_accounts"), gl("4000"), gl("4999", locked="1"),
              schema("cost_centers"), cc("CC1")]


def test_documents_release_whole_and_state_waits_for_them() -> None:
    out, book = run([
        *REFERENCES, state(1),
        schema("supplier_invoices"), invoice(1), invoice(2), state(2), invoice(3), invoice(4, suno="S9"),
        schema("supplier_invoice_lines"), line(1, 2), line(1, 3), state(3),
        line(2, 2), line(2, 3, account="4999"),
        schema("items"), record("items", ITNO="X1"), state(4),
    ])
    assert _tags(out) == [
        "SCHEMA:suppliers", "suppliers:S1", "suppliers:S9", "SCHEMA:gl_accounts", "gl_accounts:4000",
        "gl_accounts:4999", "SCHEMA:cost_centers", "cost_centers:CC1", "STATE1",
        "SCHEMA:supplier_invoices", "SCHEMA:supplier_invoice_lines",
        "supplier_invoices:1", "supplier_invoice_lines:1.2", "supplier_invoice_lines:1.3",
        "SCHEMA:items",
        # invoice 2's line fails: header and both lines are quarantined; invoices 3 (no lines in this run)
        # passes alone and 4 (blocked vendor) is quarantined alone when the line stream ends
        "supplier_invoices:3",
        "STATE3", "items:X1", "STATE4",
    ]
    assert [(d, ids) for d, ids, _ in book.documents] == [
        ("supplier_invoice:100|AAA|2025|2",
         ["supplier_invoices:100|AAA|2025|2|1", "supplier_invoice_lines:100|AAA|2025|2|2",
          "supplier_invoice_lines:100|AAA|2025|2|3"]),
        ("supplier_invoice:100|AAA|2025|4", ["supplier_invoices:100|AAA|2025|4|1"]),
    ]
    reasons = book.documents[0][2]
    assert reasons == [{"stream": "supplier_invoice_lines", "record": "100|AAA|2025|2|3", "field": "AIT1",
                        "value": "4999", "reason": "inactive_in_target",
                        "detail": "gl_account 4999 is inactive on the target side (company 100, division AAA)"}]
    assert book.documents[1][2][0]["reason"] == "inactive_in_target"
    assert out[out.index("flush") + 1]["type"] == "STATE"  # quarantine committed before the STATE


def test_added_fields_in_schema_and_records() -> None:
    out, _ = run([*REFERENCES, schema("supplier_invoices"), invoice(1), schema("supplier_invoice_lines"), line(1, 2)])
    schemas = {m["stream"]: m for m in out if m != "flush" and m["type"] == "SCHEMA"}
    assert "mlc_vendor" in schemas["supplier_invoices"]["schema"]["properties"]
    assert "mlc_gl_account" in schemas["supplier_invoice_lines"]["schema"]["properties"]
    assert schemas["suppliers"]["schema"] == schema("suppliers")["schema"]  # reference streams untouched
    records = [m["record"] for m in out if m != "flush" and m["type"] == "RECORD"]
    assert records[-2]["mlc_vendor"] == "S1"
    assert (records[-1]["mlc_gl_account"], records[-1]["mlc_cost_center"]) == ("4000", "CC1")


def test_lines_without_header_and_unknown_streams_pass_in_order() -> None:
    out, book = run([*REFERENCES, schema("supplier_invoice_lines"), line(7, 2), line(7, 3), state(1),
                     line(8, 2, account="1"), {"type": "RECORD", "stream": "mystery", "record": {"a": 1}},
                     {"type": "ACTIVATE_VERSION", "stream": "mystery", "version": 3}])
    assert _tags(out)[-5:] == ["supplier_invoice_lines:7.2", "supplier_invoice_lines:7.3", "STATE1",
                               "mystery:None", "ACTIVATE_VERSION:mystery"]
    assert book.documents[0][0] == "supplier_invoice:100|AAA|2025|8"
    assert book.documents[0][2][0]["reason"] == "unknown_in_source"


def test_state_with_nothing_held_passes_at_once() -> None:
    out, _ = run([state(1), *REFERENCES, state(2)])
    tags = _tags(out)
    assert tags[0] == "STATE1" and tags[-1] == "STATE2"
