"""The wires of a topology: which edges a frame can cross, and the graph they make.

``wires`` lists every edge of a ``Topology`` (a value the session hands over)
in drawing order, each named by the interface that counts its packets;
``topology_graph`` turns them into a networkx multigraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx

from netsim.results.topology import HOST, Topology

EdgeKind = Literal["lan", "uplink", "veth", "link", "netns"]


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
    result += [
        Wire("lan", f"machine:{m.name}", "lan", (m.name, "eth0"), "eth0") for m in topology.machines
    ]
    result += [
        Wire(HOST, g.node, "uplink", (HOST, g.bridge), g.bridge)
        for g in topology.groups
        if g.bridge
    ]
    for container in topology.containers:
        for attachment in container.attachments:
            bridge = topology.group(attachment.network).node
            result.append(
                Wire(
                    bridge,
                    container.node,
                    "veth",
                    (HOST, attachment.host_veth),
                    f"{attachment.host_veth} ⇄ {attachment.ifname}",
                )
            )
        if container.shares:
            result.append(
                Wire(
                    f"container:{container.shares}",
                    container.node,
                    "netns",
                    None,
                    "shares namespace",
                )
            )
    result += [
        Wire(f"container:{link.parent}", f"container:{link.child}", "link", None, link.alias)
        for link in topology.links
    ]
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
