"""Import sets: load staging rows, transform them now (sync) or later (async), record per-row state."""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from ml_connector_sandbox.servicenow.catalog_types import IMPORT_ROW_COLUMNS, SYSTEM_COLUMNS, column_label
from ml_connector_sandbox.servicenow.s2p_staging import STAGING_COLUMNS, TRANSFORMS_BY_STAGING
from ml_connector_sandbox.servicenow.store import Store, new_sys_id, now_utc, q
from ml_connector_sandbox.servicenow.transform import RowResult, TransformEngine

_STAGING_META = (*SYSTEM_COLUMNS, *IMPORT_ROW_COLUMNS)


def staging_value(value: Any) -> str:
    """Staging columns hold strings; nested JSON is flattened the way the platform mangles it (':' → '=')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return orjson.dumps(value).decode().replace(":", "=")
    return str(value)


@dataclass
class ImportSet:
    sys_id: str
    number: str
    results: list[tuple[str, RowResult | None]]  # (staging row sys_id, result or None while pending)


class ImportService:
    """Owns import-set bookkeeping; async sets wait in a due-time heap and are processed lazily."""

    def __init__(
        self, store: Store, delay: Callable[[], float], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store = store
        self.delay = delay  # read at load time, so a settings change applies to the next set
        self.engine = TransformEngine(store)
        self.clock = clock
        self._due: list[tuple[float, int, str, str]] = []  # (due, sequence, import set sys_id, staging table)
        self._sequence = 0
        self._labels = {t: {column_label(c): c for c in cols} for t, cols in STAGING_COLUMNS.items()}
        self._names = {t: set(cols) for t, cols in STAGING_COLUMNS.items()}
        self._recover_pending()

    def _recover_pending(self) -> None:
        """Sets left `loaded` by a previous process are due at once."""
        table = self.store.catalog.tables["sys_import_set"]
        for row in self.store.select(table, ["sys_id", "table_name"], "state = 'loaded'"):
            self._schedule(row["sys_id"], row["table_name"], 0.0)

    def _schedule(self, set_id: str, staging: str, delay: float) -> None:
        self._sequence += 1
        heapq.heappush(self._due, (self.clock() + delay, self._sequence, set_id, staging))

    def insert_mode(self, staging: str, override: str | None) -> tuple[bool, str]:
        """(synchronous?, key mapping) from sys_rest_insert_multiple, the real per-table configuration."""
        table = self.store.catalog.tables["sys_rest_insert_multiple"]
        rows = self.store.select(table, ["mode", "key_mapping"], "staging_table = ?", (staging,))
        if rows:
            sync = rows[0]["mode"] != "asynchronous"
            mapping = rows[0]["key_mapping"] or "column_name"
        else:
            sync, mapping = False, "label"
        if override is not None:
            sync = override == "sync"
        return sync, mapping

    def map_record(self, staging: str, record: dict[str, Any], key_mapping: str) -> dict[str, str]:
        """Keys → staging columns by name or by label; unknown keys are dropped silently as on an instance"""
        if key_mapping == "label":
            labels = self._labels[staging]
            return {labels[k]: staging_value(v) for k, v in record.items() if k in labels}
        names = self._names[staging]
        return {k: staging_value(v) for k, v in record.items() if k in names}

    def _new_set(self, staging: str, mode: str, state: str, stamp: str) -> tuple[str, str]:
        row = self.store.insert(
            self.store.catalog.tables["sys_import_set"],
            {"table_name": staging, "state": state, "mode": mode},
            stamp=stamp,
        )
        return row["sys_id"], row["number"]

    def load(self, staging: str, records: list[dict[str, str]], *, synchronous: bool) -> ImportSet:
        """Create an import set with one staging row per record; transform now when synchronous."""
        tmap = TRANSFORMS_BY_STAGING[staging]
        stamp = now_utc()
        user = self.store.user_name
        data_cols = STAGING_COLUMNS[staging]
        columns = [*_STAGING_META, *data_cols]
        rows: list[list[Any]] = []
        results: list[tuple[str, RowResult | None]] = []
        with self.store.transaction():
            set_id, number = self._new_set(
                staging, "synchronous" if synchronous else "asynchronous", "loading", stamp
            )
            for index, record in enumerate(records):
                row_id = new_sys_id()
                result = self.engine.run(tmap, record, stamp) if synchronous else None
                state = result.state if result else "pending"
                comment = result.comment if result else ""
                target_id = result.target_sys_id if result else ""
                error = result.error if result else ""
                rows.append(
                    [
                        row_id,
                        stamp,
                        user,
                        stamp,
                        user,
                        0,
                        set_id,
                        index,
                        state,
                        comment,
                        tmap.target,
                        target_id,
                        tmap.name,
                        error,
                        *(record.get(c, "") for c in data_cols),
                    ]
                )
                results.append((row_id, result))
            self.store.insert_many(self.store.catalog.tables[staging], columns, rows)
            final = "processed" if synchronous else "loaded"
            self.store.db.execute("UPDATE sys_import_set SET state = ? WHERE sys_id = ?", (final, set_id))
        if not synchronous:
            self._schedule(set_id, staging, self.delay())
        return ImportSet(set_id, number, results)

    def process_due(self) -> int:
        """Transform every asynchronous set whose delay has passed, oldest first; answer rows processed."""
        done = 0
        while self._due and self._due[0][0] <= self.clock():
            _, _, set_id, staging = heapq.heappop(self._due)
            done += self._process(set_id, staging)
        return done

    def _process(self, set_id: str, staging: str) -> int:
        tmap = TRANSFORMS_BY_STAGING[staging]
        table = self.store.catalog.tables[staging]
        data_cols = list(STAGING_COLUMNS[staging])
        stamp = now_utc()
        with self.store.transaction():
            state = self.store.db.execute(
                "SELECT state FROM sys_import_set WHERE sys_id = ?", (set_id,)
            ).fetchone()
            if state is None or state[0] != "loaded":
                return 0
            pending = self.store.select(
                table,
                ["sys_id", *data_cols],
                "sys_import_set = ? AND sys_import_state = ?",
                (set_id, "pending"),
                order="sys_import_row",
            )
            updates = []
            for row in pending:
                result = self.engine.run(tmap, row, stamp)
                updates.append(
                    (result.state, result.comment, result.target_sys_id, result.error, stamp, row["sys_id"])
                )
            self.store.db.executemany(
                f"UPDATE {q(staging)} SET sys_import_state = ?, sys_import_state_comment = ?,"
                " sys_target_sys_id = ?,"
                " sys_row_error = ?, sys_updated_on = ?, sys_mod_count = sys_mod_count + 1 WHERE sys_id = ?",
                updates,
            )
            self.store.db.execute(
                "UPDATE sys_import_set SET state = 'processed', sys_updated_on = ? WHERE sys_id = ?",
                (stamp, set_id),
            )
        return len(pending)
