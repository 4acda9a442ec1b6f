"""Where recorded ground truth lives, and how it is written and read.

Recordings are the *raw* results of real replays
(``tests/conformance/recorded/<engine>/<scenario>.json``): IDs, MACs and
durations as the engine printed them. Comparisons normalise both sides at
compare time (``netsim.verify.normalise``), so an improved normaliser needs no
re-recording. Re-record with ``python -m netsim.verify record --all``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from pathlib import Path
from typing import Any

from netsim.errors import VerifyError
from netsim.verify.engines import Engine

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIO_DIR = REPO_ROOT / "scenarios"
RECORDED_DIR = REPO_ROOT / "tests" / "conformance" / "recorded"
FOUND_DIR = REPO_ROOT / "tests" / "conformance" / "found"


def recording_root(scenario_file: Path) -> Path:
    """Return where a scenario file's recordings live.

    scenarios/*.yaml → tests/conformance/recorded/; any other directory (such
    as tests/conformance/found/, where the fuzzer saves what it found) keeps
    its recordings beside it, in ``<dir>/recorded/<engine>/``.
    """
    if scenario_file.resolve().parent == SCENARIO_DIR.resolve():
        return RECORDED_DIR
    return scenario_file.parent / "recorded"


def recorded_path(scenario_name: str, engine: str, root: Path = RECORDED_DIR) -> Path:
    """Return the file holding a scenario's recorded result on ``engine``."""
    return root / engine / f"{scenario_name}.json"


def _version(argv: list[str]) -> str:
    """Return the first line a ``--version`` command prints."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else ""


def provenance(scenario_file: Path, engine: Engine) -> dict[str, str]:
    """Return what a recording was made from: the scenario file's digest and the versions.

    Kept under the result's ``recorded`` key; comparisons ignore it.
    """
    return {
        "scenario_sha256": hashlib.sha256(scenario_file.read_bytes()).hexdigest(),
        "dockerd": _version([str(engine.dockerd), "--version"]),
        "docker_cli": _version([str(engine.cli), "--version"]),
        "iptables": _version(["iptables", "--version"]),
        "kernel": platform.release(),
    }


def write_result(result: dict[str, Any], path: Path) -> Path:
    """Write a result as stable, readable JSON (sorted nowhere: the contract's key order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return path


def load_recorded(
    scenario_name: str, engine: str, root: Path = RECORDED_DIR
) -> dict[str, Any] | None:
    """Return a scenario's recorded result on ``engine``, or None when there is none."""
    path = recorded_path(scenario_name, engine, root)
    if not path.exists():
        return None
    return read_result(path)


_STEP_TYPES: dict[str, type] = {
    "index": int,
    "kind": str,
    "on": str,
    "command": str,
    "exit_code": int,
    "stdout": str,
    "stderr": str,
    "from": str,
    "to": str,
    "result": str,
}


def read_result(path: str | Path) -> dict[str, Any]:
    """Read a JSON result (``netsim run --json``, a replay or a recording) and check its shape.

    Raises:
        VerifyError: the file is missing, not JSON, or not a result (naming
            the file, and the line or the step that is wrong).
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as error:
        raise VerifyError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise VerifyError(f"{path}: not UTF-8 text (byte {error.start + 1})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise VerifyError(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    except RecursionError:
        raise VerifyError(f"{path}: not a result: JSON nested too deeply") from None
    expected = "an object with a list of steps, as netsim run --json writes"
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise VerifyError(f"{path}: not a result: expected {expected}")
    for position, step in enumerate(data["steps"]):
        if not isinstance(step, dict):
            raise VerifyError(f"{path}: steps[{position}]: expected an object")
        for name, kind in _STEP_TYPES.items():
            value = step.get(name)
            if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
                raise VerifyError(
                    f"{path}: steps[{position}].{name}: expected {kind.__name__}, "
                    f"got {type(value).__name__}"
                )
    result: dict[str, Any] = data
    return result
