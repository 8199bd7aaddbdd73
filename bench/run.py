"""`make bench`: throughput, API efficiency and memory of the Infor M3 → ServiceNow job on the sandbox.

Every figure is printed and compared with a baseline measured in the same run (the Singer SDK
pass-through over the same number of records), because the machines are shared and noisy.
Results also go to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import requests

from ml_connector.ledger import Ledger
from ml_connector_sandbox.server import free_port
from ml_connector_sandbox.supervisor import SandboxOptions, down, up

sys.path.insert(0, str(Path(__file__).parent))
from measure import PipelineResult, run_pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPANIES = [{"cono": "100", "divisions": ["AAA", "BBB"]}, {"cono": "200", "divisions": ["AAA"]}]


def _admin(base_url: str, path: str, method: str = "GET") -> Any:
    response = requests.request(method, f"{base_url}/_sandbox/{path}", timeout=30)
    response.raise_for_status()
    return response.json()


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _job(work: Path, status: dict[str, Any], *, name: str, state: str | None, page_size: int) -> tuple[PipelineResult, dict[str, Any]]:
    ion, sn = status["emulators"]["ion"], status["emulators"]["servicenow"]
    for emulator in (ion, sn):
        _admin(emulator["base_url"], "stats/reset", "POST")
    tap_cfg = _write(work / "tap.json", {
        "ionapi_path": ion["credentials"]["ionapi_path"], "companies": COMPANIES, "page_size": page_size,
        "requests_per_minute": 100_000,
    })
    target_cfg = _write(work / "target.json", {
        "instance_url": sn["base_url"], "client_id": sn["credentials"]["client_id"],
        "client_secret": sn["credentials"]["client_secret"], "ledger_url": f"sqlite:///{work / 'ledger.db'}",
        "job_name": "bench",
    })
    tap_cmd = [str(BIN / "tap-infor-cloudsuite"), "--config", str(tap_cfg)]
    if state:
        state_file = work / "state.json"
        state_file.write_text(json.dumps(json.loads(state)["value"]), encoding="utf-8")
        tap_cmd += ["--state", str(state_file)]
    result = run_pipeline(tap_cmd, [str(BIN / "target-servicenow-s2p"), "--config", str(target_cfg)], log_dir=work / name)
    if result.tap_rc or result.target_rc:
        msg = f"job run {name} failed (tap {result.tap_rc}, target {result.target_rc}); logs in {work / name}"
        raise SystemExit(msg)
    stats = {"ion": _admin(ion["base_url"], "stats"), "servicenow": _admin(sn["base_url"], "stats")}
    return result, stats


def _records(work: Path) -> dict[str, int]:
    run = Ledger(f"sqlite:///{work / 'ledger.db'}").last_run(job="bench")
    return {stream: counts.get("extracted", 0) for stream, counts in (run.counts if run else {}).items()}


def _baseline(work: Path, records: int) -> PipelineResult:
    cfg = _write(work / "baseline.json", {"record_count": records})
    script = str(Path(__file__).parent / "baseline.py")
    return run_pipeline(
        [sys.executable, script, "tap", "--config", str(cfg)], [sys.executable, script, "target"], log_dir=work / "baseline"
    )


def _api_requests(stats: dict[str, Any]) -> tuple[int, int]:
    """(M3 read requests, ServiceNow requests) — token calls excluded on both sides."""
    reads = sum(n for route, n in stats["ion"]["by_route"].items() if route.startswith("M3/"))
    writes = sum(n for route, n in stats["servicenow"]["by_route"].items() if route != "oauth" and not route.startswith("_sandbox"))
    return reads, writes


def bench_size(lines: int, *, page_size: int, keep: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"mlc-bench-{lines}-"))
    options = SandboxOptions(
        data_dir=work / "sandbox", scale=lines, seed=42,
        ports={"ion": free_port(), "servicenow": free_port()},
    )
    status = up(options, fresh=True)
    try:
        first, stats = _job(work, status, name="first", state=None, page_size=page_size)
        per_stream = _records(work)
        total = sum(per_stream.values())
        reads, writes = _api_requests(stats)
        again, stats_again = _job(work, status, name="no-change", state=first.last_state, page_size=page_size)
        reads_again, writes_again = _api_requests(stats_again)
        base = _baseline(work, total)
    finally:
        if not keep:
            down(options.data_dir)
    partitions = 10 * 3  # streams x (company or company/division) partitions, upper bound
    return {
        "invoice_lines": lines,
        "records": total,
        "per_stream": per_stream,
        "job_seconds": round(first.seconds, 2),
        "job_records_per_second": round(total / first.seconds, 1),
        "baseline_seconds": round(base.seconds, 2),
        "baseline_records_per_second": round(total / base.seconds, 1),
        "throughput_ratio_vs_baseline": round(base.seconds / first.seconds, 3),
        "read_requests": reads,
        "read_requests_floor": -(-total // page_size),
        "reads_per_1000_records": round(reads * 1000 / total, 2),
        "write_requests": writes,
        "writes_per_1000_records": round(writes * 1000 / total, 2),
        "no_change_run": {
            "write_requests": writes_again,
            "read_requests": reads_again,
            "read_requests_per_stream_partition": round(reads_again / partitions, 2),
        },
        "peak_rss_mb": {
            "tap": round(first.tap_peak_rss_mb, 1), "target": round(first.target_peak_rss_mb, 1),
            "baseline_tap": round(base.tap_peak_rss_mb, 1), "baseline_target": round(base.target_peak_rss_mb, 1),
        },
        "work_dir": str(work),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,1000000", help="invoice-line scales, comma separated")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="leave the sandboxes running for inspection")
    args = parser.parse_args()
    results = [bench_size(int(s), page_size=args.page_size, keep=args.keep) for s in args.sizes.split(",")]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    for r in results:
        print(f"\n== {r['invoice_lines']:,} invoice lines, {r['records']:,} records ==")
        print(f"job       {r['job_records_per_second']:>10,.0f} rec/s  ({r['job_seconds']} s)")
        print(f"baseline  {r['baseline_records_per_second']:>10,.0f} rec/s  ({r['baseline_seconds']} s)  SDK pass-through")
        print(f"ratio job/baseline throughput: {r['throughput_ratio_vs_baseline']}  (goal >= 1.0)")
        print(f"reads  {r['read_requests']} (floor records/page {r['read_requests_floor']}), {r['reads_per_1000_records']}/1000 records")
        print(f"writes {r['write_requests']}, {r['writes_per_1000_records']}/1000 records  (goal <= 15)")
        nc = r["no_change_run"]
        print(f"no-change run: {nc['write_requests']} write requests (goal 0), {nc['read_requests']} reads")
        print(f"peak RSS MB: {r['peak_rss_mb']}")
    if len(results) > 1:
        small, big = results[0]["peak_rss_mb"], results[-1]["peak_rss_mb"]
        for proc in ("tap", "target"):
            print(f"memory growth {proc}: {big[proc] / small[proc]:.2f}x from {results[0]['invoice_lines']:,} to {results[-1]['invoice_lines']:,} lines (goal <= 1.2)")


if __name__ == "__main__":
    main()
