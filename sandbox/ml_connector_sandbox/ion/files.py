"""The M3 file catalogue: names, prefixes, keys and typed fields — the one place these vendor facts live."""

from __future__ import annotations

from dataclasses import dataclass

# Field types as M3 declares them: A alpha, N integer, D date (yyyyMMdd, 0 = empty), M decimal amount.
# Decimals are stored as canonical text so that 6-decimal amounts never pass through a float.
ALPHA, NUMBER, DATE, DECIMAL = "A", "N", "D", "M"

AUDIT_FIELDS: tuple[tuple[str, str], ...] = (
    ("RGDT", DATE),
    ("LMDT", DATE),
    ("CHNO", NUMBER),
    ("LMTS", NUMBER),
)


@dataclass(frozen=True)
class M3File:
    """One M3 table: its two-letter column prefix, primary key and typed columns (unprefixed names)."""

    name: str
    prefix: str
    keys: tuple[str, ...]
    types: dict[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.types)

    def column_for(self, prefixed: str) -> str | None:
        """Map an EXPORTMI column such as `IDSUNO` to the stored column `SUNO`, or None if not in this file."""
        name = prefixed.upper()
        if len(name) != len(self.prefix) + 4 or not name.startswith(self.prefix):
            return None
        column = name[len(self.prefix) :]
        return column if column in self.types else None


def _file(name: str, prefix: str, keys: str, spec: str) -> M3File:
    """Build a file from `"CONO:N DIVI:A ..."` (keys first) and append the audit columns every M3 file has."""
    types = dict(part.split(":") for part in spec.split())
    types.update(AUDIT_FIELDS)
    key_tuple = tuple(keys.split())
    missing = [k for k in key_tuple if k not in types]
    if missing:
        msg = f"{name}: key field(s) {missing} not declared"
        raise ValueError(msg)
    return M3File(name, prefix, key_tuple, types)


FILES: dict[str, M3File] = {
    f.name: f
    for f in (
        _file("CMNDIV", "CC", "CONO DIVI", "CONO:N DIVI:A CONM:A TX40:A LOCD:A"),
        _file(
            "CIDMAS",
            "ID",
            "CONO SUNO",
            "CONO:N SUNO:A SUNM:A STAT:A SUTY:A CSCD:A CUCD:A TEPY:A PYME:A VRNO:A PHNO:A "
            "ADR1:A TOWN:A PONO:A ECAR:A LNCD:A",
        ),
        _file("FCHACC", "EA", "CONO DIVI AITP AITM", "CONO:N DIVI:A AITP:N AITM:A TX40:A TX15:A LCKD:N"),
        _file("OCUSMA", "OK", "CONO CUNO", "CONO:N CUNO:A CUNM:A STAT:A CSCD:A CUCD:A TEPY:A PHNO:A"),
        _file("MITMAS", "MM", "CONO ITNO", "CONO:N ITNO:A ITDS:A STAT:A UNMS:A ITTY:A ITGR:A"),
        _file(
            "MPHEAD",
            "IA",
            "CONO PUNO",
            "CONO:N PUNO:A DIVI:A SUNO:A PUDT:D DWDT:D CUCD:A ORTY:A TEPY:A BUYE:A FACI:A WHLO:A "
            "PUSL:A PUST:A NTAM:M",
        ),
        _file(
            "MPLINE",
            "IB",
            "CONO PUNO PNLI PNLS",
            "CONO:N PUNO:A PNLI:N PNLS:N DIVI:A ITNO:A PITD:A ORQA:M PUPR:M PUUN:A LNAM:M DWDT:D "
            "PUSL:A PUST:A AIT1:A AIT2:A",
        ),
        _file(
            "FPLEDG",
            "EP",
            "CONO DIVI YEA4 JRNO JSNO",
            "CONO:N DIVI:A YEA4:N JRNO:N JSNO:N TRCD:N SPYN:A SUNO:A SINO:A IVDT:D DUDT:D ACDT:D "
            "CUCD:A CUAM:M VTAM:M PUNO:A VONO:N VSER:A PYST:A",
        ),
        _file(
            "FGLEDG",
            "EG",
            "CONO DIVI YEA4 JRNO JSNO",
            "CONO:N DIVI:A YEA4:N JRNO:N JSNO:N TRCD:N AIT1:A AIT2:A ACAM:M CUAM:M CUCD:A VTXT:A "
            "VTCD:N PUNO:A PNLI:N ITNO:A IVQA:M",
        ),
    )
}

# Companies the service account's M3 user may use (MNS150); any other `cono` answers XAU0008.
COMPANIES: tuple[int, ...] = (100, 200)
DEFAULT_COMPANY = 100


def format_value(kind: str, value: object) -> str:
    """Render a stored value the way MI REST sends it: always a string, trimmed, empty dates as ""."""
    if value is None:
        return ""
    if kind == DATE:
        return "" if value == 0 else str(value)
    if kind == ALPHA:
        return str(value).rstrip()
    return str(value)
