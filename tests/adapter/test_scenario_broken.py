"""Every file in tests/adapter/broken/ fails to load at the line and with the message it states.

Each file starts with a machine-readable header (reused by the CLI tests):

    # expect: line N: FRAGMENT

N is the line the ScenarioError names and FRAGMENT is a substring of the
rendered error ``FILE:N: KEY: message`` (so it usually starts with the key
path). The second line says in words what is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netsim.errors import ScenarioError
from netsim.session import load_scenario

BROKEN = Path(__file__).parent / "broken"
HEADER = re.compile(rb"^# expect: line (\d+): (.+)$")


def expectation(path: Path) -> tuple[int, str]:
    """Return the line and message fragment a broken file's header promises."""
    first = path.read_bytes().split(b"\n", 1)[0]
    match = HEADER.match(first)
    assert match, f"{path.name}: first line must be '# expect: line N: FRAGMENT'"
    return int(match.group(1)), match.group(2).decode("utf-8")


FILES = sorted(BROKEN.glob("*.yaml"))


def test_there_are_at_least_thirty_broken_files() -> None:
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_broken_scenario_fails_where_its_header_says(path: Path) -> None:
    line, fragment = expectation(path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    error = info.value
    assert error.file == str(path)
    assert error.line == line, str(error)
    assert str(error).startswith(f"{path}:{line}: "), str(error)
    assert fragment in str(error), str(error)
