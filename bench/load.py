"""`make load`: Locust, headless, against gunicorn with the production config on loopback.

dynalite over .data/bench/ with the 14,600-snapshot set (generated if missing), then
`gunicorn -c dashboard/gunicorn_conf.py dashboard.app:server` on a free loopback port, then
50 users (spawned 10/s) for 60 s from bench/locustfile.py. Prints and records requests per
second, p50/p95/p99 and failures per request type, the server's CPU seconds per request and
each worker's peak memory, and derives how many users one Fargate task serves.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import psutil

from bench import datasets, report
from bench.serve import start_server
from tools.dynalite import HOST, ROOT, client_env, free_port

USERS, SPAWN_RATE, DURATION = 50, 10, "60s"
DATASET = next(d for d in datasets.DATASETS if d.count == 14_600)
OUT = datasets.DATA_DIR / "locust"
# Fargate task as infra/web.yaml sizes it, and the CPU share autoscaling keeps it under.
TASK_VCPU, TASK_MEMORY_MB, SCALE_AT = 0.5, 1024, 0.60
# Pace of a user for the capacity estimate: the load test's analyst (between(1, 3) s) and a
# casual visitor; an action's own duration is what a healthy server takes.
ANALYST_THINK, VISITOR_THINK, HEALTHY_ACTION_SECONDS = 2.0, 30.0, 0.3


def cpu_seconds(process: psutil.Process) -> float:
    total = 0.0
    for proc in [process, *process.children(recursive=True)]:
        times = proc.cpu_times()
        total += times.user + times.system
    return total


def worker_peaks_mb(process: psutil.Process) -> list[float]:
    """Peak resident memory (VmHWM) of each gunicorn worker."""
    peaks = []
    for child in process.children():
        status = Path(f"/proc/{child.pid}/status").read_text()
        line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
        peaks.append(int(line.split()[1]) / 1024)
    return peaks


def read_stats() -> list[dict[str, str]]:
    with open(f"{OUT}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def actions(stats: list[dict[str, str]]) -> int:
    """User actions in the run: each page load, preset click and date pick runs the state
    callback once, each chart zoom the zoom callback, each timer tick the timer callback."""
    marks = ("(sync_state)", "(sync_zoom)", "(timer)")
    return sum(int(row["Request Count"]) for row in stats if row["Name"].endswith(marks))


def capacity(server_cpu: float, requests: int, per_action: float) -> str:
    """Users one task serves: measured CPU per request, users acting at a healthy pace."""
    cpu_per_request = server_cpu / requests
    task_rps = TASK_VCPU * SCALE_AT / cpu_per_request

    def users(think: float) -> float:
        return task_rps / (per_action / (think + HEALTHY_ACTION_SECONDS))

    return (
        f"{cpu_per_request * 1000:.0f} ms of server CPU per request ({requests:,} requests, "
        f"{per_action:.1f} per user action). One Fargate task ({TASK_VCPU:g} vCPU, "
        f"{TASK_MEMORY_MB} MB, 2 workers) kept at the {SCALE_AT:.0%} CPU autoscaling target "
        f"serves about {task_rps:.1f} requests/s: about {users(ANALYST_THINK):.0f} analysts "
        f"acting every {ANALYST_THINK:g} s, or about {users(VISITOR_THINK):.0f} visitors acting "
        f"every {VISITOR_THINK:g} s (each action taking ~{HEALTHY_ACTION_SECONDS:g} s). "
        "Assumes a Fargate vCPU does the work of one core of this machine and a "
        f"{DATASET.count:,}-snapshot history."
    )


def main() -> int:
    with datasets.local_store() as store:
        datasets.ensure([DATASET])
        port = free_port()
        env = {
            **os.environ,
            **client_env(store.port),
            "SNAPSHOT_TABLE": DATASET.table,
            "HOST": HOST,
            "PORT": str(port),
            "LOG_LEVEL": "WARNING",
        }
        with open(datasets.DATA_DIR / "gunicorn.log", "wb") as log:
            server = start_server(env, log)
            try:
                gunicorn = psutil.Process(server.pid)
                cpu_before = cpu_seconds(gunicorn)
                print(f"load: gunicorn on :{port}, {USERS} users for {DURATION}", flush=True)
                locust = [
                    *(sys.executable, "-m", "locust", "-f", "bench/locustfile.py", "--headless"),
                    *("-u", str(USERS), "-r", str(SPAWN_RATE), "-t", DURATION),
                    *("--host", f"http://{HOST}:{port}", "--csv", str(OUT), "--only-summary"),
                ]
                locust_env = {**os.environ, "PYTHONPATH": str(ROOT)}
                subprocess.run(locust, cwd=ROOT, env=locust_env, check=False)
                server_cpu = cpu_seconds(gunicorn) - cpu_before
                peaks = worker_peaks_mb(gunicorn)
            finally:
                server.terminate()
                server.wait(timeout=30)

    stats = read_stats()
    total = next(row for row in stats if row["Name"] == "Aggregated")
    header = ["request", "count", "failures", "RPS", "p50", "p95", "p99", "avg bytes"]
    rows = [
        [
            row["Name"],
            row["Request Count"],
            row["Failure Count"],
            f"{float(row['Requests/s']):.1f}",
            f"{row['50%']} ms",
            f"{row['95%']} ms",
            f"{row['99%']} ms",
            report.kb(float(row["Average Content Size"])),
        ]
        for row in stats
    ]
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    sentence = capacity(server_cpu, requests, requests / max(1, actions(stats)))
    verdict = "PASS" if failures == 0 else "MISS"
    overrides = os.environ.get("GUNICORN_CMD_ARGS", "")
    lines = [
        f"Machine: {report.machine()}.",
        f"{USERS} users (spawn {SPAWN_RATE}/s) for {DURATION} against gunicorn "
        f"(dashboard/gunicorn_conf.py: {env.get('WEB_CONCURRENCY', '2')} workers x 4 threads) "
        f"on loopback, {DATASET.count:,} snapshots in dynalite; Locust and dynalite on the "
        "same 2 cores." + (f" Overrides: GUNICORN_CMD_ARGS={overrides!r}." if overrides else ""),
        "",
        report.markdown_table(header, rows),
        "",
        f"- {verdict}  failures: {failures} of {requests:,} requests (target: none)",
        f"- server CPU: {server_cpu:.1f} s over the run; worker peak memory: "
        + ", ".join(f"{peak:.0f} MB" for peak in peaks),
        f"- capacity: {sentence} Locust and dynalite share the CPU with gunicorn here, so the "
        "latencies above are pessimistic; CPU per request is the robust figure.",
    ]
    print(report.plain_table(header, rows))
    print("\n".join(lines[-3:]))
    report.write_section("load", "\n".join(lines))
    print(f"\nwritten to {report.DOC.relative_to(report.ROOT)}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
