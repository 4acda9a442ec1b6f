"""Pure rule evaluation: which verdict a chain gives a packet, and which rules it met.

This is the decision netfilter's ``ipt_do_table`` makes, without conntrack
(the data plane owns connection state and passes the packet's state in) and
without side effects (the data plane calls ``Netfilter.account`` to count).

Semantics copied from Linux: a rule matches when every part matches; ACCEPT,
DROP, REJECT and the NAT targets end the walk (NAT targets accept); LOG and
CHECKSUM do not; a jump pushes the calling chain, ``-g`` (goto) does not, so a
RETURN from a goto'd chain goes back to the last *jump*; the end of a user
chain returns; RETURN or the end of a built-in chain applies its policy. The
jump stack is 16 deep, as nf_tables' is; overflow drops the packet.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from types import MappingProxyType
from typing import TYPE_CHECKING

from netsim.kernel.rules import (
    AddrtypeMatch,
    AnyTarget,
    CommentMatch,
    ConntrackMatch,
    IcmpMatch,
    IprangeMatch,
    LogTarget,
    Match,
    MultiportMatch,
    NatTarget,
    PortMatch,
    PortsTarget,
    RejectTarget,
    Rule,
)

if TYPE_CHECKING:
    from netsim.kernel.netfilter import Netfilter

MAX_JUMP_DEPTH = 16
MULTICAST = IPv4Network("224.0.0.0/4")
LIMITED_BROADCAST = IPv4Address("255.255.255.255")
PORT_PROTOCOLS = MappingProxyType({"tcp": 6, "udp": 17, "sctp": 132})


@dataclass(frozen=True, slots=True)
class PacketView:
    """The header fields netfilter decides on (a compact view of one IPv4 packet).

    ``ct_state`` is the conntrack state the data plane computed (``NEW``,
    ``ESTABLISHED``, ``RELATED``, ``INVALID`` or ``UNTRACKED``); ``ct_snat`` and
    ``ct_dnat`` say whether the connection was NATed (conntrack's virtual
    ``SNAT``/``DNAT`` states). ``ct_direction`` is ``ORIGINAL`` or ``REPLY``
    (``""`` when the packet has no connection: INVALID, UNTRACKED), and
    ``ct_original``/``ct_reply`` the connection's tuples (protocol, source,
    source port, destination, destination port; the reply tuple as NAT bound
    it); the data plane fills the tuples in only where a rule reads them.
    Interfaces are ``""`` where the hook has none.
    """

    src: IPv4Address
    dst: IPv4Address
    protocol: int
    sport: int | None = None
    dport: int | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None
    tcp_flags: int | None = None
    in_interface: str = ""
    out_interface: str = ""
    ct_state: str = "NEW"
    ct_snat: bool = False
    ct_dnat: bool = False
    ct_direction: str = ""
    ct_original: tuple[int, IPv4Address, int, IPv4Address, int] | None = None
    ct_reply: tuple[int, IPv4Address, int, IPv4Address, int] | None = None


@dataclass(frozen=True, slots=True)
class EvalContext:
    """What the namespace knows that matches need: its local and broadcast addresses.

    ``local_networks`` is the namespace's local routing table (``127.0.0.0/8``
    and every address it holds, as /32), which is what ``-m addrtype
    --dst-type LOCAL`` consults.
    """

    local_networks: tuple[IPv4Network, ...] = (IPv4Network("127.0.0.0/8"),)
    broadcast_addresses: frozenset[IPv4Address] = frozenset()

    def address_types(self, address: IPv4Address) -> frozenset[str]:
        """Return the addrtype names of ``address`` (LOCAL, BROADCAST, MULTICAST, UNICAST)."""
        if any(address in net for net in self.local_networks):
            return frozenset({"LOCAL"})
        if address == LIMITED_BROADCAST or address in self.broadcast_addresses:
            return frozenset({"BROADCAST"})
        if address in MULTICAST:
            return frozenset({"MULTICAST"})
        return frozenset({"UNICAST"})


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of a walk: a rule that matched, a return, or a policy applied.

    ``rulenum`` counts as ``--line-numbers`` does; for ``return`` and
    ``policy`` at a chain's end it is one past the last rule (as TRACE prints).
    """

    table: str
    chain: str
    rulenum: int
    rule: Rule | None
    kind: str  # "rule", "return" or "policy"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of walking a chain.

    ``action`` is ACCEPT, DROP or REJECT (or RETURN when a walk started in a
    user chain ran off its end); ``nat`` is the NAT target that fired (the
    data plane applies it and records it in conntrack).
    """

    action: str
    trace: tuple[TraceStep, ...]
    nat: NatTarget | PortsTarget | None = None
    reject_with: str | None = None
    by_policy: bool = False
    error: str | None = None


def interface_matches(pattern: str, name: str) -> bool:
    """Match ``-i``/``-o`` text against an interface name (``veth+`` is a prefix)."""
    if pattern.endswith("+"):
        return name.startswith(pattern[:-1])
    return pattern == name


def rule_matches(rule: Rule, packet: PacketView, context: EvalContext) -> bool:
    """Return True when every part of ``rule`` matches ``packet``."""
    src_mask, src_net, dst_mask, dst_net, _, _ = rule.quick
    if ((int(packet.src) & src_mask) == src_net) == rule.source_invert:
        return False
    if ((int(packet.dst) & dst_mask) == dst_net) == rule.destination_invert:
        return False
    return _rest_matches(rule, packet, context)


def _rest_matches(rule: Rule, packet: PacketView, context: EvalContext) -> bool:
    """Return True when the parts of ``rule`` past its addresses match ``packet``."""
    if rule.in_interface and (
        interface_matches(rule.in_interface, packet.in_interface) == rule.in_invert
    ):
        return False
    if rule.out_interface and (
        interface_matches(rule.out_interface, packet.out_interface) == rule.out_invert
    ):
        return False
    if rule.protocol and (packet.protocol == rule.protocol) == rule.protocol_invert:
        return False
    return all(match_matches(match, packet, context) for match in rule.matches)


def match_matches(match: Match, packet: PacketView, context: EvalContext) -> bool:
    """Return True when one ``-m`` match accepts ``packet``."""
    if isinstance(match, PortMatch):
        if packet.protocol != PORT_PROTOCOLS[match.protocol]:
            return False
        if match.sport is not None and match.sport.contains(packet.sport) == match.sport_invert:
            return False
        if match.dport is not None and match.dport.contains(packet.dport) == match.dport_invert:
            return False
        if match.flags_mask is not None:
            flags = packet.tcp_flags or 0
            hit = (flags & match.flags_mask) == match.flags_compare
            if hit == match.flags_invert:
                return False
        return True
    if isinstance(match, IcmpMatch):
        if packet.protocol != 1:
            return False
        return match.matches(packet.icmp_type, packet.icmp_code) != match.invert
    if isinstance(match, ConntrackMatch):
        return conntrack_matches(match, packet)
    if isinstance(match, AddrtypeMatch):
        if match.src_types:
            hit = bool(context.address_types(packet.src) & set(match.src_types))
            if hit == match.src_invert:
                return False
        if match.dst_types:
            hit = bool(context.address_types(packet.dst) & set(match.dst_types))
            if hit == match.dst_invert:
                return False
        return True
    if isinstance(match, MultiportMatch):
        proto = PORT_PROTOCOLS.get(match.protocol)
        if packet.protocol != proto:
            return False
        return match.matches(packet.sport, packet.dport) != match.invert
    if isinstance(match, CommentMatch):
        return True
    if isinstance(match, IprangeMatch):
        return match.matches(packet.src, packet.dst)
    raise TypeError(f"unknown match {match!r}")


def conntrack_matches(match: ConntrackMatch, packet: PacketView) -> bool:
    """Return True when ``-m conntrack`` accepts ``packet`` (xt_conntrack's conntrack_mt).

    The state is tested first; a packet without a connection then matches only
    when a state was given (and passed); the other options read the
    connection's direction and its original and reply tuples.
    """
    if match.states:
        states = match.states
        hit = (
            packet.ct_state in states
            or ("SNAT" in states and packet.ct_snat)
            or ("DNAT" in states and packet.ct_dnat)
        )
        if hit == match.invert:
            return False
    if not match.reads_tuples:
        return True
    if not packet.ct_direction:
        return bool(match.states)
    if match.direction is not None and packet.ct_direction != match.direction:
        return False
    original, reply = packet.ct_original, packet.ct_reply
    assert original is not None and reply is not None, "tuples not filled in"
    for item in match.addresses:
        tuple_ = original if item.option.startswith("orig") else reply
        address = tuple_[1] if item.option.endswith("src") else tuple_[3]
        if item.contains(address) == item.invert:
            return False
    if match.proto is not None and (original[0] == match.proto) == match.proto_invert:
        return False
    for ports in match.ports:
        tuple_ = original if ports.option.startswith("orig") else reply
        port = tuple_[2] if ports.option.endswith("srcport") else tuple_[4]
        if ports.contains(port) == ports.invert:
            return False
    return True


def evaluate(
    netfilter: Netfilter, table: str, chain: str, packet: PacketView, context: EvalContext
) -> Verdict:
    """Walk ``chain`` of ``table`` for ``packet`` and return the verdict and trace.

    Raises:
        KeyError: ``table`` or ``chain`` does not exist (a programming error).
    """
    chains = netfilter.tables[table].chains
    trace: list[TraceStep] = []
    stack: list[tuple[str, int]] = []
    current, index = chain, 0
    start = chains[chain]
    # The addresses and destination port as integers, for each rule's quick test.
    src = int(packet.src)
    dst = int(packet.dst)
    dport = -1 if packet.dport is None else packet.dport
    while True:
        entries = chains[current].entries
        if index >= len(entries):
            current_chain = chains[current]
            if current_chain.builtin:
                return _policy(table, current_chain.name, len(entries) + 1, current_chain, trace)
            trace.append(TraceStep(table, current, len(entries) + 1, None, "return"))
            if not stack:
                if start.builtin:  # a goto from the start chain ran off a user chain
                    return _policy(table, start.name, len(start.entries) + 1, start, trace)
                return Verdict("RETURN", tuple(trace))
            current, index = stack.pop()
            continue
        entry = entries[index]
        index += 1
        rule = entry.rule
        # rule_matches, with its address test and a required destination port
        # first, as integers: most rules of a long chain fail there.
        src_mask, src_net, dst_mask, dst_net, first, last = rule.quick
        if (
            ((src & src_mask) == src_net) == rule.source_invert
            or ((dst & dst_mask) == dst_net) == rule.destination_invert
            or not first <= dport <= last
            or not _rest_matches(rule, packet, context)
        ):
            continue
        trace.append(TraceStep(table, current, index, rule, "rule"))
        target: AnyTarget = rule.target
        name = target.name
        if name in ("ACCEPT", "DROP"):
            return Verdict(name, tuple(trace))
        if isinstance(target, RejectTarget):
            return Verdict("REJECT", tuple(trace), reject_with=target.reject_with)
        if isinstance(target, NatTarget | PortsTarget):
            return Verdict("ACCEPT", tuple(trace), nat=target)
        if name == "RETURN":
            if stack:
                current, index = stack.pop()
                continue
            current_chain = chains[current]
            if current_chain.builtin:
                return _policy(table, current, index, current_chain, trace)
            if start.builtin:
                return _policy(table, start.name, len(start.entries) + 1, start, trace)
            return Verdict("RETURN", tuple(trace))
        if rule.jump_target is not None:
            if not rule.goto:
                if len(stack) >= MAX_JUMP_DEPTH:
                    return Verdict("DROP", tuple(trace), error="jump stack overflow")
                stack.append((current, index))
            current, index = rule.jump_target, 0
            continue
        if isinstance(target, LogTarget) or not name or name == "CHECKSUM":
            continue
        if name == "QUEUE":
            return Verdict("DROP", tuple(trace), error="no queue listener")
        raise TypeError(f"unknown target {target!r}")


def _policy(
    table: str, chain: str, rulenum: int, chain_obj: object, trace: list[TraceStep]
) -> Verdict:
    policy = getattr(chain_obj, "policy", None) or "ACCEPT"
    trace.append(TraceStep(table, chain, rulenum, None, "policy"))
    return Verdict(policy, tuple(trace), by_policy=True)
