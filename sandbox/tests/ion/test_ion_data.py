"""Seeded data (determinism, consistency) and admin mutations."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

from ml_connector_sandbox.ion.files import FILES
from ml_connector_sandbox.ion.seed import money, seed
from ml_connector_sandbox.ion.store import M3Store

from .conftest import Ion, SCALE


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2, 3').fetchall() for name in FILES}
    finally:
        conn.close()


def test_seed_is_deterministic(tmp_path: Path) -> None:
    day = dt.date(2026, 1, 15)
    for name in ("a", "b", "c"):
        store = M3Store(tmp_path / f"{name}.db")
        seed(store, scale=300, seed=1 if name != "c" else 2, today=day)
        store.close()
    assert _dump(tmp_path / "a.db") == _dump(tmp_path / "b.db")
    assert _dump(tmp_path / "a.db") != _dump(tmp_path / "c.db")


def test_seed_shape(shared_dir: Path) -> None:
    conn = sqlite3.connect(shared_dir / "m3.db")
    count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    lines = count("SELECT count(*) FROM FGLEDG")
    assert SCALE <= lines <= SCALE + 5
    invoices = count("SELECT count(*) FROM FPLEDG WHERE TRCD = 40")
    assert 0.15 * SCALE <= invoices <= 0.35 * SCALE
    payments = count("SELECT count(*) FROM FPLEDG WHERE TRCD = 50")
    assert 0.4 * invoices <= payments <= 0.8 * invoices
    assert count("SELECT count(*) FROM CIDMAS WHERE CONO = 100") >= 40
    # Every invoice line belongs to an invoice head, uses that division's dimensions and an existing PO line.
    assert count("SELECT count(*) FROM FGLEDG g LEFT JOIN FPLEDG p USING (CONO, DIVI, YEA4, JRNO) "
                 "WHERE p.JSNO = 1 AND p.TRCD = 40") == lines
    assert count("SELECT count(*) FROM FGLEDG g WHERE NOT EXISTS (SELECT 1 FROM FCHACC a WHERE a.CONO = g.CONO "
                 "AND a.DIVI = g.DIVI AND a.AITP = 1 AND a.AITM = g.AIT1)") == 0
    assert count("SELECT count(*) FROM FGLEDG g WHERE PUNO <> '' AND NOT EXISTS (SELECT 1 FROM MPLINE l "
                 "WHERE l.CONO = g.CONO AND l.PUNO = g.PUNO AND l.PNLI = g.PNLI)") == 0
    assert count("SELECT count(*) FROM FPLEDG p WHERE NOT EXISTS (SELECT 1 FROM CIDMAS s WHERE s.CONO = p.CONO "
                 "AND s.SUNO = p.SUNO)") == 0
    # Head gross amount = sum of line amounts + VAT, exactly.
    for cuam, vtam, cono, divi, yea4, jrno in conn.execute(
        "SELECT CUAM, VTAM, CONO, DIVI, YEA4, JRNO FROM FPLEDG WHERE TRCD = 40"
    ):
        acams = conn.execute("SELECT ACAM FROM FGLEDG WHERE CONO=? AND DIVI=? AND YEA4=? AND JRNO=?",
                             (cono, divi, yea4, jrno)).fetchall()
        assert sum(Decimal(a) for (a,) in acams) == Decimal(cuam) - Decimal(vtam)
    # Change dates: within the last 400 days, never today, LMTS inside the LMDT day, many rows share a date.
    today = dt.datetime.now(dt.timezone.utc).date()
    oldest = int((today - dt.timedelta(days=400)).strftime("%Y%m%d"))
    assert count(f"SELECT count(*) FROM FPLEDG WHERE LMDT < {oldest} OR LMDT >= {today:%Y%m%d}") == 0
    for lmdt, lmts in conn.execute("SELECT LMDT, LMTS FROM FGLEDG LIMIT 200"):
        assert dt.datetime.fromtimestamp(lmts / 1000, dt.timezone.utc).strftime("%Y%m%d") == str(lmdt)
    assert count("SELECT max(n) FROM (SELECT count(*) AS n FROM FGLEDG GROUP BY LMDT)") >= 20
    conn.close()


def test_money_formatting() -> None:
    assert money(1_250_123_456) == "1250.123456"
    assert money(1_250_100_000) == "1250.1"
    assert money(5_000_000) == "5"
    assert money(-1) == "-0.000001"


def test_change_invoices(ion_fresh: Ion) -> None:
    ion = ion_fresh
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d")
    before = ion.export(f"count(#) from FPLEDG where EPLMDT >= {today}")
    assert before == ["0"]
    heads = ion.export("EPDIVI, EPYEA4, EPJRNO, EPCUAM, EPCHNO from FPLEDG where EPTRCD = 40 and EPJSNO = 1",
                       ";maxrecs=3")
    response = ion.client.post("/_sandbox/mutate", json={"action": "change_invoices", "count": 3})
    assert response.status_code == 200
    changed = response.json()["changed"]
    assert [(k["DIVI"], k["YEA4"], k["JRNO"]) for k in changed] == [tuple(h.split(";")[:3]) for h in heads]
    assert all(k["CONO"] == "100" and k["JSNO"] == "1" for k in changed)
    after = ion.export(f"EPDIVI, EPYEA4, EPJRNO, EPCUAM, EPCHNO from FPLEDG where EPLMDT >= {today}", ";maxrecs=0")
    assert len(after) == 3
    for old, new in zip(heads, after):
        o, n = old.split(";"), new.split(";")
        assert Decimal(n[3]) == Decimal(o[3]) + Decimal("1.25") and int(n[4]) == int(o[4]) + 1
    changed_lines = ion.export(f"count(#) from FGLEDG where EGLMDT >= {today}")
    assert int(changed_lines[0]) >= 6


def test_set_fields_and_exclude_empty(ion_fresh: Ion) -> None:
    ion = ion_fresh
    body = {"action": "set_fields", "file": "CIDMAS", "key": {"CONO": 100, "SUNO": "S00002"},
            "fields": {"SUNM": "Żółć Ünïcode 北京", "PHNO": ""}}
    response = ion.client.post("/_sandbox/mutate", json=body)
    assert response.json() == {"changed": [{"CONO": "100", "SUNO": "S00002"}]}
    [supplier] = ion.records("CRS620MI/GetBasicData", {"SUNO": "S00002"})
    assert supplier["SUNM"] == "Żółć Ünïcode 北京" and supplier["PHNO"] == ""
    assert supplier["LMDT"] == dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d")
    [trimmed] = ion.records("CRS620MI/GetBasicData;excludempty=true", {"SUNO": "S00002"})
    assert "PHNO" not in trimmed
    bad = [
        {**body, "file": "NOPE"},
        {**body, "key": {"CONO": 100}},
        {**body, "fields": {"LMDT": 1}},
        {**body, "fields": {"SUNM": "a;b"}},
        {**body, "key": {"CONO": 100, "SUNO": "NOPE"}},
        {"action": "explode"},
    ]
    assert [ion.client.post("/_sandbox/mutate", json=b).status_code for b in bad] == [400] * len(bad)
