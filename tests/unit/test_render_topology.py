"""The topology values and their layout: what every picture and diagram is drawn from."""

from __future__ import annotations

from ipaddress import IPv4Interface
from itertools import combinations
from pathlib import Path

import pytest

from netsim.render.layout import Box, container_lines, layout_topology, published_lines
from netsim.render.topology import topology_graph, wires
from netsim.session import Session, load_scenario, load_scenario_text, replay

SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))


def topology_after(text_or_path):
    scenario = (
        load_scenario(text_or_path)
        if isinstance(text_or_path, Path)
        else load_scenario_text(text_or_path)
    )
    return replay(scenario, probes=False).topology


def generated(containers: int, networks: int = 1, linked: bool = False) -> str:
    """Return a scenario with ``containers`` containers spread over ``networks`` networks."""
    names = ["bridge"] + [f"net{i}" for i in range(1, networks)]
    steps = [f"  - docker network create {name}" for name in names[1:]]
    for index in range(containers):
        network = names[index % networks]
        flag = "" if network == "bridge" else f" --network {network}"
        publish = f" -p {10000 + index}:80" if index % 3 == 0 else ""
        link = (
            f" --link c{index - 1:02d}:alias{index}"
            if linked and network == "bridge" and index % 4 == 3
            else ""
        )
        steps.append(f"  - docker run -d --name c{index:02d}{flag}{publish}{link} nginx")
    return (
        "name: generated\nmachines:\n  laptop: {address: 192.168.1.20/24}\nsteps:\n"
        + "\n".join(steps)
        + "\n"
    )


def overlapping(boxes: list[Box]) -> list[tuple[str, str]]:
    return [
        (a.key, b.key)
        for a, b in combinations(boxes, 2)
        if a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom
    ]


def test_topology_of_the_link_tutorial_has_docker0_its_containers_ports_and_link():
    session = Session(load_scenario(Path("scenarios/link-tomcat-mysql.yaml")))
    topology = session.replay(probes=False).topology
    world = session.world
    bridge = topology.group("bridge")
    assert (bridge.bridge, str(bridge.subnet), bridge.default_bridge) == (
        "docker0",
        "172.17.0.0/16",
        True,
    )
    mysqldb = world.container("mysqldb")
    node = next(c for c in topology.containers if c.name == "mysqldb")
    assert node.image == "mysql:5.6.35"
    assert [(a.network, a.address, a.host_veth, a.ifname) for a in node.attachments] == [
        ("bridge", e.address, e.host_veth, e.ifname) for e in mysqldb.endpoints.values()
    ]
    assert [(p.host_port, p.container_port) for p in node.published] == [(1234, 3306)] * 2
    assert [(link.parent, link.child, link.alias) for link in topology.links] == [
        ("tomcatApp", "mysqldb", "MySQL")
    ]
    assert published_lines(topology.published) == ["0.0.0.0:1234, [::]:1234 → mysqldb:3306/tcp"]


def test_network_modes_get_host_and_none_groups_and_a_sharer_follows_its_host():
    topology = topology_after(Path("scenarios/network-modes.yaml"))
    assert [g.name for g in topology.groups] == ["bridge", "host", "none"]
    by_name = {c.name: c for c in topology.containers}
    assert by_name["hosty"].group == "host"
    assert by_name["alone"].group == "none"
    assert (by_name["sidecar"].group, by_name["sidecar"].shares) == ("bridge", "web")
    order = [c.name for c in topology.members("bridge")]
    assert order.index("sidecar") == order.index("web") + 1
    assert "in web's namespace" in container_lines(by_name["sidecar"], topology)


def test_a_container_on_two_networks_is_drawn_in_the_leftmost_with_a_veth_per_network():
    topology = topology_after(Path("scenarios/two-networks.yaml"))
    app = next(c for c in topology.containers if c.name == "app")
    order = [g.name for g in topology.groups]
    assert app.group == min((a.network for a in app.attachments), key=order.index)
    veths = [w for w in wires(topology) if w.kind == "veth" and w.b == "container:app"]
    assert sorted(w.counter for w in veths) == sorted(
        ("host", a.host_veth) for a in app.attachments
    )


def test_graph_has_a_wire_per_cable_uplink_veth_and_link():
    graph = topology_graph(topology_after(Path("scenarios/link-tomcat-mysql.yaml")))
    kinds = sorted(data["kind"] for _, _, data in graph.edges(data=True))
    assert kinds == ["lan", "link", "uplink", "veth", "veth"]
    assert graph.nodes["bridge:docker0"]["kind"] == "bridge"


def test_a_stopped_container_is_drawn_in_its_network_without_an_endpoint():
    text = (
        "name: stopped\nsteps:\n  - docker network create app\n"
        "  - docker run -d --name db --network app redis\n  - docker stop db\n"
    )
    topology = topology_after(text)
    db = topology.containers[0]
    assert (db.group, db.running, db.attachments) == ("app", False, ())
    layout = layout_topology(topology)
    assert layout.box("container:db").style == "stopped"


def test_a_container_created_on_a_network_that_does_not_exist_is_not_drawn_in_none():
    # `docker create --network nosuch` succeeds (start is what fails), and
    # `docker network rm` can leave a stopped container's network gone.
    text = (
        "name: missing\nsteps:\n  - docker create --name lost --network nosuch busybox\n"
        "  - docker network create app\n  - docker create --name gone --network app busybox\n"
        "  - docker network rm app\n  - docker create --name quiet --network none busybox\n"
    )
    topology = topology_after(text)
    kinds = {g.name: g.kind for g in topology.groups}
    assert kinds == {"bridge": "bridge", "none": "none", "nosuch": "missing", "app": "missing"}
    groups = {c.name: c.group for c in topology.containers}
    assert groups == {"lost": "nosuch", "gone": "app", "quiet": "none"}
    lines = {box.key: box.lines for box in layout_topology(topology).boxes}
    assert lines["group:nosuch"] == ("network nosuch", "no such network: attached to nothing")


def test_a_container_created_to_join_a_missing_container_is_drawn_in_that_mode_not_in_none():
    # `docker create --network container:nosuch` succeeds on both engines
    # (create-errors.yaml); only its start fails.
    text = (
        "name: joined\nsteps:\n"
        "  - docker create --name joined --network container:nosuch busybox\n"
        "  - docker run -d --name web nginx\n"
        "  - docker create --name side --network container:web busybox\n"
    )
    topology = topology_after(text)
    kinds = {g.name: g.kind for g in topology.groups}
    assert kinds == {"bridge": "bridge", "container:nosuch": "missing"}
    groups = {c.name: (c.group, c.shares) for c in topology.containers}
    assert groups == {
        "joined": ("container:nosuch", ""),
        "web": ("bridge", ""),
        "side": ("bridge", "web"),
    }
    lines = {box.key: box.lines for box in layout_topology(topology).boxes}
    assert lines["group:container:nosuch"] == (
        "network container:nosuch",
        "no such container: attached to nothing",
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_layout_of_every_scenario_has_a_box_per_container_and_no_overlap(path):
    topology = topology_after(path)
    layout = layout_topology(topology)
    keys = {b.key for b in layout.boxes}
    assert {c.node for c in topology.containers} <= keys
    assert {f"machine:{m.name}" for m in topology.machines} <= keys
    assert overlapping(list(layout.boxes)) == []
    assert all(
        0 <= b.x and b.right <= layout.width and 0 <= b.y and b.bottom <= layout.height
        for b in layout.boxes
    )


@pytest.mark.parametrize("networks", [1, 3])
def test_thirty_containers_are_all_drawn_without_overlap(networks):
    topology = topology_after(generated(30, networks, linked=True))
    for traffic in (False, True):
        layout = layout_topology(topology, traffic=traffic)
        assert layout.collapsed == ()
        assert sum(1 for b in layout.boxes if b.key.startswith("container:")) == 30
        assert overlapping(list(layout.boxes)) == []


def test_more_than_thirty_containers_collapse_the_largest_groups_into_summaries():
    topology = topology_after(generated(45, 3))
    layout = layout_topology(topology)
    assert layout.collapsed
    shown = sum(1 for b in layout.boxes if b.key.startswith("container:"))
    summaries = [b for b in layout.boxes if b.style == "summary"]
    assert shown + len(summaries) <= 30
    assert summaries[0].lines[0] == "15 containers (15 running)"
    folded = next(s for s in layout.segments if s.style == "veth" and len(s.wires) > 1)
    assert len(folded.wires) == 15


def test_layout_is_deterministic():
    text = generated(12, 2, linked=True)
    first = layout_topology(topology_after(text))
    second = layout_topology(topology_after(text))
    assert first == second


def test_group_lookup_names_the_missing_network():
    topology = topology_after(Path("scenarios/port-mapping.yaml"))
    with pytest.raises(KeyError, match="no network 'nope' in the topology of port-mapping"):
        topology.group("nope")
    with pytest.raises(KeyError, match="no box 'nope' in the layout"):
        layout_topology(topology).box("nope")


def test_machines_keep_their_address_and_listeners():
    topology = topology_after(Path("scenarios/publish-forms.yaml"))
    laptop = topology.machines[0]
    assert (laptop.name, laptop.address, laptop.listen) == (
        "laptop",
        IPv4Interface("192.168.1.20/24"),
        ("53/udp",),
    )
