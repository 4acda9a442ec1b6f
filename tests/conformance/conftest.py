"""Shared fixtures of the conformance tier, and the ``agreement: K/N steps`` summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conformance_support import AGREEMENT_KEY, LIVE_WANTED_KEY, RETRIED_KEY

from netsim.scenario.spec import Scenario
from netsim.session import replay


def pytest_configure(config: pytest.Config) -> None:
    """Prepare the per-session agreement counters and the list of live replays."""
    config.stash[AGREEMENT_KEY] = {}
    config.stash[LIVE_WANTED_KEY] = []
    config.stash[RETRIED_KEY] = {}


def pytest_collection_finish(session: pytest.Session) -> None:
    """List the live replays the selected tests need, in their order (started together).

    Runs after ``-k``/``-m`` deselection, so only the selected tests' replays start.
    """
    wanted: list[tuple[Path, str]] = session.config.stash[LIVE_WANTED_KEY]
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.path.name == "test_conformance_live.py" and "path" in params:
            key = (params["path"], params["engine"])
            if key not in wanted:
                wanted.append(key)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print ``agreement: K/N steps`` per engine and ground truth, and the replays made twice."""
    counts = config.stash.get(AGREEMENT_KEY, {})
    retried = config.stash.get(RETRIED_KEY, {})
    if not counts and not retried:
        return
    terminalreporter.section("simulator vs real Docker")
    for label in sorted(counts):
        agreed, total = counts[label]
        terminalreporter.write_line(f"{label}: agreement: {agreed}/{total} steps")
    for label in sorted(retried):
        terminalreporter.write_line(
            f"{label}: the first live replay disagreed with the recording and was "
            f"replayed again; it said:\n{retried[label]}"
        )


@pytest.fixture
def count_agreement(request: pytest.FixtureRequest) -> Callable[[str, int, int], None]:
    """Return a function that adds a scenario's K/N to its engine's running total."""
    counts = request.config.stash[AGREEMENT_KEY]

    def add(label: str, agreed: int, total: int) -> None:
        entry = counts.setdefault(label, [0, 0])
        entry[0] += agreed
        entry[1] += total

    return add


@pytest.fixture
def simulate() -> Callable[[Scenario, str], dict[str, Any]]:
    """Return a function that replays a scenario on the simulator and gives its JSON result."""

    def run(scenario: Scenario, engine: str) -> dict[str, Any]:
        return replay(scenario, engine).as_json()

    return run
