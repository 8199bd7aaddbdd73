"""The ifs_cloud source profile: per-company references, IFS field names, existence (not validity) checked."""

from __future__ import annotations

from mapper_gl_vendor.crosswalk import Crosswalk
from mapper_gl_vendor.resolution import Resolver
from mapper_gl_vendor.rules import compile_profile

PROFILE = compile_profile("ifs_cloud")


def _resolver() -> Resolver:
    resolver = Resolver(PROFILE, crosswalk=Crosswalk(), target={})
    refs = PROFILE.references
    for stream, record in (
        ("gl_accounts", {"Company": "10", "Account": "4000", "ValidUntil": "2019-01-01"}),
        ("cost_centers", {"Company": "10", "CodeB": "CC100"}),
        ("suppliers", {"Company": "10", "SupplierId": "SUP-1", "Objstate": "Blocked"}),
    ):
        resolver.observe(refs[stream], record)
    return resolver


def test_profile_names_ifs_streams_and_fields() -> None:
    assert PROFILE.erp_source_prefix == "IFS"
    assert {r.stream: (r.dimension, r.field, r.per_division) for r in PROFILE.references.values()} == {
        "gl_accounts": ("gl_account", "Account", False),
        "cost_centers": ("cost_center", "CodeB", False),
        "suppliers": ("vendor", "SupplierId", False),
    }
    assert PROFILE.document_of("supplier_invoice_lines").key == ("Company", "InvoiceId")
    assert PROFILE.document_of("purchase_order_lines").key == ("OrderNo",)
    assert "purchase_order_lines" not in PROFILE.checks  # IFS PO lines carry no posting codes


def test_known_values_resolve_even_when_expired_or_blocked() -> None:
    resolver = _resolver()
    line = {"Company": "10", "InvoiceId": 1, "Account": "4000", "CodeB": "CC100"}
    assert resolver.resolve(PROFILE.checks["supplier_invoice_lines"], line) == (
        {"mlc_gl_account": "4000", "mlc_cost_center": "CC100"}, [])
    added, reasons = resolver.resolve(PROFILE.checks["supplier_invoices"], {"Company": "10", "Identity": "SUP-1"})
    assert reasons == [] and added == {"mlc_vendor": "SUP-1"}


def test_unknown_cost_center_and_other_company_are_reported() -> None:
    resolver = _resolver()
    _, reasons = resolver.resolve(PROFILE.checks["supplier_invoice_lines"],
                                  {"Company": "10", "Account": "4000", "CodeB": "CC999"})
    assert [(r["field"], r["value"], r["reason"]) for r in reasons] == [("CodeB", "CC999", "unknown_in_source")]
    _, reasons = resolver.resolve(PROFILE.checks["purchase_orders"], {"Company": "20", "VendorNo": "SUP-1"})
    assert [r["reason"] for r in reasons] == ["unknown_in_source"]  # suppliers are filed per company


def test_po_lines_without_checks_never_overtake_their_held_header() -> None:
    """IFS PO lines have nothing to check, yet they wait with their document: the target needs the header first."""
    from mapper_gl_vendor.router import MessageRouter

    out: list[dict] = []
    router = MessageRouter(PROFILE, _resolver, emit=out.append, book=lambda: None)  # type: ignore[arg-type]
    def rec(stream: str, **fields: object) -> dict:
        return {"type": "RECORD", "stream": stream, "record": {"Company": "10", **fields}}
    messages = [
        rec("suppliers", SupplierId="SUP-1"),
        rec("purchase_orders", OrderNo="P1", VendorNo="SUP-1"),
        rec("purchase_orders", OrderNo="P2", VendorNo="SUP-1"),
        rec("purchase_order_lines", OrderNo="P1", LineNo="1"),
        rec("purchase_order_lines", OrderNo="P1", LineNo="2"),
        rec("purchase_order_lines", OrderNo="P2", LineNo="1"),
    ]
    for message in messages:
        router.record(message)
    router.end()
    order = [(m["stream"], m["record"].get("OrderNo"), m["record"].get("LineNo")) for m in out]
    assert order == [
        ("suppliers", None, None),
        ("purchase_orders", "P1", None),
        ("purchase_order_lines", "P1", "1"),
        ("purchase_order_lines", "P1", "2"),
        ("purchase_orders", "P2", None),
        ("purchase_order_lines", "P2", "1"),
    ]
