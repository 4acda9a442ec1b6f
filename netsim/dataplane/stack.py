"""The kernel's IPv4 decisions for one packet, made once for both data planes.

``IPv4Stack`` is the order and the outcome of everything Linux decides about a
packet between the link layer and the socket (``net/ipv4/ip_input.c``,
``ip_forward.c``, ``ip_output.c``, ``icmp.c``, ``net/netfilter/nf_nat_core.c``,
``net/bridge/br_netfilter_hooks.c``):

* receive: raw PREROUTING, conntrack, mangle and nat PREROUTING, the routing
  decision (martian 127/8 unless ``route_localnet``), then INPUT (mangle,
  filter, nat) and the socket, or FORWARD (``forwarding`` on the incoming
  interface, TTL, mangle and filter FORWARD, mangle and nat POSTROUTING,
  neighbour output);
* local output: route, raw OUTPUT, conntrack, mangle, nat (a DNAT reroutes)
  and filter OUTPUT, mangle and nat POSTROUTING, then loopback or the
  neighbour;
* the nat table is consulted once per connection and manip type, and the
  binding (the address and port a DNAT, SNAT, MASQUERADE or REDIRECT picks,
  a clashing reply tuple moved to another port) goes into conntrack;
* REJECT answers with a TCP RST tied to the connection or an ICMP error;
  ``icmp_send`` never answers an error and picks the source as Linux does;
* a bridged packet (br_netfilter) runs PREROUTING, FORWARD and POSTROUTING
  with the bridge as both interfaces; one DNATed away from the bridge is
  handed to the host stack (``br_nf_pre_routing_finish``).

The packet engine (``engine.Simulation``: frames, ARP, bridges, simpy) and the
flow evaluator (``flow``: cached verdicts, no simpy) are both ``IPv4Stack``\\ s.
What differs between them is below this class (how a chain's verdict is found
and cached, the conntrack table of a namespace, the link layer, the clock) and
above it (the sockets' programs); the decisions themselves live only here.
"""

from __future__ import annotations

import random
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from netsim.dataplane.conntrack import (
    DST_MANIP,
    ORIGINAL,
    REPLY,
    SRC_MANIP,
    UNTRACKED,
    ConntrackEntry,
    ConntrackTable,
    Tracked,
    bind,
    translate,
)
from netsim.dataplane.frames import (
    ICMP_DEST_UNREACH,
    ICMP_TIME_EXCEEDED,
    NET_UNREACH,
    PROTO_ICMP,
    PROTO_TCP,
    PROTO_UDP,
    RST,
    FlowKey,
    IcmpMessage,
    IPv4Packet,
    TcpSegment,
    flow_key,
    is_icmp_error,
)
from netsim.dataplane.matches import NAT_MANIP, REJECT_CODES
from netsim.dataplane.nodes import LOOPBACK_ADDRESS
from netsim.dataplane.trace import (
    ChainWalk,
    ConntrackEvent,
    DropEvent,
    NatEvent,
    RouteDecision,
    TraceEvent,
)
from netsim.kernel.evaluate import Verdict
from netsim.kernel.rules import NatTarget, PortsTarget

if TYPE_CHECKING:
    from netsim.dataplane.frames import Frame
    from netsim.dataplane.nodes import Node, RouteResult
    from netsim.dataplane.sockets import Transport

Header = tuple[
    IPv4Address,
    IPv4Address,
    int,
    int | None,
    int | None,
    int | None,
    int | None,
    int | None,
    str,
    str,
    str,
    bool,
    bool,
    str,
    FlowKey | None,
    FlowKey | None,
]
"""What netfilter decides on at a hook: ``PacketView``'s fields, in its order (``VIEW_FIELDS``)."""


DIRECTION_NAMES = {ORIGINAL: "ORIGINAL", REPLY: "REPLY"}
"""A packet's conntrack direction as ``-m conntrack --ctdir`` names it."""


class IPv4Stack:
    """The kernel's IPv4 path over the namespaces of one world.

    A subclass provides what lies below the decisions: ``verdict`` (a built-in
    chain's verdict, and how it is cached), ``conntrack_of``, ``neighbour_output`` and
    ``loop_back`` (the link layer), ``clock``, and a ``transport`` that
    delivers packets to sockets and sends RSTs. ``record`` turns the trace
    on; ``rng`` is the run's seeded generator.
    """

    record: bool
    # Whether ``walk`` keeps the verdicts of packets without a connection per
    # node (a simulation's flows repeat them; a one-off evaluation does not).
    memo_untracked = False
    rng: random.Random
    transport: Transport
    events: list[TraceEvent]

    # -- what a path provides ----------------------------------------------------------

    def clock(self) -> float:
        """Return the simulated time now."""
        raise NotImplementedError

    def verdict(self, node: Node, table: str, hook: str, header: Header) -> Verdict:
        """Return the verdict of ``table``'s built-in chain for ``hook`` on ``header``."""
        raise NotImplementedError

    def conntrack_of(self, node: Node) -> ConntrackTable:
        """Return the conntrack table of ``node``'s namespace."""
        raise NotImplementedError

    def count(self, node: Node, verdict: Verdict) -> None:
        """Bump the counters a packet with ``verdict`` passed, when this path keeps them.

        ``verdict`` came from ``verdict`` on this node earlier; ``walk`` calls
        this instead when it reuses that verdict for the same connection.
        """

    def neighbour_output(self, node: Node, out: str, hop: IPv4Address, packet: IPv4Packet) -> None:
        """Send ``packet`` to ``hop`` on interface ``out`` (neighbour resolution first)."""
        raise NotImplementedError

    def loop_back(self, node: Node, packet: IPv4Packet) -> None:
        """Send ``packet`` through ``node``'s loopback to its own input path."""
        raise NotImplementedError

    # -- recording -------------------------------------------------------------------

    def note(self, event: TraceEvent) -> None:
        """Append a trace event when recording."""
        if self.record:
            self.events.append(event)

    def drop(self, node: Node, reason: str, packet: IPv4Packet | Frame | None = None) -> None:
        """Record that a packet went no further."""
        if self.record:
            summary = packet.summary() if packet is not None else ""
            self.events.append(DropEvent(self.clock(), node.label, reason, summary))

    def note_route(
        self,
        node: Node,
        destination: IPv4Address,
        result: str,
        route: RouteResult,
        source: IPv4Address | None = None,
    ) -> None:
        """Record the routing decision ``result`` that ``route`` made."""
        self.events.append(
            RouteDecision(
                self.clock(),
                node.label,
                destination,
                result,
                route.interface,
                route.gateway,
                source,
                route.text,
            )
        )

    # -- netfilter ---------------------------------------------------------------------

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
            protocol, sport, dport = PROTO_TCP, payload.sport, payload.dport
            itype = icode = None
            flags: int | None = payload.flags
        elif isinstance(payload, IcmpMessage):
            protocol, sport, dport = PROTO_ICMP, None, None
            itype, icode, flags = payload.type, payload.code, None
        else:
            protocol, sport, dport = PROTO_UDP, payload.sport, payload.dport
            itype = icode = flags = None
        memo: tuple[object, ...] = ()
        walks: dict[tuple[object, ...], Verdict] | None = None
        if entry is not None and tracked.state != "RELATED":
            # A connection's packets of one direction and state reach a hook with
            # the same addresses and ports (the tuple conntrack found them by,
            # then the connection's own NAT bindings), so its verdicts are kept on
            # the connection under what else the header holds: no addresses to
            # hash. An ICMP error (RELATED) carries addresses of its own.
            memo = (
                table,
                hook,
                tracked.direction,
                tracked.state,
                flags,
                itype,
                icode,
                in_if,
                out_if,
                entry.snat,
                entry.dnat,
            )
            walks = entry.walks
            if walks is None:
                walks = {}
                entry.walks = walks
        elif entry is None and self.memo_untracked:
            # No connection (raw tables, INVALID): kept per node under the header
            # with its addresses by identity; the value holds both objects, so
            # their ids stay theirs while the key lives.
            memo = (
                table,
                hook,
                id(packet.src),
                id(packet.dst),
                protocol,
                sport,
                dport,
                itype,
                icode,
                flags,
                in_if,
                out_if,
                tracked.state,
            )
            known = node.untracked.get(memo)
            if known is not None:
                self.count(node, known[0])
                if self.record:
                    self._note_walk(node, hook, table, known[0], in_if, out_if)
                return known[0]
        verdict = walks.get(memo) if walks is not None else None
        if verdict is not None:
            self.count(node, verdict)
        else:
            # The tuples only where a rule reads them: they hold the client's port,
            # which would otherwise split every verdict cache per flow.
            original = reply = None
            if entry is not None and node.tuples_read[table]:
                original, reply = entry.original, entry.reply
            header: Header = (
                packet.src,
                packet.dst,
                protocol,
                sport,
                dport,
                itype,
                icode,
                flags,
                in_if,
                out_if,
                tracked.state,
                entry is not None and entry.snat,
                entry is not None and entry.dnat,
                "" if entry is None else DIRECTION_NAMES[tracked.direction],
                original,
                reply,
            )
            verdict = self.verdict(node, table, hook, header)
            if walks is not None:
                walks[memo] = verdict
            elif memo:
                node.untracked[memo] = (verdict, packet.src, packet.dst)
        if self.record:
            self._note_walk(node, hook, table, verdict, in_if, out_if)
        return verdict

    def _note_walk(
        self, node: Node, hook: str, table: str, verdict: Verdict, in_if: str, out_if: str
    ) -> None:
        self.events.append(
            ChainWalk(
                self.clock(),
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

    def classify(self, node: Node, hook: str, packet: IPv4Packet) -> Tracked:
        """nf_conntrack_in: find or start the packet's connection."""
        tracked = self.conntrack_of(node).classify(packet)
        if self.record and tracked.entry is not None:
            self.events.append(
                ConntrackEvent(
                    self.clock(),
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
        if entry is None:
            return packet
        kind = ""
        if (
            tracked.state == "NEW"
            and tracked.direction == ORIGINAL
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
                binds = NAT_MANIP.get(kind)
                if binds is None:
                    raise TypeError(f"NAT target {kind} is not in netsim.dataplane.matches")
                if binds != manip:
                    bind(entry, manip, None, None)
                else:
                    address, port = self.nat_target(node, hook, packet, target, in_if, out_if)
                    bind(entry, manip, address, port)
                    if manip == SRC_MANIP:
                        self.avoid_clash(node, entry)
        elif not (entry.snat or entry.dnat):
            return packet  # nothing to rewrite: most connections have no NAT binding
        new = translate(packet, tracked, manip)
        if (
            new is not packet
            and self.record
            and (new.src, new.dst, new.sport, new.dport)
            != (packet.src, packet.dst, packet.sport, packet.dport)
        ):
            if not kind:
                # No rule was consulted: the connection's binding applies. Going
                # the connection's way it is its DNAT or SNAT again; coming back,
                # the reverse of the other one.
                if tracked.direction == ORIGINAL:
                    kind = "conntrack SNAT" if manip == SRC_MANIP else "conntrack DNAT"
                else:
                    kind = "un-DNAT" if manip == SRC_MANIP else "un-SNAT"
                if tracked.state == "RELATED":
                    kind = "ICMP error " + kind
            self.events.append(
                NatEvent(self.clock(), node.label, hook, kind, flow_key(packet), flow_key(new))
            )
        return new

    def nat_target(
        self,
        node: Node,
        hook: str,
        packet: IPv4Packet,
        target: NatTarget | PortsTarget,
        in_if: str,
        out_if: str,
    ) -> tuple[IPv4Address | None, int | None]:
        """Return the address and port a NAT target binds (None keeps the packet's own).

        DNAT/SNAT take theirs; REDIRECT the incoming interface's primary address
        (127.0.0.1 for locally generated packets); MASQUERADE the source the
        route out of ``out_if`` would pick (``nf_nat_masquerade_ipv4``).
        """
        port = target.ports[0] if target.ports is not None else None
        if isinstance(target, NatTarget):
            return target.address, port
        if target.name == "REDIRECT":
            if hook == "OUTPUT":
                return LOOPBACK_ADDRESS, port
            return node.primary_address(in_if), port
        route = node.route(packet.dst)
        toward = route.gateway if route is not None and route.gateway else packet.dst
        return node.select_source(out_if, toward), port

    def avoid_clash(self, node: Node, entry: ConntrackEntry) -> None:
        """Move a source NAT whose reply tuple is taken to a random free port (nf_nat_l4proto)."""
        table = self.conntrack_of(node)
        tries = 0
        while table.reply_taken(entry.reply) and tries < 64:
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
        tracked = self.classify(node, "PREROUTING", packet)
        if ("mangle", "PREROUTING") in active:
            verdict = self.walk(node, "PREROUTING", "mangle", packet, tracked, in_if, "")
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "mangle PREROUTING dropped it", packet)
                return None
        entry = tracked.entry
        if entry is None or not (entry.snat or entry.dnat or tracked.state == "NEW"):
            return packet, tracked  # no NAT to consult or apply: nat_hook would change nothing
        if tracked.state != "NEW" and not self.record:
            # nat_hook consults the table for NEW packets only and otherwise
            # translates; what it would record is not wanted here.
            return translate(packet, tracked, DST_MANIP), tracked
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
        entry = tracked.entry
        if entry is None or not (entry.snat or entry.dnat or tracked.state == "NEW"):
            return packet  # no NAT to consult or apply: nat_hook would change nothing
        if tracked.state != "NEW" and not self.record:
            return translate(packet, tracked, SRC_MANIP)  # as in prerouting
        return self.nat_hook(node, "POSTROUTING", packet, tracked, SRC_MANIP, "", out_if)

    def reject(
        self, node: Node, packet: IPv4Packet, reject_with: str, tracked: Tracked = UNTRACKED
    ) -> None:
        """Answer a rejected packet: a TCP RST (tcp-reset) or an ICMP error.

        Both answers belong to the rejected packet's connection, so NAT
        translates them back like a reply: nf_send_reset attaches the
        connection to the RST (``nf_ct_attach``), and the ICMP error quoting a
        DNATed packet reaches its sender with the header it sent (seen on
        20.10 and 28.5: a REJECT in DOCKER-USER makes a published UDP port
        "closed" and a TCP one "refused", not a timeout).
        """
        payload = packet.payload
        attached = None
        if tracked.entry is not None:
            back = REPLY if tracked.direction == ORIGINAL else ORIGINAL
            attached = Tracked(tracked.entry, back, "RELATED")
        if reject_with == "tcp-reset":
            if isinstance(payload, TcpSegment) and not payload.flags & RST:
                self.transport.send_reset(node, packet, attached)
            return
        if is_icmp_error(packet):
            return
        self.icmp_error(node, packet, ICMP_DEST_UNREACH, REJECT_CODES.get(reject_with, 3), attached)

    # -- IPv4 --------------------------------------------------------------------------

    def ip_input(self, node: Node, in_if: str, packet: IPv4Packet) -> None:
        """ip_rcv: PREROUTING, then the routing decision."""
        pre = self.prerouting(node, packet, in_if)
        if pre is None:
            return
        new, tracked = pre
        self.after_prerouting(node, in_if, new, tracked)

    def after_prerouting(
        self, node: Node, in_if: str, packet: IPv4Packet, tracked: Tracked
    ) -> None:
        """ip_rcv_finish: route the packet to a local socket or forward it."""
        _, local, loopback = node.address_kind(packet.dst)
        martian_source = node.is_loopback(packet.src)
        if (martian_source or loopback) and in_if != "lo" and not node.route_localnet(in_if):
            if martian_source:
                self.drop(node, f"martian source {packet.src} on {in_if}", packet)
                return
            if loopback:
                self.drop(
                    node,
                    f"martian destination {packet.dst} on {in_if} (route_localnet is 0)",
                    packet,
                )
                return
        if local:
            if self.record:
                self.note(RouteDecision(self.clock(), node.label, packet.dst, "local"))
            self.local_deliver(node, in_if, packet, tracked)
            return
        self.forward(node, in_if, packet, tracked)

    def local_deliver(self, node: Node, in_if: str, packet: IPv4Packet, tracked: Tracked) -> None:
        """ip_local_deliver: mangle, filter and nat INPUT, then the transport layer."""
        if node.filter_tables["INPUT"] and not self.filter_hook(
            node, "INPUT", packet, tracked, in_if, ""
        ):
            return
        entry = tracked.entry
        if entry is None or not (entry.snat or entry.dnat or tracked.state == "NEW"):
            new: IPv4Packet | None = packet  # as nat_hook would leave it
        else:
            new = self.nat_hook(node, "INPUT", packet, tracked, SRC_MANIP, in_if, "")
        if new is None:
            return
        if tracked.created:  # only a connection's first packet confirms it
            self.conntrack_of(node).confirm(tracked)
        self.transport.deliver(node, new)

    def forward(self, node: Node, in_if: str, packet: IPv4Packet, tracked: Tracked) -> None:
        """ip_forward: forwarding sysctl, route, TTL, FORWARD, POSTROUTING, neighbour."""
        if not node.forwarding(in_if):
            self.drop(node, f"not for this host and forwarding is off on {in_if}", packet)
            return
        route = node.route(packet.dst)
        if route is None:
            if self.record:
                self.note(RouteDecision(self.clock(), node.label, packet.dst, "unreachable"))
            self.drop(node, f"no route to {packet.dst}", packet)
            self.icmp_error(node, packet, ICMP_DEST_UNREACH, NET_UNREACH)
            return
        if self.record:
            self.note_route(node, packet.dst, "forward", route)
        if packet.ttl <= 1:
            self.drop(node, "TTL exceeded", packet)
            self.icmp_error(node, packet, ICMP_TIME_EXCEEDED, 0)
            return
        packet = packet.forwarded()
        out = route.interface
        if node.filter_tables["FORWARD"] and not self.filter_hook(
            node, "FORWARD", packet, tracked, in_if, out
        ):
            return
        final = self.postrouting(node, packet, tracked, out)
        if final is None:
            return
        if tracked.created:  # only a connection's first packet confirms it
            self.conntrack_of(node).confirm(tracked)
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
            if self.record:
                self.note(RouteDecision(self.clock(), node.label, packet.dst, "unreachable"))
            self.drop(node, f"no route to {packet.dst} (Network is unreachable)", packet)
            return "ENETUNREACH"
        if self.record:
            self.note_route(
                node, packet.dst, "local" if route.local else "output", route, packet.src
            )
        out = route.interface
        active = node.active_chains
        if ("raw", "OUTPUT") in active:
            verdict = self.walk(node, "OUTPUT", "raw", packet, UNTRACKED, "", out)
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "raw OUTPUT dropped it", packet)
                return "EPERM"
        tracked = attached or self.classify(node, "OUTPUT", packet)
        if ("mangle", "OUTPUT") in active:
            verdict = self.walk(node, "OUTPUT", "mangle", packet, tracked, "", out)
            if verdict is not None and verdict.action != "ACCEPT":
                self.drop(node, "mangle OUTPUT dropped it", packet)
                return "EPERM"
        entry = tracked.entry
        if entry is None or not (entry.snat or entry.dnat or tracked.state == "NEW"):
            new: IPv4Packet | None = packet  # as nat_hook would leave it
        else:
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
                action = "local" if route.local else "output (rerouted after DNAT)"
                self.note_route(node, new.dst, action, route, new.src)
        if node.filter_tables["OUTPUT"] and not self.filter_hook(
            node, "OUTPUT", new, tracked, "", out
        ):
            return "EPERM"
        if out != "lo" and node.is_loopback(new.src) and not node.route_localnet(out):
            self.drop(
                node, f"source {new.src} may not leave through {out} (route_localnet is 0)", new
            )
            return "EINVAL"
        final = self.postrouting(node, new, tracked, out)
        if final is None:
            return "EPERM"
        if tracked.created:  # only a connection's first packet confirms it
            self.conntrack_of(node).confirm(tracked)
        if out == "lo":
            self.loop_back(node, final)
            return None
        self.neighbour_output(node, out, route.gateway or final.dst, final)
        return None

    def icmp_error(
        self,
        node: Node,
        offending: IPv4Packet,
        icmp_type: int,
        code: int,
        attached: Tracked | None = None,
    ) -> None:
        """icmp_send: tell the sender of ``offending`` what went wrong (never about an error).

        ``attached`` is the offending packet's connection when REJECT sends the
        error, so that NAT translates the quoted header back.
        """
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
        self.ip_output(node, error, attached)

    # -- bridged IPv4 (br_netfilter) -------------------------------------------------------

    def bridge_prerouting(
        self, node: Node, bridge: str, packet: IPv4Packet
    ) -> tuple[IPv4Packet, Tracked, IPv4Address | None] | None:
        """PREROUTING on a bridged packet; None when it was dropped or left the bridge.

        Returns the packet, its connection, and the next hop on the bridge when
        DNAT changed its destination (None when it did not). A packet DNATed to
        an address not behind this bridge goes to the host stack instead.
        """
        pre = self.prerouting(node, packet, bridge)
        if pre is None:
            return None
        new, tracked = pre
        if new is packet or new.dst == packet.dst:
            return new, tracked, None
        route = node.route(new.dst)
        if route is None or route.local or route.interface != bridge:
            # br_nf_pre_routing_finish: DNATed away from this bridge, so route it.
            if self.record:
                self.note(
                    RouteDecision(
                        self.clock(),
                        node.label,
                        new.dst,
                        "to the host stack",
                        route.interface if route else "",
                    )
                )
            self.after_prerouting(node, bridge, new, tracked)
            return None
        return new, tracked, route.gateway or new.dst

    def bridge_forward(
        self, node: Node, bridge: str, packet: IPv4Packet, tracked: Tracked
    ) -> IPv4Packet | None:
        """FORWARD and POSTROUTING on a bridged packet; the packet to send, or None."""
        if node.filter_tables["FORWARD"] and not self.filter_hook(
            node, "FORWARD", packet, tracked, bridge, bridge
        ):
            return None
        final = self.postrouting(node, packet, tracked, bridge)
        if final is None:
            return None
        if tracked.created:  # only a connection's first packet confirms it
            self.conntrack_of(node).confirm(tracked)
        return final
