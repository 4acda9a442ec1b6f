"""Replay a scenario's steps on a world, one record per step.

Commands go to the shell of the node they are typed on (``docker exec`` for a
container), packets and probes to the data plane. Probes change no state, so
a replay without them (``probes=False``) leaves the world exactly as a full
one does: the same IDs, MACs and rules.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from netsim.dataplane.engine import Capture
from netsim.dataplane.packets import send_packet
from netsim.dataplane.probe import ProbeOutcome, simulate_probe
from netsim.dataplane.trace import FrameEvent, TraceEvent, describe
from netsim.docker.client import CommandOutput
from netsim.errors import NetsimError
from netsim.results.run import (
    CommandRecord,
    ExpectationResult,
    PacketRecord,
    ProbeRecord,
    Run,
    StepRecord,
    Why,
)
from netsim.scenario.spec import CommandExpectation, CommandStep, PacketStep, ProbeStep
from netsim.scenario.words import split_words
from netsim.session.snapshot import snapshot_topology
from netsim.shell import run_on_node
from netsim.world import HOST, World

SECONDS_PER_STEP = 1.0
# While a reach matrix is built, the cyclic collector starts a young collection
# after this many new objects instead of Python's 700: the walk makes and keeps
# many objects and frees few, and the default rescans them again and again.
REPLAY_GC_THRESHOLD = 10_000

StepCallback = Callable[[int, int, StepRecord], None]
# Answers a probe step on the world as it is at that step (the data plane by default).
ProbeAnswer = Callable[[World, ProbeStep], ProbeOutcome]


def run_command(world: World, step: CommandStep) -> CommandRecord:
    """Run a command step where it is typed; return what it printed and its checks.

    The record keeps the trace and frames of the connections the daemon made
    for the command (``world.connections``), each timed after the one before.
    """
    world.connections.clear()
    output = _command_output(world, step)
    events, captures = _connections_traffic(world.connections)
    world.connections.clear()
    return CommandRecord(
        step.index,
        step.on,
        step.command,
        output.exit_code,
        output.stdout,
        output.stderr,
        check_output(step.expectations, output.exit_code, output.stdout),
        output.session,
        world.daemon.clock,
        events,
        captures,
    )


def _connections_traffic(
    outcomes: Sequence[ProbeOutcome],
) -> tuple[tuple[TraceEvent, ...], tuple[Capture, ...]]:
    """Return the events and frames of connections made one after the other.

    Each connection ran in a simulation of its own, timed from 0: the next
    one is moved to start where the one before ended.
    """
    events: list[TraceEvent] = []
    captures: list[Capture] = []
    offset = 0.0
    for outcome in outcomes:
        events += [replace(e, time=e.time + offset) for e in outcome.events]
        captures += [replace(c, time=c.time + offset) for c in outcome.captures]
        offset = max((x.time for x in (*events, *captures)), default=offset)
    return tuple(events), tuple(captures)


def _first_line(text: str) -> str:
    if not text:
        return "stdout is empty"
    line = text.split("\n", 1)[0]
    return "first line " + repr(line if len(line) <= 80 else line[:77] + "...")


def check_output(
    expectations: Sequence[CommandExpectation], exit_code: int, stdout: str
) -> tuple[ExpectationResult, ...]:
    """Return how a command's exit code and standard output met each ``expect_*``."""
    results = []
    for expected in expectations:
        if expected.kind == "exit":
            passed = str(exit_code) == expected.value
            actual = f"exit {exit_code}"
        elif expected.kind == "stdout":
            passed = stdout == expected.value
            actual = f"stdout {stdout!r}" if len(stdout) <= 80 else f"stdout {stdout[:77]!r}..."
        elif expected.kind == "contains":
            passed = expected.value in stdout
            actual = f"not in stdout ({_first_line(stdout)})"
        else:
            passed = re.search(expected.value, stdout, re.MULTILINE) is not None
            actual = f"no match in stdout ({_first_line(stdout)})"
        results.append(
            ExpectationResult(expected.kind, expected.value, passed, "" if passed else actual)
        )
    return tuple(results)


def _command_output(world: World, step: CommandStep) -> CommandOutput:
    if step.session is not None:
        # `docker exec -it`/`docker run -it` typed on the host's terminal (the
        # loader checked the line is one docker command).
        output = world.client.run_session(split_words(step.command), step.session)
        if output.session is None:  # refused before a shell started
            output = replace(output, session=())
        return output
    if step.on == HOST or step.on in world.machines:
        return run_on_node(world, step.on, step.command)
    # Exactly `docker exec NAME CMD` typed on the host, as the real-engine
    # replay types it: a `|` in CMD is the host shell's pipe.
    return run_on_node(world, HOST, f"docker exec {step.on} {step.command}")


def send_packet_step(world: World, step: PacketStep) -> PacketRecord:
    """Send a hand-crafted packet; record what happened to it, event by event."""
    try:
        outcome = send_packet(world, step.src, step.packet, index=step.index)
    except NetsimError as error:
        return PacketRecord(step.index, step.src, step.packet, "not sent", str(error))
    trace = tuple(describe(e).strip() for e in outcome.events if not isinstance(e, FrameEvent))
    result = "sent" if outcome.error is None else "not sent"
    return PacketRecord(step.index, step.src, step.packet, result, outcome.error, trace)


def probe_record(step: ProbeStep, outcome: ProbeOutcome, *, start: float = 0.0) -> ProbeRecord:
    """Return the record of a probe step from the data plane's outcome."""
    return ProbeRecord(
        step.index,
        step.src,
        step.target,
        outcome.result,
        outcome.served_by,
        outcome.local,
        outcome.peer,
        outcome.error,
        step.expect,
        start,
        outcome.events,
        outcome.captures,
        outcome.why,
    )


def credit_command(why: Why | None, records: Sequence[StepRecord]) -> Why | None:
    """Name the step that added a deciding rule Docker did not write (DOCKER-USER, by hand).

    The step is the last successful ``iptables`` command before the probe that
    names the rule's chain and whose every word of the rule appears in the
    rule as ``iptables -S`` prints it (which adds ``-m tcp``, ``/32`` and the
    target's defaults); failing that, the last one naming its chain and target.
    """
    if why is None or why.cause not in ("docker-user", "rule") or not why.rule:
        return why
    target = why.rule.rsplit(" -j ", 1)[-1].split()[0] if " -j " in why.rule else ""
    printed = set(why.rule.split())
    candidates: list[CommandRecord] = []
    for record in reversed(records):
        if not isinstance(record, CommandRecord) or record.exit_code != 0:
            continue
        words = record.command.split()
        if "iptables" in words[:2] and why.chain in words and (not target or target in words):
            candidates.append(record)
    for record in candidates:
        words = record.command.split()
        spec = words[words.index(why.chain) + 1 :]
        if spec[:1] and spec[0].isdigit():  # -I CHAIN N
            spec = spec[1:]
        if all(word in printed or f"{word}/32" in printed for word in spec):
            return _credited(why, record)
    return _credited(why, candidates[0]) if candidates else why


def _credited(why: Why, record: CommandRecord) -> Why:
    return replace(
        why,
        command=record.command,
        text=f"{why.text}; step {record.index} added it: `{record.command}`",
    )


def replay_world(
    world: World,
    *,
    probes: bool = True,
    capture: bool = False,
    progress: StepCallback | None = None,
    probe: ProbeAnswer | None = None,
) -> Run:
    """Run every step of the world's scenario on it; return the run.

    ``probes=False`` leaves probe steps out (they change no state), for
    commands that only need the state after the steps. With ``capture``, each
    probe record keeps the frames the probe put on the wire. ``probe`` answers
    the probe steps instead of ``simulate_probe`` (tests compare evaluators).
    """
    with one_collection_after():
        return _replay_steps(world, probes, capture, progress, probe)


@contextmanager
def one_collection_after() -> Iterator[None]:
    """Keep the cyclic collector off for the block, then collect the young generations once.

    A replay builds the world's state: containers, namespaces, interfaces,
    rules, a hundred tracked objects per ``docker run`` that live as long as
    the world. Replaying 10,000 ``docker run -p`` lines with the collector on
    (young threshold 10,000) ran 111 collections that took 1.7 s of 13.8 s
    CPU and freed 140 objects in all; each collection rescans what the last
    ones kept, and each kept object is scanned twice on its way to the old
    generation. One collection at the end scans each object once and still
    frees whatever cycles the steps left (a probe's events, say).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's young-generation threshold for the block, then restore it.

    A reach matrix builds or walks many long-lived objects (verdicts, rows)
    and frees few.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], REPLAY_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _replay_steps(
    world: World,
    probes: bool,
    capture: bool,
    progress: StepCallback | None,
    probe: ProbeAnswer | None,
) -> Run:
    scenario = world.scenario
    records: list[StepRecord] = []
    for step in scenario.steps:
        world.daemon.clock += SECONDS_PER_STEP
        record: StepRecord
        if isinstance(step, CommandStep):
            record = run_command(world, step)
        elif isinstance(step, PacketStep):
            record = send_packet_step(world, step)
        elif not probes:
            continue
        else:
            if probe is None:
                outcome = simulate_probe(world, step, capture=capture)
            else:
                outcome = probe(world, step)
            record = probe_record(step, outcome, start=world.daemon.clock)
            record = replace(record, why=credit_command(record.why, records))
        records.append(record)
        if progress is not None:
            progress(step.index, len(scenario.steps), record)
    return Run(
        scenario.name, world.profile.version, world.seed, tuple(records), snapshot_topology(world)
    )
