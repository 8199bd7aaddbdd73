"""Resolution rules: crosswalk (global, per company, per division), inactive, missing, unknown in source."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper_gl_vendor.crosswalk import Crosswalk, CrosswalkError
from mapper_gl_vendor.resolution import Resolver
from mapper_gl_vendor.rules import compile_profile

PROFILE = compile_profile("infor_m3")
LINE = PROFILE.checks["supplier_invoice_lines"]
HEAD = PROFILE.checks["supplier_invoices"]


def _resolver(crosswalk: Crosswalk | None = None, **kw: object) -> Resolver:
    target = {
        ("gl_account", "100", "AAA", "4000"): True,
        ("gl_account", "100", "AAA", "4999"): False,
        ("gl_account", "100", "AAA", "5000"): True,
        ("cost_center", "100", "AAA", "CC1"): True,
        ("vendor", "100", "", "S1"): True,
    }
    remembered = [(("gl_account", "100", "AAA", c), True) for c in ("4000", "4999", "4100")]
    remembered += [(("cost_center", "100", "AAA", "CC1"), True), (("vendor", "100", "", "S1"), True),
                   (("vendor", "100", "", "S2"), True)]
    return Resolver(PROFILE, crosswalk=crosswalk or Crosswalk(), target=target, remembered=remembered, **kw)


def _line(account: str, center: str = "CC1", cono: str = "100") -> dict[str, str]:
    return {"CONO": cono, "DIVI": "AAA", "AIT1": account, "AIT2": center}


def test_valid_line_gets_the_target_values() -> None:
    added, reasons = _resolver().resolve(LINE, _line("4000"))
    assert reasons == []
    assert added == {"mlc_gl_account": "4000", "mlc_cost_center": "CC1"}


def test_every_failing_field_is_reported() -> None:
    _, reasons = _resolver().resolve(LINE, _line("9999", "CC9"))
    assert [(r["field"], r["value"], r["reason"]) for r in reasons] == [
        ("AIT1", "9999", "unknown_in_source"), ("AIT2", "CC9", "unknown_in_source")]


def test_inactive_and_absent_on_target() -> None:
    resolver = _resolver()
    assert resolver.resolve(LINE, _line("4999"))[1][0]["reason"] == "inactive_in_target"
    assert resolver.resolve(LINE, _line("4100"))[1][0]["reason"] == "no_crosswalk_entry"
    assert resolver.resolve(HEAD, {"CONO": "100", "SUNO": "S2"})[1][0]["reason"] == "no_crosswalk_entry"


def test_missing_required_value_and_optional_empty_value() -> None:
    _, reasons = _resolver().resolve(LINE, _line("", ""))
    assert [(r["field"], r["reason"]) for r in reasons] == [("AIT1", "missing_value")]


def test_crosswalk_global_company_and_division_entries(tmp_path: Path) -> None:
    path = tmp_path / "cw.csv"
    path.write_text("dimension,source_value,target_value,company\n"
                    "gl_account,9999,4000,\n"
                    "gl_account,9999,5000,100\n"
                    "gl_account,8888,4000,100/AAA\n"
                    "gl_account,8888,5000,100\n"
                    "gl_account,7777,4999,\n"
                    "gl_account,6666,1234,\n", encoding="utf-8")
    resolver = _resolver(Crosswalk.load(path))
    assert resolver.resolve(LINE, _line("9999"))[0]["mlc_gl_account"] == "5000"  # company wins over global
    assert resolver.resolve(LINE, _line("8888"))[0]["mlc_gl_account"] == "4000"  # division wins over company
    _, reasons = resolver.resolve(LINE, _line("9999", cono="200"))
    assert reasons[0]["reason"] == "not_in_target"  # global entry 4000 does not exist in company 200
    assert resolver.resolve(LINE, _line("7777"))[1][0]["reason"] == "inactive_in_target"
    assert resolver.resolve(LINE, _line("6666"))[1][0]["reason"] == "not_in_target"


def test_required_crosswalk_dimension() -> None:
    resolver = _resolver(crosswalk_required=["vendor"])
    assert resolver.resolve(HEAD, {"CONO": "100", "SUNO": "S1"})[1][0]["reason"] == "no_crosswalk_entry"


def test_reference_records_of_the_run_count_on_both_sides() -> None:
    resolver = Resolver(PROFILE, crosswalk=Crosswalk(), target={})
    resolver.observe(PROFILE.references["gl_accounts"], {"CONO": "100", "DIVI": "AAA", "AITM": "4000", "LCKD": "0"})
    resolver.observe(PROFILE.references["cost_centers"], {"CONO": "100", "DIVI": "AAA", "AITM": "CC1", "LCKD": "1"})
    _, reasons = resolver.resolve(LINE, _line("4000"))
    assert [(r["field"], r["reason"]) for r in reasons] == [("AIT2", "inactive_in_target")]


def test_bad_crosswalk_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("dimension,source_value\ngl_account,1\n", encoding="utf-8")
    with pytest.raises(CrosswalkError):
        Crosswalk.load(bad)
    bad.write_text("dimension,source_value,target_value\nplanet,1,2\n", encoding="utf-8")
    with pytest.raises(CrosswalkError):
        Crosswalk.load(bad)
