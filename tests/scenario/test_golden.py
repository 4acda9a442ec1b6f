"""Scenario tier: every example scenario's transcript and JSON, on both engines, as golden files.

The golden files are made by running the simulator (``NETSIM_REGENERATE=1
pytest tests/scenario``) and reviewed by reading them; a change in any output
byte fails here until the new output has been read and regenerated.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netsim.docker.engines import engine_names
from netsim.render.transcript import format_json, format_transcript
from netsim.session import load_scenario, replay

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
ENGINES = engine_names()
REGENERATE = os.environ.get("NETSIM_REGENERATE") == "1"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_output_matches_golden(path: Path, engine: str) -> None:
    result = replay(load_scenario(path), engine)
    outputs = {
        GOLDEN / engine / f"{path.stem}.txt": format_transcript(result),
        GOLDEN / engine / f"{path.stem}.json": format_json(result),
    }
    for golden, text in outputs.items():
        if REGENERATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(text.encode("utf-8"))
        assert golden.exists(), f"{golden.name} missing: NETSIM_REGENERATE=1 pytest {__file__}"
        assert text.encode("utf-8") == golden.read_bytes(), (
            f"{golden.relative_to(ROOT)} differs: read the new output, then regenerate"
        )


def test_every_golden_file_has_a_scenario() -> None:
    names = {p.stem for p in SCENARIOS}
    stale = [g for g in GOLDEN.glob("*/*") if g.stem not in names]
    assert not stale, f"golden files without a scenario: {stale}"
