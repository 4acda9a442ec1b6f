"""What a replay hands back: one frozen record per step, and the run they make.

``Run`` is the value every front end reads: the transcript and the JSON
result (``as_json``, the scenario contract's format) are written from it, the
pictures draw its topology and its probes' frames. Nothing here imports the
simulator; trace events and captured frames are the data plane's values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netsim.results.reach import GroupedMatrix
from netsim.results.topology import HOST, Topology

if TYPE_CHECKING:
    from netsim.dataplane.engine import Capture
    from netsim.dataplane.trace import TraceEvent


@dataclass(frozen=True, slots=True)
class ExpectationResult:
    """One ``expect_KIND: VALUE`` of a command step, and whether the output met it.

    ``actual`` says what was there instead when it failed (the exit code, or
    the output's first line), empty when it held.
    """

    kind: str
    value: str
    passed: bool
    actual: str = ""

    @property
    def label(self) -> str:
        """Return the expectation as written in the scenario."""
        if self.kind == "exit":
            return f"expect_exit: {self.value}"
        return f"expect_{self.kind}: {json.dumps(self.value, ensure_ascii=False)}"

    def as_json(self) -> dict[str, Any]:
        """Return the expectation as the JSON result writes it."""
        value: str | int = int(self.value) if self.kind == "exit" else self.value
        out: dict[str, Any] = {"kind": self.kind, "value": value, "passed": self.passed}
        if not self.passed:
            out["actual"] = self.actual
        return out


@dataclass(frozen=True, slots=True)
class TypedCommand:
    """One line typed in an interactive session (``session:``) and what the terminal showed.

    ``output`` is standard output and error as one terminal shows them;
    ``exit_code`` is the shell's ``$?`` after the line (for ``exit``, the
    session's exit code).
    """

    command: str
    output: str
    exit_code: int

    def as_json(self) -> dict[str, Any]:
        """Return the typed line as the JSON result writes it."""
        return {"command": self.command, "output": self.output, "exit_code": self.exit_code}


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """A command typed on the host, a machine or in a container, and what it printed.

    ``events`` and ``captures`` are the trace and frames of the connections
    the daemon made over the network for it (a ``docker push`` or ``pull``
    to a registry container), one after the other, timed from ``start``, the
    run's clock when the command ran. The JSON result does not carry them.
    """

    index: int
    on: str
    command: str
    exit_code: int
    stdout: str
    stderr: str
    checks: tuple[ExpectationResult, ...] = ()
    session: tuple[TypedCommand, ...] | None = None
    """The lines typed in an interactive session (``session:``); None for a plain command."""
    start: float = 0.0
    events: tuple[TraceEvent, ...] = ()
    captures: tuple[Capture, ...] = ()

    @property
    def passed(self) -> bool | None:
        """Return whether every ``expect_*`` held (``None`` without one)."""
        if not self.checks:
            return None
        return all(check.passed for check in self.checks)

    @property
    def prompt(self) -> str:
        """Return the prompt the transcript shows before the command."""
        return "$" if self.on == HOST else f"{self.on} $"

    def as_json(self) -> dict[str, Any]:
        """Return the step as the contract's JSON writes it."""
        return (
            {
                "index": self.index,
                "kind": "command",
                "on": self.on,
                "command": self.command,
                "exit_code": self.exit_code,
                "stdout": self.stdout,
                "stderr": self.stderr,
            }
            | self.session_json()
            | self.expectations_json()
        )

    def session_json(self) -> dict[str, Any]:
        """Return ``session`` (one entry per typed line) for an interactive step, else nothing."""
        if self.session is None:
            return {}
        return {"session": [typed.as_json() for typed in self.session]}

    def expectations_json(self) -> dict[str, Any]:
        """Return ``expect`` (one entry per expectation) and ``passed``, when there are any."""
        if not self.checks:
            return {}
        return {"expect": [c.as_json() for c in self.checks], "passed": self.passed}


@dataclass(frozen=True, slots=True)
class PacketRecord:
    """A hand-crafted packet sent from a node, and what happened to it.

    ``trace`` is ``None`` when the packet could not be built at all (no trace
    to show), else the non-frame events of its trace, one line each.
    """

    index: int
    src: str
    packet: str
    result: str
    error: str | None = None
    trace: tuple[str, ...] | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the step as the contract's JSON writes it."""
        out: dict[str, Any] = {
            "index": self.index,
            "kind": "packet",
            "from": self.src,
            "packet": self.packet,
            "result": self.result,
        }
        if self.error is not None:
            out["error"] = self.error
        if self.trace is not None:
            out["trace"] = list(self.trace)
        return out


@dataclass(frozen=True, slots=True)
class Why:
    """Why a probe ended as it did: the deciding event of its trace, in words.

    ``kind`` names the sort of decision: ``dropped``, ``rejected``,
    ``refused``, ``unresolved``, ``unreachable``, ``no-route``, ``timeout``
    for a probe that did not get through; ``direct``, ``dnat``,
    ``docker-proxy``, ``hairpin`` for one that did. ``node`` is where it was
    decided (a dropped probe's picture marks it). For a netfilter decision,
    ``table``, ``chain``, ``rulenum`` (as ``iptables -L --line-numbers``
    numbers it; 0 for a policy) and ``rule`` (``iptables -S`` text without
    ``-A CHAIN``) name the rule, and ``cause`` what put it there
    (``isolation``, ``internal``, ``icc``, ``docker-user``,
    ``direct-access``, ``not-published``, ``policy`` or ``rule``);
    ``command`` is the scenario's ``iptables`` step that added a rule Docker
    did not write (a DOCKER-USER rule), when the session found it.
    """

    kind: str
    text: str
    node: str = ""
    table: str = ""
    chain: str = ""
    rulenum: int = 0
    rule: str = ""
    cause: str = ""
    command: str = ""

    @property
    def rule_ref(self) -> str:
        """Return ``CHAIN #N`` of the deciding rule (empty when no rule decided)."""
        return f"{self.chain} #{self.rulenum}" if self.rulenum else ""


@dataclass(frozen=True, slots=True)
class ProbeRecord:
    """A probe's outcome with the trace (and frames, when captured) of how it came about.

    ``result`` is ``None`` when the probe could not run (``error`` says why).
    ``start`` is the run's clock when the probe was sent: captured frames are
    timed from the probe's own start.
    """

    index: int
    src: str
    target: str
    result: str | None
    served_by: str | None = None
    local: str | None = None
    peer: str | None = None
    error: str | None = None
    expect: str | None = None
    start: float = 0.0
    events: tuple[TraceEvent, ...] = ()
    captures: tuple[Capture, ...] = ()
    why: Why | None = None

    @property
    def probe(self) -> str:
        """Return the probe as written: ``SRC -> DST:PORT/PROTO``."""
        return f"{self.src} -> {self.target}"

    @property
    def passed(self) -> bool | None:
        """Return whether the expectation held (``None`` without one)."""
        if self.expect is None:
            return None
        return self.result == self.expect

    def outcome_json(self) -> dict[str, Any]:
        """Return the contract's outcome fields: result, served_by/local/peer when open, error."""
        out: dict[str, Any] = {"result": self.result}
        if self.result == "open":
            out.update(served_by=self.served_by, local=self.local, peer=self.peer)
        if self.error is not None:
            out["error"] = self.error
        return out

    def as_json(self) -> dict[str, Any]:
        """Return the step as the contract's JSON writes it."""
        out: dict[str, Any] = {
            "index": self.index,
            "kind": "probe",
            "from": self.src,
            "to": self.target,
        }
        out.update(self.outcome_json())
        if self.why is not None:
            out["why"] = self.why.text
        if self.expect is not None:
            out["expect"] = self.expect
            out["passed"] = self.passed
        return out


StepRecord = CommandRecord | PacketRecord | ProbeRecord


@dataclass(frozen=True, slots=True)
class Run:
    """A replayed scenario: its records in step order and the network after the last step."""

    scenario: str
    engine: str
    seed: int
    steps: tuple[StepRecord, ...]
    topology: Topology

    @property
    def passed(self) -> bool:
        """Return whether every expectation held (probes' ``expect``, commands' ``expect_*``)."""
        return all(
            s.passed is not False for s in self.steps if isinstance(s, ProbeRecord | CommandRecord)
        )

    @property
    def probes(self) -> tuple[ProbeRecord, ...]:
        """Return the probe records, in step order."""
        return tuple(s for s in self.steps if isinstance(s, ProbeRecord))

    @property
    def captured(self) -> tuple[tuple[float, tuple[Capture, ...]], ...]:
        """Return (start, frames) of every probe and command that put frames on the wire."""
        return tuple(
            (s.start, s.captures)
            for s in self.steps
            if isinstance(s, ProbeRecord | CommandRecord) and s.captures
        )

    @property
    def failed(self) -> tuple[ProbeRecord | CommandRecord, ...]:
        """Return the probes and commands whose expectations did not hold, in step order."""
        return tuple(
            s
            for s in self.steps
            if isinstance(s, ProbeRecord | CommandRecord) and s.passed is False
        )

    def as_json(self) -> dict[str, Any]:
        """Return the JSON result of the scenario contract (``netsim run --json``)."""
        return {
            "scenario": self.scenario,
            "engine": self.engine,
            "passed": self.passed,
            "steps": [step.as_json() for step in self.steps],
        }


@dataclass(frozen=True, slots=True)
class Pictures:
    """What ``netsim plot`` draws: the run, the grouped matrix and the extra probes asked for.

    ``paths`` holds one probe record per ``--probe`` text, in the order given:
    the run's own record where the run made that probe, else one sent after
    the steps (with the frames it put on the wire).
    """

    run: Run
    matrix: GroupedMatrix
    paths: tuple[ProbeRecord, ...] = ()

    @property
    def topology(self) -> Topology:
        """Return the network after the steps."""
        return self.run.topology
