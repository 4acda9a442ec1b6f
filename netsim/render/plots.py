"""Draw topology, traffic and reachability pictures with matplotlib, headless.

Only this module imports matplotlib, and only the figure and the Agg canvas:
no pyplot, no global backend, no window. Output is deterministic: layouts are
grids (``layout``), fonts are the ones matplotlib ships, SVG ids come from a
fixed hash salt and no date is written; PNG metadata says only ``netsim``.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from netsim.render.layout import (
    FONT_SIZE,
    LINE_SPACING,
    NAME_GAP,
    PAD,
    SMALL_SIZE,
    Layout,
    layout_topology,
    text_size,
)
from netsim.render.style import (
    DPI,
    FONT_FAMILY,
    HIGHLIGHT,
    LAN_COLOUR,
    NEUTRAL,
    PUBLISHED_COLOUR,
    RESULT_STYLES,
    group_colour,
    result_style,
    tint,
)
from netsim.render.topology import wires
from netsim.render.traffic import build_traffic, probe_path
from netsim.results.reach import (
    LAN_GROUP,
    PUBLISHED_GROUP,
    AggregateMatrix,
    GroupedMatrix,
    aggregate,
)
from netsim.results.run import Pictures

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from netsim.render.traffic import ProbePath, Traffic
    from netsim.results.topology import Topology

Format = Literal["png", "svg"]
FORMATS: tuple[str, ...] = ("png", "svg")
SVG_SALT = "netsim"


@contextmanager
def _style() -> Iterator[None]:
    """Apply netsim's fixed matplotlib settings for the duration of a drawing."""
    with mpl.rc_context(
        {
            "font.family": FONT_FAMILY,
            "font.size": FONT_SIZE,
            "svg.hashsalt": SVG_SALT,
            "svg.fonttype": "path",
            "path.simplify": False,
            "axes.unicode_minus": False,
        }
    ):
        yield


def _page(width: float, height: float) -> tuple[Figure, Axes]:
    """Return a figure whose data coordinates are inches from the top-left corner."""
    figure = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    return figure, axes


def save_figure(figure: Figure, out: Path, fmt: Format) -> Path:
    """Write a figure as PNG or SVG, byte-stable for the same picture; return the path."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown picture format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    metadata: dict[str, Any] = (
        {"Date": None, "Creator": "netsim"} if fmt == "svg" else {"Software": "netsim"}
    )
    with _style():
        figure.savefig(out, format=fmt, dpi=DPI, metadata=metadata)
    return out


def figure_svg(figure: Figure) -> str:
    """Return a figure as SVG text, byte-stable for the same picture (1 unit = 1 pt)."""
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format="svg", dpi=DPI, metadata={"Date": None, "Creator": "netsim"})
    return buffer.getvalue().decode("utf-8")


# -- topology and traffic -------------------------------------------------------------------

_BOX_STYLE = {
    # style: (face, edge, line style)
    "machine": ("#F2F2F2", NEUTRAL, "solid"),
    "host": ("#FFFFFF", "#000000", "solid"),
    "ports": ("#F7F1EA", PUBLISHED_COLOUR, "solid"),
    "bridge": ("#FFFFFF", None, "solid"),
    "group-header": ("#FFFFFF", None, "solid"),
    "container": ("#FFFFFF", None, "solid"),
    "stopped": ("#F4F4F4", "#999999", "dashed"),
    "summary": ("#FFFFFF", None, "solid"),
}

LEGEND = (
    ("lan", "LAN cable"),
    ("veth", "veth pair (bridge port ⇄ eth)"),
    ("link", "legacy --link"),
    ("netns", "shared namespace"),
)


def _segment_style(style: str, colour: str) -> dict[str, Any]:
    if style == "lan-bus":
        return {"color": LAN_COLOUR, "linewidth": 3.0}
    if style == "lan":
        return {"color": LAN_COLOUR, "linewidth": 1.4}
    if style in ("bus", "uplink"):
        return {"color": colour, "linewidth": 2.0}
    if style == "veth":
        return {"color": colour, "linewidth": 1.3}
    if style == "link":
        return {"color": "#000000", "linewidth": 1.1, "linestyle": (0, (4, 2.5))}
    return {"color": NEUTRAL, "linewidth": 1.2, "linestyle": (0, (1, 2))}


def _draw_boxes(axes: Axes, layout: Layout) -> None:
    for area in layout.groups:
        if area.style == "host-area":
            axes.add_patch(
                FancyBboxPatch(
                    (area.x, area.y),
                    area.w,
                    area.h,
                    boxstyle="round,pad=0,rounding_size=0.08",
                    facecolor="#FAFAFA",
                    edgecolor="#888888",
                    linewidth=1.0,
                    zorder=0,
                )
            )
        else:
            colour = group_colour(area.group)
            axes.add_patch(
                FancyBboxPatch(
                    (area.x, area.y),
                    area.w,
                    area.h,
                    boxstyle="round,pad=0,rounding_size=0.06",
                    facecolor=tint(colour, 0.10),
                    edgecolor=tint(colour, 0.6),
                    linewidth=1.0,
                    zorder=0.5,
                )
            )
    for box in layout.boxes:
        face, edge, linestyle = _BOX_STYLE[box.style]
        colour = group_colour(box.group)
        axes.add_patch(
            FancyBboxPatch(
                (box.x, box.y),
                box.w,
                box.h,
                boxstyle="round,pad=0,rounding_size=0.04",
                facecolor=face if box.style != "bridge" else tint(colour, 0.25),
                edgecolor=edge or colour,
                linewidth=1.1,
                linestyle=linestyle,
                zorder=3,
            )
        )
        ink = "#666666" if box.style == "stopped" else "#000000"
        axes.text(
            box.x + PAD,
            box.y + PAD,
            box.lines[0],
            ha="left",
            va="top",
            fontsize=FONT_SIZE,
            fontweight="bold",
            color=ink,
            zorder=4,
        )
        if len(box.lines) > 1:
            first = LINE_SPACING * FONT_SIZE / 72 + NAME_GAP
            axes.text(
                box.x + PAD,
                box.y + PAD + first,
                "\n".join(box.lines[1:]),
                ha="left",
                va="top",
                fontsize=FONT_SIZE,
                color=ink,
                zorder=4,
                linespacing=LINE_SPACING,
            )


def _draw_segments(
    axes: Axes,
    layout: Layout,
    widths: dict[int, float] | None = None,
    highlight: frozenset[int] = frozenset(),
) -> None:
    for segment in layout.segments:
        colour = group_colour(segment.group)
        style = _segment_style(segment.style, colour)
        lit = any(w in highlight for w in segment.wires)
        if widths is not None and segment.wires and segment.style in ("lan", "uplink", "veth"):
            style["linewidth"] = max(widths.get(w, 0.0) for w in segment.wires)
            if style["linewidth"] == 0.0:
                style.update(linewidth=0.8, linestyle=(0, (1, 1.5)), color="#AAAAAA")
        if lit:
            style.update(color=HIGHLIGHT, linewidth=max(style["linewidth"], 3.0), linestyle="-")
        xs = [p[0] for p in segment.points]
        ys = [p[1] for p in segment.points]
        zorder = 2.5 if lit else 2
        if segment.style == "link":
            for (x0, y0), (x1, y1) in zip(segment.points[:-2], segment.points[1:-1], strict=True):
                axes.plot([x0, x1], [y0, y1], zorder=zorder, solid_capstyle="butt", **style)
            arrow = FancyArrowPatch(
                segment.points[-2],
                segment.points[-1],
                arrowstyle="-|>",
                mutation_scale=9,
                shrinkA=0,
                shrinkB=0,
                zorder=zorder,
                **style,
            )
            axes.add_patch(arrow)
            continue
        axes.plot(xs, ys, zorder=zorder, solid_capstyle="butt", **style)
        if segment.style == "veth":
            axes.plot(
                [xs[0]], [ys[0]], marker="o", markersize=3.2, zorder=zorder, color=style["color"]
            )


def _draw_labels(axes: Axes, layout: Layout) -> None:
    for label in layout.labels:
        axes.text(
            label.x,
            label.y,
            label.text,
            ha=label.ha,
            va=label.va,
            fontsize=label.size,
            fontweight=label.weight,
            zorder=4,
        )


def _legend_row(axes: Axes, y: float, width: float, entries: tuple[tuple[str, str], ...]) -> float:
    """Draw line samples (none for style "") with their meaning; return the y below."""
    x = 0.3
    row_h = LINE_SPACING * FONT_SIZE / 72 + 0.08
    for style, text in entries:
        sample = 0.45 if style else 0.0
        text_w = text_size((text,))[0]
        if x + sample + text_w > width - 0.3 and x > 0.3:
            x, y = 0.3, y + row_h
        if style:
            line = _segment_style(style, group_colour(0))
            axes.plot([x, x + 0.35], [y, y], **line)
        axes.text(x + sample, y, text, ha="left", va="center", fontsize=FONT_SIZE)
        x += sample + text_w + 0.35
    return y + row_h


def draw_topology(topology: Topology) -> Figure:
    """Return the topology picture: LAN, host, bridges, veth pairs, containers, links."""
    layout = layout_topology(topology)
    with _style():
        figure, axes = _page(layout.width, layout.notes_y + 0.45)
        _draw_boxes(axes, layout)
        _draw_segments(axes, layout)
        _draw_labels(axes, layout)
        entries: tuple[tuple[str, str], ...] = LEGEND
        if layout.collapsed:
            entries += (("veth", f"collapsed: {', '.join(layout.collapsed)}"),)
        _legend_row(axes, layout.notes_y + 0.1, layout.width, entries)
    return figure


def _traffic_text(packets: int, size_bytes: int) -> str:
    return f"{packets} pkt · {_bytes_text(size_bytes)}"


def _bytes_text(size_bytes: int) -> str:
    if size_bytes < 1000:
        return f"{size_bytes} B"
    if size_bytes < 1_000_000:
        return f"{size_bytes / 1000:.1f} kB"
    return f"{size_bytes / 1_000_000:.1f} MB"


def _traffic_width(packets: int, most: int) -> float:
    if packets == 0:
        return 0.0
    return 1.0 + 4.0 * math.log1p(packets) / math.log1p(max(most, 1))


def draw_traffic(topology: Topology, traffic: Traffic, path: ProbePath | None = None) -> Figure:
    """Return the traffic picture: each wire as wide as its packets, labelled with its counts.

    With ``path``, that probe's wires are highlighted and its NAT steps listed.
    """
    per_wire = traffic.per_wire(wires(topology))
    # A collapsed group's connector carries the sum of its veths: the total bounds it.
    total = _traffic_text(
        sum(p for p, _ in per_wire.values()), sum(b for _, b in per_wire.values())
    )
    widest = max([len(_traffic_text(p, b)) for p, b in per_wire.values()] + [len(total)])
    layout = layout_topology(topology, traffic=True, label_chars=max(widest, 14))
    most = max((p for p, _ in per_wire.values()), default=0)
    widths = {index: _traffic_width(p, most) for index, (p, _) in per_wire.items()}
    lit = frozenset(path.wires(layout.wires)) if path is not None else frozenset()
    notes: list[str] = []
    if path is not None:
        notes.append(f"probe {path.probe}: {path.result}")
        notes += [f"  {i}. {note.text}" for i, note in enumerate(path.nat, start=1)]
        if path.died_at:
            notes += textwrap.wrap(
                f"X stopped at {path.died_at}: {path.why}",
                width=110,
                initial_indent="  ",
                subsequent_indent="     ",
            )
    total_packets = sum(p for p, _ in per_wire.values())
    what = (
        f"probe {path.probe}"
        if path is not None
        else "the run's probes and commands (push, pull, wget)"
    )
    title_note = f"frames of {what}: {total_packets} wire crossings; dotted: none"
    notes_h = (len(notes) + 2) * LINE_SPACING * FONT_SIZE / 72 + 0.3
    width = max(layout.width, text_size(tuple(notes) or ("",))[0] + 0.7)
    with _style():
        figure, axes = _page(width, layout.notes_y + 0.45 + notes_h)
        _draw_boxes(axes, layout)
        _draw_segments(axes, layout, widths, lit)
        _draw_labels(axes, layout)
        for segment in layout.segments:
            if not segment.wires or segment.label_at is None:
                continue
            if segment.style not in ("lan", "uplink", "veth"):
                continue
            packets = sum(per_wire.get(w, (0, 0))[0] for w in segment.wires)
            size = sum(per_wire.get(w, (0, 0))[1] for w in segment.wires)
            if packets == 0:
                continue
            x, y, ha = segment.label_at
            axes.text(
                x,
                y,
                _traffic_text(packets, size),
                ha=ha,
                va="bottom" if ha == "center" else "center",
                fontsize=SMALL_SIZE,
                color=HIGHLIGHT if any(w in lit for w in segment.wires) else "#000000",
                zorder=5,
            )
        if path is not None:
            for i, note in enumerate(path.nat, start=1):
                box = _box_for_node(layout, note.node)
                if box is not None:
                    axes.text(
                        box.right,
                        box.y,
                        f"{i}",
                        ha="center",
                        va="center",
                        fontsize=SMALL_SIZE,
                        fontweight="bold",
                        color="white",
                        zorder=6,
                        bbox={
                            "boxstyle": "circle,pad=0.25",
                            "facecolor": HIGHLIGHT,
                            "edgecolor": "none",
                        },
                    )
            if path.died_at:
                _mark_stop(axes, layout, path.died_at)
        y = _legend_row(
            axes,
            layout.notes_y + 0.1,
            width,
            (("veth", "width grows with log(packets)"), ("", title_note)),
        )
        if notes:
            axes.text(
                0.3,
                y,
                "\n".join(notes),
                ha="left",
                va="top",
                fontsize=FONT_SIZE,
                color=HIGHLIGHT,
                linespacing=LINE_SPACING,
            )
    return figure


def _mark_stop(axes: Axes, layout: Layout, node: str) -> None:
    """Mark the box where a probe that did not get through was stopped: a red X."""
    box = _box_for_node(layout, node)
    if box is None:
        return
    axes.text(
        box.x,
        box.y,
        "X",
        ha="center",
        va="center",
        fontsize=SMALL_SIZE,
        fontweight="bold",
        color="white",
        zorder=6,
        bbox={"boxstyle": "square,pad=0.25", "facecolor": STOP_COLOUR, "edgecolor": "none"},
    )


STOP_COLOUR = "#D55E00"


def _box_for_node(layout: Layout, node: str) -> Any:
    for key in (node, f"container:{node}", f"machine:{node}"):
        for box in layout.boxes:
            if box.key == key:
                return box
    return None


# -- reachability ---------------------------------------------------------------------------

CELL = 0.26  # inches per matrix cell
MATRIX_LIMIT = 40


def draw_reachability(matrix: GroupedMatrix, *, limit: int = MATRIX_LIMIT) -> Figure:
    """Return the reachability matrix; beyond ``limit`` rows or columns, one cell per group pair."""
    if len(matrix.sources) > limit or len(matrix.destinations) > limit:
        return _draw_aggregate(aggregate(matrix))
    rows = [s.name for s in matrix.sources]
    columns = [d.label for d in matrix.destinations]
    row_groups = [s.group for s in matrix.sources]
    column_groups = [d.group for d in matrix.destinations]
    label_w = text_size(tuple(rows) or ("",))[0] + 0.25
    column_h = text_size(tuple(columns) or ("",))[0] + 0.25
    grid_w, grid_h = CELL * len(columns), CELL * len(rows)
    title = f"{matrix.scenario} — who reaches what (after the steps)"
    width = max(0.3 + label_w + 0.2 + grid_w + 0.4, text_size((title,), 11)[0] + 0.6, 4.5)
    names = list(dict.fromkeys(row_groups + column_groups))
    groups_h = _group_key_height(names, width)
    left, top = 0.3 + label_w + 0.2, 0.75 + groups_h + column_h + 0.25
    legend_top = top + grid_h + 0.35
    height = legend_top + _legend_height(width) + 0.2
    with _style():
        figure, axes = _page(width, height)
        axes.text(0.3, 0.3, title, fontsize=11, fontweight="bold", va="top")
        axes.text(
            0.3,
            0.55,
            "rows: sources · columns: destinations, grouped by network",
            fontsize=FONT_SIZE,
            va="top",
            color=NEUTRAL,
        )
        _group_key(axes, names, matrix.networks, 0.3, 0.78, width)
        _group_bands(axes, left, top, row_groups, column_groups, grid_w, grid_h, matrix.networks)
        _axis_labels(axes, rows, columns, left, top, CELL, 0.1)
        for i, row in enumerate(matrix.results):
            for j, result in enumerate(row):
                style = result_style(result)
                x, y = left + j * CELL, top + i * CELL
                axes.add_patch(
                    Rectangle(
                        (x, y),
                        CELL,
                        CELL,
                        facecolor=style.colour,
                        edgecolor="white",
                        linewidth=1.0,
                        zorder=2,
                    )
                )
                axes.text(
                    x + CELL / 2,
                    y + CELL / 2,
                    style.mark,
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=style.ink,
                    zorder=3,
                )
        _result_legend(axes, 0.3, legend_top, width)
    return figure


def _axis_labels(
    axes: Any,
    rows: list[str],
    columns: list[str],
    left: float,
    top: float,
    cell: float,
    gap: float,
) -> None:
    """Write a matrix's row names left of it and its column names above it, turned upright."""
    for i, name in enumerate(rows):
        axes.text(
            left - gap, top + (i + 0.5) * cell, name, ha="right", va="center", fontsize=FONT_SIZE
        )
    for j, name in enumerate(columns):
        axes.text(
            left + (j + 0.5) * cell,
            top - gap,
            name,
            ha="center",
            va="bottom",
            rotation=90,
            fontsize=FONT_SIZE,
        )


def _group_key_entries(names: list[str], width: float) -> list[tuple[str, float, int]]:
    """Return (name, x, row) of each group's key entry, wrapped to the page width."""
    entries: list[tuple[str, float, int]] = []
    x, row = 0.3 + text_size(("networks:",))[0] + 0.15, 0
    for name in names:
        entry_w = 0.22 + text_size((name,))[0] + 0.3
        if x + entry_w > width - 0.3 and entries:
            x, row = 0.3 + text_size(("networks:",))[0] + 0.15, row + 1
        entries.append((name, x, row))
        x += entry_w
    return entries


def _group_key_height(names: list[str], width: float) -> float:
    rows = max((row for _, _, row in _group_key_entries(names, width)), default=0) + 1
    return rows * 0.22


def _network_colour(name: str, networks: tuple[str, ...]) -> str:
    """Return a group's colour: the topology's colour of a network, or the LAN's or ports'."""
    if name == LAN_GROUP:
        return LAN_COLOUR
    if name == PUBLISHED_GROUP:
        return PUBLISHED_COLOUR
    return group_colour(networks.index(name) if name in networks else -1)


def _group_key(
    axes: Axes, names: list[str], networks: tuple[str, ...], x: float, y: float, width: float
) -> None:
    """Draw which colour stands for which group (network) on the matrix's bands."""
    axes.text(x, y + 0.08, "networks:", ha="left", va="center", fontsize=FONT_SIZE, color=NEUTRAL)
    for name, entry_x, row in _group_key_entries(names, width):
        entry_y = y + row * 0.22
        axes.add_patch(
            Rectangle(
                (entry_x, entry_y),
                0.16,
                0.16,
                facecolor=_network_colour(name, networks),
                edgecolor="none",
            )
        )
        axes.text(entry_x + 0.22, entry_y + 0.08, name, ha="left", va="center", fontsize=FONT_SIZE)


def _group_bands(
    axes: Axes,
    left: float,
    top: float,
    row_groups: list[str],
    column_groups: list[str],
    grid_w: float,
    grid_h: float,
    networks: tuple[str, ...],
) -> None:
    """Draw a coloured band and a separator for each run of the same group."""
    for runs, vertical in ((_runs(row_groups), False), (_runs(column_groups), True)):
        for name, start, end in runs:
            colour = _network_colour(name, networks)
            if vertical:
                axes.add_patch(
                    Rectangle(
                        (left + start * CELL, top - 0.08),
                        (end - start) * CELL,
                        0.06,
                        facecolor=colour,
                        edgecolor="none",
                    )
                )
                if start:
                    axes.plot(
                        [left + start * CELL] * 2,
                        [top - 0.08, top + grid_h],
                        color="#000000",
                        linewidth=1.2,
                        zorder=4,
                    )
            else:
                axes.add_patch(
                    Rectangle(
                        (left - 0.08, top + start * CELL),
                        0.06,
                        (end - start) * CELL,
                        facecolor=colour,
                        edgecolor="none",
                    )
                )
                if start:
                    axes.plot(
                        [left - 0.08, left + grid_w],
                        [top + start * CELL] * 2,
                        color="#000000",
                        linewidth=1.2,
                        zorder=4,
                    )


def _runs(groups: list[str]) -> list[tuple[str, int, int]]:
    runs: list[tuple[str, int, int]] = []
    for i, name in enumerate(groups):
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1], i + 1)
        else:
            runs.append((name, i, i + 1))
    return runs


def _legend_entries() -> list[tuple[str, str, str, str]]:
    seen: dict[str, tuple[str, str, str, str]] = {}
    for style in RESULT_STYLES:
        seen.setdefault(
            style.colour + style.mark, (style.colour, style.mark, style.ink, style.meaning)
        )
    return list(seen.values())


def _legend_height(width: float) -> float:
    return (len(_legend_entries()) + 1) * 0.24


def _result_legend(axes: Axes, x: float, y: float, width: float) -> float:
    """Draw the results' colours, marks and meanings; return the y below."""
    axes.text(x, y, "legend (colour and mark):", fontsize=FONT_SIZE, fontweight="bold", va="top")
    y += 0.24
    entries = [(c, m, i, t) for c, m, i, t in _legend_entries()]
    for colour, mark, ink, meaning in entries:
        axes.add_patch(
            Rectangle((x, y), 0.2, 0.2, facecolor=colour, edgecolor="#888888", linewidth=0.6)
        )
        axes.text(x + 0.1, y + 0.1, mark, ha="center", va="center", fontsize=9, color=ink)
        axes.text(x + 0.3, y + 0.1, meaning, ha="left", va="center", fontsize=FONT_SIZE)
        y += 0.24
    return y


def _draw_aggregate(matrix: AggregateMatrix) -> Figure:
    """Return the aggregated matrix: one cell per pair of groups, striped by result share."""
    rows = [f"{name} ({count})" for name, count in matrix.row_groups]
    columns = [f"{name} ({count})" for name, count in matrix.column_groups]
    cell = 0.75
    label_w = text_size(tuple(rows) or ("",))[0] + 0.25
    column_h = text_size(tuple(columns) or ("",))[0] + 0.25
    grid_w, grid_h = cell * len(columns), cell * len(rows)
    left, top = 0.3 + label_w + 0.2, 0.95 + column_h + 0.2
    width = max(left + grid_w + 0.4, 7.2)
    legend_top = top + grid_h + 0.35
    height = legend_top + _legend_height(width) + 0.2
    with _style():
        figure, axes = _page(width, height)
        axes.text(
            0.3,
            0.3,
            f"{matrix.scenario} — who reaches what, by network",
            fontsize=11,
            fontweight="bold",
            va="top",
        )
        axes.text(
            0.3,
            0.55,
            f"{matrix.sources} sources × {matrix.destinations} destinations, "
            "aggregated: each cell shows its results' shares, its mark the largest",
            fontsize=FONT_SIZE,
            va="top",
            color=NEUTRAL,
        )
        _axis_labels(axes, rows, columns, left, top, cell, 0.14)
        for i in range(len(rows)):
            colour = _network_colour(matrix.row_groups[i][0], matrix.networks)
            axes.add_patch(
                Rectangle(
                    (left - 0.09, top + i * cell + 0.04),
                    0.06,
                    cell - 0.08,
                    facecolor=colour,
                    edgecolor="none",
                )
            )
        for j in range(len(columns)):
            colour = _network_colour(matrix.column_groups[j][0], matrix.networks)
            axes.add_patch(
                Rectangle(
                    (left + j * cell + 0.04, top - 0.09),
                    cell - 0.08,
                    0.06,
                    facecolor=colour,
                    edgecolor="none",
                )
            )
        for i, row in enumerate(matrix.cells):
            for j, counts in enumerate(row):
                x, y = left + j * cell, top + i * cell
                total = sum(n for _, n in counts)
                offset = 0.0
                for result, n in counts:
                    share = cell * n / total if total else 0.0
                    axes.add_patch(
                        Rectangle(
                            (x + offset, y),
                            share,
                            cell,
                            facecolor=result_style(result).colour,
                            edgecolor="none",
                            zorder=2,
                        )
                    )
                    offset += share
                axes.add_patch(
                    Rectangle(
                        (x, y),
                        cell,
                        cell,
                        facecolor="none",
                        edgecolor="white",
                        linewidth=1.5,
                        zorder=3,
                    )
                )
                if total:
                    result, n = max(counts, key=lambda item: item[1])
                    style = result_style(result)
                    axes.text(
                        x + cell / 2,
                        y + cell / 2,
                        f"{style.mark}\n{n}/{total}",
                        ha="center",
                        va="center",
                        fontsize=SMALL_SIZE,
                        zorder=4,
                        color="#000000",
                        linespacing=1.1,
                        bbox={
                            "boxstyle": "round,pad=0.15",
                            "facecolor": "white",
                            "edgecolor": "none",
                            "alpha": 0.85,
                        },
                    )
        _result_legend(axes, 0.3, legend_top, width)
    return figure


# -- files ----------------------------------------------------------------------------------


def plot_topology(topology: Topology, out: Path, fmt: Format = "png") -> Path:
    """Write the topology picture; return its path."""
    return save_figure(draw_topology(topology), out, fmt)


def plot_traffic(
    topology: Topology,
    traffic: Traffic,
    out: Path,
    fmt: Format = "png",
    path: ProbePath | None = None,
) -> Path:
    """Write the traffic picture (with one probe's path highlighted); return its path."""
    return save_figure(draw_traffic(topology, traffic, path), out, fmt)


def plot_reachability(matrix: GroupedMatrix, out: Path, fmt: Format = "png") -> Path:
    """Write the reachability matrix; return its path."""
    return save_figure(draw_reachability(matrix), out, fmt)


def plot_all(pictures: Pictures, out_dir: Path, fmt: Format = "png") -> list[Path]:
    """Write the topology, matrix and traffic pictures of a run, and one per probe path.

    Each of ``pictures.paths`` gets a traffic picture of its own with its
    path highlighted. Returns the paths written, in order.
    """
    topology = pictures.topology
    name = topology.scenario
    written = [plot_topology(topology, out_dir / f"{name}-topology.{fmt}", fmt)]
    written.append(plot_reachability(pictures.matrix, out_dir / f"{name}-reach.{fmt}", fmt))
    traffic = build_traffic(pictures.run.steps)
    written.append(plot_traffic(topology, traffic, out_dir / f"{name}-traffic.{fmt}", fmt))
    for number, record in enumerate(pictures.paths, start=1):
        path = probe_path(record)
        written.append(
            plot_traffic(
                topology, path.traffic, out_dir / f"{name}-probe-{number}.{fmt}", fmt, path
            )
        )
    return written
