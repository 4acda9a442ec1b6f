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
from array import array
from collections import Counter
from collections.abc import Callable
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any, cast

from netsim.dataplane.apps import proxy_bindings
from netsim.dataplane.probe import simulate_probe
from netsim.results.reach import Answer, Destination, ReachCell, ReachMatrix
from netsim.scenario.spec import ProbeProtocol, ProbeStep

PROTOCOLS = {"tcp": 6, "udp": 17, "icmp": 1}
# Told (sources answered, sources in all) after each source's row of the matrix.
ReachProgress = Callable[[int, int], None]

if TYPE_CHECKING:
    from netsim.dataplane.flow import Symmetry
    from netsim.world import World


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
        if container.network_mode == "host":
            # Its service listens in the host's namespace, on the host's address.
            for number, proto in container.listens:
                out.append(Destination(container.name, host_ip, number, proto))
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


def reach_matrix(
    world: World,
    *,
    seed: int = 0,
    method: str = "flow",
    progress: ReachProgress | None = None,
    rows: range | None = None,
) -> ReachMatrix:
    """Probe every destination from every source; the world is left as it was.

    ``method`` is ``flow`` (the flow evaluator, grouped; the default) or
    ``packets`` (one packet-level simulation per cell). Both give the same cells.
    ``progress`` is told after each source's row. ``rows`` (flow only) asks
    for those sources' rows alone, by their place among all sources: a
    matrix of that slice of sources whose cells are the full matrix's (a
    shard, see ``ReachMatrix.joined``).
    """
    sources = sources_of(world)
    destinations = destinations_of(world)
    if method == "flow":
        classes, codes = flow_codes(
            world, sources, destinations, seed, progress=progress, rows=rows
        )
        if rows is not None:
            sources = sources[rows.start : rows.stop]
        return ReachMatrix.from_codes(sources, destinations, classes, codes)
    if rows is not None:
        raise ValueError("reach: only the flow method answers a slice of the sources")
    if method != "packets":
        raise ValueError(f"unknown reach method {method!r}: expected 'flow' or 'packets'")
    rng = random.Random(seed)
    cells = []
    for row, source in enumerate(sources):
        if progress is not None and row:
            progress(row, len(sources))
        for destination in destinations:
            proto = cast(ProbeProtocol, destination.proto)
            step = ProbeStep(0, 0, source, str(destination.address), destination.port, proto)
            outcome = simulate_probe(
                world, step, record=False, rng=random.Random(rng.getrandbits(64))
            )
            cells.append(ReachCell(source, destination, outcome.result, outcome.served_by))
    if progress is not None:
        progress(len(sources), len(sources))
    return ReachMatrix(sources, destinations, tuple(cells))


def flow_cells(
    world: World,
    sources: tuple[str, ...],
    destinations: tuple[Destination, ...],
    seed: int,
    *,
    group: bool = True,
    progress: ReachProgress | None = None,
) -> tuple[ReachCell, ...]:
    """Return ``flow_codes``'s answers as cells, row-major."""
    classes, rows = flow_codes(world, sources, destinations, seed, group=group, progress=progress)
    return ReachMatrix.from_codes(sources, destinations, classes, rows).cells


def flow_codes(
    world: World,
    sources: tuple[str, ...],
    destinations: tuple[Destination, ...],
    seed: int,
    *,
    group: bool = True,
    progress: ReachProgress | None = None,
    rows: range | None = None,
) -> tuple[tuple[Answer, ...], tuple[array[int], ...]]:
    """Answer every cell with the flow evaluator, once per group of interchangeable cells.

    Returns the distinct answers (result, served_by) and one row of codes
    (indexes into them) per source; with ``rows`` (a range of step 1), only
    the rows of those sources. A cell's answer does not depend on which
    cells were asked before it (the grouping only reuses answers that any
    member of a group would give), and the random numbers of the rows
    before ``rows`` are drawn and dropped, so each row is the same as in
    the whole matrix.

    Sources whose namespaces ``flow.symmetry_of`` finds interchangeable share
    one answer per destination, and so do container ports at interchangeable
    namespaces (the answering container's name swapped in). A cell whose
    destination involves its own source (its address, a port published to
    it) is answered on its own, as are all cells when rules tell ephemeral
    ports apart or ``group`` is False. Each cell still draws its RNG seed in order, so the cells
    that are answered use the seeds the packet-level matrix would use.
    """
    # Imported here: a command that only replays a scenario never loads the flow evaluator.
    from netsim.dataplane.flow import FlowPlane, port_classes, symmetry_of

    plane = FlowPlane(world)
    symmetry = symmetry_of(plane)
    grouped = group and not plane.ephemeral_split()
    names: dict[int, list[str]] = {}
    for container in world.daemon.containers:
        namespace = world.container_namespaces.get(container.id)
        if container.running and namespace is not None:
            names.setdefault(id(namespace), []).append(container.name)
    holder: dict[IPv4Address, int] = {}
    for key, addresses in symmetry.order.items():
        if len(names.get(key, ())) == 1 and key in symmetry.shared:
            for address in addresses:
                holder[address] = key
    bindings = proxy_bindings(world)
    published = port_classes(plane, symmetry)
    backend: dict[tuple[str, int], int] = {}
    for container in world.daemon.containers:
        namespace = world.container_namespaces.get(container.id)
        if namespace is None or not container.running:
            continue
        for mapping in container.ports:
            if (mapping.proto, mapping.host_port) in published:
                backend[(mapping.proto, mapping.host_port)] = id(namespace)
    hosts = {a for key_ns in (id(world.host),) for a in symmetry.own.get(key_ns, ())}
    targets = []
    groups: dict[object, int] = {}
    relayed: dict[tuple[str, int], list[int]] = {}
    for b in bindings:
        relayed.setdefault((b.protocol, b.host_port), []).append(b.container_port)
    for index, destination in enumerate(destinations):
        protocol = PROTOCOLS[destination.proto]
        ports = (destination.port, *relayed.get((destination.proto, destination.port), ()))
        held = holder.get(destination.address)
        port_key = (destination.proto, destination.port)
        if (
            held is None
            and destination.address in hosts
            and port_key in published
            and len(names.get(backend[port_key], ())) == 1
        ):
            held = backend[port_key]
            cluster: object = ("published", destination.address, published[port_key])
        elif held is None:
            cluster = ("one", index)
        else:
            position = symmetry.order[held].index(destination.address)
            cluster = (
                "like",
                symmetry.classes[held],
                position,
                destination.port,
                destination.proto,
            )
        targets.append(
            (destination, protocol, ports, held, groups.setdefault(cluster, len(groups)))
        )
    by_address: dict[IPv4Address, list[int]] = {}
    by_port: dict[tuple[int, int], list[int]] = {}
    for index, (destination, protocol, ports, _, _) in enumerate(targets):
        by_address.setdefault(destination.address, []).append(index)
        for port in ports:
            by_port.setdefault((protocol, port), []).append(index)
    loopback = [
        i for address, indexes in by_address.items() if int(address) >> 24 == 127 for i in indexes
    ]
    rng = random.Random(seed)
    getrandbits = rng.getrandbits
    from_bytes = int.from_bytes
    width = len(targets)
    dest_names = [None if t[3] is None else names[t[3]][0] for t in targets]
    dest_keys = [t[3] for t in targets]
    asked = [(str(d.address), d.port, d.proto) for d in destinations]
    members: dict[int, list[int]] = {}
    for index, target_row in enumerate(targets):
        members.setdefault(target_row[4], []).append(index)
    probe = plane.probe
    Random = random.Random
    numbered: dict[Answer, int] = {}
    # A memo entry: result, served_by, the representative's source namespace (i),
    # its destination's namespace (j) and the name of j's container.
    Entry = tuple[str | None, str | None, int, int | None, str | None]
    memos: dict[int, dict[int, list[Entry]]] = {}
    templates: dict[int, _Template] = {}
    # Related cells answered once per (source class, own destination?, group):
    # result, served_by and the name of the answering cell's destination container.
    related_memos: dict[int, dict[tuple[bool, int], tuple[str | None, str | None, str | None]]]
    related_memos = {}
    class_sizes = Counter(symmetry.classes.values())
    wanted = range(len(sources)) if rows is None else rows
    if wanted.step != 1 or wanted.start < 0 or wanted.stop > len(sources):
        raise ValueError(
            f"reach: rows {wanted.start}..{wanted.stop} (step {wanted.step}) are not a "
            f"slice of the {len(sources)} sources"
        )
    answered: list[array[int]] = []
    everything = range(width)

    def code(result: str | None, served_by: str | None) -> int:
        return numbered.setdefault((result, served_by), len(numbered))

    if width:
        for _ in range(wanted.start):
            getrandbits(width * 64)
    for row_number in wanted:
        source = sources[row_number]
        if progress is not None and row_number > wanted.start:
            progress(row_number - wanted.start, len(wanted))
        namespace = world.namespace_of(source)
        assert namespace is not None
        node = plane.node_of(namespace)
        mine = id(namespace)
        memo = memos.setdefault(symmetry.classes[mine], {})
        own_names = names.get(mine, ())
        # Each cell's seed is the next 64 random bits, drawn for the whole row at
        # once (the same numbers, in the same order) and read only where a cell
        # is probed.
        row_seeds = getrandbits(width * 64).to_bytes(width * 8, "little") if width else b""
        if not grouped:
            codes = array("I", bytes(4 * width))
            for index in everything:
                target, port, proto = asked[index]
                pair_seed = from_bytes(row_seeds[index * 8 : index * 8 + 8], "little")
                outcome = probe(source, target, port, proto, rng=Random(pair_seed), node=node)
                codes[index] = code(outcome.result, outcome.served_by)
            answered.append(codes)
            continue
        related = _related(symmetry, mine, targets, by_address, by_port, loopback)
        source_class = symmetry.classes[mine]
        alone = class_sizes[source_class] == 1
        related_memo = related_memos.setdefault(source_class, {})
        # The class's template row: each group's first memo entry, as the cells
        # whose memo list had that entry when the row began will read it. A
        # cell takes it unless it is "irregular": related to this source, its
        # group had no entry yet, the entry's destination namespace is this
        # source's, or its source namespace is the cell's destination's. The
        # irregular cells are answered one by one in order, as before; the
        # rest copy the template (entries are only ever appended, so a first
        # entry never changes).
        template = templates.get(symmetry.classes[mine])
        if template is None:
            template = templates[symmetry.classes[mine]] = _Template(width)
        if len(template.filled) != len(memo):
            for cluster_id, entries in memo.items():
                if cluster_id in template.filled:
                    continue
                template.filled.add(cluster_id)
                result, served_by, rep_source, rep_dest, rep_name = entries[0]
                swapped = rep_name is not None and served_by == rep_name
                for index in members[cluster_id]:
                    template.codes[index] = code(
                        result, dest_names[index] if swapped else served_by
                    )
                    template.by_dest.setdefault(rep_dest, []).append(index)
                    if dest_keys[index] == rep_source:
                        template.conflicts.append(index)
            template.missing = [i for i in template.missing if targets[i][4] not in template.filled]
        codes = array("I", template.codes)
        irregular = set(related)
        irregular.update(template.missing)
        irregular.update(template.conflicts)
        irregular.update(template.by_dest.get(mine, ()))
        for index in sorted(irregular):
            target, port, proto = asked[index]
            if index in related:
                # A related cell is answered alone unless the swap that makes two
                # sources alike maps it onto one already answered: a cell whose
                # destination is the source's own namespace maps onto the same
                # group's own cell of any source of its class (both swapped
                # together); a source alone in its class (the host, a machine)
                # is left in place by swapping two destination namespaces.
                dest_key, cluster_id = dest_keys[index], targets[index][4]
                own = dest_key == mine
                if own or (alone and dest_key is not None):
                    known = related_memo.get((own, cluster_id))
                    if known is not None:
                        result, served_by, rep_name = known
                        if rep_name is not None and served_by == rep_name:
                            served_by = dest_names[index]
                        codes[index] = code(result, served_by)
                        continue
                pair_seed = from_bytes(row_seeds[index * 8 : index * 8 + 8], "little")
                outcome = probe(source, target, port, proto, rng=Random(pair_seed), node=node)
                codes[index] = code(outcome.result, outcome.served_by)
                served_by = outcome.served_by
                if (own and (served_by is None or served_by in own_names)) or (
                    alone and dest_key is not None and not own and served_by not in own_names
                ):
                    related_memo[(own, cluster_id)] = (
                        outcome.result,
                        served_by,
                        dest_names[index],
                    )
                continue
            # A representative cell (source i, destination at j) answers (k, l) when
            # i is not l and k is not j: each swap must leave the other pair alone.
            # A few representatives per group cover every (k, l).
            dest_key, cluster_id = dest_keys[index], targets[index][4]
            for result, served_by, rep_source, rep_dest, rep_name in memo.get(cluster_id, ()):
                if rep_source != dest_key and rep_dest != mine:
                    if rep_name is not None and served_by == rep_name:
                        served_by = dest_names[index]
                    codes[index] = code(result, served_by)
                    break
            else:
                pair_seed = from_bytes(row_seeds[index * 8 : index * 8 + 8], "little")
                outcome = probe(source, target, port, proto, rng=Random(pair_seed), node=node)
                if outcome.served_by not in own_names:
                    memo.setdefault(cluster_id, []).append(
                        (outcome.result, outcome.served_by, mine, dest_key, dest_names[index])
                    )
                codes[index] = code(outcome.result, outcome.served_by)
        answered.append(codes)
    if progress is not None:
        progress(len(wanted), len(wanted))
    return tuple(numbered), tuple(answered)


class _Template:
    """A symmetry class's template row of codes, and the cells that may not copy it."""

    __slots__ = ("codes", "filled", "missing", "by_dest", "conflicts")

    def __init__(self, width: int) -> None:
        self.codes = array("I", bytes(4 * width))
        # Groups whose first memo entry the template holds.
        self.filled: set[int] = set()
        # Cells whose group has no entry yet.
        self.missing: list[int] = list(range(width))
        # Cells by their group's first entry's destination namespace.
        self.by_dest: dict[int | None, list[int]] = {}
        # Cells whose destination namespace is their group's first entry's source.
        self.conflicts: list[int] = []


def _related(
    symmetry: Symmetry,
    namespace: int,
    targets: list[Any],
    by_address: dict[IPv4Address, list[int]],
    by_port: dict[tuple[int, int], list[int]],
    loopback: list[int],
) -> set[int]:
    """Return the destinations that may involve the source's own namespace.

    ``loopback`` lists the destinations at 127/8 addresses, which every source
    answers itself.
    """
    related: set[int] = set(loopback)
    for address in symmetry.own.get(namespace, ()):
        related.update(by_address.get(address, ()))
    for exposure in symmetry.exposures.get(namespace, ()):
        first, last = exposure.ports.first, exposure.ports.last
        if last - first < 4096:
            for port in range(first, last + 1):
                related.update(by_port.get((exposure.protocol, port), ()))
        else:
            related.update(
                i
                for i, (_, protocol, ports, _, _) in enumerate(targets)
                if protocol == exposure.protocol and any(exposure.ports.contains(p) for p in ports)
            )
    return related
