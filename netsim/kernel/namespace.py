"""Network namespaces: interfaces, addresses, routes, sysctls and a netfilter.

Linux behaviour copied here was observed on this machine kind (Linux 6.18,
iproute2 6.1, Debian 12) in scratch namespaces:

* ifindex allocation is cyclic per namespace (lo is 1; deleted indexes are not
  reused until wrap-around); a link moved to another namespace keeps its
  ifindex if that index is free there (so a container's ``eth0`` keeps the
  index it got on the host, e.g. ``5: eth0@if6``).
* A veth has carrier only while both ends are up; ``ip link add A type veth
  peer name B`` registers B first (B gets the lower ifindex). A bridge created
  with an explicit MAC (as Docker does) has carrier only while a port is up
  with carrier, else ``NO-CARRIER``/``DOWN``; one with a random MAC that never
  had a port shows ``state UNKNOWN`` with LOWER_UP.
  A bridge whose MAC was not set explicitly takes the lowest port MAC
  (``00:00:00:00:00:00`` once the last port leaves); Docker sets it explicitly.
* Operstate of a link without carrier is LOWERLAYERDOWN when the device whose
  index equals its peer's ifindex *in its own namespace* exists and is not
  oper-up, else DOWN (the kernel's default_operstate looks it up locally).
* Adding an address to an up interface adds ``PREFIX dev X proto kernel scope
  link src A`` (not for secondaries); taking the interface down removes every
  route through it and its IPv6 link-local address (IPv4 addresses stay);
  bringing it up restores the connected routes only.
* With IPv6 enabled, an interface that comes up with carrier gets
  ``fe80::/64`` derived from its MAC at that moment (EUI-64); lo gets ``::1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Interface
from types import MappingProxyType

from netsim.errors import KernelError
from netsim.kernel.evaluate import EvalContext
from netsim.kernel.netfilter import Netfilter
from netsim.kernel.parsecache import ParsedCommands
from netsim.kernel.rules import Resolver

LOOPBACK_MAC = "00:00:00:00:00:00"
IFNAMSIZ = 16
LOOPBACK_NETWORK = IPv4Network("127.0.0.0/8")
LOOPBACK_IPV6 = IPv6Interface("::1/128")


def link_local_from_mac(mac: str) -> IPv6Interface:
    """Return the EUI-64 link-local address the kernel derives from ``mac``."""
    octets = [int(part, 16) for part in mac.split(":")]
    octets[0] ^= 0x02
    eui = octets[:3] + [0xFF, 0xFE] + octets[3:]
    # From (int, prefix): no text for ipaddress to parse (a sandbox's every link has one).
    return IPv6Interface(((0xFE80 << 112) | int.from_bytes(bytes(eui), "big"), 64))


@dataclass(slots=True)
class Address:
    """An IPv4 address on an interface (``ip addr`` shows it in insertion order)."""

    interface: IPv4Interface
    broadcast: IPv4Address | None
    scope: str
    label: str
    secondary: bool = False
    local_route: bool = True  # the kernel's local-table entry (flushed on link down)


@dataclass(frozen=True, slots=True)
class Route:
    """One route, as ``ip route`` prints it.

    ``protocol`` ``boot`` (what ``ip route add`` and Docker's netlink use) is
    not printed; ``kernel`` marks connected routes; ``scope`` ``global`` is not
    printed; ``metric`` 0 is not printed.
    """

    destination: IPv4Network
    dev: str
    gateway: IPv4Address | None = None
    protocol: str = "boot"
    scope: str = "global"
    source: IPv4Address | None = None
    metric: int = 0
    type: str = "unicast"
    table: str = "main"

    def sort_key(self) -> tuple[int, int, int]:
        """Order of the kernel's FIB dump: by address, longer prefix first, then metric."""
        return (
            int(self.destination.network_address),
            -self.destination.prefixlen,
            self.metric,
        )


class Interface:
    """A network interface owned by one namespace.

    ``kind`` is ``loopback``, ``veth``, ``bridge`` or ``ether`` (a plain NIC
    that always has carrier). Use the namespace's methods to change it.
    """

    def __init__(self, namespace: NetworkNamespace, name: str, ifindex: int, kind: str, mac: str):
        self.namespace = namespace
        self.name = name
        self.ifindex = ifindex
        self.kind = kind
        self.mac = mac
        self.mac_explicit = True
        self.mtu = 65536 if kind == "loopback" else 1500
        self.qlen = 1000
        self.admin_up = False
        self.was_up = False  # qdisc shows noop until the first up, noqueue after
        self.master: str | None = None
        self.hairpin = False
        self.peer: Interface | None = None
        self.addresses: list[Address] = []
        self.ipv6: list[tuple[IPv6Interface, str]] = []

    def __repr__(self) -> str:
        return f"<Interface {self.namespace.name}/{self.name} #{self.ifindex}>"

    @property
    def carrier(self) -> bool:
        """True when the link has carrier (LOWER_UP when up)."""
        if not self.admin_up:
            return False
        if self.kind == "veth":
            return self.peer is not None and self.peer.admin_up
        if self.kind == "bridge":
            assert isinstance(self, Bridge)
            if not self.carrier_known:
                return True
            ports = self.namespace._ports.get(self.name, {})
            return any(port.admin_up and port.carrier for port in ports.values())
        return True

    @property
    def operstate(self) -> str:
        """``UP``, ``DOWN``, ``UNKNOWN`` or ``LOWERLAYERDOWN`` as ``ip link`` prints it."""
        if not self.admin_up:
            return "DOWN"
        if self.kind == "loopback":
            return "UNKNOWN"
        if self.kind == "bridge" and not getattr(self, "carrier_known", True):
            return "UNKNOWN"
        if self.carrier:
            return "UP"
        if self.peer is not None:
            lower = self.namespace.by_index(self.peer.ifindex)
            if lower is not None and lower is not self and lower.operstate not in ("UP", "UNKNOWN"):
                return "LOWERLAYERDOWN"
        return "DOWN"

    def flags(self) -> list[str]:
        """The link flags in iproute2's order (NO-CARRIER first, M-DOWN excluded)."""
        out = []
        if self.admin_up and not self.carrier:
            out.append("NO-CARRIER")
        out += ["LOOPBACK"] if self.kind == "loopback" else ["BROADCAST", "MULTICAST"]
        if self.admin_up:
            out.append("UP")
            if self.carrier:
                out.append("LOWER_UP")
        return out

    @property
    def qdisc(self) -> str:
        """``noop`` until the link was first up, then ``noqueue``."""
        return "noqueue" if self.was_up else "noop"

    def ipv4_networks(self) -> list[IPv4Network]:
        """The networks of the interface's IPv4 addresses."""
        return [a.interface.network for a in self.addresses]


class Bridge(Interface):
    """A Linux bridge; owns its forwarding database (MAC → port name)."""

    def __init__(self, namespace: NetworkNamespace, name: str, ifindex: int, mac: str):
        super().__init__(namespace, name, ifindex, "bridge", mac)
        self.fdb: dict[str, str] = {}
        self.carrier_known = False

    def ports(self) -> list[Interface]:
        """The interfaces enslaved to this bridge, by ifindex."""
        ports = self.namespace._ports.get(self.name, {})
        return [ports[i] for i in sorted(ports)]

    def learn(self, mac: str, port: str) -> None:
        """Record that ``mac`` was seen on ``port``."""
        self.fdb[mac] = port

    def lookup(self, mac: str) -> str | None:
        """Return the port ``mac`` was learnt on, or None (flood)."""
        return self.fdb.get(mac)

    def refresh_mac(self) -> None:
        """Adopt the lowest port MAC when the MAC was never set (Linux br_stp_recalculate)."""
        if self.mac_explicit:
            return
        macs = sorted(port.mac for port in self.ports())
        self.mac = macs[0] if macs else LOOPBACK_MAC


@dataclass(frozen=True, slots=True)
class VethPair:
    """The two ends of a veth pair (each end lives in its own namespace)."""

    first: Interface
    second: Interface


SYSCTL_DEFAULTS: dict[str, str] = {
    "net.ipv4.ip_forward": "0",
    "net.ipv4.ip_local_port_range": "32768\t60999",
    "net.ipv4.ip_unprivileged_port_start": "1024",
    "net.ipv4.ping_group_range": "1\t0",
    "net.bridge.bridge-nf-call-iptables": "1",
    "net.bridge.bridge-nf-call-ip6tables": "1",
    "net.bridge.bridge-nf-call-arptables": "1",
}
PER_INTERFACE_IPV4 = {"forwarding": "0", "route_localnet": "0", "rp_filter": "0"}
PER_INTERFACE_IPV6 = {"disable_ipv6": "0", "accept_dad": "1", "forwarding": "0"}


# Each per-interface key: (IP version, key, the ``default`` key it copies, its own default).
_PER_INTERFACE = tuple(
    (version, key, f"net.ipv{version}.conf.default.{key}", value)
    for version, keys in ((4, PER_INTERFACE_IPV4), (6, PER_INTERFACE_IPV6))
    for key, value in keys.items()
)


def _add_interface_keys(values: dict[str, str], name: str) -> None:
    """Add interface NAME's keys to VALUES: ``default``'s values, forwarding from ip_forward."""
    for version, key, default_key, value in _PER_INTERFACE:
        if version == 4 and key == "forwarding":
            value = values["net.ipv4.ip_forward"]
        else:
            value = values.get(default_key, value)
        values[f"net.ipv{version}.conf.{name}.{key}"] = value


def _interface_keys(name: str) -> list[str]:
    """Return the per-interface sysctl keys of interface ``name``, IPv4 then IPv6."""
    return [f"net.ipv4.conf.{name}.{key}" for key in PER_INTERFACE_IPV4] + [
        f"net.ipv6.conf.{name}.{key}" for key in PER_INTERFACE_IPV6
    ]


class Sysctls:
    """The namespace's /proc/sys/net values, with Linux 6.x defaults for a new netns."""

    def __init__(self) -> None:
        self._values = dict(_NEW_NAMESPACE_SYSCTLS)

    def add_interface(self, name: str) -> None:
        """Create ``net.ipv4.conf.NAME.*`` and ``net.ipv6.conf.NAME.*`` (from ``default``)."""
        _add_interface_keys(self._values, name)

    def remove_interface(self, name: str) -> None:
        """Drop the per-interface keys of ``name``.

        Those are the keys ``add_interface`` made (``set`` makes no others), so
        they are named, not looked for among every key of a busy host.
        """
        for key in _interface_keys(name):
            self._values.pop(key, None)

    def rename_interface(self, old: str, new: str) -> None:
        """Move the per-interface keys of ``old`` to ``new``."""
        for old_key, new_key in zip(_interface_keys(old), _interface_keys(new), strict=True):
            if old_key in self._values:
                self._values[new_key] = self._values.pop(old_key)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._values))

    def get(self, key: str) -> str:
        """Return the value of ``key`` (``sysctl`` text form).

        Raises:
            KernelError: ENOENT for an unknown key.
        """
        try:
            return self._values[key.replace("/", ".")]
        except KeyError:
            raise KernelError(f"unknown sysctl {key}", errno_name="ENOENT") from None

    def __getitem__(self, key: str) -> str:
        return self.get(key)

    def set(self, key: str, value: str | int) -> None:
        """Set ``key``; integers only where Linux takes integers.

        Raises:
            KernelError: ENOENT for an unknown key, EINVAL for a bad value.
        """
        key = key.replace("/", ".")
        if key not in self._values:
            raise KernelError(f"unknown sysctl {key}", errno_name="ENOENT")
        text = str(value).strip()
        parts = text.split()
        # proc_dointvec: ASCII integers that fit a C int, else EINVAL.
        if not parts or not all(
            re.fullmatch(r"-?[0-9]{1,10}", p) and -(2**31) <= int(p) < 2**31 for p in parts
        ):
            shown = text if len(text) <= 40 else text[:40] + "..."
            raise KernelError(f"invalid value {shown!r} for {key}", errno_name="EINVAL")
        text = "\t".join(str(int(p)) for p in parts)
        self._values[key] = text
        # Linux: writing ip_forward (or conf.all.forwarding) sets every conf.*.forwarding.
        if key in ("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding"):
            self._values["net.ipv4.ip_forward"] = text
            for other in list(self._values):
                if other.startswith("net.ipv4.conf.") and other.endswith(".forwarding"):
                    self._values[other] = text

    def __setitem__(self, key: str, value: str | int) -> None:
        self.set(key, value)

    def flag(self, key: str) -> bool:
        """Return True when an integer sysctl is non-zero."""
        return self.get(key) not in ("0", "")

    def ipv6_disabled(self, interface: str) -> bool:
        """Return whether ``disable_ipv6`` is set for all interfaces or for ``interface``."""
        values = self._values
        if values["net.ipv6.conf.all.disable_ipv6"] not in ("0", ""):
            return True
        return values.get(f"net.ipv6.conf.{interface}.disable_ipv6", "0") not in ("0", "")


def _new_namespace_sysctls() -> dict[str, str]:
    """Return a new namespace's sysctls: the defaults, then ``all`` and ``default``'s keys."""
    values = dict(SYSCTL_DEFAULTS)
    for name in ("all", "default"):
        _add_interface_keys(values, name)
    return values


# Copied into every new namespace's Sysctls (a container's sandbox is one).
_NEW_NAMESPACE_SYSCTLS: Mapping[str, str] = MappingProxyType(_new_namespace_sysctls())


class NetworkNamespace:
    """One network namespace: owns interfaces, addresses, routes, sysctls, netfilter.

    ``registered_name`` is set when the namespace is visible to ``ip netns``
    (iproute2 then prints ``link-netns NAME`` instead of ``link-netnsid N``);
    Docker's container namespaces are not.
    """

    def __init__(
        self,
        name: str,
        *,
        registered_name: str | None = None,
        resolver: Resolver | None = None,
        parsed: ParsedCommands | None = None,
    ) -> None:
        self.name = name
        self.registered_name = registered_name
        self.sysctls = Sysctls()
        self.netfilter = Netfilter(resolver, parsed=parsed)
        self.neighbours: dict[IPv4Address, str] = {}  # placeholder: address -> MAC
        self.routes: list[Route] = []
        self._links: dict[int, Interface] = {}
        # Indexes over _links kept by _register/_unregister/rename_link/_set_master so
        # that a lookup or a bridge's carrier does not scan every link of a busy host.
        self._by_name: dict[str, Interface] = {}
        self._ports: dict[str, dict[int, Interface]] = {}
        # The bridges by ifindex: a leaving link is dropped from their FDBs.
        self._bridges: dict[int, Bridge] = {}
        self._sorted: list[Interface] | None = None
        self._next_index = 1
        self._netnsids: dict[int, NetworkNamespace] = {}
        self._nsid_of: dict[int, int] = {}  # id() of a namespace in _netnsids -> its nsid
        lo = Interface(self, "lo", self._allocate_index(), "loopback", LOOPBACK_MAC)
        self._register(lo)

    def __repr__(self) -> str:
        return f"<NetworkNamespace {self.name}>"

    # -- lookup --------------------------------------------------------------

    def interfaces(self) -> list[Interface]:
        """All interfaces by ifindex."""
        if self._sorted is None:
            self._sorted = [self._links[i] for i in sorted(self._links)]
        return list(self._sorted)

    def by_index(self, ifindex: int) -> Interface | None:
        """Return the interface with ``ifindex`` here, or None."""
        return self._links.get(ifindex)

    def find(self, name: str) -> Interface | None:
        """Return the interface called ``name``, or None."""
        return self._by_name.get(name)

    def interface(self, name: str) -> Interface:
        """Return the interface called ``name``.

        Raises:
            KernelError: ENODEV when there is none.
        """
        link = self.find(name)
        if link is None:
            raise KernelError(f'Cannot find device "{name}"', errno_name="ENODEV")
        return link

    def netnsid_of(self, other: NetworkNamespace) -> int:
        """Return (allocating the lowest free one) the id this namespace uses for ``other``."""
        known = self._nsid_of.get(id(other))
        if known is not None:
            return known
        # Ids are never freed here, so the lowest free one is the count so far.
        nsid = len(self._netnsids)
        self._netnsids[nsid] = other
        self._nsid_of[id(other)] = nsid
        return nsid

    # -- links ---------------------------------------------------------------

    def _allocate_index(self) -> int:
        index = self._next_index
        while index in self._links:
            index += 1
        self._next_index = index + 1
        return index

    def _register(self, link: Interface) -> None:
        if len(link.name) >= IFNAMSIZ:
            raise KernelError(f'"{link.name}" is too long', errno_name="EINVAL")
        self._links[link.ifindex] = link
        self._by_name[link.name] = link
        self._sorted = None
        link.namespace = self
        if link.master is not None:
            self._ports.setdefault(link.master, {})[link.ifindex] = link
        if isinstance(link, Bridge):
            self._bridges[link.ifindex] = link
        self.sysctls.add_interface(link.name)

    def _set_master(self, link: Interface, master: str | None) -> None:
        if link.master is not None:
            self._ports.get(link.master, {}).pop(link.ifindex, None)
        link.master = master
        if master is not None:
            self._ports.setdefault(master, {})[link.ifindex] = link

    def _check_free(self, name: str) -> None:
        if self.find(name) is not None:
            raise KernelError("RTNETLINK answers: File exists", errno_name="EEXIST")

    def add_bridge(self, name: str, *, mac: str, mac_explicit: bool = True) -> Bridge:
        """Create a bridge (``ip link add NAME type bridge``); Docker sets its MAC explicitly."""
        self._check_free(name)
        bridge = Bridge(self, name, self._allocate_index(), mac)
        bridge.mac_explicit = mac_explicit
        # Observed on Linux 6.18: a bridge created with an explicit MAC has no
        # carrier until a port is up; one with a random MAC shows UNKNOWN.
        bridge.carrier_known = mac_explicit
        self._register(bridge)
        return bridge

    def add_ether(self, name: str, *, mac: str, mtu: int = 1500) -> Interface:
        """Create a plain Ethernet interface that always has carrier."""
        self._check_free(name)
        link = Interface(self, name, self._allocate_index(), "ether", mac)
        link.mtu = mtu
        self._register(link)
        return link

    def add_veth(
        self,
        name: str,
        peer_name: str,
        *,
        mac: str,
        peer_mac: str,
        peer_namespace: NetworkNamespace | None = None,
    ) -> VethPair:
        """Create a veth pair; the peer is created in ``peer_namespace`` (default: here)."""
        other = peer_namespace or self
        self._check_free(name)
        if other is self and name == peer_name:
            raise KernelError("RTNETLINK answers: File exists", errno_name="EEXIST")
        other._check_free(peer_name)
        # veth_newlink registers the peer first, so it gets the lower ifindex.
        second = Interface(other, peer_name, other._allocate_index(), "veth", peer_mac)
        other._register(second)
        first = Interface(self, name, self._allocate_index(), "veth", mac)
        self._register(first)
        first.peer, second.peer = second, first
        if other is not self:
            self.netnsid_of(other)
            other.netnsid_of(self)
        return VethPair(first, second)

    def move_link(
        self, name: str, target: NetworkNamespace, new_name: str | None = None
    ) -> Interface:
        """Move a link to ``target`` (``ip link set NAME netns T [name NEW]``).

        The link keeps its ifindex when that index is free in ``target``; it
        arrives down, without addresses or routes.
        """
        link = self.interface(name)
        final = new_name or name
        target._check_free(final)
        self._take_down(link)
        self._unregister(link)
        link.addresses.clear()
        link.name = final
        if link.ifindex in target._links:
            link.ifindex = target._allocate_index()
        target._register(link)
        if link.peer is not None:
            peer_ns = link.peer.namespace
            if peer_ns is not target:
                target.netnsid_of(peer_ns)
                peer_ns.netnsid_of(target)
        target._refresh_ipv6([link])
        return link

    def _unregister(self, link: Interface) -> None:
        self._set_master(link, None)
        del self._links[link.ifindex]
        del self._by_name[link.name]
        self._sorted = None
        self._bridges.pop(link.ifindex, None)
        self.sysctls.remove_interface(link.name)
        for bridge in self._bridges.values():
            if link.name in bridge.fdb.values():
                bridge.fdb = {m: p for m, p in bridge.fdb.items() if p != link.name}

    def delete_link(self, name: str) -> None:
        """Delete a link (``ip link del``); deleting a veth end deletes its peer too."""
        link = self.interface(name)
        if link.kind == "loopback":
            raise KernelError("RTNETLINK answers: Operation not supported", errno_name="EOPNOTSUPP")
        self._take_down(link)
        if isinstance(link, Bridge):
            for port in link.ports():
                self._set_master(port, None)
            self._ports.pop(link.name, None)
        master = self.find(link.master) if link.master else None
        self._unregister(link)
        if isinstance(master, Bridge):
            master.carrier_known = True
            master.refresh_mac()
        peer = link.peer
        if peer is not None:
            link.peer = None
            peer.peer = None
            peer_ns = peer.namespace
            if peer_ns.by_index(peer.ifindex) is peer:
                peer_ns._take_down(peer)
                peer_master = peer_ns.find(peer.master) if peer.master else None
                peer_ns._unregister(peer)
                if isinstance(peer_master, Bridge):
                    peer_master.carrier_known = True
                    peer_master.refresh_mac()

    def rename_link(self, name: str, new_name: str) -> None:
        """Rename a link; Linux refuses while it is up (EBUSY)."""
        link = self.interface(name)
        if link.admin_up:
            raise KernelError("RTNETLINK answers: Device or resource busy", errno_name="EBUSY")
        self._check_free(new_name)
        self.sysctls.rename_interface(name, new_name)
        ports = self._ports.pop(name, None)
        if ports is not None:
            self._ports[new_name] = ports
            for other in ports.values():
                other.master = new_name
        del self._by_name[name]
        link.name = new_name
        self._by_name[new_name] = link

    def set_master(self, name: str, bridge: str | None) -> None:
        """Enslave ``name`` to ``bridge`` (None: ``nomaster``)."""
        link = self.interface(name)
        old = self.find(link.master) if link.master else None
        if bridge is None:
            self._set_master(link, None)
        else:
            master = self.interface(bridge)
            if not isinstance(master, Bridge):
                raise KernelError(
                    "RTNETLINK answers: Operation not supported", errno_name="EOPNOTSUPP"
                )
            # br_add_if refuses a bridge (itself included) and the loopback.
            if isinstance(link, Bridge):
                raise KernelError(
                    "Error: Can not enslave a bridge to a bridge.", errno_name="ELOOP"
                )
            if link.kind == "loopback":
                raise KernelError("RTNETLINK answers: Invalid argument", errno_name="EINVAL")
            self._set_master(link, master.name)
            master.carrier_known = True
            master.refresh_mac()
        if isinstance(old, Bridge):
            old.carrier_known = True
            old.refresh_mac()
        self._refresh_ipv6([link])

    def set_mac(self, name: str, mac: str) -> None:
        """Set a link's MAC address (``ip link set NAME address MAC``)."""
        link = self.interface(name)
        link.mac = mac.lower()
        link.mac_explicit = True
        if isinstance(link, Bridge):
            link.carrier_known = True
        master = self.find(link.master) if link.master else None
        if isinstance(master, Bridge):
            master.refresh_mac()

    def set_mtu(self, name: str, mtu: int) -> None:
        """Set a link's MTU within the device's range (68-65535 for Ethernet-like links)."""
        link = self.interface(name)
        if mtu < 68:
            raise KernelError("Error: mtu less than device minimum.", errno_name="EINVAL")
        if mtu > 65535 and link.kind != "loopback":
            raise KernelError("Error: mtu greater than device maximum.", errno_name="EINVAL")
        link.mtu = mtu

    def set_up(self, name: str) -> None:
        """Bring a link up: connected routes return, IPv6 link-local appears with carrier."""
        link = self.interface(name)
        if link.admin_up:
            return
        link.admin_up = True
        link.was_up = True
        for address in link.addresses:
            address.local_route = True
            self._add_connected_route(link, address)
        self._refresh_ipv6([link])

    def set_down(self, name: str) -> None:
        """Take a link down: routes through it and its IPv6 addresses go away."""
        self._take_down(self.interface(name))

    def _take_down(self, link: Interface) -> None:
        if not link.admin_up:
            return
        link.admin_up = False
        link.ipv6.clear()
        self.routes = [r for r in self.routes if r.dev != link.name]
        for address in link.addresses:
            address.local_route = False

    def ipv6_enabled(self, link: Interface) -> bool:
        """True unless ``disable_ipv6`` is set for the link or for all."""
        return not self.sysctls.ipv6_disabled(link.name)

    def _refresh_ipv6(self, changed: list[Interface] | None = None) -> None:
        """Give up links with carrier their IPv6 address; drop it where IPv6 is disabled.

        ``changed`` names the links whose state just changed: only they, their
        veth peers and the bridges both are ports of can have gained carrier
        (a link losing carrier keeps its address until it goes down). Without
        it every link of this namespace is looked at, as after a sysctl write,
        which only touches this namespace's links. Either way the work does not
        grow with the links of other namespaces or of an unrelated bridge.
        """
        if changed is None:
            affected = list(self._links.values())
        else:
            affected = []
            for link in changed:
                for end in (link, link.peer):
                    if end is None:
                        continue
                    affected.append(end)
                    if end.master is not None:
                        master = end.namespace.find(end.master)
                        if master is not None:
                            affected.append(master)
        for link in affected:
            namespace = link.namespace
            if namespace._links.get(link.ifindex) is not link:
                continue
            if namespace.sysctls.ipv6_disabled(link.name):
                link.ipv6.clear()
            elif not link.ipv6 and link.admin_up and link.carrier:
                if link.kind == "loopback":
                    link.ipv6.append((LOOPBACK_IPV6, "host"))
                else:
                    link.ipv6.append((link_local_from_mac(link.mac), "link"))

    def refresh(self) -> None:
        """Re-derive state that depends on sysctls (call after setting disable_ipv6)."""
        self._refresh_ipv6()

    # -- addresses -----------------------------------------------------------

    def add_address(
        self,
        name: str,
        interface: IPv4Interface,
        *,
        broadcast: IPv4Address | None | bool = True,
    ) -> Address:
        """Add an IPv4 address (``ip addr add``).

        ``broadcast=True`` computes it from the prefix as the netlink library
        Docker uses does (``brd 172.17.255.255``); ``None``/``False`` leaves it
        out, as plain ``ip addr add`` does.

        Raises:
            KernelError: EEXIST ``Error: ipv4: Address already assigned.``
        """
        link = self.interface(name)
        for existing in link.addresses:
            if existing.interface == interface:
                raise KernelError("Error: ipv4: Address already assigned.", errno_name="EEXIST")
        if broadcast is True:
            net = interface.network
            brd = net.broadcast_address if net.prefixlen < 31 else None
        elif broadcast is False:
            brd = None
        else:
            brd = broadcast
        secondary = any(
            a.interface.network == interface.network and not a.secondary for a in link.addresses
        )
        scope = "host" if interface.ip in LOOPBACK_NETWORK else "global"
        address = Address(interface, brd, scope, link.name, secondary, True)
        if secondary:
            link.addresses.append(address)
        else:
            primaries = [a for a in link.addresses if not a.secondary]
            link.addresses.insert(len(primaries), address)
        if link.admin_up:
            self._add_connected_route(link, address)
        return address

    def _add_connected_route(self, link: Interface, address: Address) -> None:
        if (
            address.secondary
            or link.kind == "loopback"
            or address.interface.network.prefixlen == 32
        ):
            return
        route = Route(
            destination=address.interface.network,
            dev=link.name,
            protocol="kernel",
            scope="link",
            source=address.interface.ip,
        )
        if route not in self.routes:
            self.routes.append(route)

    def delete_address(self, name: str, interface: IPv4Interface) -> None:
        """Remove an IPv4 address and its connected route (``ip addr del``).

        Raises:
            KernelError: EADDRNOTAVAIL ``Error: ipv4: Address not found.``
        """
        link = self.interface(name)
        for address in link.addresses:
            if address.interface == interface:
                break
        else:
            raise KernelError("Error: ipv4: Address not found.", errno_name="EADDRNOTAVAIL")
        link.addresses.remove(address)
        if not address.secondary:
            self.routes = [
                r
                for r in self.routes
                if not (r.protocol == "kernel" and r.dev == name and r.source == interface.ip)
            ]
            promoted = next(
                (
                    a
                    for a in link.addresses
                    if a.secondary and a.interface.network == interface.network
                ),
                None,
            )
            if promoted is not None:  # Linux promotes the next secondary (promote_secondaries)
                promoted.secondary = False
                link.addresses.remove(promoted)
                primaries = [a for a in link.addresses if not a.secondary]
                link.addresses.insert(len(primaries), promoted)
                if link.admin_up:
                    self._add_connected_route(link, promoted)

    def local_addresses(self) -> list[IPv4Address]:
        """Addresses with a local-table entry (what the kernel answers for)."""
        return [
            a.interface.ip for link in self.interfaces() for a in link.addresses if a.local_route
        ]

    # -- routes --------------------------------------------------------------

    def add_route(self, route: Route) -> None:
        """Add a route (``ip route add``).

        Raises:
            KernelError: ENODEV for an unknown device, ENETUNREACH when the
                gateway is not on a connected subnet, EEXIST for a duplicate.
        """
        link = self.interface(route.dev)
        if route.gateway is not None:
            reachable = any(
                route.gateway in r.destination and r.gateway is None and r.dev == link.name
                for r in self.routes
            )
            if not reachable:
                raise KernelError("Error: Nexthop has invalid gateway.", errno_name="ENETUNREACH")
        for existing in self.routes:
            if (existing.destination, existing.metric) == (route.destination, route.metric):
                raise KernelError("RTNETLINK answers: File exists", errno_name="EEXIST")
        if not link.admin_up:
            raise KernelError("Error: Device for nexthop is not up.", errno_name="ENETDOWN")
        self.routes.append(route)

    def delete_route(self, destination: IPv4Network, *, dev: str | None = None) -> Route:
        """Delete the first route to ``destination`` (optionally through ``dev``).

        Raises:
            KernelError: ESRCH ``RTNETLINK answers: No such process``.
        """
        for route in self.sorted_routes():
            if route.destination == destination and (dev is None or route.dev == dev):
                self.routes.remove(route)
                return route
        raise KernelError("RTNETLINK answers: No such process", errno_name="ESRCH")

    def sorted_routes(self) -> list[Route]:
        """The main table in the kernel's dump order."""
        return sorted(self.routes, key=Route.sort_key)

    def local_table(self) -> list[Route]:
        """The local table (``ip route show table local``), derived from addresses."""
        out: list[Route] = []
        for link in self.interfaces():
            for address in link.addresses:
                if not address.local_route:
                    continue
                ip, net = address.interface.ip, address.interface.network
                dev = link.name
                if link.kind == "loopback" and not address.secondary and net.prefixlen < 32:
                    out.append(Route(net, dev, None, "kernel", "host", ip, 0, "local", "local"))
                out.append(
                    Route(IPv4Network(ip), dev, None, "kernel", "host", ip, 0, "local", "local")
                )
                if address.secondary:
                    continue
                brds = set()
                if net.prefixlen < 31:
                    brds.add(net.broadcast_address)
                if address.broadcast is not None and str(address.broadcast) != "255.255.255.255":
                    brds.add(address.broadcast)
                for brd in sorted(brds):
                    out.append(
                        Route(
                            IPv4Network(brd),
                            dev,
                            None,
                            "kernel",
                            "link",
                            ip,
                            0,
                            "broadcast",
                            "local",
                        )
                    )
        unique = {(r.destination, r.type, r.dev): r for r in out}
        return sorted(unique.values(), key=Route.sort_key)

    def is_local(self, address: IPv4Address) -> bool:
        """True when ``address`` is in the local table as a local route (incl. 127/8)."""
        return any(r.type == "local" and address in r.destination for r in self.local_table())

    def route_lookup(self, destination: IPv4Address) -> Route | None:
        """Return the route the kernel picks for ``destination`` (local table first).

        Longest prefix wins, then lowest metric. None means no route
        (``Network is unreachable``).
        """
        local = [
            r for r in self.local_table() if r.type == "local" and destination in r.destination
        ]
        if local:
            return max(local, key=lambda r: r.destination.prefixlen)
        candidates = [r for r in self.routes if destination in r.destination]
        if not candidates:
            return None
        return min(candidates, key=lambda r: (-r.destination.prefixlen, r.metric))

    def eval_context(self) -> EvalContext:
        """Return what netfilter's addrtype match needs to know about this namespace."""
        table = self.local_table()
        local = tuple(r.destination for r in table if r.type == "local")
        broadcast = frozenset(r.destination.network_address for r in table if r.type == "broadcast")
        return EvalContext(local_networks=local, broadcast_addresses=broadcast)
