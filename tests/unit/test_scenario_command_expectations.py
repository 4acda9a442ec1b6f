"""Command steps' ``expect_*`` keys: loaded with file:line errors, checked against the output."""

from __future__ import annotations

import re
import textwrap

import pytest

from netsim.errors import ScenarioError
from netsim.scenario.spec import CommandExpectation, CommandStep
from netsim.session import load_scenario_text
from netsim.session.replay import check_output

FILE = "t.yaml"


def load_step(body: str) -> CommandStep:
    text = "name: t\nsteps:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    step = load_scenario_text(text, FILE).steps[0]
    assert isinstance(step, CommandStep)
    return step


def test_every_expectation_key_is_read_in_order_with_its_line() -> None:
    step = load_step(
        """\
        - run: docker port web
          expect_match: '^80/tcp'
          expect_exit: 0
          expect_contains: [a, b]
          expect_stdout: "x\\n"
        """
    )
    assert step.expectations == (
        CommandExpectation("exit", "0", 5),
        CommandExpectation("stdout", "x\n", 7),
        CommandExpectation("contains", "a", 6),
        CommandExpectation("contains", "b", 6),
        CommandExpectation("match", "^80/tcp", 4),
    )


@pytest.mark.parametrize(
    ("body", "line", "key", "message"),
    [
        ("expect_exit: yes", 4, "expect_exit", "expected an exit code, 0-255, got the boolean yes"),
        ("expect_exit: 256", 4, "expect_exit", "exit code 256 is out of range; expected 0-255"),
        (
            "expect_stdout: 3",
            4,
            "expect_stdout",
            'expected the exact output, got the integer 3 (quote it: "3")',
        ),
        ("expect_contains: []", 4, "expect_contains", "got an empty list"),
        ("expect_contains: ['']", 4, "expect_contains[0]", "the text is empty"),
        ("expect_match: '(open'", 4, "expect_match", "is not a valid regular expression"),
        ("expect_exitcode: 0", 4, "expect_exitcode", 'did you mean "expect_exit"?'),
    ],
)
def test_a_bad_expectation_names_the_file_line_key_and_what_was_expected(
    body: str, line: int, key: str, message: str
) -> None:
    text = f"name: t\nsteps:\n  - run: docker ps\n    {body}\n"
    prefix = f"{FILE}:{line}: steps[0].{key}: "
    with pytest.raises(ScenarioError, match=re.escape(prefix) + ".*" + re.escape(message)):
        load_scenario_text(text, FILE)


def test_checks_say_which_expectation_held_and_what_was_there_instead() -> None:
    expectations = (
        CommandExpectation("exit", "0"),
        CommandExpectation("stdout", "a\nb\n"),
        CommandExpectation("contains", "b"),
        CommandExpectation("contains", "zzz"),
        CommandExpectation("match", r"^b$"),
        CommandExpectation("match", r"^a b$"),
    )
    results = check_output(expectations, 1, "a\nb\n")
    assert [r.passed for r in results] == [False, True, True, False, True, False]
    assert results[0].actual == "exit 1"
    assert results[3].actual == "not in stdout (first line 'a')"
    assert results[1].actual == ""
