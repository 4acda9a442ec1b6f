"""Interactive sessions (``session:``): the screen a terminal shows, the JSON, the containers."""

from __future__ import annotations

import textwrap

import pytest

from netsim.render.transcript import format_step
from netsim.results.run import CommandRecord, TypedCommand
from netsim.session import load_scenario_text, replay


def run_steps(body: str, engine: str = "28.5") -> list[CommandRecord]:
    text = "name: t\nsteps:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    records = replay(load_scenario_text(text, "t.yaml"), engine).steps
    assert all(isinstance(r, CommandRecord) for r in records)
    return [r for r in records if isinstance(r, CommandRecord)]


def test_a_busybox_session_shows_ash_prompts_and_ends_at_exit() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - run: docker exec -it box sh
          session:
            - echo hi
            - nosuch
            - exit
        """
    )
    assert step.stdout == "/ # echo hi\nhi\n/ # nosuch\nsh: nosuch: not found\n/ # exit\n"
    assert (step.exit_code, step.stderr) == (127, "")  # bare exit: the last line's status
    assert step.session == (
        TypedCommand("echo hi", "hi\n", 0),
        TypedCommand("nosuch", "sh: nosuch: not found\n", 127),
        TypedCommand("exit", "", 127),
    )
    assert format_step(step) == "$ docker exec -it box sh\n" + step.stdout + "[exit 127]\n"


def test_exit_with_a_bad_number_complains_and_the_session_goes_on() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - run: docker exec -it box sh
          session: [exit x, echo still here]
        """
    )
    assert step.session == (
        TypedCommand("exit x", "sh: exit: Illegal number: x\n", 2),
        TypedCommand("echo still here", "still here\n", 0),
    )
    assert step.exit_code == 0


def test_busybox_hostname_answers_its_options_as_busybox_does() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box --hostname box.example busybox sleep 3600
        - run: docker exec -it box sh
          session: [hostname -i, hostname -s, hostname -d, hostname new, hostname -x]
        """
    )
    outputs = [(t.output.split("\n")[0], t.exit_code) for t in step.session or ()]
    assert outputs == [
        ("172.17.0.2", 0),
        ("box", 0),
        ("example", 0),
        ("hostname: sethostname: Operation not permitted", 1),
        ("hostname: invalid option -- 'x'", 1),
    ]


def test_the_json_adds_session_and_keeps_every_contract_field() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - run: docker exec -it box sh
          session: [exit 4]
        """
    )
    assert step.as_json() == {
        "index": 1,
        "kind": "command",
        "on": "host",
        "command": "docker exec -it box sh",
        "exit_code": 4,
        "stdout": "/ # exit 4\n",
        "stderr": "",
        "session": [{"command": "exit 4", "output": "", "exit_code": 4}],
    }


def test_bash_in_a_debian_image_has_its_prompt_says_exit_and_ends_at_ctrl_d() -> None:
    run, step = run_steps(
        """\
        - docker run -d --name web --hostname web1 nginx
        - run: docker exec -it web bash
          session: [hostname, "false"]
        """
    )
    assert step.stdout == (
        "root@web1:/# hostname\nweb1\nroot@web1:/# false\n"
        "root@web1:/# exit\n"  # Ctrl-D: bash says exit
    )
    assert step.exit_code == 1
    assert [t.command for t in step.session or ()] == ["hostname", "false"]


@pytest.mark.parametrize(
    ("image", "shell", "prompt"),
    [
        ("alpine", "sh", "/ # "),
        ("mysql", "sh", "# "),  # dash
        ("tomcat", "bash", "root@{host}:/usr/local/tomcat# "),
        ("redis", "bash", "root@{host}:/data# "),
    ],
)
def test_each_image_shell_prints_the_official_image_prompt(
    image: str, shell: str, prompt: str
) -> None:
    first, step = run_steps(
        f"""\
        - docker run -d --name cc {image}{" sleep 3600" if image == "alpine" else ""}
        - run: docker exec -it cc {shell}
          session: ["true"]
        """
    )
    expected = prompt.format(host=first.stdout[:12])
    assert step.stdout == f"{expected}true\n{expected}" + ("exit\n" if shell == "bash" else "\n")


def test_a_shell_the_image_lacks_fails_as_runc_says_and_types_nothing() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - run: docker exec -it box bash
          session: [hostname]
        """
    )
    assert step.exit_code == 127
    assert step.stdout.startswith("OCI runtime exec failed: exec failed: unable to start")
    assert step.session == ()
    assert step.as_json()["session"] == []


def test_docker_run_it_runs_the_container_for_the_session_only() -> None:
    steps = run_steps(
        """\
        - run: docker run -it --name once busybox sh
          session: [hostname, exit 5]
        - run: docker run -it --rm --name gone busybox
          session: ["true"]
        - docker ps -a --format '{{.Names}} {{.Status}}'
        """
    )
    once, gone, ps = steps
    assert once.exit_code == 5 and once.stdout.startswith("/ # hostname\n")
    assert gone.exit_code == 0 and gone.stdout == "/ # true\n/ # \n"
    assert ps.stdout.startswith("once Exited (5)")
    assert "gone" not in ps.stdout  # --rm removed it when the shell ended


def test_a_session_in_an_image_whose_command_is_not_a_shell_is_not_simulated() -> None:
    run, ps = run_steps(
        """\
        - run: docker run -it --name web nginx
          session: [hostname]
        - docker ps -a -q
        """
    )
    assert (run.exit_code, run.stdout, run.session) == (69, "", ())
    assert run.stderr == (
        "netsim: 'a session in /docker-entrypoint.sh nginx -g daemon off;' is not simulated\n"
    )
    assert ps.stdout == ""  # nothing half-done: no container left behind


def test_without_a_session_it_still_says_the_input_is_not_a_tty() -> None:
    _, step = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - docker exec -it box sh
        """
    )
    assert (step.exit_code, step.stderr, step.session) == (
        1,
        "the input device is not a TTY\n",
        None,
    )
    assert "session" not in step.as_json()


def test_expectations_read_the_screen() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - run: docker exec -it box sh
          session: [echo hello]
          expect_contains: "/ # echo hello\\nhello\\n"
          expect_exit: 0
        """
    )
    assert step.passed is True


def test_dash_numbers_the_typed_line_it_stops_at() -> None:
    # nginx's sh is dash; recorded on 20.10 and 28.5 (scenarios/dash-session.yaml).
    *_, step = run_steps(
        """\
        - docker run -d --name web nginx
        - run: docker exec -it web sh
          session: [hostname, ip addr, exit x, nosuch]
        """
    )
    assert step.session is not None
    assert [r.output for r in step.session[1:]] == [
        "sh: 2: ip: not found\n",
        "sh: 3: exit: Illegal number: x\n",
        "sh: 4: nosuch: not found\n",
    ]
