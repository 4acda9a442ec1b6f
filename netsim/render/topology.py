"""Describe what a world's network looks like: the values every picture and diagram draws.

``build_topology`` reads the daemon's and the scenario's state once and returns
frozen values (no matplotlib, no I/O): the LAN and its machines, the host, one
group per Docker network with its bridge, the containers with their veth
pairs and addresses, the published ports and the legacy links.
``topology_graph`` turns them into a networkx graph whose edges are the wires
a frame can cross, each named by the interface that counts its packets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Address
from typing import TYPE_CHECKING, Literal

import networkx as nx

if TYPE_CHECKING:
    from netsim.docker.model import Container
    from netsim.world import World

HOST = "host"
GroupKind = Literal["bridge", "host", "none"]
EdgeKind = Literal["lan", "uplink", "veth", "link", "netns"]


@dataclass(frozen=True, slots=True)
class Machine:
    """A machine on the LAN (not the Docker host)."""

    name: str
    address: IPv4Interface
    listen: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NetworkGroup:
    """A Docker network drawn as a group: its bridge (if any) and its containers."""

    name: str
    kind: GroupKind
    bridge: str = ""
    subnet: IPv4Network | None = None
    gateway: IPv4Address | None = None
    internal: bool = False
    default_bridge: bool = False
    icc: bool = True

    @property
    def node(self) -> str:
        """Return the graph node of the group's bridge (or of the group itself)."""
        return f"bridge:{self.bridge}" if self.bridge else f"group:{self.name}"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A container's endpoint on a network: one veth pair."""

    network: str
    address: IPv4Interface
    ifname: str
    host_veth: str


@dataclass(frozen=True, slots=True)
class Published:
    """A published port: host address and port to a container's port."""

    container: str
    host_ip: IPv4Address | IPv6Address
    host_port: int
    container_port: int
    proto: str

    @property
    def host_side(self) -> str:
        """Return ``ADDRESS:PORT`` as ``docker port`` prints the host side."""
        address = f"[{self.host_ip}]" if self.host_ip.version == 6 else str(self.host_ip)
        return f"{address}:{self.host_port}"

    def __str__(self) -> str:
        return f"{self.host_side} -> {self.container_port}/{self.proto}"


@dataclass(frozen=True, slots=True)
class Link:
    """A legacy ``--link``: ``parent`` reaches ``child`` under ``alias``."""

    parent: str
    child: str
    alias: str


@dataclass(frozen=True, slots=True)
class ContainerNode:
    """A container as drawn: name, image, state and attachments.

    ``group`` is the network it is drawn in: its first attachment's, the one it
    was created on when it has none (not running), or ``host``/``none``.
    ``shares`` names the container whose namespace it joined (``container:NAME``).
    """

    name: str
    image: str
    state: str
    group: str
    attachments: tuple[Attachment, ...] = ()
    published: tuple[Published, ...] = ()
    shares: str = ""
    listen: tuple[str, ...] = ()
    exposed: tuple[str, ...] = ()

    @property
    def node(self) -> str:
        """Return the container's graph node."""
        return f"container:{self.name}"

    @property
    def ports(self) -> tuple[str, ...]:
        """Return the ports it listens on or exposes (``3306/tcp``), sorted by number."""
        def number(port: str) -> tuple[int, str]:
            text, _, proto = port.partition("/")
            return int(text), proto

        return tuple(sorted(set(self.listen) | set(self.exposed), key=number))

    @property
    def running(self) -> bool:
        """Return whether the container runs."""
        return self.state == "running"


@dataclass(frozen=True, slots=True)
class Topology:
    """The network of a world after its steps, as every picture draws it."""

    scenario: str
    engine: str
    lan: IPv4Network
    host_address: IPv4Interface
    host_listen: tuple[str, ...]
    machines: tuple[Machine, ...]
    groups: tuple[NetworkGroup, ...]
    containers: tuple[ContainerNode, ...]
    links: tuple[Link, ...]

    @property
    def published(self) -> tuple[Published, ...]:
        """Return every published port, container by container."""
        return tuple(p for c in self.containers for p in c.published)

    def group(self, name: str) -> NetworkGroup:
        """Return the group of a network.

        Raises:
            KeyError: no network has this name.
        """
        for group in self.groups:
            if group.name == name:
                return group
        raise KeyError(f"no network {name!r} in the topology of {self.scenario}")

    def members(self, group: str) -> tuple[ContainerNode, ...]:
        """Return the containers drawn in a group, in drawing order."""
        return tuple(c for c in self.containers if c.group == group)


def _port_text(port: int, proto: str) -> str:
    return f"{port}/{proto}"


def _container_group(container: Container, by_id: dict[str, Container],
                     order: list[str]) -> tuple[str, str]:
    """Return (group, shared-with) of a container."""
    mode = container.network_mode
    if mode.startswith("container:"):
        ref = mode.split(":", 1)[1]
        for other in by_id.values():
            if other.name == ref or other.id.startswith(ref):
                return "", other.name
        return "none", ""
    if container.endpoints:
        # Drawn in the leftmost of its networks (groups go in ``order``).
        return min(container.endpoints, key=order.index), ""
    if mode in ("host", "none"):
        return mode, ""
    configured = next(iter(container.networks), "bridge")
    return (configured if configured in order else "none"), ""


def build_topology(world: World) -> Topology:
    """Return the topology of a world in its current state (replay the steps first)."""
    scenario = world.scenario
    daemon = world.daemon
    by_id = {c.id: c for c in daemon.containers}
    bridges = [n for n in daemon.networks if n.is_bridge]
    # docker0 first, then user-defined networks in creation order (the daemon's list).
    bridges.sort(key=lambda n: not n.default_bridge)
    groups = [
        NetworkGroup(name=n.name, kind="bridge", bridge=n.bridge_name, subnet=n.subnet,
                     gateway=n.gateway, internal=n.internal, default_bridge=n.default_bridge,
                     icc=n.icc)
        for n in bridges
    ]
    order = [g.name for g in groups]
    placed: dict[str, tuple[str, str]] = {
        c.id: _container_group(c, by_id, order) for c in daemon.containers
    }
    nodes: dict[str, ContainerNode] = {}
    for container in daemon.containers:
        group, shares = placed[container.id]
        attachments = tuple(
            Attachment(network=name, address=e.address, ifname=e.ifname, host_veth=e.host_veth)
            for name, e in container.endpoints.items()
        )
        published = tuple(
            Published(container=container.name, host_ip=p.host_ip, host_port=p.host_port,
                      container_port=p.container_port, proto=p.proto)
            for p in container.ports
        )
        nodes[container.name] = ContainerNode(
            name=container.name, image=container.image_ref, state=container.state,
            group=group, attachments=attachments, published=published, shares=shares,
            listen=tuple(_port_text(port, proto) for port, proto in container.listens),
            exposed=tuple(_port_text(port, proto) for port, proto in container.exposed))
    ordered = _drawing_order(list(nodes.values()))
    used = {c.group for c in ordered}
    for kind in ("host", "none"):
        if kind in used:
            groups.append(NetworkGroup(name=kind, kind=kind))  # type: ignore[arg-type]
    links = tuple(
        Link(parent=c.name, child=link.child_name, alias=link.alias)
        for c in daemon.containers for link in c.links
    )
    return Topology(
        scenario=scenario.name, engine=world.profile.version, lan=scenario.lan,
        host_address=scenario.host.address,
        host_listen=tuple(str(p) for p in scenario.host.listen),
        machines=tuple(Machine(m.name, m.address, tuple(str(p) for p in m.listen))
                       for m in scenario.machines),
        groups=tuple(groups), containers=tuple(ordered), links=links)


def _drawing_order(nodes: list[ContainerNode]) -> list[ContainerNode]:
    """Return containers in creation order, each sharer right after the one it joined."""
    sharers: dict[str, list[ContainerNode]] = {}
    for node in nodes:
        if node.shares:
            sharers.setdefault(node.shares, []).append(node)
    by_name = {n.name: n for n in nodes}
    ordered: list[ContainerNode] = []

    def place(node: ContainerNode, group: str) -> None:
        ordered.append(node if node.group == group else replace(node, group=group))
        for sharer in sharers.get(node.name, ()):
            place(sharer, group)

    for node in nodes:
        if node.shares and node.shares in by_name:
            continue
        place(node, node.group or "none")
    return ordered


@dataclass(frozen=True, slots=True)
class Wire:
    """An edge of the topology graph: what connects two nodes, and which interface counts it.

    ``counter`` is ``(namespace, interface)``: the node whose namespace holds the
    interface whose packet counters say what crossed the wire (``host``'s
    ``docker0`` for a bridge's uplink, ``host``'s ``vethXXXX`` for a veth pair,
    a machine's ``eth0`` for its LAN cable). Links and shared namespaces carry
    no frames of their own and have no counter.
    """

    a: str
    b: str
    kind: EdgeKind
    counter: tuple[str, str] | None = None
    label: str = ""


def wires(topology: Topology) -> tuple[Wire, ...]:
    """Return every edge of the topology, in drawing order."""
    result: list[Wire] = [Wire("lan", HOST, "lan", (HOST, "eth0"), "eth0")]
    result += [Wire("lan", f"machine:{m.name}", "lan", (m.name, "eth0"), "eth0")
               for m in topology.machines]
    result += [Wire(HOST, g.node, "uplink", (HOST, g.bridge), g.bridge)
               for g in topology.groups if g.bridge]
    for container in topology.containers:
        for attachment in container.attachments:
            bridge = topology.group(attachment.network).node
            result.append(Wire(bridge, container.node, "veth", (HOST, attachment.host_veth),
                               f"{attachment.host_veth} ⇄ {attachment.ifname}"))
        if container.shares:
            result.append(Wire(f"container:{container.shares}", container.node, "netns",
                               None, "shares namespace"))
    result += [Wire(f"container:{link.parent}", f"container:{link.child}", "link", None,
                    link.alias) for link in topology.links]
    return tuple(result)


def topology_graph(topology: Topology) -> nx.MultiGraph:
    """Return the topology as a networkx multigraph; each edge carries its ``wire``."""
    graph = nx.MultiGraph(name=topology.scenario)
    graph.add_node("lan", kind="lan", label=str(topology.lan))
    graph.add_node(HOST, kind="host", label=str(topology.host_address))
    for machine in topology.machines:
        graph.add_node(f"machine:{machine.name}", kind="machine", label=machine.name)
    for group in topology.groups:
        graph.add_node(group.node, kind="bridge" if group.bridge else "group", label=group.name)
    for container in topology.containers:
        graph.add_node(container.node, kind="container", label=container.name)
    for index, wire in enumerate(wires(topology)):
        graph.add_edge(wire.a, wire.b, key=index, kind=wire.kind, wire=wire)
    return graph
