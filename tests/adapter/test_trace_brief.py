"""``netsim trace --brief``: one line per device crossed, with the decision that mattered."""

from __future__ import annotations

import io
from pathlib import Path

from netsim.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def trace(*argv: str) -> str:
    out = io.StringIO()
    assert main(["trace", *argv], stdout=out, stderr=io.StringIO()) == 0
    return out.getvalue()


def test_brief_shows_the_dnat_and_accepting_rule_per_device_and_leaves_the_switch_out() -> None:
    args = (str(SCENARIOS / "docker-user-chain.yaml"), "--probe", "laptop -> 192.168.1.10:80")
    full = trace(*args)
    brief = trace(*args, "--brief")
    lines = brief.splitlines()[1:]
    nodes = [line.split()[1] for line in lines if not line.startswith(("result:", "why:"))]
    assert nodes == ["laptop", "host", "web", "host", "laptop", "host", "web"]
    assert " lan " in full and "arp" in full and "conntrack" in full  # the full trace keeps all
    assert " arp " not in brief and "conntrack PREROUTING" not in brief and "bridge" not in brief
    host = lines[1]
    assert "DNAT 192.168.1.20:" in host and "=> 192.168.1.20:" in host
    assert "FORWARD ACCEPT by DOCKER #1 `-d 172.17.0.2/32 ! -i docker0 -o docker0" in host
    assert lines[-2].startswith("result: open (served by web")
    assert lines[-1].startswith("why: open by DNAT on host")


def test_brief_names_the_dropping_rule_once_for_every_retransmitted_syn() -> None:
    brief = trace(
        str(SCENARIOS / "icc-disabled.yaml"), "--probe", "cache -> 172.17.0.2:3306", "--brief"
    )
    lines = brief.splitlines()
    assert len(lines) == 6
    assert lines[2].split()[1] == "host"
    assert lines[2].endswith(
        "filter/FORWARD DROP by DOCKER-FORWARD #4 `-i docker0 -o docker0 -j DROP`; "
        "drop: filter FORWARD dropped it (x3)"
    )
    assert lines[3].endswith("cache  probe: timeout no answer to SYN after 5 s")
