"""Captures on a bridge hold what `tcpdump -i docker0` shows: both directions."""

from __future__ import annotations

from netsim.session import load_scenario_text, replay

SCENARIO = """\
name: capture-bridge
steps:
  - docker run -d --name web nginx
  - docker run -d --name cache redis
  - probe: host -> 172.17.0.2:80
  - probe: cache -> 172.17.0.2:80
"""


def test_the_bridge_capture_holds_the_replies_to_the_host() -> None:
    run = replay(load_scenario_text(SCENARIO), capture=True)
    to_host = run.probes[0].captures
    on_bridge = [(c.direction, c.frame.src_mac) for c in to_host if c.interface == "docker0"]
    assert [d for d, _ in on_bridge].count("tx") == 4  # ARP request, SYN, ACK, ACK
    assert [d for d, _ in on_bridge].count("rx") == 3  # ARP reply, SYN-ACK, data


def test_the_bridge_capture_sees_bridged_traffic_as_tcpdump_does() -> None:
    run = replay(load_scenario_text(SCENARIO), capture=True)
    between = [c for c in run.probes[1].captures if c.interface == "docker0"]
    assert between and all(c.direction == "rx" for c in between)
    assert len({c.frame.src_mac for c in between}) == 2  # both containers' frames
