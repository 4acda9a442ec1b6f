"""Write a comparison of two worlds as text: what ``netsim grade`` and ``netsim diff`` print."""

from __future__ import annotations

import json

from netsim.results.grade import Answer, Comparison, OutputCheck, ProbeComparison


def _answer_lines(name: str, answer: Answer, width: int) -> list[str]:
    line = f"    {name + ':':<{width + 1}} {answer.text}"
    if answer.why:
        line += f"\n    {'':<{width + 1}}   {answer.why}"
    return [line]


def _probe_lines(comparison: ProbeComparison, names: tuple[str, str], *, prefix: str) -> list[str]:
    width = max(len(n) for n in names)
    if comparison.agrees:
        return [f"{prefix} {comparison.probe}: same ({comparison.first.text})"]
    return [
        f"{prefix} {comparison.probe}: DIFFERS",
        *_answer_lines(names[0], comparison.first, width),
        *_answer_lines(names[1], comparison.second, width),
    ]


def _output_lines(check: OutputCheck, student: str) -> list[str]:
    where = "" if check.on == "host" else f"{check.on} $ "
    typed = "" if check.typed else f" (not among the {student}'s steps; run after them)"
    head = f"output of step {check.index} `{where}{check.command}`{typed}:"
    lines = [f"{head} {'ok' if check.passed else 'DIFFERS'}"]
    for result in check.checks:
        verdict = "ok" if result.passed else f"FAILED, {result.actual}"
        lines.append(f"    {result.label} [{verdict}]")
    return lines


def format_comparison(comparison: Comparison, names: tuple[str, str]) -> str:
    """Return the comparison as text; ``names`` call the two sides (reference, student)."""
    lines = [
        f"# {names[1]} {comparison.second} against {names[0]} {comparison.first} "
        f"(Docker {comparison.engine}, simulated)"
    ]
    for probe in comparison.probes:
        lines.extend(_probe_lines(probe, names, prefix="probe"))
    for check in comparison.outputs:
        lines.extend(_output_lines(check, names[1]))
    if comparison.reach:
        lines.append(f"reachability: {len(comparison.reach)} cell(s) differ")
        for cell in comparison.reach:
            lines.extend(_probe_lines(cell, names, prefix="  reach"))
    else:
        lines.append("reachability: the same in both worlds")
    if comparison.passed:
        lines.append(f"result: the {names[1]}'s world does what the {names[0]}'s does")
    else:
        lines.append(
            f"result: {comparison.differences} difference(s); the {names[1]}'s world "
            f"does not do what the {names[0]}'s does"
        )
    return "\n".join(lines) + "\n"


def format_comparison_json(comparison: Comparison) -> str:
    """Return the comparison's JSON, stable byte for byte."""
    return json.dumps(comparison.as_json(), indent=2, ensure_ascii=False) + "\n"
