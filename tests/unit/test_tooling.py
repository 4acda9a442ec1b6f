"""The code stays as style.md asks: ruff check and format clean, mypy strict clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("netsim", "tests", "scripts", "benchmarks")


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ruff_check_and_format_are_clean() -> None:
    check = _run("ruff", "check", *SOURCES)
    assert check.returncode == 0, check.stdout + check.stderr
    format_ = _run("ruff", "format", "--check", *SOURCES)
    assert format_.returncode == 0, format_.stdout + format_.stderr


def test_mypy_strict_is_clean() -> None:
    done = _run("mypy", "netsim")  # strict = true in pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
