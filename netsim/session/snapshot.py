"""Take the values the renderers draw from a world in its current state.

The only place that reads the daemon's and the scenario's state for pictures:
renderers get the frozen ``Topology`` and never see the world.
"""

from __future__ import annotations

from dataclasses import replace

from netsim.docker.model import Container
from netsim.results.topology import (
    Attachment,
    ContainerNode,
    GroupKind,
    Link,
    Machine,
    NetworkGroup,
    Published,
    Topology,
)
from netsim.world import World


def _port_text(port: int, proto: str) -> str:
    return f"{port}/{proto}"


def _container_group(
    container: Container, by_id: dict[str, Container], order: list[str]
) -> tuple[str, str]:
    """Return (group, shared-with) of a container."""
    mode = container.network_mode
    if mode.startswith("container:"):
        ref = mode.split(":", 1)[1]
        for other in by_id.values():
            if other.name == ref or other.id.startswith(ref):
                return "", other.name
        # `docker create --network container:nosuch` succeeds (start is what
        # fails): drawn in a group of kind ``missing`` named after its mode.
        return mode, ""
    if container.endpoints:
        # Drawn in the leftmost of its networks (groups go in ``order``).
        return min(container.endpoints, key=order.index), ""
    if mode in ("host", "none"):
        return mode, ""
    # Not running and attached to nothing: drawn in the network it was created
    # on, which may not exist (``docker create --network nosuch`` succeeds; start
    # is what fails): a group of kind ``missing``, not ``none``.
    return next(iter(container.networks), "bridge"), ""


def snapshot_topology(world: World) -> Topology:
    """Return the topology of a world in its current state (replay the steps first)."""
    scenario = world.scenario
    daemon = world.daemon
    by_id = {c.id: c for c in daemon.containers}
    bridges = [n for n in daemon.networks if n.is_bridge]
    # docker0 first, then user-defined networks in creation order (the daemon's list).
    bridges.sort(key=lambda n: not n.default_bridge)
    groups = [
        NetworkGroup(
            name=n.name,
            kind="bridge",
            bridge=n.bridge_name,
            subnet=n.subnet,
            gateway=n.gateway,
            internal=n.internal,
            default_bridge=n.default_bridge,
            icc=n.icc,
        )
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
            Published(
                container=container.name,
                host_ip=p.host_ip,
                host_port=p.host_port,
                container_port=p.container_port,
                proto=p.proto,
            )
            for p in container.ports
        )
        nodes[container.name] = ContainerNode(
            name=container.name,
            image=container.image_ref,
            state=container.state,
            group=group,
            attachments=attachments,
            published=published,
            shares=shares,
            listen=tuple(_port_text(port, proto) for port, proto in container.listens),
            exposed=tuple(_port_text(port, proto) for port, proto in container.exposed),
        )
    ordered = _drawing_order(list(nodes.values()))
    used = {c.group for c in ordered}
    modes: tuple[GroupKind, ...] = ("host", "none")
    for kind in modes:
        if kind in used:
            groups.append(NetworkGroup(name=kind, kind=kind))
    known = set(order) | set(modes)
    for name in dict.fromkeys(c.group for c in ordered):
        if name not in known:
            groups.append(NetworkGroup(name=name, kind="missing"))
    links = tuple(
        Link(parent=c.name, child=link.child_name, alias=link.alias)
        for c in daemon.containers
        for link in c.links
    )
    return Topology(
        scenario=scenario.name,
        engine=world.profile.version,
        lan=scenario.lan,
        host_address=scenario.host.address,
        host_listen=tuple(str(p) for p in scenario.host.listen),
        machines=tuple(
            Machine(m.name, m.address, tuple(str(p) for p in m.listen)) for m in scenario.machines
        ),
        groups=tuple(groups),
        containers=tuple(ordered),
        links=links,
    )


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
