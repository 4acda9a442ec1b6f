"""Replay a scenario's steps on a simulated world and collect the contract's result.

``run_scenario`` returns the JSON-ready dict that ``netsim run --json`` writes
(scenario-format.md, "JSON result"); renderers turn it into a transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netsim.docker.client import CommandOutput
from netsim.errors import NetsimError
from netsim.scenario.spec import CommandStep, PacketStep, ProbeStep, Scenario
from netsim.shell import run_on_node, split_command
from netsim.world import HOST, World, build_world

if TYPE_CHECKING:
    from netsim.dataplane.engine import Capture

SECONDS_PER_STEP = 1.0

ProbeRunner = Callable[[World, ProbeStep], dict[str, Any]]
StepCallback = Callable[[int, int, dict[str, Any]], None]


def _command(world: World, step: CommandStep) -> CommandOutput:
    if step.on == HOST or step.on in world.machines:
        return run_on_node(world, step.on, step.command)
    argv = split_command(step.command)
    if isinstance(argv, CommandOutput):
        return argv
    return world.client.run(["docker", "exec", step.on, *argv])


def _packet(world: World, step: PacketStep) -> dict[str, Any]:
    """Send a hand-crafted packet; record what happened to it, event by event."""
    from netsim.dataplane.packets import send_packet
    from netsim.dataplane.trace import FrameEvent, describe

    record: dict[str, Any] = {"index": step.index, "kind": "packet", "from": step.src,
                              "packet": step.packet}
    try:
        outcome = send_packet(world, step.src, step.packet, index=step.index)
    except NetsimError as error:
        record.update(result="not sent", error=str(error))
        return record
    record["result"] = "sent" if outcome.error is None else "not sent"
    if outcome.error is not None:
        record["error"] = outcome.error
    record["trace"] = [describe(e).strip() for e in outcome.events
                       if not isinstance(e, FrameEvent)]
    return record


def run_world(world: World, *, probe: ProbeRunner | None = None, probes: bool = True,
              progress: StepCallback | None = None,
              captures: list[Capture] | None = None) -> dict[str, Any]:
    """Run every step of the world's scenario; return the JSON result.

    ``probes=False`` leaves probe steps out (they change no state), for
    commands that only need the state after the steps. With ``captures``,
    every frame the probes put on the wire is appended to it, timed from the
    start of the run.
    """
    scenario = world.scenario
    if probe is None:
        probe = _capturing_probe(captures) if captures is not None else _default_probe_runner()
    steps: list[dict[str, Any]] = []
    passed = True
    for step in scenario.steps:
        world.daemon.clock += SECONDS_PER_STEP
        if isinstance(step, CommandStep):
            output = _command(world, step)
            record: dict[str, Any] = {
                "index": step.index, "kind": "command", "on": step.on, "command": step.command,
                "exit_code": output.exit_code, "stdout": output.stdout, "stderr": output.stderr,
            }
        elif isinstance(step, PacketStep):
            record = _packet(world, step)
        elif not probes:
            continue
        else:
            record = {"index": step.index, "kind": "probe", "from": step.src, "to": step.target}
            record.update(probe(world, step))
            if step.expect is not None:
                record["expect"] = step.expect
                record["passed"] = record.get("result") == step.expect
                passed = passed and record["passed"]
        steps.append(record)
        if progress is not None:
            progress(step.index, len(scenario.steps), record)
    return {"scenario": scenario.name, "engine": world.profile.version, "passed": passed,
            "steps": steps}


def _capturing_probe(captures: list[Capture]) -> ProbeRunner:
    """Return a probe runner that also keeps the frames each probe put on the wire."""
    from netsim.dataplane.probe import simulate_probe

    def run(world: World, step: ProbeStep) -> dict[str, Any]:
        outcome = simulate_probe(world, step, capture=True)
        start = world.daemon.clock
        captures.extend(replace(c, time=c.time + start) for c in outcome.captures)
        return outcome.as_result()

    return run


def _default_probe_runner() -> ProbeRunner:
    from netsim.dataplane.probe import run_probe

    return run_probe


def run_scenario(scenario: Scenario, *, engine: str | None = None, seed: int = 0,
                 progress: StepCallback | None = None,
                 pcap: Path | None = None) -> dict[str, Any]:
    """Build the scenario's world, replay its steps, and return the JSON result.

    With ``pcap``, the probes' frames are written there, one pcap per interface.
    """
    world = build_world(scenario, engine=engine, seed=seed)
    if pcap is None:
        return run_world(world, progress=progress)
    from netsim.dataplane.pcap import write_pcaps

    captures: list[Capture] = []
    result = run_world(world, progress=progress, captures=captures)
    write_pcaps(pcap, captures)
    return result
