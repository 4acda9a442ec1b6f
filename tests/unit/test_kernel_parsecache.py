"""Unit tests: a command line parsed by shape gives the parser's own command."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.errors import IptablesError
from netsim.kernel.iptables import parse_command
from netsim.kernel.parsecache import ParsedCommands, command_shape, spell
from netsim.kernel.rules import Resolver

# Docker's own rule shapes (20.10 and 28.5 recipes, embedded DNS), and a few more.
SHAPES = [
    "-t nat -A DOCKER ! -i br-1 -p tcp -m tcp --dport {port} -j DNAT --to-destination {ip}:{cport}",
    "-t nat -A DOCKER -d {ip}/32 -p udp -m udp --dport {port} -j DNAT "
    "--to-destination {ip}:{cport}",
    "-t filter -A DOCKER -d {ip}/32 ! -i br-1 -o br-1 -p tcp -m tcp --dport {cport} -j ACCEPT",
    "-t nat -A POSTROUTING -s {ip}/32 -d {ip}/32 -p tcp -m tcp --dport {cport} -j MASQUERADE",
    "-t raw -A PREROUTING -d {ip}/32 ! -i br-1 -j DROP",
    "-t nat -I DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT "
    "--to-destination 127.0.0.11:{port}",
    "-t nat -I DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport {port} -j SNAT "
    "--to-source :53",
    "-A INPUT ! -s {ip}/32 -p tcp --sport {port} --dport {cport} -j ACCEPT",
    "-C FORWARD -d {ip}/32 -p sctp -m sctp ! --dport {port} -j REJECT",
    "-I DOCKER 2 -s {ip}/32 -m comment --comment x -j RETURN",
    "-t nat -A OUTPUT -p tcp --dport {port} -j REDIRECT --to-ports {cport}",
    "-t nat -A POSTROUTING -p udp --sport {port} -j SNAT --to-source {ip}:{cport}",
    "-A FORWARD -m conntrack --ctorigdst {ip}/32 -d {ip}/32 -j ACCEPT",
]

addresses = st.integers(0, 2**32 - 1).map(IPv4Address)
ports = st.integers(0, 65535)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.sampled_from(SHAPES),
    first=st.tuples(addresses, ports, ports),
    rest=st.lists(st.tuples(addresses, ports, ports), min_size=1, max_size=4),
)
def test_lines_of_a_shape_give_what_the_parser_gives(
    shape: str, first: tuple[IPv4Address, int, int], rest: list[tuple[IPv4Address, int, int]]
) -> None:
    cache = ParsedCommands(Resolver.default())
    for ip, port, cport in [first, *rest]:
        argv = shape.format(ip=ip, port=port, cport=cport).split()
        assert cache.parse_shaped(argv) == parse_command(argv)


def test_open_words_are_the_canonical_addresses_and_ports_only() -> None:
    argv = "-A X -s 10.0.0.1/32 -d 10.0.0.0/8 -p tcp --sport 007 --dport 80 -j DNAT".split()
    shape, values = command_shape(argv + ["--to-destination", "10.0.0.2:8080"])
    assert shape[3] is None and shape[5] == "10.0.0.0/8" and shape[9] == "007"
    assert values == (
        ("-s", IPv4Network("10.0.0.1/32")),
        ("--dport", 80),
        ("--to-destination", (IPv4Address("10.0.0.2"), 8080)),
    )
    assert spell(shape, values) == argv + ["--to-destination", "10.0.0.2:8080"]
    # 256 is no octet and 65536 no port: those words stay in the shape.
    assert command_shape("-d 10.0.0.256/32 --dport 65536".split())[1] == ()


def test_a_refused_line_of_a_known_shape_is_refused_again() -> None:
    cache = ParsedCommands(Resolver.default())
    good = "-A INPUT -p tcp --dport 80 -j ACCEPT".split()
    cache.parse_shaped(good)
    for _ in range(2):
        with pytest.raises(IptablesError, match="multiple -j flags not allowed"):
            cache.parse_shaped(good + ["-j", "DROP"])
    with pytest.raises(IptablesError, match="Can't use -i with OUTPUT"):
        cache.parse_shaped("-A OUTPUT -i eth0 -p tcp --dport 81 -j ACCEPT".split())


def test_a_shape_whose_words_land_elsewhere_is_parsed_every_time() -> None:
    # "--dport" is the chain here and 5 the rule number: no port match to fill.
    cache = ParsedCommands(Resolver.default())
    for number in (5, 6):
        argv = ["-I", "--dport", str(number), "-j", "ACCEPT"]
        assert cache.parse_shaped(argv) == parse_command(argv)


def test_docker_rule_shapes_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from netsim.kernel import parsecache

    parsed: list[list[str]] = []

    def counting_parse(argv: list[str], resolver: Resolver | None = None) -> object:
        parsed.append(argv)
        return parse_command(argv, resolver)

    monkeypatch.setattr(parsecache, "parse_command", counting_parse)
    cache = ParsedCommands(Resolver.default())
    for shape in SHAPES[:7]:
        for number in range(1, 6):
            argv = shape.format(ip=f"172.18.0.{number}", port=20000 + number, cport=80).split()
            cache.parse_shaped(argv)
    # The first line of each shape, and the check of its template with other values.
    assert len(parsed) == 7 * 2
