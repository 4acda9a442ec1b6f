"""A push or pull to a registry container is traffic like a probe's: traced, counted, in pcaps."""

from __future__ import annotations

from pathlib import Path

from scapy.layers.inet import IP, TCP
from scapy.utils import rdpcap

from netsim.dataplane.frames import SYN, IPv4Packet, TcpSegment
from netsim.render.pcap import write_run_pcaps
from netsim.render.topology import wires
from netsim.render.traffic import build_traffic
from netsim.results.run import CommandRecord
from netsim.session import load_scenario, load_scenario_text, replay

PUSH = """
name: push-only
local-images: [registry:2, busybox]
steps:
  - docker run -d -p 5000:5000 --name registry registry:2
  - docker tag busybox localhost:5000/mybox:1
  - docker push localhost:5000/mybox:1
"""
SYN_ACK = 0x12


def _push() -> CommandRecord:
    run = replay(load_scenario_text(PUSH))
    push = run.steps[-1]
    assert isinstance(push, CommandRecord) and push.exit_code == 0, push
    return push


def test_a_push_keeps_the_trace_and_frames_of_its_connection() -> None:
    push = _push()
    assert push.start == 3.0  # the run's clock at the third step
    inside = [
        c.frame.payload
        for c in push.captures
        if c.node == "registry" and c.direction == "rx" and isinstance(c.frame.payload, IPv4Packet)
    ]
    syns = [p for p in inside if isinstance(p.payload, TcpSegment) and p.payload.flags == SYN]
    assert len(syns) == 1 and syns[0].dport == 5000
    assert any(getattr(e, "owner", None) == "registry" for e in push.events)


def test_commands_that_dial_nothing_keep_no_frames() -> None:
    run = replay(load_scenario_text(PUSH))
    assert [bool(s.captures) for s in run.steps if isinstance(s, CommandRecord)] == [
        False,
        False,
        True,
    ]


def test_the_traffic_picture_counts_the_push_on_the_registry_containers_wire() -> None:
    run = replay(load_scenario_text(PUSH))
    assert run.probes == ()
    edges = wires(run.topology)
    counts = build_traffic(run.steps).per_wire(edges)
    veth = next(i for i, w in enumerate(edges) if w.kind == "veth" and "registry" in w.b)
    packets, size_bytes = counts[veth]
    assert packets > 0 and size_bytes >= 42 * packets  # ARP is the smallest


def test_a_pcap_of_the_push_pull_scenario_holds_port_5000_both_ways(tmp_path: Path) -> None:
    run = replay(load_scenario(Path("scenarios/registry-push-pull.yaml")), probes=False)
    dialled = [s for s in run.steps if isinstance(s, CommandRecord) and s.captures]
    assert len(dialled) == 10  # every push, pull and the run that pulled
    paths = {p.name: p for p in write_run_pcaps(tmp_path, run)}
    loopback = rdpcap(str(paths["host-lo.pcap"]))
    syns = [p for p in loopback if TCP in p and int(p[TCP].flags) == SYN]
    assert len(syns) == 10
    assert {(p[IP].dst, p[TCP].dport) for p in syns} == {("127.0.0.1", 5000)}
    assert len({p[TCP].sport for p in syns}) == 10  # a connection, an ephemeral port
    bridge = rdpcap(str(paths["host-docker0.pcap"]))
    to_registry = [p for p in bridge if TCP in p and p[TCP].dport == 5000]
    replies = [p for p in bridge if TCP in p and p[TCP].sport == 5000]
    assert {p[IP].dst for p in to_registry} == {"172.17.0.2"}  # DNAT'd (or proxied) inside
    assert sum(int(p[TCP].flags) == SYN_ACK for p in replies) == 10
    assert {p[IP].src for p in replies} == {"172.17.0.2"}
    times = [float(p.time) for p in bridge]
    assert times == sorted(times)
