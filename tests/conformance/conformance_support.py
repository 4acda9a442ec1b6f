"""Judge a simulator result against real-engine ground truth, with the reviewed known differences.

A step that disagrees and is not listed in known_differences.yaml fails the
test; a listed step that now agrees fails too (the entry is stale and must be
removed), so the list only ever shrinks honestly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from netsim.scenario.spec import Scenario
from netsim.session import load_scenario
from netsim.verify.normalise import StepComparison, compare_results, format_disagreements

KNOWN_DIFFERENCES = Path(__file__).with_name("known_differences.yaml")
REPO_ROOT = Path(__file__).resolve().parents[2]
# The curated scenarios, then what the fuzzer found (python -m netsim.verify fuzz --save).
SCENARIO_FILES = sorted((REPO_ROOT / "scenarios").glob("*.yaml")) + sorted(
    (REPO_ROOT / "tests" / "conformance" / "found").glob("*.yaml")
)
AGREEMENT_KEY = pytest.StashKey[dict[str, list[int]]]()
# The (scenario file, engine) pairs the selected live tests replay, in test order.
LIVE_WANTED_KEY = pytest.StashKey[list[tuple[Path, str]]]()
# Live replays that disagreed with the recording, were replayed again, and what
# the first one said: "SCENARIO on Docker E" -> the disagreeing steps.
RETRIED_KEY = pytest.StashKey[dict[str, str]]()


def scenario_id(path: Path) -> str:
    """Return a test id for a scenario file (found/ ones say so)."""
    return f"found/{path.stem}" if path.parent.name == "found" else path.stem


def load(path: Path) -> Scenario:
    """Load a scenario file with the project's loader."""
    return load_scenario(str(path))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of one scenario on one engine: counts and what is wrong, if anything."""

    agreed: int
    total: int
    problems: str

    @property
    def ok(self) -> bool:
        """Return whether the test should pass."""
        return not self.problems


def load_known_differences(path: Path = KNOWN_DIFFERENCES) -> dict[tuple[str, str, int], str]:
    """Return the reviewed known differences: (scenario, engine, step index) → reason.

    Raises:
        ValueError: an entry lacks a key or a reason, or is listed twice.
    """
    entries = yaml.safe_load(path.read_text()) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of entries")
    known: dict[tuple[str, str, int], str] = {}
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != {"scenario", "engine", "step", "reason"}:
            raise ValueError(f"{path}: entry {number} needs exactly scenario, engine, step, reason")
        if not str(entry["reason"]).strip():
            raise ValueError(f"{path}: entry {number} has an empty reason")
        key = (str(entry["scenario"]), str(entry["engine"]), int(entry["step"]))
        if key in known:
            raise ValueError(f"{path}: {key} is listed twice")
        known[key] = str(entry["reason"])
    return known


def judge(
    truth: dict[str, Any],
    simulated: dict[str, Any],
    scenario: str,
    engine: str,
    known: dict[tuple[str, str, int], str],
    truth_name: str,
) -> Verdict:
    """Compare the simulator's result with the ground truth, step by step."""
    comparisons = compare_results(truth, simulated)
    listed = {step for (name, version, step) in known if name == scenario and version == engine}
    unexpected = [c for c in comparisons if not c.agrees and c.index not in listed]
    by_index = {c.index: c for c in comparisons}
    stale = sorted(i for i in listed if i not in by_index or by_index[i].agrees)
    problems = []
    if unexpected:
        problems.append(
            f"{len(unexpected)} step(s) disagree with {truth_name} "
            f"and are not in {KNOWN_DIFFERENCES.name}:"
        )
        problems.append(format_disagreements(unexpected, truth_name, "simulator"))
    if stale:
        problems.append(
            f"stale entries in {KNOWN_DIFFERENCES.name} (these steps now agree "
            f"or do not exist; remove them): {scenario} {engine} steps {stale}"
        )
    agreed = sum(1 for c in comparisons if c.agrees)
    return Verdict(agreed, len(comparisons), "\n".join(problems))


def disagreeing_steps(comparisons: list[StepComparison]) -> list[int]:
    """Return the indexes of steps that disagree."""
    return [c.index for c in comparisons if not c.agrees]


def settle_live(
    recorded: dict[str, Any] | None, replay: Callable[[int], dict[str, Any]]
) -> tuple[dict[str, Any], str]:
    """Return the live replay to judge, and what a first one that disagreed said.

    ``replay(attempt)`` gives replay number ``attempt`` on a fresh daemon. The
    first is used if it agrees with the recording (or there is none); else a
    second is made and used if it agrees; else the first is kept, to fail.
    """
    first = replay(1)
    if recorded is None:
        return first, ""
    comparison = compare_results(recorded, first)
    if all(step.agrees for step in comparison):
        return first, ""
    said = format_disagreements(comparison, "recorded", "live")
    second = replay(2)
    if all(step.agrees for step in compare_results(recorded, second)):
        return second, said
    return first, said
