"""Build the world a scenario describes: the LAN, the Docker host, machines, the daemon.

The world is what the shell, the runner and the data plane look at: each node
(host, machine, running container) has a network namespace of the kernel
model; the daemon configures the host's through ``HostPlumbing``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from types import MappingProxyType
from typing import TYPE_CHECKING

from netsim.docker.client import CommandOutput, DockerClient
from netsim.docker.daemon import Daemon
from netsim.docker.engines import EngineProfile, profile_for
from netsim.docker.images import CATALOG
from netsim.docker.imagestore import preload, scenario_image_references
from netsim.docker.model import Container
from netsim.docker.registry import Upstream
from netsim.errors import IptablesError
from netsim.kernel.namespace import NetworkNamespace, Route
from netsim.kernel.parsecache import ParsedCommands
from netsim.kernel.rules import Resolver
from netsim.results.topology import LAN_NODE
from netsim.scenario.spec import Scenario

if TYPE_CHECKING:
    from netsim.dataplane.probe import ProbeOutcome

HOST = "host"

# Runs a program in a running container (``docker exec``): the shell's job, handed
# in by whoever builds the world, so the world does not import the shell.
ContainerShell = Callable[["World", Container, list[str], list[str]], CommandOutput]


LOOPBACK_ADDRESS = IPv4Interface("127.0.0.1/8")
DEFAULT_DESTINATION = IPv4Network("0.0.0.0/0")


def bring_up_loopback(namespace: NetworkNamespace) -> None:
    """Bring lo up; Linux gives it 127.0.0.1/8 as it first comes up."""
    namespace.set_up("lo")
    namespace.add_address("lo", LOOPBACK_ADDRESS, broadcast=None)


def lan_mac(address: IPv4Address) -> str:
    """Return a LAN interface's MAC: ``02:00:`` and the IPv4 address's bytes (the contract)."""
    return "02:00:" + ":".join(f"{b:02x}" for b in address.packed)


@dataclass(slots=True)
class HostPlumbing:
    """The daemon's door to the host's kernel: acts on the world's namespaces."""

    world: World

    @property
    def host(self) -> NetworkNamespace:
        """Return the host's namespace."""
        return self.world.host

    def iptables(self, argv: tuple[str, ...]) -> None:
        """Run an iptables command in the host namespace."""
        self.host.netfilter.apply(argv)

    def iptables_try(self, argv: tuple[str, ...]) -> bool:
        """Run an iptables command; return False where iptables would fail."""
        try:
            self.host.netfilter.apply(argv)
        except IptablesError:
            return False
        return True

    def sysctl_get(self, key: str) -> str:
        """Return a host sysctl."""
        return self.host.sysctls.get(key)

    def sysctl_set(self, key: str, value: str) -> None:
        """Set a host sysctl."""
        self.host.sysctls.set(key, value)

    def host_port_in_use(self, proto: str, port: int) -> bool:
        """Return whether one of the host's own services (``host.listen``) holds the port.

        Those services listen on every address, IPv4 and IPv6.
        """
        return any(p.port == port and p.proto == proto for p in self.world.scenario.host.listen)

    def host_ports_in_use(self, proto: str) -> set[int]:
        """Return every port one of the host's own services holds for PROTO."""
        return {p.port for p in self.world.scenario.host.listen if p.proto == proto}

    def lan_subnet(self) -> IPv4Network:
        """Return the LAN's subnet."""
        return self.world.scenario.lan

    def link_exists(self, name: str) -> bool:
        """Return whether the host has a link of that name."""
        return self.host.find(name) is not None

    def create_bridge(self, name: str, address: IPv4Interface, mac: str) -> None:
        """Create a bridge with its address, up (no carrier until a port joins)."""
        bridge = self.host.add_bridge(name, mac=mac)
        bridge.qlen = 0  # created over netlink with no transmit queue: `ip addr` shows no qlen
        self.host.add_address(name, address)
        self.host.set_up(name)

    def delete_bridge(self, name: str) -> None:
        """Delete a bridge."""
        self.host.delete_link(name)

    def set_bridge_down(self, name: str) -> None:
        """Bring a bridge down."""
        self.host.set_down(name)

    def create_namespace(self, owner: str) -> None:
        """Create a container's namespace."""
        namespace = NetworkNamespace(owner[:12], parsed=self.world.parsed_iptables)
        if not self.world.profile.ipv6_off_per_interface:
            # 20.10 switches IPv6 off in the whole sandbox of an IPv4-only
            # container: lo shows no ::1, eth0 no link-local address.
            namespace.sysctls.set("net.ipv6.conf.all.disable_ipv6", "1")
            namespace.sysctls.set("net.ipv6.conf.default.disable_ipv6", "1")
        bring_up_loopback(namespace)
        self.world.container_namespaces[owner] = namespace

    def use_host_namespace(self, owner: str) -> None:
        """Share the host's namespace with a container."""
        self.world.container_namespaces[owner] = self.host

    def share_namespace(self, owner: str, other: str) -> None:
        """Let a container join another's namespace."""
        self.world.container_namespaces[owner] = self.world.container_namespaces[other]

    def delete_namespace(self, owner: str) -> None:
        """Forget a container's namespace."""
        self.world.container_namespaces.pop(owner, None)

    def attach_endpoint(
        self,
        owner: str,
        bridge: str,
        host_veth: str,
        ifname: str,
        address: IPv4Interface,
        mac: str,
        gateway: IPv4Address | None,
    ) -> None:
        """Create the veth pair, enslave the host end, move the other end into the container."""
        inner = self.world.container_namespaces[owner]
        profile = self.world.profile
        if profile.veth_in_sandbox:
            # 28: the container end is created straight in the sandbox as IFNAME,
            # so it takes the sandbox's next ifindex (eth0 is 2).
            pair = self.host.add_veth(
                host_veth, ifname, mac=self.world.random_mac(), peer_mac=mac, peer_namespace=inner
            )
        else:
            # 20.10: both ends on the host (the kernel registers the peer first,
            # so it gets the lower ifindex), then the container end moves into
            # the sandbox under its final name and keeps its ifindex.
            temporary = "veth" + f"{self.world.rng.getrandbits(28):07x}"
            pair = self.host.add_veth(
                host_veth, temporary, mac=self.world.random_mac(), peer_mac=mac
            )
            self.host.move_link(temporary, inner, ifname)
        # libnetwork creates veths with no transmit queue (`ip addr` shows no qlen).
        for end in (pair.first, pair.second):
            end.qlen = 0
        self.host.set_master(host_veth, bridge)
        self.host.set_up(host_veth)
        if profile.ipv6_off_per_interface:
            # 28 switches IPv6 off on the IPv4-only endpoint only; lo keeps ::1.
            inner.sysctls.set(f"net.ipv6.conf.{ifname}.disable_ipv6", "1")
        inner.add_address(ifname, address)
        inner.set_up(ifname)
        inner.refresh()
        if gateway is not None:
            inner.add_route(Route(destination=DEFAULT_DESTINATION, dev=ifname, gateway=gateway))

    def set_default_route(self, owner: str, gateway: IPv4Address, ifname: str) -> None:
        """Replace a container's default route (``ip route replace default``)."""
        inner = self.world.container_namespaces[owner]
        if any(route.destination == DEFAULT_DESTINATION for route in inner.routes):
            inner.delete_route(DEFAULT_DESTINATION)
        inner.add_route(Route(destination=DEFAULT_DESTINATION, dev=ifname, gateway=gateway))

    def sandbox_iptables(self, owner: str, argv: tuple[str, ...]) -> None:
        """Run an iptables command in a container's namespace."""
        self.world.container_namespaces[owner].netfilter.apply(argv)

    def sandbox_iptables_later(self, owner: str, argv: tuple[str, ...]) -> None:
        """Run an iptables command that cannot fail in a container's new namespace when it is read.

        (``Netfilter.apply_later``: the sandbox's tables are written when
        something first looks at them.)
        """
        self.world.container_namespaces[owner].netfilter.apply_later(argv)

    def detach_endpoint(self, owner: str, host_veth: str) -> None:
        """Delete the endpoint's veth pair (its peer goes with it).

        As libnetwork does, the container's end first moves back to the host
        namespace, then the pair is deleted. Its sandbox ifindex (2 for eth0)
        is taken on the host, so the move uses up a host ifindex: the next
        veth on a 28.5 host is one higher than without it (20.10's container
        ends came from the host and get their own free index back).
        """
        peer = self.host.interface(host_veth).peer
        if peer is not None and peer.namespace is not self.host:
            peer.namespace.move_link(peer.name, self.host, "x" + host_veth[4:])
        self.host.delete_link(host_veth)


@dataclass(slots=True)
class World:
    """Everything a scenario runs against."""

    scenario: Scenario
    profile: EngineProfile
    rng: random.Random
    lan: NetworkNamespace
    host: NetworkNamespace
    machines: dict[str, NetworkNamespace]
    seed: int = 0
    seed_label: str = ""
    container_namespaces: dict[str, NetworkNamespace] = field(default_factory=dict)
    # iptables command lines parsed once for every container sandbox (default resolver).
    parsed_iptables: ParsedCommands = field(
        default_factory=lambda: ParsedCommands(Resolver.default())
    )
    # What shells wrote with `>`/`>>`: node or container ID -> path -> text.
    written_files: dict[str, dict[str, str]] = field(default_factory=dict)
    # The data plane's outcome of each connection the daemon made for a command
    # (to a registry), oldest first; the command's record takes them.
    connections: list[ProbeOutcome] = field(default_factory=list)
    daemon: Daemon = field(init=False)
    client: DockerClient = field(init=False)
    # The /etc/hosts text, made at the first read: the scenario's machines do not
    # change, and every command typed on the host reads it.
    _etc_hosts: str | None = field(default=None, init=False)

    def step_rng(self, index: int, purpose: str) -> random.Random:
        """Return a generator of its own for one step's traffic (probe, packet).

        Traffic never draws from the world's generator, so the docker steps
        after a probe get the same IDs and MACs whether or not probes run
        (``netsim run`` and ``netsim trace``/``reach``/``diagram`` agree).
        """
        return random.Random(f"{self.seed_label}/{purpose}/{index}")

    def random_mac(self) -> str:
        """Return a random locally administered MAC address from the world's RNG."""
        data = bytes(self.rng.getrandbits(8) for _ in range(6))
        return ":".join(f"{b:02x}" for b in ((data[0] & 0xFE) | 0x02, *data[1:]))

    @property
    def etc_hosts(self) -> str:
        """Return the /etc/hosts the host and machines share."""
        if self._etc_hosts is not None:
            return self._etc_hosts
        lines = [
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            f"{self.scenario.host.address.ip}\t{HOST}",
        ]
        lines += [f"{m.address.ip}\t{m.name}" for m in self.scenario.machines]
        self._etc_hosts = "".join(line + "\n" for line in lines)
        return self._etc_hosts

    @property
    def resolv_conf(self) -> str:
        """Return the host's /etc/resolv.conf (a router that does not exist)."""
        return f"nameserver {self.scenario.nameserver}\n"

    def container(self, name: str) -> Container | None:
        """Return the container with this name, if any."""
        return self.daemon.container_named(name)

    def namespace_of(self, node: str) -> NetworkNamespace | None:
        """Return the namespace of the host, a machine or a running container."""
        if node == HOST:
            return self.host
        if node in self.machines:
            return self.machines[node]
        container = self.container(node)
        if container is None or not container.running:
            return None
        return self.container_namespaces.get(container.id)


def _lan_node(
    lan: NetworkNamespace, name: str, address: IPv4Interface, number: int, resolver: Resolver
) -> NetworkNamespace:
    """Make a node's namespace with its eth0 on the LAN (a veth from the LAN's bridge).

    Wired as the real-engine replay wires it: ``ip link add pN type veth peer
    name eth0 netns NODE``, the MAC and address set as plain ``ip`` commands do.
    ``resolver`` holds the names of the world's /etc/hosts, which ``iptables
    -L`` without ``-n`` shows and conntrack's address options accept.
    """
    namespace = NetworkNamespace(name, registered_name=name, resolver=resolver)
    bring_up_loopback(namespace)
    port = f"p{number}"
    lan.add_veth(
        port,
        "eth0",
        mac=_lan_port_mac(address),
        peer_mac=lan_mac(address.ip),
        peer_namespace=namespace,
    )
    lan.set_master(port, "lan0")
    lan.set_up(port)
    namespace.add_address("eth0", address, broadcast=None)
    namespace.set_up("eth0")
    return namespace


def _hosts_resolver(scenario: Scenario) -> Resolver:
    """Return the names of the world's /etc/hosts (``World.etc_hosts``), first line first."""
    default = Resolver.default()
    hosts = dict(default.hosts)
    for address, name in (
        (scenario.host.address.ip, HOST),
        *((m.address.ip, m.name) for m in scenario.machines),
    ):
        hosts.setdefault(address, name)
    return Resolver(hosts=MappingProxyType(hosts), networks=default.networks)


def _lan_port_mac(address: IPv4Interface) -> str:
    """Return the LAN-side veth end's MAC (random on a real host; fixed here)."""
    return "02:01:" + ":".join(f"{b:02x}" for b in address.ip.packed)


def build_world(
    scenario: Scenario, *, shell: ContainerShell, engine: str | None = None, seed: int = 0
) -> World:
    """Build the world of a scenario and start its Docker daemon.

    ``shell(world, container, argv, env)`` runs a program in a container for
    ``docker exec``; ``netsim.session.open_world`` passes netsim's shell.
    """
    profile = profile_for(engine or scenario.engine)
    seed_label = f"{scenario.name}/{profile.version}/{seed}"
    rng = random.Random(seed_label)
    lan = NetworkNamespace(LAN_NODE, registered_name=LAN_NODE)
    bring_up_loopback(lan)
    lan.add_bridge("lan0", mac="02:01:00:00:00:00", mac_explicit=False)
    lan.set_up("lan0")
    resolver = _hosts_resolver(scenario)
    host = _lan_node(lan, HOST, scenario.host.address, 0, resolver)
    machines = {
        m.name: _lan_node(lan, m.name, m.address, i + 1, resolver)
        for i, m in enumerate(scenario.machines)
    }
    world = World(
        scenario=scenario,
        profile=profile,
        rng=rng,
        lan=lan,
        host=host,
        machines=machines,
        seed=seed,
        seed_label=seed_label,
    )

    world.daemon = Daemon(
        spec=scenario.daemon,
        profile=profile,
        plumbing=HostPlumbing(world),
        rng=rng,
        images=scenario.images,
    )
    world.client = DockerClient(
        daemon=world.daemon,
        execute_in=lambda container, argv, env: shell(world, container, argv, env),
        compose_files=scenario.compose,
        workdir=scenario.workdir,
        host_files=world.written_files.setdefault(HOST, {}),
    )
    preload(world.daemon.image_store, scenario_image_references(scenario), CATALOG)
    world.daemon.image_store.complete = scenario.local_images is not None
    world.daemon.upstream = Upstream(scenario.host.address.ip, scenario.nameserver)
    world.daemon.start()
    return world
