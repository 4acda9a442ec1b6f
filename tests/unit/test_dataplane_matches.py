"""Every match and target the kernel model knows is known to both data planes.

The match and target classes and the target names are read from
``netsim.kernel.rules`` and ``netsim.kernel.evaluate`` (the ``Match`` and
``AnyTarget`` unions, every class named ``...Match``/``...Target``,
``BUILTIN_VERDICTS``, ``EXTENSION_TARGETS``, the REJECT types), so a new one
there fails here until the data plane says what it does
(``netsim.dataplane.matches``). For each match class, a sample rule is put in
a namespace and each path is asked what it made of it:

* the packet engine keys its verdict cache on the fields the rule reads; an
  unknown match makes it key on every field;
* the flow evaluator folds addresses and ports no rule tells apart into
  classes; an unknown match makes every value a class of its own, and stops
  it grouping cells.

A check that cannot fail is a defect: the last tests add a match and a target
class to the kernel model and see them reported.
"""

from __future__ import annotations

import dataclasses
import importlib
import random
import types
import typing
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest

from netsim.dataplane.flow import FlowPlane, _Atoms
from netsim.dataplane.matches import (
    KNOWN_MATCHES,
    KNOWN_TARGET_NAMES,
    REJECT_CODES,
    TARGET_KINDS,
    VIEW_FIELDS,
    match_reads,
    target_known,
)
from netsim.dataplane.nodes import Node
from netsim.kernel import rules
from netsim.kernel.evaluate import EvalContext, PacketView, match_matches
from netsim.kernel.namespace import NetworkNamespace
from netsim.kernel.netfilter import Netfilter, RuleEntry
from netsim.kernel.rules import PortRange, Rule, Target
from netsim.session import load_scenario_text, open_world, replay_world

KERNEL_MODULES = (rules, importlib.import_module("netsim.kernel.evaluate"))


def kernel_classes(suffix: str, union: Any) -> list[type]:
    """Return the kernel model's classes named ``...suffix`` and the members of ``union``."""
    found = set(typing.get_args(union))
    for module in KERNEL_MODULES:
        for name, value in vars(module).items():
            if isinstance(value, type) and name.endswith(suffix):
                found.add(value)
    return sorted(found, key=lambda cls: cls.__name__)


def sample(cls: type) -> Any:
    """Return an instance of a rule-part dataclass, with a plain value in each required field."""
    hints = typing.get_type_hints(cls)
    values = {}
    for field in dataclasses.fields(cls):
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            values[field.name] = _plain(hints[field.name])
    return cls(**values)


def _plain(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        return None if type(None) in args else _plain(args[0])
    if typing.get_origin(hint) is tuple:
        return ()
    plain = {str: "tcp", int: 1, bool: False, PortRange: PortRange(1, 1)}
    if hint in plain:
        return plain[hint]
    if hint is IPv4Address:
        return IPv4Address("10.0.0.1")
    raise AssertionError(f"no plain value for a field of type {hint!r}: extend _plain")


def node_with(rule: Rule) -> Node:
    """Return the data plane's node of a namespace whose INPUT chain holds ``rule``."""
    namespace = NetworkNamespace("probe-rules")
    namespace.netfilter.tables["filter"].chains["INPUT"].entries.append(RuleEntry(rule))
    return Node(namespace, "probe-rules")


def unknown_matches() -> list[str]:
    """Return what each path fails to know of the kernel model's match classes."""
    problems = []
    every_field = frozenset(VIEW_FIELDS)
    for cls in kernel_classes("Match", rules.Match):
        name = cls.__name__
        if cls not in KNOWN_MATCHES:
            problems.append(f"{name}: not described in netsim.dataplane.matches")
        node = node_with(Rule(matches=(sample(cls),), target=Target("ACCEPT")))
        if node.relevant["filter"] == every_field:
            problems.append(f"{name}: unknown to the packet engine (its cache keys on every field)")
        if _Atoms(node).distinct:
            problems.append(f"{name}: unknown to the flow evaluator (no address or port classes)")
    return problems


def unknown_targets() -> list[str]:
    """Return the kernel model's target classes, names and REJECT types the data plane lacks."""
    problems = []
    for cls in kernel_classes("Target", rules.AnyTarget):
        if cls not in TARGET_KINDS:
            problems.append(f"{cls.__name__}: not described in netsim.dataplane.matches")
    for name in (*rules.BUILTIN_VERDICTS, *rules.EXTENSION_TARGETS):
        if name not in KNOWN_TARGET_NAMES:
            problems.append(f"target {name}: unknown to the data plane")
    reject_types = {*rules.REJECT_TYPES, *(alias for alias, _ in rules.REJECT_ALIASES)}
    for reject_with in sorted(reject_types - {"tcp-reset", "tcp-rst"}):
        if reject_with not in REJECT_CODES:
            problems.append(f"--reject-with {reject_with}: no ICMP code in REJECT_CODES")
    return problems


def test_every_kernel_match_is_known_to_both_paths() -> None:
    assert len(kernel_classes("Match", rules.Match)) >= 6
    assert unknown_matches() == []


def test_every_kernel_target_is_known_to_both_paths() -> None:
    assert len(kernel_classes("Target", rules.AnyTarget)) >= 6
    assert unknown_targets() == []
    for name in ("DNAT", "SNAT"):
        assert target_known(rules.NatTarget(name, IPv4Address("10.0.0.1")))
    for name in ("MASQUERADE", "REDIRECT"):
        assert target_known(rules.PortsTarget(name))


# -- what each path makes of the matches: the same verdict within a key or a class -----

SAMPLE_RULES = [
    "-A FORWARD -s 10.0.0.0/8 -p tcp -m tcp --sport 1024:2000 --dport 80 -j DROP",
    "-A FORWARD -p tcp -m tcp --tcp-flags SYN,ACK SYN -j REJECT --reject-with tcp-reset",
    "-A FORWARD -p udp -m multiport --dports 53,5353:5360 -j ACCEPT",
    "-A FORWARD -p icmp -m icmp --icmp-type echo-request -j DROP",
    "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT",
    "-A FORWARD -m addrtype --dst-type LOCAL -m comment --comment local -j LOG",
    "-A FORWARD -d 192.168.1.10/32 -i eth0 -j DROP",
    "-A FORWARD ! -s 172.17.0.0/16 -o lo -j REJECT --reject-with icmp-host-prohibited",
    "-A FORWARD -m iprange --src-range 10.1.0.0-10.1.255.255 ! --dst-range 172.17.0.2-172.17.0.9"
    " -j DROP",
    "-A FORWARD -p tcp -m conntrack --ctorigdst 192.168.1.10 --ctorigdstport 8080 --ctdir ORIGINAL"
    " -j ACCEPT",
    "-A FORWARD -m conntrack ! --ctproto udp --ctreplsrc 172.17.0.0/16 ! --ctreplsrcport 80"
    " --ctdir REPLY -j DROP",
    "-A FORWARD -m conntrack --ctstate NEW --ctorigsrc 10.1.2.3 -j REJECT",
]
ADDRESSES = [
    IPv4Address(a)
    for a in (
        "10.1.2.3",
        "10.1.9.9",
        "10.9.9.9",
        "192.168.1.10",
        "192.168.1.20",
        "172.17.0.2",
        "172.17.0.12",
        "127.0.0.1",
    )
]
CONTEXT = EvalContext(local_networks=(IPv4Network("127.0.0.0/8"), IPv4Network("192.168.1.10/32")))


def _views(rng: random.Random, count: int) -> list[PacketView]:
    out = []
    for _ in range(count):
        protocol = rng.choice((1, 6, 17))
        ports = protocol != 1
        out.append(
            PacketView(
                src=rng.choice(ADDRESSES),
                dst=rng.choice(ADDRESSES),
                protocol=protocol,
                sport=rng.choice((53, 1500, 40000)) if ports else None,
                dport=rng.choice((53, 80, 5355, 8080)) if ports else None,
                icmp_type=None if ports else rng.choice((0, 3, 8)),
                icmp_code=None if ports else 0,
                tcp_flags=rng.choice((0x02, 0x12, 0x10)) if protocol == 6 else None,
                in_interface=rng.choice(("", "eth0", "lo")),
                out_interface=rng.choice(("", "eth0", "lo")),
                ct_state=rng.choice(("NEW", "ESTABLISHED", "RELATED")),
                ct_snat=rng.random() < 0.3,
                ct_dnat=rng.random() < 0.3,
                **_connection(rng, protocol),
            )
        )
    return out


def _connection(rng: random.Random, protocol: int) -> dict[str, Any]:
    """Return a view's conntrack direction and tuples (none: a packet without a connection)."""
    direction = rng.choice(("", "ORIGINAL", "REPLY"))
    if not direction:
        return {}

    def tuple_() -> tuple[int, IPv4Address, int, IPv4Address, int]:
        ports = (53, 80, 1500, 8080, 40000)
        return (
            rng.choice((protocol, 6, 17)),
            rng.choice(ADDRESSES),
            rng.choice(ports),
            rng.choice(ADDRESSES),
            rng.choice(ports),
        )

    return {"ct_direction": direction, "ct_original": tuple_(), "ct_reply": tuple_()}


def test_the_sample_rules_hold_every_kernel_match() -> None:
    netfilter = Netfilter()
    for line in SAMPLE_RULES:
        netfilter.apply(line.split())
    entries = netfilter.tables["filter"].chains["FORWARD"].entries
    held = {type(m) for e in entries for m in e.rule.matches}
    missing = [c.__name__ for c in kernel_classes("Match", rules.Match) if c not in held]
    assert missing == [], "add a rule with these matches to SAMPLE_RULES"


def test_views_a_path_treats_alike_get_the_same_verdict() -> None:
    namespace = NetworkNamespace("alike")
    for line in SAMPLE_RULES:
        namespace.netfilter.apply(line.split())
    node = Node(namespace, "alike")
    node.context = CONTEXT
    atoms = _Atoms(node)
    netfilter = namespace.netfilter
    engine_keys: dict[object, object] = {}
    flow_keys: dict[object, object] = {}
    for view in _views(random.Random(5), 3000):
        verdict = netfilter.evaluate("filter", "FORWARD", view, CONTEXT)
        seen = (verdict.action, verdict.reject_with, verdict.trace)
        header = dataclasses.astuple(view)
        engine_key = node.key_of["filter"](header)
        assert engine_keys.setdefault(engine_key, seen) == seen, view
        flow_key = (
            view.protocol,
            atoms.address(0, view.src),
            atoms.address(1, view.dst),
            atoms.port(view.sport),
            atoms.port(view.dport),
            header[5:14],
            atoms.tuple_class(header[14]),
            atoms.tuple_class(header[15]),
        )
        assert flow_keys.setdefault(flow_key, (verdict.action, verdict.reject_with)) == (
            verdict.action,
            verdict.reject_with,
        ), view
    assert len(flow_keys) < 3000  # the classes did fold views


def test_what_a_match_reads_is_what_evaluate_reads() -> None:
    """A field a match does not read never changes whether it matches."""
    netfilter = Netfilter()
    for line in SAMPLE_RULES:
        netfilter.apply(line.split())
    entries = netfilter.tables["filter"].chains["FORWARD"].entries
    matches = [m for e in entries for m in e.rule.matches]
    rng = random.Random(9)
    views = _views(rng, 400)
    for match in matches:
        reads = match_reads(match)
        assert reads is not None
        for view, other in zip(views, reversed(views), strict=True):
            changed = {f: getattr(other, f) for f in VIEW_FIELDS if f not in reads.fields}
            if "protocol" in changed:
                continue  # the L4 fields go with the protocol
            twin = dataclasses.replace(view, **changed)
            assert match_matches(match, view, CONTEXT) == match_matches(match, twin, CONTEXT), (
                match,
                view,
                twin,
            )


# -- the checks fail for what they do not know ------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class FancyMatch:
    """A match the data plane has never heard of (``-m fancy --level N``)."""

    level: int
    name = "fancy"


@dataclasses.dataclass(frozen=True, slots=True)
class FancyTarget:
    """A target the data plane has never heard of."""

    mark: int
    name = "FANCY"


def test_a_new_kernel_match_is_reported_for_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "FancyMatch", FancyMatch, raising=False)
    assert unknown_matches() == [
        "FancyMatch: not described in netsim.dataplane.matches",
        "FancyMatch: unknown to the packet engine (its cache keys on every field)",
        "FancyMatch: unknown to the flow evaluator (no address or port classes)",
    ]


def test_a_new_kernel_target_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "FancyTarget", FancyTarget, raising=False)
    monkeypatch.setattr(rules, "EXTENSION_TARGETS", (*rules.EXTENSION_TARGETS, "FANCY"))
    monkeypatch.setattr(rules, "REJECT_TYPES", (*rules.REJECT_TYPES, "icmp-fancy-unreachable"))
    assert unknown_targets() == [
        "FancyTarget: not described in netsim.dataplane.matches",
        "target FANCY: unknown to the data plane",
        "--reject-with icmp-fancy-unreachable: no ICMP code in REJECT_CODES",
    ]
    assert not target_known(FancyTarget(1))


def test_an_unknown_match_makes_the_flow_evaluator_answer_every_cell_on_its_own() -> None:
    text = (
        "name: fancy\nsteps:\n  - docker network create n\n"
        "  - docker run -d --name a --network n -p 8001:80 nginx\n"
        "  - docker run -d --name b --network n -p 8002:80 nginx\n"
    )
    world = open_world(load_scenario_text(text))
    replay_world(world, probes=False)
    assert FlowPlane(world).understood()
    odd = Rule(matches=(FancyMatch(3),), target=Target("ACCEPT"))  # type: ignore[arg-type]
    world.host.netfilter.tables["filter"].chains["INPUT"].entries.append(RuleEntry(odd))
    plane = FlowPlane(world)
    assert not plane.understood()
    assert plane.ephemeral_split()
    assert _Atoms(plane.host).distinct
