"""Unit tests of the probe syntax parser."""

from __future__ import annotations

import pytest

from netsim.errors import ScenarioError
from netsim.scenario.probe import RESULTS, ProbeText, parse_port, parse_probe

NODES = frozenset({"host", "m"})


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("laptop -> 192.168.1.10:12345/tcp", ProbeText("laptop", "192.168.1.10", 12345, "tcp")),
        ("laptop->192.168.1.10:12345", ProbeText("laptop", "192.168.1.10", 12345, None)),
        ("  tomcatApp   ->   MySQL:3306  ", ProbeText("tomcatApp", "MySQL", 3306, None)),
        ("host -> dns:53/udp", ProbeText("host", "dns", 53, "udp")),
        ("m -> host", ProbeText("m", "host", None, None)),
        ("web.1 -> db_alias.local:65535", ProbeText("web.1", "db_alias.local", 65535, None)),
        ("c1 -> 10.0.0.1:1", ProbeText("c1", "10.0.0.1", 1, None)),
        ("c1 -> _svc:80", ProbeText("c1", "_svc", 80, None)),
    ],
)
def test_valid_probes_parse(text: str, parsed: ProbeText) -> None:
    assert parse_probe(text, NODES) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a1 b1:80",
            "expected SRC -> DST:PORT[/PROTO], e.g. laptop -> 192.168.1.10:8080/tcp; "
            "\"a1 b1:80\" has no '->'",
        ),
        ("a1 -> b1 -> c1:1", "expected one '->'"),
        ("-> b1:80", "missing the source before '->'"),
        ("a1 ->", "missing the destination after '->'"),
        ("z -> b1:80", 'the source "z" is neither a node (host, m) nor a valid container name'),
        ("-a -> b1:80", 'the source "-a"'),
        ("a1 -> b1:80 /tcp", "unexpected space in the destination"),
        ("a1 -> b1:80/TCP", 'unknown protocol "TCP" in "b1:80/TCP"; expected tcp or udp'),
        ("a1 -> b1:80/", 'unknown protocol ""'),
        ("a1 -> b1/icmp", "an icmp probe has no port or /icmp suffix"),
        ("a1 -> b1/tcp", "missing :PORT before /tcp"),
        ("a1 -> b1:0", 'the port in "b1:0" is "0"; expected a number 1-65535'),
        ("a1 -> b1:65536", "expected a number 1-65535"),
        ("a1 -> b1:000000080", "expected a number 1-65535"),
        ("a1 -> b1:-1", "expected a number 1-65535"),
        ("a1 -> b1:8o", '"8o"'),
        ("a1 -> ::1", "looks like an IPv6 address; only IPv4 is simulated"),
        ("a1 -> 256.1.1.1:80", "is not an IPv4 address (four numbers 0-255, no leading zeros)"),
        ("a1 -> 010.1.1.1:80", "no leading zeros"),
        ("a1 -> 1.2.3:80", 'the destination "1.2.3" is not an IPv4 address (expected a.b.c.d)'),
        ("a1 -> 1..2.3:80", "expected a.b.c.d"),
        ("a1 -> :80", "the destination is empty"),
        ("a1 -> b*:80", "neither an IPv4 address nor a name"),
        ("a1 -> -b:80", "neither an IPv4 address nor a name"),
    ],
)
def test_invalid_probes_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_probe(text, NODES)
    assert message in info.value.message
    assert info.value.line is None and info.value.file == ""  # the loader adds them


def test_parse_port_names_what_it_parses() -> None:
    assert parse_port("8080") == 8080
    with pytest.raises(ScenarioError, match=r'^<scenario>: the host port is "x"; expected'):
        parse_port("x", what="the host port")


def test_results_follow_the_contract_table() -> None:
    assert set(RESULTS) == {"tcp", "udp", "icmp"}
    assert "refused" in RESULTS["tcp"] and "refused" not in RESULTS["udp"]
    assert "closed" in RESULTS["udp"] and "closed" not in RESULTS["tcp"]
    assert RESULTS["icmp"] == ("reply", "timeout", "unreachable", "unresolved")
    assert all("unresolved" in results and "unreachable" in results for results in RESULTS.values())
