"""``python -m netsim.verify fuzz``: generated scenarios on the real engines and on netsim.

For each seed S..S+N-1 the generator's scenario is replayed on every engine
asked for and on netsim, and compared step by step (``differential``). A
disagreeing scenario can be minimised (``--minimise``) and saved with every
engine's recording (``--save DIR``, the layout of tests/conformance/found/).
``--keep DIR`` keeps every scenario with its real recordings, and
``--recorded DIR`` re-checks netsim against such a kept run without engines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netsim.errors import VerifyError
from netsim.scenario.spec import Scenario
from netsim.session import load_scenario_text, replay
from netsim.verify.differential import (
    Difference,
    DisagreementClass,
    disagreements,
    minimise,
    save_scenario,
    truncate_after,
)
from netsim.verify.engines import find_engine
from netsim.verify.fuzz import Generated, generate
from netsim.verify.record import provenance, recorded_path, write_result
from netsim.verify.replay import replay_scenario

RealReplay = Callable[[Scenario, str], dict[str, Any]]
Say = Callable[[str], None]
Stamp = Callable[[Path, str], dict[str, str]]


def engine_provenance(scenario_file: Path, engine: str) -> dict[str, str]:
    """Return a recording's provenance on a real engine (record.provenance)."""
    return provenance(scenario_file, find_engine(engine))


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """What ``fuzz`` was asked to do."""

    count: int
    seed: int
    engines: tuple[str, ...]
    steps: int = 20
    minimise: bool = False
    save: Path | None = None
    keep: Path | None = None
    recorded: Path | None = None


@dataclass(slots=True)
class FuzzReport:
    """What a fuzz run found: per (engine, class) the number of scenarios, and totals."""

    counts: dict[tuple[str, DisagreementClass], int]
    scenarios: dict[str, int]
    disagreeing: dict[str, int]
    steps: dict[str, list[int]]
    saved: list[Path]
    failed: dict[str, int] = field(default_factory=dict)


def simulate(scenario: Scenario, engine: str) -> dict[str, Any]:
    """Return netsim's JSON result of a scenario on an engine profile."""
    return replay(scenario, engine).as_json()


def _live(scenario: Scenario, engine: str) -> dict[str, Any]:
    return replay_scenario(scenario, engine)


class KeptRunEnded(VerifyError):
    """A kept run has no recording of this scenario (it stopped before it)."""


def _kept(directory: Path) -> RealReplay:
    """Return a 'real engine' that reads a kept run's recordings."""

    def read(scenario: Scenario, engine: str) -> dict[str, Any]:
        path = recorded_path(scenario.name, engine, directory / "recorded")
        if not path.exists():
            raise KeptRunEnded(f"{path}: not kept, skipped")
        data: dict[str, Any] = json.loads(path.read_text())
        scenario_file = directory / f"{scenario.name}.yaml"
        if scenario_file.exists() and not _recorded_from(data, scenario_file.read_text()):
            raise KeptRunEnded(f"{path}: recorded from another version of the scenario, skipped")
        return data

    return read


def _already_kept(options: FuzzOptions, name: str, text: str, engine: str) -> dict[str, Any] | None:
    """Return a live run's kept recording of this very scenario, if ``--keep`` holds one.

    A stopped run started again with the same ``--keep`` goes on where it
    stopped instead of replaying everything again.
    """
    if options.keep is None or options.recorded:
        return None
    scenario_file = options.keep / f"{name}.yaml"
    path = recorded_path(name, engine, options.keep / "recorded")
    if not (path.exists() and scenario_file.exists() and scenario_file.read_text() == text):
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    # Runs in parallel share the scenario file: the recording must be of this text.
    return data if _recorded_from(data, text) else None


def _recorded_from(data: dict[str, Any], text: str) -> bool:
    """Say whether a kept recording was made from this scenario text (its provenance)."""
    stamp = data.get("recorded")
    digest = stamp.get("scenario_sha256") if isinstance(stamp, dict) else None
    return digest is None or digest == hashlib.sha256(text.encode()).hexdigest()


def _record(
    scenario: Generated, engines: tuple[str, ...], directory: Path, real: RealReplay, stamp: Stamp
) -> None:
    """Save a scenario and each engine's real result in the found/ layout."""
    path = save_scenario(scenario, directory)
    loaded = load_scenario_text(scenario.text, str(path))
    for engine in engines:
        result = real(loaded, engine)
        result = dict(result, recorded=stamp(path, engine))
        write_result(result, recorded_path(scenario.name, engine, directory / "recorded"))


def run_fuzz(
    options: FuzzOptions,
    say: Say,
    real: RealReplay | None = None,
    stamp: Stamp = engine_provenance,
) -> FuzzReport:
    """Run the differential fuzzing ``options`` describe; return what it found.

    ``real`` replays a scenario on a real engine (default: a live replay, or
    the kept recordings with ``options.recorded``); ``stamp`` gives a saved
    recording's provenance.

    Raises:
        VerifyError: an engine cannot run, or a kept run lacks a recording.
        ValueError: the generator made a scenario the loader refuses (a generator bug).
    """
    if real is None:
        real = _kept(options.recorded) if options.recorded else _live
    report = FuzzReport({}, {}, {}, {}, [])
    for number in range(options.count):
        seed = options.seed + number
        generated = generate(seed, options.steps)
        text = generated.text
        kept_file = options.recorded / f"{generated.name}.yaml" if options.recorded else None
        if kept_file is not None and kept_file.exists() and kept_file.read_text() != text:
            # What was replayed is what counts; the generator has changed since.
            say(f"  {kept_file}: the kept scenario differs from seed {seed}'s; using it")
            text = kept_file.read_text()
        scenario = load_scenario_text(text, f"<seed {seed}>")
        found: list[Difference] = []
        results: dict[str, dict[str, Any]] = {}
        for engine in options.engines:
            kept_before = _already_kept(options, generated.name, text, engine)
            try:
                truth = kept_before if kept_before is not None else real(scenario, engine)
            except KeptRunEnded as ended:
                say(f"[{number + 1}/{options.count}] {generated.name} on {engine}: {ended}")
                continue
            except VerifyError as error:
                # One engine failing one scenario must not end an hour-long run.
                report.failed[engine] = report.failed.get(engine, 0) + 1
                where = f"[{number + 1}/{options.count}] {generated.name} on {engine}"
                say(f"{where}: not replayed: {error}")
                continue
            if kept_before is None:
                results[engine] = truth
            difference = disagreements(truth, simulate(scenario, engine), engine)
            report.scenarios[engine] = report.scenarios.get(engine, 0) + 1
            totals = report.steps.setdefault(engine, [0, 0])
            totals[0] += difference.agreed
            totals[1] += len(difference.comparisons)
            line = (
                f"[{number + 1}/{options.count}] {generated.name} on {engine}: "
                f"{difference.agreed}/{len(difference.comparisons)} steps agree"
            )
            if difference.classes:
                found.append(difference)
                report.disagreeing[engine] = report.disagreeing.get(engine, 0) + 1
                for cls in difference.classes:
                    key = (engine, cls)
                    report.counts[key] = report.counts.get(key, 0) + 1
                line += "; differ: " + ", ".join(
                    f"{f} ({n})" for f, n in sorted(difference.classes)
                )
            say(line)
        if options.keep and not options.recorded:
            path = save_scenario(generated, options.keep)
            for engine, truth in results.items():
                kept = dict(truth, recorded=stamp(path, engine))
                write_result(kept, recorded_path(generated.name, engine, options.keep / "recorded"))
        if found and options.save:
            smallest = generated
            if options.minimise:
                smallest = _minimise(generated, found, real, say)
            _record(smallest, options.engines, options.save, real, stamp)
            report.saved.append(options.save / f"{smallest.name}.yaml")
            say(f"  saved {options.save / smallest.name}.yaml ({len(smallest.steps)} steps)")
    return report


def _minimise(
    generated: Generated, found: list[Difference], real: RealReplay, say: Say
) -> Generated:
    """Shrink a disagreeing scenario while it keeps one of its disagreement classes.

    The oracle asks the first engine that disagreed only (a replay costs
    seconds); the smallest scenario is then recorded on every engine.
    """
    targets = {found[0].engine: found[0].classes}

    def still_disagrees(candidate: Generated) -> bool:
        scenario = load_scenario_text(candidate.text, f"<{candidate.name}>")
        for engine, classes in targets.items():
            if (
                disagreements(real(scenario, engine), simulate(scenario, engine), engine).classes
                & classes
            ):
                return True
        return False

    last = found[0].first_disagreement or 0
    start = generated
    shorter = truncate_after(generated, last)
    if len(shorter.steps) < len(generated.steps) and still_disagrees(shorter):
        start = shorter
    say(f"  minimising {generated.name} from {len(start.steps)} steps")
    smallest = minimise(start, still_disagrees, progress=say)
    comment = f"{generated.comment}; minimised to {len(smallest.steps)} steps"
    return smallest.with_steps(smallest.steps, comment)
