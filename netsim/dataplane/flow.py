"""Answer probes at flow level: the packet path's decisions, without simpy or frames.

A probe's packets (SYN, SYN-ACK or RST, the handshake's ACK, the listener's
answer; a datagram and its answer; an echo and its reply; ICMP errors; the
docker-proxy's own connection and the embedded DNS query) go through the same
decisions as in the packet engine, made by the same code: routing
(``nodes.Node``), the netfilter hooks, conntrack and NAT bindings, REJECT and
ICMP errors (``stack.IPv4Stack``), and the sockets (``sockets.Transport``:
who accepts a SYN or a datagram, what a closed port answers, which errno an
ICMP error gives). The programs behind the sockets are ``apps.programs``,
answering as ``apps`` has them answer.

What this module adds is below and around those decisions:

* no simpy: callbacks wait in a small time-ordered queue (``_Run``), and a
  socket's signal is a flag the probe polls;
* no frames: a packet goes to the interface that would answer ARP for its
  next hop, through the bridge port the FDB would have learnt
  (``FlowPlane.holder``/``toward``); nobody on the link holds the address:
  ICMP host unreachable after 3 s;
* what depends on the world only is cached per world by ``FlowPlane``:
  routes, ARP answers, bridge ports, and verdicts per *abstract* header
  (addresses and ports replaced by the class of values no rule of the
  namespace tells apart, ``_Atoms``, so an ephemeral port or another client
  address does not make a new walk). A walk that misses the cache runs
  ``evaluate`` on the chains without the rules that name another /32 or
  another single port than the packet's, which cannot match;
* shortcuts that change nothing a probe sees: netfilter counters are not
  incremented, pure ACKs for data are not sent, and a lost SYN is not
  retransmitted (a retransmission meets the same decisions, and conntrack
  keeps its NAT binding, so it ends the same way).

``symmetry_of`` and ``port_classes`` find the namespaces and published ports
the world treats alike up to a swap, which lets ``reach`` answer a group of
cells with one walk. They read rules through ``matches``; a rule with a match
or target it does not describe turns grouping off (``FlowPlane.understood``).
"""

from __future__ import annotations

import heapq
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any, cast

from netsim.dataplane.apps import (
    PROXY,
    EmbeddedDns,
    Listen,
    Program,
    ProxyBinding,
    answer_connection,
    answer_datagram,
    answer_query,
    dns_query,
    programs,
    proxy_bindings,
)
from netsim.dataplane.conntrack import (
    ConntrackTable,
)
from netsim.dataplane.engine import EngineConfig
from netsim.dataplane.frames import (
    HOST_UNREACH,
    ICMP_DEST_UNREACH,
    IPv4Packet,
    UdpDatagram,
)
from netsim.dataplane.matches import (
    match_reads,
    rule_networks,
    rule_ports,
    rule_reads,
    target_known,
)
from netsim.dataplane.names import (
    EMBEDDED_DNS,
    hosts_lookup,
    parse_address,
    resolver_of,
)
from netsim.dataplane.nodes import LOOPBACK_NET, Node
from netsim.dataplane.probe import (
    ANSWER_WAIT,
    PROBE_TIMEOUT,
    UNREACHABLE_ERRNOS,
    ProbeOutcome,
    datagram_answer,
    dns_address,
    failure,
    parse_answer,
)
from netsim.dataplane.sockets import (
    EPHEMERAL_PORTS,
    TcpConnection,
    TcpListener,
    Transport,
    UdpSocket,
)
from netsim.dataplane.stack import Header, IPv4Stack
from netsim.kernel.evaluate import PacketView, Verdict, evaluate
from netsim.kernel.namespace import Bridge, Interface, NetworkNamespace
from netsim.kernel.netfilter import Chain, Netfilter, RuleEntry
from netsim.kernel.rules import (
    MultiportMatch,
    NatTarget,
    PortMatch,
    PortRange,
    PortsTarget,
    Rule,
    Target,
)

if TYPE_CHECKING:
    from netsim.scenario.spec import ProbeStep
    from netsim.world import World

PROTOCOL_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1}
MAX_EVENTS = 20_000
"""Callbacks one probe may run before it counts as a storm (the engine's frame budget)."""


# -- the per-world caches ---------------------------------------------------------------


class _Atoms:
    """The classes of addresses and ports one namespace's rules cannot tell apart.

    An address's class is whether a rule names it as a /32, the networks rules
    name that hold it, and its address types (``-m addrtype``); a port's is its
    place among the ends of the ranges rules test (``matches.match_reads``). A
    rule with a match ``matches`` does not describe makes every address and
    port a class of its own (``distinct``).
    """

    __slots__ = ("bounds", "context", "distinct", "exact", "networks", "_cache", "_types")

    def __init__(self, node: Node) -> None:
        exact: tuple[set[IPv4Address], set[IPv4Address]] = (set(), set())
        networks: tuple[set[IPv4Network], set[IPv4Network]] = (set(), set())
        bounds = {0, 65536}
        distinct = False
        for table in node.netfilter.tables.values():
            for chain in table.chains.values():
                for entry in chain.entries:
                    rule = entry.rule
                    for role, net in enumerate((rule.source, rule.destination)):
                        if net.prefixlen == 32:
                            exact[role].add(net.network_address)
                        elif net.prefixlen:
                            networks[role].add(net)
                    ranges = rule_ports(rule)
                    blocks = rule_networks(rule)
                    if ranges is None or blocks is None:
                        distinct = True
                        continue
                    for block in blocks:  # iprange, conntrack tuples: either role
                        networks[0].add(block)
                        networks[1].add(block)
                    for port_range in ranges:
                        bounds.add(port_range.first)
                        bounds.add(port_range.last + 1)
        self.distinct = distinct
        self.exact = exact
        self.networks = (
            tuple(sorted(networks[0], key=str)),
            tuple(sorted(networks[1], key=str)),
        )
        self.bounds = sorted(bounds)
        self.context = node.context
        self._cache: dict[tuple[int, IPv4Address], object] = {}
        self._types: dict[IPv4Address, frozenset[str]] = {}

    def address(self, role: int, address: IPv4Address) -> object:
        """Return the class of ``address`` as a source (0) or destination (1)."""
        key = (role, address)
        found = self._cache.get(key)
        if found is None:
            types = self._types.get(address)
            if types is None:
                types = self._types[address] = self.context.address_types(address)
            found = (
                address if self.distinct or address in self.exact[role] else None,
                tuple(i for i, net in enumerate(self.networks[role]) if address in net),
                types,
            )
            self._cache[key] = found
        return found

    def tuple_class(self, key: tuple[int, IPv4Address, int, IPv4Address, int] | None) -> object:
        """Return the class of a connection's tuple (None when the walk does not carry it)."""
        if key is None:
            return None
        proto, src, sport, dst, dport = key
        return (
            proto,
            self.address(0, src),
            self.port(sport),
            self.address(1, dst),
            self.port(dport),
        )

    def port(self, port: int | None) -> int | None:
        """Return the class of a port (the ranges its rules test split the port space)."""
        if port is None or self.distinct:
            return port
        return bisect_right(self.bounds, port)


_RuleSlot = tuple[int, IPv4Address | None, IPv4Address | None, tuple[int, int] | None, RuleEntry]


class _ChainIndex:
    """One chain's rules bucketed by what they require exactly (a /32 or one port)."""

    __slots__ = ("name", "policy", "generic", "by_src", "by_dst", "by_port")

    def __init__(self, chain: Chain) -> None:
        self.name = chain.name
        self.policy = chain.policy
        self.generic: list[_RuleSlot] = []
        self.by_src: dict[IPv4Address, list[_RuleSlot]] = {}
        self.by_dst: dict[IPv4Address, list[_RuleSlot]] = {}
        self.by_port: dict[tuple[int, int], list[_RuleSlot]] = {}
        for position, entry in enumerate(chain.entries):
            rule = entry.rule
            src = dst = None
            if rule.source.prefixlen == 32 and not rule.source_invert:
                src = rule.source.network_address
            if rule.destination.prefixlen == 32 and not rule.destination_invert:
                dst = rule.destination.network_address
            port = None
            for match in rule.matches:
                if (
                    isinstance(match, PortMatch)
                    and match.dport is not None
                    and not match.dport_invert
                    and match.dport.first == match.dport.last
                    and match.protocol in PROTOCOL_NUMBERS
                ):
                    port = (PROTOCOL_NUMBERS[match.protocol], match.dport.first)
            slot = (position, src, dst, port, entry)
            if dst is not None:
                self.by_dst.setdefault(dst, []).append(slot)
            elif src is not None:
                self.by_src.setdefault(src, []).append(slot)
            elif port is not None:
                self.by_port.setdefault(port, []).append(slot)
            else:
                self.generic.append(slot)

    def pruned(self, view: PacketView) -> Chain:
        """Return the chain without the rules that cannot match ``view`` (order kept)."""
        port = (view.protocol, view.dport) if view.dport is not None else None
        slots = [
            *self.generic,
            *self.by_dst.get(view.dst, ()),
            *self.by_src.get(view.src, ()),
            *(self.by_port.get(port, ()) if port is not None else ()),
        ]
        slots.sort(key=lambda slot: slot[0])
        entries = [
            entry
            for _, src, dst, need, entry in slots
            if (src is None or src == view.src)
            and (dst is None or dst == view.dst)
            and (need is None or need == port)
        ]
        return Chain(self.name, self.policy, entries)


class _PrunedChains(dict[str, Chain]):
    """A table's chains for one packet view, each pruned when ``evaluate`` first visits it."""

    def __init__(self, index: dict[str, _ChainIndex], view: PacketView) -> None:
        super().__init__()
        self.index = index
        self.view = view

    def __missing__(self, name: str) -> Chain:
        chain = self[name] = self.index[name].pruned(self.view)
        return chain


@dataclass(frozen=True, slots=True)
class _PrunedTable:
    """What ``evaluate`` reads of a table: its chains."""

    chains: dict[str, Chain]


@dataclass(frozen=True, slots=True)
class _PrunedNetfilter:
    """What ``evaluate`` reads of a namespace's netfilter: its tables."""

    tables: dict[str, _PrunedTable]


class FlowPlane:
    """A world as the flow evaluator sees it: nodes, sockets and decisions cached once."""

    def __init__(self, world: World, *, config: EngineConfig | None = None) -> None:
        self.world = world
        self.config = config or EngineConfig()
        self._nodes: dict[int, Node] = {}
        self._atoms: dict[int, _Atoms] = {}
        self._verdicts: dict[int, dict[tuple[object, ...], Verdict]] = {}
        self._indexes: dict[int, dict[str, dict[str, _ChainIndex]]] = {}
        self._answers: dict[int, dict[IPv4Address, Interface]] = {}
        self._toward: dict[tuple[int, int], Interface | None] = {}
        self._ports: dict[int, list[Interface]] = {}
        self._contained: bool | None = None
        self._understood: bool | None = None
        self.host = self.node_of(world.host)
        for namespace in world.machines.values():
            self.node_of(namespace)
        self.listeners: dict[tuple[int, int], list[TcpListener]] = {}
        self.udp: dict[tuple[int, int], list[UdpSocket]] = {}
        self._install()

    # -- nodes -----------------------------------------------------------------------

    def nodes(self) -> list[Node]:
        """Return every node built so far."""
        return list(self._nodes.values())

    def node_of(self, namespace: NetworkNamespace) -> Node:
        """Return the node of a namespace (built on first sight)."""
        node = self._nodes.get(id(namespace))
        if node is None:
            node = self._nodes[id(namespace)] = Node(namespace, namespace.name)
        return node

    def _install(self) -> None:
        """Open every program's sockets in ``apps.programs``' order (lookups depend on it)."""
        for program in programs(self.world):
            if isinstance(program, Listen):
                node = self.node_of(program.namespace)
                for port, proto in program.ports:
                    if proto == "tcp":
                        self._listen(TcpListener(node, None, port, program.owner, program=program))
                    elif proto == "udp":
                        self._bind(UdpSocket(node, None, port, program.owner, program=program))
            elif isinstance(program, EmbeddedDns):
                node = self.node_of(program.namespace)
                self._bind(UdpSocket(node, EMBEDDED_DNS, program.port, "dockerd", program=program))
            elif program.protocol == "tcp":
                address, port = program.host_ip, program.host_port
                self._listen(TcpListener(self.host, address, port, PROXY, program=program))
            else:
                address, port = program.host_ip, program.host_port
                self._bind(UdpSocket(self.host, address, port, PROXY, program=program))

    def _listen(self, listener: TcpListener) -> None:
        self.listeners.setdefault((id(listener.node), listener.port), []).append(listener)

    def _bind(self, sock: UdpSocket) -> None:
        self.udp.setdefault((id(sock.node), sock.port), []).append(sock)

    # -- decisions that depend on the world only -------------------------------------

    def verdict(self, node: Node, table: str, hook: str, header: Header) -> Verdict:
        """Return the verdict of ``table``'s ``hook`` chain, cached per abstract header."""
        atoms = self._atoms.get(id(node))
        if atoms is None:
            atoms = self._atoms[id(node)] = _Atoms(node)
            self._verdicts[id(node)] = {}
        key = (
            table,
            hook,
            header[2],
            atoms.address(0, header[0]),
            atoms.address(1, header[1]),
            atoms.port(header[3]),
            atoms.port(header[4]),
            header[5:14],
            atoms.tuple_class(header[14]),
            atoms.tuple_class(header[15]),
        )
        cache = self._verdicts[id(node)]
        verdict = cache.get(key)
        if verdict is None:
            verdict = cache[key] = self._evaluate(node, table, hook, PacketView(*header))
        return verdict

    def _evaluate(self, node: Node, table: str, hook: str, view: PacketView) -> Verdict:
        """Run the kernel's ``evaluate`` on the table without rules that cannot match ``view``.

        Only rules that name another /32 address or another single port than the
        packet's are left out, so the walk meets the same rules in the same order
        and ends with the same verdict; only the trace's rule numbers differ.
        """
        indexes = self._indexes.get(id(node))
        if indexes is None:
            indexes = self._indexes[id(node)] = {
                t.name: {c.name: _ChainIndex(c) for c in t.chains.values()}
                for t in node.netfilter.tables.values()
            }
        pruned = _PrunedNetfilter({table: _PrunedTable(_PrunedChains(indexes[table], view))})
        return evaluate(cast(Netfilter, pruned), table, hook, view, node.context)

    def holder(self, node: Node, out: str, hop: IPv4Address) -> Interface | None:
        """Return the interface that answers ARP for ``hop`` sent out of ``out``, or None.

        Mirrors the engine's flood: the request leaves ``out`` (if it is up), crosses
        its veth, and a bridge hands it to its own stack first, then to every other
        port in order; the first interface whose namespace owns ``hop`` answers
        (``arp_process`` answers for any local address, never for 127/8).
        """
        if int(hop) >> 24 == 127:
            return None
        iface = node.interface(out)
        if iface is None:
            return None
        answers = self._answers.get(id(iface))
        if answers is None:
            answers = self._answers[id(iface)] = {}
            self._flood(iface, answers, set())
        return answers.get(hop)

    def ports(self, bridge: Bridge) -> list[Interface]:
        """Return a bridge's ports (the world's wiring does not change during a probe)."""
        found = self._ports.get(id(bridge))
        if found is None:
            found = self._ports[id(bridge)] = bridge.ports()
        return found

    def _answer(self, iface: Interface, answers: dict[IPv4Address, Interface]) -> None:
        """ARP on ``iface`` answers for every local address of its namespace (first one wins)."""
        for address in self.node_of(iface.namespace).local:
            answers.setdefault(address, iface)

    def _flood(
        self, iface: Interface, answers: dict[IPv4Address, Interface], seen: set[int]
    ) -> None:
        """Follow a broadcast sent out of ``iface``, noting who answers for what."""
        if not iface.admin_up or id(iface) in seen:
            return
        seen.add(id(iface))
        if iface.kind == "loopback":
            self._answer(iface, answers)
        elif isinstance(iface, Bridge):
            for port in self.ports(iface):
                if port.admin_up:
                    self._flood(port, answers, seen)
        elif iface.kind == "veth" and iface.peer is not None:
            self._arrive(iface.peer, answers, seen)

    def _arrive(
        self, iface: Interface, answers: dict[IPv4Address, Interface], seen: set[int]
    ) -> None:
        """A broadcast received on ``iface``: a port hands it to its bridge, else ARP answers."""
        if not iface.admin_up:
            return
        if iface.master:
            bridge = self.node_of(iface.namespace).interface(iface.master)
            if isinstance(bridge, Bridge):
                if bridge.admin_up:
                    self._answer(bridge, answers)
                    for port in self.ports(bridge):
                        if port is not iface and port.admin_up:
                            self._flood(port, answers, seen)
                return
        self._answer(iface, answers)

    def toward(self, bridge: Bridge, target: Interface) -> Interface | None:
        """Return the bridge port the FDB learnt ``target``'s MAC on (its ARP answer's port)."""
        key = (id(bridge), id(target))
        if key not in self._toward:
            found = None
            for port in self.ports(bridge):
                if port.admin_up and self._leads_to(port, target, set()):
                    found = port
                    break
            self._toward[key] = found
        return self._toward[key]

    def _leads_to(self, port: Interface, target: Interface, seen: set[int]) -> bool:
        if id(port) in seen:
            return False
        seen.add(id(port))
        peer = port.peer if port.kind == "veth" else None
        if peer is None:
            return False
        if peer is target:
            return True
        if peer.master:
            bridge = self.node_of(peer.namespace).interface(peer.master)
            if isinstance(bridge, Bridge):
                if bridge is target:
                    return True
                return any(
                    self._leads_to(p, target, seen) for p in self.ports(bridge) if p is not peer
                )
        return False

    def ephemeral_split(self) -> bool:
        """Return True when some namespace's rules tell ephemeral ports apart.

        Rules that only match loopback addresses (Docker's embedded-DNS rules in
        each sandbox) are left out when ``loopback_contained`` holds: a probe to
        an address outside 127/8 never meets them.
        """
        if not self.understood():
            return True
        low, high = EPHEMERAL_PORTS
        contained = self.loopback_contained()
        for node in self._nodes.values():
            for table in node.netfilter.tables.values():
                for chain in table.chains.values():
                    for entry in chain.entries:
                        rule = entry.rule
                        if contained and loopback_only(rule):
                            continue
                        for port_range in rule_ports(rule) or ():
                            if low < port_range.first <= high or low <= port_range.last < high:
                                return True
        return False

    def loopback_contained(self) -> bool:
        """Return True when no rule can turn a packet into one with a 127/8 address.

        That holds when every NAT rule that could (DNAT or SNAT to 127/8,
        REDIRECT) itself only matches packets that already have a loopback
        address, as Docker's embedded-DNS rules do.
        """
        if self._contained is None:
            self._contained = self.understood() and all(
                loopback_only(entry.rule) or not _to_loopback(entry.rule)
                for node in self._nodes.values()
                for table in node.netfilter.tables.values()
                for chain in table.chains.values()
                for entry in chain.entries
            )
        return self._contained

    def understood(self) -> bool:
        """Return True when ``matches`` describes every match and target of the world's rules.

        Grouping cells (``symmetry_of``, ``port_classes``, the ephemeral range)
        reads rules through those descriptions; a rule it cannot read answers
        every cell on its own.
        """
        if self._understood is None:
            world = self.world
            namespaces = [
                world.lan,
                world.host,
                *world.machines.values(),
                *world.container_namespaces.values(),
            ]
            self._understood = all(
                rule_reads(entry.rule) is not None and target_known(entry.rule.target)
                for namespace in namespaces
                for table in namespace.netfilter.tables.values()
                for chain in table.chains.values()
                for entry in chain.entries
            )
        return self._understood

    # -- probes ------------------------------------------------------------------------

    def probe(
        self,
        source: str,
        destination: str,
        port: int | None,
        proto: str,
        *,
        rng: random.Random,
        node: Node | None = None,
    ) -> ProbeOutcome:
        """Answer a probe from ``source`` to ``destination`` (an address or a name).

        ``node`` is the source's node, when the caller already has it.
        """
        if node is None:
            namespace = self.world.namespace_of(source)
            if namespace is None:
                return ProbeOutcome(None, error=f"probe source {source} is not running")
            node = self.node_of(namespace)
        run = _Run(self, rng)
        address = parse_address(destination)
        if address is None:
            resolver = resolver_of(self.world, source)
            address = hosts_lookup(resolver.hosts, destination)
            if address is None and resolver.embedded_dns:
                address = run.dns_lookup(node, destination)
        if address is None:
            return ProbeOutcome("unresolved")
        if proto == "icmp":
            return run.ping(node, address)
        if proto == "udp":
            return run.udp_probe(node, address, port or 0)
        return run.tcp_probe(node, address, port or 0)


def flow_probe(
    world: World,
    step: ProbeStep,
    *,
    rng: random.Random | None = None,
    plane: FlowPlane | None = None,
) -> ProbeOutcome:
    """Answer one probe step at flow level (the counterpart of ``probe.simulate_probe``)."""
    if world.namespace_of(step.src) is None:
        return ProbeOutcome(None, error=f"probe source {step.src} is not running")
    rng = rng or world.step_rng(step.index, "probe")
    plane = plane or FlowPlane(world)
    return plane.probe(step.src, step.dst, step.port, step.proto, rng=rng)


# -- symmetry: which namespaces behave alike up to their own addresses --------------------

EPHEMERAL_RANGE = PortRange(*EPHEMERAL_PORTS)
_SELF = IPv4Network("255.255.255.255/32")
"""Stands for "this namespace's own address" in a rule template."""


@dataclass(frozen=True, slots=True)
class Exposure:
    """A way a flow aimed elsewhere can reach a namespace: a DNAT rule or a docker-proxy."""

    protocol: int
    ports: PortRange


@dataclass(frozen=True, slots=True)
class Symmetry:
    """Namespaces the world treats alike once their own addresses are swapped.

    Two container namespaces get the same ``classes`` key when swapping their
    addresses (and the namespaces) maps the world onto one that decides every
    packet the same way: the same interfaces, routes, sysctls, rules and
    listening ports; each address held by that namespace alone; the same
    networks (rules, routes, local tables) containing it; and in every chain the
    rules that name it (as a /32) sit at the same place among the rules that
    name no such address, with the same text once the address is blanked out,
    and never overlap another address's rules. A probe from one of them to a
    destination that involves neither (``related``) then has the outcome of the
    same probe from the other, with the addresses swapped. Every other
    namespace is a class of its own.
    """

    classes: dict[int, int]
    shared: frozenset[int]
    own: dict[int, frozenset[IPv4Address]]
    order: dict[int, tuple[IPv4Address, ...]]
    exposures: dict[int, tuple[Exposure, ...]]

    def related(
        self, namespace: int, address: IPv4Address, protocol: int, ports: tuple[int, ...]
    ) -> bool:
        """Return True when a probe to ``address`` on ``ports`` may involve the namespace itself."""
        if int(address) >> 24 == 127 or address in self.own.get(namespace, ()):
            return True
        return any(
            e.protocol == protocol and any(e.ports.contains(p) for p in ports)
            for e in self.exposures.get(namespace, ())
        )


def symmetry_of(plane: FlowPlane) -> Symmetry:
    """Work out which container namespaces are interchangeable (see ``Symmetry``)."""
    world = plane.world
    namespaces: dict[int, NetworkNamespace] = {id(world.lan): world.lan, id(world.host): world.host}
    for namespace in world.machines.values():
        namespaces[id(namespace)] = namespace
    candidates: dict[int, NetworkNamespace] = {}
    for container in world.daemon.containers:
        inner = world.container_namespaces.get(container.id)
        if container.running and inner is not None and id(inner) not in namespaces:
            candidates[id(inner)] = inner
    everyone = {**namespaces, **candidates}
    nodes = {key: plane.node_of(ns) for key, ns in everyone.items()}
    holders: dict[IPv4Address, int] = {}
    for node in nodes.values():
        for address in node.local:
            holders[address] = holders.get(address, 0) + 1
    members: dict[IPv4Address, int] = {}
    for key in candidates:
        for address in nodes[key].local:
            if int(address) >> 24 != 127:
                members[address] = key
    unsafe: set[IPv4Address] = {a for a in members if holders.get(a, 0) != 1}
    if not plane.understood():
        unsafe.update(members)
    coarse: set[IPv4Network] = set()
    views: dict[IPv4Address, list[object]] = {a: [] for a in members}
    exposures: dict[IPv4Address, list[Exposure]] = {a: [] for a in members}
    for key, node in nodes.items():
        context = node.context
        unsafe.update(a for a in context.broadcast_addresses if a in members)
        coarse.update(n for n in context.local_networks if n.prefixlen < 32)
        for route in node.routes:
            if route.destination.prefixlen < 32:
                coarse.add(route.destination)
            elif route.destination.network_address in members:
                unsafe.add(route.destination.network_address)
            if route.gateway in members:
                unsafe.add(route.gateway)
        for table in node.netfilter.tables.values():
            for chain in table.chains.values():
                _chain_views(
                    key,
                    table.name,
                    chain.name,
                    [e.rule for e in chain.entries],
                    members,
                    unsafe,
                    coarse,
                    views,
                    exposures,
                )
    for binding in proxy_bindings(world):
        if binding.container_ip in exposures:
            protocol = 6 if binding.protocol == "tcp" else 17
            exposures[binding.container_ip].append(
                Exposure(protocol, PortRange(binding.host_port, binding.host_port))
            )
    networks = tuple(sorted(coarse, key=str))
    # With loopback contained, sockets bound to 127/8 (the embedded DNS on its
    # random port) only hear probes to 127/8, which are never grouped.
    contained = plane.loopback_contained()
    sockets: dict[int, list[object]] = {}
    for (owner, port), listeners in plane.listeners.items():
        kept = [x for x in listeners if not (contained and _loopback(x.address))]
        if kept:
            sockets.setdefault(owner, []).append(("tcp", port, tuple(str(x.address) for x in kept)))
    for (owner, port), bound in plane.udp.items():
        kept_udp = [x for x in bound if not (contained and _loopback(x.address))]
        if kept_udp:
            sockets.setdefault(owner, []).append(
                ("udp", port, tuple((str(x.address), _kind(x.program)) for x in kept_udp))
            )
    classes: dict[int, object] = {key: ("namespace", key) for key in everyone}
    own: dict[int, frozenset[IPv4Address]] = {}
    order: dict[int, tuple[IPv4Address, ...]] = {}
    exposed: dict[int, tuple[Exposure, ...]] = {}
    for key, node in nodes.items():
        addresses = _own_addresses(everyone[key])
        own[key] = frozenset(node.local)
        order[key] = addresses
        exposed[key] = tuple(e for a in addresses for e in exposures.get(a, ()))
        if key not in candidates or not addresses or any(a in unsafe for a in addresses):
            continue
        per_address = tuple(
            (tuple(n for n in networks if a in n), tuple(views[a])) for a in addresses
        )
        shape = _structure(node, everyone[key], addresses, contained)
        ports = tuple(sorted(sockets.get(id(node), ()), key=repr))
        classes[key] = ("like", shape, ports, per_address)
    numbers: dict[object, int] = {}
    interned = {key: numbers.setdefault(kind, len(numbers)) for key, kind in classes.items()}
    shared = frozenset(key for key, kind in classes.items() if kind[0] == "like")  # type: ignore[index]
    return Symmetry(interned, shared, own, order, exposed)


def port_classes(plane: FlowPlane, symmetry: Symmetry) -> dict[tuple[str, int], object]:
    """Return a key per published host port; equal keys are interchangeable ports.

    Ports P and P' (same protocol) get equal keys when swapping them, together
    with their docker-proxy/DNAT backends (interchangeable namespaces, see
    ``Symmetry``), maps the world onto itself: every rule that names P as its
    only destination port sits where the one naming P' sits among the rules
    naming no published port, reads the same once the port (and a DNAT to the
    backend) is blanked out; no other port constraint (ranges, source ports,
    lists, NAT target ports) tells them apart; sockets at P and P' look alike;
    and neither is an ephemeral port. A probe to P from a namespace that is
    neither backend then has the outcome of the probe to P', the backends'
    names swapped. Ports not found interchangeable are left out.
    """
    if not plane.understood():
        return {}
    world = plane.world
    bindings = proxy_bindings(world)
    backends: dict[tuple[str, int], set[tuple[IPv4Address, int]]] = {}
    for container in world.daemon.containers:
        if not container.running:
            continue
        for mapping in container.ports:
            if mapping.host_ip.version != 4:
                continue
            address = None
            for name in container.networks:
                endpoint_ = container.endpoints.get(name)
                if endpoint_ is not None:
                    address = endpoint_.address.ip
                    break
            if address is not None:
                backends.setdefault((mapping.proto, mapping.host_port), set()).add(
                    (address, mapping.container_port)
                )
    members = {key for key, found in backends.items() if len(found) == 1}
    unsafe = {key for key in backends if key not in members}
    unsafe.update(k for k in members if EPHEMERAL_RANGE.contains(k[1]))
    backend_of = {key: next(iter(backends[key])) for key in members}
    views: dict[tuple[str, int], list[object]] = {key: [] for key in members}
    ranges: set[tuple[str, int, int]] = set()
    for node in plane.nodes():
        key_ns = id(node.namespace)
        for table in node.netfilter.tables.values():
            for chain in table.chains.values():
                plain = 0
                for entry in chain.entries:
                    rule = entry.rule
                    named = None
                    for match in rule.matches:
                        if isinstance(match, PortMatch):
                            for port_range, inverted, is_dport in (
                                (match.sport, match.sport_invert, False),
                                (match.dport, match.dport_invert, True),
                            ):
                                if port_range is None:
                                    continue
                                single = (match.protocol, port_range.first)
                                if (
                                    is_dport
                                    and not inverted
                                    and port_range.first == port_range.last
                                    and single in members
                                ):
                                    named = single
                                else:
                                    ranges.add((match.protocol, port_range.first, port_range.last))
                        elif isinstance(match, MultiportMatch):
                            for port_range in match.ports:
                                ranges.add((match.protocol, port_range.first, port_range.last))
                        else:  # conntrack's tuple ports: any protocol
                            reads = match_reads(match)
                            for port_range in reads.ports if reads is not None else ():
                                for proto in ("tcp", "udp"):
                                    ranges.add((proto, port_range.first, port_range.last))
                    target = rule.target
                    if isinstance(target, NatTarget | PortsTarget) and target.ports is not None:
                        for proto in ("tcp", "udp"):
                            ranges.add((proto, target.ports[0], target.ports[1]))
                    if named is None:
                        plain += 1
                        continue
                    backend = backend_of[named][0]
                    blank_target: object = target
                    if isinstance(target, NatTarget) and target.address == backend:
                        blank_target = ("backend", target.name, target.address_last, target.ports)
                    template = (
                        replace(
                            rule,
                            matches=tuple(
                                replace(m, dport=PortRange(0, 0))
                                if isinstance(m, PortMatch)
                                and m.dport is not None
                                and not m.dport_invert
                                and m.dport.first == m.dport.last
                                and (m.protocol, m.dport.first) == named
                                else m
                                for m in rule.matches
                            ),
                            target=Target(""),
                        ),
                        blank_target,
                    )
                    views[named].append((key_ns, table.name, chain.name, plain, template))
    sockets: dict[tuple[str, int], list[object]] = {key: [] for key in members}
    for (owner, port), listeners in plane.listeners.items():
        if ("tcp", port) in sockets:
            sockets[("tcp", port)].append(
                (owner, tuple((str(x.address), _backend(x.program) or x.owner) for x in listeners))
            )
    for (owner, port), bound in plane.udp.items():
        if ("udp", port) in sockets:
            sockets[("udp", port)].append(
                (
                    owner,
                    tuple(
                        (str(x.address), _kind(x.program), _backend(x.program) or x.owner)
                        for x in bound
                    ),
                )
            )
    for binding in bindings:
        key = (binding.protocol, binding.host_port)
        if key in backend_of and backend_of[key] != (binding.container_ip, binding.container_port):
            unsafe.add(key)
    owner_of: dict[IPv4Address, int] = {}
    for key_ns, addresses in symmetry.order.items():
        for address in addresses:
            owner_of[address] = key_ns
    # Single ports by (proto, port), wider ranges scanned: a host with a DNAT
    # rule per published port would otherwise test every rule for every port.
    points: dict[tuple[str, int], list[tuple[str, int, int]]] = {}
    spans: list[tuple[str, int, int]] = []
    for r in ranges:
        if r[1] == r[2]:
            points.setdefault((r[0], r[1]), []).append(r)
        else:
            spans.append(r)
    out: dict[tuple[str, int], object] = {}
    for key in members:
        if key in unsafe:
            continue
        proto, port = key
        address, container_port = backend_of[key]
        held = owner_of.get(address)
        if held is None or held not in symmetry.shared:
            continue
        atom = tuple(
            sorted(
                [
                    *points.get((proto, port), ()),
                    *(r for r in spans if r[0] == proto and r[1] <= port <= r[2]),
                ]
            )
        )
        out[key] = (
            proto,
            atom,
            container_port,
            symmetry.classes[held],
            symmetry.order[held].index(address),
            tuple(views[key]),
            tuple(sorted(sockets[key], key=repr)),
        )
    return out


def loopback_only(rule: Rule) -> bool:
    """Return True when a rule can only match packets from or to a 127/8 address."""
    return (not rule.source_invert and _in_loopback_net(rule.source)) or (
        not rule.destination_invert and _in_loopback_net(rule.destination)
    )


def _in_loopback_net(network: IPv4Network) -> bool:
    """Return ``network.subnet_of(127.0.0.0/8)``, from its integers (asked per rule, per node)."""
    return network.prefixlen >= 8 and int(network.network_address) >> 24 == 127


def _loopback(address: IPv4Address | None) -> bool:
    return address is not None and address in LOOPBACK_NET


def _to_loopback(rule: Rule) -> bool:
    target = rule.target
    if isinstance(target, NatTarget):
        return target.address is not None and target.address in LOOPBACK_NET
    return isinstance(target, PortsTarget) and target.name == "REDIRECT"


def _own_addresses(namespace: NetworkNamespace) -> tuple[IPv4Address, ...]:
    """Return the namespace's IPv4 addresses outside 127/8, in interface order."""
    return tuple(
        a.interface.ip
        for link in namespace.interfaces()
        for a in link.addresses
        if a.interface.version == 4 and int(a.interface.ip) >> 24 != 127
    )


def _chain_views(
    key: int,
    table: str,
    chain: str,
    rules: list[Any],
    members: dict[IPv4Address, int],
    unsafe: set[IPv4Address],
    coarse: set[IPv4Network],
    views: dict[IPv4Address, list[object]],
    exposures: dict[IPv4Address, list[Exposure]],
) -> None:
    """Record where each member address's rules sit in one chain (``Symmetry``'s condition)."""
    plain = 0
    named: list[tuple[IPv4Address, frozenset[int], object, int]] = []
    common: set[int] | None = None
    for rule in rules:
        # An address block a match tests (iprange, conntrack tuples) may tell
        # members apart in ways the templates below do not see.
        for block in rule_networks(rule) or ():
            unsafe.update(a for a in members if a in block)
        mentioned: dict[IPv4Address, set[int]] = {}
        for role, net, inverted in (
            (0, rule.source, rule.source_invert),
            (1, rule.destination, rule.destination_invert),
        ):
            if net.prefixlen < 32:
                if net.prefixlen:
                    coarse.add(net)
                continue
            address = net.network_address
            if address not in members:
                continue
            if inverted:
                unsafe.add(address)
            mentioned.setdefault(address, set()).add(role)
        target = rule.target
        if isinstance(target, NatTarget) and target.address in members:
            address = target.address
            ranges = _dports(rule)
            if (
                target.name != "DNAT"
                or target.address_last not in (None, address)
                or not ranges
                or rule.protocol not in (6, 17)
            ):
                unsafe.add(address)
            for port_range in ranges:
                if _overlaps(port_range, EPHEMERAL_RANGE):
                    unsafe.add(address)
                exposures[address].append(Exposure(rule.protocol, port_range))
        if not mentioned:
            plain += 1
            continue
        if len(mentioned) > 1:
            unsafe.update(mentioned)
            continue
        ((address, roles),) = mentioned.items()
        template = replace(
            rule,
            source=_SELF if 0 in roles else rule.source,
            destination=_SELF if 1 in roles else rule.destination,
        )
        named.append((address, frozenset(roles), template, plain))
        common = set(roles) if common is None else common & roles
    if named and not common:
        unsafe.update(a for a, _, _, _ in named)
        return
    for address, _, template, before in named:
        views[address].append((key, table, chain, before, template))


def _dports(rule: Any) -> tuple[PortRange, ...]:
    """Return the destination port ranges a rule requires (empty when it requires none)."""
    for match in rule.matches:
        if isinstance(match, PortMatch) and match.dport is not None and not match.dport_invert:
            return (match.dport,)
        if isinstance(match, MultiportMatch) and match.direction == "dports" and not match.invert:
            return match.ports
    return ()


def _overlaps(first: PortRange, second: PortRange) -> bool:
    return first.first <= second.last and second.first <= first.last


def _structure(
    node: Node,
    namespace: NetworkNamespace,
    addresses: tuple[IPv4Address, ...],
    contained: bool,
) -> object:
    """Return a namespace's shape with its own addresses replaced by their position."""
    index = {a: i for i, a in enumerate(addresses)}

    def mine(address: IPv4Address | None) -> object:
        return ("own", index[address]) if address in index else address

    links = []
    for link in namespace.interfaces():
        peer = link.peer if link.kind == "veth" else None
        links.append(
            (
                link.name,
                link.kind,
                link.admin_up,
                link.mtu,
                link.master,
                tuple(
                    (
                        mine(a.interface.ip),
                        a.interface.network,
                        a.broadcast,
                        a.secondary,
                        a.local_route,
                    )
                    for a in link.addresses
                    if a.interface.version == 4
                ),
                None
                if peer is None
                else (id(peer.namespace), peer.master, peer.admin_up, peer.hairpin),
            )
        )
    routes = tuple(
        (r.destination, r.dev, r.gateway, r.type, r.metric, r.table, r.scope, mine(r.source))
        for r in node.routes
    )
    sysctls = tuple(sorted((k, namespace.sysctls.get(k)) for k in namespace.sysctls))
    rules = tuple(
        (
            t.name,
            c.name,
            c.policy,
            tuple(e.rule for e in c.entries if not (contained and loopback_only(e.rule))),
        )
        for t in namespace.netfilter.tables.values()
        for c in t.chains.values()
    )
    return (tuple(links), routes, sysctls, rules)


# -- one probe's sockets and packets ------------------------------------------------------


def _kind(program: Program | None) -> str:
    """Return what a program's socket does: serve, silent, dns (dockerd), proxy; client for none."""
    if isinstance(program, Listen):
        # A registry's HTTP server says nothing until asked (apps.Listen.answers).
        return "serve" if program.answers else "silent"
    if isinstance(program, EmbeddedDns):
        return "dns"
    return "client" if program is None else "proxy"


def _backend(program: Program | None) -> tuple[str, int] | None:
    """Return the container port a docker-proxy socket relays to (None for other sockets)."""
    return ("proxy", program.container_port) if isinstance(program, ProxyBinding) else None


class _Flag:
    """A socket's signal without simpy: set once, polled by ``_Run.run_until``.

    ``then`` runs as it is set (a docker-proxy closing its client when the
    backend fails).
    """

    __slots__ = ("triggered", "value", "then")

    def __init__(self) -> None:
        self.triggered = False
        self.value: object = None
        self.then: Callable[[object], None] | None = None

    def succeed(self, value: object = None) -> _Flag:
        """Set the flag to ``value``."""
        self.triggered = True
        self.value = value
        if self.then is not None:
            self.then(value)
        return self


class _Run(IPv4Stack):
    """One probe: its RNG, conntrack tables, sockets and a time-ordered queue of callbacks.

    The decisions are ``IPv4Stack``'s and ``sockets.Transport``'s; below them a
    probe finds verdicts in the plane's cache, conntrack in tables of its own
    and the link layer in the plane's ARP and bridge answers, and records no
    trace.
    """

    def __init__(self, plane: FlowPlane, rng: random.Random) -> None:
        self.plane = plane
        self.config = plane.config
        self.rng = rng
        self.record = False
        self.events = []
        self.now = 0.0
        self._queue: list[tuple[float, int, Callable[..., None], tuple[object, ...]]] = []
        self._seq = 0
        self.steps = 0
        self.conntrack: dict[int, ConntrackTable] = {}
        self.transport: _FlowTransport = _FlowTransport(self)

    # -- the queue ---------------------------------------------------------------------

    def later(self, delay: float, action: Callable[..., None], *args: object) -> None:
        """Run ``action(*args)`` after ``delay`` seconds."""
        self._seq += 1
        heapq.heappush(self._queue, (self.now + delay, self._seq, action, args))

    def run_until(self, done: Callable[[], bool], deadline: float) -> None:
        """Run callbacks in time order until ``done()``, the deadline, or nothing is left."""
        queue = self._queue
        while queue and not done():
            when = queue[0][0]
            if when > deadline:
                break
            _, _, action, args = heapq.heappop(queue)
            self.now = when
            self.steps += 1
            if self.steps > MAX_EVENTS:
                queue.clear()
                break
            action(*args)
        if not done():
            self.now = max(self.now, deadline)

    # -- below the decisions ---------------------------------------------------------

    def clock(self) -> float:
        """Return the probe's time."""
        return self.now

    def conntrack_of(self, node: Node) -> ConntrackTable:
        """Return this probe's conntrack table of ``node`` (each probe starts with none)."""
        table = self.conntrack.get(id(node))
        if table is None:
            table = self.conntrack[id(node)] = ConntrackTable()
        return table

    def verdict(self, node: Node, table: str, hook: str, header: Header) -> Verdict:
        """Return the plane's cached verdict (``FlowPlane.verdict``)."""
        return self.plane.verdict(node, table, hook, header)

    def loop_back(self, node: Node, packet: IPv4Packet) -> None:
        """Hand a packet sent to ``lo`` to the node's input path after the loopback delay."""
        self.later(self.config.loopback_delay, self.ip_input, node, "lo", packet)

    # -- the link layer, as the plane's ARP and FDB answers have it --------------------

    def neighbour_output(self, node: Node, out: str, hop: IPv4Address, packet: IPv4Packet) -> None:
        """Send to ``hop`` on ``out``: to the ARP answerer, or host unreachable after 3 s."""
        iface = node.interface(out)
        if iface is None:
            return
        target = self.plane.holder(node, out, hop)
        if target is None:
            delay = self.config.arp_attempts * self.config.arp_interval
            self.later(delay, self.icmp_error, node, packet, ICMP_DEST_UNREACH, HOST_UNREACH)
            return
        self.transmit(iface, target, packet, 0.0)

    def transmit(
        self, iface: Interface, target: Interface, packet: IPv4Packet, queued: float
    ) -> None:
        """Send a frame for ``target``'s MAC out of ``iface``."""
        if not iface.admin_up:
            return
        if isinstance(iface, Bridge):
            port = self.plane.toward(iface, target)
            if port is not None:
                self.transmit(port, target, packet, self.config.bridge_delay)
            return
        if iface.kind == "loopback":
            self.later(self.config.loopback_delay, self.receive, iface, target, packet)
            return
        peer = iface.peer if iface.kind == "veth" else None
        if peer is None or not peer.admin_up:
            return
        self.later(queued + self.config.veth_delay, self.receive, peer, target, packet)

    def receive(self, iface: Interface, target: Interface, packet: IPv4Packet) -> None:
        """Take a frame in: a bridge port hands it to its bridge, else to the IP layer."""
        if not iface.admin_up:
            return
        node = self.plane.node_of(iface.namespace)
        if iface.master:
            bridge = node.interface(iface.master)
            if isinstance(bridge, Bridge):
                self.bridge_input(node, bridge, iface, target, packet)
                return
        if iface is not target and iface.kind != "loopback":
            return  # a frame for another host
        self.ip_input(node, iface.name, packet)

    def bridge_input(
        self, node: Node, bridge: Bridge, port: Interface, target: Interface, packet: IPv4Packet
    ) -> None:
        """br_handle_frame for a unicast IPv4 frame: local, forward (hairpin) or drop."""
        if not bridge.admin_up:
            return
        if target is bridge:
            self.ip_input(node, bridge.name, packet)
            return
        known = self.plane.toward(bridge, target)
        if known is None:
            return
        if known is port and not port.hairpin:
            return
        if node.bridge_nf():
            self.bridged_ip(node, bridge, port, known, target, packet)
            return
        self.transmit(known, target, packet, self.config.bridge_delay)

    def bridged_ip(
        self,
        node: Node,
        bridge: Bridge,
        port: Interface,
        out: Interface,
        target: Interface,
        packet: IPv4Packet,
    ) -> None:
        """br_netfilter on a bridged packet; a DNAT to the bridge goes to the ARP answerer."""
        pre = self.bridge_prerouting(node, bridge.name, packet)
        if pre is None:
            return
        new, tracked, hop = pre
        if hop is not None:
            holder = self.plane.holder(node, bridge.name, hop)
            toward = None if holder is None else self.plane.toward(bridge, holder)
            if toward is None or holder is None or (toward is port and not port.hairpin):
                return
            out, target = toward, holder
        final = self.bridge_forward(node, bridge.name, new, tracked)
        if final is not None:
            self.transmit(out, target, final, self.config.bridge_delay)

    # -- the probe programs (``probe.probe_client`` without simpy) ----------------------

    def dns_lookup(self, node: Node, name: str) -> IPv4Address | None:
        """Ask the embedded DNS at 127.0.0.11 for an A record; None after 5 s of silence."""
        transport = self.transport
        sock = transport.udp_socket(node, EMBEDDED_DNS, 53, "probe")
        if isinstance(sock, str):
            return None
        ident = self.rng.getrandbits(16)
        transport.sendto(sock, dns_query(name, ident), (EMBEDDED_DNS, 53))

        def answered() -> bool:
            return any(dns_address(p, ident) is not None for p in sock.inbox)

        self.run_until(answered, self.now + PROBE_TIMEOUT)
        for packet in sock.inbox:
            address = dns_address(packet, ident)
            if address is not None:
                return address
        return None

    def tcp_probe(self, node: Node, address: IPv4Address, port: int) -> ProbeOutcome:
        """Connect; ``open`` then read the answer line for up to 3 s."""
        conn = self.transport.connect(node, address, port, "probe")
        if isinstance(conn, str):
            return ProbeOutcome(failure(conn), address=address)
        outcome = conn.outcome
        self.run_until(lambda: outcome.triggered, self.now + PROBE_TIMEOUT)
        if not outcome.triggered:
            return ProbeOutcome("timeout", address=address)
        if outcome.value != "open":
            return ProbeOutcome(failure(str(outcome.value)), address=address)
        self.run_until(lambda: conn.received.endswith(b"\n") or conn.closed, self.now + ANSWER_WAIT)
        served_by, local, peer = parse_answer(conn.received)
        return ProbeOutcome("open", served_by, local, peer, address)

    def udp_probe(self, node: Node, address: IPv4Address, port: int) -> ProbeOutcome:
        """Send one datagram; ``open`` on an answer, ``closed`` on port unreachable."""
        transport = self.transport
        sock = transport.udp_socket(node, address, port, "probe")
        if isinstance(sock, str):
            return ProbeOutcome(failure(sock), address=address)
        error = transport.sendto(sock, b"netsim probe\n", (address, port))
        if error in UNREACHABLE_ERRNOS:
            return ProbeOutcome("unreachable", address=address)
        self.run_until(lambda: bool(sock.inbox) or sock.error is not None, self.now + PROBE_TIMEOUT)
        result, served_by, local, peer = datagram_answer(sock)
        return ProbeOutcome(result, served_by, local, peer, address)

    def ping(self, node: Node, address: IPv4Address) -> ProbeOutcome:
        """One echo request: ``reply``, ``unreachable`` or ``timeout``."""
        ident = self.rng.getrandbits(16)
        sock = self.transport.ping(node, address, ident, _Flag())
        if isinstance(sock, str):
            return ProbeOutcome("unreachable", address=address)
        self.run_until(lambda: sock.result is not None, self.now + PROBE_TIMEOUT)
        return ProbeOutcome(sock.result or "timeout", address=address)


class _FlowTransport(Transport):
    """A probe's sockets over the plane's programs, and what those programs answer.

    The programs mirror ``apps``: a listener answers with what it saw, a
    docker-proxy dials its container and relays, dockerd answers A queries.
    Pure ACKs for data and FINs are not sent: nothing a probe sees depends on
    them.
    """

    def __init__(self, run: _Run) -> None:
        super().__init__(run, _Flag)
        self.run = run
        self.plane = run.plane

    def listeners_at(self, node: Node, port: int) -> Sequence[TcpListener]:
        """Return the programs' listeners (a probe opens none)."""
        return self.plane.listeners.get((id(node), port), ())

    def udp_at(self, node: Node, port: int) -> Sequence[UdpSocket]:
        """Return the programs' sockets on ``port``, then the probe's own."""
        key = (id(node), port)
        programs = self.plane.udp.get(key)
        own = self.udp.get(key)
        if own is None:
            return programs or ()
        return own if programs is None else [*programs, *own]

    def acknowledge(self, conn: TcpConnection) -> None:
        """Leave the pure ACK out (see the class)."""

    def accepted(self, conn: TcpConnection) -> None:
        """A listener's handshake completed: answer (serve) or dial the container (proxy)."""
        assert conn.listener is not None
        program = conn.listener.program
        if isinstance(program, ProxyBinding):
            self.run.later(0.0, self._relay_tcp, conn, program)
        elif not isinstance(program, Listen) or program.answers:
            answer_connection(self, conn)

    def _relay_tcp(self, client: TcpConnection, binding: ProxyBinding) -> None:
        """Mirror ``apps._relay_tcp``: dial the container, relay its data, close on failure."""
        backend = self.connect(self.plane.host, binding.container_ip, binding.container_port, PROXY)
        if isinstance(backend, str):
            self.close(client)
            return
        backend.on_data = lambda _conn, data: self.send(client, data)
        outcome = backend.outcome
        assert isinstance(outcome, _Flag)

        def settled(value: object) -> None:
            if value != "open":
                self.close(client)

        if outcome.triggered:
            settled(outcome.value)
        else:
            outcome.then = settled

    def datagram(self, sock: UdpSocket, packet: IPv4Packet) -> None:
        """Hand a datagram to a program (serve, dns, proxy) or to the probe's socket."""
        program = sock.program
        if isinstance(program, Listen):
            answer_datagram(self, sock, packet)
        elif isinstance(program, EmbeddedDns):
            answer_query(self, self.plane.world, program.container, sock, packet)
        elif isinstance(program, ProxyBinding):
            self.run.later(0.0, self._relay_udp, sock, packet, program)
        else:
            super().datagram(sock, packet)

    def _relay_udp(self, sock: UdpSocket, packet: IPv4Packet, binding: ProxyBinding) -> None:
        """Mirror ``apps._relay_udp``: send the datagram on to the container, relay one answer."""
        datagram = packet.payload
        assert isinstance(datagram, UdpDatagram)
        backend = self.udp_socket(
            self.plane.host, binding.container_ip, binding.container_port, PROXY
        )
        if isinstance(backend, str):
            return
        client = (packet.src, datagram.sport)

        def answered(relay: UdpSocket, reply: IPv4Packet) -> None:
            if not relay.inbox and relay.error is None:
                answer = reply.payload
                assert isinstance(answer, UdpDatagram)
                self.sendto(sock, answer.data, client)
            relay.inbox.append(reply)

        backend.on_datagram = answered
        self.sendto(backend, datagram.data, (binding.container_ip, binding.container_port))


__all__ = [
    "Exposure",
    "ProbeOutcome",
    "FlowPlane",
    "Symmetry",
    "flow_probe",
    "port_classes",
    "symmetry_of",
]
