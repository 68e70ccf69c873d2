"""Build the ingest Lambda's zip: the `ingest` package plus its pinned dependencies.

    python infra/package_ingest.py build/ingest.zip

Dependencies are wheels for the function's runtime (CPython 3.12, x86_64 Linux), whatever
machine builds the zip, so a compiled wheel for the builder's Python never ends up in it.
At the archive root, `index.py` re-exports `ingest.handler.lambda_handler` under the handler
name infra/ingest.yaml gives the function (`index.lambda_handler`), the only name the
template's inline placeholder can also answer to. The deploy workflow uploads the result with
`aws lambda update-function-code`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ingest"
REQUIREMENTS = PACKAGE / "requirements.txt"
# Must match infra/ingest.yaml (Runtime python3.12, Architectures x86_64).
TARGET_PLATFORM = ("--platform", "manylinux2014_x86_64", "--implementation", "cp")
TARGET_PYTHON = ("--python-version", "3.12")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "requirements.txt")
# Handler "index.lambda_handler" (infra/ingest.yaml): the same name as the inline placeholder.
ENTRY_POINT = "index.py"
ENTRY_POINT_SOURCE = (
    '"""The Lambda handler named in infra/ingest.yaml; written by infra/package_ingest.py."""\n'
    "\n"
    "from ingest.handler import lambda_handler\n"
    "\n"
    '__all__ = ["lambda_handler"]\n'
)


def install_dependencies(into: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-cache-dir",
            "--no-compile",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            *TARGET_PLATFORM,
            *TARGET_PYTHON,
            "--target",
            str(into),
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )


def build(zip_path: Path, *, with_dependencies: bool = True) -> Path:
    """Write `zip_path` with `ingest/` and the `index.py` entry point at the archive root."""
    with tempfile.TemporaryDirectory() as staging_dir:
        staging = Path(staging_dir)
        if with_dependencies:
            install_dependencies(staging)
        shutil.copytree(PACKAGE, staging / PACKAGE.name, ignore=LEFT_OUT)
        (staging / ENTRY_POINT).write_text(ENTRY_POINT_SOURCE)
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        archive = shutil.make_archive(str(zip_path.with_suffix("")), "zip", root_dir=staging)
    return Path(archive)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip_path", type=Path, help="where to write the zip, e.g. build/ingest.zip")
    parser.add_argument(
        "--no-dependencies",
        action="store_true",
        help="only the ingest package (for tests; the Lambda needs the dependencies)",
    )
    args = parser.parse_args(argv)
    if args.zip_path.suffix != ".zip":
        parser.error("zip_path must end in .zip")
    print(build(args.zip_path, with_dependencies=not args.no_dependencies))


if __name__ == "__main__":
    main()
