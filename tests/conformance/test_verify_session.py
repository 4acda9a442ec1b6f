"""The harness types sessions without a terminal: the command, the markers, the comparison."""

from __future__ import annotations

from typing import Any

import pytest

from netsim.results.run import TypedCommand
from netsim.verify.normalise import compare_results
from netsim.verify.session import START, split_typed, untty_argv


@pytest.mark.parametrize(
    ("command", "argv", "shell"),
    [
        (
            "docker exec -it web sh",
            ["docker", "exec", "--interactive=true", "--", "web", "sh"],
            "sh",
        ),
        (
            "docker run -ti --rm --name c -e A=t busybox",
            [
                "docker",
                "run",
                "--interactive=true",
                "--rm=true",
                "--name=c",
                "--env=A=t",
                "--",
                "busybox",
            ],
            "",
        ),
        (
            "docker container exec --tty -i web /bin/bash",
            ["docker", "exec", "--interactive=true", "--", "web", "/bin/bash"],
            "/bin/bash",
        ),
    ],
)
def test_the_harness_types_the_same_command_without_a_terminal(
    command: str, argv: list[str], shell: str
) -> None:
    assert untty_argv(command) == (argv, shell)


def _marked(*pieces: tuple[str, int]) -> str:
    return "".join(f"{out}__netsim_status_{code}__\n" for out, code in pieces)


def test_markers_split_the_output_line_by_line_and_keep_each_status() -> None:
    stdout = "banner\n/ # " + START + "\n" + _marked(("box\n", 0), ("sh: x: not found\n", 127))
    shown, records = split_typed(stdout + "\n", ("hostname", "x"), 127)
    assert records == (
        TypedCommand("hostname", "box\n", 0),
        TypedCommand("x", "sh: x: not found\n", 127),
    )
    assert shown == "box\nsh: x: not found\n\n"  # ash's newline at Ctrl-D stays in stdout


def test_a_line_that_ends_the_shell_gets_the_session_exit_code() -> None:
    stdout = START + "\n" + _marked(("a\n", 0))
    _, records = split_typed(stdout, ("echo a", "exit 3", "never"), 3)
    assert records == (TypedCommand("echo a", "a\n", 0), TypedCommand("exit 3", "", 3))


def test_output_without_a_final_newline_still_splits() -> None:
    _, records = split_typed(START + "\n" + "no newline__netsim_status_0__\n", ("printf x",), 0)
    assert records == (TypedCommand("printf x", "no newline", 0),)


def test_a_shell_that_never_started_gives_docker_output_and_no_lines() -> None:
    error = 'OCI runtime exec failed: exec: "bash": executable file not found\r\n'
    assert split_typed(error, ("hostname",), 127) == (error, ())


def _step(stdout: str, session: list[dict[str, Any]] | None, code: int = 0) -> dict[str, Any]:
    step: dict[str, Any] = {
        "index": 0,
        "kind": "command",
        "on": "host",
        "command": "docker exec -it web bash",
        "exit_code": code,
        "stdout": stdout,
        "stderr": "",
    }
    if session is not None:
        step["session"] = session
    return step


def _result(step: dict[str, Any]) -> dict[str, Any]:
    return {"scenario": "s", "engine": "28.5", "steps": [step]}


def _typed(command: str, output: str, code: int = 0) -> dict[str, Any]:
    return {"command": command, "output": output, "exit_code": code}


def test_a_session_compares_each_line_not_the_screen() -> None:
    sim = _step(
        "root@a:/# hostname\nweb\nroot@a:/# exit\nexit\n",
        [_typed("hostname", "web\n"), _typed("exit", "exit\n")],
    )
    real = _step("web\nexit\n", [_typed("hostname", "web\n"), _typed("exit", "exit\n")])
    (comparison,) = compare_results(_result(sim), _result(real))
    assert comparison.agrees  # the prompts differ; each line's output and status agree


def test_what_bash_prints_as_it_exits_is_compared() -> None:
    sim = _step("root@a:/# exit\n", [_typed("exit", "")])
    real = _step("exit\n", [_typed("exit", "exit\n")])  # the harness runs real bash
    (comparison,) = compare_results(_result(sim), _result(real))
    assert [name for name, _, _ in comparison.differences] == ["session"]


def test_a_line_whose_output_differs_disagrees() -> None:
    sim = _step("x", [_typed("hostname", "web\n")])
    real = _step("x", [_typed("hostname", "db\n")])
    (comparison,) = compare_results(_result(sim), _result(real))
    assert not comparison.agrees
    assert [name for name, _, _ in comparison.differences] == ["session"]


def test_a_line_whose_status_differs_disagrees() -> None:
    sim = _step("x", [_typed("false", "", 1)])
    real = _step("x", [_typed("false", "", 0)])
    (comparison,) = compare_results(_result(sim), _result(real))
    assert not comparison.agrees


def test_when_no_shell_started_the_whole_output_is_compared() -> None:
    sim = _step("OCI runtime exec failed: A\r\n", [], 127)
    real = _step("OCI runtime exec failed: B\r\n", [], 127)
    (comparison,) = compare_results(_result(sim), _result(real))
    assert [name for name, _, _ in comparison.differences] == ["stdout"]


def test_ids_in_a_simulated_prompt_do_not_change_how_later_ids_are_numbered() -> None:
    first, later = (
        "21dc49dc2ddb",
        "8effc043177a3fab37c1c51d81424a1c719132ed1f06eb17491c6a3d4f2c437f",
    )
    sim_session = _step(f"root@{first}:/# exit\nexit\n", [_typed("exit", "exit\n")])
    real_session = _step("exit\n", [_typed("exit", "exit\n")])
    sim_run = _step(later + "\n", None) | {"index": 1, "command": "docker run -d ubuntu"}
    real_run = _step("0123456789ab" + later[12:] + "\n", None) | {
        "index": 1,
        "command": "docker run -d ubuntu",
    }
    sim = {"scenario": "s", "engine": "28.5", "steps": [sim_session, sim_run]}
    real = {"scenario": "s", "engine": "28.5", "steps": [real_session, real_run]}
    assert [c.agrees for c in compare_results(sim, real)] == [True, True]


def test_dash_line_numbers_are_mapped_back_to_the_typed_lines() -> None:
    # The harness's shell reads the prompt line first and a marker after each
    # typed line, so the third typed line is its input line 6 (seen on 20.10
    # and 28.5 with nginx's dash); a terminal says 3.
    stdout = START + "\n" + _marked(("web\n", 0), ("x\n", 0), ("sh: 6: ip: not found\n", 127))
    shown, records = split_typed(stdout, ("hostname", "echo x", "ip addr", "exit 3"), 3)
    assert records[2] == TypedCommand("ip addr", "sh: 3: ip: not found\n", 127)
    # Another number in the output (a program's own text) is left alone.
    stdout = START + "\n" + _marked(("sh: 7: x\n", 0))
    assert split_typed(stdout, ("printf 'sh: 7: x\\n'",), 0)[1][0].output == "sh: 7: x\n"
