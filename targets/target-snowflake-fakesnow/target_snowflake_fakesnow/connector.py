"""SnowflakeConnector reaching a fakesnow server, with a staging path fakesnow supports.

target-snowflake 0.19.2 loads through the user stage (`PUT ... '@~/...'`, `COPY`/`MERGE` selecting
`$1:col` from a JSON stage, `REMOVE`, `DROP FILE FORMAT`); fakesnow 0.12.1 rejects each of those.
Here the batch files are converted to parquet, PUT to a named stage, and loaded with
`COPY ... MATCH_BY_COLUMN_NAME`; upserts go through a scratch table and a keyed delete + insert. Only the
private staging methods below differ from the stock connector, so they pin target-snowflake exactly.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection
from target_snowflake.connector import SnowflakeConnector

from target_snowflake_fakesnow import staging

STAGE = "FAKESNOW_STAGE"


class FakesnowConnector(SnowflakeConnector):
    """Connection to fakesnow's host/port plus the parquet staging shim."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._staged: dict[str, list[str]] = {}
        self._stage_ready = False
        super().__init__(*args, **kwargs)

    # -- connection -------------------------------------------------------------------------

    def get_connect_args(self) -> dict[str, Any]:
        """Stock args (auth method included) plus where fakesnow listens.

        SQLAlchemy connect args override what the URL derives from the account. fakesnow
        needs a current schema, so the session starts in the configured one.
        """
        args = super().get_connect_args()
        args.update(
            host=self.config.get("host", "127.0.0.1"),
            port=int(self.config.get("port", 18764)),
            protocol=self.config.get("protocol", "http"),
            network_timeout=int(self.config.get("network_timeout", 15)),
        )
        if self.config.get("schema"):
            args["schema"] = self.config["schema"].upper()
        args["session_parameters"] = {
            **args.get("session_parameters", {}),
            "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False,
        }
        return args

    # -- staging ----------------------------------------------------------------------------

    def create_file_format(self, file_format: str, file_type: str = "JSON") -> None:
        """Not needed: the parquet COPY names its format inline."""

    def drop_file_format(self, file_format: str) -> None:
        """Nothing was created (fakesnow cannot parse DROP FILE FORMAT anyway)."""

    def put_batches_to_stage(self, sync_id: str, files: Sequence[str]) -> None:
        """Remember the batch files; they are converted and uploaded when the load runs."""
        self._staged.setdefault(sync_id, []).extend(files)

    def remove_staged_files(self, sync_id: str) -> None:
        """Forget the sync's files (the sink deletes the local files itself)."""
        self._staged.pop(sync_id, None)

    def copy_from_stage(self, full_table_name: Any, schema: dict, sync_id: str, file_format: str) -> int:
        """Append every staged record (load_method append-only or overwrite, or no key properties)."""
        records = list(staging.read_batch_files(self._staged.get(sync_id, [])))
        if not records:
            return 0
        with self._connect() as conn:
            count = self._load_parquet(conn, str(full_table_name), schema, records)
            conn.commit()
        return count

    def merge_from_stage(
        self,
        full_table_name: Any,
        schema: dict,
        sync_id: str,
        file_format: str,
        key_properties: Sequence[str],
    ) -> int:
        """Upsert by key: last record per key wins; the rows of those keys are replaced in one transaction.

        The effect is stock target-snowflake's MERGE (every column of a matched row is updated, a new key
        is inserted). It is loaded into a scratch table, then `DELETE ... USING` + `INSERT ... SELECT`
        runs in one transaction: fakesnow emulates MERGE by joining the whole target table into a
        temporary table, 0.4-1 s per batch and growing with the table; these two stay ~0.1 s at 1M rows.
        """
        # the sink hands over conformed (lower-case) key names; the batch records keep the stream's names
        by_fold = {name.casefold(): name for name in schema["properties"]}
        record_keys = [by_fold.get(key.casefold(), key) for key in key_properties]
        records = staging.dedupe_last(staging.read_batch_files(self._staged.get(sync_id, [])), record_keys)
        if not records:
            return 0
        target = str(full_table_name)
        scratch = f"{self._schema_prefix()}.FS_SCRATCH_{uuid.uuid4().hex[:12].upper()}"
        columns = ", ".join(self.format_identifier(name, safe=True) for name in schema["properties"])
        keys = [self.format_identifier(name, safe=True) for name in key_properties]
        matches = " and ".join(f"d.{k} = s.{k}" for k in keys)
        # One session per batch (each return to the pool costs a ROLLBACK round trip). The target's
        # sessions run with autocommit off: what follows a commit is one transaction until the next.
        with self._connect() as conn:
            conn.exec_driver_sql(f"create table {scratch} as select * from {target} limit 0")
            conn.commit()
            try:
                self._load_parquet(conn, scratch, schema, records)
                conn.exec_driver_sql(f"delete from {target} d using {scratch} s where {matches}")
                conn.exec_driver_sql(f"insert into {target} ({columns}) select {columns} from {scratch}")
                conn.commit()
            except BaseException:
                conn.rollback()  # neither the delete nor the insert: the batch is loaded again next run
                raise
            finally:
                conn.exec_driver_sql(f"drop table if exists {scratch}")
                conn.commit()
        return len(records)

    def _schema_prefix(self) -> str:
        return f"{self.config['database'].upper()}.{self.config['schema'].upper()}"

    def _load_parquet(self, conn: Connection, table: str, schema: dict, records: list[dict[str, Any]]) -> int:
        """PUT one typed parquet file to the named stage and COPY it by column name (uncommitted)."""
        stage = f"{self._schema_prefix()}.{STAGE}"
        folder = uuid.uuid4().hex
        with tempfile.TemporaryDirectory(prefix="fakesnow-load-") as tmp:
            path = Path(tmp) / f"{folder}.parquet"
            count = staging.write_parquet(records, schema, path)
            if not self._stage_ready:  # committed at once: a failed batch's rollback must not take it along
                conn.exec_driver_sql(f"create stage if not exists {stage}")
                conn.commit()
                self._stage_ready = True
            conn.exec_driver_sql(f"put 'file://{path}' @{stage}/{folder}")
            conn.exec_driver_sql(
                f"copy into {table} from @{stage}/{folder} "
                "file_format = (type = 'PARQUET') match_by_column_name = case_insensitive"
            )
        return count
