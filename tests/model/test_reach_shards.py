"""A reach answered in slices of its sources, joined, is the whole matrix, byte for byte.

Each slice draws and drops the random numbers of the rows before it and
groups its own cells afresh, so a slice that started mid-class, or whose
first row is a source the whole run answered from another's memo, still
gives every cell the answer the whole run gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netsim.render.reach import format_reach_json
from netsim.results.reach import ReachMatrix
from netsim.session import Session, load_scenario, load_scenario_text

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

# Three networks of alike containers, one of them alone, a machine and the
# host: symmetry classes that a slice boundary cuts through.
WIDE = "name: wide\nmachines:\n  laptop: {address: 192.168.1.20/24, listen: [22/tcp]}\nsteps:\n"
WIDE += "".join(f"  - docker network create net{k}\n" for k in range(3))
WIDE += "".join(
    f"  - docker run -d --name c{i} --network net{i % 3} -p {20000 + i}:80 nginx\n"
    for i in range(13)
)
WIDE += "  - docker run -d --name lone redis\n"


def _sliced(session: Session, shards: int) -> ReachMatrix:
    count = len(session.reach().sources)
    parts = [
        session.reach(rows=range(count * i // shards, count * (i + 1) // shards))
        for i in range(shards)
    ]
    return ReachMatrix.joined(parts)


@pytest.mark.parametrize("shards", [2, 3, 7])
def test_slices_of_a_wide_world_join_into_the_whole(shards: int) -> None:
    session = Session(load_scenario_text(WIDE))
    session.replay(probes=False)
    whole = session.reach()
    joined = _sliced(session, shards)
    assert joined == whole
    for compact in (False, True):
        assert format_reach_json(joined, compact=compact) == format_reach_json(
            whole, compact=compact
        )
    assert joined.text() == whole.text()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_sliced_in_three_joins_into_the_whole(path: Path) -> None:
    session = Session(load_scenario(path))
    session.replay(probes=False)
    whole = session.reach()
    if len(whole.sources) < 2:
        pytest.skip("one source: nothing to slice")
    joined = _sliced(session, 3)
    assert format_reach_json(joined, compact=True) == format_reach_json(whole, compact=True)
    assert joined == whole


def test_a_slice_is_the_matching_rows_of_the_whole() -> None:
    session = Session(load_scenario_text(WIDE))
    session.replay(probes=False)
    whole = session.reach()
    part = session.reach(rows=range(5, 9))
    assert part.sources == whole.sources[5:9]
    width = len(whole.destinations)
    assert part.cells == whole.cells[5 * width : 9 * width]


def test_rows_outside_the_sources_and_joining_nothing_are_refused() -> None:
    session = Session(load_scenario_text(WIDE))
    session.replay(probes=False)
    count = len(session.reach().sources)
    with pytest.raises(ValueError, match=rf"rows 0\.\.{count + 1} .* slice of the {count} sources"):
        session.reach(rows=range(count + 1))
    with pytest.raises(ValueError, match="only the flow method answers a slice"):
        session.reach(rows=range(1), method="packets")
    with pytest.raises(ValueError, match="nothing to join"):
        ReachMatrix.joined([])
    other = Session(load_scenario(ROOT / "scenarios" / "two-networks.yaml"))
    other.replay(probes=False)
    with pytest.raises(ValueError, match="different destinations"):
        ReachMatrix.joined([session.reach(rows=range(1)), other.reach(rows=range(1))])
