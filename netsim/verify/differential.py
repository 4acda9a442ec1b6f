"""Differential runs: a generated scenario on a real engine and on netsim, and the minimiser.

``disagreements(real, simulated)`` compares two results with the harness's
normalisation and names each disagreeing step's *class*: the command family
(``docker port``, ``iptables -t nat -S``, ``exec ip route``, ``probe tcp``)
and the field that differs (``stdout``, ``exit_code``, ``result``...).

``minimise(scenario, still_disagrees)`` shrinks a disagreeing scenario by
delta debugging over its steps: it tries dropping chunks of steps, each chunk
together with every later step that needs a container or network the chunk
makes (so what is left stays a scenario people could type), and keeps a
smaller scenario whenever the oracle says it still disagrees.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netsim.verify.fuzz import Generated, GeneratedStep
from netsim.verify.normalise import StepComparison, compare_results

DisagreementClass = tuple[str, str]


def command_family(command: str, on: str = "host") -> str:
    """Return the family of a command: what a disagreement is filed under.

    ``docker network inspect -f '...' n`` → ``docker network inspect -f``;
    ``iptables -t nat -S DOCKER`` → ``iptables -t nat -S``; a command in a
    container → ``exec `` + its first words.
    """
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    if not words:
        return command
    if words[0] == "docker" and len(words) > 1 and words[1] == "exec":
        rest = [w for w in words[2:] if not w.startswith("-")]
        return "exec " + " ".join(rest[1:3])
    if on != "host":
        return "exec " + " ".join(words[:2])
    if words[0] == "docker":
        family = words[:3] if len(words) > 2 and words[1] == "network" else words[:2]
        flags = [w for w in words[len(family) :] if w in ("-a", "-f", "--format", "-P")]
        return " ".join(family + flags[:1])
    if words[0] in ("iptables", "iptables-save"):
        kept = []
        for i, word in enumerate(words[1:], start=1):
            if word == "-t" and i + 1 < len(words):
                kept += [word, words[i + 1]]
            elif word in ("-S", "-L", "-A", "-I", "-D", "-N", "-P", "-F", "-X"):
                kept.append(word)
                break
        return " ".join([words[0], *kept])
    return " ".join(words[:2])


def step_class(step: StepComparison, result: dict[str, Any]) -> list[DisagreementClass]:
    """Return the classes of one disagreeing step (one per differing field)."""
    if step.kind == "probe":
        by_index = {s.get("index"): s for s in result.get("steps", [])}
        original = by_index.get(step.index, {})
        proto = "icmp" if original.get("to", "").count(":") == 0 else "tcp/udp"
        family = f"probe {proto}"
    else:
        on, _, command = step.label.partition("$ ")
        family = command_family(command, on)
    return [(family, name) for name, _, _ in step.differences]


@dataclass(frozen=True, slots=True)
class Difference:
    """How netsim and one real engine compare on one scenario."""

    engine: str
    comparisons: tuple[StepComparison, ...]
    classes: frozenset[DisagreementClass]

    @property
    def agreed(self) -> int:
        """Return how many steps agree."""
        return sum(1 for step in self.comparisons if step.agrees)

    @property
    def first_disagreement(self) -> int | None:
        """Return the index of the first disagreeing step, None when all agree."""
        return next((step.index for step in self.comparisons if not step.agrees), None)


def disagreements(real: dict[str, Any], simulated: dict[str, Any], engine: str) -> Difference:
    """Compare netsim's result with a real engine's, and classify what differs."""
    comparisons = tuple(compare_results(real, simulated))
    classes = {cls for step in comparisons if not step.agrees for cls in step_class(step, real)}
    return Difference(engine, comparisons, frozenset(classes))


# ------------------------------------------------------------------ minimising


def without(steps: tuple[GeneratedStep, ...], dropped: Iterable[int]) -> tuple[GeneratedStep, ...]:
    """Return the steps left after dropping ``dropped`` and every step that needs them.

    A step that needs a name only a dropped step made is dropped too, in order,
    so no remaining step refers to a container or network that was never made.
    """
    gone = set(dropped)
    lost: set[str] = set()
    kept = []
    for index, step in enumerate(steps):
        if index in gone or step.needs & lost:
            lost |= step.makes
            continue
        kept.append(step)
    return tuple(kept)


def minimise(
    scenario: Generated,
    still_disagrees: Callable[[Generated], bool],
    *,
    progress: Callable[[str], None] | None = None,
) -> Generated:
    """Return the smallest scenario found that still disagrees (ddmin over steps).

    ``still_disagrees`` is the oracle (replays on a real engine and netsim in
    the harness; a plain function in the tests). It is never asked about an
    empty scenario, and the scenario given is assumed to disagree.
    """
    steps = scenario.steps
    chunks = 2
    while len(steps) >= 2:
        size = max(1, len(steps) // chunks)
        starts = list(range(0, len(steps), size))
        shrunk = False
        for start in starts:
            candidate = without(steps, range(start, start + size))
            if not candidate or candidate == steps:
                continue
            if still_disagrees(scenario.with_steps(candidate)):
                if progress:
                    progress(f"  minimise: {len(steps)} -> {len(candidate)} steps")
                steps = candidate
                chunks = max(chunks - 1, 2)
                shrunk = True
                break
        if shrunk:
            continue
        if size == 1:
            break
        chunks = min(chunks * 2, len(steps))
    return scenario.with_steps(steps)


def truncate_after(scenario: Generated, index: int) -> Generated:
    """Return the scenario's steps up to and including step ``index``."""
    return scenario.with_steps(scenario.steps[: index + 1])


# ------------------------------------------------------------------ saving


def save_scenario(scenario: Generated, directory: Path) -> Path:
    """Write a scenario's YAML as ``directory/<name>.yaml``; return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{scenario.name}.yaml"
    path.write_text(scenario.text)
    return path


def format_table(counts: dict[tuple[str, DisagreementClass], int]) -> str:
    """Return the table of disagreement classes: engine, command, field, scenarios."""
    rows = [("engine", "command", "field", "scenarios")]
    for (engine, (family, name)), number in sorted(
        counts.items(), key=lambda item: (item[0][0], -item[1], item[0][1])
    ):
        rows.append((engine, family, name, str(number)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        for row in rows
    )
