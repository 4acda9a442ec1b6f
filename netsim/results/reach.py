"""Who reaches what: the reachability matrix as frozen values, and its grouping for pictures.

``ReachMatrix`` is what ``netsim reach`` computes (the data plane's
``reach_matrix``): every source against every destination, one ``ReachCell``
each, written as the JSON of ``netsim reach --json`` or as a text table.
Above ``COMPACT_CELLS`` cells the JSON is the compact form and the text a
summary (a table of millions of lines helps nobody); ``read_reach_json``
reads either JSON form back into the same matrix.
``group_matrix`` arranges it for pictures: rows and columns grouped by
network (``GroupedMatrix``); ``aggregate`` folds a matrix too big to read
into one cell per pair of groups with the share of each result.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import FrozenInstanceError, dataclass
from ipaddress import AddressValueError, IPv4Address
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

    @classmethod
    def from_target(cls, label: str, target: str) -> Destination:
        """Return the destination a JSON matrix names by ``label`` and ``ADDRESS:PORT/PROTO``.

        Raises:
            ValueError: ``target`` is not ``ADDRESS:PORT/PROTO``.
        """
        where, _, proto = target.partition("/")
        address, _, port = where.rpartition(":")
        try:
            return cls(label, IPv4Address(address), int(port), proto or "")
        except (AddressValueError, ValueError):
            raise ValueError(
                f"reach matrix: destination {label!r} has target {target!r}, "
                "expected ADDRESS:PORT/PROTO"
            ) from None


@dataclass(frozen=True, slots=True)
class ReachCell:
    """One source against one destination."""

    source: str
    destination: Destination
    result: str | None
    served_by: str | None = None


# Above this many cells ``netsim reach --json`` writes the compact form and the text
# output is a summary: 100,000 cells is a world of about 300 sources and 300
# ports, whose contract JSON is already ~15 MB and whose table no one reads.
COMPACT_CELLS = 100_000
COMPACT_FORMAT = "netsim-reach-compact/1"


# One distinct answer a cell can have: (result, served_by).
Answer = tuple[str | None, str | None]


class ReachMatrix:
    """All cells, sources and destinations in a stable order (row-major: source, destination).

    Made either from its cells (``ReachMatrix(sources, destinations, cells)``)
    or, as the data plane and the compact JSON do, from a dense array of
    codes (``ReachMatrix.from_codes``): one row per source of one index into
    ``classes`` (the distinct answers) per destination. A matrix made from
    codes builds its ``ReachCell`` values only when ``cells`` is first read:
    two million frozen cells cost more than answering them. Immutable; equal
    when sources, destinations and cells are.
    """

    __slots__ = ("sources", "destinations", "_cells", "_classes", "_codes", "_ordered")

    sources: tuple[str, ...]
    destinations: tuple[Destination, ...]
    _cells: tuple[ReachCell, ...] | None
    _classes: tuple[Answer, ...] | None
    _codes: tuple[array[int], ...] | None
    # True once ``_classes`` are in order of first appearance (``coded``).
    _ordered: bool

    def __init__(
        self,
        sources: tuple[str, ...],
        destinations: tuple[Destination, ...],
        cells: tuple[ReachCell, ...],
    ) -> None:
        object.__setattr__(self, "sources", tuple(sources))
        object.__setattr__(self, "destinations", tuple(destinations))
        object.__setattr__(self, "_cells", tuple(cells))
        object.__setattr__(self, "_classes", None)
        object.__setattr__(self, "_codes", None)
        object.__setattr__(self, "_ordered", False)

    @classmethod
    def from_codes(
        cls,
        sources: tuple[str, ...],
        destinations: tuple[Destination, ...],
        classes: Sequence[Answer],
        codes: Sequence[Sequence[int]],
    ) -> ReachMatrix:
        """Return the matrix whose cell (i, j) is ``classes[codes[i][j]]``.

        Raises:
            ValueError: a row of the wrong length, or a code with no class.
        """
        if len(codes) != len(sources):
            raise ValueError(f"reach matrix: {len(codes)} rows of codes for {len(sources)} sources")
        rows: list[array[int]] = []
        for source, row in zip(sources, codes, strict=True):
            if len(row) != len(destinations):
                raise ValueError(
                    f"reach matrix: the row of {source} has {len(row)} codes for "
                    f"{len(destinations)} destinations"
                )
            # An array of unsigned codes is checked by its largest code, read by
            # numpy (a Python max over 20,000 codes a row costs seconds at scale).
            coded = isinstance(row, array) and row.typecode == "I"
            if isinstance(row, array) and coded:
                bad = len(row) > 0 and _largest(row) >= len(classes)
            else:
                bad = bool(row) and (min(row) < 0 or max(row) >= len(classes))
            if bad:
                code = next(c for c in row if not 0 <= c < len(classes))
                raise ValueError(
                    f"reach matrix: code {code} in the row of {source} has no class "
                    f"(there are {len(classes)})"
                )
            rows.append(row if isinstance(row, array) and coded else array("I", row))
        matrix = cls.__new__(cls)
        object.__setattr__(matrix, "sources", tuple(sources))
        object.__setattr__(matrix, "destinations", tuple(destinations))
        object.__setattr__(matrix, "_cells", None)
        object.__setattr__(matrix, "_classes", tuple(classes))
        object.__setattr__(matrix, "_codes", tuple(rows))
        object.__setattr__(matrix, "_ordered", False)
        return matrix

    @classmethod
    def joined(cls, parts: Sequence[ReachMatrix]) -> ReachMatrix:
        """Return the matrix of every part's sources, in order, over their common destinations.

        A large ``reach`` answers its sources in shards (slices of the
        sources, ``reach_matrix(rows=...)``); joined, they make the matrix
        the whole would, and write the same JSON (classes are renumbered in
        order of first appearance either way).

        Raises:
            ValueError: no parts, or parts over different destinations.
        """
        if not parts:
            raise ValueError("reach matrix: nothing to join")
        destinations = parts[0].destinations
        numbered: dict[Answer, int] = {}
        sources: list[str] = []
        rows: list[array[int]] = []
        import numpy as np

        for part in parts:
            if part.destinations != destinations:
                raise ValueError(
                    "reach matrix: the parts to join have different destinations "
                    f"({len(part.destinations)} and {len(destinations)})"
                )
            if part._codes is None:
                classes, codes = part.coded()
            else:
                assert part._classes is not None
                classes, codes = part._classes, part._codes
            renumber = np.array(
                [numbered.setdefault(answer, len(numbered)) for answer in classes],
                dtype=np.uint32,
            )
            sources.extend(part.sources)
            for row in codes:
                view = np.frombuffer(row, dtype=np.uint32)
                rows.append(array("I", renumber[view].tobytes()) if len(row) else array("I"))
        return cls.from_codes(tuple(sources), destinations, tuple(numbered), rows)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReachMatrix):
            return NotImplemented
        return (
            self.sources == other.sources
            and self.destinations == other.destinations
            and self.cells == other.cells
        )

    def __hash__(self) -> int:
        return hash((self.sources, self.destinations, self.cells))

    def __repr__(self) -> str:
        return (
            f"ReachMatrix({len(self.sources)} sources, {len(self.destinations)} destinations, "
            f"{self.size} cells)"
        )

    @property
    def size(self) -> int:
        """Return how many cells the matrix holds (without building them)."""
        if self._cells is not None:
            return len(self._cells)
        return len(self.sources) * len(self.destinations)

    @property
    def cells(self) -> tuple[ReachCell, ...]:
        """Return every cell, row-major; built on first use for a matrix made from codes."""
        if self._cells is None:
            assert self._classes is not None and self._codes is not None
            classes = self._classes
            destinations = self.destinations
            cell = ReachCell
            out: list[ReachCell] = []
            for source, row in zip(self.sources, self._codes, strict=True):
                out.extend(
                    cell(source, destination, *classes[code])
                    for destination, code in zip(destinations, row, strict=True)
                )
            object.__setattr__(self, "_cells", tuple(out))
        assert self._cells is not None
        return self._cells

    def coded(self) -> tuple[tuple[Answer, ...], tuple[array[int], ...]]:
        """Return (classes, rows of codes), classes in order of first appearance (row-major).

        Raises:
            ValueError: the matrix was made from cells that are not every
                (source, destination) pair in order.
        """
        if self._codes is None:
            width = len(self.destinations)
            cells = self.cells
            if len(cells) != len(self.sources) * width:
                raise ValueError(
                    f"reach matrix: {len(cells)} cells for {len(self.sources)} sources and "
                    f"{width} destinations; the compact form needs every pair in order"
                )
            numbered: dict[Answer, int] = {}
            flat = [numbered.setdefault((c.result, c.served_by), len(numbered)) for c in cells]
            classes = tuple(numbered)
            rows = tuple(
                array("I", flat[i * width : (i + 1) * width]) for i in range(len(self.sources))
            )
        elif not self._ordered:
            assert self._classes is not None
            classes, rows = _first_appearance(self._classes, self._codes)
        else:
            assert self._classes is not None
            return self._classes, self._codes
        object.__setattr__(self, "_classes", classes)
        object.__setattr__(self, "_codes", rows)
        object.__setattr__(self, "_ordered", True)
        return classes, rows

    @property
    def compact(self) -> bool:
        """True when the matrix is large enough to be written compact and summarised."""
        return self.size > COMPACT_CELLS

    def as_json(self, *, compact: bool | None = None) -> dict[str, Any]:
        """Return the JSON form of ``netsim reach --json``.

        ``compact`` (default: above ``COMPACT_CELLS`` cells) gives the compact
        form: ``format``, ``sources``, ``destinations`` as in the full form,
        ``classes`` (each distinct answer a cell has: ``result`` and
        ``served_by``, in order of first appearance) and ``codes``, one row per
        source of one class index per destination.
        """
        if compact if compact is not None else self.compact:
            return self._compact_json()
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

    def _compact_json(self) -> dict[str, Any]:
        head, rows = self.compact_parts()
        return {**head, "codes": [row.tolist() for row in rows]}

    def compact_parts(self) -> tuple[dict[str, Any], tuple[array[int], ...]]:
        """Return the compact JSON without its ``codes``, and the rows of codes as arrays.

        A writer streams the rows one by one: 200 million codes as Python
        lists would take gigabytes.

        Raises:
            ValueError: the matrix was made from cells that are not every pair in order.
        """
        classes, rows = self.coded()
        head = {
            "format": COMPACT_FORMAT,
            "sources": list(self.sources),
            "destinations": [{"label": d.label, "target": d.target} for d in self.destinations],
            "classes": [{"result": r, "served_by": s} for r, s in classes],
        }
        return head, rows

    def summary(self) -> str:
        """Return what a large matrix says in a few lines: its size and its results counted.

        Results are counted over all cells, then per kind of destination
        (published host ports; the others).
        """
        published = [j for j, d in enumerate(self.destinations) if d.label.endswith(" (published)")]
        others = sorted(set(range(len(self.destinations))) - set(published))
        classes, rows = self.coded()
        # Codes counted per kind of destination, a row at a time as a numpy view
        # of its array (no copy), then read as results: no cell is built.
        by_kind: list[tuple[str, Counter[int]]] = [
            ("published host ports", Counter()),
            ("container, host and machine ports", Counter()),
        ]
        import numpy as np  # here: only the summary of a matrix needs it

        for (_, counter), columns in zip(by_kind, (published, others), strict=True):
            if not columns:
                continue
            picked = np.asarray(columns, dtype=np.intp)
            counts = np.zeros(len(classes), dtype=np.int64)
            for row in rows:
                counts += np.bincount(
                    np.frombuffer(row, dtype=np.uint32)[picked], minlength=len(classes)
                )
            counter.update({code: n for code, n in enumerate(counts.tolist()) if n})
        total: Counter[str] = Counter()
        kinds: dict[str, Counter[str]] = {}
        for kind, codes in by_kind:
            for code, count in codes.items():
                result = str(classes[code][0])
                kinds.setdefault(kind, Counter())[result] += count
                total[result] += count
        rank = {name: i for i, name in enumerate(RESULT_ORDER)}

        def counted(counter: Counter[str]) -> str:
            items = sorted(counter.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
            return ", ".join(f"{name} {count:,}" for name, count in items)

        lines = [
            f"{len(self.sources):,} sources x {len(self.destinations):,} destinations = "
            f"{self.size:,} cells"
            + (
                f" (more than {COMPACT_CELLS:,}: summarised; --json writes every cell)"
                if self.compact
                else ""
            ),
            f"all cells: {counted(total)}",
        ]
        lines += [f"to {kind}: {counted(kinds[kind])}" for kind in sorted(kinds)]
        return "\n".join(lines) + "\n"

    def text(self) -> str:
        """Return ``netsim reach``'s text: the table, or the summary of a large matrix."""
        return self.summary() if self.compact else self.table()

    def table(self) -> str:
        """Return the matrix as a text table: a row per source, a column per destination."""
        header = ["from \\ to", *(f"{d.label} {d.target}" for d in self.destinations)]
        rows = [header]
        if self._codes is not None:
            assert self._classes is not None
            results = [str(result) for result, _ in self._classes]
            for source, codes in zip(self.sources, self._codes, strict=True):
                rows.append([source, *(results[code] for code in codes)])
        else:
            index = {(c.source, c.destination): c for c in self.cells}
            for source in self.sources:
                rows.append([source, *(str(index[(source, d)].result) for d in self.destinations)])
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        return "".join(
            "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
            + "\n"
            for row in rows
        )


def read_reach_json(data: Mapping[str, Any]) -> ReachMatrix:
    """Return the matrix a ``netsim reach --json`` document holds, in either form.

    Raises:
        ValueError: the document is neither form, or its parts disagree
            (a code with no class, a row of the wrong length, a cell naming an
            unknown source or destination).
    """
    try:
        sources = tuple(str(s) for s in data["sources"])
        destinations = tuple(
            Destination.from_target(str(d["label"]), str(d["target"])) for d in data["destinations"]
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"reach matrix: missing or malformed key {error}") from None
    fmt = data.get("format")
    if fmt is None:
        by_key = {(d.label, d.target): d for d in destinations}
        cells: list[ReachCell] = []
        for number, cell in enumerate(data.get("cells", ())):
            destination = by_key.get((cell.get("label"), cell.get("to")))
            if destination is None or cell.get("from") not in sources:
                raise ValueError(
                    f"reach matrix: cell {number} ({cell.get('from')!r} -> {cell.get('to')!r}) "
                    "names a source or destination the matrix does not list"
                )
            cells.append(ReachCell(cell["from"], destination, cell["result"], cell["served_by"]))
        return ReachMatrix(sources, destinations, tuple(cells))
    if fmt != COMPACT_FORMAT:
        raise ValueError(f"reach matrix: unknown format {fmt!r}, expected {COMPACT_FORMAT!r}")
    classes = [(c["result"], c["served_by"]) for c in data["classes"]]
    rows = data["codes"]
    for source, row in zip(sources, rows, strict=False):
        if any(not isinstance(code, int) for code in row):
            raise ValueError(f"reach matrix: the row of {source} holds a code that is not a number")
    return ReachMatrix.from_codes(sources, destinations, classes, rows)


def _largest(row: array[int]) -> int:
    """Return the largest code of an array of unsigned codes (0 for none)."""
    import numpy as np

    return int(np.frombuffer(row, dtype=np.uint32).max()) if len(row) else 0


def _first_appearance(
    classes: tuple[Answer, ...], rows: tuple[array[int], ...]
) -> tuple[tuple[Answer, ...], tuple[array[int], ...]]:
    """Return classes and rows renumbered so classes come in order of first appearance.

    Whatever order the maker numbered them in, the compact JSON is then the
    same however the matrix was made. Each row is a numpy view of its array:
    the codes it holds that no earlier row did are found with a mask of the
    codes seen, so 200 million codes take seconds, not minutes.
    """
    import numpy as np

    seen = np.zeros(len(classes), dtype=bool)
    order: list[int] = []
    for row in rows:
        view = np.frombuffer(row, dtype=np.uint32)
        new = view[~seen[view]]
        if new.size:
            fresh = list(dict.fromkeys(new.tolist()))
            order.extend(fresh)
            seen[fresh] = True
    ordered = tuple(classes[old] for old in order)
    if order == list(range(len(order))):
        return ordered, rows
    renumber = np.zeros(len(classes), dtype=np.uint32)
    renumber[np.asarray(order, dtype=np.intp)] = np.arange(len(order), dtype=np.uint32)
    out: list[array[int]] = []
    for row in rows:
        renumbered = array("I")
        renumbered.frombytes(renumber[np.frombuffer(row, dtype=np.uint32)].tobytes())
        out.append(renumbered)
    return ordered, tuple(out)


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
