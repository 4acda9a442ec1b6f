"""Who reaches what: the reachability matrix behind the picture, as frozen values.

Rows are sources (the host, the machines, the running containers), columns
destinations (each container port, each published host port, each port a
machine or the host listens on), grouped by network; each cell is a probe
result of the scenario contract (open, refused, timeout, unreachable,
unresolved...). ``aggregate`` folds a matrix too big to read into one cell per
pair of groups with the share of each result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from netsim.render.topology import HOST, Topology, build_topology

if TYPE_CHECKING:
    from netsim.world import World

LAN_GROUP = "LAN"
PUBLISHED_GROUP = "published on host"
# The order results take in legends and aggregated cells (the contract's table).
RESULT_ORDER: tuple[str, ...] = (
    "open", "reply", "refused", "closed", "timeout", "unreachable", "unresolved",
    "not simulated",
)


@dataclass(frozen=True, slots=True)
class Source:
    """A row: a node that sends probes, and the group it is drawn in."""

    name: str
    group: str


@dataclass(frozen=True, slots=True)
class Destination:
    """A column: what is probed (``target`` as a probe writes it) and its label and group."""

    label: str
    target: str
    group: str


@dataclass(frozen=True, slots=True)
class ReachMatrix:
    """Probe results, ``results[row][column]``, for sources × destinations."""

    scenario: str
    sources: tuple[Source, ...]
    destinations: tuple[Destination, ...]
    results: tuple[tuple[str, ...], ...]
    networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.results) != len(self.sources) or any(
                len(row) != len(self.destinations) for row in self.results):
            raise ValueError(
                f"reachability matrix of {self.scenario}: expected {len(self.sources)} rows of "
                f"{len(self.destinations)} results, got "
                f"{[len(row) for row in self.results]}")

    def result(self, source: str, destination: str) -> str:
        """Return the result of a source (name) towards a destination (label).

        Raises:
            KeyError: no such row or column.
        """
        rows = [s.name for s in self.sources]
        columns = [d.label for d in self.destinations]
        if source not in rows or destination not in columns:
            raise KeyError(f"no cell {source!r} -> {destination!r} in the matrix of "
                           f"{self.scenario}")
        return self.results[rows.index(source)][columns.index(destination)]


@dataclass(frozen=True, slots=True)
class AggregateMatrix:
    """A matrix folded by group: each cell counts the results of one pair of groups."""

    scenario: str
    row_groups: tuple[tuple[str, int], ...]
    column_groups: tuple[tuple[str, int], ...]
    cells: tuple[tuple[tuple[tuple[str, int], ...], ...], ...]
    networks: tuple[str, ...] = ()

    @property
    def sources(self) -> int:
        """Return how many sources were folded."""
        return sum(n for _, n in self.row_groups)

    @property
    def destinations(self) -> int:
        """Return how many destinations were folded."""
        return sum(n for _, n in self.column_groups)


def _ordered_groups(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))


def aggregate(matrix: ReachMatrix) -> AggregateMatrix:
    """Return the matrix folded into one cell per (source group, destination group)."""
    row_names = _ordered_groups([s.group for s in matrix.sources])
    column_names = _ordered_groups([d.group for d in matrix.destinations])
    counters = {(r, c): Counter[str]() for r in row_names for c in column_names}
    for source, row in zip(matrix.sources, matrix.results, strict=True):
        for destination, result in zip(matrix.destinations, row, strict=True):
            counters[(source.group, destination.group)][result] += 1
    rank = {name: i for i, name in enumerate(RESULT_ORDER)}
    cells = tuple(
        tuple(tuple(sorted(counters[(r, c)].items(), key=lambda item: (
            rank.get(item[0], len(rank)), item[0]))) for c in column_names)
        for r in row_names
    )
    row_counts = Counter(s.group for s in matrix.sources)
    column_counts = Counter(d.group for d in matrix.destinations)
    return AggregateMatrix(
        scenario=matrix.scenario,
        row_groups=tuple((name, row_counts[name]) for name in row_names),
        column_groups=tuple((name, column_counts[name]) for name in column_names),
        cells=cells, networks=matrix.networks)


def reach_endpoints(topology: Topology) -> tuple[tuple[Source, ...], tuple[Destination, ...]]:
    """Return the matrix's rows and columns for a topology, grouped by network.

    Container ports are probed at the container's first address (what the
    network allows, whatever names resolve); published ports at the host's
    LAN address, or at the address they are bound to.
    """
    sources = [Source(HOST, LAN_GROUP)]
    sources += [Source(m.name, LAN_GROUP) for m in topology.machines]
    destinations: list[Destination] = []
    host_ip = topology.host_address.ip
    for port in topology.host_listen:
        destinations.append(Destination(f"{HOST}:{port}", f"{host_ip}:{port}", LAN_GROUP))
    for machine in topology.machines:
        for port in machine.listen:
            destinations.append(Destination(f"{machine.name}:{port}",
                                            f"{machine.address.ip}:{port}", LAN_GROUP))
    published: list[Destination] = []
    for group in topology.groups:
        for node in topology.members(group.name):
            if not node.running:
                continue
            sources.append(Source(node.name, group.name))
            if node.attachments:
                address = node.attachments[0].address.ip
                for port in node.ports:
                    destinations.append(Destination(f"{node.name}:{port}", f"{address}:{port}",
                                                    group.name))
            for mapping in node.published:
                if mapping.host_ip.version != 4:
                    continue
                bound = mapping.host_ip
                at = host_ip if bound == IPv4Address("0.0.0.0") else bound
                where = HOST if at == host_ip else f"{HOST} {at}"
                port = f"{mapping.host_port}/{mapping.proto}"
                published.append(Destination(f"{where}:{port}", f"{at}:{port}",
                                             PUBLISHED_GROUP))
    return tuple(sources), tuple(destinations + published)


ProbeFunction = Callable[[str, str], str]


def probe_matrix(topology: Topology, probe: ProbeFunction) -> ReachMatrix:
    """Return the matrix of a topology, asking ``probe(source, target)`` for each cell."""
    sources, destinations = reach_endpoints(topology)
    results = tuple(tuple(probe(s.name, d.target) for d in destinations) for s in sources)
    return ReachMatrix(topology.scenario, sources, destinations, results,
                       tuple(g.name for g in topology.groups))


def _dataplane_probe(world: World) -> ProbeFunction:
    """Return a probe function over the data plane (``not simulated`` while it is missing).

    Each cell's probe has its own random numbers, seeded by its text, so the
    matrix leaves the world's RNG as it found it and cells do not depend on
    each other's order.
    """
    try:
        from netsim.dataplane.probe import simulate_probe
    except ImportError:
        return lambda source, target: "not simulated"
    import random

    from netsim.scenario.probe import parse_probe
    from netsim.scenario.spec import ProbeStep

    nodes = frozenset({HOST, *world.machines})

    def probe(source: str, target: str) -> str:
        text = parse_probe(f"{source} -> {target}", nodes)
        step = ProbeStep(index=0, line=0, src=text.src, dst=text.dst, port=text.port,
                         proto=text.proto or "tcp")
        outcome = simulate_probe(world, step, record=False,
                                 rng=random.Random(f"reach/{source}->{target}"))
        return str(outcome.result or "not simulated")

    return probe


def from_dataplane(world: World, topology: Topology) -> ReachMatrix:
    """Return ``netsim reach``'s matrix (the data plane's), its rows and columns grouped.

    Cells are the data plane's results unchanged; rows and columns only move
    so that each network's run together (LAN first, published ports last).
    """
    from netsim.dataplane.reach import reach_matrix

    plane = reach_matrix(world)
    groups = {g.name: i for i, g in enumerate(topology.groups)}
    drawn = {c.name: c.group for c in topology.containers}
    on_network = {(c.name, a.address.ip): a.network
                  for c in topology.containers for a in c.attachments}
    rank = {LAN_GROUP: -1, PUBLISHED_GROUP: len(groups)}
    sources = [Source(name, drawn.get(name, LAN_GROUP)) for name in plane.sources]
    host_ip = topology.host_address.ip
    machines = {m.name for m in topology.machines} | {HOST}
    labels: list[str] = []
    columns: list[Destination] = []
    for d in plane.destinations:
        port = f"{d.port}/{d.proto}"
        if d.label.endswith(" (published)"):
            where = HOST if d.address == host_ip else f"{HOST} {d.address}"
            group, label = PUBLISHED_GROUP, f"{where}:{port}"
        elif d.label in machines:
            group, label = LAN_GROUP, f"{d.label}:{port}"
        else:
            group = on_network.get((d.label, d.address), drawn.get(d.label, LAN_GROUP))
            label = f"{d.label}:{port}"
            if label in labels or sum(1 for k in on_network if k[0] == d.label) > 1:
                label = f"{d.label}:{port} on {group}"
        labels.append(label)
        columns.append(Destination(label, d.target, group))
    row_order = sorted(range(len(sources)),
                       key=lambda i: (rank.get(sources[i].group, groups.get(sources[i].group, 0)),
                                      i))
    column_order = sorted(range(len(columns)), key=lambda j: (
        rank.get(columns[j].group, groups.get(columns[j].group, 0)), j))
    cells = {(c.source, c.destination.target, c.destination.label): c.result
             for c in plane.cells}
    results = tuple(
        tuple(str(cells[(sources[i].name, plane.destinations[j].target,
                         plane.destinations[j].label)] or "not simulated")
              for j in column_order)
        for i in row_order)
    return ReachMatrix(topology.scenario, tuple(sources[i] for i in row_order),
                       tuple(columns[j] for j in column_order), results,
                       tuple(g.name for g in topology.groups))


def build_reach_matrix(world: World, probe: ProbeFunction | None = None) -> ReachMatrix:
    """Return the reachability matrix of a world after its steps.

    Without ``probe``, the cells are ``netsim reach``'s (the data plane's
    ``reach_matrix``); ``probe(source, target) -> result`` asks for each cell
    of ``reach_endpoints`` instead (tests and benchmarks).
    """
    topology = build_topology(world)
    if probe is None:
        try:
            return from_dataplane(world, topology)
        except ImportError:
            probe = _dataplane_probe(world)
    return probe_matrix(topology, probe)

