"""`make run`: local store up, table present, data present, dashboard served.

Each step is the same CLI a maintainer could type, run against dynalite through
AWS_ENDPOINT_URL_DYNAMODB, so `make run` exercises the production code path. Ctrl-C or
SIGTERM stops gunicorn and then the store: nothing is left running. Unless ASSETS says
otherwise, the local dashboard shows bitcoin and ethereum (production's default is bitcoin
alone), each seeded with demo history when it has none.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

from ingest.demo import SUGGESTED_DAYS
from tools.dynalite import ROOT, LocalStore, client_env, is_serving

DEMO_DAYS = str(SUGGESTED_DAYS)
LOCAL_ASSETS = "bitcoin,ethereum"
GUNICORN_CONFIG = ROOT / "dashboard" / "gunicorn_conf.py"
# gunicorn finishes in-flight requests on SIGTERM within its graceful timeout (30 s).
SHUTDOWN_SECONDS = 35


def _step(description: str, *args: str, env: dict[str, str], required: bool = True) -> bool:
    print(f"==> {description}", flush=True)
    ok = subprocess.run([sys.executable, *args], env=env, cwd=ROOT).returncode == 0
    if not ok and required:
        raise SystemExit(f"`{' '.join(args)}` failed; see the message above")
    return ok


def _serve(env: dict[str, str]) -> int:
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8050")
    print(f"==> dashboard on http://{host}:{port} (Ctrl-C stops it)", flush=True)
    args = ["-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "dashboard.app:server"]
    server = subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=SHUTDOWN_SECONDS)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.run_local", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".data" / "dynalite")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)

    port = int(os.environ.get("DYNALITE_PORT", "8000"))
    env = {"ASSETS": LOCAL_ASSETS, **os.environ, **client_env(port)}
    store = None
    if is_serving(port):
        print(f"==> using the store already on port {port}", flush=True)
    else:
        store = LocalStore(port, args.data_dir).start()
        print(f"==> dynalite on {store.endpoint}, data in {args.data_dir}", flush=True)
    try:
        _step("creating the snapshots table if missing", "-m", "ingest", "init-table", env=env)
        if env.get("CMC_API_KEY") or env.get("CMC_API_KEY_SECRET_ARN"):
            _step(
                "fetching a live snapshot from CoinMarketCap",
                *("-m", "ingest", "fetch"),
                env=env,
                required=False,
            )
        _step(
            "seeding demo history if the store is empty",
            *("-m", "ingest", "demo", "--days", DEMO_DAYS, "--if-empty"),
            env=env,
        )
        return _serve(env)
    except KeyboardInterrupt:
        return 0
    finally:
        if store is not None:
            store.stop()


if __name__ == "__main__":
    sys.exit(main())
