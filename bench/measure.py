"""Run a tap | target pipeline as two processes and measure wall time and each process's peak RSS."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PipelineResult:
    seconds: float
    tap_peak_rss_mb: float
    target_peak_rss_mb: float
    tap_rc: int
    target_rc: int
    last_state: str | None


def _rss_mb(rusage: object) -> float:
    return getattr(rusage, "ru_maxrss") / 1024  # Linux reports KiB


def run_pipeline(tap_cmd: list[str], target_cmd: list[str], *, log_dir: Path, env: dict[str, str] | None = None) -> PipelineResult:
    """Pipe tap stdout into target stdin; stderr of each goes to a log file for inspection."""
    log_dir.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, **(env or {})}
    started = time.perf_counter()
    with open(log_dir / "tap.log", "wb") as tap_log, open(log_dir / "target.log", "wb") as target_log, open(
        log_dir / "target.out", "wb"
    ) as target_out:
        tap = subprocess.Popen(tap_cmd, stdout=subprocess.PIPE, stderr=tap_log, env=full_env)  # noqa: S603
        target = subprocess.Popen(  # noqa: S603
            target_cmd, stdin=tap.stdout, stdout=target_out, stderr=target_log, env=full_env
        )
        assert tap.stdout is not None
        tap.stdout.close()  # the target owns the read end now
        _, tap_status, tap_usage = os.wait4(tap.pid, 0)
        _, target_status, target_usage = os.wait4(target.pid, 0)
    seconds = time.perf_counter() - started
    tap.returncode = os.waitstatus_to_exitcode(tap_status)
    target.returncode = os.waitstatus_to_exitcode(target_status)
    states = [line for line in (log_dir / "target.out").read_text(encoding="utf-8").splitlines() if line.strip()]
    return PipelineResult(
        seconds=seconds,
        tap_peak_rss_mb=_rss_mb(tap_usage),
        target_peak_rss_mb=_rss_mb(target_usage),
        tap_rc=tap.returncode,
        target_rc=target.returncode,
        last_state=states[-1] if states else None,
    )
