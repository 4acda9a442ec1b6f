"""The simulation: frames cross veths, bridges and the LAN; the kernel's IPv4 path runs.

Time is simulated seconds on a simpy ``Environment``; each link crossing is a
scheduled event after a small delay, so concurrent traffic interleaves as on
a real host and loops end (TTL, a frame budget and a time limit). What the
kernel decides about each packet is ``stack.IPv4Stack``'s (shared with the
flow evaluator); this module is the link layer around it, as Linux's
(``net/bridge/br_input.c``, ``br_forward.c``, ``net/ipv4/arp.c``):

* a bridge learns source MACs, delivers frames for its own MAC (or
  broadcasts) to the host stack, forwards by its FDB or floods, refuses to
  send a frame back out its ingress port unless hairpin is set, and, when
  ``bridge-nf-call-iptables`` is 1, hands IPv4 to br_netfilter;
* ARP: 3 requests 1 s apart; giving up sends ICMP host unreachable for each
  queued packet (``ipv4_link_failure``), to the local socket or to the sender;
* the netfilter walk's verdicts are cached per node, keyed by the header
  fields some rule reads, and the rules' counters are bumped.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

import simpy

from netsim.dataplane.conntrack import ConntrackTable, Tracked
from netsim.dataplane.frames import (
    ACK,
    ARP_REPLY,
    ARP_REQUEST,
    BROADCAST_MAC,
    HOST_UNREACH,
    ICMP_DEST_UNREACH,
    ArpPacket,
    Frame,
    IPv4Packet,
)
from netsim.dataplane.nodes import Node, accounting_plan
from netsim.dataplane.stack import Header, IPv4Stack
from netsim.dataplane.trace import (
    BridgeDecision,
    FrameEvent,
    NeighbourEvent,
    TraceEvent,
)
from netsim.kernel.evaluate import PacketView, Verdict
from netsim.kernel.namespace import Bridge, Interface, NetworkNamespace

if TYPE_CHECKING:
    from netsim.dataplane.sockets import Signal, Transport
    from netsim.world import World


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


def simpy_event(signal: Signal) -> simpy.Event:
    """Return a socket's signal as the simpy event it is in this engine."""
    assert isinstance(signal, simpy.Event)
    return signal


def _is_group(mac: str) -> bool:
    """Return True for a group (multicast or broadcast) MAC: the first octet's low bit."""
    return mac[1] in _ODD_HEX


Action = Callable[..., None]


class _Batch:
    """Arrivals due at one instant, run in the order they were sent, by one simpy event.

    ``urgent`` marks the rest of a batch that had to make way for an event
    scheduled for the current instant (see ``LinkEnvironment``); ``mark`` is
    how many such events had been scheduled when it was queued again.
    """

    __slots__ = ("env", "at", "actions", "args", "urgent", "mark")

    def __init__(
        self,
        env: LinkEnvironment,
        at: float,
        actions: list[Action],
        args: list[tuple[object, ...]],
    ) -> None:
        self.env = env
        self.at = at
        self.actions = actions
        self.args = args
        self.urgent = False
        self.mark = 0

    def __call__(self, _event: simpy.Event) -> None:
        self.env.run_arrivals(self)


class LinkEnvironment(simpy.Environment):
    """simpy's environment, with frame arrivals due at the same instant carried by one event.

    simpy runs events by time, then priority, then order of scheduling; frame
    arrivals are ordinary timeouts. Arrivals scheduled one after another for
    the same instant, with no other event for that instant scheduled between
    them, would run back to back, so they can share one event without
    changing what runs when:

    * any other event scheduled for an instant closes that instant's batch:
      later arrivals for it start a new batch behind the event;
    * an event scheduled for *now* while a batch runs (a process starting, an
      event succeeding) may run before the rest of the batch would have, so
      the rest is queued again behind it as the start of a process (a start
      runs before every timeout of its instant), and again behind any event
      scheduled for now after that.

    Only public simpy is used: ``schedule`` (overridden to see every event
    queued, without reading its priority), ``timeout`` and ``process``.
    The order of every event is the one one-timeout-per-arrival would give.
    """

    def __init__(self) -> None:
        super().__init__()
        self._open: dict[float, _Batch] = {}
        self._now_events = 0  # events scheduled for their own instant, ours aside
        self._own = False  # True while scheduling the event of a new batch
        self.arrivals = 0  # actions run through ``arrive``
        self.batches = 0  # simpy events that carried them

    def schedule(self, event: simpy.Event, priority: Any = None, delay: float = 0) -> None:
        """Schedule ``event`` as simpy does, closing an open batch it must run between."""
        if not self._own:
            if delay == 0:
                self._now_events += 1
            if self._open:
                self._open.pop(self.now + delay, None)
        if priority is None:
            super().schedule(event, delay=delay)
        else:
            super().schedule(event, priority, delay)

    def arrive(self, delay: float, action: Action, args: tuple[object, ...]) -> None:
        """Run ``action(*args)`` after ``delay``, as its own timeout would."""
        at = self.now + delay
        self.arrivals += 1
        batch = self._open.get(at)
        if batch is not None:
            batch.actions.append(action)
            batch.args.append(args)
            return
        batch = _Batch(self, at, [action], [args])
        self.batches += 1
        self._own = True
        try:
            timeout = self.timeout(delay)
        finally:
            self._own = False
        timeout.callbacks.append(batch)
        self._open[at] = batch

    def run_arrivals(self, batch: _Batch) -> None:
        """Run a batch's arrivals in order (the callback of its simpy event)."""
        if batch.urgent:
            if batch.mark != self._now_events:
                # Something was scheduled for now behind this batch: let it go first.
                self._requeue(batch.at, batch.actions, batch.args)
                return
        elif self._open.get(batch.at) is batch:
            del self._open[batch.at]
        actions = batch.actions
        args = batch.args
        last = len(actions) - 1
        index = 0
        for action in actions:
            mark = self._now_events
            action(*args[index])
            if self._now_events != mark and index < last:
                self._requeue(batch.at, actions[index + 1 :], args[index + 1 :])
                return
            index += 1

    def _requeue(self, at: float, actions: list[Action], args: list[tuple[object, ...]]) -> None:
        rest = _Batch(self, at, actions, args)
        self.batches += 1
        rest.urgent = True
        # A process starts ahead of every timeout of its instant (and behind the
        # starts already queued): the place the rest of the batch would have had.
        self.process(self._start(rest))
        rest.mark = self._now_events

    def _start(self, rest: _Batch) -> Generator[simpy.Event, Any, None]:
        self.run_arrivals(rest)
        # Wait for nothing, for ever: a process that ended would queue its end,
        # one more event for now. The suspended process is garbage once this
        # event is.
        yield self.event()


class Simulation(IPv4Stack):
    """One run of the data plane over a world (the world is not changed, counters aside).

    The decisions are ``IPv4Stack``'s; this class moves frames between them:
    links, bridges, ARP, simpy's clock, and the verdict cache and counters of
    the netfilter walk.
    """

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
        # Per interface a frame arrives on: its node, and the bridge it is a port
        # of (None for none). Interfaces are not re-mastered while a simulation runs.
        self._receivers: dict[Interface, tuple[Node, Bridge | None]] = {}
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
        self.transport: Transport = Transport(self, self.env.event)
        self._receive = self.receive  # bound once: one arrival per frame-hop uses it
        self._max_frames = self.config.max_frames
        self._veth_delay = self.config.veth_delay
        self._bridge_delay = self.config.bridge_delay
        self.memo_untracked = True

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

    # -- clock and conntrack -------------------------------------------------------

    def clock(self) -> float:
        """Return simpy's time."""
        return self.env.now

    def conntrack_of(self, node: Node) -> ConntrackTable:
        """Return the node's conntrack table (it lives as long as the simulation)."""
        return node.conntrack

    def classify(self, node: Node, hook: str, packet: IPv4Packet) -> Tracked:
        """nf_conntrack_in in the node's own table (IPv4Stack.classify when recording)."""
        if self.record:
            return super().classify(node, hook, packet)
        return node.conntrack.classify(packet)

    def later(self, delay: float, action: Callable[..., None], *args: object) -> None:
        """Run ``action(*args)`` after ``delay`` simulated seconds."""
        self.env.arrive(delay, action, args)

    # -- links -----------------------------------------------------------------

    def transmit(self, iface: Interface, frame: Frame, queued: float = 0.0) -> None:
        """Send a frame out of ``iface``: across its veth, the LAN, the bridge or loopback.

        ``queued`` is time the frame already spent in a bridge before this port;
        it is added to the crossing so one event covers both.
        """
        self.frames_sent += 1
        if self.frames_sent > self._max_frames:
            if not self.storm:
                self.storm = True
                self.drop(
                    self.node_of(iface.namespace),
                    "frame budget exhausted (a loop or a storm)",
                    frame,
                )
            return
        if self.record:
            self.events.append(
                FrameEvent(
                    self.env.now,
                    self.node_of(iface.namespace).label,
                    iface.name,
                    "tx",
                    frame.payload.summary(),
                )
            )
        if self.capture:
            label = self.node_of(iface.namespace).label
            self.captures.append(Capture(self.env.now, label, iface.name, "tx", frame))
        kind = iface.kind
        if kind == "veth" and iface.admin_up:  # the common case first: one veth crossing
            peer = iface.peer
            if peer is None or not peer.admin_up:
                self.drop(self.node_of(iface.namespace), f"{iface.name}: no carrier", frame)
                return
            delay = queued + self._veth_delay
            env = self.env
            batch = env._open.get(env.now + delay)
            if batch is not None:  # LinkEnvironment.arrive's common case, inlined
                env.arrivals += 1
                batch.actions.append(self._receive)
                batch.args.append((peer, frame))
                return
            env.arrive(delay, self._receive, (peer, frame))
            return
        node = self.node_of(iface.namespace)
        if not iface.admin_up:
            self.drop(node, f"{iface.name} is down", frame)
            return
        if kind == "bridge":
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
        receiver = self._receivers.get(iface)
        if receiver is None:
            receiver = self._receivers[iface] = self._receiver(iface)
        node, bridge = receiver
        if self.record and iface.kind != "loopback":
            self.events.append(
                FrameEvent(self.env.now, node.label, iface.name, "rx", frame.payload.summary())
            )
        if self.capture:
            self.captures.append(Capture(self.env.now, node.label, iface.name, "rx", frame))
        if not iface.admin_up:
            self.drop(node, f"{iface.name} is down", frame)
            return
        if bridge is not None:
            self.bridge_input(node, bridge, iface, frame)
            return
        self.netif_receive(node, iface, frame)

    def _receiver(self, iface: Interface) -> tuple[Node, Bridge | None]:
        """Return the node ``iface`` belongs to and the bridge it is a port of (or None)."""
        node = self.node_of(iface.namespace)
        master = node.interface(iface.master) if iface.master else None
        return node, master if isinstance(master, Bridge) else None

    def netif_receive(self, node: Node, iface: Interface, frame: Frame) -> None:
        """Hand a frame to the protocol: ARP or IPv4 (frames for other MACs are dropped)."""
        dst = frame.dst_mac
        if dst != iface.mac and iface.kind != "loopback" and not _is_group(dst):
            self.drop(node, f"{iface.name}: frame for another host ({dst})", frame)
            return
        payload = frame.payload
        if isinstance(payload, ArpPacket):
            self.arp_input(node, iface, payload)
            return
        # ip_input, inlined: every IPv4 frame a node takes in comes here.
        pre = self.prerouting(node, payload, iface.name)
        if pre is not None:
            self.after_prerouting(node, iface.name, pre[0], pre[1])

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
        if self.capture:
            # `tcpdump -i docker0` (promiscuous) sees every frame a port brings
            # into the bridge: the replies to the host, and bridged traffic too.
            self.captures.append(Capture(self.env.now, node.label, bridge.name, "rx", frame))
        table = self._fdb.get(id(bridge)) or self.fdb(bridge)
        src = frame.src_mac
        if src[1] not in _ODD_HEX:  # not a group address (_is_group)
            table[src] = port
        dst = frame.dst_mac
        record = self.record
        if dst == bridge.mac:
            if record:
                self._decide(node, bridge, port, dst, "local")
            self.netif_receive(node, bridge, frame)
            return
        if dst[1] in _ODD_HEX:  # a group address (_is_group)
            outs = [p for p in self.bridge_ports(bridge) if p is not port]
            if record:
                self._decide(
                    node, bridge, port, dst, "flood", outs, "broadcast; also up to the host"
                )
            self.netif_receive(node, bridge, frame)
            for out in outs:
                self.transmit(out, frame, self._bridge_delay)
            return
        known = table.get(dst)
        if known is None:
            outs = [p for p in self.bridge_ports(bridge) if p is not port]
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
            self.transmit(out, frame, self._bridge_delay)

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
        dst = frame.dst_mac
        table = self._fdb.get(id(bridge)) or self.fdb(bridge)
        known = None if dst[1] in _ODD_HEX else table.get(dst)  # _is_group, inlined
        if known is not None and not self.record:  # the common case: one known port
            self.transmit(known, frame, self._bridge_delay)
            return
        outs = [known] if known is not None else self.bridge_ports(bridge)
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
            self.transmit(out, frame, self._bridge_delay)

    def bridged_ip(
        self, node: Node, bridge: Bridge, port: Interface, outs: list[Interface], frame: Frame
    ) -> None:
        """Run iptables on a bridged IPv4 packet (br_netfilter), then send it on."""
        packet = frame.payload
        assert isinstance(packet, IPv4Packet)
        pre = self.bridge_prerouting(node, bridge.name, packet)
        if pre is None:
            return
        new, tracked, hop = pre
        if hop is None:
            if new is not packet:
                frame = Frame(frame.src_mac, frame.dst_mac, new)
            self._bridged_finish(node, bridge, outs, frame, tracked)
            return

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

    def _bridged_finish(
        self, node: Node, bridge: Bridge, outs: list[Interface], frame: Frame, tracked: Tracked
    ) -> None:
        packet = frame.payload
        assert isinstance(packet, IPv4Packet)
        final = self.bridge_forward(node, bridge.name, packet, tracked)
        if final is None:
            return
        out_frame = frame if final is packet else Frame(frame.src_mac, frame.dst_mac, final)
        for out in outs:
            self.transmit(out, out_frame, self._bridge_delay)

    # -- netfilter ---------------------------------------------------------------

    def verdict(self, node: Node, table: str, hook: str, header: Header) -> Verdict:
        """Return a chain's verdict, cached per node, and bump the counters it passed.

        The walk is a pure function of the header and the ruleset, and the
        ruleset does not change while a simulation runs: verdicts are kept
        under the header fields some rule of the table reads (``Node.key_of``),
        so a flow's ports and flags mostly make no new walk.
        """
        # First by the header with its addresses by identity (a flow's packets carry
        # the same address objects, and IPv4Address hashes in Python); the value
        # keeps both objects alive, so their ids stay theirs.
        src = header[0]
        dst = header[1]
        seen = (table, hook, id(src), id(dst), header[2:])
        known = node.seen.get(seen)
        if known is None:
            key = (table, hook, node.key_of[table](header))
            plan = node.walks.get(key)
            if plan is None:
                view = PacketView(*header)
                verdict = node.verdicts.get((table, hook, view))
                if verdict is None:
                    verdict = node.netfilter.evaluate(table, hook, view, node.context)
                    node.verdicts[(table, hook, view)] = verdict
                plan = node.walks[key] = (verdict, accounting_plan(node.netfilter, verdict))
                node.plans[id(verdict)] = plan
            known = node.seen[seen] = (plan[0], plan[1], src, dst)
        verdict, counted, _, _ = known
        if self.account:
            # Netfilter.account's counting (60 bytes a packet), with the chains
            # and rules looked up once per verdict.
            for item in counted:
                item.packets += 1
                item.bytes += 60
        return verdict

    def count(self, node: Node, verdict: Verdict) -> None:
        """Bump the counters of a verdict ``verdict`` gave on this node before."""
        if self.account:
            for item in node.plans[id(verdict)][1]:
                item.packets += 1
                item.bytes += 60

    def loop_back(self, node: Node, packet: IPv4Packet) -> None:
        """Hand a packet sent to ``lo`` back to this namespace's input path."""
        lo = node.interface("lo")
        assert lo is not None
        self.later(self.config.loopback_delay, self._loopback, node, lo, packet)

    def _loopback(self, node: Node, lo: Interface, packet: IPv4Packet) -> None:
        if self.record:
            self.events.append(FrameEvent(self.env.now, node.label, "lo", "rx", packet.summary()))
        if self.capture:
            frame = Frame("00:00:00:00:00:00", "00:00:00:00:00:00", packet)
            self.captures.append(Capture(self.env.now, node.label, "lo", "rx", frame))
        self.ip_input(node, "lo", packet)

    # -- neighbours ------------------------------------------------------------------

    def neighbour_output(self, node: Node, out: str, hop: IPv4Address, packet: IPv4Packet) -> None:
        """Send ``packet`` to ``hop`` on ``out``, resolving its MAC with ARP first."""
        iface = node.interface(out)
        if iface is None:
            self.drop(node, f"no interface {out}", packet)
            return
        mac = node.neighbour(out, hop)
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
        mac = node.neighbour(iface.name, hop)
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
    ) -> Generator[simpy.Event, Any, None]:
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
            if not node.owns_on(iface.name, target):  # never for 127/8
                return
            if not arp.sender_ip.is_unspecified:
                node.learn(iface.name, arp.sender_ip, arp.sender_mac)
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
        node.learn(iface.name, arp.sender_ip, arp.sender_mac)
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
