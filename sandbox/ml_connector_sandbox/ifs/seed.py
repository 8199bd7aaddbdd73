"""Deterministic IFS data at a given scale (number of supplier invoice lines), fast enough for 500,000.

Awkward cases on purpose: one migration timestamp shared by a sixth of the rows, non-ASCII names, amounts
with 6 and 12 decimals, rows changed long after creation, inactive accounts/cost centers/suppliers, and a
few invoice lines posted to a cost center that does not exist (`UNKNOWN_COST_CENTER`).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ml_connector_sandbox.ifs import catalog as c
from ml_connector_sandbox.ifs.store import IfsStore

HISTORY_DAYS = 400
UNKNOWN_COST_CENTER = "CC999"
_CHUNK = 50_000
_COMPANIES = (("10", "Müller & Söhne Holding", "DE", "EUR", 0.45), ("20", "Nordström Trading AB", "SE", "SEK", 0.30),
              ("30", "Société Générale de Pièces SA", "FR", "EUR", 0.25))
_COUNTRIES = (("DE", "DE"), ("FR", "FR"), ("PL", "PL"), ("JP", "JA"), ("US", "EN"), ("SE", "SV"), ("GB", "EN"))
_NAME_A = ("Müller", "Société", "Łódź", "東京", "Nordic", "García", "Øresund", "Zürich", "Dvořák", "Ångström",
           "大阪", "Acme", "O'Brien", "Kraków", "Señor", "Żabka", "Évora")
_NAME_B = ("Metallbau", "Générale", "Stal", "精密", "Tools", "Logistics", "Industrial", "Supplies", "Straße")
_NAME_C = ("GmbH", "SA", "Sp. z o.o.", "株式会社", "AB", "Ltd", "Inc.", "S.L.")
_GL_NAMES = ("Purchases - materials", "Office supplies", "Freight in", "IT services", "Rent", "Maintenance",
             "Consulting fees", "Travel", "Energy", "Réparations", "Telephone", "Insurance")
_PARTS = ("BOLT-M8", "BEARING-6204", "CABLE-3X15", "PALLET-EUR", "SENSOR-PT100", "VALVE-DN50", "GASKET", "")
_TEXTS = ("Monthly service", "Spare parts", "Freight charge", "Consulting hours", "Licence fee", "Réparation",
          "Wartung", "Material delivery")
_INVOICE_STATES = ("Preliminary", "Posted", "Posted", "PartlyPaid", "Paid", "Paid", "Cancelled")
_PO_STATES = ("Released", "Confirmed", "Closed", "Closed", "Received")


_FORMATS = {d: (10**d, f"%d.%0{d}d") for d in range(1, 19)}


def decimal_text(units: int, digits: int) -> str:
    """`units` / 10**digits as plain decimal text without trailing zeros (IFS sends JSON numbers)."""
    if not digits:
        return str(units)
    scale, fmt = _FORMATS[digits]
    if units < 0:
        return "-" + decimal_text(-units, digits)
    return (fmt % divmod(units, scale)).rstrip("0").rstrip(".")


def timestamp(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Seeder:
    def __init__(self, store: IfsStore, scale: int, seed: int, now: int) -> None:
        self.store, self.scale, self.rng = store, scale, random.Random(seed)
        self.now = now - now % 60 - 120  # nothing seeded is newer than two minutes before seeding
        self.today = dt.datetime.fromtimestamp(now, dt.timezone.utc).date()
        # Day strings by days-ago (negative = future), precomputed: formatting dominates seeding otherwise.
        self._days = {off: (self.today - dt.timedelta(days=off)).isoformat() for off in range(-120, HISTORY_DAYS + 60)}
        self._midnight = int(dt.datetime(self.today.year, self.today.month, self.today.day,
                                         tzinfo=dt.timezone.utc).timestamp())
        self.migration = self.now - HISTORY_DAYS * 86_400 - 3_600  # one instant shared by many rows
        self.buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in c.ENTITY_SETS}
        self.counts = dict.fromkeys(c.ENTITY_SETS, 0)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        buf = self.buffers[table]
        buf.append(row)
        if len(buf) >= _CHUNK:
            self.flush(table)

    def flush(self, table: str) -> None:
        if self.buffers[table]:
            self.store.insert_many(c.ENTITY_SETS[table], self.buffers[table])
            self.counts[table] += len(self.buffers[table])
            self.buffers[table] = []

    def day(self, days_ago: int) -> str:
        return self._days[days_ago]

    def stamp(self, epoch: int) -> str:
        """Same as `timestamp` for the seeded range, from the precomputed day strings."""
        off, secs = divmod(self._midnight - epoch, 86_400)
        if secs:
            off, secs = off + 1, 86_400 - secs
        return "%sT%02d:%02d:%02dZ" % (self._days[off], secs // 3600, secs // 60 % 60, secs % 60)

    def pick(self, seq: Any) -> Any:
        """rng.choice without its overhead (called millions of times)."""
        return seq[int(self.rng.random() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        """rng.randint without its overhead; inclusive bounds."""
        return lo + int(self.rng.random() * (hi - lo + 1))

    def created(self) -> int:
        """Days ago a record was created; a sixth of them on the migration day."""
        return HISTORY_DAYS if self.rng.random() < 0.17 else self.between(1, HISTORY_DAYS)

    def changed(self, created: int) -> str:
        """Rowversion: the migration instant, a moment of the creation day, or (a third) a later change."""
        rng = self.rng
        if created == HISTORY_DAYS and rng.random() < 0.9:
            return timestamp(self.migration)
        start = self.now - created * 86_400
        if rng.random() < 0.33:
            return self.stamp(self.between(start, self.now))
        return self.stamp(start + self.between(0, 86_400 - 180))

    def name(self) -> str:
        rng = self.rng
        return f"{rng.choice(_NAME_A)} {rng.choice(_NAME_B)} {rng.choice(_NAME_C)}"

    def masters(self) -> None:
        rng = self.rng
        for company, name, country, currency, _ in _COMPANIES:
            self.add("companies", (company, name, country, currency, timestamp(self.migration)))
        n_sup = max(40, self.scale // 100)
        self.suppliers = [f"SUP-{n:05d}" for n in range(1, n_sup + 1)]
        for sid in self.suppliers:
            country, lang = rng.choice(_COUNTRIES)
            created = self.created()
            self.add("suppliers", (sid, self.name(), "Supplier", country, lang, self.day(created),
                                   "Blocked" if rng.random() < 0.06 else "Active", self.changed(created)))
        self.accounts: dict[str, list[str]] = {}
        self.centers: dict[str, list[str]] = {}
        for company, *_ in _COMPANIES:
            self.accounts[company] = self._gl_accounts(company)
            self.centers[company] = self._cost_centers(company)

    def _validity(self, inactive_share: float) -> tuple[str, str]:
        if self.rng.random() < inactive_share:
            return "2018-01-01", self.day(self.rng.randint(30, 300))  # ended: inactive
        return "2020-01-01", "2049-12-31"

    def _gl_accounts(self, company: str) -> list[str]:
        rng = self.rng
        codes = sorted(str(n) for n in rng.sample(range(1000, 9000), 100))
        for code in codes:
            kind = rng.choice(("Cost", "Cost", "Revenues", "Assets", "Liabilities"))
            self.add("gl_accounts", (company, "A", code, *self._validity(0.08), f"{rng.choice(_GL_NAMES)} {code}",
                                     kind.upper()[:4], kind.upper()[:4], kind, "NotLedgerAccount",
                                     rng.choice(("Mandatory", "Can")), "Can", timestamp(self.migration)))
        return codes

    def _cost_centers(self, company: str) -> list[str]:
        codes = [f"CC{100 + 10 * i}" for i in range(40)]
        for code in codes:
            self.add("cost_centers", (company, "B", code, *self._validity(0.1), f"Kostenstelle {code} – {company}",
                                      None, None, "NotBudgetAccount", timestamp(self.migration)))
        return codes

    def transactions(self) -> None:
        rng = self.rng
        weights = [co[4] for co in _COMPANIES]
        invoice_ids = {co[0]: 200_000 for co in _COMPANIES}
        lines_done = order_no = 0
        while lines_done < self.scale:
            company, _, _, currency, _ = rng.choices(_COMPANIES, weights)[0]
            supplier = self.pick(self.suppliers)
            n_lines = self.between(2, 6)
            roll = rng.random()
            digits = 2 if roll < 0.7 else (6 if roll < 0.95 else 12)
            created = self.created()
            changed = self.changed(created)
            po = ""
            if rng.random() < 0.6:
                order_no += 1
                po = f"P{order_no:07d}"
                lines = self._purchase_order(company, po, supplier, currency, n_lines, digits, created)
            else:
                lines = [(self.between(1, 20), self.between(100, 5_000_00) * 10 ** (digits - 2)) for _ in range(n_lines)]
            if rng.random() < 0.1:  # an open PO nobody invoiced yet
                order_no += 1
                self._purchase_order(company, f"P{order_no:07d}", supplier, currency, self.between(1, 4), digits,
                                     self.between(1, HISTORY_DAYS))
            invoice_ids[company] += 1
            invoice_id = invoice_ids[company]
            net = sum(amount for _, amount in lines)
            vat = net // 5
            inv_day = min(created + self.between(0, 10), HISTORY_DAYS + 10)
            self.add("supplier_invoices", (
                company, invoice_id, supplier, "Supplier", "SI", f"INV-{self.between(0, 999_999):06d}-{invoice_id}",
                self.day(inv_day), self.day(inv_day - 30), self.pick(("30", "45", "60")), currency,
                decimal_text(net, digits), decimal_text(vat, digits), decimal_text(net + vat, digits), po,
                self.pick(_INVOICE_STATES), changed))
            centers, accounts = self.centers[company], self.accounts[company]
            for item, (qty, amount) in enumerate(lines, start=1):
                lines_done += 1
                center = UNKNOWN_COST_CENTER if lines_done in (3, 40, 250) or rng.random() < 0.002 \
                    else self.pick(centers)
                self.add("supplier_invoice_lines", (
                    company, invoice_id, item, self.pick(accounts), center, None,
                    f"{self.pick(_TEXTS)} {invoice_id}", decimal_text(qty, 0), decimal_text(amount, digits),
                    decimal_text(amount // 5, digits), "VAT20", po, str(item) if po else None, currency, changed))

    def _purchase_order(self, company: str, po: str, supplier: str, currency: str, n_lines: int, digits: int,
                        created: int) -> list[tuple[int, int]]:
        """One PO head and its lines; returns (quantity, net amount) per line for the invoice that bills it."""
        rng = self.rng
        changed = self.changed(created)
        wanted = self.day(max(created - self.between(5, 40), -60))
        state = self.pick(_PO_STATES)
        out = []
        for line in range(1, n_lines + 1):
            qty = self.between(1, 20)
            price = self.between(1, 250_000) * 10 ** max(digits - 2, 0) if digits < 12 else self.between(0, 10**14)
            net = qty * price
            self.add("purchase_order_lines", (
                po, str(line), "1", company, self.pick(_PARTS), f"{self.pick(_TEXTS)} {line}",
                decimal_text(qty, 0), "PCS", decimal_text(price, digits), decimal_text(net, digits),
                decimal_text(net + net // 5, digits), currency, state, f"{company}-S1", supplier, wanted, wanted,
                None, changed))
            out.append((qty, net))
        self.add("purchase_orders", (po, company, supplier, self.day(created), state, f"{company}-S1", "BUYER1",
                                     "AUTH1", currency, wanted, changed))
        return out


def seed(store: IfsStore, *, scale: int, seed: int, now: int) -> dict[str, int]:
    """Recreate every table and fill it; returns rows per table. Invoices have 2-6 lines, so the line count
    exceeds `scale` by at most 5."""
    store.reset_schema()
    seeder = _Seeder(store, scale, seed, now)
    store.conn.execute("PRAGMA synchronous=OFF")
    try:
        with store.transaction():
            seeder.masters()
            seeder.transactions()
            for table in c.ENTITY_SETS:
                seeder.flush(table)
            store.set_meta("seeded", timestamp(now))
            store.set_meta("scale", str(scale))
            store.set_meta("seed", str(seed))
        store.create_indexes()
    finally:
        store.conn.execute("PRAGMA synchronous=NORMAL")
    store.conn.execute("ANALYZE")
    return seeder.counts
