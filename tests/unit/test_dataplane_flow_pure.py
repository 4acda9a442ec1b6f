"""Pure parts of the flow evaluator: pruned rule walks, address classes, relations."""

from __future__ import annotations

import random
from ipaddress import IPv4Address, IPv4Network
from typing import cast

from netsim.dataplane.flow import (
    Exposure,
    Symmetry,
    _ChainIndex,
    _PrunedChains,
    _PrunedNetfilter,
    _PrunedTable,
)
from netsim.dataplane.probe import failure, parse_answer
from netsim.kernel.evaluate import EvalContext, PacketView, Verdict, evaluate
from netsim.kernel.netfilter import Netfilter
from netsim.kernel.rules import PortRange
from netsim.results.run import ProbeRecord

RULES = [
    "-t nat -N DOCKER",
    "-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    "-t nat -A DOCKER -i br0 -j RETURN",
    "-t nat -A DOCKER ! -i br0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80",
    "-t nat -A DOCKER ! -i br0 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.18.0.3:80",
    "-t nat -A DOCKER -d 192.168.1.10/32 -p udp -m udp --dport 53 "
    "-j DNAT --to-destination 172.18.0.4:53",
    "-N DOCKER",
    "-A FORWARD -o br0 -j DOCKER",
    "-A FORWARD -s 172.18.0.3/32 -j DROP",
    "-A DOCKER -d 172.18.0.2/32 ! -i br0 -o br0 -p tcp -m tcp --dport 80 -j ACCEPT",
    "-A DOCKER -d 172.18.0.3/32 ! -i br0 -o br0 -p tcp -m tcp --dport 80 -j ACCEPT",
    "-A DOCKER ! -d 172.18.0.4/32 -j REJECT --reject-with icmp-host-prohibited",
    "-A INPUT -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset",
    "-P FORWARD DROP",
]
ADDRESSES = [
    IPv4Address(a)
    for a in (
        "172.18.0.1",
        "172.18.0.2",
        "172.18.0.3",
        "172.18.0.4",
        "192.168.1.10",
        "192.168.1.20",
        "10.0.0.1",
    )
]
CONTEXT = EvalContext(
    local_networks=(
        *EvalContext().local_networks,
        *(IPv4Network(f"{a}/32") for a in ("172.18.0.1", "192.168.1.10")),
    ),
)


def netfilter() -> Netfilter:
    rules = Netfilter()
    for line in RULES:
        rules.apply(line.split())
    return rules


def pruned_verdict(rules: Netfilter, table: str, chain: str, view: PacketView) -> Verdict:
    index = {c.name: _ChainIndex(c) for c in rules.tables[table].chains.values()}
    pruned = _PrunedNetfilter({table: _PrunedTable(_PrunedChains(index, view))})
    return evaluate(cast(Netfilter, pruned), table, chain, view, CONTEXT)


def test_a_pruned_walk_ends_as_the_full_walk() -> None:
    rules = netfilter()
    rng = random.Random(7)
    for _ in range(600):
        protocol = rng.choice((1, 6, 17))
        view = PacketView(
            src=rng.choice(ADDRESSES),
            dst=rng.choice(ADDRESSES),
            protocol=protocol,
            sport=None if protocol == 1 else rng.choice((40000, 80, 53)),
            dport=None if protocol == 1 else rng.choice((22, 53, 80, 8080, 8081, 9)),
            in_interface=rng.choice(("br0", "eth0")),
            out_interface=rng.choice(("br0", "eth0")),
            ct_state=rng.choice(("NEW", "ESTABLISHED")),
        )
        for table, chain in (("nat", "PREROUTING"), ("filter", "FORWARD"), ("filter", "INPUT")):
            full = evaluate(rules, table, chain, view, CONTEXT)
            pruned = pruned_verdict(rules, table, chain, view)
            assert (full.action, full.nat, full.reject_with, full.by_policy) == (
                pruned.action,
                pruned.nat,
                pruned.reject_with,
                pruned.by_policy,
            ), view


def test_the_index_leaves_out_only_rules_that_name_another_address_or_port() -> None:
    rules = netfilter()
    docker = _ChainIndex(rules.tables["filter"].chains["DOCKER"])
    view = PacketView(src=ADDRESSES[5], dst=ADDRESSES[2], protocol=6, sport=40000, dport=80)
    kept = [entry.rule.destination for entry in docker.pruned(view).entries]
    assert [str(n) for n in kept] == ["172.18.0.3/32", "172.18.0.4/32"]  # the inverted one stays
    nat = _ChainIndex(rules.tables["nat"].chains["DOCKER"])
    assert (
        len(
            nat.pruned(
                PacketView(src=ADDRESSES[5], dst=ADDRESSES[4], protocol=6, sport=40000, dport=8081)
            ).entries
        )
        == 2
    )


def test_related_destinations_involve_the_source_itself() -> None:
    me = 1
    symmetry = Symmetry(
        classes={me: 0},
        shared=frozenset({me}),
        own={me: frozenset({IPv4Address("172.18.0.2"), IPv4Address("127.0.0.1")})},
        order={me: (IPv4Address("172.18.0.2"),)},
        exposures={me: (Exposure(6, PortRange(8080, 8080)),)},
    )
    assert symmetry.related(me, IPv4Address("172.18.0.2"), 6, (80,))
    assert symmetry.related(me, IPv4Address("127.0.0.53"), 17, (53,))
    assert symmetry.related(me, IPv4Address("192.168.1.10"), 6, (8080, 80))
    assert not symmetry.related(me, IPv4Address("192.168.1.10"), 17, (8080,))
    assert not symmetry.related(me, IPv4Address("172.18.0.3"), 6, (80,))


def test_answer_lines_and_errors() -> None:
    assert parse_answer(b"web 172.18.0.2:80 192.168.1.20:40000\n") == (
        "web",
        "172.18.0.2:80",
        "192.168.1.20:40000",
    )
    assert parse_answer(b"") == (None, None, None)
    assert failure("ECONNREFUSED") == "refused"
    assert failure("EHOSTUNREACH") == "unreachable"
    assert ProbeRecord(0, "x", "y:1/tcp", "timeout").outcome_json() == {"result": "timeout"}
    not_running = ProbeRecord(0, "x", "y:1/tcp", None, error="probe source x is not running")
    assert not_running.outcome_json() == {
        "result": None,
        "error": "probe source x is not running",
    }
