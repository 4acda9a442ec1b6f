"""The command line's outputs under hostile names: clear errors naming the file, exit 3.

Exit codes: 2 stays "the scenario or the command line is invalid"; 3 is
"an output could not be written" (no space, no such folder, the scenario
itself as --json).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from netsim.cli import EXIT_INVALID, EXIT_OUTPUT, main

SMALL = "name: small\nsteps:\n  - docker network create n1\n  - probe: host -> 127.0.0.1:22\n"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "{file}", "--json", ""], "argument --json: an empty name"),
        (["run", "{file}", "--pcap", ""], "argument --pcap: an empty name; give a folder"),
        (["reach", "{file}", "--json", ""], "argument --json: an empty name"),
        (["plot", "{file}", "--out", ""], "argument --out: an empty name"),
    ],
)
def test_empty_output_names_are_refused_as_a_bad_command_line(
    scenario: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(*(a.replace("{file}", str(scenario)) for a in argv))
    assert code == EXIT_INVALID == 2
    assert message in capsys.readouterr().err  # argparse writes its usage errors itself


@pytest.mark.parametrize("command", ["run", "reach"])
def test_json_over_the_scenario_is_refused_before_anything_runs(
    scenario: Path, command: str
) -> None:
    same = str(scenario.parent / "." / scenario.name)
    code, out, err = _run(command, str(scenario), "--json", same)
    assert code == EXIT_OUTPUT == 3
    assert f"--json {same} would overwrite the scenario {scenario}" in err
    assert out == ""
    assert scenario.read_text(encoding="utf-8") == SMALL


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "{file}", "-q", "--json", "{tmp}/no/such/folder/out.json"], "No such file"),
        (["run", "{file}", "-q", "--json", "/dev/full"], "No space left on device"),
        (["reach", "{file}", "--json", "{tmp}/no/such/folder/out.json"], "No such file"),
        (["run", "{file}", "-q", "--pcap", "{tmp}/small.yaml/sub"], "Not a directory"),
        (["plot", "{file}", "--out", "{tmp}/small.yaml/pictures"], ""),
    ],
)
def test_an_output_that_cannot_be_written_names_the_file_and_exits_3(
    scenario: Path, argv: list[str], message: str
) -> None:
    tmp = str(scenario.parent)
    args = [a.replace("{file}", str(scenario)).replace("{tmp}", tmp) for a in argv]
    code, _, err = _run(*args)
    assert code == EXIT_OUTPUT
    assert err.startswith(f"netsim: cannot write {tmp}") or "/dev/full" in err
    assert message in err
    assert "Traceback" not in err


def test_lone_surrogates_are_written_as_escapes_to_a_utf8_terminal_and_json(
    tmp_path: Path,
) -> None:
    path = tmp_path / "surrogate.yaml"
    path.write_text(
        'name: surrogate\nsteps:\n  - "echo \\ud800"\n  - "docker run -d --name \\udfffx nginx"\n',
        encoding="utf-8",
    )
    raw = io.BytesIO()
    terminal = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    code = main(
        ["run", str(path), "--json", str(tmp_path / "out.json")],
        stdout=terminal,
        stderr=io.StringIO(),
    )
    terminal.flush()
    assert code == 0
    text = raw.getvalue().decode("utf-8")
    assert "$ echo \\ud800\n" in text
    assert "Invalid container name (\\udfffx)" in text
    result = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert result["steps"][0]["command"] == "echo \ud800"


def test_plot_probe_errors_name_the_file(scenario: Path, tmp_path: Path) -> None:
    code, _, err = _run("plot", str(scenario), "--out", str(tmp_path), "--probe", "garbage")
    assert code == EXIT_INVALID
    assert err.startswith(f"netsim: {scenario}: --probe: expected SRC -> DST:PORT")


def test_a_file_name_that_is_not_utf8_is_named_with_escapes(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff\xfe-scenario.yaml")
    (tmp_path / name).write_text(SMALL, encoding="utf-8")
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="strict")
    code = main(["check", str(tmp_path / name)], stdout=out, stderr=err)
    missing = main(["run", str(tmp_path / os.fsdecode(b"\xff-nope.yaml"))], stdout=out, stderr=err)
    out.flush()
    err.flush()
    assert (code, missing) == (0, 2)
    assert "\\udcff\\udcfe-scenario.yaml: ok (small, 2 steps)" in out_bytes.getvalue().decode()
    assert "\\udcff-nope.yaml: cannot read the file" in err_bytes.getvalue().decode()
