"""`make bench`: throughput, API efficiency and memory of the Infor M3 jobs on the sandbox.

`--pair servicenow` (default): tap-infor-cloudsuite | target-servicenow-s2p.
`--pair snowflake`: tap-infor-cloudsuite | mapper-audit | target-snowflake-fakesnow into the local
Snowflake stand-in (the infor-to-snowflake-sandbox job's processes).
Every figure is printed and compared with a baseline measured in the same run (the Singer SDK
pass-through over the same number of records), because the machines are shared and noisy.
Results also go to bench/results/latest[-<pair>].json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from ml_connector.ledger import Ledger
from ml_connector_sandbox.registry import EMULATORS
from ml_connector_sandbox.server import free_port
from ml_connector_sandbox.supervisor import SandboxOptions, down, up
from ml_connector_sandbox.testing import run_sandbox

sys.path.insert(0, str(Path(__file__).parent))
from measure import PipelineResult, process_cpu_seconds, run_pipeline

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# the sandbox loader as `meltano install` put it in its own venv (target-snowflake pins its own SDK)
SNOWFLAKE_TARGET = ROOT / ".meltano" / "loaders" / "target-snowflake-fakesnow" / "venv" / "bin" / "target-snowflake-fakesnow"
SNOWFLAKE_SCHEMA = "BENCH"
COMPANIES = [{"cono": "100", "divisions": ["AAA", "BBB"]}, {"cono": "200", "divisions": ["AAA"]}]


def _admin(base_url: str, path: str, method: str = "GET") -> Any:
    response = requests.request(method, f"{base_url}/_sandbox/{path}", timeout=30)
    response.raise_for_status()
    return response.json()


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _tap_cmd(work: Path, ion: dict[str, Any], *, state: str | None, page_size: int) -> list[str]:
    """The tap as both jobs run it; with `state` it resumes from a previous run's final STATE."""
    tap_cfg = _write(work / "tap.json", {
        "ionapi_path": ion["credentials"]["ionapi_path"], "companies": COMPANIES, "page_size": page_size,
        "requests_per_minute": 100_000,
    })
    tap_cmd = [str(BIN / "tap-infor-cloudsuite"), "--config", str(tap_cfg)]
    if state:
        state_file = work / "state.json"
        state_file.write_text(state, encoding="utf-8")  # targets print the bare state object
        tap_cmd += ["--state", str(state_file)]
    return tap_cmd


def _checked(result: PipelineResult, work: Path, name: str) -> PipelineResult:
    if result.failed:
        raise SystemExit(f"job run {name} failed ({result.returncodes}); logs in {work / name}")
    return result


def _job(
    work: Path, status: dict[str, Any], *, name: str, state: str | None, page_size: int, mapper: bool = False
) -> tuple[PipelineResult, dict[str, Any]]:
    """tap | [mapper-gl-vendor |] target-servicenow-s2p with the config the main job gives them."""
    ion, sn = status["emulators"]["ion"], status["emulators"]["servicenow"]
    for emulator in (ion, sn):
        _admin(emulator["base_url"], "stats/reset", "POST")
    target_cfg = _write(work / "target.json", {
        "instance_url": sn["base_url"], "client_id": sn["credentials"]["client_id"],
        "client_secret": sn["credentials"]["client_secret"], "ledger_url": f"sqlite:///{work / 'ledger.db'}",
        "job_name": "bench",
    })
    tap_cmd = _tap_cmd(work, ion, state=state, page_size=page_size)
    target_cmd = [str(BIN / "target-servicenow-s2p"), "--config", str(target_cfg)]
    mappers: list[tuple[str, list[str]]] = []
    if mapper:
        mapper_cfg = _write(work / "mapper.json", {
            "instance_url": sn["base_url"], "client_id": sn["credentials"]["client_id"],
            "client_secret": sn["credentials"]["client_secret"], "ledger_url": f"sqlite:///{work / 'ledger.db'}",
            "job_name": "bench", "profile": "infor_m3", "target_system": "servicenow",
        })
        mappers.append(("mapper", [str(BIN / "mapper-gl-vendor"), "--config", str(mapper_cfg)]))
    sandbox_cpu = process_cpu_seconds(int(status.get("pid") or 0))
    result = _checked(run_pipeline(tap_cmd, target_cmd, log_dir=work / name, mappers=mappers), work, name)
    result.cpu_seconds["sandbox"] = round(process_cpu_seconds(int(status.get("pid") or 0)) - sandbox_cpu, 2)
    stats = {"ion": _admin(ion["base_url"], "stats"), "servicenow": _admin(sn["base_url"], "stats")}
    return result, stats


def _records(work: Path) -> dict[str, int]:
    run = Ledger(f"sqlite:///{work / 'ledger.db'}").last_run(job="bench")
    return {stream: counts.get("extracted", 0) for stream, counts in (run.counts if run else {}).items()}


BASELINE_CAP = 250_000  # the baseline's rate is flat in record count; beyond this it only costs time


def _baseline(work: Path, records: int) -> PipelineResult:
    """The SDK pass-through over the same number of records (at most BASELINE_CAP); compare rates."""
    cfg = _write(work / "baseline.json", {"record_count": min(records, BASELINE_CAP)})
    script = str(Path(__file__).parent / "baseline.py")
    return run_pipeline(
        [sys.executable, script, "tap", "--config", str(cfg)], [sys.executable, script, "target"], log_dir=work / "baseline"
    )


PREFLIGHT_TABLES = ("sys_store_app", "sys_scope", "sys_db_object", "sys_dictionary", "sys_user", "sys_user_has_role")


def _api_requests(stats: dict[str, Any]) -> tuple[int, int, int]:
    """(M3 read requests, ServiceNow write-side requests, ServiceNow pre-flight reads); tokens excluded.

    The write side is every Import Set call plus the lookups and import-set reads made in order to write.
    """
    reads = sum(n for route, n in stats["ion"]["by_route"].items() if route.startswith("M3/"))
    preflight = writes = 0
    for route, n in stats["servicenow"]["by_route"].items():
        if route == "oauth" or route.startswith("_sandbox"):
            continue
        if route.rsplit(":", 1)[-1] in PREFLIGHT_TABLES:
            preflight += n
        else:
            writes += n
    return reads, writes, preflight


def _summary(lines: int, per_stream: dict[str, int], first: PipelineResult, base: PipelineResult, work: Path) -> dict[str, Any]:
    """The figures both pairs report: throughput against the baseline, and every process's peak RSS."""
    total = sum(per_stream.values())
    return {
        "invoice_lines": lines,
        "records": total,
        "per_stream": per_stream,
        "job_seconds": round(first.seconds, 2),
        "job_records_per_second": round(total / first.seconds, 1),
        "baseline_records": min(total, BASELINE_CAP),
        "baseline_seconds": round(base.seconds, 2),
        "baseline_records_per_second": round(min(total, BASELINE_CAP) / base.seconds, 1),
        "throughput_ratio_vs_baseline": round((total / first.seconds) / (min(total, BASELINE_CAP) / base.seconds), 3),
        "cpu_seconds": {**first.cpu_seconds, **{f"baseline_{n}": c for n, c in base.cpu_seconds.items()}},
        # machine-independent: CPU our plugins spend per record against the baseline's (the emulator's CPU is
        # the vendor's in production, so it is left out here; it is in the wall time above)
        "plugin_cpu_ms_per_record": round(
            1000 * sum(c for n, c in first.cpu_seconds.items() if n != "sandbox") / total, 3),
        "baseline_cpu_ms_per_record": round(1000 * sum(base.cpu_seconds.values()) / min(total, BASELINE_CAP), 3),
        "peak_rss_mb": {
            **{name: round(mb, 1) for name, mb in first.peak_rss_mb.items()},
            **{f"baseline_{name}": round(mb, 1) for name, mb in base.peak_rss_mb.items()},
        },
        "work_dir": str(work),
    }


def _work_dir(pair: str, lines: int) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"mlc-bench-{pair}-{lines}-"))


def _with_mapper(lines: int, *, page_size: int) -> dict[str, Any]:
    """The same first run through mapper-gl-vendor, on a fresh sandbox of the same data."""
    work = _work_dir("servicenow-mapper", lines)
    options = SandboxOptions(
        data_dir=work / "sandbox", scale=lines, seed=42, ports={spec.name: free_port() for spec in EMULATORS}
    )
    status = up(options, fresh=True)
    try:
        result, _ = _job(work, status, name="first", state=None, page_size=page_size, mapper=True)
    finally:
        down(options.data_dir)
    total = sum(_records(work).values())
    return {"seconds": round(result.seconds, 2), "records": total,
            "peak_rss_mb": {k: round(v, 1) for k, v in result.peak_rss_mb.items()}}


def bench_servicenow(lines: int, *, page_size: int, keep: bool, with_mapper: bool = True) -> dict[str, Any]:
    work = _work_dir("servicenow", lines)
    # every emulator on a free port: a running `make demo` sandbox keeps the default ones
    options = SandboxOptions(
        data_dir=work / "sandbox", scale=lines, seed=42, ports={spec.name: free_port() for spec in EMULATORS}
    )
    status = up(options, fresh=True)
    try:
        first, stats = _job(work, status, name="first", state=None, page_size=page_size)
        per_stream = _records(work)
        total = sum(per_stream.values())
        reads, writes, preflight = _api_requests(stats)
        again, stats_again = _job(work, status, name="no-change", state=first.last_state, page_size=page_size)
        reads_again, writes_again, _ = _api_requests(stats_again)
        base = _baseline(work, total)
    finally:
        if not keep:
            down(options.data_dir)
    mapped = _with_mapper(lines, page_size=page_size) if with_mapper else None
    partitions = 10 * 3  # streams x (company or company/division) partitions, upper bound
    return {
        **_summary(lines, per_stream, first, base, work),
        "read_requests": reads,
        "read_requests_floor": -(-total // page_size),
        "reads_per_1000_records": round(reads * 1000 / total, 2),
        "write_requests": writes,
        "writes_per_1000_records": round(writes * 1000 / total, 2),
        "preflight_requests": preflight,
        **({"with_mapper": mapped | {
            "throughput_ratio_with_vs_without": round((mapped["records"] / mapped["seconds"]) / (total / first.seconds), 3),
        }} if mapped else {}),
        "no_change_run": {
            "write_requests": writes_again,
            "read_requests": reads_again,
            "read_requests_per_stream_partition": round(reads_again / partitions, 2),
        },
    }


def _snowflake_job(work: Path, sandbox: Any, *, name: str, state: str | None, page_size: int) -> PipelineResult:
    """tap | mapper-audit | target-snowflake-fakesnow with the config `meltano run infor-to-snowflake-sandbox` gives."""
    ion, creds = sandbox.status()["emulators"]["ion"], sandbox.emulators["snowflake"].credentials
    mapper_cfg = _write(work / "mapper.json", {
        "ledger_url": f"sqlite:///{work / 'ledger.db'}", "job_name": "bench", "run_id": f"bench-{name}",
    })
    target_cfg = _write(work / "target.json", {
        **{k: creds[k] for k in ("user", "password", "account", "host", "port", "protocol", "database")},
        "schema": SNOWFLAKE_SCHEMA, "load_method": "upsert", "add_record_metadata": True,
        "validate_records": False, "batch_size_rows": 2000,  # as meltano.d/snowflake.yml configures the loader
    })
    mapper = ("mapper-audit", [str(BIN / "mapper-audit"), "--config", str(mapper_cfg)])
    own_cpu = process_cpu_seconds(os.getpid())
    result = run_pipeline(
        _tap_cmd(work, ion, state=state, page_size=page_size), [str(SNOWFLAKE_TARGET), "--config", str(target_cfg)],
        log_dir=work / name, mappers=[mapper],
    )
    # the emulators (ION, fakesnow) serve from this process's threads: its CPU over the run is theirs
    result.cpu_seconds["sandbox"] = round(process_cpu_seconds(os.getpid()) - own_cpu, 2)
    return _checked(result, work, name)


def _snowflake_rows(sandbox: Any, streams: list[str]) -> dict[str, int]:
    """Rows per table, read back through the stand-in's Snowflake endpoint."""
    import snowflake.connector

    creds = sandbox.emulators["snowflake"].credentials
    with snowflake.connector.connect(
        **{k: creds[k] for k in ("user", "password", "account", "host", "port", "protocol", "database")},
        schema=SNOWFLAKE_SCHEMA,
    ) as conn:
        cur = conn.cursor()
        return {s: cur.execute(f"SELECT count(*) FROM {s.upper()}").fetchall()[0][0] for s in [*streams, "load_audit"]}


def bench_snowflake(lines: int, *, page_size: int, keep: bool) -> dict[str, Any]:
    work = _work_dir("snowflake", lines)
    # in-process, only the two emulators this job talks to (fakesnow: one stand-in per process)
    with run_sandbox(work / "sandbox", scale=lines, seed=42, names=("ion", "snowflake")) as sandbox:
        first = _snowflake_job(work, sandbox, name="first", state=None, page_size=page_size)
        per_stream = _records(work)
        again = _snowflake_job(work, sandbox, name="no-change", state=first.last_state, page_size=page_size)
        reread = sum(_records(work).values())
        base = _baseline(work, sum(per_stream.values()))
        rows = _snowflake_rows(sandbox, list(per_stream))  # last: the connector would enlarge this process
    if keep:
        print(f"kept: DuckDB files in {work / 'sandbox' / 'snowflake'}")
    summary = _summary(lines, per_stream, first, base, work)
    audit = rows.pop("load_audit")
    if audit != summary["records"] + reread:
        raise SystemExit(f"{audit} audit rows, expected {summary['records']} + {reread}; see {work}")
    return {
        **summary,
        "no_change_run": {
            "seconds": round(again.seconds, 2),
            "records_reread": reread,
            "rows_added": sum(rows.values()) - summary["records"],  # each record once: goal 0
        },
    }


# -- IFS Cloud → ServiceNow (`--pair ifs`) -------------------------------------------------------------
IFS_COMPANIES = ["10", "20", "30"]
IFS_EXTRACT_LINES = 500_000
IFS_EXTRACT_RPM = 1000


def _ifs_tap_cmd(work: Path, ifs: dict[str, Any], *, name: str, page_size: int, rpm: int,
                 catalog: Path | None = None) -> list[str]:
    """tap-ifs-cloud as the ifs-to-servicenow job runs it (credentials from the emulator's own file)."""
    cfg = _write(work / f"{name}-tap.json", {
        "base_url": ifs["base_url"], "credentials_file": str(Path(ifs["credentials_file"])),
        "companies": IFS_COMPANIES, "suppliers_per_company": True, "page_size": page_size,
        "requests_per_minute": rpm,
    })
    return [str(BIN / "tap-ifs-cloud"), "--config", str(cfg), *(["--catalog", str(catalog)] if catalog else [])]


def _ifs_requests(base_url: str) -> int:
    """OData reads (token calls excluded)."""
    return sum(n for route, n in _admin(base_url, "stats")["by_route"].items() if route.startswith("odata/"))


def _only_lines_catalog(work: Path, tap_cmd: list[str]) -> Path:
    """The discovered catalog with supplier_invoice_lines selected alone (its lookups are still read)."""
    catalog = json.loads(subprocess.run([*tap_cmd, "--discover"], capture_output=True, check=True).stdout)
    for stream in catalog["streams"]:
        for entry in stream["metadata"]:
            if not entry["breadcrumb"]:
                entry["metadata"]["selected"] = stream["tap_stream_id"] == "supplier_invoice_lines"
    return _write(work / "lines-catalog.json", catalog)


def _ifs_extract(work: Path, ifs: dict[str, Any], *, page_size: int) -> dict[str, Any]:
    """Tap alone, invoice lines only, paced at IFS_EXTRACT_RPM: wall time against the floor the limit allows."""
    base = _ifs_tap_cmd(work, ifs, name=f"extract-{page_size}", page_size=page_size, rpm=IFS_EXTRACT_RPM)
    cmd = [*base, "--catalog", str(_only_lines_catalog(work, base))]
    _admin(ifs["base_url"], "stats/reset", "POST")
    started = time.perf_counter()
    with open(work / f"extract-{page_size}.log", "wb") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"extraction at page size {page_size} failed; see {work / f'extract-{page_size}.log'}")
    # the tap's own work (parsing, typing, writing): when it nears the wall time, the tap, not the limit, bounds
    tap_cpu = round(usage.ru_utime + usage.ru_stime, 1)
    requests_made = _ifs_requests(ifs["base_url"])
    floor = requests_made / (IFS_EXTRACT_RPM / 60)
    return {"page_size": page_size, "seconds": round(seconds, 1), "requests": requests_made,
            "floor_seconds": round(floor, 1), "ratio_to_floor": round(seconds / floor, 3),
            "records_per_second": round(IFS_EXTRACT_LINES / seconds),
            "tap_cpu_seconds": tap_cpu,
            "max_per_minute": _admin(ifs["base_url"], "stats")["max_per_minute"]}


def _ifs_pair(work: Path, ifs: dict[str, Any], sn: dict[str, Any], *, page_size: int) -> tuple[PipelineResult, int]:
    """tap-ifs-cloud | mapper-gl-vendor | target-servicenow-s2p, unpaced, as ifs-to-servicenow configures them."""
    for emulator in (ifs, sn):
        _admin(emulator["base_url"], "stats/reset", "POST")
    servicenow = {"instance_url": sn["base_url"], "client_id": sn["credentials"]["client_id"],
                  "client_secret": sn["credentials"]["client_secret"],
                  "ledger_url": f"sqlite:///{work / 'ledger.db'}", "job_name": "bench"}
    mapper_cfg = _write(work / "mapper.json", {
        **servicenow, "profile": "ifs_cloud", "crosswalk_path": str(ROOT / "crosswalks" / "ifs_cloud-servicenow.csv")})
    target_cfg = _write(work / "target.json", {
        **servicenow, "mapping_profile": "ifs_cloud", "source_system": "ifs_cloud", "erp_source_prefix": "IFS"})
    first = _checked(run_pipeline(
        _ifs_tap_cmd(work, ifs, name="first", page_size=page_size, rpm=0),
        [str(BIN / "target-servicenow-s2p"), "--config", str(target_cfg)], log_dir=work / "first",
        mappers=[("mapper", [str(BIN / "mapper-gl-vendor"), "--config", str(mapper_cfg)])],
    ), work, "first")
    return first, _ifs_requests(ifs["base_url"])


def bench_ifs(lines: int, *, page_size: int, keep: bool, extract_page_sizes: tuple[int, ...] = (),
              pair: bool = True) -> dict[str, Any]:
    """The ifs-to-servicenow job's processes (`pair`) and/or the paced extraction, on a sandbox served from
    its own process (free ports), so the emulator's work does not slow the tap."""
    work = _work_dir("ifs", lines)
    options = SandboxOptions(
        data_dir=work / "sandbox", scale=lines, seed=42, ports={spec.name: free_port() for spec in EMULATORS}
    )
    status = up(options, fresh=True)
    ifs = {**status["emulators"]["ifs"], "credentials_file": options.data_dir / "credentials" / "ifs.json"}
    result: dict[str, Any] = {"invoice_lines": lines, "work_dir": str(work)}
    try:
        if pair:
            first, reads = _ifs_pair(work, ifs, status["emulators"]["servicenow"], page_size=page_size)
            per_stream = _records(work)
            total = sum(per_stream.values())
            floor = -(-total // page_size)
            result |= {
                **_summary(lines, per_stream, first, _baseline(work, total), work),
                "read_requests": reads,
                "read_requests_floor": floor,
                "reads_per_1000_records": round(reads * 1000 / total, 2),
                "floor_per_1000_records": round(floor * 1000 / total, 2),
                "reads_vs_floor": round(reads / floor, 3),
            }
        result["extract"] = [_ifs_extract(work, ifs, page_size=p) for p in extract_page_sizes]
    finally:
        if not keep:
            down(options.data_dir)
    return result


def _print_ifs(r: dict[str, Any]) -> None:
    if "read_requests" in r:
        print(f"reads {r['read_requests']} = {r['reads_per_1000_records']}/1000 records; records/page size "
              f"{r['read_requests_floor']} = {r['floor_per_1000_records']}/1000 (ratio {r['reads_vs_floor']}, goal <= 1.1)")
    for e in r["extract"]:
        print(f"extract {IFS_EXTRACT_LINES:,} lines @ {IFS_EXTRACT_RPM} req/min, page {e['page_size']}: "
              f"{e['seconds']} s, {e['requests']} requests, floor {e['floor_seconds']} s, ratio {e['ratio_to_floor']} "
              f"(goal <= 1.1), busiest minute {e['max_per_minute']} requests; {e['records_per_second']:,} rec/s, "
              f"tap CPU {e['tap_cpu_seconds']} s")


PAIRS = {"servicenow": bench_servicenow, "snowflake": bench_snowflake, "ifs": bench_ifs}


def _print(r: dict[str, Any]) -> None:
    if "records" not in r:  # the IFS extraction alone
        print(f"\n== {r['invoice_lines']:,} invoice lines, paced extraction ==")
        _print_ifs(r)
        return
    print(f"\n== {r['invoice_lines']:,} invoice lines, {r['records']:,} records ==")
    print(f"job       {r['job_records_per_second']:>10,.0f} rec/s  ({r['job_seconds']} s)")
    print(f"baseline  {r['baseline_records_per_second']:>10,.0f} rec/s  ({r['baseline_seconds']} s)  SDK pass-through")
    # the ServiceNow pairs have a throughput goal; the Snowflake pair (#5) reports its ratio without one
    goal = "" if "rows_added" in r.get("no_change_run", {}) else "  (goal >= 1.0)"
    print(f"ratio job/baseline throughput: {r['throughput_ratio_vs_baseline']}{goal}")
    if "extract" in r:
        _print_ifs(r)
    elif "read_requests" in r:
        print(f"reads  {r['read_requests']} (floor records/page {r['read_requests_floor']}), {r['reads_per_1000_records']}/1000 records")
        print(f"writes {r['write_requests']}, {r['writes_per_1000_records']}/1000 records  (goal <= 15); "
              f"pre-flight reads {r['preflight_requests']}")
        nc = r["no_change_run"]
        print(f"no-change run: {nc['write_requests']} write requests (goal 0), {nc['read_requests']} reads "
              f"({nc['read_requests_per_stream_partition']} per stream and partition, goal <= 2)")
        if "with_mapper" in r:
            m = r["with_mapper"]
            print(f"with mapper-gl-vendor: {m['records'] / m['seconds']:,.0f} rec/s ({m['seconds']} s); throughput "
                  f"with/without mapper {m['throughput_ratio_with_vs_without']} (goal >= 0.85); RSS {m['peak_rss_mb']}")
    else:
        nc = r["no_change_run"]
        print(f"no-change run: {nc['seconds']} s, {nc['records_reread']} records re-read, "
              f"{nc['rows_added']} data rows added (goal 0)")
    print(f"peak RSS MB: {r['peak_rss_mb']}")
    print(f"CPU seconds (busiest stage bounds the job): {r['cpu_seconds']}")
    if "plugin_cpu_ms_per_record" in r:
        print(f"CPU per record: plugins {r['plugin_cpu_ms_per_record']} ms, baseline {r['baseline_cpu_ms_per_record']} ms "
              f"(ratio baseline/plugins {r['baseline_cpu_ms_per_record'] / r['plugin_cpu_ms_per_record']:.2f}"
              + (", goal >= 1.0 when the emulator's share of the machine is set aside)" if goal else ")"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pair", choices=sorted(PAIRS), default="servicenow", help="which job to measure")
    parser.add_argument("--sizes", default="10000,1000000", help="invoice-line scales, comma separated")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="leave the sandboxes (or their data) for inspection")
    parser.add_argument("--extract-page-sizes", default="100,500,5000",
                        help=f"--pair ifs: page sizes of the {IFS_EXTRACT_LINES:,}-line extraction at "
                             f"{IFS_EXTRACT_RPM} requests/minute (measured at the largest of --sizes)")
    args = parser.parse_args()
    bench = PAIRS[args.pair]
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.pair == "ifs":  # the pair at each size, then the paced 500k-line extraction on its own sandbox
        extract = tuple(int(p) for p in args.extract_page_sizes.split(",") if p)
        results = [bench_ifs(s, page_size=args.page_size, keep=args.keep) for s in sizes]
        results.append(bench_ifs(IFS_EXTRACT_LINES, page_size=args.page_size, keep=args.keep,
                                 extract_page_sizes=extract, pair=False))
    elif args.pair == "servicenow":  # the mapper's cost is measured once, at the smallest size
        results = [bench(s, page_size=args.page_size, keep=args.keep, with_mapper=s == min(sizes)) for s in sizes]
    else:
        results = [bench(s, page_size=args.page_size, keep=args.keep) for s in sizes]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "latest.json" if args.pair == "servicenow" else f"latest-{args.pair}.json"
    (out / name).write_text(json.dumps(results, indent=2), encoding="utf-8")
    for r in results:
        _print(r)
    sized = [r for r in results if "peak_rss_mb" in r]
    if len(sized) > 1:
        results = sized
        small, big = results[0]["peak_rss_mb"], results[-1]["peak_rss_mb"]
        for proc in (p for p in small if not p.startswith("baseline_")):
            print(f"memory growth {proc}: {big[proc] / small[proc]:.2f}x from {results[0]['invoice_lines']:,} to "
                  f"{results[-1]['invoice_lines']:,} lines (goal <= 1.2)")


if __name__ == "__main__":
    main()
