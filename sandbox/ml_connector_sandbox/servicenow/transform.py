"""Transform one staging row into its target table: field map, reference resolution, coalesce, row status.

SQL is prepared once per transform map and every lookup hits a NOCASE index, because the benchmark pushes a
million rows through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ml_connector_sandbox.servicenow.catalog_types import FieldMap, Reference, Table, TransformMap
from ml_connector_sandbox.servicenow.store import Store, new_sys_id, q


@dataclass
class RowResult:
    """Outcome of one staging row, as recorded in sys_import_set_row and the Import API response."""

    state: str  # inserted | updated | ignored | skipped | error
    comment: str = ""
    target_sys_id: str = ""
    display_value: str = ""
    error: str = ""


class _Prepared:
    """Per transform map: target table and the SQL every row reuses."""

    def __init__(self, store: Store, tmap: TransformMap) -> None:
        self.tmap = tmap
        self.target: Table = store.catalog.tables[tmap.target]
        self.plain = [f for f in tmap.fields if f.kind in ("copy", "active_flag")]
        self.refs = [f for f in tmap.fields if f.kind == "reference"]
        self.constants = {f.target: f.constant for f in tmap.fields if f.kind == "insert_constant"}
        self.mapped = [f.target for f in tmap.fields if f.kind != "insert_constant"]
        self.display = self.target.display_field
        extra = [self.display] if self.display not in self.mapped else []
        self.select_cols = ["sys_id", *extra, *self.mapped]
        where = " AND ".join(f"{q(c)} = ? COLLATE NOCASE" for c in tmap.coalesce)
        self.find_sql = (
            f"SELECT {', '.join(map(q, self.select_cols))} FROM {q(tmap.target)} "
            f"WHERE {where} ORDER BY rowid LIMIT 1"
        )
        self.insert_cols = [
            "sys_id",
            "sys_created_on",
            "sys_created_by",
            "sys_updated_on",
            "sys_updated_by",
            *(["number"] if self.target.number_prefix else []),
            *self.mapped,
            *self.constants,
        ]
        self.insert_sql = (
            f"INSERT INTO {q(tmap.target)} ({', '.join(map(q, self.insert_cols))}) "
            f"VALUES ({', '.join('?' * len(self.insert_cols))})"
        )


class TransformEngine:
    """Runs staging rows through their transform map against the store, in order."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._prepared: dict[str, _Prepared] = {}
        self._ref_sql: dict[Reference, str] = {}

    def prepared(self, tmap: TransformMap) -> _Prepared:
        found = self._prepared.get(tmap.staging)
        if found is None:
            found = self._prepared[tmap.staging] = _Prepared(self.store, tmap)
        return found

    def _resolve(self, ref: Reference, source: dict[str, str]) -> tuple[str, str]:
        """Return (sys_id or '', error message or '') for one reference field."""
        values = [source.get(col, "") for _, col in ref.keys]
        if not values[0]:
            return "", ""
        sql = self._ref_sql.get(ref)
        if sql is None:
            where = " AND ".join(f"{q(f)} = ? COLLATE NOCASE" for f, _ in ref.keys)
            sql = self._ref_sql[ref] = (
                f"SELECT sys_id FROM {q(ref.table)} WHERE {where} ORDER BY rowid LIMIT 1"
            )
        row = self.store.db.execute(sql, values).fetchone()
        if row is not None:
            return row[0], ""
        if not ref.required:
            return "", ""
        keys = " ".join(f"{f}='{v}'" for (f, _), v in zip(ref.keys, values, strict=True))
        return "", f"{ref.error_prefix}: {ref.table} {keys}"

    @staticmethod
    def _value(fm: FieldMap, source: dict[str, str]) -> str:
        raw = source.get(fm.source or "", "")
        if fm.kind == "active_flag":
            return "true" if raw.strip().lower() == "active" else "false"
        return raw

    def run(self, tmap: TransformMap, source: dict[str, str], stamp: str) -> RowResult:
        """Transform one row; the caller owns the transaction so a batch commits once."""
        prep = self.prepared(tmap)
        values: dict[str, Any] = {fm.target: self._value(fm, source) for fm in prep.plain}
        keys = [values.get(c, "") for c in tmap.coalesce]
        if not all(keys):
            empty = ", ".join(c for c, v in zip(tmap.coalesce, keys, strict=True) if not v)
            return RowResult("skipped", f"Coalesce field(s) empty: {empty}")
        for fm in prep.refs:
            sys_id, problem = self._resolve(fm.reference, source)  # type: ignore[arg-type]
            if problem:
                return RowResult("error", problem, error=problem)
            values[fm.target] = sys_id
        db = self.store.db
        row = db.execute(prep.find_sql, keys).fetchone()
        if row is None:
            sys_id = new_sys_id()
            number = [self.store.next_number(prep.target)] if prep.target.number_prefix else []
            db.execute(
                prep.insert_sql,
                [
                    sys_id,
                    stamp,
                    self.store.user_name,
                    stamp,
                    self.store.user_name,
                    *number,
                    *(values[c] for c in prep.mapped),
                    *prep.constants.values(),
                ],
            )
            display = number[0] if prep.display == "number" else values.get(prep.display, "")
            return RowResult("inserted", "", sys_id, display)
        existing = dict(zip(prep.select_cols, row, strict=True))
        changes = {c: v for c, v in values.items() if existing[c] != v}
        display = existing[prep.display] if prep.display not in changes else changes[prep.display]
        if not changes:
            return RowResult("ignored", "No field values changed", existing["sys_id"], display)
        self.store.update(prep.target, existing["sys_id"], changes, stamp=stamp)
        return RowResult("updated", "", existing["sys_id"], display)
