"""Loops and storms end: TTL for routing loops, a frame budget and a time limit for bridges."""

from __future__ import annotations

import random
import time
from ipaddress import IPv4Address, IPv4Network

from netsim.dataplane.apps import install
from netsim.dataplane.engine import EngineConfig, Simulation
from netsim.dataplane.frames import ARP_REQUEST, BROADCAST_MAC, ArpPacket, Frame
from netsim.dataplane.probe import simulate_probe
from netsim.dataplane.trace import DropEvent
from netsim.kernel.namespace import Route
from netsim.scenario.spec import ProbeStep
from netsim.session import load_scenario_text, open_world, replay_world
from netsim.world import World

TEXT = """
name: loops
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker run -d --name web nginx
"""


def world() -> World:
    """Return a small world with one container."""
    built = open_world(load_scenario_text(TEXT))
    replay_world(built)
    return built


def test_routing_loop_ends_with_ttl_and_time_exceeded():
    built = world()
    target = IPv4Network("10.0.0.0/8")
    built.machines["laptop"].add_route(Route(target, "eth0", IPv4Address("192.168.1.10")))
    built.host.add_route(Route(target, "eth0", IPv4Address("192.168.1.20")))
    built.machines["laptop"].sysctls.set("net.ipv4.ip_forward", "1")
    built.host.netfilter.apply(["-P", "FORWARD", "ACCEPT"])  # Docker set DROP
    started = time.process_time()
    outcome = simulate_probe(built, ProbeStep(0, 1, "laptop", "10.1.2.3", 80))
    assert time.process_time() - started < 5
    assert outcome.result == "unreachable"  # ICMP time exceeded fails the connect
    assert any(isinstance(e, DropEvent) and e.reason == "TTL exceeded" for e in outcome.events)


def test_bridge_loop_storm_is_bounded_by_the_frame_budget():
    built = world()
    host = built.host
    for name in ("loopa", "loopb"):
        host.add_bridge(name, mac="02:00:00:00:00:0" + ("a" if name == "loopa" else "b"))
        host.set_up(name)
    for i in range(2):
        pair = host.add_veth(
            f"la{i}", f"lb{i}", mac=f"02:00:00:00:01:0{i}", peer_mac=f"02:00:00:00:02:0{i}"
        )
        host.set_master(pair.first.name, "loopa")
        host.set_master(pair.second.name, "loopb")
        host.set_up(pair.first.name)
        host.set_up(pair.second.name)
    sim = Simulation(
        built, rng=random.Random(0), config=EngineConfig(max_frames=5000), record=False
    )
    install(sim)
    port = host.interface("la0")
    request = ArpPacket(
        ARP_REQUEST,
        "02:00:00:00:09:09",
        IPv4Address("10.9.9.9"),
        "00:00:00:00:00:00",
        IPv4Address("10.9.9.10"),
    )
    started = time.process_time()
    sim.transmit(port, Frame("02:00:00:00:09:09", BROADCAST_MAC, request))
    sim.run()
    assert sim.storm
    assert sim.frames_sent > 5000
    assert time.process_time() - started < 10
