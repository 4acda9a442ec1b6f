"""``python -m netsim.verify`` given missing, non-JSON or misshapen files: a message, exit 2.

None of these needs root or an engine: each fails before anything is replayed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netsim.errors import VerifyError
from netsim.verify.cli import main
from netsim.verify.record import read_result

GOOD = {"steps": [{"index": 0, "kind": "command", "on": "host", "command": "ls"}]}


def _files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "bad": b'{"steps": [\n',
        "list": b"[1, 2]",
        "no-steps": b'{"name": "x"}',
        "step-not-object": b'{"steps": [3]}',
        "index-text": b'{"steps": [{"index": "x"}]}',
        "stdout-number": b'{"steps": [{"index": 0, "stdout": 5}]}',
        "binary": b"\xff\xfe\x00",
        "deep": b"[" * 100_000,
        "good": json.dumps(GOOD).encode(),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing", r"missing\.json: cannot read: No such file or directory"),
        ("bad", r"bad\.json:2:1: not JSON: Expecting value"),
        ("list", r"list\.json: not a result: expected an object with a list of steps"),
        ("no-steps", r"no-steps\.json: not a result"),
        ("step-not-object", r"steps\[0\]: expected an object"),
        ("index-text", r"steps\[0\]\.index: expected int, got str"),
        ("stdout-number", r"steps\[0\]\.stdout: expected str, got int"),
        ("binary", r"binary\.json: not UTF-8 text \(byte 1\)"),
        ("deep", r"deep\.json: not a result: JSON nested too deeply"),
    ],
)
def test_read_result_names_the_file_and_what_is_wrong(
    tmp_path: Path, name: str, message: str
) -> None:
    path = _files(tmp_path).get(name, tmp_path / f"{name}.json")
    with pytest.raises(VerifyError, match=message):
        read_result(path)


@pytest.mark.parametrize("name", ["missing", "bad", "list", "index-text", "binary", "deep"])
def test_compare_exits_2_with_the_message(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _files(tmp_path)
    path = str(paths.get(name, tmp_path / "missing.json"))
    assert main(["compare", str(paths["good"]), path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"netsim.verify: {path}")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "{tmp}/nope.yaml", "--engine", "28.5"], "nope.yaml: cannot read the file"),
        (["record", "{tmp}/nope.yaml", "--engine", "28.5"], "nope.yaml: cannot read the file"),
        (["sim-diff", "{tmp}/nope.yaml"], "nope.yaml: cannot read the file"),
        (["run", "{tmp}/bad.json"], "bad.json:2: invalid YAML"),
        (["sim-diff", "{tmp}/fifo"], "fifo: not a regular file (a FIFO)"),
    ],
)
def test_scenario_subcommands_refuse_bad_files_before_replaying(
    tmp_path: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _files(tmp_path)
    os.mkfifo(tmp_path / "fifo")
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
