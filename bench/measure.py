"""Run a tap | [mapper |] target pipeline as separate processes and measure wall time and each one's peak RSS."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PipelineResult:
    seconds: float
    peak_rss_mb: dict[str, float]  # per stage name: tap, mapper names, target
    cpu_seconds: dict[str, float]  # per stage: user + system CPU; the busiest stage bounds the pipeline
    returncodes: dict[str, int]
    last_state: str | None

    @property
    def tap_peak_rss_mb(self) -> float:
        return self.peak_rss_mb["tap"]

    @property
    def target_peak_rss_mb(self) -> float:
        return self.peak_rss_mb["target"]

    @property
    def tap_rc(self) -> int:
        return self.returncodes["tap"]

    @property
    def target_rc(self) -> int:
        return self.returncodes["target"]

    @property
    def failed(self) -> bool:
        return any(self.returncodes.values())


def _rss_mb(rusage: object) -> float:
    return getattr(rusage, "ru_maxrss") / 1024  # Linux reports KiB


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU a running process (all its threads) has used so far, from /proc (0 when gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14, 15


def _hwm_mb(pid: int) -> float | None:
    """The process's own peak RSS (VmHWM), or None once it has exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), None)


class _PeakWatcher(threading.Thread):
    """Polls VmHWM while the stages run. ru_maxrss cannot be used alone: Linux carries the parent's peak
    over fork+exec, so a child of a large parent (the bench process serves the sandbox) reports at least
    the parent's size."""

    def __init__(self, pids: dict[str, int], interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.peaks: dict[str, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for name, pid in self.pids.items():
                mb = _hwm_mb(pid)
                if mb is not None:
                    self.peaks[name] = max(mb, self.peaks.get(name, 0.0))
            self.done.wait(self.interval)


def run_pipeline(
    tap_cmd: list[str],
    target_cmd: list[str],
    *,
    log_dir: Path,
    env: dict[str, str] | None = None,
    mappers: Sequence[tuple[str, list[str]]] = (),
) -> PipelineResult:
    """Pipe each stage's stdout into the next one's stdin, as `meltano run` does; each stderr goes to
    `<stage>.log` and the target's stdout (its STATE lines) to `target.out`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, **(env or {})}
    stages = [("tap", tap_cmd), *mappers, ("target", target_cmd)]
    procs: list[tuple[str, subprocess.Popen[bytes]]] = []
    started = time.perf_counter()
    with open(log_dir / "target.out", "wb") as target_out:
        upstream = None
        for i, (name, cmd) in enumerate(stages):
            last = i == len(stages) - 1
            with open(log_dir / f"{name}.log", "wb") as log:
                proc = subprocess.Popen(  # noqa: S603
                    cmd, stdin=upstream, stdout=target_out if last else subprocess.PIPE, stderr=log, env=full_env
                )
            if upstream is not None:
                upstream.close()  # the next stage owns the read end now
            upstream = proc.stdout
            procs.append((name, proc))
        watcher = _PeakWatcher({name: proc.pid for name, proc in procs})
        watcher.start()
        usage = {name: os.wait4(proc.pid, 0) for name, proc in procs}
        watcher.done.set()
        watcher.join()
    for name, proc in procs:
        proc.returncode = os.waitstatus_to_exitcode(usage[name][1])  # reaped by wait4 already
    seconds = time.perf_counter() - started
    states = [line for line in (log_dir / "target.out").read_text(encoding="utf-8").splitlines() if line.strip()]
    return PipelineResult(
        seconds=seconds,
        # VmHWM as last polled (misses at most the final interval's growth); ru_maxrss where /proc is absent
        peak_rss_mb={name: watcher.peaks.get(name) or _rss_mb(rusage) for name, (_, _, rusage) in usage.items()},
        cpu_seconds={name: round(rusage.ru_utime + rusage.ru_stime, 2) for name, (_, _, rusage) in usage.items()},
        returncodes={name: int(proc.returncode) for name, proc in procs},
        last_state=states[-1] if states else None,
    )
