"""The M3 files this tap reads: prefix, key and typed fields — the one place these vendor facts live.

Kinds: `string` (alpha fields and codes, even numeric codes such as CONO or TRCD), `integer`
(counters and sequence numbers), `decimal` (amounts, quantities, prices), `date` (yyyyMMdd → ISO).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ml_connector.ion.m3 import CONVERTERS, Converter
from singer_sdk import typing as th

_AUDIT = "RGDT:date LMDT:date CHNO:integer LMTS:integer"
_TYPES = {
    "string": th.StringType,
    "integer": th.IntegerType,
    "decimal": th.NumberType,
    "date": th.DateType,
}


@dataclass(frozen=True)
class M3File:
    name: str
    prefix: str
    keys: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]

    @cached_property
    def kinds(self) -> dict[str, str]:
        return dict(self.fields)

    @cached_property
    def converters(self) -> dict[str, Converter]:
        """MI values are always strings, so alpha fields use `str.rstrip` directly (the hot path)."""
        return {name: str.rstrip if kind == "string" else CONVERTERS[kind] for name, kind in self.fields}

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def schema(self) -> dict[str, Any]:
        """JSON schema of a record: M3 field names without the file prefix; keys are required."""
        props = [th.Property(name, _TYPES[kind], required=name in self.keys) for name, kind in self.fields]
        return th.PropertiesList(*props).to_dict()

    def key_literal(self, column: str, value: Any) -> Any:
        """A key value typed for an EXPORTMI literal: numbers bare, alpha quoted."""
        return int(value) if self.kinds[column] == "integer" else str(value)


def _file(name: str, prefix: str, keys: str, spec: str) -> M3File:
    fields = tuple(tuple(part.split(":")) for part in f"{spec} {_AUDIT}".split())
    return M3File(name, prefix, tuple(keys.split()), fields)  # type: ignore[arg-type]


CIDMAS = _file(
    "CIDMAS",
    "ID",
    "CONO SUNO",
    "CONO:string SUNO:string SUNM:string STAT:string SUTY:string CSCD:string CUCD:string TEPY:string "
    "PYME:string VRNO:string PHNO:string ADR1:string TOWN:string PONO:string ECAR:string LNCD:string",
)
FCHACC = _file(
    "FCHACC",
    "EA",
    "CONO DIVI AITP AITM",
    "CONO:string DIVI:string AITP:string AITM:string TX40:string TX15:string LCKD:string",
)
OCUSMA = _file(
    "OCUSMA",
    "OK",
    "CONO CUNO",
    "CONO:string CUNO:string CUNM:string STAT:string CSCD:string CUCD:string TEPY:string PHNO:string",
)
MITMAS = _file(
    "MITMAS",
    "MM",
    "CONO ITNO",
    "CONO:string ITNO:string ITDS:string STAT:string UNMS:string ITTY:string ITGR:string",
)
MPHEAD = _file(
    "MPHEAD",
    "IA",
    "CONO PUNO",
    "CONO:string PUNO:string DIVI:string SUNO:string PUDT:date DWDT:date CUCD:string ORTY:string "
    "TEPY:string BUYE:string FACI:string WHLO:string PUSL:string PUST:string NTAM:decimal",
)
MPLINE = _file(
    "MPLINE",
    "IB",
    "CONO PUNO PNLI PNLS",
    "CONO:string PUNO:string PNLI:integer PNLS:integer DIVI:string ITNO:string PITD:string "
    "ORQA:decimal PUPR:decimal PUUN:string LNAM:decimal DWDT:date PUSL:string PUST:string "
    "AIT1:string AIT2:string",
)
FPLEDG = _file(
    "FPLEDG",
    "EP",
    "CONO DIVI YEA4 JRNO JSNO",
    "CONO:string DIVI:string YEA4:integer JRNO:integer JSNO:integer TRCD:string SPYN:string "
    "SUNO:string SINO:string IVDT:date DUDT:date ACDT:date CUCD:string CUAM:decimal VTAM:decimal "
    "PUNO:string VONO:integer VSER:string PYST:string",
)
FGLEDG = _file(
    "FGLEDG",
    "EG",
    "CONO DIVI YEA4 JRNO JSNO",
    "CONO:string DIVI:string YEA4:integer JRNO:integer JSNO:integer TRCD:string AIT1:string "
    "AIT2:string ACAM:decimal CUAM:decimal CUCD:string VTXT:string VTCD:string PUNO:string "
    "PNLI:integer ITNO:string IVQA:decimal",
)
