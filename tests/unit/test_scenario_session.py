"""``session:`` steps: lines typed into an ``-it`` shell, read with file:line errors."""

from __future__ import annotations

import re
import textwrap

import pytest

from netsim.errors import ScenarioError
from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text
from netsim.session.checks import session_problem

FILE = "t.yaml"


def load(body: str) -> CommandStep:
    text = "name: t\nsteps:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    step = load_scenario_text(text, FILE).steps[0]
    assert isinstance(step, CommandStep)
    return step


def test_the_typed_lines_are_read_in_order() -> None:
    step = load(
        """\
        - run: docker exec -it web sh
          session:
            - hostname -i
            - cat /etc/hosts | grep web
            - exit 3
        """
    )
    assert step.command == "docker exec -it web sh"
    assert step.session == ("hostname -i", "cat /etc/hosts | grep web", "exit 3")


def test_exit_with_a_word_that_is_not_a_number_does_not_end_the_session() -> None:
    step = load("- run: docker exec -it web sh\n  session: [exit x, hostname]\n")
    assert step.session == ("exit x", "hostname")


def test_a_step_without_session_has_none() -> None:
    assert load("- run: docker exec -it web sh\n").session is None


@pytest.mark.parametrize(
    "command",
    [
        "docker exec -it web sh",
        "docker exec -ti web bash",
        "docker exec -i -t web /bin/sh",
        "docker container exec --interactive --tty web ash",
        "docker run -it busybox",
        "docker run -it --rm --name c busybox sh",
        "docker container run -t -i ubuntu /bin/bash",
    ],
)
def test_interactive_shells_take_a_session(command: str) -> None:
    assert session_problem(command) is None


@pytest.mark.parametrize(
    ("body", "line", "key", "message"),
    [
        (
            "- run: docker exec web sh\n  session: [hostname]",
            3,
            "steps[0].run",
            "a session needs -it (an interactive shell on a terminal)",
        ),
        (
            "- run: docker exec -i web sh\n  session: [hostname]",
            3,
            "steps[0].run",
            "a session needs -it",
        ),
        (
            "- run: docker ps\n  session: [hostname]",
            3,
            "steps[0].run",
            "a session follows a command that starts an interactive shell",
        ),
        (
            "- run: iptables -L\n  session: [hostname]",
            3,
            "steps[0].run",
            "expected docker exec -it NAME sh (or bash) or docker run -it IMAGE sh",
        ),
        (
            "- run: docker exec -it web sh -c 'echo hi'\n  session: [hostname]",
            3,
            "steps[0].run",
            'a session types into a shell (sh, ash or bash without arguments), not "sh -c',
        ),
        (
            "- run: docker exec -it web top\n  session: [hostname]",
            3,
            "steps[0].run",
            'not "top"',
        ),
        (
            "- on: web\n  run: sh\n  session: [hostname]",
            5,
            "steps[0].session",
            'a session is typed into `docker exec -it`/`docker run -it` on the host, not on "web"',
        ),
        (
            "- run: docker exec -it web sh\n  session: []",
            4,
            "steps[0].session",
            "expected at least one typed line (to type nothing, remove session:)",
        ),
        (
            "- run: docker exec -it web sh\n  session: hostname",
            4,
            "steps[0].session",
            "expected a list of command lines typed in the shell, got the string",
        ),
        (
            "- run: docker exec -it web sh\n  session:\n    - {cat: x}",
            5,
            "steps[0].session[0]",
            "expected a command string",
        ),
        (
            '- run: docker exec -it web sh\n  session:\n    - "echo \'a"',
            5,
            "steps[0].session[0]",
            "the shell cannot split",
        ),
        (
            "- run: docker exec -it web sh\n  session:\n    - exit\n    - hostname",
            6,
            "steps[0].session[1]",
            'the session ended at "exit" (line 5); move this line before it or into a later step',
        ),
        (
            "- run: docker run -dit busybox sh\n  session: [hostname]",
            3,
            "steps[0].run",
            "-d detaches: the shell gets no terminal and nothing is typed into it",
        ),
        (
            "- run: docker exec -it web sh\n  sesion: [hostname]",
            4,
            "steps[0].sesion",
            'did you mean "session"?',
        ),
    ],
)
def test_a_bad_session_names_the_file_line_key_and_what_was_expected(
    body: str, line: int, key: str, message: str
) -> None:
    text = "name: t\nsteps:\n" + textwrap.indent(body, "  ") + "\n"
    prefix = f"{FILE}:{line}: {key}: "
    with pytest.raises(ScenarioError, match=re.escape(prefix) + ".*" + re.escape(message)):
        load_scenario_text(text, FILE)
