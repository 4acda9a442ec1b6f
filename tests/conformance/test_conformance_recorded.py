"""The simulator against the recorded ground truth of both real engines (no root needed).

For every scenario in scenarios/ and each engine, the simulator's result must
agree step by step with tests/conformance/recorded/<engine>/<scenario>.json,
apart from the reviewed entries of known_differences.yaml.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conformance_support import SCENARIO_FILES, judge, load, load_known_differences, scenario_id

from netsim.docker.engines import engine_names
from netsim.scenario.spec import Scenario
from netsim.verify.record import REPO_ROOT, load_recorded, recording_root

ENGINES = engine_names()


def _recorded(path: Path, engine: str) -> dict[str, Any]:
    """Return the recording of a scenario file, failing when it is missing or stale."""
    recorded = load_recorded(path.stem, engine, recording_root(path))
    if recorded is None:
        pytest.fail(
            f"no ground truth for {path.name} on Docker {engine}: run "
            f"python -m netsim.verify record {path.relative_to(REPO_ROOT)} "
            f"--engine {engine} (as root)"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    made_from = recorded.get("recorded", {}).get("scenario_sha256")
    if made_from != digest:
        pytest.fail(
            f"the recording of {path.name} on Docker {engine} was made from another "
            f"version of the file: re-record with python -m netsim.verify record "
            f"{path.relative_to(REPO_ROOT)} --engine {engine} (as root)"
        )
    return recorded


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=scenario_id)
def test_simulator_matches_recorded_engine(
    path: Path,
    engine: str,
    simulate: Callable[[Scenario, str], dict[str, Any]],
    count_agreement: Callable[[str, int, int], None],
) -> None:
    """The simulator prints and connects as the recorded real engine did."""
    truth = _recorded(path, engine)
    scenario = load(path)
    simulated = simulate(scenario, engine)
    verdict = judge(
        truth,
        simulated,
        scenario.name,
        engine,
        load_known_differences(),
        f"Docker {engine} (recorded)",
    )
    count_agreement(f"Docker {engine} (recorded ground truth)", verdict.agreed, verdict.total)
    assert verdict.ok, verdict.problems


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=scenario_id)
def test_ground_truth_is_recorded(path: Path, engine: str) -> None:
    """Every scenario has a recording on every engine, made from the current file."""
    truth = _recorded(path, engine)
    scenario = load(path)
    assert truth["scenario"] == scenario.name
    assert truth["engine"] == engine
    assert [step["index"] for step in truth["steps"]] == [s.index for s in scenario.steps]


def test_known_differences_name_real_steps() -> None:
    """Each known difference names an existing scenario, engine and step."""
    scenarios = {load(path).name: load(path) for path in SCENARIO_FILES}
    for (name, engine, step), reason in load_known_differences().items():
        assert name in scenarios, f"known difference for unknown scenario {name}: {reason}"
        assert engine in ENGINES, f"known difference for unknown engine {engine}"
        assert step < len(scenarios[name].steps), f"{name} has no step {step}"
