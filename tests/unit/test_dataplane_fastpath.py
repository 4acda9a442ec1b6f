"""The data plane's shortcuts give exactly what the plain way gives.

* ``LinkEnvironment`` runs arrivals in the order one simpy timeout per arrival
  would, with processes, urgent starts and ordinary events mixed in;
* the header copies NAT and forwarding make equal ``dataclasses.replace``;
* the verdict cache's key leaves out only fields no rule reads, and the
  counters it bumps are those ``Netfilter.account`` bumps;
* conntrack's port index finds what the tuple dict finds;
* the header builders make the values the frozen constructors make, and the
  verdicts kept on a connection are those a walk of the whole ruleset gives.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Generator
from dataclasses import fields, replace
from ipaddress import IPv4Address as A
from ipaddress import IPv4Network
from typing import Any

import pytest
import simpy

from netsim.dataplane.apps import install
from netsim.dataplane.conntrack import ConntrackTable, Tracked
from netsim.dataplane.engine import LinkEnvironment, Simulation
from netsim.dataplane.frames import (
    ACK,
    PSH,
    SYN,
    IcmpMessage,
    IPv4Packet,
    TcpSegment,
    UdpDatagram,
)
from netsim.dataplane.nodes import VIEW_FIELDS, Node, accounting_plan, relevant_fields
from netsim.kernel.evaluate import PacketView, Verdict
from netsim.kernel.netfilter import Chain, RuleEntry, Table
from netsim.kernel.rules import Rule, Target
from netsim.session import load_scenario_text, open_world, replay_world
from netsim.world import World

DELAYS = (0.0, 1e-6, 2e-6, 3e-6)
Arrive = Callable[[float, Callable[..., None], tuple[object, ...]], None]


def _program(env: simpy.Environment, arrive: Arrive, seed: int) -> list[tuple[float, str]]:
    """Run a random mix of arrivals, processes, events and timeouts; return who ran when.

    The RNG is drawn in the order things run, so any reordering changes the rest.
    """
    rng = random.Random(seed)
    log: list[tuple[float, str]] = []
    names = itertools.count()

    def act(name: str, depth: int) -> None:
        log.append((env.now, name))
        if depth > 4:
            return
        for _ in range(rng.randint(0, 3)):
            child = f"{name}.{next(names)}"
            choice = rng.random()
            if choice < 0.5:
                arrive(rng.choice(DELAYS), act, (child, depth + 1))
            elif choice < 0.65:
                env.process(process(child, depth + 1))
            elif choice < 0.8:
                event = env.event()
                event.callbacks.append(then(child, depth + 1))
                event.succeed()
            else:
                timeout = env.timeout(rng.choice(DELAYS))
                timeout.callbacks.append(then(child, depth + 1))

    def then(name: str, depth: int) -> Callable[[simpy.Event], None]:
        return lambda _event: act(name, depth)

    def process(name: str, depth: int) -> Generator[simpy.Event, Any, None]:
        act(name + "/start", depth)
        yield env.timeout(rng.choice(DELAYS))
        act(name + "/resumed", depth)

    for i in range(6):
        arrive(rng.choice(DELAYS), act, (f"root{i}", 0))
    env.run()
    return log


def _one_timeout_each(env: simpy.Environment) -> Arrive:
    def arrive(delay: float, action: Callable[..., None], args: tuple[object, ...]) -> None:
        env.timeout(delay).callbacks.append(lambda _e: action(*args))

    return arrive


class _CountingEnvironment(LinkEnvironment):
    requeued = 0

    def _requeue(self, at: float, actions: list[Any], args: list[Any]) -> None:
        self.requeued += 1
        super()._requeue(at, actions, args)


def test_arrivals_run_in_the_order_one_timeout_each_would_give():
    batched = requeued = 0
    for seed in range(300):
        plain = simpy.Environment()
        expected = _program(plain, _one_timeout_each(plain), seed)
        link = _CountingEnvironment()
        assert _program(link, link.arrive, seed) == expected, f"seed {seed}"
        batched += link.arrivals - link.batches
        requeued += link.requeued
    # The mix did exercise both shortcuts.
    assert batched > 100
    assert requeued > 10


def test_header_copies_equal_dataclasses_replace():
    src, dst, new_src, new_dst = A("10.0.0.1"), A("10.0.0.2"), A("10.9.9.9"), A("10.8.8.8")
    payloads = [
        TcpSegment(1000, 80, 5, 6, PSH | ACK, 1234, b"data"),
        UdpDatagram(53, 5353, b"x"),
        IcmpMessage(8, 0, 7, 1, b"ping"),
    ]
    for payload in payloads:
        packet = IPv4Packet(src, dst, payload, 17, 99, False, 0x10)
        assert packet.forwarded() == replace(packet, ttl=16)
        for sport, dport in ((None, None), (2000, None), (None, 8080), (2000, 8080)):
            got = packet.rewritten(new_src, new_dst, sport, dport)
            want = replace(packet, src=new_src, dst=new_dst)
            if not isinstance(payload, IcmpMessage):
                want = replace(
                    want,
                    payload=replace(
                        payload,
                        sport=payload.sport if sport is None else sport,
                        dport=payload.dport if dport is None else dport,
                    ),
                )
            assert got == want
    # rewritten/forwarded copy these fields by hand: a new field must be added there too.
    assert [f.name for f in fields(IPv4Packet)] == [
        "src",
        "dst",
        "payload",
        "ttl",
        "ident",
        "dont_fragment",
        "tos",
    ]
    assert [f.name for f in fields(TcpSegment)] == [
        "sport",
        "dport",
        "seq",
        "ack",
        "flags",
        "window",
        "data",
    ]
    assert [f.name for f in fields(UdpDatagram)] == ["sport", "dport", "data"]


PUBLISHED = """
name: fastpath
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker network create --internal back
  - docker network create front
  - docker run -d --name web -p 8080:80 -p 127.0.0.1:5353:53/udp nginx
  - docker run -d --name db --network back mysql
  - docker run -d --name app --network front -p 9000-9001:9000-9001 nginx
  - iptables -I DOCKER-USER -s 192.168.1.0/24 -p tcp --sport 1024:2000 -j DROP
  - iptables -I INPUT -p icmp --icmp-type echo-request -j REJECT
  - iptables -A FORWARD -p tcp --syn -j ACCEPT
"""


@pytest.fixture(scope="module", params=["20.10", "28.5"])
def world(request: pytest.FixtureRequest) -> World:
    built = open_world(load_scenario_text(PUBLISHED), engine=request.param)
    replay_world(built)
    return built


def _views(rng: random.Random, count: int) -> list[PacketView]:
    addresses = [A(a) for a in ("192.168.1.20", "192.168.1.10", "172.17.0.2", "127.0.0.1")]
    addresses += [A(f"172.{rng.randint(17, 20)}.0.{rng.randint(1, 4)}") for _ in range(4)]
    interfaces = ["", "eth0", "docker0", "lo", "veth1234"]
    out = []
    for _ in range(count):
        protocol = rng.choice((1, 6, 17))
        ports = protocol != 1
        out.append(
            PacketView(
                src=rng.choice(addresses),
                dst=rng.choice(addresses),
                protocol=protocol,
                sport=rng.choice((1500, 40000)) if ports else None,
                dport=rng.choice((53, 80, 8080, 9000, 9001, 5353)) if ports else None,
                icmp_type=None if ports else rng.choice((0, 3, 8)),
                icmp_code=None if ports else 0,
                tcp_flags=rng.choice((SYN, ACK, PSH | ACK)) if protocol == 6 else None,
                in_interface=rng.choice(interfaces),
                out_interface=rng.choice(interfaces),
                ct_state=rng.choice(("NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED")),
                ct_snat=rng.random() < 0.3,
                ct_dnat=rng.random() < 0.3,
            )
        )
    return out


def _counters(world: World) -> list[tuple[int, int]]:
    out = []
    for table in world.host.netfilter.tables.values():
        for chain in table.chains.values():
            out.append((chain.packets, chain.bytes))
            out.extend((entry.packets, entry.bytes) for entry in chain.entries)
    return out


def test_fields_no_rule_reads_do_not_change_the_walk(world: World):
    netfilter = world.host.netfilter
    node = Node(world.host, "host")
    rng = random.Random(3)
    other = _views(random.Random(4), 400)
    hooks = {"raw": ("PREROUTING", "OUTPUT"), "nat": ("PREROUTING", "OUTPUT", "POSTROUTING")}
    hooks |= {"filter": ("INPUT", "FORWARD", "OUTPUT")}
    checked = 0
    for table, chains in hooks.items():
        relevant = node.relevant[table]
        assert relevant == relevant_fields(netfilter.tables[table])
        for view, noise in zip(_views(rng, 400), other, strict=True):
            changed = {f: getattr(noise, f) for f in VIEW_FIELDS if f not in relevant}
            if changed.get("protocol", view.protocol) != view.protocol:
                continue  # keep the L4 fields consistent with the protocol
            twin = replace(view, **changed)
            for chain in chains:
                assert netfilter.evaluate(table, chain, view, node.context) == netfilter.evaluate(
                    table, chain, twin, node.context
                )
                checked += 1
    assert checked > 1000
    assert "sport" in node.relevant["filter"]  # the DOCKER-USER rule above
    assert "tcp_flags" in node.relevant["filter"]  # --syn
    assert "sport" not in node.relevant["nat"]


def test_an_unknown_match_keeps_every_field():
    table = Table("filter", {"INPUT": Chain("INPUT", "ACCEPT")})
    assert relevant_fields(table) == frozenset()
    odd = Rule(matches=(object(),), target=Target("ACCEPT"))  # type: ignore[arg-type]
    table.chains["INPUT"].entries.append(RuleEntry(odd))
    assert relevant_fields(table) == frozenset(VIEW_FIELDS)
    with_source = Rule(source=IPv4Network("10.0.0.0/8"), target=Target("ACCEPT"))
    table.chains["INPUT"].entries[0] = RuleEntry(with_source)
    assert relevant_fields(table) == frozenset({"src"})


def test_counters_bumped_are_those_netfilter_account_bumps(world: World):
    netfilter = world.host.netfilter
    node = Node(world.host, "host")
    for view in _views(random.Random(5), 300):
        for table, chain in (("nat", "PREROUTING"), ("filter", "FORWARD"), ("filter", "INPUT")):
            verdict = netfilter.evaluate(table, chain, view, node.context)
            before = _counters(world)
            netfilter.account(verdict, 60)
            by_account = _counters(world)
            for item in accounting_plan(netfilter, verdict):
                item.packets += 1
                item.bytes += 60
            by_plan = _counters(world)
            assert [
                (b[0] - a[0], b[1] - a[1]) for a, b in zip(by_account, by_plan, strict=True)
            ] == [(b[0] - a[0], b[1] - a[1]) for a, b in zip(before, by_account, strict=True)]


def test_conntrack_port_index_finds_what_the_tuple_dict_finds():
    rng = random.Random(11)
    addresses = [A("10.0.0.1"), A("10.0.0.2"), A("10.0.0.3")]
    table = ConntrackTable()
    for _ in range(300):
        src, dst = rng.choice(addresses), rng.choice(addresses)
        sport, dport = rng.choice((1, 2, 80)), rng.choice((1, 2, 80))
        # equal, not identical, address objects half the time
        if rng.random() < 0.5:
            src = A(str(src))
        packet = IPv4Packet(src, dst, TcpSegment(sport, dport, 1, 0, SYN))
        tracked = table.classify(packet)
        table.confirm(tracked)
    assert table.entries
    for key in itertools.product((6,), addresses, (1, 2, 80), addresses, (1, 2, 80)):
        assert table.find(key) == table.entries.get(key), key
    # A connection to itself has one tuple for both directions; the reply wins, as in the dict.
    self_table = ConntrackTable()
    me = A("10.0.0.9")
    self_table.confirm(self_table.classify(IPv4Packet(me, me, TcpSegment(7, 7, 1, 0, SYN))))
    key = (6, me, 7, me, 7)
    assert self_table.find(key) == self_table.entries[key]
    assert self_table.entries[key][1] == "reply"


class _CheckedSimulation(Simulation):
    """A simulation that checks every chain verdict against a walk of the whole ruleset."""

    checked = 0
    kept = 0

    def count(self, node: Node, verdict: Verdict) -> None:
        self.kept += 1  # a verdict kept on the connection was used
        super().count(node, verdict)

    def walk(
        self,
        node: Node,
        hook: str,
        table: str,
        packet: IPv4Packet,
        tracked: Tracked,
        in_if: str,
        out_if: str,
    ) -> Verdict | None:
        got = super().walk(node, hook, table, packet, tracked, in_if, out_if)
        if got is None:
            return got
        payload = packet.payload
        entry = tracked.entry
        view = PacketView(
            src=packet.src,
            dst=packet.dst,
            protocol=packet.protocol,
            sport=packet.sport,
            dport=packet.dport,
            icmp_type=payload.type if isinstance(payload, IcmpMessage) else None,
            icmp_code=payload.code if isinstance(payload, IcmpMessage) else None,
            tcp_flags=payload.flags if isinstance(payload, TcpSegment) else None,
            in_interface=in_if,
            out_interface=out_if,
            ct_state=tracked.state,
            ct_snat=entry is not None and entry.snat,
            ct_dnat=entry is not None and entry.dnat,
        )
        assert got == node.netfilter.evaluate(table, hook, view, node.context), view
        self.checked += 1
        return got


def test_verdicts_kept_on_a_connection_are_those_of_a_full_walk(world: World):
    """Published ports (DNAT), outbound traffic (MASQUERADE), refusals and REJECTs."""
    sim = _CheckedSimulation(world, rng=random.Random(2), record=True)
    install(sim)
    laptop = sim.machines["laptop"]
    web = sim.node_of(world.container_namespaces[world.container("web").id])
    outcomes = []

    def client(node: Node, address: A, port: int) -> Generator[simpy.Event, Any, None]:
        conn = sim.transport.connect(node, address, port, "test")
        assert not isinstance(conn, str)
        outcome = yield conn.outcome
        outcomes.append(outcome)
        if outcome == "open":
            for _ in range(10):
                sim.transport.send(conn, b"x" * 10)
                yield sim.env.timeout(0.001)

    host = A("192.168.1.10")
    for node, address, port in (
        (laptop, host, 8080),
        (laptop, host, 8080),
        (laptop, host, 9000),
        (laptop, host, 81),
        (web, A("192.168.1.20"), 22),
        (web, host, 8080),
    ):
        sim.env.process(client(node, address, port))
    sim.run()
    # 81: nothing published; 9000: published, nothing listens; 22: nothing on the laptop
    assert sorted(outcomes) == ["ECONNREFUSED"] * 3 + ["open"] * 3
    assert sim.checked > 60
    assert sim.kept > 20
