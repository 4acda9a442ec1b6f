"""Write a run as a terminal-like transcript, and as the contract's JSON."""

from __future__ import annotations

import json

from netsim.results.run import CommandRecord, PacketRecord, Run, StepRecord


def format_step(step: StepRecord) -> str:
    """Return one step as it would appear in a terminal (``$ command`` then its output)."""
    if isinstance(step, CommandRecord):
        text = f"{step.prompt} {step.command}\n{step.stdout}{step.stderr}"
        if step.exit_code != 0:
            text += f"[exit {step.exit_code}]\n"
        for check in step.checks:
            verdict = "ok" if check.passed else f"FAILED, {check.actual}"
            text += f"# {check.label} [{verdict}]\n"
        return text
    if isinstance(step, PacketRecord):
        text = f"# packet from {step.src}: {step.packet}: {step.result}\n"
        if step.error:
            text += f"#   {step.error}\n"
        return text + "".join(f"#   {line}\n" for line in step.trace or ())
    if step.result is None:
        line = f"# probe {step.probe}: not run ({step.error or ''})"
        if step.expect is not None:
            line += f" [FAILED, expected {step.expect}]"
        return line + "\n"
    line = f"# probe {step.probe}: {step.result}"
    if step.result == "open" and step.served_by:
        line += f" (served by {step.served_by}, local {step.local}, peer {step.peer})"
    if step.expect is not None:
        verdict = "ok" if step.passed else f"FAILED, expected {step.expect}"
        line += f" [{verdict}]"
    line += "\n"
    if step.why is not None:
        line += f"#   why: {step.why.text}\n"
    return line


def format_header(scenario: str, engine: str) -> str:
    """Return the transcript's first line."""
    return f"# scenario {scenario} on Docker {engine} (simulated)\n"


def format_transcript(run: Run) -> str:
    """Return the whole transcript of a run."""
    return format_header(run.scenario, run.engine) + "".join(format_step(s) for s in run.steps)


def format_json(run: Run) -> str:
    """Return the JSON result, stable byte for byte."""
    return json.dumps(run.as_json(), indent=2, ensure_ascii=False) + "\n"
