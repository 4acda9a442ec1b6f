"""What the data plane knows of iptables matches and targets, written down once.

Both data planes take a chain's verdict from the kernel model's pure
``evaluate``; what they put around it needs to know what each match and
target does:

* which ``PacketView`` fields a match reads, and which port ranges it tells
  apart (``match_reads``): the packet engine leaves the other fields out of
  its verdict cache's key (``nodes.relevant_fields``), the flow evaluator
  folds the ports and addresses no rule tells apart into one class
  (``flow``); a match not described here makes both fall back to every field
  and every value;
* what a target does to the walk (``TARGET_KINDS``), which manip type a NAT
  target binds (``NAT_MANIP``) and which ICMP code a REJECT sends
  (``REJECT_CODES``, from ``ipt_REJECT``).

``tests/unit/test_dataplane_matches.py`` checks every match and target class
and every target name of ``netsim.kernel.rules`` against these tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Network, summarize_address_range
from typing import Any

from netsim.dataplane.conntrack import DST_MANIP, SRC_MANIP
from netsim.kernel.rules import (
    AddrtypeMatch,
    ChecksumTarget,
    CommentMatch,
    ConntrackMatch,
    IcmpMatch,
    IprangeMatch,
    LogTarget,
    MultiportMatch,
    NatTarget,
    PortMatch,
    PortRange,
    PortsTarget,
    RejectTarget,
    Rule,
    Target,
)

# The PacketView fields, in the order the data plane's verdict keys hold them.
VIEW_FIELDS = (
    "src",
    "dst",
    "protocol",
    "sport",
    "dport",
    "icmp_type",
    "icmp_code",
    "tcp_flags",
    "in_interface",
    "out_interface",
    "ct_state",
    "ct_snat",
    "ct_dnat",
    "ct_direction",
    "ct_original",
    "ct_reply",
)
TUPLE_FIELDS = frozenset({"ct_original", "ct_reply"})
"""The fields that carry a connection's tuples (filled in only where a rule reads them)."""


@dataclass(frozen=True, slots=True)
class MatchReads:
    """What one match reads of a packet: view fields, the port ranges and address sets it tests.

    ``networks`` are the address blocks a match tells apart, of the packet or
    of its connection's tuples (an ``-m iprange`` range as the CIDR blocks
    that cover it); ``ports`` likewise for ports.
    """

    fields: frozenset[str]
    ports: tuple[PortRange, ...] = ()
    networks: tuple[IPv4Network, ...] = ()


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


# Per (sport, dport, flags) given: what a -m tcp|udp|sctp match reads.
_PORT_FIELDS = {
    (sport, dport, flags): _fields(
        "protocol",
        *(["sport"] if sport else []),
        *(["dport"] if dport else []),
        *(["tcp_flags"] if flags else []),
    )
    for sport in (False, True)
    for dport in (False, True)
    for flags in (False, True)
}
_ADDRTYPE_FIELDS = {
    (src, dst): _fields(*(["src"] if src else []), *(["dst"] if dst else []))
    for src in (False, True)
    for dst in (False, True)
}
_ICMP = _fields("protocol", "icmp_type", "icmp_code")
_CONNTRACK = _fields("ct_state", "ct_snat", "ct_dnat")
_IPRANGE_FIELDS = {
    (src, dst): _fields(*(["src"] if src else []), *(["dst"] if dst else []))
    for src in (False, True)
    for dst in (False, True)
}
_MULTIPORT = _fields("protocol", "sport", "dport")
_NOTHING = _fields()


def _port_match(match: PortMatch) -> frozenset[str]:
    return _PORT_FIELDS[
        (match.sport is not None, match.dport is not None, match.flags_mask is not None)
    ]


def _port_ranges(match: PortMatch) -> tuple[PortRange, ...]:
    return tuple(r for r in (match.sport, match.dport) if r is not None)


def _no_ports(_match: object) -> tuple[PortRange, ...]:
    return ()


def _no_networks(_match: object) -> tuple[IPv4Network, ...]:
    return ()


def _conntrack_fields(match: ConntrackMatch) -> frozenset[str]:
    fields = set(_CONNTRACK) if match.states else set()
    if match.reads_tuples:
        fields.add("ct_direction")
    if match.proto is not None or match.addresses or match.ports:
        fields |= TUPLE_FIELDS
    return frozenset(fields)


def _conntrack_ports(match: ConntrackMatch) -> tuple[PortRange, ...]:
    # A reversed range never matches: no port in it to tell apart.
    return tuple(PortRange(p.first, p.last) for p in match.ports if p.first <= p.last)


def _conntrack_networks(match: ConntrackMatch) -> tuple[IPv4Network, ...]:
    return tuple(item.address.network for item in match.addresses)


def _iprange_networks(match: IprangeMatch) -> tuple[IPv4Network, ...]:
    out: list[IPv4Network] = []
    for ends in (match.src_range, match.dst_range):
        if ends is not None and ends[0] <= ends[1]:
            out += summarize_address_range(ends[0], ends[1])
    return tuple(out)


# For each match class: the view fields an instance reads, the port ranges and the
# address blocks it tests.
_READERS: dict[
    type,
    tuple[
        Callable[[Any], frozenset[str]],
        Callable[[Any], tuple[PortRange, ...]],
        Callable[[Any], tuple[IPv4Network, ...]],
    ],
] = {
    PortMatch: (_port_match, _port_ranges, _no_networks),
    IcmpMatch: (lambda _match: _ICMP, _no_ports, _no_networks),
    ConntrackMatch: (_conntrack_fields, _conntrack_ports, _conntrack_networks),
    AddrtypeMatch: (
        lambda match: _ADDRTYPE_FIELDS[(bool(match.src_types), bool(match.dst_types))],
        _no_ports,
        _no_networks,
    ),
    MultiportMatch: (lambda _match: _MULTIPORT, lambda match: match.ports, _no_networks),
    CommentMatch: (lambda _match: _NOTHING, _no_ports, _no_networks),
    IprangeMatch: (
        lambda match: _IPRANGE_FIELDS[(match.src_range is not None, match.dst_range is not None)],
        _no_ports,
        _iprange_networks,
    ),
}

KNOWN_MATCHES: frozenset[type] = frozenset(_READERS)
"""The match classes ``match_reads`` describes."""


def match_reads(match: object) -> MatchReads | None:
    """Return what ``match`` reads of a packet, or None for a match not described here."""
    reader = _READERS.get(type(match))
    if reader is None:
        return None
    fields, ports, networks = reader
    return MatchReads(fields(match), ports(match), networks(match))


def rules_read(rules: Iterable[Rule]) -> frozenset[str] | None:
    """Return the view fields some of ``rules`` can decide on; None when a match is unknown.

    ``evaluate`` reads a field only for a rule that tests it (a source or
    destination other than 0.0.0.0/0 counts, since ``x in 0.0.0.0/0`` holds
    for every address). This runs over every rule of every namespace a
    simulation starts with, so it is one loop.
    """
    fields: set[str] = set()
    add = fields.add
    for rule in rules:
        if rule.source.prefixlen:
            add("src")
        if rule.destination.prefixlen:
            add("dst")
        if rule.in_interface:
            add("in_interface")
        if rule.out_interface:
            add("out_interface")
        if rule.protocol:
            add("protocol")
        for match in rule.matches:
            reader = _READERS.get(type(match))
            if reader is None:
                return None
            fields |= reader[0](match)
    return frozenset(fields)


def rule_reads(rule: Rule) -> frozenset[str] | None:
    """Return the view fields ``rule`` can decide on, or None when a match is unknown."""
    return rules_read((rule,))


def rule_networks(rule: Rule) -> tuple[IPv4Network, ...] | None:
    """Return the address blocks ``rule``'s matches test, or None when a match is unknown."""
    out: list[IPv4Network] = []
    for match in rule.matches:
        reader = _READERS.get(type(match))
        if reader is None:
            return None
        out += reader[2](match)
    return tuple(out)


def rule_ports(rule: Rule) -> tuple[PortRange, ...] | None:
    """Return every port range ``rule``'s matches test, or None when a match is unknown."""
    out: list[PortRange] = []
    for match in rule.matches:
        reader = _READERS.get(type(match))
        if reader is None:
            return None
        out += reader[1](match)
    return tuple(out)


# -- targets --------------------------------------------------------------------------

TARGET_KINDS: dict[type, str] = {
    Target: "verdict",  # ACCEPT, DROP, RETURN, QUEUE, a jump, or none (``evaluate`` decides)
    RejectTarget: "reject",
    NatTarget: "nat",
    PortsTarget: "nat",
    LogTarget: "continue",
    ChecksumTarget: "continue",
}
"""What each target class does to a packet's walk."""

NAT_MANIP = {
    "DNAT": DST_MANIP,
    "REDIRECT": DST_MANIP,
    "SNAT": SRC_MANIP,
    "MASQUERADE": SRC_MANIP,
}
"""The manip type each NAT target binds; at a hook of the other type it binds nothing."""

REJECT_CODES = {
    "icmp-net-unreachable": 0,
    "net-unreach": 0,
    "icmp-host-unreachable": 1,
    "host-unreach": 1,
    "icmp-proto-unreachable": 2,
    "proto-unreach": 2,
    "icmp-port-unreachable": 3,
    "port-unreach": 3,
    "icmp-net-prohibited": 9,
    "net-prohib": 9,
    "icmp-host-prohibited": 10,
    "host-prohib": 10,
    "icmp-admin-prohibited": 13,
    "admin-prohib": 13,
}
"""The ICMP destination-unreachable code of each ``--reject-with`` (tcp-reset sends a RST)."""

KNOWN_TARGET_NAMES = frozenset(
    {"ACCEPT", "DROP", "RETURN", "QUEUE", "REJECT", "LOG", "CHECKSUM", *NAT_MANIP}
)
"""The target names the data plane acts on (a user chain's name is a jump)."""


def target_known(target: object) -> bool:
    """Return True when the data plane knows what ``target`` does."""
    kind = TARGET_KINDS.get(type(target))
    if kind is None:
        return False
    if kind == "nat":
        return getattr(target, "name", "") in NAT_MANIP
    return True
