"""The data plane's view of the world's namespaces: routes, local addresses, names.

Built once per simulation from the kernel model's public attributes (the
world does not change while packets fly), so the hot path reads plain sets
and lists instead of re-deriving the local table for every packet. Helpers
the kernel model does not have (yet) live here:

* Every namespace's loopback is up with 127.0.0.1/8, as in a real netns that
  Docker or systemd brought up, whether or not the model configured ``lo``.
* ``select_source`` is ``inet_select_addr``: the route's ``src``, else the
  device's primary address on the destination's subnet, else its first
  primary address, else any global address of the namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from operator import itemgetter
from typing import TYPE_CHECKING, TypeVar

from netsim.dataplane.conntrack import ConntrackTable
from netsim.dataplane.matches import TUPLE_FIELDS, VIEW_FIELDS, rules_read
from netsim.kernel.evaluate import EvalContext, PacketView, Verdict
from netsim.kernel.namespace import Interface, NetworkNamespace, Route
from netsim.kernel.netfilter import Chain, Netfilter, RuleEntry, Table

if TYPE_CHECKING:
    from netsim.dataplane.stack import Header

Counted = Chain | RuleEntry
_V = TypeVar("_V")

LOOPBACK_NET = IPv4Network("127.0.0.0/8")
LOOPBACK_ADDRESS = IPv4Address("127.0.0.1")
LOOPBACK_ROUTE = Route(
    destination=LOOPBACK_NET,
    dev="lo",
    protocol="kernel",
    scope="host",
    source=LOOPBACK_ADDRESS,
    type="local",
    table="local",
)


@dataclass(frozen=True, slots=True)
class RouteResult:
    """A routing decision: local delivery or out an interface, maybe via a gateway."""

    local: bool
    interface: str
    gateway: IPv4Address | None
    source: IPv4Address | None
    route: Route

    @property
    def text(self) -> str:
        """Return the route as ``ip route`` would print its first words."""
        route = self.route
        kind = "local " if route.type == "local" else ""
        via = f" via {route.gateway}" if route.gateway else ""
        return f"{kind}{route.destination}{via} dev {route.dev}"


class PerTable(dict[str, _V]):
    """A value per netfilter table, computed the first time it is asked for.

    The ruleset does not change while a simulation runs, so the first answer
    stays right.
    """

    def __init__(self, compute: Callable[[str], _V]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, table: str) -> _V:
        value = self[table] = self.compute(table)
        return value


class Node:
    """One namespace as the data plane sees it during a simulation."""

    def __init__(self, namespace: NetworkNamespace, label: str) -> None:
        self.namespace = namespace
        self.label = label
        self.netfilter = namespace.netfilter
        self.sysctls = namespace.sysctls
        self.conntrack = ConntrackTable()
        self.neighbours: dict[tuple[str, IPv4Address], str] = {}
        # neighbours by (interface, id(address)), as is_local's memo: the value
        # keeps the address alive. Emptied whenever an entry is learnt.
        self._neighbour_ids: dict[tuple[str, int], tuple[IPv4Address, str]] = {}
        self.verdicts: dict[tuple[str, str, PacketView], Verdict] = {}
        # walk cache: the key is the view's fields as a tuple (no PacketView to
        # build on a hit), the fields no rule of the table reads left out; the
        # value carries the counters the verdict bumps.
        self.walks: dict[tuple[object, ...], tuple[Verdict, tuple[Counted, ...]]] = {}
        # In front of it, the same answers by the whole header with its addresses
        # by identity (``Simulation.verdict``); each value holds the two addresses.
        self.seen: dict[tuple[object, ...], tuple[Verdict, tuple[Counted, ...], object, object]]
        self.seen = {}
        # The same pairs by the verdict's id (the pair keeps the verdict alive).
        self.plans: dict[int, tuple[Verdict, tuple[Counted, ...]]] = {}
        # IPv4Stack.walk's verdicts of packets without a connection, with the
        # address objects their key names by identity.
        self.untracked: dict[tuple[object, ...], tuple[Verdict, object, object]] = {}
        # Per table, worked out when a packet first walks it (most nodes of a big
        # world see no packet): the fields some rule reads, and the function that
        # picks them out of a header (``stack.Header``) as the cache's key.
        tables = namespace.netfilter.tables
        self.relevant: dict[str, frozenset[str]] = PerTable(
            lambda name: relevant_fields(tables[name])
        )
        self.key_of: dict[str, Callable[[Header], object]] = PerTable(
            lambda name: key_getter(self.relevant[name])
        )
        # Whether some rule of the table reads a connection's tuples (``-m
        # conntrack --ctorigdst`` and the like): only then does a walk carry them.
        self.tuples_read: dict[str, bool] = PerTable(
            lambda name: bool(self.relevant[name] & TUPLE_FIELDS)
        )
        self._routes: dict[IPv4Address, RouteResult | None] = {}
        self._route_ids: dict[int, tuple[IPv4Address, RouteResult | None]] = {}
        self._local_ids: dict[int, tuple[IPv4Address, bool, bool]] = {}
        self._flags: dict[tuple[str, bool], bool] = {}
        self._forwarding: dict[str, bool] = {}
        self._route_localnet: dict[str, bool] = {}
        self._bridge_nf: bool | None = None
        self.ip_ident = 0
        local: set[IPv4Address] = set()
        self.addresses: dict[str, list[IPv4Address]] = {}
        self.networks: dict[str, list[IPv4Network]] = {}
        for link in namespace.interfaces():
            primaries = [a for a in link.addresses if not a.secondary]
            self.addresses[link.name] = [a.interface.ip for a in primaries]
            self.networks[link.name] = [a.interface.network for a in primaries]
            for address in link.addresses:
                if address.local_route:
                    local.add(address.interface.ip)
        self.local = frozenset(local)
        # The same as integers: IPv4Address hashes in Python (hex of its int), and
        # every ARP request a bridge floods asks each port's namespace about a target.
        self._local_ints = frozenset(int(address) for address in local)
        self.routes = sorted(namespace.routes, key=lambda r: (-r.destination.prefixlen, r.metric))
        context = namespace.eval_context()
        networks = tuple(context.local_networks)
        if LOOPBACK_NET not in networks:
            networks = (LOOPBACK_NET, *networks)
        self.context = EvalContext(
            local_networks=networks, broadcast_addresses=context.broadcast_addresses
        )
        self._interfaces = {link.name: link for link in namespace.interfaces()}
        # Built-in chains that can change a packet's fate (the ruleset is fixed while
        # a simulation runs); the others are skipped without a walk.
        self.active_chains = frozenset(
            (table.name, chain.name)
            for table in namespace.netfilter.tables.values()
            for chain in table.chains.values()
            if chain.builtin and (chain.entries or chain.policy != "ACCEPT")
        )
        # The tables worth walking at each filtering hook, in the kernel's order.
        self.filter_tables = {
            hook: tuple(t for t in ("mangle", "filter") if (t, hook) in self.active_chains)
            for hook in ("INPUT", "FORWARD", "OUTPUT")
        }

    def __repr__(self) -> str:
        return f"<Node {self.label}>"

    def interface(self, name: str) -> Interface | None:
        """Return the interface called ``name`` here, or None."""
        return self._interfaces.get(name)

    def is_local(self, address: IPv4Address) -> bool:
        """Return True when ``address`` belongs to this namespace (127/8 included)."""
        # Memo by object identity (the entry keeps the object alive, so its id
        # stays its own): a flow's packets carry the same address objects, and
        # IPv4Address hashes in Python.
        known = self._local_ids.get(id(address))
        if known is None or known[0] is not address:
            known = self._remember(address)
        return known[1]

    def address_kind(self, address: IPv4Address) -> tuple[IPv4Address, bool, bool]:
        """Return ``(address, is_local, is_loopback)`` with one memo lookup (as in ``is_local``)."""
        known = self._local_ids.get(id(address))
        if known is None or known[0] is not address:
            known = self._remember(address)
        return known

    def is_loopback(self, address: IPv4Address) -> bool:
        """Return True for an address in 127/8 (memo as in ``is_local``)."""
        known = self._local_ids.get(id(address))
        if known is None or known[0] is not address:
            known = self._remember(address)
        return known[2]

    def _remember(self, address: IPv4Address) -> tuple[IPv4Address, bool, bool]:
        number = int(address)
        loopback = number >> 24 == 127
        known = self._local_ids[id(address)] = (
            address,
            number in self._local_ints or loopback,
            loopback,
        )
        return known

    def neighbour(self, interface: str, address: IPv4Address) -> str | None:
        """Return the MAC the ARP table holds for ``address`` on ``interface``, or None."""
        known = self._neighbour_ids.get((interface, id(address)))
        if known is not None:
            return known[1]
        mac = self.neighbours.get((interface, address))
        if mac is not None:
            self._neighbour_ids[(interface, id(address))] = (address, mac)
        return mac

    def learn(self, interface: str, address: IPv4Address, mac: str) -> None:
        """Put ``address`` at ``mac`` on ``interface`` in the ARP table."""
        self.neighbours[(interface, address)] = mac
        self._neighbour_ids.clear()

    def flag(self, key: str, default: bool = False) -> bool:
        """Return a sysctl as a boolean (``default`` when the key does not exist)."""
        try:
            return self._flags[(key, default)]
        except KeyError:
            value = self.sysctls.flag(key) if key in self.sysctls else default
            self._flags[(key, default)] = value
            return value

    def forwarding(self, interface: str) -> bool:
        """Return True when IPv4 forwarding is on for packets coming in on ``interface``."""
        try:
            return self._forwarding[interface]
        except KeyError:
            value = self.flag(
                f"net.ipv4.conf.{interface}.forwarding", self.flag("net.ipv4.ip_forward")
            )
            self._forwarding[interface] = value
            return value

    def route_localnet(self, interface: str) -> bool:
        """Return True when 127/8 may be routed on ``interface`` (route_localnet)."""
        try:
            return self._route_localnet[interface]
        except KeyError:
            value = self.flag(f"net.ipv4.conf.{interface}.route_localnet") or self.flag(
                "net.ipv4.conf.all.route_localnet"
            )
            self._route_localnet[interface] = value
            return value

    def bridge_nf(self) -> bool:
        """Return True when bridged IPv4 goes through iptables (bridge-nf-call-iptables)."""
        value = self._bridge_nf
        if value is None:
            value = self._bridge_nf = self.flag("net.bridge.bridge-nf-call-iptables")
        return value

    def next_ident(self) -> int:
        """Return the next IPv4 identification value of this namespace."""
        self.ip_ident = (self.ip_ident + 1) & 0xFFFF
        return self.ip_ident

    def route(self, destination: IPv4Address) -> RouteResult | None:
        """Look ``destination`` up: the local table, then the main table's longest prefix."""
        known = self._route_ids.get(id(destination))  # as in is_local
        if known is not None and known[0] is destination:
            return known[1]
        try:
            found = self._routes[destination]
        except KeyError:
            found = self._routes[destination] = self._lookup(destination)
        self._route_ids[id(destination)] = (destination, found)
        return found

    def _lookup(self, destination: IPv4Address) -> RouteResult | None:
        if self.is_local(destination):
            if destination in LOOPBACK_NET:
                return RouteResult(True, "lo", None, destination, LOOPBACK_ROUTE)
            route = Route(
                destination=IPv4Network(destination),
                dev="lo",
                protocol="kernel",
                scope="host",
                source=destination,
                type="local",
                table="local",
            )
            return RouteResult(True, "lo", None, destination, route)
        for route in self.routes:
            if destination in route.destination and route.type == "unicast":
                link = self._interfaces.get(route.dev)
                if link is None or not link.admin_up:
                    continue
                source = route.source or self.select_source(route.dev, route.gateway or destination)
                return RouteResult(False, route.dev, route.gateway, source, route)
        return None

    def select_source(self, interface: str, toward: IPv4Address) -> IPv4Address | None:
        """Return the source address for traffic to ``toward`` out of ``interface``."""
        if interface == "lo":
            return LOOPBACK_ADDRESS
        addresses = self.addresses.get(interface, [])
        for address, network in zip(addresses, self.networks.get(interface, []), strict=True):
            if toward in network:
                return address
        if addresses:
            return addresses[0]
        for name, others in self.addresses.items():
            if name != "lo" and others:
                return others[0]
        return None

    def primary_address(self, interface: str) -> IPv4Address | None:
        """Return the first primary address of ``interface`` (MASQUERADE's choice)."""
        if interface == "lo":
            return LOOPBACK_ADDRESS
        addresses = self.addresses.get(interface, [])
        return addresses[0] if addresses else None

    def owns_on(self, interface: str, address: IPv4Address) -> bool:
        """Return True when ``address`` is local and outside 127/8 (ARP answers for those)."""
        # By integer, with no memo: a flooded ARP request reaches every port with
        # an address object of its own.
        number = int(address)
        return number >> 24 != 127 and number in self._local_ints


def accounting_plan(netfilter: Netfilter, verdict: Verdict) -> tuple[Counted, ...]:
    """Return the chains and rules whose counters one packet with ``verdict`` bumps.

    The same choice ``Netfilter.account`` makes step by step, made once per
    cached verdict (the ruleset does not change while a simulation runs).
    """
    out: list[Counted] = []
    for step in verdict.trace:
        chain = netfilter.tables[step.table].chains.get(step.chain)
        if chain is None:
            continue
        if step.kind == "policy":
            out.append(chain)
        elif step.kind == "rule" and 0 < step.rulenum <= len(chain.entries):
            out.append(chain.entries[step.rulenum - 1])
    return tuple(out)


def _no_key(_header: Header) -> object:
    return None


def key_getter(fields: frozenset[str]) -> Callable[[Header], object]:
    """Return a function that picks ``fields`` out of a header, as a verdict cache's key."""
    indexes = [i for i, name in enumerate(VIEW_FIELDS) if name in fields]
    return itemgetter(*indexes) if indexes else _no_key


def relevant_fields(table: Table) -> frozenset[str]:
    """Return the PacketView fields some rule of ``table`` can decide on.

    Two packets that agree on these fields get the same verdict and trace
    (``matches.rules_read``). A match the data plane does not know keeps
    every field.
    """
    fields = rules_read(e.rule for chain in table.chains.values() for e in chain.entries)
    return frozenset(VIEW_FIELDS) if fields is None else fields
