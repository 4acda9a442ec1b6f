"""How two scenarios' worlds differ: what ``netsim grade`` and ``netsim diff`` report.

A ``Comparison`` holds, for two replayed scenarios (a reference and a
student's answer, or two versions of one), the probes asked of both worlds
with each side's result and reason, the reference's expected outputs checked
against the student's, and the cells of the reachability matrices that
differ. Nothing here runs anything; ``netsim.session.grade`` builds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netsim.results.run import ExpectationResult


@dataclass(frozen=True, slots=True)
class Answer:
    """One side's answer to a probe: result, who served it, and why."""

    result: str | None
    served_by: str | None = None
    why: str = ""
    error: str | None = None

    @property
    def text(self) -> str:
        """Return the result as a line shows it (``open (served by web)``, ``not run``)."""
        if self.result is None:
            return f"not run ({self.error})" if self.error else "not run"
        if self.result == "open" and self.served_by:
            return f"open (served by {self.served_by})"
        return self.result

    def as_json(self) -> dict[str, Any]:
        """Return the answer as the comparison's JSON writes it."""
        out: dict[str, Any] = {"result": self.result, "served_by": self.served_by, "why": self.why}
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass(frozen=True, slots=True)
class ProbeComparison:
    """A probe asked of both worlds after their steps, and the two answers."""

    probe: str
    first: Answer
    second: Answer

    @property
    def agrees(self) -> bool:
        """Return whether both worlds answer alike (result and, when open, who served it)."""
        return (self.first.result, self.first.served_by) == (
            self.second.result,
            self.second.served_by,
        )

    def as_json(self) -> dict[str, Any]:
        """Return the comparison as JSON."""
        return {
            "probe": self.probe,
            "agrees": self.agrees,
            "reference": self.first.as_json(),
            "student": self.second.as_json(),
        }


@dataclass(frozen=True, slots=True)
class OutputCheck:
    """A reference command's ``expect_*`` checked against the student's output of it.

    ``typed`` is False when the student's steps do not have the command and it
    was run on the student's world after its steps.
    """

    index: int
    on: str
    command: str
    typed: bool
    checks: tuple[ExpectationResult, ...]

    @property
    def passed(self) -> bool:
        """Return whether every expectation held on the student's output."""
        return all(check.passed for check in self.checks)

    def as_json(self) -> dict[str, Any]:
        """Return the check as JSON."""
        return {
            "index": self.index,
            "on": self.on,
            "command": self.command,
            "typed": self.typed,
            "passed": self.passed,
            "expect": [check.as_json() for check in self.checks],
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two worlds compared: probes, expected outputs and the reachability cells that differ."""

    first: str
    second: str
    engine: str
    probes: tuple[ProbeComparison, ...]
    outputs: tuple[OutputCheck, ...] = ()
    reach: tuple[ProbeComparison, ...] = ()

    @property
    def passed(self) -> bool:
        """Return whether the second world does everything the first does."""
        return (
            all(p.agrees for p in self.probes)
            and all(o.passed for o in self.outputs)
            and all(r.agrees for r in self.reach)
        )

    @property
    def differences(self) -> int:
        """Return how many probes, outputs and matrix cells differ."""
        return (
            sum(not p.agrees for p in self.probes)
            + sum(not o.passed for o in self.outputs)
            + sum(not r.agrees for r in self.reach)
        )

    def as_json(self) -> dict[str, Any]:
        """Return the comparison as the JSON of ``netsim grade --json``."""
        return {
            "reference": self.first,
            "student": self.second,
            "engine": self.engine,
            "passed": self.passed,
            "differences": self.differences,
            "probes": [p.as_json() for p in self.probes],
            "outputs": [o.as_json() for o in self.outputs],
            "reach": [r.as_json() for r in self.reach],
        }
