"""docs/teaching.md: every command it shows prints what the page says, and the references hold."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from netsim.cli import main

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "teaching.md"
BLOCK = re.compile(r"```text\n(\$ netsim [^\n]*)\n(.*?)```", re.DOTALL)


def shown() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


def test_the_page_shows_a_grade_for_each_of_its_three_exercises() -> None:
    commands = [command for command, _ in shown()]
    assert sum(command.startswith("$ netsim grade docs/exercises/") for command in commands) == 3
    for name in ("publish-a-port", "link-or-network", "docker-user"):
        assert f"docs/exercises/{name}.yaml" in PAGE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("command", "output"), shown(), ids=lambda v: v[:60])
def test_a_command_on_the_page_prints_what_the_page_shows(
    command: str, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    out = io.StringIO()
    main(shlex.split(command)[2:], stdout=out, stderr=io.StringIO())
    assert out.getvalue() == output


@pytest.mark.parametrize("path", sorted((REPO / "docs" / "exercises").glob("*.yaml")))
def test_every_reference_answer_meets_its_own_expectations(path: Path) -> None:
    assert main(["run", "-q", str(path)], stdout=io.StringIO(), stderr=io.StringIO()) == 0
