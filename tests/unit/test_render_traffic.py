"""Traffic values: frames counted per interface and wire, and a probe's path with its NAT."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

from netsim.dataplane.trace import FrameEvent, NatEvent
from netsim.render.topology import wires
from netsim.render.traffic import (
    InterfaceCount,
    NatNote,
    ProbePath,
    Traffic,
    build_traffic,
    count_frames,
    path_from_events,
    probe_path,
)
from netsim.session import Session, load_scenario, pictures, replay

A, B = IPv4Address("192.168.1.20"), IPv4Address("192.168.1.10")
C = IPv4Address("172.17.0.2")


class Seen:
    def __init__(self, node: str, interface: str, direction: str, size_bytes: int = 0) -> None:
        self.node, self.interface, self.direction = node, interface, direction
        self.size_bytes = size_bytes


def test_count_frames_counts_both_directions_per_interface_sorted():
    traffic = count_frames(
        [
            Seen("host", "eth0", "rx", 60),
            Seen("host", "eth0", "tx", 74),
            Seen("host", "docker0", "tx", 60),
        ]
    )
    assert traffic.counts == (
        InterfaceCount("host", "docker0", 1, 60),
        InterfaceCount("host", "eth0", 2, 134),
    )
    assert traffic.count("host", "eth0") == (2, 134)
    assert traffic.count("laptop", "eth0") == (0, 0)


def test_per_wire_reads_each_wire_on_its_counter_interface():
    topology = replay(load_scenario(Path("scenarios/port-mapping.yaml"))).topology
    edges = wires(topology)
    veth = next(w for w in edges if w.kind == "veth")
    traffic = Traffic(
        (
            InterfaceCount("host", veth.counter[1], 5, 300),
            InterfaceCount("docker_mysql", "eth0", 99, 9999),
        )
    )
    per_wire = traffic.per_wire(edges)
    assert per_wire[edges.index(veth)] == (5, 300)
    assert sum(p for p, _ in per_wire.values()) == 5  # the container's end counts nothing
    assert all(edges[i].counter is not None for i in per_wire)


def test_path_from_events_keeps_hops_in_order_and_only_forward_nat():
    flow = (6, A, 40000, B, 12345)
    natted = (6, A, 40000, C, 3306)
    events = [
        FrameEvent(0.0, "laptop", "eth0", "tx", "SYN"),
        FrameEvent(0.1, "host", "eth0", "rx", "SYN"),
        NatEvent(0.1, "host", "PREROUTING", "DNAT", flow, natted),
        FrameEvent(0.2, "host", "docker0", "tx", "SYN"),
        FrameEvent(0.3, "host", "eth0", "tx", "SYN-ACK"),
        NatEvent(0.3, "host", "PREROUTING", "un-DNAT", natted, flow),
        NatEvent(0.4, "host", "PREROUTING", "DNAT", flow, natted),
    ]
    path = path_from_events("laptop -> 192.168.1.10:12345/tcp", "open", events)
    assert path.hops == (("laptop", "eth0"), ("host", "eth0"), ("host", "docker0"))
    assert path.nat == (
        NatNote(
            "host",
            "DNAT",
            "192.168.1.20:40000 -> 192.168.1.10:12345/tcp",
            "192.168.1.20:40000 -> 172.17.0.2:3306/tcp",
        ),
    )
    assert path.nat[0].text.startswith("DNAT at host: 192.168.1.20:40000")


def test_the_captured_run_is_the_plain_runs_and_its_frames_are_counted_once_per_capture():
    scenario = load_scenario(Path("scenarios/port-mapping.yaml"))
    captured_run = replay(scenario, capture=True)
    assert captured_run.as_json() == replay(scenario).as_json()
    records = captured_run.probes
    assert [r.result for r in records] == [
        s["result"] for s in captured_run.as_json()["steps"] if s["kind"] == "probe"
    ]
    traffic = build_traffic(records)
    captured = sum(len(r.captures) for r in records)
    assert sum(c.packets for c in traffic.counts) == captured > 0
    assert all(c.size_bytes >= 42 * c.packets for c in traffic.counts)  # ARP is the smallest


def test_laptop_to_a_published_port_crosses_the_lan_docker0_and_the_veth_with_dnat():
    drawn = pictures(
        load_scenario(Path("scenarios/port-mapping.yaml")), probes=("laptop -> 192.168.1.10:12345",)
    )
    records = drawn.run.probes
    path = probe_path(drawn.paths[0])
    assert path.result == "open"
    edges = wires(drawn.topology)
    crossed = sorted(edges[i].kind for i in path.wires(edges))
    assert crossed == ["lan", "lan", "uplink", "veth"]
    assert [(n.node, n.kind) for n in path.nat] == [("host", "DNAT")]
    assert "172.17.0.2:3306/tcp" in path.nat[0].after
    assert sum(c.packets for c in path.traffic.counts) == sum(
        len(r.captures) for r in records if r.probe == path.probe
    )


def test_a_probe_not_in_the_steps_is_sent_on_the_world_after_the_steps():
    session = Session(load_scenario(Path("scenarios/port-mapping.yaml")))
    session.replay(capture=True)
    state = session.world.rng.getstate()
    path = probe_path(session.probe_text("host -> 127.0.0.1:12345", capture=True))
    assert (path.probe, path.result) == ("host -> 127.0.0.1:12345/tcp", "open")
    assert session.world.rng.getstate() == state
    assert path.hops and path.traffic.counts


def test_probe_path_wires_are_empty_without_hops():
    assert ProbePath("x", "timeout", ()).wires(()) == set()
