"""The replay pool: replays in worker processes, errors carried back (no engine needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsim.errors import VerifyError
from netsim.verify.pool import ReplayPool


def test_a_replay_that_fails_in_a_worker_raises_its_message(tmp_path: Path) -> None:
    """A scenario the worker cannot load comes back as VerifyError naming the file."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nsteps: [\n")
    with ReplayPool(jobs=1) as pool:
        with pytest.raises(VerifyError, match="broken.yaml"):
            pool.result(broken, "20.10")


def test_a_pool_needs_at_least_one_worker() -> None:
    """Zero workers is refused before any process starts."""
    with pytest.raises(ValueError, match="at least 1"):
        ReplayPool(jobs=0)


def test_each_attempt_is_its_own_replay_and_asking_again_gives_the_same(tmp_path: Path) -> None:
    """Attempt 2 reads the file again (as it is then); attempt 1's answer is kept."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: first\nsteps: [\n")
    with ReplayPool(jobs=1) as pool:
        with pytest.raises(VerifyError, match="s.yaml") as first:
            pool.result(scenario, "20.10")
        scenario.write_text("name: second\nsteps: []\n")
        with pytest.raises(VerifyError) as again:
            pool.result(scenario, "20.10")
        with pytest.raises(VerifyError, match="expected at least one step") as second:
            pool.result(scenario, "20.10", attempt=2)
    assert str(again.value) == str(first.value) != str(second.value)
