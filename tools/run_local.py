"""`make run`: local store up, table present, data present, dashboard served.

Each step is the same CLI a maintainer could type, run against dynalite through
AWS_ENDPOINT_URL_DYNAMODB, so `make run` exercises the production code path.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tools.dynalite import ROOT, LocalStore, client_env, is_serving

DATA_DIR = ROOT / ".data" / "dynalite"
DEMO_DAYS = "730"
GUNICORN_CONFIG = ROOT / "dashboard" / "gunicorn_conf.py"


def _step(description: str, *args: str, env: dict[str, str], required: bool = True) -> bool:
    print(f"==> {description}", flush=True)
    ok = subprocess.run([sys.executable, *args], env=env, cwd=ROOT).returncode == 0
    if not ok and required:
        raise SystemExit(f"`{' '.join(args)}` failed; see the message above")
    return ok


def main() -> int:
    port = int(os.environ.get("DYNALITE_PORT", "8000"))
    env = {**os.environ, **client_env(port)}
    store = None
    if is_serving(port):
        print(f"==> using the store already on port {port}", flush=True)
    else:
        store = LocalStore(port, DATA_DIR).start()
        print(f"==> dynalite on {store.endpoint}, data in .data/dynalite/", flush=True)
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
        host, web_port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8050")
        print(f"==> dashboard on http://{host}:{web_port} (Ctrl-C stops it)", flush=True)
        args = ["-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "dashboard.app:server"]
        try:
            return subprocess.run([sys.executable, *args], env=env, cwd=ROOT).returncode
        except KeyboardInterrupt:
            return 0
    finally:
        if store is not None:
            store.stop()


if __name__ == "__main__":
    sys.exit(main())
