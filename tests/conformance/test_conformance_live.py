"""The simulator against live replays on real Docker engines (root and the engines needed).

Each scenario is replayed once per engine on a fresh dockerd (netsim.verify),
several at once in worker processes (``NETSIM_LIVE_JOBS``, default 3);
the replay must agree with the recorded ground truth (else the recording is
out of date or the engine changed), and the simulator must agree with the
replay apart from the reviewed known differences. Where the engines cannot run
the tests are skipped with the reason.

A real engine has races the normaliser does not know yet (a CLI log line
printed or not, which of two timers fired first). A replay that disagrees
with its recording is therefore replayed once more on a fresh daemon, and the
second replay is used if it agrees; the first one's disagreement is printed in
the summary, so a new race is seen and can be named in the normaliser. A
recording that is out of date disagrees twice and fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conformance_support import (
    LIVE_WANTED_KEY,
    RETRIED_KEY,
    SCENARIO_FILES,
    judge,
    load,
    load_known_differences,
    scenario_id,
    settle_live,
)

from netsim.docker.engines import engine_names
from netsim.scenario.spec import Scenario
from netsim.verify.differential import format_table
from netsim.verify.engines import unavailable_reason
from netsim.verify.fuzzrun import FuzzOptions, run_fuzz
from netsim.verify.normalise import compare_results, format_disagreements
from netsim.verify.pool import DEFAULT_JOBS, ReplayPool
from netsim.verify.record import load_recorded, recording_root

ENGINES = engine_names()

pytestmark = pytest.mark.conformance


@pytest.fixture(scope="session")
def live_pool(request: pytest.FixtureRequest) -> Iterator[ReplayPool]:
    """Start the replays every selected live test needs, several at once, in test order."""
    jobs = int(os.environ.get("NETSIM_LIVE_JOBS", DEFAULT_JOBS))
    with ReplayPool(jobs) as pool:
        for path, engine in request.config.stash[LIVE_WANTED_KEY]:
            if not unavailable_reason(engine):
                pool.submit(path, engine)
        yield pool


@pytest.fixture
def live(
    live_pool: ReplayPool, request: pytest.FixtureRequest
) -> Callable[[Path, str], dict[str, Any]]:
    """Return a function giving a scenario's live replay on a real engine (one per session).

    The replay that agrees with the recording, of at most two (module docstring).
    """
    retried = request.config.stash[RETRIED_KEY]

    def replay(path: Path, engine: str) -> dict[str, Any]:
        reason = unavailable_reason(engine)
        if reason:
            pytest.skip(f"Docker {engine} cannot run here: {reason}")
        recorded = load_recorded(path.stem, engine, recording_root(path))
        result, first_said = settle_live(
            recorded, lambda attempt: live_pool.result(path, engine, attempt)
        )
        if first_said:
            retried[f"{path.stem} on Docker {engine}"] = first_said
        return result

    return replay


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=scenario_id)
def test_live_engine_matches_recording(
    path: Path,
    engine: str,
    live: Callable[[Path, str], dict[str, Any]],
) -> None:
    """A live replay agrees with the recorded ground truth after normalisation."""
    result = live(path, engine)
    recorded = load_recorded(path.stem, engine, recording_root(path))
    if recorded is None:
        pytest.fail(f"no recording of {path.name} on Docker {engine}")
    comparison = compare_results(recorded, result)
    assert all(step.agrees for step in comparison), (
        "the live engine disagrees with the recording (re-record?):\n"
        + format_disagreements(comparison, "recorded", "live")
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=scenario_id)
def test_simulator_matches_live_engine(
    path: Path,
    engine: str,
    live: Callable[[Path, str], dict[str, Any]],
    simulate: Callable[[Scenario, str], dict[str, Any]],
    count_agreement: Callable[[str, int, int], None],
) -> None:
    """The simulator prints and connects as a live real engine does."""
    truth = live(path, engine)
    scenario = load(path)
    verdict = judge(
        truth,
        simulate(scenario, engine),
        scenario.name,
        engine,
        load_known_differences(),
        f"Docker {engine} (live)",
    )
    count_agreement(f"Docker {engine} (live)", verdict.agreed, verdict.total)
    assert verdict.ok, verdict.problems


FUZZ_SAMPLE = (0, 1, 2)


@pytest.mark.parametrize("seed", FUZZ_SAMPLE)
def test_generated_scenarios_agree_with_live_engines(seed: int) -> None:
    """A small seeded sample of generated scenarios agrees with both live engines."""
    for engine in ENGINES:
        reason = unavailable_reason(engine)
        if reason:
            pytest.skip(f"Docker {engine} cannot run here: {reason}")
    lines: list[str] = []
    options = FuzzOptions(count=1, seed=seed, engines=ENGINES, steps=20)
    report = run_fuzz(options, lines.append)
    assert not report.counts, "\n".join(lines) + "\n" + format_table(report.counts)
