"""The reachability matrix's values: rows, columns, cells, grouping and aggregation."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsim.dataplane.reach import reach_matrix
from netsim.results.reach import (
    LAN_GROUP,
    PUBLISHED_GROUP,
    Column,
    GroupedMatrix,
    Row,
    aggregate,
    group_matrix,
    probe_matrix,
    reach_endpoints,
)
from netsim.session import load_scenario, open_world, replay_world, snapshot_topology


def world_after(name: str):
    world = open_world(load_scenario(Path("scenarios") / f"{name}.yaml"))
    replay_world(world, probes=False)
    return world


def grouped_matrix_of(world):
    return group_matrix(reach_matrix(world), snapshot_topology(world))


def test_port_mapping_rows_and_columns_are_grouped_lan_network_published():
    sources, destinations = reach_endpoints(snapshot_topology(world_after("port-mapping")))
    assert [(s.name, s.group) for s in sources] == [
        ("host", LAN_GROUP),
        ("laptop", LAN_GROUP),
        ("docker_mysql", "bridge"),
    ]
    assert [(d.label, d.target, d.group) for d in destinations] == [
        ("docker_mysql:3306/tcp", "172.17.0.2:3306/tcp", "bridge"),
        ("host:12345/tcp", "192.168.1.10:12345/tcp", PUBLISHED_GROUP),
    ]


def test_a_port_bound_to_loopback_is_probed_at_loopback():
    _, destinations = reach_endpoints(snapshot_topology(world_after("port-host-address")))
    published = [d for d in destinations if d.group == PUBLISHED_GROUP]
    assert [(d.label, d.target) for d in published] == [
        ("host 127.0.0.1:12345/tcp", "127.0.0.1:12345/tcp"),
        ("host 127.0.0.1:32768/tcp", "127.0.0.1:32768/tcp"),
    ]


def test_probe_matrix_asks_once_per_cell_in_row_order():
    topology = snapshot_topology(world_after("port-mapping"))
    asked: list[tuple[str, str]] = []

    def probe(source: str, target: str) -> str:
        asked.append((source, target))
        return "open" if source == "host" else "timeout"

    matrix = probe_matrix(topology, probe)
    assert len(asked) == 3 * 2
    assert matrix.results == (("open", "open"), ("timeout", "timeout"), ("timeout", "timeout"))
    assert matrix.result("host", "host:12345/tcp") == "open"
    assert matrix.networks == ("bridge",)


def test_matrix_cells_are_the_data_planes_probe_results():
    from netsim.dataplane.probe import simulate_probe
    from netsim.scenario.spec import ProbeStep

    world = world_after("port-mapping")
    matrix = grouped_matrix_of(world)
    laptop = ProbeStep(index=0, line=0, src="laptop", dst="192.168.1.10", port=12345)
    assert matrix.result("laptop", "host:12345/tcp") == simulate_probe(world, laptop).result
    assert matrix.result("laptop", "host:12345/tcp") == "open"
    assert matrix.result("laptop", "docker_mysql:3306/tcp") == "unreachable"


def test_the_matrix_leaves_the_worlds_random_numbers_alone():
    world = world_after("port-mapping")
    state = world.rng.getstate()
    grouped_matrix_of(world)
    assert world.rng.getstate() == state


def test_a_matrix_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="expected 1 rows of 2 results, got \\[1\\]"):
        GroupedMatrix(
            "s",
            (Row("host", LAN_GROUP),),
            (Column("a", "1.2.3.4:1/tcp", "x"), Column("b", "t", "x")),
            (("open",),),
        )


def test_an_unknown_cell_is_a_key_error():
    matrix = GroupedMatrix("s", (Row("host", LAN_GROUP),), (Column("a", "t", "x"),), (("open",),))
    with pytest.raises(KeyError, match="no cell 'web' -> 'a' in the matrix of s"):
        matrix.result("web", "a")


def test_aggregate_counts_results_per_pair_of_groups_in_the_contracts_order():
    sources = (Row("host", LAN_GROUP), Row("a", "n1"), Row("b", "n1"))
    destinations = (
        Column("a:80", "t", "n1"),
        Column("b:80", "t", "n1"),
        Column("host:8080", "t", PUBLISHED_GROUP),
    )
    matrix = GroupedMatrix(
        "s",
        sources,
        destinations,
        (
            ("timeout", "open", "open"),
            ("open", "refused", "open"),
            ("unresolved", "open", "timeout"),
        ),
        ("n1",),
    )
    folded = aggregate(matrix)
    assert folded.row_groups == ((LAN_GROUP, 1), ("n1", 2))
    assert folded.column_groups == (("n1", 2), (PUBLISHED_GROUP, 1))
    assert folded.cells == (
        ((("open", 1), ("timeout", 1)), (("open", 1),)),
        ((("open", 2), ("refused", 1), ("unresolved", 1)), (("open", 1), ("timeout", 1))),
    )
    assert (folded.sources, folded.destinations, folded.networks) == (3, 3, ("n1",))


@pytest.mark.parametrize(
    "name", ["port-mapping", "two-networks", "icc-disabled", "port-host-address", "network-modes"]
)
def test_matrix_cells_equal_netsim_reach_cell_by_cell(name):
    world = world_after(name)
    plane = reach_matrix(world)
    matrix = grouped_matrix_of(world)
    assert sorted(s.name for s in matrix.sources) == sorted(plane.sources)
    assert len(matrix.destinations) == len(plane.destinations)
    expected = sorted((c.source, c.destination.target, str(c.result)) for c in plane.cells)
    drawn = sorted(
        (s.name, d.target, matrix.results[i][j])
        for i, s in enumerate(matrix.sources)
        for j, d in enumerate(matrix.destinations)
    )
    assert drawn == expected
    groups = [s.group for s in matrix.sources]
    assert groups[0] == LAN_GROUP and groups == sorted(groups, key=groups.index)
    assert len({d.label for d in matrix.destinations}) == len(matrix.destinations)


def test_the_compact_form_of_an_empty_matrix_reads_back_empty() -> None:
    from netsim.render.reach import format_reach_json
    from netsim.results.reach import ReachMatrix, read_reach_json

    empty = ReachMatrix((), (), ())
    import json

    data = json.loads(format_reach_json(empty, compact=True))
    assert data["codes"] == [] and data["classes"] == []
    assert read_reach_json(data) == empty


def test_the_compact_form_needs_every_pair() -> None:
    from ipaddress import IPv4Address

    from netsim.results.reach import Destination, ReachCell, ReachMatrix

    web = Destination("web", IPv4Address("172.17.0.2"), 80, "tcp")
    partial = ReachMatrix(("host", "laptop"), (web,), (ReachCell("host", web, "open", "web"),))
    with pytest.raises(ValueError, match="1 cells for 2 sources and 1 destinations"):
        partial.as_json(compact=True)


def test_the_compact_form_of_sources_without_destinations_has_empty_rows() -> None:
    from netsim.results.reach import ReachMatrix, read_reach_json

    lonely = ReachMatrix(("host", "laptop"), (), ())
    data = lonely.as_json(compact=True)
    assert data["codes"] == [[], []]
    assert read_reach_json(data) == lonely


def test_a_matrix_made_from_codes_equals_the_one_made_from_its_cells() -> None:
    from ipaddress import IPv4Address

    from netsim.results.reach import Destination, ReachCell, ReachMatrix

    web = Destination("web", IPv4Address("172.17.0.2"), 80, "tcp")
    db = Destination("db", IPv4Address("172.17.0.3"), 5432, "tcp")
    # Classes numbered in an order that is not first appearance: the compact
    # JSON still lists them as they first appear, as the cells' matrix does.
    classes = [("timeout", None), ("open", "web"), ("open", "db")]
    coded = ReachMatrix.from_codes(("host", "laptop"), (web, db), classes, [[1, 2], [1, 0]])
    cells = ReachMatrix(
        ("host", "laptop"),
        (web, db),
        (
            ReachCell("host", web, "open", "web"),
            ReachCell("host", db, "open", "db"),
            ReachCell("laptop", web, "open", "web"),
            ReachCell("laptop", db, "timeout", None),
        ),
    )
    assert coded == cells and hash(coded) == hash(cells)
    assert coded.as_json(compact=True) == cells.as_json(compact=True)
    assert coded.as_json(compact=True)["codes"] == [[0, 1], [0, 2]]
    assert coded.table() == cells.table() and coded.summary() == cells.summary()
    assert coded.as_json(compact=False) == cells.as_json(compact=False)


def test_a_matrix_from_codes_refuses_codes_that_do_not_fit() -> None:
    from array import array
    from ipaddress import IPv4Address

    from netsim.results.reach import Destination, ReachMatrix, read_reach_json

    web = Destination("web", IPv4Address("172.17.0.2"), 80, "tcp")
    classes = [("open", "web")]
    with pytest.raises(ValueError, match="1 rows of codes for 2 sources"):
        ReachMatrix.from_codes(("host", "laptop"), (web,), classes, [[0]])
    with pytest.raises(ValueError, match="the row of laptop has 2 codes for 1 destinations"):
        ReachMatrix.from_codes(("host", "laptop"), (web,), classes, [[0], [0, 0]])
    with pytest.raises(ValueError, match=r"code 3 in the row of host has no class \(there are 1\)"):
        ReachMatrix.from_codes(("host",), (web,), classes, [[3]])
    with pytest.raises(ValueError, match=r"code 7 in the row of host has no class \(there are 1\)"):
        ReachMatrix.from_codes(("host",), (web,), classes, [array("I", [7])])
    with pytest.raises(ValueError, match=r"code -1 in the row of host has no class"):
        ReachMatrix.from_codes(("host",), (web,), classes, [[-1]])
    with pytest.raises(ValueError, match="the row of host holds a code that is not a number"):
        read_reach_json(
            {
                "format": "netsim-reach-compact/1",
                "sources": ["host"],
                "destinations": [{"label": "web", "target": "172.17.0.2:80/tcp"}],
                "classes": [{"result": "open", "served_by": "web"}],
                "codes": [["0"]],
            }
        )


def test_a_matrix_is_frozen() -> None:
    from dataclasses import FrozenInstanceError

    from netsim.results.reach import ReachMatrix

    empty = ReachMatrix((), (), ())
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'sources'"):
        empty.sources = ("host",)  # type: ignore[misc]
