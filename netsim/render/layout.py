"""Place a topology on a page: a deterministic layout in inches, no drawing library.

The layout is a grid, not a force simulation, so that the same topology always
gives the same picture and labels cannot collide: every label sits inside its
own box, and boxes are placed in rows and columns measured from their text
(a monospaced font, whose advance is 0.6 em per character). y grows downwards.

From the top: the title; the machines above the LAN cable; the host with its
stack (``eth0``, routing, iptables) and its published ports; below the host's
bus, one group per Docker network: its bridge, a bus down the group's left
side and the containers hanging from it by their veth pairs. A container on
several networks gets a row of its own under all groups, with one connector
per extra network. Groups with many containers collapse into a summary box
once the picture would show more than ``detail_limit`` containers.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from netsim.render.topology import Wire, wires
from netsim.results.topology import HOST, ContainerNode, NetworkGroup, Published, Topology

FONT_SIZE = 8.0  # points, boxes' text
SMALL_SIZE = 7.0  # points, edge labels
TITLE_SIZE = 11.0
CHAR_EM = 0.6  # DejaVu Sans Mono's advance width, in em
LINE_SPACING = 1.2  # matplotlib's default line spacing
PAD = 0.07  # inches between a box's border and its text
MARGIN = 0.3
DETAIL_LIMIT = 30
PORT_ROWS = 12  # published-port lines per column in the host's table
PORT_LIMIT = 36  # published ports listed before "... and N more"


def text_size(lines: tuple[str, ...], size: float = FONT_SIZE) -> tuple[float, float]:
    """Return the width and height in inches of monospaced text lines."""
    width = max((len(line) for line in lines), default=0) * CHAR_EM * size / 72
    height = max(len(lines), 1) * LINE_SPACING * size / 72
    return width, height


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle with its text, top-left anchored; ``style`` says how to draw it."""

    key: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]
    style: str
    group: int = -1

    @property
    def right(self) -> float:
        """Return the x of the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """Return the y of the bottom edge."""
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class Segment:
    """A polyline: a cable, bus, veth pair, link or shared namespace.

    ``wires`` are indexes into ``topology.wires`` of what the segment carries
    (several when a collapsed group stands for many veth pairs); ``label_at``
    is where a traffic label goes (x, y, horizontal alignment).
    """

    points: tuple[tuple[float, float], ...]
    style: str
    wires: tuple[int, ...] = ()
    label_at: tuple[float, float, str] | None = None
    group: int = -1


@dataclass(frozen=True, slots=True)
class Label:
    """Free text outside boxes (the title, the LAN's name, the legend)."""

    x: float
    y: float
    text: str
    size: float = FONT_SIZE
    ha: str = "left"
    va: str = "top"
    weight: str = "normal"


@dataclass(frozen=True, slots=True)
class Layout:
    """A placed topology: page size, group rectangles, boxes, segments and labels."""

    width: float
    height: float
    groups: tuple[Box, ...]
    boxes: tuple[Box, ...]
    segments: tuple[Segment, ...]
    labels: tuple[Label, ...]
    wires: tuple[Wire, ...]
    collapsed: tuple[str, ...] = ()
    notes_y: float = 0.0

    def box(self, key: str) -> Box:
        """Return the box with this key.

        Raises:
            KeyError: no box has it.
        """
        for box in self.boxes:
            if box.key == key:
                return box
        raise KeyError(f"no box {key!r} in the layout")


@dataclass(slots=True)
class _Spacing:
    gap: float  # bus to container box
    drop: float  # vertical room for a cable with a label beside it
    row_gap: float = 0.14
    col_gap: float = 0.3


NAME_GAP = 0.03  # inches between a box's first line (bold) and the rest


def _box_height(lines: tuple[str, ...]) -> float:
    return text_size(lines)[1] + 2 * PAD + (NAME_GAP if len(lines) > 1 else 0.0)


def _box_width(lines: tuple[str, ...]) -> float:
    return text_size(lines)[0] + 2 * PAD


def container_lines(node: ContainerNode, topology: Topology) -> tuple[str, ...]:
    """Return the text of a container's box: name, image, state, endpoints, ports, links."""
    lines = [node.name, node.image]
    if not node.running:
        lines.append(f"({node.state})")
    several = len(node.attachments) > 1
    for attachment in node.attachments:
        where = f" on {attachment.network}" if several else ""
        lines.append(f"{attachment.ifname} {attachment.address.ip}{where}")
        lines.append(f"  ⇄ {attachment.host_veth}")
    if node.shares:
        lines.append(f"in {node.shares}'s namespace")
    elif node.group == "host":
        lines.append("in the host's namespace")
    elif node.group == "none" and not node.attachments:
        lines.append("lo only")
    for hosts, host_port, _, port, proto in _folded(node.published):
        first, *others = hosts.split(" ")
        also = f" (+{','.join(others)})" if others else ""
        lines.append(f"published {first}:{host_port}→{port}/{proto}{also}")
    lines += [
        f"--link {link.child}:{link.alias}" for link in topology.links if link.parent == node.name
    ]
    return tuple(lines)


def _folded(published: tuple[Published, ...]) -> list[tuple[str, int, str, int, str]]:
    """Return (host addresses, host port, container, port, proto), IPv6 twins folded in."""
    seen: dict[tuple[str, int, int, str], list[str]] = {}
    for p in published:
        seen.setdefault((p.container, p.host_port, p.container_port, p.proto), []).append(
            p.host_side.rsplit(":", 1)[0]
        )
    return [
        (" ".join(hosts), host_port, container, port, proto)
        for (container, host_port, port, proto), hosts in seen.items()
    ]


def published_lines(published: tuple[Published, ...]) -> list[str]:
    """Return one line per published port for the host's table."""
    return [
        ", ".join(f"{host}:{host_port}" for host in hosts.split(" "))
        + f" → {container}:{port}/{proto}"
        for hosts, host_port, container, port, proto in _folded(published)
    ]


def _group_lines(group: NetworkGroup) -> tuple[str, ...]:
    if group.kind == "host":
        return ("network host", "the host's own stack")
    if group.kind == "none":
        return ("network none", "loopback only")
    if group.missing:
        return (f"network {group.name}", f"no such {group.missing}: attached to nothing")
    flags = group.flags
    head = f"{group.bridge}  network {group.name}"
    lines = [head + (f" ({', '.join(flags)})" if flags else "")]
    if group.subnet is not None:
        lines.append(f"{group.subnet}  gateway {group.gateway}")
    return tuple(lines)


def _summary_lines(group: str, members: tuple[ContainerNode, ...]) -> tuple[str, ...]:
    running = [m for m in members if m.running]
    addresses = sorted(a.address.ip for m in members for a in m.attachments if a.network == group)
    images = Counter(m.image for m in members)
    top = ", ".join(
        f"{image} ×{count}"
        for image, count in sorted(images.items(), key=lambda item: (-item[1], item[0]))[:3]
    )
    if len(images) > 3:
        top += f", +{len(images) - 3} more"
    lines = [f"{len(members)} containers ({len(running)} running)"]
    if addresses:
        lines.append(f"{addresses[0]} – {addresses[-1]}")
    lines.append(top)
    published = len(_folded(tuple(p for m in members for p in m.published)))
    if published:
        lines.append(f"{published} published ports")
    others = sorted({a.network for m in members for a in m.attachments} - {group})
    if others:
        several = sum(1 for m in members if len(m.attachments) > 1)
        lines.append(f"{several} also on {', '.join(others)}")
    return tuple(lines)


def _collapsed_groups(topology: Topology, limit: int) -> set[str]:
    """Return the groups to collapse: the largest first, until ``limit`` containers show."""
    sizes = {g.name: len(topology.members(g.name)) for g in topology.groups}
    shown = sum(sizes.values())
    collapsed: set[str] = set()
    for name, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        if shown <= limit:
            break
        collapsed.add(name)
        shown -= size - 1
    return collapsed


def layout_topology(
    topology: Topology,
    *,
    traffic: bool = False,
    detail_limit: int = DETAIL_LIMIT,
    label_chars: int = 16,
) -> Layout:
    """Return the deterministic layout of a topology.

    ``traffic`` leaves room beside every wire for a packets/bytes label of
    ``label_chars`` characters.
    """
    return _Builder(topology, traffic, detail_limit, label_chars).build()


@dataclass(slots=True)
class _Builder:
    topology: Topology
    traffic: bool
    detail_limit: int
    label_chars: int
    boxes: list[Box] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    group_boxes: list[Box] = field(default_factory=list)
    all_wires: tuple[Wire, ...] = ()
    wire_index: dict[tuple[object, ...], int] = field(default_factory=dict)
    space: _Spacing = field(default_factory=lambda: _Spacing(gap=0.3, drop=0.3))

    def build(self) -> Layout:
        topology = self.topology
        self.all_wires = wires(topology)
        self.wire_index = {(w.kind, w.a, w.b, w.counter): i for i, w in enumerate(self.all_wires)}
        label_w = self.label_chars * CHAR_EM * SMALL_SIZE / 72 + 0.2
        space = _Spacing(
            gap=max(label_w, 0.3) if self.traffic else 0.3, drop=0.5 if self.traffic else 0.3
        )
        self.space = space
        collapsed = _collapsed_groups(topology, self.detail_limit)

        title = (
            f"{topology.scenario} — network after the steps (Docker {topology.engine}, simulated)"
        )
        self.labels.append(Label(MARGIN, MARGIN, title, TITLE_SIZE, weight="bold"))
        y = MARGIN + text_size((title,), TITLE_SIZE)[1] + 0.2

        # Machines above the LAN cable, the LAN's name at its left end.
        lan_text = f"LAN {topology.lan}"
        lan_w = text_size((lan_text,))[0]
        x = MARGIN + lan_w + 0.4
        machine_boxes: list[Box] = []
        for machine in topology.machines:
            lines: tuple[str, ...] = (machine.name, str(machine.address))
            if machine.listen:
                lines += ("listens " + " ".join(machine.listen),)
            box = Box(
                f"machine:{machine.name}",
                x,
                y,
                _box_width(lines),
                _box_height(lines),
                lines,
                "machine",
            )
            machine_boxes.append(box)
            x = box.right + 0.3
        machines_h = max((b.h for b in machine_boxes), default=0.0)
        y_lan = y + machines_h + (space.drop if machine_boxes else 0.15)
        self.boxes += machine_boxes
        self.labels.append(Label(MARGIN, y_lan - 0.04, lan_text, va="bottom", weight="bold"))

        # The host: its stack box, then its published ports.
        y_host = y_lan + space.drop
        host_lines = [f"host — eth0 {topology.host_address}"]
        if topology.host_listen:
            host_lines.append("listens " + " ".join(topology.host_listen))
        host_lines.append("routing · iptables filter/nat")
        if topology.published:
            host_lines.append("docker-proxy for published ports")
        host_x = MARGIN + 0.27  # its cable down to the bus lines up with the first bridge's
        host_box = Box(
            HOST,
            host_x,
            y_host + 0.2,
            _box_width(tuple(host_lines)),
            _box_height(tuple(host_lines)),
            tuple(host_lines),
            "host",
        )
        self.boxes.append(host_box)
        drop_x = host_box.x + 0.25
        self._wire_segment(
            ((drop_x, y_lan), (drop_x, host_box.y)),
            "lan",
            ("lan", "lan", HOST, (HOST, "eth0")),
            vertical=True,
        )
        lan_xs = [drop_x]
        for box in machine_boxes:
            mx = box.x + 0.25
            lan_xs.append(mx)
            owner = box.key.split(":", 1)[1]
            self._wire_segment(
                ((mx, box.bottom), (mx, y_lan)),
                "lan",
                ("lan", "lan", box.key, (owner, "eth0")),
                vertical=True,
            )
        right = max([host_box.right] + [b.right for b in machine_boxes])
        x = host_box.right + 0.35
        published = topology.published
        if published:
            port_lines = published_lines(published)
            more = len(port_lines) - PORT_LIMIT
            port_lines = port_lines[:PORT_LIMIT]
            if more > 0:
                port_lines.append(f"… and {more} more")
            for start in range(0, len(port_lines), PORT_ROWS):
                chunk = tuple(port_lines[start : start + PORT_ROWS])
                if start == 0:
                    chunk = ("published ports",) + chunk
                box = Box(
                    f"ports:{start}",
                    x,
                    host_box.y,
                    _box_width(chunk),
                    _box_height(chunk),
                    chunk,
                    "ports",
                )
                self.boxes.append(box)
                x = box.right + 0.2
                right = max(right, box.right)
        host_bottom = max(b.bottom for b in self.boxes if b.style in ("host", "ports"))
        y_bus = host_bottom + 0.3
        self.segments.append(Segment(((drop_x, host_box.bottom), (drop_x, y_bus)), "bus"))

        # The groups, left to right.
        y_groups = y_bus + space.drop
        x = MARGIN + 0.2
        placed: list[_PlacedGroup] = []
        for index, group in enumerate(topology.groups):
            members = topology.members(group.name)
            placed_group = self._place_group(
                index, group, members, x, y_groups, group.name in collapsed
            )
            placed.append(placed_group)
            x = placed_group.right + space.col_gap
        bus_xs = [drop_x] + [g.uplink_x for g in placed if g.uplink_x is not None]
        self.segments.append(Segment(((min(bus_xs), y_bus), (max(bus_xs), y_bus)), "bus"))
        for g in placed:
            if g.uplink_x is None:
                continue
            group = topology.groups[g.index]
            if group.bridge:
                key = ("uplink", HOST, group.node, (HOST, group.bridge))
                self._wire_segment(
                    ((g.uplink_x, y_bus), (g.uplink_x, g.header.y)),
                    "uplink",
                    key,
                    vertical=True,
                    group=g.index,
                )
            else:
                self.segments.append(
                    Segment(((g.uplink_x, y_bus), (g.uplink_x, g.header.y)), "netns", group=g.index)
                )
        regular_bottom = max((g.bottom for g in placed), default=y_groups)
        bottom = self._place_multihomed(placed, regular_bottom + 0.3)
        self._place_links_and_sharers()
        for g in placed:
            self.group_boxes.append(
                Box(
                    f"group:{topology.groups[g.index].name}",
                    g.x,
                    y_groups,
                    g.right - g.x,
                    bottom + 0.15 - y_groups,
                    (),
                    "group",
                    g.index,
                )
            )
        right = max([right] + [g.right for g in placed])
        y = bottom + 0.45

        # The host's rectangle around its stack and its networks.
        self.group_boxes.insert(
            0,
            Box(
                "host-area",
                MARGIN,
                y_host,
                right + 0.2 - MARGIN,
                y - 0.15 - y_host,
                (),
                "host-area",
            ),
        )
        lan_right = max(lan_xs + [right])
        self.segments.insert(0, Segment(((MARGIN, y_lan), (lan_right + 0.1, y_lan)), "lan-bus"))
        for box in self.boxes:
            right = max(right, box.right)
        width = right + 0.2 + MARGIN
        notes_y = y
        return Layout(
            width=max(width, MARGIN * 2 + text_size((title,), TITLE_SIZE)[0]),
            height=notes_y,
            groups=tuple(self.group_boxes),
            boxes=tuple(self.boxes),
            segments=tuple(self.segments),
            labels=tuple(self.labels),
            wires=self.all_wires,
            collapsed=tuple(sorted(collapsed)),
            notes_y=notes_y,
        )

    def _wire_segment(
        self,
        points: tuple[tuple[float, float], ...],
        style: str,
        key: tuple[object, ...],
        *,
        vertical: bool,
        group: int = -1,
    ) -> None:
        index = self.wire_index.get(key)
        (x0, y0), (x1, y1) = points[0], points[-1]
        if vertical:
            label_at = (x0 + 0.06, (y0 + y1) / 2, "left")
        else:
            label_at = ((x0 + x1) / 2, y0 - 0.03, "center")
        self.segments.append(
            Segment(points, style, () if index is None else (index,), label_at, group)
        )

    def _place_group(
        self,
        index: int,
        group: NetworkGroup,
        members: tuple[ContainerNode, ...],
        x: float,
        y: float,
        collapsed: bool,
    ) -> _PlacedGroup:
        space = self.space
        header_lines = _group_lines(group)
        inner_x = x + 0.12
        header = Box(
            f"{group.node}",
            inner_x,
            y + 0.12,
            _box_width(header_lines),
            _box_height(header_lines),
            header_lines,
            "bridge" if group.bridge else "group-header",
            index,
        )
        self.boxes.append(header)
        bus_x = inner_x + 0.2
        uplink_x: float | None = bus_x if group.kind not in ("none", "missing") else None
        gap = space.gap if group.kind == "bridge" else 0.0
        top = header.bottom + 0.2
        if collapsed:
            lines = _summary_lines(group.name, members)
            box = Box(
                f"summary:{group.name}",
                bus_x + space.gap,
                top,
                _box_width(lines),
                _box_height(lines),
                lines,
                "summary",
                index,
            )
            self.boxes.append(box)
            conn_y = box.y + min(0.18, box.h / 2)
            self.segments.append(
                Segment(((bus_x, header.bottom), (bus_x, conn_y)), "bus", group=index)
            )
            veths = tuple(
                self.wire_index[("veth", group.node, m.node, (HOST, a.host_veth))]
                for m in members
                for a in m.attachments
                if a.network == group.name
            )
            self.segments.append(
                Segment(
                    ((bus_x, conn_y), (box.x, conn_y)),
                    "veth",
                    veths,
                    ((bus_x + box.x) / 2, conn_y - 0.03, "center"),
                    index,
                )
            )
            right = max(header.right, box.right) + 0.12
            return _PlacedGroup(index, x, right, box.bottom, header, bus_x, uplink_x, 0.0, ())
        single = [m for m in members if len(m.attachments) <= 1]
        multi = tuple(m for m in members if len(m.attachments) > 1)
        texts = {m.name: container_lines(m, self.topology) for m in members}
        box_w = max((_box_width(t) for t in texts.values()), default=0.0)
        linked = any(link.parent in texts for link in self.topology.links)
        col_w = gap + box_w + (0.45 if linked else 0.0) + 0.25
        columns = max(1, round(math.sqrt(len(single) / 2)))
        rows = math.ceil(len(single) / columns) if single else 0
        bottom = header.bottom
        bus_ends: dict[int, float] = {}
        heights = [0.0] * rows
        for i, member in enumerate(single):
            heights[i % rows] = max(heights[i % rows], _box_height(texts[member.name]))
        row_y = [top]
        for h in heights:
            row_y.append(row_y[-1] + h + space.row_gap)
        for i, member in enumerate(single):
            column, row = divmod(i, rows)
            lines = texts[member.name]
            column_bus = bus_x + column * col_w
            if group.kind != "bridge":
                column_bus = inner_x + column * col_w
            box = Box(
                member.node,
                column_bus + gap,
                row_y[row],
                box_w,
                _box_height(lines),
                lines,
                "container" if member.running else "stopped",
                index,
            )
            self.boxes.append(box)
            bottom = max(bottom, box.bottom)
            if member.attachments and group.kind == "bridge":
                attachment = member.attachments[0]
                conn_y = box.y + 0.12
                bus_ends[column] = max(bus_ends.get(column, 0.0), conn_y)
                key = ("veth", group.node, member.node, (HOST, attachment.host_veth))
                self._wire_segment(
                    ((column_bus, conn_y), (box.x, conn_y)),
                    "veth",
                    key,
                    vertical=False,
                    group=index,
                )
        if group.kind == "bridge":
            bus_top = header.bottom
            last = max(bus_ends, default=0)
            if last > 0:
                hub_y = header.bottom + 0.1
                self.segments.append(
                    Segment(((bus_x, hub_y), (bus_x + last * col_w, hub_y)), "bus", group=index)
                )
            for column, end in sorted(bus_ends.items()):
                column_x = bus_x + column * col_w
                start = bus_top if column == 0 else header.bottom + 0.1
                self.segments.append(
                    Segment(((column_x, start), (column_x, end)), "bus", group=index)
                )
            if not bus_ends:
                self.segments.append(
                    Segment(
                        ((bus_x, header.bottom), (bus_x, header.bottom + 0.1)), "bus", group=index
                    )
                )
        first_x = bus_x + gap if group.kind == "bridge" else inner_x
        right = max(header.right, first_x + (columns - 1) * col_w + box_w) + 0.12
        if linked:
            right += 0.45
        return _PlacedGroup(
            index, x, max(right, x + 1.0), bottom, header, bus_x, uplink_x, box_w, multi
        )

    def _place_links_and_sharers(self) -> None:
        """Draw legacy links as brackets right of the boxes, shared namespaces as dots."""
        boxes = {b.key: b for b in self.boxes}
        nesting: Counter[float] = Counter()
        for link in self.topology.links:
            parent = boxes.get(f"container:{link.parent}")
            child = boxes.get(f"container:{link.child}")
            if parent is None or child is None:
                continue
            key = ("link", f"container:{link.parent}", f"container:{link.child}", None)
            index = self.wire_index.get(key)
            wires_ = () if index is None else (index,)
            py, cy = parent.y + parent.h / 2, child.y + child.h / 2
            if abs(parent.x - child.x) < 1e-6:
                edge = max(parent.right, child.right)
                out = edge + 0.12 + 0.1 * nesting[parent.x]
                nesting[parent.x] += 1
                points: tuple[tuple[float, float], ...] = (
                    (parent.right, py),
                    (out, py),
                    (out, cy),
                    (child.right, cy),
                )
            elif parent.x < child.x:
                points = ((parent.right, py), (child.x, cy))
            else:
                points = ((parent.x, py), (child.right, cy))
            self.segments.append(Segment(points, "link", wires_, group=parent.group))
        for node in self.topology.containers:
            if not node.shares:
                continue
            box = boxes.get(node.node)
            other = boxes.get(f"container:{node.shares}")
            if box is None or other is None:
                continue
            x = min(box.x, other.x) + 0.5 * min(box.w, other.w)
            shared: tuple[tuple[float, float], ...]
            if other.bottom <= box.y:
                shared = ((x, other.bottom), (x, box.y))
            else:
                shared = ((other.x + other.w / 2, other.bottom), (box.x + box.w / 2, box.y))
            self.segments.append(Segment(shared, "netns", group=box.group))

    def _place_multihomed(self, placed: list[_PlacedGroup], y: float) -> float:
        """Place containers on several networks in rows of their own; return the bottom."""
        bottom = y - 0.3
        by_name = {self.topology.groups[g.index].name: g for g in placed}
        for g in placed:
            for member in g.multi:
                lines = container_lines(member, self.topology)
                box = Box(
                    member.node,
                    g.bus_x + self.space.gap,
                    y,
                    max(g.box_w, _box_width(lines)),
                    _box_height(lines),
                    lines,
                    "container",
                    g.index,
                )
                self.boxes.append(box)
                for n, attachment in enumerate(member.attachments):
                    target = by_name[attachment.network]
                    group = self.topology.group(attachment.network)
                    conn_y = box.y + 0.12 + 0.15 * n
                    key = ("veth", group.node, member.node, (HOST, attachment.host_veth))
                    self.segments.append(
                        Segment(
                            ((target.bus_x, target.header.bottom), (target.bus_x, conn_y)),
                            "bus",
                            group=target.index,
                        )
                    )
                    if target is g:
                        points = ((g.bus_x, conn_y), (box.x, conn_y))
                    else:
                        points = ((box.right, conn_y), (target.bus_x, conn_y))
                    self._wire_segment(points, "veth", key, vertical=False, group=target.index)
                y = box.bottom + 0.3
                bottom = box.bottom
        return bottom


@dataclass(frozen=True, slots=True)
class _PlacedGroup:
    index: int
    x: float
    right: float
    bottom: float
    header: Box
    bus_x: float
    uplink_x: float | None
    box_w: float
    multi: tuple[ContainerNode, ...]
