"""Trace events: what happened to a probe's packets, hop by hop.

Each event is a frozen value with the simulated time and the node (namespace
label) where it happened. ``netsim trace`` and pictures render them; the data
plane only records them. ``describe`` gives a plain one-line reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

from netsim.kernel.evaluate import TraceStep

Endpoints = tuple[int, IPv4Address, int, IPv4Address, int]  # proto, src, sport, dst, dport


@dataclass(frozen=True, slots=True)
class FrameEvent:
    """A frame sent (``tx``) or received (``rx``) on an interface."""

    time: float
    node: str
    interface: str
    direction: str
    summary: str


@dataclass(frozen=True, slots=True)
class BridgeDecision:
    """What a bridge did with a frame that came in on a port."""

    time: float
    node: str
    bridge: str
    in_port: str
    dst_mac: str
    action: str  # local, forward, flood, drop
    out_ports: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ChainWalk:
    """One table's chain walked at a hook: the rules that matched and the verdict.

    ``steps`` are the kernel's trace steps: every rule that matched (numbered
    as ``iptables -L --line-numbers`` numbers it), returns and policies.
    """

    time: float
    node: str
    hook: str
    table: str
    chain: str
    verdict: str
    steps: tuple[TraceStep, ...]
    in_interface: str = ""
    out_interface: str = ""


@dataclass(frozen=True, slots=True)
class ConntrackEvent:
    """Conntrack's view of a packet: its state and whether the entry is new."""

    time: float
    node: str
    hook: str
    state: str
    direction: str  # original or reply
    flow: Endpoints
    created: bool = False


@dataclass(frozen=True, slots=True)
class NatEvent:
    """An address translation: the packet's endpoints before and after."""

    time: float
    node: str
    hook: str
    kind: str  # DNAT, SNAT, MASQUERADE, REDIRECT, conntrack DNAT/SNAT, un-DNAT, un-SNAT
    before: Endpoints
    after: Endpoints


@dataclass(frozen=True, slots=True)
class RouteDecision:
    """The routing decision for a packet."""

    time: float
    node: str
    destination: IPv4Address
    result: str  # local, forward, output, unreachable
    interface: str = ""
    gateway: IPv4Address | None = None
    source: IPv4Address | None = None
    route: str = ""


@dataclass(frozen=True, slots=True)
class NeighbourEvent:
    """ARP: a request sent, an answer learnt, or resolution given up."""

    time: float
    node: str
    interface: str
    address: IPv4Address
    action: str  # request, reply, resolved, failed
    mac: str = ""


@dataclass(frozen=True, slots=True)
class SocketEvent:
    """A socket's part: listen hit, SYN-ACK, RST, accept, reply, an application step."""

    time: float
    node: str
    owner: str
    action: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DropEvent:
    """A packet or frame that went no further, and why."""

    time: float
    node: str
    reason: str
    summary: str = ""


TraceEvent = (
    FrameEvent
    | BridgeDecision
    | ChainWalk
    | ConntrackEvent
    | NatEvent
    | RouteDecision
    | NeighbourEvent
    | SocketEvent
    | DropEvent
)


def flow_text(flow: Endpoints) -> str:
    """Return ``SRC:SPORT -> DST:DPORT`` (addresses only for ICMP)."""
    proto, src, sport, dst, dport = flow
    if proto == 1:
        return f"{src} -> {dst} icmp id {sport}"
    name = {6: "tcp", 17: "udp"}.get(proto, str(proto))
    return f"{src}:{sport} -> {dst}:{dport}/{name}"


def describe(event: TraceEvent) -> str:
    """Return a one-line, human reading of an event."""
    head = f"{event.time:9.6f} {event.node:>12}"
    if isinstance(event, FrameEvent):
        return f"{head} {event.interface} {event.direction} {event.summary}"
    if isinstance(event, BridgeDecision):
        outs = ",".join(event.out_ports)
        tail = f" ({event.reason})" if event.reason else ""
        return f"{head} bridge {event.bridge}: {event.in_port} -> {event.action} {outs}{tail}"
    if isinstance(event, ChainWalk):
        parts = []
        for step in event.steps:
            if step.kind == "rule" and step.rule is not None:
                parts.append(f"{step.chain}#{step.rulenum} {step.rule.save(step.chain)}")
            else:
                parts.append(f"{step.chain} {step.kind}")
        rules = "; ".join(parts) if parts else "no rule matched"
        return f"{head} {event.hook} {event.table}/{event.chain}: {event.verdict} [{rules}]"
    if isinstance(event, ConntrackEvent):
        new = " (new entry)" if event.created else ""
        return (
            f"{head} conntrack {event.hook}: {event.state} {event.direction} "
            f"{flow_text(event.flow)}{new}"
        )
    if isinstance(event, NatEvent):
        return (
            f"{head} {event.hook} {event.kind}: {flow_text(event.before)} => "
            f"{flow_text(event.after)}"
        )
    if isinstance(event, RouteDecision):
        via = f" via {event.gateway}" if event.gateway else ""
        dev = f" dev {event.interface}" if event.interface else ""
        src = f" src {event.source}" if event.source else ""
        return f"{head} route {event.destination}: {event.result}{via}{dev}{src}"
    if isinstance(event, NeighbourEvent):
        mac = f" {event.mac}" if event.mac else ""
        return f"{head} arp {event.interface} {event.address}: {event.action}{mac}"
    if isinstance(event, SocketEvent):
        detail = f" {event.detail}" if event.detail else ""
        return f"{head} socket {event.owner}: {event.action}{detail}"
    summary = f" [{event.summary}]" if event.summary else ""
    return f"{head} drop: {event.reason}{summary}"
