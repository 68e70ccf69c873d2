"""Start and stop dynalite, the DynamoDB-compatible store used locally, in tests and in bench.

The store listens on loopback only and keeps its LevelDB files under the given path, so
data survives a restart. Code under test never imports this: it reaches the store through
boto3's standard AWS_ENDPOINT_URL_DYNAMODB, exactly as it reaches DynamoDB in production.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "node_modules" / ".bin" / "dynalite"
HOST = "127.0.0.1"

# dynalite needs credentials and a region on every request, but checks neither.
LOCAL_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def endpoint(port: int) -> str:
    return f"http://{HOST}:{port}"


def client_env(port: int) -> dict[str, str]:
    """Environment that points boto3 at the store on `port` (for child processes)."""
    return {**LOCAL_AWS_ENV, "AWS_ENDPOINT_URL_DYNAMODB": endpoint(port)}


def is_serving(port: int) -> bool:
    """True when something answers HTTP on `port` (dynalite rejects this unsigned call)."""
    request = urllib.request.Request(endpoint(port), data=b"{}", method="POST")  # noqa: S310 (fixed http URL)
    try:
        urllib.request.urlopen(request, timeout=0.5)  # noqa: S310
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


class LocalStore:
    """A dynalite child process; use as a context manager so it never outlives its owner."""

    def __init__(self, port: int | None = None, path: Path | None = None) -> None:
        self.port = port or free_port()
        self.path = path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return endpoint(self.port)

    def start(self, timeout: float = 20.0) -> LocalStore:
        if not BINARY.exists():
            raise RuntimeError(f"{BINARY} is missing: run `npm ci` (make does this for you)")
        args = [str(BINARY), "--host", HOST, "--port", str(self.port)]
        args += ["--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"]
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            args += ["--path", str(self.path)]
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while not is_serving(self.port):
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"dynalite exited with {self.process.returncode}: {err.strip()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"dynalite did not answer on port {self.port} within {timeout}s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> LocalStore:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve(port: int, path: Path) -> int:
    """Run the store in the foreground until interrupted (used by `make store`)."""
    if is_serving(port):
        print(f"a store already answers on {endpoint(port)}", file=sys.stderr)
        return 1
    with LocalStore(port, path) as store:
        print(f"dynalite serving {store.endpoint}, data in {path}", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.dynalite", description=_serve.__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("DYNALITE_PORT", "8000")))
    parser.add_argument("--path", type=Path, default=ROOT / ".data" / "dynalite")
    args = parser.parse_args(argv)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    return _serve(args.port, args.path)


if __name__ == "__main__":
    sys.exit(main())
