"""The reachability matrix agrees with one-by-one probes and shows isolation."""

from __future__ import annotations

import random

from netsim.dataplane.probe import simulate_probe
from netsim.dataplane.reach import reach_matrix
from netsim.scenario.spec import ProbeStep
from netsim.session import load_scenario_text, open_world, replay_world

TEXT = """
name: reach
machines:
  laptop: {address: 192.168.1.20/24, listen: [22/tcp]}
steps:
  - docker network create front
  - docker run -d --name web --network front -p 8080:80 nginx
  - docker run -d --name db redis
"""


def test_matrix_cells_are_what_probes_say():
    world = open_world(load_scenario_text(TEXT))
    replay_world(world)
    matrix = reach_matrix(world)
    assert matrix.sources == ("host", "laptop", "web", "db")
    cells = {(c.source, c.destination.target): c for c in matrix.cells}
    assert cells[("laptop", "192.168.1.10:8080/tcp")].served_by == "web"
    assert cells[("db", "172.18.0.2:80/tcp")].result == "timeout"  # other network
    assert cells[("web", "192.168.1.20:22/tcp")].served_by == "laptop"
    for (source, target), cell in cells.items():
        address, _, rest = target.partition(":")
        port, _, proto = rest.partition("/")
        step = ProbeStep(0, 0, source, address, int(port), proto)  # type: ignore[arg-type]
        alone = simulate_probe(world, step, record=False, rng=random.Random(1))
        assert alone.result == cell.result, (source, target)
    assert "from \\ to" in matrix.table()
    assert matrix.as_json()["cells"][0]["from"] == "host"
