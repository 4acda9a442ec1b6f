"""Who reaches what: the reachability matrix as frozen values, and its grouping for pictures.

``ReachMatrix`` is what ``netsim reach`` computes (the data plane's
``reach_matrix``): every source against every destination, one ``ReachCell``
each, written as the JSON of ``netsim reach --json`` or as a text table.
``group_matrix`` arranges it for pictures: rows and columns grouped by
network (``GroupedMatrix``); ``aggregate`` folds a matrix too big to read
into one cell per pair of groups with the share of each result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any

from netsim.results.topology import HOST, Topology


@dataclass(frozen=True, slots=True)
class Destination:
    """A port someone may try: what it is, and the address:port/proto to probe."""

    label: str
    address: IPv4Address
    port: int
    proto: str

    @property
    def target(self) -> str:
        """Return ``ADDRESS:PORT/PROTO``."""
        return f"{self.address}:{self.port}/{self.proto}"


@dataclass(frozen=True, slots=True)
class ReachCell:
    """One source against one destination."""

    source: str
    destination: Destination
    result: str | None
    served_by: str | None = None


@dataclass(frozen=True, slots=True)
class ReachMatrix:
    """All cells, sources and destinations in a stable order."""

    sources: tuple[str, ...]
    destinations: tuple[Destination, ...]
    cells: tuple[ReachCell, ...]

    def as_json(self) -> dict[str, Any]:
        """Return the JSON form of ``netsim reach --json``."""
        return {
            "sources": list(self.sources),
            "destinations": [{"label": d.label, "target": d.target} for d in self.destinations],
            "cells": [
                {
                    "from": c.source,
                    "to": c.destination.target,
                    "label": c.destination.label,
                    "result": c.result,
                    "served_by": c.served_by,
                }
                for c in self.cells
            ],
        }

    def table(self) -> str:
        """Return the matrix as a text table: a row per source, a column per destination."""
        index = {(c.source, c.destination): c for c in self.cells}
        header = ["from \\ to", *(f"{d.label} {d.target}" for d in self.destinations)]
        rows = [header]
        for source in self.sources:
            row = [source]
            for destination in self.destinations:
                cell = index[(source, destination)]
                row.append(str(cell.result))
            rows.append(row)
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        return "".join(
            "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
            + "\n"
            for row in rows
        )


LAN_GROUP = "LAN"
PUBLISHED_GROUP = "published on host"
# The order results take in legends and aggregated cells (the contract's table).
RESULT_ORDER: tuple[str, ...] = (
    "open",
    "reply",
    "refused",
    "closed",
    "timeout",
    "unreachable",
    "unresolved",
    "not simulated",
)


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the picture: a node that sends probes, and the group it is drawn in."""

    name: str
    group: str


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the picture: what is probed (``target`` as a probe writes it), label, group."""

    label: str
    target: str
    group: str


@dataclass(frozen=True, slots=True)
class GroupedMatrix:
    """A matrix as pictures draw it: ``results[row][column]``, rows and columns grouped."""

    scenario: str
    sources: tuple[Row, ...]
    destinations: tuple[Column, ...]
    results: tuple[tuple[str, ...], ...]
    networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.results) != len(self.sources) or any(
            len(row) != len(self.destinations) for row in self.results
        ):
            raise ValueError(
                f"reachability matrix of {self.scenario}: expected {len(self.sources)} rows of "
                f"{len(self.destinations)} results, got "
                f"{[len(row) for row in self.results]}"
            )

    def result(self, source: str, destination: str) -> str:
        """Return the result of a source (name) towards a destination (label).

        Raises:
            KeyError: no such row or column.
        """
        rows = [s.name for s in self.sources]
        columns = [d.label for d in self.destinations]
        if source not in rows or destination not in columns:
            raise KeyError(
                f"no cell {source!r} -> {destination!r} in the matrix of {self.scenario}"
            )
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


def aggregate(matrix: GroupedMatrix) -> AggregateMatrix:
    """Return the matrix folded into one cell per (source group, destination group)."""
    row_names = _ordered_groups([s.group for s in matrix.sources])
    column_names = _ordered_groups([d.group for d in matrix.destinations])
    counters = {(r, c): Counter[str]() for r in row_names for c in column_names}
    for source, row in zip(matrix.sources, matrix.results, strict=True):
        for destination, result in zip(matrix.destinations, row, strict=True):
            counters[(source.group, destination.group)][result] += 1
    rank = {name: i for i, name in enumerate(RESULT_ORDER)}
    cells = tuple(
        tuple(
            tuple(
                sorted(
                    counters[(r, c)].items(),
                    key=lambda item: (rank.get(item[0], len(rank)), item[0]),
                )
            )
            for c in column_names
        )
        for r in row_names
    )
    row_counts = Counter(s.group for s in matrix.sources)
    column_counts = Counter(d.group for d in matrix.destinations)
    return AggregateMatrix(
        scenario=matrix.scenario,
        row_groups=tuple((name, row_counts[name]) for name in row_names),
        column_groups=tuple((name, column_counts[name]) for name in column_names),
        cells=cells,
        networks=matrix.networks,
    )


def reach_endpoints(topology: Topology) -> tuple[tuple[Row, ...], tuple[Column, ...]]:
    """Return the matrix's rows and columns for a topology, grouped by network.

    Container ports are probed at the container's first address (what the
    network allows, whatever names resolve); published ports at the host's
    LAN address, or at the address they are bound to.
    """
    sources = [Row(HOST, LAN_GROUP)]
    sources += [Row(m.name, LAN_GROUP) for m in topology.machines]
    destinations: list[Column] = []
    host_ip = topology.host_address.ip
    for port in topology.host_listen:
        destinations.append(Column(f"{HOST}:{port}", f"{host_ip}:{port}", LAN_GROUP))
    for machine in topology.machines:
        for port in machine.listen:
            destinations.append(
                Column(f"{machine.name}:{port}", f"{machine.address.ip}:{port}", LAN_GROUP)
            )
    published: list[Column] = []
    for group in topology.groups:
        for node in topology.members(group.name):
            if not node.running:
                continue
            sources.append(Row(node.name, group.name))
            if node.attachments:
                address = node.attachments[0].address.ip
                for port in node.ports:
                    destinations.append(
                        Column(f"{node.name}:{port}", f"{address}:{port}", group.name)
                    )
            for mapping in node.published:
                if mapping.host_ip.version != 4:
                    continue
                bound = mapping.host_ip
                at = host_ip if bound == IPv4Address("0.0.0.0") else bound
                where = HOST if at == host_ip else f"{HOST} {at}"
                port = f"{mapping.host_port}/{mapping.proto}"
                published.append(Column(f"{where}:{port}", f"{at}:{port}", PUBLISHED_GROUP))
    return tuple(sources), tuple(destinations + published)


ProbeFunction = Callable[[str, str], str]


def probe_matrix(topology: Topology, probe: ProbeFunction) -> GroupedMatrix:
    """Return the matrix of a topology, asking ``probe(source, target)`` for each cell."""
    sources, destinations = reach_endpoints(topology)
    results = tuple(tuple(probe(s.name, d.target) for d in destinations) for s in sources)
    return GroupedMatrix(
        topology.scenario, sources, destinations, results, tuple(g.name for g in topology.groups)
    )


def group_matrix(plane: ReachMatrix, topology: Topology) -> GroupedMatrix:
    """Return ``netsim reach``'s matrix with its rows and columns grouped by network.

    Cells are the matrix's results unchanged; rows and columns only move so
    that each network's run together (LAN first, published ports last).
    """
    groups = {g.name: i for i, g in enumerate(topology.groups)}
    drawn = {c.name: c.group for c in topology.containers}
    on_network = {
        (c.name, a.address.ip): a.network for c in topology.containers for a in c.attachments
    }
    rank = {LAN_GROUP: -1, PUBLISHED_GROUP: len(groups)}
    sources = [Row(name, drawn.get(name, LAN_GROUP)) for name in plane.sources]
    host_ip = topology.host_address.ip
    machines = {m.name for m in topology.machines} | {HOST}
    labels: list[str] = []
    columns: list[Column] = []
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
        columns.append(Column(label, d.target, group))
    row_order = sorted(
        range(len(sources)),
        key=lambda i: (rank.get(sources[i].group, groups.get(sources[i].group, 0)), i),
    )
    column_order = sorted(
        range(len(columns)),
        key=lambda j: (rank.get(columns[j].group, groups.get(columns[j].group, 0)), j),
    )
    cells = {(c.source, c.destination.target, c.destination.label): c.result for c in plane.cells}
    results = tuple(
        tuple(
            str(
                cells[(sources[i].name, plane.destinations[j].target, plane.destinations[j].label)]
                or "not simulated"
            )
            for j in column_order
        )
        for i in row_order
    )
    return GroupedMatrix(
        topology.scenario,
        tuple(sources[i] for i in row_order),
        tuple(columns[j] for j in column_order),
        results,
        tuple(g.name for g in topology.groups),
    )
