"""The reachability matrix: every source against every destination, by packet-level probes.

Sources are the host, the machines and the running containers. Destinations
are each running container's listening ports at each of its addresses, each
published IPv4 host port (at the host's LAN address, or the binding's own
address), and each machine's and the host's listening ports. Each cell is
the result a ``probe:`` step from that source would give (the same data
plane, without trace recording).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any, cast

from netsim.dataplane.flow import FlowPlane
from netsim.dataplane.probe import simulate_probe
from netsim.scenario.spec import ProbeProtocol, ProbeStep

if TYPE_CHECKING:
    from netsim.world import World


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


def sources_of(world: World) -> tuple[str, ...]:
    """Return the host, the machines and the running containers, in that order."""
    containers = [c.name for c in world.daemon.containers if c.running]
    return ("host", *(m.name for m in world.scenario.machines), *containers)


def destinations_of(world: World) -> tuple[Destination, ...]:
    """Return every container port, published host port and machine/host port."""
    out: list[Destination] = []
    host_ip = world.scenario.host.address.ip
    for port in world.scenario.host.listen:
        out.append(Destination("host", host_ip, port.port, port.proto))
    for machine in world.scenario.machines:
        for port in machine.listen:
            out.append(Destination(machine.name, machine.address.ip, port.port, port.proto))
    for container in world.daemon.containers:
        if not container.running:
            continue
        for endpoint in container.endpoints.values():
            for number, proto in container.listens:
                out.append(Destination(container.name, endpoint.address.ip, number, proto))
        for mapping in container.ports:
            if mapping.host_ip.version != 4:
                continue
            address = IPv4Address(str(mapping.host_ip))
            if address.is_unspecified:
                address = host_ip
            out.append(
                Destination(
                    f"{container.name} (published)", address, mapping.host_port, mapping.proto
                )
            )
    return tuple(dict.fromkeys(out))


def reach_matrix(world: World, *, seed: int = 0, method: str = "flow") -> ReachMatrix:
    """Probe every destination from every source; the world is left as it was.

    ``method`` is ``flow`` (the flow evaluator, grouped; the default) or
    ``packets`` (one packet-level simulation per cell). Both give the same cells.
    """
    sources = sources_of(world)
    destinations = destinations_of(world)
    if method == "flow":
        return ReachMatrix(sources, destinations, flow_cells(world, sources, destinations, seed))
    if method != "packets":
        raise ValueError(f"unknown reach method {method!r}: expected 'flow' or 'packets'")
    rng = random.Random(seed)
    cells = []
    for source in sources:
        for destination in destinations:
            proto = cast(ProbeProtocol, destination.proto)
            step = ProbeStep(0, 0, source, str(destination.address), destination.port, proto)
            outcome = simulate_probe(
                world, step, record=False, rng=random.Random(rng.getrandbits(64))
            )
            cells.append(ReachCell(source, destination, outcome.result, outcome.served_by))
    return ReachMatrix(sources, destinations, tuple(cells))


def flow_cells(
    world: World, sources: tuple[str, ...], destinations: tuple[Destination, ...], seed: int
) -> tuple[ReachCell, ...]:
    """Answer every cell with the flow evaluator."""
    plane = FlowPlane(world)
    rng = random.Random(seed)
    cells = []
    for source in sources:
        for destination in destinations:
            outcome = plane.probe(source, str(destination.address), destination.port,
                                  destination.proto, rng=random.Random(rng.getrandbits(64)))
            cells.append(ReachCell(source, destination, outcome.result, outcome.served_by))
    return tuple(cells)
