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
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

from bench import datasets, report
from tools.dynalite import HOST, ROOT, client_env, free_port

USERS, SPAWN_RATE, DURATION = 50, 10, "60s"
DATASET = next(d for d in datasets.DATASETS if d.count == 14_600)
OUT = datasets.DATA_DIR / "locust"
# Fargate task as infra/web.yaml sizes it, and the CPU share autoscaling keeps it under.
TASK_VCPU, TASK_MEMORY_MB, SCALE_AT = 0.5, 1024, 0.60
THINK_SECONDS = 2.0  # mean of the locustfile's between(1, 3)


def start_server(env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    args = ["-m", "gunicorn", "-c", "dashboard/gunicorn_conf.py", "dashboard.app:server"]
    server = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://{HOST}:{env['PORT']}/healthz"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer {url}; see {log.name}")


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


def capacity(rps: float, server_cpu: float, requests: int, p95_ms: float) -> str:
    """Users one task serves, from measured CPU per request and the users' request rate."""
    cpu_per_request = server_cpu / requests
    task_rps = TASK_VCPU * SCALE_AT / cpu_per_request
    user_rps = rps / USERS  # requests per second one simulated user makes
    users = task_rps / user_rps
    return (
        f"Measured {cpu_per_request * 1000:.1f} ms of server CPU per request (all gunicorn "
        f"processes, {requests:,} requests). One Fargate task ({TASK_VCPU:g} vCPU, "
        f"{TASK_MEMORY_MB} MB, 2 workers) held at the {SCALE_AT:.0%} CPU autoscaling target "
        f"serves about {task_rps:.0f} requests/s, i.e. about {users:.0f} concurrent users who "
        f"each make {user_rps:.2f} requests/s (an action every ~{THINK_SECONDS:g} s of think "
        f"time plus response time; an action is 1-5 requests) with a p95 near the {p95_ms:.0f} "
        f"ms measured here. Assumes a Fargate vCPU is as fast as one core of this machine and "
        f"the same 14,600-snapshot history; on {USERS} users per 2-core machine, Locust and "
        "dynalite shared the CPU with gunicorn, so the load test's own latencies are pessimistic."
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
    sentence = capacity(float(total["Requests/s"]), server_cpu, requests, float(total["95%"]))
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
        f"- capacity: {sentence}",
    ]
    print(report.plain_table(header, rows))
    print("\n".join(lines[-3:]))
    report.write_section("load", "\n".join(lines))
    print(f"\nwritten to {report.DOC.relative_to(report.ROOT)}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
