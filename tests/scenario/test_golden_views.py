"""Scenario tier: what `netsim trace`, `reach` and `diagram` print for every scenario (goldens).

Made by running the command line (``NETSIM_REGENERATE=1 pytest tests/scenario``)
and reviewed by reading them. They were first written before the session
refactor, so the refactor is checked byte for byte against the old house.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from netsim.cli import main
from netsim.docker.engines import engine_names
from netsim.scenario.spec import ProbeStep
from netsim.session import load_scenario

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden-views"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
ENGINES = engine_names()
REGENERATE = os.environ.get("NETSIM_REGENERATE") == "1"


def _cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return f"[exit {code}]\n{out.getvalue()}{err.getvalue()}"


def _probes(path: Path) -> list[ProbeStep]:
    return [s for s in load_scenario(path).steps if isinstance(s, ProbeStep)]


def _check(golden: Path, text: str) -> None:
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"{golden.name} missing: NETSIM_REGENERATE=1 pytest {__file__}"
    assert text.encode("utf-8") == golden.read_bytes(), (
        f"{golden.relative_to(ROOT)} differs: read the new output, then regenerate"
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_reach_and_diagram_match_golden(path: Path, engine: str) -> None:
    text = "$ netsim reach\n" + _cli("reach", str(path), "--engine", engine)
    text += "$ netsim reach --json -\n" + _cli(
        "reach", str(path), "--engine", engine, "--json", "-"
    )
    for fmt in ("mermaid", "dot"):
        text += f"$ netsim diagram --format {fmt}\n" + _cli(
            "diagram", str(path), "--engine", engine, "--format", fmt
        )
    _check(GOLDEN / engine / f"{path.stem}.views.txt", text)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_trace_matches_golden(path: Path) -> None:
    """Every probe of the scenario traced after its steps, on the scenario's own engine."""
    text = ""
    for index, step in enumerate(_probes(path)):
        probe = f"{step.src} -> {step.target}"
        argv = ["trace", str(path), "--probe", probe]
        if step.proto == "icmp" and "/" not in step.target:
            argv += ["--proto", "icmp"]
        if index == 0:
            argv.append("--frames")
        shown = " ".join(repr(a) if " " in a else a for a in argv[2:])
        text += f"$ netsim trace FILE {shown}\n" + _cli(*argv)
    _check(GOLDEN / "trace" / f"{path.stem}.txt", text)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_brief_trace_matches_golden(path: Path) -> None:
    """Every probe of the scenario traced with --brief after its steps, on its own engine."""
    text = ""
    for step in _probes(path):
        argv = ["trace", str(path), "--probe", f"{step.src} -> {step.target}", "--brief"]
        if step.proto == "icmp" and "/" not in step.target:
            argv += ["--proto", "icmp"]
        shown = " ".join(repr(a) if " " in a else a for a in argv[2:])
        text += f"$ netsim trace FILE {shown}\n" + _cli(*argv)
    _check(GOLDEN / "brief" / f"{path.stem}.txt", text)
