"""Write a run's result as a terminal-like transcript."""

from __future__ import annotations

import json
from typing import Any


def format_step(step: dict[str, Any]) -> str:
    """Return one step as it would appear in a terminal (``$ command`` then its output)."""
    if step["kind"] == "command":
        prompt = "$" if step["on"] == "host" else f"{step['on']} $"
        text = f"{prompt} {step['command']}\n{step['stdout']}{step['stderr']}"
        if step["exit_code"] != 0:
            text += f"[exit {step['exit_code']}]\n"
        return text
    if step["kind"] == "packet":
        text = f"# packet from {step['from']}: {step['packet']}: {step['result']}\n"
        if step.get("error"):
            text += f"#   {step['error']}\n"
        return text + "".join(f"#   {line}\n" for line in step.get("trace", []))
    if step.get("result") is None:
        line = f"# probe {step['from']} -> {step['to']}: not run ({step.get('error', '')})"
        if "expect" in step:
            line += f" [FAILED, expected {step['expect']}]"
        return line + "\n"
    line = f"# probe {step['from']} -> {step['to']}: {step['result']}"
    if step.get("served_by"):
        line += f" (served by {step['served_by']}, local {step['local']}, peer {step['peer']})"
    if "expect" in step:
        verdict = "ok" if step["passed"] else f"FAILED, expected {step['expect']}"
        line += f" [{verdict}]"
    return line + "\n"


def format_header(scenario: str, engine: str) -> str:
    """Return the transcript's first line."""
    return f"# scenario {scenario} on Docker {engine} (simulated)\n"


def format_transcript(result: dict[str, Any]) -> str:
    """Return the whole transcript of a run."""
    head = format_header(result["scenario"], result["engine"])
    return head + "".join(format_step(step) for step in result["steps"])


def format_json(result: dict[str, Any]) -> str:
    """Return the JSON result, stable byte for byte."""
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
