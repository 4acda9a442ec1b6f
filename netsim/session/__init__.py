"""The one place that runs things: load a scenario, build its world, replay it, answer questions.

Every front end goes through here: the command line, the real-engine
harness's ``sim-diff``, the gallery script and the benchmarks. What comes
back is a value (``netsim.results``) that renderers turn into text, JSON,
pcaps and pictures without touching the simulator.

- ``replay(scenario, engine, seed=, probes=, capture=) -> Run``
- ``trace(scenario, probe_text, ...) -> (Run, ProbeRecord)``: one probe after the steps
- ``reach(scenario, ...) -> (Run, ReachMatrix)``: every source against every port
- ``pictures(scenario, ...) -> Pictures``: what ``netsim plot`` draws
- ``Session``: the same, step by step, for callers that keep the world
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path

from netsim.dataplane.probe import simulate_probe
from netsim.dataplane.reach import ReachProgress, reach_matrix
from netsim.results.reach import ReachMatrix, group_matrix
from netsim.results.run import Pictures, ProbeRecord, Run, StepRecord
from netsim.results.topology import Topology
from netsim.scenario import load_scenario as _load_scenario
from netsim.scenario import load_scenario_text as _load_scenario_text
from netsim.scenario.probe import probe_step_from_text
from netsim.scenario.spec import CommandStep, PacketStep, ProbeStep, Scenario, Step
from netsim.session.checks import SCENARIO_CHECKS
from netsim.session.replay import (
    SECONDS_PER_STEP,
    StepCallback,
    credit_command,
    fewer_collections,
    probe_record,
    replay_world,
    run_command,
    send_packet_step,
)
from netsim.session.snapshot import snapshot_topology
from netsim.shell import run_in_container
from netsim.world import World, build_world

__all__ = [
    "SCENARIO_CHECKS",
    "Pictures",
    "Session",
    "load_scenario",
    "load_scenario_text",
    "open_world",
    "pictures",
    "reach",
    "replay",
    "replay_world",
    "snapshot_topology",
    "trace",
]


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load and validate a scenario file with every check (engines, images, packets)."""
    return _load_scenario(Path(path), checks=SCENARIO_CHECKS)


def load_scenario_text(text: str, path: str = "<string>") -> Scenario:
    """Load and validate scenario YAML given as text, with every check."""
    return _load_scenario_text(text, path, checks=SCENARIO_CHECKS)


def open_world(scenario: Scenario, *, engine: str | None = None, seed: int = 0) -> World:
    """Build a scenario's world with netsim's shell behind ``docker exec``, daemon started."""
    from netsim.dataplane.probe import dial_registry

    world = build_world(scenario, shell=run_in_container, engine=engine, seed=seed)
    # The daemon reaches registries over the simulated network (docker/registry.py).
    world.client.dial = lambda host, port: dial_registry(world, host, port)
    return world


class Session:
    """A scenario's world, replayed once and then asked questions.

    The world is built on creation; ``replay`` runs the steps (once); the
    other methods look at the world as the steps left it.
    """

    def __init__(self, scenario: Scenario, *, engine: str | None = None, seed: int = 0) -> None:
        self.scenario = scenario
        self.seed = seed
        self.world = open_world(scenario, engine=engine, seed=seed)
        self.run: Run | None = None
        self.later: list[StepRecord] = []  # the steps run one by one after the replay

    def replay(
        self, *, probes: bool = True, capture: bool = False, progress: StepCallback | None = None
    ) -> Run:
        """Run the scenario's steps; return the run (see ``replay_world``).

        Raises:
            RuntimeError: the steps were already replayed in this session.
        """
        if self.run is not None:
            raise RuntimeError(f"the steps of {self.scenario.name} were already replayed")
        self.run = replay_world(self.world, probes=probes, capture=capture, progress=progress)
        return self.run

    def run_step(self, step: Step, *, capture: bool = False) -> StepRecord:
        """Run one more step after the replay, as a replay runs it (the clock moves a step on).

        ``netsim shell`` types steps one by one with it: a scenario holding the
        replayed steps and these replays to the same records.
        """
        self.world.daemon.clock += SECONDS_PER_STEP
        record: StepRecord
        if isinstance(step, CommandStep):
            record = run_command(self.world, step)
        elif isinstance(step, PacketStep):
            record = send_packet_step(self.world, step)
        else:
            outcome = simulate_probe(self.world, step, capture=capture)
            record = probe_record(step, outcome, start=self.world.daemon.clock)
            record = replace(record, why=credit_command(record.why, self.steps))
        self.later.append(record)
        return record

    @property
    def steps(self) -> tuple[StepRecord, ...]:
        """Return the records of every step so far: the replay's, then those run one by one."""
        replayed = self.run.steps if self.run is not None else ()
        return (*replayed, *self.later)

    def probe(
        self, step: ProbeStep, *, capture: bool = False, rng: random.Random | None = None
    ) -> ProbeRecord:
        """Send one probe on the world as it is now; return its record with its trace."""
        outcome = simulate_probe(self.world, step, capture=capture, rng=rng)
        record = probe_record(step, outcome)
        if self.run is None:
            return record
        return replace(record, why=credit_command(record.why, self.steps))

    def probe_text(
        self,
        text: str,
        *,
        proto: str | None = None,
        capture: bool = False,
        rng: random.Random | None = None,
    ) -> ProbeRecord:
        """Send a probe typed as ``SRC -> DST[:PORT][/PROTO]``; return its record.

        Raises:
            ScenarioError: the probe text is not valid.
        """
        step = probe_step_from_text(text, self.scenario, proto=proto)
        return self.probe(step, capture=capture, rng=rng)

    def reach(
        self,
        *,
        seed: int | None = None,
        method: str = "flow",
        progress: ReachProgress | None = None,
        rows: range | None = None,
    ) -> ReachMatrix:
        """Return every source against every destination, the world left as it was.

        ``progress`` is told (sources done, sources) after each source's row.
        ``rows`` asks for a slice of the sources only (a shard; see
        ``reach_matrix``).
        """
        seed = self.seed if seed is None else seed
        with fewer_collections():
            return reach_matrix(self.world, seed=seed, method=method, progress=progress, rows=rows)

    def topology(self) -> Topology:
        """Return the network as it is now."""
        return snapshot_topology(self.world)


def replay(
    scenario: Scenario,
    engine: str | None = None,
    *,
    seed: int = 0,
    probes: bool = True,
    capture: bool = False,
    progress: StepCallback | None = None,
) -> Run:
    """Build the scenario's world, replay its steps and return the run."""
    return Session(scenario, engine=engine, seed=seed).replay(
        probes=probes, capture=capture, progress=progress
    )


def trace(
    scenario: Scenario,
    probe_text: str,
    *,
    engine: str | None = None,
    seed: int = 0,
    proto: str | None = None,
) -> tuple[Run, ProbeRecord]:
    """Replay the steps without their probes, then send one probe; return both.

    Raises:
        ScenarioError: the probe text is not valid for this scenario.
    """
    step = probe_step_from_text(probe_text, scenario, proto=proto)
    session = Session(scenario, engine=engine, seed=seed)
    run = session.replay(probes=False)
    return run, session.probe(step)


def reach(
    scenario: Scenario,
    *,
    engine: str | None = None,
    seed: int = 0,
    method: str = "flow",
    progress: ReachProgress | None = None,
    replay_progress: StepCallback | None = None,
) -> tuple[Run, ReachMatrix]:
    """Replay the steps without their probes; return the run and its reachability matrix.

    ``replay_progress`` is told after each step, ``progress`` after each source's row.
    """
    session = Session(scenario, engine=engine, seed=seed)
    run = session.replay(probes=False, progress=replay_progress)
    return run, session.reach(method=method, progress=progress)


def pictures(
    scenario: Scenario, *, engine: str | None = None, seed: int = 0, probes: tuple[str, ...] = ()
) -> Pictures:
    """Replay the steps with their frames captured; return what ``netsim plot`` draws.

    The matrix is the data plane's (seed 0, as the pictures have always
    used); each of ``probes`` is the run's own record of that probe, or a
    probe sent after the steps with random numbers seeded by its text.

    Raises:
        ScenarioError: one of ``probes`` is not valid for this scenario.
    """
    session = Session(scenario, engine=engine, seed=seed)
    run = session.replay(capture=True)
    matrix = group_matrix(session.reach(seed=0), run.topology)
    recorded = {record.probe: record for record in run.probes}
    paths: list[ProbeRecord] = []
    for text in probes:
        step = probe_step_from_text(text, scenario)
        wanted = f"{step.src} -> {step.target}"
        record = recorded.get(wanted)
        if record is None:
            record = session.probe(step, capture=True, rng=random.Random(f"probe-path/{wanted}"))
        paths.append(record)
    return Pictures(run, matrix, tuple(paths))
