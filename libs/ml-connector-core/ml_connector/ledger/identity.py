"""One ledger run per pipeline: how the tap, mapper and target of one `meltano run` agree on a run id.

Meltano does not pass a run id to its plugins, but it starts every plugin of a run as a child of the
same `meltano run` process. So the run id is derived from that parent (host, pid and start time, which
together never repeat), unless `ML_CONNECTOR_RUN_ID` (replays, orchestrators) or Meltano's own
`MELTANO_RUN_ID` (`meltano run --run-id`, inherited from the caller's environment) names one.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

RUN_ID_ENV = "ML_CONNECTOR_RUN_ID"
JOB_NAME_ENV = "ML_CONNECTOR_JOB_NAME"
DEFAULT_JOB = "adhoc"
MELTANO_RUN_ID_ENV = "MELTANO_RUN_ID"
_NAMESPACE = uuid.UUID("0b7c4f5e-7d1e-4c0a-9a55-6d4c2b1e9f10")


def _process_start_ticks(pid: int) -> str:
    """Start time of a process in clock ticks since boot (Linux); empty elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return ""
    # the command name (field 2) may contain spaces; fields after the closing parenthesis are fixed
    return stat.rsplit(")", 1)[1].split()[19]


def current_run_id() -> str:
    """The run id every plugin of this pipeline shares."""
    explicit = os.environ.get(RUN_ID_ENV) or os.environ.get(MELTANO_RUN_ID_ENV)
    if explicit:
        return explicit
    parent = os.getppid()
    identity = f"{socket.gethostname()}:{parent}:{_process_start_ticks(parent)}"
    return uuid.uuid5(_NAMESPACE, identity).hex


def current_job_name(configured: str | None = None) -> str:
    """The job a run belongs to: the plugin's `job_name` setting, then the environment, else "adhoc".

    Meltano does not tell plugins which job runs them, so each pair's mapping sets `job_name`; the
    other plugins of the run join the run under the mapper's name (see `Ledger.start_run`).
    """
    return configured or os.environ.get(JOB_NAME_ENV) or os.environ.get("MELTANO_JOB_NAME") or DEFAULT_JOB
