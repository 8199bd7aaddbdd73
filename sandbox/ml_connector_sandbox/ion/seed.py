"""Deterministic M3 data at a given scale (number of FGLEDG invoice lines), fast enough for 1,000,000 lines."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from ml_connector_sandbox.ion.files import FILES
from ml_connector_sandbox.ion.store import M3Store

HISTORY_DAYS = 400
_CHUNK = 50_000
_DIVISIONS = ((100, "AAA", "EUR", 0.45), (100, "BBB", "USD", 0.30), (200, "AAA", "SEK", 0.25))
_COMPANY_NAMES = {100: "Müller & Söhne Holding", 200: "Nordström Trading AB"}
_DIVISION_NAMES = {(100, "AAA"): "Zentrale München", (100, "BBB"): "Division Québec", (200, "AAA"): "Malmö"}
# (country, currency, language, town); no ';' or '|' anywhere in seeded text so EXPORTMI rows stay splittable.
_COUNTRIES = (
    ("DE", "EUR", "DE", "Düsseldorf"),
    ("FR", "EUR", "FR", "Besançon"),
    ("PL", "PLN", "PL", "Łódź"),
    ("JP", "JPY", "JA", "東京"),
    ("US", "USD", "GB", "Chicago"),
    ("SE", "SEK", "SE", "Malmö"),
    ("GB", "GBP", "GB", "London"),
)
_NAME_A = ("Müller", "Société", "Łódź", "東京", "Nordic", "García", "Øresund", "Zürich", "Dvořák", "Ångström",
           "大阪", "Acme", "Baltic", "Crown", "Delta", "Fjord", "Kraków", "Señor", "Żabka", "Évora")
_NAME_B = ("Metallbau", "Générale", "Stal", "精密", "Tools", "Logistics", "Industrial", "Supplies", "Components",
           "Services", "Packaging", "Électrique", "Straße", "Química")
_NAME_C = ("GmbH", "SA", "Sp. z o.o.", "株式会社", "AB", "Ltd", "Inc.", "S.L.", "AS", "Oy")
_ITEM_WORDS = ("Bolt M8", "Kugellager 6204", "Câble 3x1.5", "Pallet EUR", "Sensor PT100", "Valve DN50", "Gasket",
               "Motor 2.2 kW", "Schraube DIN 933", "Paper A4", "Toner 42A", "Glove nitrile", "Filter F7")
_GL_NAMES = ("Office supplies", "Raw material", "Freight in", "IT services", "Rent", "Maintenance",
             "Consulting fees", "Travel", "Energy", "Packaging material", "Telephone", "Insurance")
_LINE_TEXT = ("Monthly service", "Spare parts", "Freight charge", "Consulting hours", "Licence fee",
              "Material delivery", "Réparation", "Wartung", "Cleaning", "Subscription")



# Share of transaction lines coded to a locked account or cost center (and, times ten, of invoices from a
# blocked supplier): rare, as in a real ledger, but present so quarantine has something to catch.
AWKWARD_RATE = 0.002


class Codes:
    """Accounting-dimension codes of one division, split into active and locked."""

    def __init__(self) -> None:
        self.active: list[str] = []
        self.locked: list[str] = []

    def add(self, code: str, *, locked: bool) -> None:
        (self.locked if locked else self.active).append(code)

    def pick(self, rng: random.Random) -> str:
        if self.locked and rng.random() < AWKWARD_RATE:
            return rng.choice(self.locked)
        return rng.choice(self.active)


def money(micro: int) -> str:
    """Format micro-units as an M3 decimal string: no exponent, no trailing zeros, at most 6 decimals."""
    sign = "-" if micro < 0 else ""
    whole, frac = divmod(abs(micro), 1_000_000)
    if not frac:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:06d}".rstrip("0")


@dataclass
class _Calendar:
    """Dates as yyyyMMdd ints and midnight epoch ms, indexed by days-before-today (negative = future)."""

    today: dt.date
    ymd: dict[int, int] = field(default_factory=dict)
    midnight_ms: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for off in range(-120, HISTORY_DAYS + 120):
            day = self.today - dt.timedelta(days=off)
            self.ymd[off] = day.year * 10000 + day.month * 100 + day.day
            epoch = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()
            self.midnight_ms[off] = int(epoch) * 1000


class _Seeder:
    def __init__(self, store: M3Store, scale: int, seed: int, today: dt.date) -> None:
        self.store = store
        self.scale = scale
        self.rng = random.Random(seed)
        self.cal = _Calendar(today)
        self.counts: dict[str, int] = {name: 0 for name in FILES}
        self.buffers: dict[str, list[tuple[Any, ...]]] = {name: [] for name in FILES}

    # -- helpers -------------------------------------------------------------------------------------------
    def add(self, file: str, row: tuple[Any, ...]) -> None:
        buf = self.buffers[file]
        buf.append(row)
        if len(buf) >= _CHUNK:
            self.flush(file)

    def flush(self, file: str) -> None:
        buf = self.buffers[file]
        if buf:
            self.store.insert_many(FILES[file], buf)
            self.counts[file] += len(buf)
            buf.clear()

    def created_offset(self) -> int:
        """Days ago a record was created; a sixth of them on one migration day so many rows share a date."""
        rng = self.rng
        return HISTORY_DAYS if rng.random() < 0.17 else rng.randint(1, HISTORY_DAYS)

    def audit(self, created: int) -> tuple[int, int, int, int]:
        """RGDT, LMDT, CHNO, LMTS: a third of the records were changed again after creation."""
        rng = self.rng
        changed = rng.randint(1, created) if rng.random() < 0.33 else created
        chno = 1 if changed == created else rng.randint(2, 6)
        lmts = self.cal.midnight_ms[changed] + rng.randrange(86_400_000)
        return self.cal.ymd[created], self.cal.ymd[changed], chno, lmts

    def amount(self, unit: int, lo_cents: int, hi_cents: int) -> int:
        """A random amount in micro-units, whole cents when `unit` is a cent, else with 6 decimals."""
        if unit == 1:
            return self.rng.randint(lo_cents * 10_000, hi_cents * 10_000)
        return self.rng.randint(lo_cents, hi_cents) * 10_000

    # -- masters -------------------------------------------------------------------------------------------
    def masters(self) -> None:
        rng = self.rng
        n_sup = max(40, self.scale // 100)
        n_cus = max(20, self.scale // 200)
        n_itm = max(50, self.scale // 50)
        self.suppliers: dict[int, list[tuple[str, str, str, str]]] = {}  # SUNO, CUCD, TEPY, STAT
        self.items: dict[int, list[tuple[str, str, str]]] = {}
        self.dims: dict[tuple[int, str], tuple[Codes, Codes]] = {}
        for cono, divi, locd, _ in _DIVISIONS:
            self.add("CMNDIV", (cono, divi, _COMPANY_NAMES[cono], _DIVISION_NAMES[(cono, divi)], locd,
                                *self.audit(HISTORY_DAYS)))
            self.dims[(cono, divi)] = (self._gl_accounts(cono, divi), self._cost_centers(cono, divi))
        for cono in sorted(_COMPANY_NAMES):
            sups = []
            for n in range(1, n_sup + 1):
                cscd, cucd, lncd, town = rng.choice(_COUNTRIES)
                suno = f"S{n:05d}"
                stat = "90" if rng.random() < 0.06 else "20"
                tepy = rng.choice(("30", "45", "60", "10"))
                self.add("CIDMAS", (
                    cono, suno, self._name(), stat, rng.choice(("0", "1", "2")), cscd, cucd, tepy,
                    rng.choice(("CHK", "BGR", "SWI", "TRF")), f"{cscd}{rng.randrange(10**9):09d}",
                    f"+{rng.randint(1, 99)} {rng.randrange(10**7):07d}", f"{rng.choice(_NAME_A)}weg {n}",
                    town, f"{rng.randrange(10**5):05d}", cscd, lncd, *self.audit(self.created_offset())))
                sups.append((suno, cucd, tepy, stat))
            self.suppliers[cono] = sups
            for n in range(1, n_cus + 1):
                cscd, cucd, _, _ = rng.choice(_COUNTRIES)
                self.add("OCUSMA", (cono, f"C{n:05d}", self._name(), rng.choice(("20", "20", "20", "90")),
                                    cscd, cucd, rng.choice(("30", "60")),
                                    f"+{rng.randint(1, 99)} {rng.randrange(10**7):07d}",
                                    *self.audit(self.created_offset())))
            items = []
            for n in range(1, n_itm + 1):
                itno, itds, unms = f"IT{n:06d}", f"{rng.choice(_ITEM_WORDS)} {n}", rng.choice(("EA", "PCS", "KG"))
                self.add("MITMAS", (cono, itno, itds, "20", unms, rng.choice(("100", "200", "300")),
                                    rng.choice(("FAST", "ELEC", "PACK", "MRO")), *self.audit(self.created_offset())))
                items.append((itno, itds, unms))
            self.items[cono] = items

    def _name(self) -> str:
        rng = self.rng
        return f"{rng.choice(_NAME_A)} {rng.choice(_NAME_B)} {rng.choice(_NAME_C)}"

    def _gl_accounts(self, cono: int, divi: str) -> Codes:
        rng = self.rng
        codes = [str(c) for c in rng.sample(range(1000, 9000), 100)]
        codes += [str(c) for c in rng.sample(range(10000, 999999), 20)]
        codes.sort()
        dims = Codes()
        for code in codes:
            name = f"{rng.choice(_GL_NAMES)} {code}"
            locked = rng.random() < 0.08
            dims.add(code, locked=locked)
            self.add("FCHACC", (cono, divi, 1, code, name, name[:15], int(locked), *self.audit(self.created_offset())))
        return dims

    def _cost_centers(self, cono: int, divi: str) -> Codes:
        dims = Codes()
        for code in (f"CC{100 + 10 * i}" for i in range(40)):
            locked = self.rng.random() < 0.1
            dims.add(code, locked=locked)
            self.add("FCHACC", (cono, divi, 2, code, f"Cost center {code} {divi}", code, int(locked),
                                *self.audit(self.created_offset())))
        return dims

    def _supplier(self, cono: int) -> tuple[str, str, str]:
        """Invoices and POs mostly come from active suppliers; a few from blocked ones (an awkward case)."""
        rng = self.rng
        while True:
            suno, cucd, tepy, stat = rng.choice(self.suppliers[cono])
            if stat == "20" or rng.random() < AWKWARD_RATE * 10:
                return suno, cucd, tepy

    # -- transactions --------------------------------------------------------------------------------------
    def transactions(self) -> None:
        rng = self.rng
        ymd = self.cal.ymd
        jrno: dict[tuple[int, str, int], int] = {}
        puno: dict[int, int] = {100: 1000, 200: 1000}
        weights = [d[3] for d in _DIVISIONS]
        lines_done = invoice_no = 0
        while lines_done < self.scale:
            cono, divi, _, _ = rng.choices(_DIVISIONS, weights)[0]
            suno, cucd, tepy = self._supplier(cono)
            accounts, centers = self.dims[(cono, divi)]
            n_lines = rng.randint(2, 6)
            unit = 10_000 if rng.random() < 0.7 else 1  # 70 % of invoices in cents, the rest with 6 decimals
            created = self.created_offset()
            audit = self.audit(created)
            lines: list[tuple[str, int, str, int, int]] = []  # PUNO, PNLI, ITNO, IVQA, ACAM micro
            po = ""
            if rng.random() < 0.6:
                puno[cono] += 1
                po = f"{puno[cono]:010d}"
                lines = self._purchase_order(cono, divi, po, suno, cucd, tepy, n_lines, unit,
                                             min(HISTORY_DAYS, created + rng.randint(3, 30)))
            else:
                lines = [("", 0, "", 0, self.amount(unit, 100, 500_000)) for _ in range(n_lines)]
            if rng.random() < 0.1:  # an open PO nobody invoiced yet
                puno[cono] += 1
                self._purchase_order(cono, divi, f"{puno[cono]:010d}", suno, cucd, tepy, rng.randint(1, 4),
                                     unit, rng.randint(1, HISTORY_DAYS))
            net = sum(line[4] for line in lines)
            vtam = net * 20 // 100 // unit * unit
            invoice_no += 1
            ivdt_off = created + rng.randint(0, 10)
            acdt = ymd[created]
            yea4 = acdt // 10000
            key = (cono, divi, yea4)
            jrno[key] = jr = jrno.get(key, 0) + 1
            sino = f"INV{invoice_no:07d}"
            ivdt, dudt = ymd[ivdt_off], ymd[ivdt_off - int(tepy)]
            paid = rng.random() < 0.6
            self.add("FPLEDG", (cono, divi, yea4, jr, 1, 40, suno, suno, sino, ivdt, dudt, acdt, cucd,
                                money(net + vtam), money(vtam), po, jr, "AP", "9" if paid else "0", *audit))
            for jsno, (l_puno, pnli, itno, ivqa, acam) in enumerate(lines, start=2):
                amount = money(acam)
                self.add("FGLEDG", (cono, divi, yea4, jr, jsno, 40, accounts.pick(rng), centers.pick(rng),
                                    amount, amount, cucd, f"{rng.choice(_LINE_TEXT)} {sino}", 1, l_puno, pnli,
                                    itno, str(ivqa), *audit))
            lines_done += len(lines)
            if paid:
                paid_off = rng.randint(max(1, created - 45), created)
                p_acdt = ymd[paid_off]
                p_key = (cono, divi, p_acdt // 10000)
                jrno[p_key] = p_jr = jrno.get(p_key, 0) + 1
                self.add("FPLEDG", (cono, divi, p_acdt // 10000, p_jr, 1, 50, suno, suno, sino, ivdt, dudt,
                                    p_acdt, cucd, money(-(net + vtam)), "0", "", p_jr, "PY", "",
                                    *self.audit(paid_off)))

    def _purchase_order(self, cono: int, divi: str, po: str, suno: str, cucd: str, tepy: str, n_lines: int,
                        unit: int, created: int) -> list[tuple[str, int, str, int, int]]:
        """Write one PO head and its lines; return them as invoice-line sources (PUNO, PNLI, ITNO, qty, amount)."""
        rng = self.rng
        ymd = self.cal.ymd
        audit = self.audit(created)
        dwdt = ymd[created - rng.randint(5, 40)]
        accounts, centers = self.dims[(cono, divi)]
        out = []
        for i in range(1, n_lines + 1):
            itno, itds, unms = rng.choice(self.items[cono])
            qty = rng.randint(1, 50)
            price = self.amount(unit, 1, 100_000)
            pnli = 10 * i
            self.add("MPLINE", (cono, po, pnli, 0, divi, itno, itds, str(qty), money(price), unms,
                                money(qty * price), dwdt, "85", "85", accounts.pick(rng), centers.pick(rng),
                                *audit))
            out.append((po, pnli, itno, qty, qty * price))
        self.add("MPHEAD", (cono, po, divi, suno, ymd[created], dwdt, cucd, "PP1", tepy, "BUYER01", "F01",
                            "W01", "85", "85", money(sum(o[4] for o in out)), *audit))
        return out


def seed(store: M3Store, *, scale: int, seed: int, today: dt.date | None = None) -> dict[str, int]:
    """Recreate all M3 tables and fill them; returns the row count per file. `scale` is rounded up to whole
    invoices (each invoice has 2-6 lines), so the FGLEDG count exceeds `scale` by at most 5."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    store.reset_schema()
    seeder = _Seeder(store, scale, seed, today)
    conn = store.conn
    conn.execute("PRAGMA synchronous=OFF")
    try:
        with store.transaction():
            seeder.masters()
            seeder.transactions()
            for name in FILES:
                seeder.flush(name)
            store.set_meta("seeded", today.isoformat())
            store.set_meta("scale", str(scale))
            store.set_meta("seed", str(seed))
    finally:
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("ANALYZE")
    return seeder.counts
