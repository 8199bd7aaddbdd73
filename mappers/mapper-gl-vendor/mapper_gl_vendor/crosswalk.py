"""The crosswalk file: codes that differ between source and target, optionally per company.

CSV with a header row: ``dimension,source_value,target_value[,company]``. ``company`` is empty (every
company), a company (``100``) or a company and division (``100/AAA``); the most specific entry wins.
"""

from __future__ import annotations

import csv
from pathlib import Path

from mapper_gl_vendor.profiles import DIMENSIONS

REQUIRED_COLUMNS = ("dimension", "source_value", "target_value")


class CrosswalkError(ValueError):
    """The crosswalk file cannot be used; the run stops before any record is judged with it."""


class Crosswalk:
    """In-memory lookups: (dimension, scope, source value) -> target value."""

    def __init__(self, entries: dict[tuple[str, str, str], str] | None = None) -> None:
        self._entries = entries or {}

    def __len__(self) -> int:
        return len(self._entries)

    @classmethod
    def load(cls, path: str | Path | None) -> Crosswalk:
        if not path:
            return cls()
        try:
            with Path(path).open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                columns = [c.strip().lower() for c in reader.fieldnames or []]
                missing = [c for c in REQUIRED_COLUMNS if c not in columns]
                if missing:
                    raise CrosswalkError(f"crosswalk {path}: missing column(s) {', '.join(missing)}")
                entries: dict[tuple[str, str, str], str] = {}
                for line, raw in enumerate(reader, start=2):
                    row = {str(k).strip().lower(): str(v or "").strip() for k, v in raw.items() if k}
                    if not any(row.values()):
                        continue
                    dimension = row["dimension"]
                    if dimension not in DIMENSIONS:
                        raise CrosswalkError(f"crosswalk {path} line {line}: unknown dimension {dimension!r}")
                    if not row["source_value"] or not row["target_value"]:
                        raise CrosswalkError(f"crosswalk {path} line {line}: empty source or target value")
                    entries[(dimension, row.get("company", ""), row["source_value"])] = row["target_value"]
        except OSError as exc:
            raise CrosswalkError(f"crosswalk {path} cannot be read ({type(exc).__name__})") from None
        return cls(entries)

    def lookup(self, dimension: str, company: str, division: str, value: str) -> str | None:
        """Division entry, then company entry, then global entry; None when there is none."""
        entries = self._entries
        if division:
            found = entries.get((dimension, f"{company}/{division}", value))
            if found is not None:
                return found
        found = entries.get((dimension, company, value))
        if found is not None:
            return found
        return entries.get((dimension, "", value))
