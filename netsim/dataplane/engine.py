"""The simulation: frames cross veths, bridges and the LAN; the kernel's IPv4 path runs.

Time is simulated seconds on a simpy ``Environment``; each link crossing is a
scheduled event after a small delay, so concurrent traffic interleaves as on
a real host and loops end (TTL, a frame budget and a time limit). The kernel
path follows Linux's order (``net/ipv4/ip_input.c``, ``ip_forward.c``,
``ip_output.c``, ``net/bridge/br_netfilter_hooks.c``):

* receive: raw PREROUTING, conntrack, mangle and nat PREROUTING, the routing
  decision (martian 127/8 unless ``route_localnet``), then INPUT (mangle,
  filter, nat) and the socket, or FORWARD (``forwarding`` on the incoming
  interface, TTL, mangle and filter FORWARD, mangle and nat POSTROUTING,
  neighbour output);
* local output: route, raw OUTPUT, conntrack, mangle, nat (a DNAT reroutes)
  and filter OUTPUT, mangle and nat POSTROUTING, then loopback or ARP;
* a bridge learns source MACs, delivers frames for its own MAC (or
  broadcasts) to the host stack, forwards by its FDB or floods, refuses to
  send a frame back out its ingress port unless hairpin is set, and, when
  ``bridge-nf-call-iptables`` is 1, runs PREROUTING, FORWARD and
  POSTROUTING with ``-i``/``-o`` set to the bridge (br_netfilter); a bridged
  packet DNATed elsewhere is handed to the host stack (``br_nf_pre_routing_finish``);
* ARP: 3 requests 1 s apart; giving up sends ICMP host unreachable for each
  queued packet (``ipv4_link_failure``), to the local socket or to the sender.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

import simpy
from simpy.events import NORMAL, URGENT, EventPriority

from netsim.dataplane.conntrack import (
    DST_MANIP,
    ORIGINAL,
    REPLY,
    SRC_MANIP,
    UNTRACKED,
    Tracked,
    bind,
    translate,
)
from netsim.dataplane.frames import (
    ACK,
    ARP_REPLY,
    ARP_REQUEST,
    BROADCAST_MAC,
    HOST_UNREACH,
    ICMP_DEST_UNREACH,
    ICMP_TIME_EXCEEDED,
    NET_UNREACH,
    PROTO_ICMP,
    PROTO_TCP,
    PROTO_UDP,
    RST,
    ArpPacket,
    Frame,
    IcmpMessage,
    IPv4Packet,
    TcpSegment,
    flow_key,
    is_icmp_error,
)
from netsim.dataplane.nodes import Node, accounting_plan
from netsim.dataplane.trace import (
    BridgeDecision,
    ChainWalk,
    ConntrackEvent,
    DropEvent,
    FrameEvent,
    NatEvent,
    NeighbourEvent,
    RouteDecision,
    TraceEvent,
)
from netsim.kernel.evaluate import PacketView, Verdict
from netsim.kernel.namespace import Bridge, Interface, NetworkNamespace
from netsim.kernel.rules import NatTarget, PortsTarget

if TYPE_CHECKING:
    from netsim.dataplane.sockets import Transport
    from netsim.world import World

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


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Delays (seconds) and the limits that make loops and storms end."""

    veth_delay: float = 2e-6
    bridge_delay: float = 1e-6
    lan_delay: float = 20e-6
    loopback_delay: float = 1e-6
    arp_attempts: int = 3
    arp_interval: float = 1.0
    time_limit: float = 60.0
    max_frames: int = 200_000


@dataclass(frozen=True, slots=True)
class Capture:
    """One frame seen on an interface, for pcap files."""

    time: float
    node: str
    interface: str
    direction: str
    frame: Frame


@dataclass(slots=True)
class _Pending:
    """Packets waiting for an ARP answer on one interface."""

    waiting: list[tuple[Callable[[str], None], Callable[[], None]]] = field(default_factory=list)
    resolved: bool = False


_ODD_HEX = frozenset("13579bdfBDF")


def _is_group(mac: str) -> bool:
    """Return True for a group (multicast or broadcast) MAC: the first octet's low bit."""
    return mac[1] in _ODD_HEX


Action = Callable[..., None]


class _Arrivals(simpy.Event):
    """Frames due at one instant, run in the order they were sent, as one simpy event.

    Like simpy's ``Timeout`` it is born triggered and does not call
    ``Event.__init__``; ``urgent`` marks the rest of a batch that had to make way
    for an urgent event (see ``LinkEnvironment``).
    """

    __slots__ = ("at", "actions", "args", "urgent", "mark")

    def __init__(
        self,
        env: LinkEnvironment,
        at: float,
        actions: list[Action],
        args: list[tuple[object, ...]],
    ) -> None:
        self.env = env
        self.callbacks = [env.run_arrivals]
        self._ok = True
        self._value = None
        self.at = at
        self.actions = actions
        self.args = args
        self.urgent = False
        self.mark = 0


class LinkEnvironment(simpy.Environment):
    """simpy's environment, with frame arrivals due at the same instant carried by one event.

    simpy runs events by (time, priority, order of scheduling). Arrivals
    scheduled one after another for the same instant, with no other event for
    that instant scheduled between them, would run back to back, so they can
    share one event without changing what runs when:

    * an ordinary event scheduled for an instant closes that instant's batch:
      later arrivals for it start a new batch behind the event;
    * an urgent event scheduled for *now* (a process starting) runs before any
      ordinary event of this instant, so when an arrival schedules one, the
      rest of the batch is queued again as urgent behind it (and again behind
      any urgent event scheduled after that), ahead of every ordinary event.

    Only ``schedule``, simpy's public way in, is overridden; the order of every
    event is the one one-event-per-arrival would give.
    """

    def __init__(self) -> None:
        super().__init__()
        self._open: dict[float, _Arrivals] = {}
        self._urgent_now = 0
        self.arrivals = 0  # actions run through ``arrive``
        self.batches = 0  # simpy events that carried them

    def schedule(
        self, event: simpy.Event, priority: EventPriority = NORMAL, delay: float = 0
    ) -> None:
        """Schedule ``event`` as simpy does, closing an open batch it must run between."""
        if priority < NORMAL:
            if delay == 0:
                self._urgent_now += 1
        elif self._open:
            self._open.pop(self.now + delay, None)
        super().schedule(event, priority, delay)

    def arrive(self, delay: float, action: Action, args: tuple[object, ...]) -> None:
        """Run ``action(*args)`` after ``delay``, as its own event would."""
        at = self.now + delay
        self.arrivals += 1
        batch = self._open.get(at)
        if batch is not None:
            batch.actions.append(action)
            batch.args.append(args)
            return
        batch = _Arrivals(self, at, [action], [args])
        self.batches += 1
        self._open[at] = batch
        super().schedule(batch, NORMAL, delay)

    def run_arrivals(self, event: simpy.Event) -> None:
        """Run a batch's arrivals in order (the callback of an ``_Arrivals``)."""
        assert isinstance(event, _Arrivals)
        if event.urgent:
            if event.mark != self._urgent_now:
                # An urgent event was scheduled behind this batch: let it go first.
                self._requeue(event.at, event.actions, event.args)
                return
        elif self._open.get(event.at) is event:
            del self._open[event.at]
        actions = event.actions
        args = event.args
        last = len(actions) - 1
        index = 0
        for action in actions:
            mark = self._urgent_now
            action(*args[index])
            if self._urgent_now != mark and index < last:
                self._requeue(event.at, actions[index + 1 :], args[index + 1 :])
                return
            index += 1

    def _requeue(self, at: float, actions: list[Action], args: list[tuple[object, ...]]) -> None:
        rest = _Arrivals(self, at, actions, args)
        self.batches += 1
        rest.urgent = True
        rest.mark = self._urgent_now
        super().schedule(rest, URGENT, 0)


class Simulation:
    """One run of the data plane over a world (the world is not changed, counters aside)."""

    def __init__(
        self,
        world: World,
        *,
        rng: random.Random,
        config: EngineConfig | None = None,
        record: bool = True,
        capture: bool = False,
        account: bool = True,
    ) -> None:
        from netsim.dataplane.sockets import Transport

        self.world = world
        self.rng = rng
        self.config = config or EngineConfig()
        self.record = record
        self.capture = capture
        self.account = account
        self.env = LinkEnvironment()
        self.events: list[TraceEvent] = []
        self.captures: list[Capture] = []
        self.frames_sent = 0
        self.storm = False
        self._nodes: dict[int, Node] = {}
        self._fdb: dict[int, dict[str, Interface]] = {}
        self._ports: dict[int, list[Interface]] = {}
        self._pending: dict[tuple[int, str, IPv4Address], _Pending] = {}
        self.host = self._add_node(world.host, "host")
        self.machines = {name: self._add_node(ns, name) for name, ns in world.machines.items()}
        for container in world.daemon.containers:
            if not container.running:
                continue
            namespace = world.container_namespaces.get(container.id)
            if namespace is not None and id(namespace) not in self._nodes:
                self._add_node(namespace, container.name)
        self.lan: list[Interface] = []
        for node in (self.host, *self.machines.values()):
            link = node.interface("eth0")
            if link is not None:
                self.lan.append(link)
        self.transport: Transport = Transport(self)
        self._receive = self.receive  # bound once: one arrival per frame-hop uses it

    # -- nodes -----------------------------------------------------------------

    def _add_node(self, namespace: NetworkNamespace, label: str) -> Node:
        node = Node(namespace, label)
        self._nodes[id(namespace)] = node
        return node

    def node_of(self, namespace: NetworkNamespace) -> Node:
        """Return the node of a namespace (created on first sight)."""
        node = self._nodes.get(id(namespace))
        if node is None:
            node = self._add_node(namespace, namespace.name)
        return node

    def nodes(self) -> list[Node]:
        """Return every node known to the simulation."""
        return list(self._nodes.values())

    # -- recording -------------------------------------------------------------

    def note(self, event: TraceEvent) -> None:
        """Append a trace event when recording."""
        if self.record:
            self.events.append(event)

    def drop(self, node: Node, reason: str, packet: IPv4Packet | Frame | None = None) -> None:
        """Record that a packet went no further."""
        if self.record:
            summary = packet.summary() if packet is not None else ""
            self.events.append(DropEvent(self.env.now, node.label, reason, summary))

    def later(self, delay: float, action: Callable[..., None], *args: object) -> None:
        """Run ``action(*args)`` after ``delay`` simulated seconds."""
        self.env.arrive(delay, action, args)

    # -- links -----------------------------------------------------------------

    def transmit(self, iface: Interface, frame: Frame, queued: float = 0.0) -> None:
        """Send a frame out of ``iface``: across its veth, the LAN, the bridge or loopback.

        ``queued`` is time the frame already spent in a bridge before this port;
        it is added to the crossing so one event covers both.
        """
        node = self._nodes.get(id(iface.namespace)) or self.node_of(iface.namespace)
        self.frames_sent += 1
        if self.frames_sent > self.config.max_frames:
            if not self.storm:
                self.storm = True
                self.drop(node, "frame budget exhausted (a loop or a storm)", frame)
            return
        if self.record:
            self.events.append(
                FrameEvent(self.env.now, node.label, iface.name, "tx", frame.payload.summary())
            )
        if self.capture:
            self.captures.append(Capture(self.env.now, node.label, iface.name, "tx", frame))
        if not iface.admin_up:
            self.drop(node, f"{iface.name} is down", frame)
            return
        kind = iface.kind
        if kind == "veth":
            peer = iface.peer
            if peer is None or not peer.admin_up:
                self.drop(node, f"{iface.name}: no carrier", frame)
                return
            self.env.arrive(queued + self.config.veth_delay, self._receive, (peer, frame))
        elif kind == "bridge":
            assert isinstance(iface, Bridge)
            self.bridge_output(node, iface, frame)
        elif kind == "loopback":
            self.later(self.config.loopback_delay, self.receive, iface, frame)
        elif iface in self.lan:
            for other in self.lan:
                if other is iface or not other.admin_up:
                    continue
                if frame.dst_mac == other.mac or _is_group(frame.dst_mac):
                    self.later(self.config.lan_delay, self.receive, other, frame)
        else:
            self.drop(node, f"{iface.name} is connected to nothing", frame)

    def receive(self, iface: Interface, frame: Frame) -> None:
        """Take a frame in on ``iface``: a bridge port hands it to its bridge."""
        node = self._nodes.get(id(iface.namespace)) or self.node_of(iface.namespace)
        if self.record and iface.kind != "loopback":
            self.events.append(
                FrameEvent(self.env.now, node.label, iface.name, "rx", frame.payload.summary())
            )
        if self.capture:
            self.captures.append(Capture(self.env.now, node.label, iface.name, "rx", frame))
        if not iface.admin_up:
            self.drop(node, f"{iface.name} is down", frame)
            return
        if iface.master:
            bridge = node.interface(iface.master)
            if isinstance(bridge, Bridge):
                self.bridge_input(node, bridge, iface, frame)
                return
        self.netif_receive(node, iface, frame)

    def netif_receive(self, node: Node, iface: Interface, frame: Frame) -> None:
        """Hand a frame to the protocol: ARP or IPv4 (frames for other MACs are dropped)."""
        dst = frame.dst_mac
        if dst != iface.mac and iface.kind != "loopback" and not _is_group(dst):
            self.drop(node, f"{iface.name}: frame for another host ({dst})", frame)
            return
        payload = frame.payload
        if isinstance(payload, ArpPacket):
            self.arp_input(node, iface, payload)
        else:
            self.ip_input(node, iface, payload)

    # -- bridges ---------------------------------------------------------------

    def bridge_ports(self, bridge: Bridge) -> list[Interface]:
        """Return the bridge's ports that are up (fixed for the simulation)."""
        ports = self._ports.get(id(bridge))
        if ports is None:
            ports = self._ports[id(bridge)] = [p for p in bridge.ports() if p.admin_up]
        return ports

    def fdb(self, bridge: Bridge) -> dict[str, Interface]:
        """Return the forwarding database the bridge learnt during this simulation."""
        table = self._fdb.get(id(bridge))
        if table is None:
            table = self._fdb[id(bridge)] = {}
        return table

    def bridge_input(self, node: Node, bridge: Bridge, port: Interface, frame: Frame) -> None:
        """Learn, then deliver locally, forward, flood or drop (br_handle_frame)."""
        if not bridge.admin_up:
            self.drop(node, f"bridge {bridge.name} is down", frame)
            return
        table = self.fdb(bridge)
        if not _is_group(frame.src_mac):
            table[frame.src_mac] = port
        dst = frame.dst_mac
        record = self.record
        if dst == bridge.mac:
            if record:
                self._decide(node, bridge, port, dst, "local")
            self.netif_receive(node, bridge, frame)
            return
        ports = self.bridge_ports(bridge)
        if _is_group(dst):
            outs = [p for p in ports if p is not port]
            if record:
                self._decide(
                    node, bridge, port, dst, "flood", outs, "broadcast; also up to the host"
                )
            self.netif_receive(node, bridge, frame)
            for out in outs:
                self.transmit(out, frame, self.config.bridge_delay)
            return
        known = table.get(dst)
        if known is None:
            outs = [p for p in ports if p is not port]
            if record:
                self._decide(node, bridge, port, dst, "flood", outs, "unknown destination MAC")
        elif known is port and not port.hairpin:
            if record:
                self._decide(
                    node,
                    bridge,
                    port,
                    dst,
                    "drop",
                    (),
                    "destination is on the ingress port and hairpin mode is off",
                )
            return
        else:
            outs = [known]
            if record:
                self._decide(node, bridge, port, dst, "forward", outs)
        if isinstance(frame.payload, IPv4Packet) and node.bridge_nf():
            self.bridged_ip(node, bridge, port, outs, frame)
            return
        for out in outs:
            self.transmit(out, frame, self.config.bridge_delay)

    def _decide(
        self,
        node: Node,
        bridge: Bridge,
        port: Interface,
        dst: str,
        action: str,
        outs: list[Interface] | tuple[()] = (),
        reason: str = "",
    ) -> None:
        if self.record:
            self.events.append(
                BridgeDecision(
                    self.env.now,
                    node.label,
                    bridge.name,
                    port.name,
                    dst,
                    action,
                    tuple(p.name for p in outs),
                    reason,
                )
            )

    def bridge_output(self, node: Node, bridge: Bridge, frame: Frame) -> None:
        """Send a frame the host stack wrote to the bridge device out of the right port."""
        ports = self.bridge_ports(bridge)
        known = None if _is_group(frame.dst_mac) else self.fdb(bridge).get(frame.dst_mac)
        outs = [known] if known is not None else ports
        if self.record:
            action = "forward" if known is not None else "flood"
            self.events.append(
                BridgeDecision(
                    self.env.now,
                    node.label,
                    bridge.name,
                    "(host)",
                    frame.dst_mac,
                    action,
                    tuple(p.name for p in outs),
                )
            )
        for out in outs:
            self.transmit(out, frame, self.config.bridge_delay)

    def bridged_ip(
        self, node: Node, bridge: Bridge, port: Interface, outs: list[Interface], frame: Frame
    ) -> None:
        """Run iptables on a bridged IPv4 packet (br_netfilter), then send it on."""
        packet = frame.payload
        assert isinstance(packet, IPv4Packet)
        name = bridge.name
        pre = self.prerouting(node, packet, name)
        if pre is None:
            return
        new, tracked = pre
        if new.dst != packet.dst:
            route = node.route(new.dst)
            if route is None or route.local or route.interface != name:
                # br_nf_pre_routing_finish: DNATed away from this bridge, so route it.
                self.note(
                    RouteDecision(
                        self.env.now,
                        node.label,
                        new.dst,
                        "to the host stack",
                        route.interface if route else "",
                    )
                )
                self.after_prerouting(node, bridge, new, tracked)
                return
            hop = route.gateway or new.dst

            def resolved(mac: str) -> None:
                known = self.fdb(bridge).get(mac)
                targets = (
                    [known]
                    if known is not None
                    else [p for p in self.bridge_ports(bridge) if p is not port]
                )
                if known is port and not port.hairpin:
                    self.drop(node, "bridged DNAT back to the ingress port, hairpin off", new)
                    return
                self._bridged_finish(
                    node, bridge, targets, replace(frame, dst_mac=mac, payload=new), tracked
                )

            self.neighbour_resolve(
                node,
                bridge,
                hop,
                resolved,
                lambda: self.drop(node, f"bridged DNAT: no ARP answer for {hop}", new),
            )
            return
        if new is not packet:
            frame = Frame(frame.src_mac, frame.dst_mac, new)
        self._bridged_finish(node, bridge, outs, frame, tracked)

    def _bridged_finish(
        self, node: Node, bridge: Bridge, outs: list[Interface], frame: Frame, tracked: Tracked
    ) -> None:
        packet = frame.payload
        assert isinstance(packet, IPv4Packet)
        name = bridge.name
        if not self.filter_hook(node, "FORWARD", packet, tracked, name, name):
            return
        final = self.postrouting(node, packet, tracked, name)
        if final is None:
            return
        node.conntrack.confirm(tracked)
        out_frame = frame if final is packet else Frame(frame.src_mac, frame.dst_mac, final)
        for out in outs:
            self.transmit(out, out_frame, self.config.bridge_delay)

    # -- netfilter ---------------------------------------------------------------

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
        """Walk ``table``'s built-in chain for ``hook``; None when it is empty with ACCEPT."""
        if (table, hook) not in node.active_chains:
            return None
        payload = packet.payload
        entry = tracked.entry
        if isinstance(payload, TcpSegment):
            protocol, sport, dport, itype, icode, flags = (
                PROTO_TCP,
                payload.sport,
                payload.dport,
                None,
                None,
                payload.flags,
            )
        elif isinstance(payload, IcmpMessage):
            protocol, sport, dport, itype, icode, flags = (
                PROTO_ICMP,
                None,
                None,
                payload.type,
                payload.code,
                None,
            )
        else:
            protocol, sport, dport, itype, icode, flags = (
                PROTO_UDP,
                payload.sport,
                payload.dport,
                None,
                None,
                None,
            )
        snat = entry is not None and entry.snat
        dnat = entry is not None and entry.dnat
        # The walk is a pure function of the packet view and the ruleset, and the
        # ruleset does not change while a simulation runs: remember verdicts, keyed
        # by the view's fields (no PacketView is built when the verdict is known).
        # Fields no rule of the table tests cannot change the walk, so they are
        # left out of the key (a flow's ports and flags, mostly).
        relevant = node.relevant[table]
        key = (
            table,
            hook,
            packet.src if "src" in relevant else None,
            packet.dst if "dst" in relevant else None,
            protocol if "protocol" in relevant else None,
            sport if "sport" in relevant else None,
            dport if "dport" in relevant else None,
            itype if "icmp_type" in relevant else None,
            icode if "icmp_code" in relevant else None,
            flags if "tcp_flags" in relevant else None,
            in_if if "in_interface" in relevant else None,
            out_if if "out_interface" in relevant else None,
            tracked.state if "ct_state" in relevant else None,
            snat if "ct_snat" in relevant else None,
            dnat if "ct_dnat" in relevant else None,
        )
        known = node.walks.get(key)
        if known is None:
            view = PacketView(
                src=packet.src,
                dst=packet.dst,
                protocol=protocol,
                sport=sport,
                dport=dport,
                icmp_type=itype,
                icmp_code=icode,
                tcp_flags=flags,
                in_interface=in_if,
                out_interface=out_if,
                ct_state=tracked.state,
                ct_snat=snat,
                ct_dnat=dnat,
            )
            verdict = node.verdicts.get((table, hook, view))
            if verdict is None:
                verdict = node.netfilter.evaluate(table, hook, view, node.context)
                node.verdicts[(table, hook, view)] = verdict
            known = node.walks[key] = (verdict, accounting_plan(node.netfilter, verdict))
        verdict, counted = known
        if self.account:
            # Netfilter.account's counting (60 bytes a packet), with the chains
            # and rules looked up once per verdict.
            for item in counted:
                item.packets += 1
                item.bytes += 60
        if self.record:
            self.events.append(
                ChainWalk(
                    self.env.now,
                    node.label,
                    hook,
                    table,
                    hook,
                    verdict.action,
                    verdict.trace,
                    in_if,
                    out_if,
                )
            )
        return verdict

    def _conntrack(self, node: Node, hook: str, packet: IPv4Packet) -> Tracked:
        tracked = node.conntrack.classify(packet)
        if self.record and tracked.entry is not None:
            self.events.append(
                ConntrackEvent(
                    self.env.now,
                    node.label,
                    hook,
                    tracked.state,
                    tracked.direction,
                    flow_key(packet),
                    tracked.created,
                )
            )
        return tracked

    def nat_hook(
        self,
        node: Node,
        hook: str,
        packet: IPv4Packet,
        tracked: Tracked,
        manip: str,
        in_if: str,
        out_if: str,
    ) -> IPv4Packet | None:
        """Consult the nat table once per connection and manip, then translate the packet."""
        entry = tracked.entry
        kind = ""
        if (
            entry is not None
            and tracked.direction == ORIGINAL
            and tracked.state == "NEW"
            and not (entry.dst_done if manip == DST_MANIP else entry.src_done)
        ):
            verdict = self.walk(node, hook, "nat", packet, tracked, in_if, out_if)
            if verdict is not None and verdict.action == "DROP":
                self.drop(node, f"nat {hook} dropped it", packet)
                return None
            target = verdict.nat if verdict is not None else None
            if target is None:
                bind(entry, manip, None, None)
            else:
                kind = target.name
                address, port = self._nat_target(node, hook, packet, target, in_if, out_if)
                if manip == DST_MANIP and kind in ("DNAT", "REDIRECT"):
                    bind(entry, DST_MANIP, address, port)
                elif manip == SRC_MANIP and kind in ("SNAT", "MASQUERADE"):
                    bind(entry, SRC_MANIP, address, port)
                    self._avoid_clash(node, entry)
                else:
                    bind(entry, manip, None, None)
        if entry is None:
            return packet
        new = translate(packet, tracked, manip)
        if (
            new is not packet
            and self.record
            and (new.src, new.dst, new.sport, new.dport)
            != (packet.src, packet.dst, packet.sport, packet.dport)
        ):
            if not kind:
                kind = "un-DNAT" if manip == SRC_MANIP else "un-SNAT"
                if tracked.state == "RELATED":
                    kind = "ICMP error " + kind
            self.events.append(
                NatEvent(self.env.now, node.label, hook, kind, flow_key(packet), flow_key(new))
            )
        return new

    def _nat_target(
        self,
        node: Node,
        hook: str,
        packet: IPv4Packet,
        target: NatTarget | PortsTarget,
        in_if: str,
        out_if: str,
    ) -> tuple[IPv4Address | None, int | None]:
        port = target.ports[0] if target.ports is not None else None
        if isinstance(target, NatTarget):
            return target.address, port
        if target.name == "REDIRECT":
            if hook == "OUTPUT":
                return IPv4Address("127.0.0.1"), port
            return node.primary_address(in_if), port
        route = node.route(packet.dst)
        toward = route.gateway if route is not None and route.gateway else packet.dst
        return node.select_source(out_if, toward), port

    def _avoid_clash(self, node: Node, entry: object) -> None:
        from netsim.dataplane.conntrack import ConntrackEntry

        assert isinstance(entry, ConntrackEntry)
        tries = 0
        while node.conntrack.reply_taken(entry.reply) and tries < 64:
            proto, rsrc, rsport, rdst, _ = entry.reply
            entry.reply = (proto, rsrc, rsport, rdst, self.rng.randint(32768, 60999))
            tries += 1

    def prerouting(
        self, node: Node, packet: IPv4Packet, in_if: str
    ) -> tuple[IPv4Packet, Tracked] | None:
        """raw, conntrack, mangle and nat PREROUTING; None when dropped."""
        active = node.active_chains
        if ("raw", "PREROUTING") in active:
            verdict = self.walk(node, "PREROUTING", "raw", packet, UNTRACKED, in_if, "")
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "raw PREROUTING dropped it", packet)
                return None
        tracked = self._conntrack(node, "PREROUTING", packet)
        if ("mangle", "PREROUTING") in active:
            verdict = self.walk(node, "PREROUTING", "mangle", packet, tracked, in_if, "")
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "mangle PREROUTING dropped it", packet)
                return None
        new = self.nat_hook(node, "PREROUTING", packet, tracked, DST_MANIP, in_if, "")
        if new is None:
            return None
        return new, tracked

    def filter_hook(
        self, node: Node, hook: str, packet: IPv4Packet, tracked: Tracked, in_if: str, out_if: str
    ) -> bool:
        """mangle then filter at INPUT, FORWARD or OUTPUT; False when dropped or rejected."""
        for table in node.filter_tables[hook]:
            verdict = self.walk(node, hook, table, packet, tracked, in_if, out_if)
            if verdict is None or verdict.action == "ACCEPT":
                continue
            if verdict.action == "REJECT":
                self.drop(node, f"{table} {hook} rejected it ({verdict.reject_with})", packet)
                self.reject(node, packet, verdict.reject_with or "icmp-port-unreachable", tracked)
            else:
                self.drop(
                    node,
                    f"{table} {hook} dropped it" + (" (policy)" if verdict.by_policy else ""),
                    packet,
                )
            return False
        return True

    def postrouting(
        self, node: Node, packet: IPv4Packet, tracked: Tracked, out_if: str
    ) -> IPv4Packet | None:
        """mangle and nat POSTROUTING; None when dropped."""
        if ("mangle", "POSTROUTING") in node.active_chains:
            verdict = self.walk(node, "POSTROUTING", "mangle", packet, tracked, "", out_if)
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "mangle POSTROUTING dropped it", packet)
                return None
        return self.nat_hook(node, "POSTROUTING", packet, tracked, SRC_MANIP, "", out_if)

    def reject(
        self, node: Node, packet: IPv4Packet, reject_with: str, tracked: Tracked = UNTRACKED
    ) -> None:
        """Answer a rejected packet: a TCP RST (tcp-reset) or an ICMP error.

        nf_send_reset attaches the rejected packet's connection to the RST
        (``nf_ct_attach``), so the RST is translated back like a reply; an
        ICMP error gets no such attachment (icmp_send).
        """
        payload = packet.payload
        if reject_with == "tcp-reset":
            if isinstance(payload, TcpSegment) and not payload.flags & RST:
                attached = None
                if tracked.entry is not None:
                    back = REPLY if tracked.direction == ORIGINAL else ORIGINAL
                    attached = Tracked(tracked.entry, back, "RELATED")
                self.transport.send_reset(node, packet, attached)
            return
        if is_icmp_error(packet):
            return
        self.icmp_error(node, packet, ICMP_DEST_UNREACH, REJECT_CODES.get(reject_with, 3))

    # -- IPv4 ----------------------------------------------------------------------

    def ip_input(self, node: Node, iface: Interface, packet: IPv4Packet) -> None:
        """ip_rcv: PREROUTING, then the routing decision."""
        pre = self.prerouting(node, packet, iface.name)
        if pre is None:
            return
        new, tracked = pre
        self.after_prerouting(node, iface, new, tracked)

    def after_prerouting(
        self, node: Node, iface: Interface, packet: IPv4Packet, tracked: Tracked
    ) -> None:
        """ip_rcv_finish: route the packet to a local socket or forward it."""
        in_if = iface.name
        if in_if != "lo" and not node.route_localnet(in_if):
            if int(packet.src) >> 24 == 127:
                self.drop(node, f"martian source {packet.src} on {in_if}", packet)
                return
            if int(packet.dst) >> 24 == 127:
                self.drop(
                    node,
                    f"martian destination {packet.dst} on {in_if} (route_localnet is 0)",
                    packet,
                )
                return
        if node.is_local(packet.dst):
            if self.record:
                self.note(RouteDecision(self.env.now, node.label, packet.dst, "local"))
            self.local_deliver(node, in_if, packet, tracked)
            return
        self.forward(node, in_if, packet, tracked)

    def local_deliver(self, node: Node, in_if: str, packet: IPv4Packet, tracked: Tracked) -> None:
        """ip_local_deliver: mangle, filter and nat INPUT, then the transport layer."""
        if not self.filter_hook(node, "INPUT", packet, tracked, in_if, ""):
            return
        new = self.nat_hook(node, "INPUT", packet, tracked, SRC_MANIP, in_if, "")
        if new is None:
            return
        node.conntrack.confirm(tracked)
        self.transport.deliver(node, new)

    def forward(self, node: Node, in_if: str, packet: IPv4Packet, tracked: Tracked) -> None:
        """ip_forward: forwarding sysctl, route, TTL, FORWARD, POSTROUTING, neighbour."""
        if not node.forwarding(in_if):
            self.drop(node, f"not for this host and forwarding is off on {in_if}", packet)
            return
        route = node.route(packet.dst)
        if route is None:
            self.note(RouteDecision(self.env.now, node.label, packet.dst, "unreachable"))
            self.drop(node, f"no route to {packet.dst}", packet)
            self.icmp_error(node, packet, ICMP_DEST_UNREACH, NET_UNREACH)
            return
        if self.record:
            self.note(
                RouteDecision(
                    self.env.now,
                    node.label,
                    packet.dst,
                    "forward",
                    route.interface,
                    route.gateway,
                    None,
                    route.text,
                )
            )
        if packet.ttl <= 1:
            self.drop(node, "TTL exceeded", packet)
            self.icmp_error(node, packet, ICMP_TIME_EXCEEDED, 0)
            return
        packet = packet.forwarded()
        out = route.interface
        if not self.filter_hook(node, "FORWARD", packet, tracked, in_if, out):
            return
        final = self.postrouting(node, packet, tracked, out)
        if final is None:
            return
        node.conntrack.confirm(tracked)
        self.neighbour_output(node, out, route.gateway or final.dst, final)

    def ip_output(
        self, node: Node, packet: IPv4Packet, attached: Tracked | None = None
    ) -> str | None:
        """ip_local_out for a packet a socket (or the kernel) sends; return an errno or None.

        ``attached`` is a connection the kernel already tied the packet to (a RST
        from REJECT); conntrack then leaves the packet alone.
        """
        route = node.route(packet.dst)
        if route is None:
            self.note(RouteDecision(self.env.now, node.label, packet.dst, "unreachable"))
            self.drop(node, f"no route to {packet.dst} (Network is unreachable)", packet)
            return "ENETUNREACH"
        if self.record:
            self.note(
                RouteDecision(
                    self.env.now,
                    node.label,
                    packet.dst,
                    "local" if route.local else "output",
                    route.interface,
                    route.gateway,
                    packet.src,
                    route.text,
                )
            )
        out = route.interface
        active = node.active_chains
        if ("raw", "OUTPUT") in active:
            verdict = self.walk(node, "OUTPUT", "raw", packet, UNTRACKED, "", out)
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "raw OUTPUT dropped it", packet)
                return "EPERM"
        tracked = attached or self._conntrack(node, "OUTPUT", packet)
        if ("mangle", "OUTPUT") in active:
            verdict = self.walk(node, "OUTPUT", "mangle", packet, tracked, "", out)
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "mangle OUTPUT dropped it", packet)
                return "EPERM"
        new = self.nat_hook(node, "OUTPUT", packet, tracked, DST_MANIP, "", out)
        if new is None:
            return "EPERM"
        if new is not packet and new.dst != packet.dst:  # ip_route_me_harder
            route = node.route(new.dst)
            if route is None:
                self.drop(node, f"no route to {new.dst} after DNAT", new)
                return "EHOSTUNREACH"
            out = route.interface
            if self.record:
                self.note(
                    RouteDecision(
                        self.env.now,
                        node.label,
                        new.dst,
                        "local" if route.local else "output (rerouted after DNAT)",
                        out,
                        route.gateway,
                        new.src,
                        route.text,
                    )
                )
        if not self.filter_hook(node, "OUTPUT", new, tracked, "", out):
            return "EPERM"
        if out != "lo" and int(new.src) >> 24 == 127 and not node.route_localnet(out):
            self.drop(
                node, f"source {new.src} may not leave through {out} (route_localnet is 0)", new
            )
            return "EINVAL"
        final = self.postrouting(node, new, tracked, out)
        if final is None:
            return "EPERM"
        node.conntrack.confirm(tracked)
        if out == "lo":
            lo = node.interface("lo")
            assert lo is not None
            self.later(self.config.loopback_delay, self._loopback, node, lo, final)
            return None
        assert route is not None
        self.neighbour_output(node, out, route.gateway or final.dst, final)
        return None

    def _loopback(self, node: Node, lo: Interface, packet: IPv4Packet) -> None:
        if self.record:
            self.events.append(FrameEvent(self.env.now, node.label, "lo", "rx", packet.summary()))
        if self.capture:
            frame = Frame("00:00:00:00:00:00", "00:00:00:00:00:00", packet)
            self.captures.append(Capture(self.env.now, node.label, "lo", "rx", frame))
        self.ip_input(node, lo, packet)

    def icmp_error(self, node: Node, offending: IPv4Packet, icmp_type: int, code: int) -> None:
        """icmp_send: tell the sender of ``offending`` what went wrong (never about an error)."""
        if is_icmp_error(offending) or offending.src.is_unspecified:
            return
        source: IPv4Address | None = offending.dst
        if not node.is_local(offending.dst):
            back = node.route(offending.src)
            source = back.source if back is not None else None
        if source is None:
            return
        message = IcmpMessage(icmp_type, code, quoted=offending)
        error = IPv4Packet(
            source, offending.src, message, ident=node.next_ident(), dont_fragment=False, tos=0xC0
        )
        self.ip_output(node, error)

    # -- neighbours ------------------------------------------------------------------

    def neighbour_output(self, node: Node, out: str, hop: IPv4Address, packet: IPv4Packet) -> None:
        """Send ``packet`` to ``hop`` on ``out``, resolving its MAC with ARP first."""
        iface = node.interface(out)
        if iface is None:
            self.drop(node, f"no interface {out}", packet)
            return
        mac = node.neighbours.get((out, hop))
        if mac is not None:  # the common case, without the closures below
            self.transmit(iface, Frame(iface.mac, mac, packet))
            return

        def send(mac: str) -> None:
            self.transmit(iface, Frame(iface.mac, mac, packet))

        self.neighbour_resolve(node, iface, hop, send, lambda: self.link_failure(node, packet))

    def neighbour_resolve(
        self,
        node: Node,
        iface: Interface,
        hop: IPv4Address,
        resolved: Callable[[str], None],
        failed: Callable[[], None],
    ) -> None:
        """Call ``resolved(mac)`` once ``hop`` answers ARP on ``iface``, or ``failed()``."""
        mac = node.neighbours.get((iface.name, hop))
        if mac is not None:
            resolved(mac)
            return
        key = (id(node), iface.name, hop)
        pending = self._pending.get(key)
        if pending is not None:
            pending.waiting.append((resolved, failed))
            return
        pending = self._pending[key] = _Pending([(resolved, failed)])
        self.env.process(self._solicit(node, iface, hop, pending, key))

    def _solicit(
        self,
        node: Node,
        iface: Interface,
        hop: IPv4Address,
        pending: _Pending,
        key: tuple[int, str, IPv4Address],
    ):  # type: ignore[no-untyped-def]
        source = node.select_source(iface.name, hop) or IPv4Address("0.0.0.0")
        for _ in range(self.config.arp_attempts):
            if pending.resolved:
                return
            self.note(NeighbourEvent(self.env.now, node.label, iface.name, hop, "request"))
            request = ArpPacket(ARP_REQUEST, iface.mac, source, "00:00:00:00:00:00", hop)
            self.transmit(iface, Frame(iface.mac, BROADCAST_MAC, request))
            yield self.env.timeout(self.config.arp_interval)
        if pending.resolved:
            return
        self._pending.pop(key, None)
        self.note(NeighbourEvent(self.env.now, node.label, iface.name, hop, "failed"))
        for _, failed in pending.waiting:
            failed()

    def link_failure(self, node: Node, packet: IPv4Packet) -> None:
        """ipv4_link_failure: ARP gave up, so report host unreachable to the sender."""
        self.drop(node, f"no ARP answer for the next hop of {packet.dst}", packet)
        self.icmp_error(node, packet, ICMP_DEST_UNREACH, HOST_UNREACH)

    def arp_input(self, node: Node, iface: Interface, arp: ArpPacket) -> None:
        """arp_process: answer requests for local addresses, learn from replies."""
        if arp.op == ARP_REQUEST:
            target = arp.target_ip
            if not node.owns_on(iface.name, target) or int(target) >> 24 == 127:
                return
            if not arp.sender_ip.is_unspecified:
                node.neighbours[(iface.name, arp.sender_ip)] = arp.sender_mac
            if self.record:
                self.note(
                    NeighbourEvent(self.env.now, node.label, iface.name, target, "reply", iface.mac)
                )
            reply = ArpPacket(ARP_REPLY, iface.mac, target, arp.sender_mac, arp.sender_ip)
            self.transmit(iface, Frame(iface.mac, arp.sender_mac, reply))
            return
        key = (id(node), iface.name, arp.sender_ip)
        pending = self._pending.get(key)
        if pending is None and (iface.name, arp.sender_ip) not in node.neighbours:
            return  # unsolicited replies do not create entries (arp_accept=0)
        node.neighbours[(iface.name, arp.sender_ip)] = arp.sender_mac
        self.note(
            NeighbourEvent(
                self.env.now, node.label, iface.name, arp.sender_ip, "resolved", arp.sender_mac
            )
        )
        if pending is not None:
            pending.resolved = True
            del self._pending[key]
            for resolved, _ in pending.waiting:
                resolved(arp.sender_mac)

    # -- running ---------------------------------------------------------------------

    def run(self, until: simpy.Event | None = None) -> None:
        """Run until ``until`` fires or the time limit passes."""
        limit = self.env.timeout(self.config.time_limit)
        if until is None:
            self.env.run(until=limit)
            return
        self.env.run(until=self.env.any_of([until, limit]))


__all__ = ["ACK", "Capture", "EngineConfig", "Simulation"]
