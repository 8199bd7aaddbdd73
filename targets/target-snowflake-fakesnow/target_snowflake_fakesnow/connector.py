"""SnowflakeConnector reaching a fakesnow server, with a staging path fakesnow supports.

target-snowflake 0.19.2 loads through the user stage (`PUT ... '@~/...'`, `COPY`/`MERGE` selecting
`$1:col` from a JSON stage, `REMOVE`, `DROP FILE FORMAT`); fakesnow 0.12.1 rejects each of those.
Here the batch files are converted to parquet, PUT to a named stage, and loaded with
`COPY ... MATCH_BY_COLUMN_NAME`; upserts go through a scratch table and a plain `MERGE`. Only the
private staging methods below differ from the stock connector, so they pin target-snowflake exactly.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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

        SQLAlchemy connect args override what the URL derives from the account. fakesnow's MERGE
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
        return self._load_parquet(str(full_table_name), schema, records)

    def merge_from_stage(
        self,
        full_table_name: Any,
        schema: dict,
        sync_id: str,
        file_format: str,
        key_properties: Sequence[str],
    ) -> int:
        """Upsert by key: last record per key wins, loaded into a scratch table, then one MERGE."""
        # the sink hands over conformed (lower-case) key names; the batch records keep the stream's names
        by_fold = {name.casefold(): name for name in schema["properties"]}
        record_keys = [by_fold.get(key.casefold(), key) for key in key_properties]
        records = staging.dedupe_last(staging.read_batch_files(self._staged.get(sync_id, [])), record_keys)
        if not records:
            return 0
        target = str(full_table_name)
        scratch = f"{self._schema_prefix()}.FS_SCRATCH_{uuid.uuid4().hex[:12].upper()}"
        columns = [self.format_identifier(name, safe=True) for name in schema["properties"]]
        keys = [self.format_identifier(name, safe=True) for name in key_properties]
        merge = (
            f"merge into {target} d using {scratch} s on "
            + " and ".join(f"d.{k} = s.{k}" for k in keys)
            + " when matched then update set "
            + ", ".join(f"d.{c} = s.{c}" for c in columns)
            + f" when not matched then insert ({', '.join(columns)}) values ("
            + ", ".join(f"s.{c}" for c in columns)
            + ")"
        )
        with self._connect() as conn, conn.begin():  # SQLAlchemy rolls back what is not committed
            conn.exec_driver_sql(f"create table {scratch} as select * from {target} limit 0")
        try:
            self._load_parquet(scratch, schema, records)
            with self._connect() as conn, conn.begin():
                conn.exec_driver_sql(merge)
        finally:
            with self._connect() as conn, conn.begin():
                conn.exec_driver_sql(f"drop table if exists {scratch}")
        return len(records)

    def _schema_prefix(self) -> str:
        return f"{self.config['database'].upper()}.{self.config['schema'].upper()}"

    def _load_parquet(self, table: str, schema: dict, records: list[dict[str, Any]]) -> int:
        """PUT one typed parquet file to the named stage and COPY it by column name."""
        if not records:
            return 0
        stage = f"{self._schema_prefix()}.{STAGE}"
        folder = uuid.uuid4().hex
        with tempfile.TemporaryDirectory(prefix="fakesnow-load-") as tmp:
            path = Path(tmp) / f"{folder}.parquet"
            count = staging.write_parquet(records, schema, path)
            with self._connect() as conn, conn.begin():
                if not self._stage_ready:
                    conn.exec_driver_sql(f"create stage if not exists {stage}")
                    self._stage_ready = True
                conn.exec_driver_sql(f"put 'file://{path}' @{stage}/{folder}")
                conn.exec_driver_sql(
                    f"copy into {table} from @{stage}/{folder} "
                    "file_format = (type = 'PARQUET') match_by_column_name = case_insensitive"
                )
        return count
