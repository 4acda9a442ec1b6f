"""pcap files of a probe's traffic read back with scapy (and tshark where installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from scapy.layers.inet import IP, TCP
from scapy.utils import rdpcap

from netsim.dataplane.frames import SYN
from netsim.dataplane.probe import simulate_probe
from netsim.render.pcap import write_pcaps
from netsim.scenario.spec import ProbeStep
from netsim.session import load_scenario_text, open_world, replay_world

TEXT = """
name: pcap
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker run -d --name db -p 12345:3306 mysql
"""


def _captured(tmp_path: Path) -> list[Path]:
    world = open_world(load_scenario_text(TEXT))
    replay_world(world)
    outcome = simulate_probe(world, ProbeStep(0, 1, "laptop", "192.168.1.10", 12345), capture=True)
    assert outcome.result == "open"
    return write_pcaps(tmp_path, outcome.captures)


def test_pcaps_hold_the_dnated_handshake_per_interface(tmp_path: Path):
    paths = {p.name: p for p in _captured(tmp_path)}
    assert {"laptop-eth0.pcap", "host-eth0.pcap", "host-docker0.pcap", "db-eth0.pcap"} <= set(paths)
    laptop = rdpcap(str(paths["laptop-eth0.pcap"]))
    syns = [p for p in laptop if TCP in p and int(p[TCP].flags) == SYN]
    assert syns and syns[0][IP].dst == "192.168.1.10" and syns[0][TCP].dport == 12345
    inside = rdpcap(str(paths["db-eth0.pcap"]))
    syns = [p for p in inside if TCP in p and int(p[TCP].flags) == SYN]
    assert syns and syns[0][IP].dst == "172.17.0.2" and syns[0][TCP].dport == 3306
    times = [float(p.time) for p in laptop]
    assert times == sorted(times)


def test_pcaps_are_byte_identical_between_runs(tmp_path: Path):
    first = {p.name: p.read_bytes() for p in _captured(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in _captured(tmp_path / "b")}
    assert first == second


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed here")
def test_tshark_reads_the_pcaps(tmp_path: Path):
    for path in _captured(tmp_path):
        done = subprocess.run(
            ["tshark", "-r", str(path)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
