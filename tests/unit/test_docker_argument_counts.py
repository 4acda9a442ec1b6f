"""Unit tests: each CLI's wording of a wrong argument count (cobra's validators)."""

from __future__ import annotations

import pytest

from netsim.docker.commandline import ArgumentCount
from netsim.docker.engines import profile_for

USAGE = "docker x [OPTIONS] A"


@pytest.mark.parametrize(
    ("count", "classic", "modern"),
    [
        (ArgumentCount(1, 1), "requires exactly 1 argument.", "requires 1 argument\n"),
        (ArgumentCount(2, 2), "requires exactly 2 arguments.", "requires 2 arguments\n"),
        (ArgumentCount(1, None), "requires at least 1 argument.", "requires at least 1 argument\n"),
        (ArgumentCount(0, 1), "requires at most 1 argument.", "requires at most 1 argument\n"),
        (
            ArgumentCount(1, 2),
            "requires at least 1 and at most 2 arguments.",
            "requires at least 1 and at most 2 arguments\n",
        ),
        (ArgumentCount(0, 0), "accepts no arguments.", "accepts no arguments\n"),
    ],
)
def test_requirement_wording(count: ArgumentCount, classic: str, modern: str) -> None:
    old = profile_for("20.10").missing_args_error("docker x", count, USAGE, "Do x")
    assert old == f"\"docker x\" {classic}\nSee 'docker x --help'.\n\nUsage:  {USAGE}\n\nDo x\n"
    new = profile_for("28.5").missing_args_error("docker x", count, USAGE, "Do x")
    assert new.startswith(f"docker: 'docker x' {modern}\nUsage:  {USAGE}\n\n")
    assert "Do x" not in new


@pytest.mark.parametrize(
    ("count", "hint"),
    [
        (ArgumentCount(1, 1), "Run"),
        (ArgumentCount(1, None), "See"),
        (ArgumentCount(0, 1), "SRun"),  # CLI 28.5.2's own typo
        (ArgumentCount(1, 2), "Run"),
        (ArgumentCount(0, 0), "Run"),
    ],
)
def test_cli_28_hint_depends_on_the_validator(count: ArgumentCount, hint: str) -> None:
    text = profile_for("28.5").missing_args_error("docker x", count, USAGE, "")
    assert text.endswith(f"\n\n{hint} 'docker x --help' for more information\n")


def test_argument_count_accepts() -> None:
    assert ArgumentCount(1, 2).accepts(2) and not ArgumentCount(1, 2).accepts(3)
    assert ArgumentCount(1, None).accepts(9) and not ArgumentCount(1, None).accepts(0)
