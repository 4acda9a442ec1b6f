"""Diagrams checked by the real tools: Graphviz's dot and Mermaid's parser in headless Chromium.

``scripts/setup-render-tools.sh`` installs both; where they are missing these
tests are skipped with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from netsim.render.diagram import (
    find_dot,
    format_dot,
    format_mermaid,
    write_diagram,
)
from netsim.session import load_scenario, load_scenario_text, replay

ROOT = Path(__file__).parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
TOOLS = ROOT / ".render-tools"
CHECKER = TOOLS / "mermaid-check.cjs"
SETUP = "run scripts/setup-render-tools.sh"

needs_dot = pytest.mark.skipif(
    find_dot() is None, reason=f"Graphviz's dot is not installed ({SETUP})"
)
needs_mermaid = pytest.mark.skipif(
    shutil.which("node") is None or not CHECKER.exists() or not Path("/usr/bin/chromium").exists(),
    reason=f"node, Chromium or the Mermaid checker in .render-tools/ is missing ({SETUP})",
)

# Names Mermaid and DOT must survive: dots, dashes, underscores, a keyword.
AWKWARD = """\
name: awkward
machines:
  end: {address: 192.168.1.30/24, listen: [22/tcp]}
steps:
  - docker network create my-net.v2
  - docker network create --internal subgraph
  - docker run -d --name web.1-a --network my-net.v2 -p 8080:80 nginx
  - docker run -d --name graph_db --network subgraph redis
  - docker network connect subgraph web.1-a
  - docker run -d --name end --link graph_db nginx
  - docker run -d --name side --network container:end busybox sleep 1
  - docker run -d --name stopped redis
  - docker stop stopped
"""


def topologies():
    scenarios = [load_scenario(path) for path in SCENARIOS]
    scenarios.append(load_scenario_text(AWKWARD))
    return [replay(scenario, probes=False).topology for scenario in scenarios]


def run_checker(files: list[Path]) -> list[dict]:
    done = subprocess.run(
        ["node", str(CHECKER), str(TOOLS), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@needs_mermaid
def test_mermaid_of_every_scenario_is_parsed_and_rendered_by_mermaid(tmp_path):
    files = []
    for topology in topologies():
        file = tmp_path / f"{topology.scenario}.mmd"
        file.write_text(format_mermaid(topology), encoding="utf-8")
        files.append(file)
    answers = run_checker(files)
    assert [a["file"] for a in answers] == [str(f) for f in files]
    failed = {Path(a["file"]).stem: a.get("error") for a in answers if not a["ok"]}
    assert failed == {}
    assert {a["type"] for a in answers} == {"flowchart-v2"}


@needs_mermaid
def test_the_mermaid_checker_does_reject_a_broken_diagram(tmp_path):
    broken = tmp_path / "broken.mmd"
    broken.write_text('flowchart TB\n  a["unclosed --> b\n', encoding="utf-8")
    (answer,) = run_checker([broken])
    assert answer["ok"] is False and "Parse error" in answer["error"]


@needs_dot
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_dot_of_every_scenario_is_accepted_by_graphviz(tmp_path, fmt):
    for topology in topologies():
        done = subprocess.run(
            [find_dot(), f"-T{fmt}"],
            input=format_dot(topology).encode(),
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, (topology.scenario, done.stderr.decode())
        assert b"Warning" not in done.stderr and b"Error" not in done.stderr


@needs_dot
def test_write_diagram_renders_svg_and_png_with_every_container(tmp_path):
    topology = replay(load_scenario(ROOT / "scenarios/two-networks.yaml"), probes=False).topology
    svg = write_diagram(topology, "svg", tmp_path / "d.svg").decode()
    for name in ("web", "app", "db", "gateway 172.18.0.1", "laptop"):
        assert name in svg
    png = write_diagram(topology, "png", tmp_path / "d.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" == (tmp_path / "d.png").read_bytes()[:8]


@needs_dot
def test_graphviz_rejects_broken_dot_with_its_message():
    from netsim.errors import NetsimError
    from netsim.render.diagram import render_dot

    with pytest.raises(NetsimError, match="Graphviz's dot failed on the diagram: .*syntax"):
        render_dot("digraph { a -> }", "svg")
