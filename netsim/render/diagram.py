"""Write a scenario's network as a diagram for documentation: Mermaid, Graphviz DOT, SVG, PNG.

A diagram shows the state after the scenario's steps (networks, bridges,
containers with their addresses, published ports, legacy links): the
``Topology`` the session took after replaying them without probes. Mermaid and DOT are
text written here; SVG and PNG are Graphviz's rendering of the DOT text, so
they need ``dot`` on the PATH (``scripts/setup-render-tools.sh`` installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Literal

from netsim.errors import NetsimError
from netsim.render.layout import published_lines
from netsim.render.style import NEUTRAL, group_colour, tint
from netsim.results.topology import ContainerNode, NetworkGroup, Topology

DiagramFormat = Literal["mermaid", "dot", "svg", "png"]
DIAGRAM_FORMATS: tuple[str, ...] = ("mermaid", "dot", "svg", "png")
DOT_TIMEOUT = 60.0  # seconds; Graphviz lays out a 200-container diagram in a few

_MERMAID_ID = re.compile(r"[^A-Za-z0-9_]")


# -- Mermaid --------------------------------------------------------------------------------


def _mid(kind: str, name: str) -> str:
    """Return a Mermaid node id: letters, digits and underscores, with a kind prefix."""
    return f"{kind}_{_MERMAID_ID.sub(lambda m: f'_{ord(m.group()):x}_', name)}"


def _mtext(*lines: str) -> str:
    """Return a quoted Mermaid label; lines joined by <br/>, quotes and markup escaped."""
    escaped = [
        line.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
        for line in lines
    ]
    return '"' + "<br/>".join(escaped) + '"'


def _container_text(node: ContainerNode) -> tuple[str, ...]:
    lines = [node.name, node.image]
    if not node.running:
        lines.append(f"({node.state})")
    lines += [f"{a.ifname} {a.address.ip}" for a in node.attachments]
    return tuple(lines)


def _group_title(group: NetworkGroup) -> str:
    if group.kind != "bridge":
        return f"network {group.name}"
    flags = group.flags
    flag_text = f" ({', '.join(flags)})" if flags else ""
    return f"network {group.name}{flag_text} · {group.subnet}"


def _bridge_text(group: NetworkGroup) -> tuple[str, ...]:
    if group.kind == "host":
        return ("host network", "the host's own stack")
    if group.kind == "none":
        return ("no network", "loopback only")
    if group.missing:
        return (f"no such {group.missing}", "attached to nothing")
    return (group.bridge, f"gateway {group.gateway}")


def format_mermaid(topology: Topology) -> str:
    """Return a Mermaid flowchart of the topology (renders in Markdown viewers)."""
    out = [
        f"%% {topology.scenario}: network after the steps (Docker {topology.engine}, netsim)",
        "flowchart TB",
        f"  lan([{_mtext(f'LAN {topology.lan}')}])",
    ]
    for machine in topology.machines:
        lines = [machine.name, str(machine.address.ip)]
        if machine.listen:
            lines.append("listens " + " ".join(machine.listen))
        out.append(f"  {_mid('m', machine.name)}[{_mtext(*lines)}] --- lan")
    host_lines = ["host", f"eth0 {topology.host_address.ip}"]
    if topology.host_listen:
        host_lines.append("listens " + " ".join(topology.host_listen))
    out.append(f"  lan --- host{{{{{_mtext(*host_lines)}}}}}")
    for index, group in enumerate(topology.groups):
        out.append(f"  subgraph {_mid('g', group.name)}[{_mtext(_group_title(group))}]")
        out.append("    direction TB")
        out.append(f"    {_mid('b', group.name)}[[{_mtext(*_bridge_text(group))}]]")
        for node in topology.members(group.name):
            shape = f"[{_mtext(*_container_text(node))}]"
            out.append(f"    {_mid('c', node.name)}{shape}")
        out.append("  end")
        colour = group_colour(index)
        out.append(f"  style {_mid('g', group.name)} fill:{tint(colour, 0.1)},stroke:{colour}")
    for group in topology.groups:
        if group.kind == "bridge":
            out.append(f"  host --- {_mid('b', group.name)}")
        elif group.kind == "host":
            out.append(f"  host -.- {_mid('b', group.name)}")
    for node in topology.containers:
        cid = _mid("c", node.name)
        for attachment in node.attachments:
            label = _mtext(f"{attachment.ifname} {attachment.address.ip}")
            out.append(f"  {_mid('b', attachment.network)} ---|{label}| {cid}")
        if node.shares:
            out.append(f"  {_mid('c', node.shares)} -.-|{_mtext('shares netns')}| {cid}")
        elif not node.attachments:
            out.append(f"  {_mid('b', node.group)} ~~~ {cid}")
        for line in published_lines(node.published):
            host_side = line.split(" → ")[0]
            port = line.rsplit(":", 1)[1]
            out.append(f"  host ==>|{_mtext(f'{host_side} → {port}')}| {cid}")
    for link in topology.links:
        out.append(
            f"  {_mid('c', link.parent)} -.->|{_mtext(f'--link {link.alias}')}| "
            f"{_mid('c', link.child)}"
        )
    stopped = [_mid("c", n.name) for n in topology.containers if not n.running]
    out.append("  classDef stopped stroke-dasharray: 4 3,color:#666666")
    if stopped:
        out.append(f"  class {','.join(stopped)} stopped")
    return "\n".join(out) + "\n"


# -- Graphviz DOT ---------------------------------------------------------------------------


def _dq(text: str) -> str:
    """Return a DOT double-quoted string; lines joined by DOT's centred newline."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def format_dot(topology: Topology) -> str:
    """Return a Graphviz DOT digraph of the topology; one cluster per network."""
    title = f"{topology.scenario}: network after the steps (Docker {topology.engine}, netsim)"
    out = [
        f"digraph {_dq(topology.scenario)} {{",
        f'  graph [label={_dq(title)}, labelloc=t, fontname="DejaVu Sans", fontsize=14,',
        "         rankdir=TB, newrank=true, nodesep=0.35, ranksep=0.45];",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="DejaVu Sans",'
        " fontsize=10];",
        '  edge [dir=none, fontname="DejaVu Sans", fontsize=9];',
        f'  lan [label={_dq(f"LAN {topology.lan}")}, shape=box, style="filled",'
        ' fillcolor="#333333", fontcolor=white, height=0.25];',
    ]
    for machine in topology.machines:
        lines = [machine.name, str(machine.address.ip)]
        if machine.listen:
            lines.append("listens " + " ".join(machine.listen))
        out.append(
            f"  {_dq('machine:' + machine.name)} [label={_dq(chr(10).join(lines))},"
            ' fillcolor="#F2F2F2"];'
        )
        out.append(f"  {_dq('machine:' + machine.name)} -> lan;")
    host_lines = ["host", f"eth0 {topology.host_address.ip}"]
    if topology.host_listen:
        host_lines.append("listens " + " ".join(topology.host_listen))
    out.append(f"  host [label={_dq(chr(10).join(host_lines))}, shape=box3d];")
    out.append("  lan -> host;")
    for index, group in enumerate(topology.groups):
        colour = group_colour(index)
        out.append(f"  subgraph {_dq(f'cluster_{index}')} {{")
        out.append(
            f'    label={_dq(_group_title(group))}; fontsize=11; style="rounded,filled"; '
            f"color={_dq(colour)}; fillcolor={_dq(tint(colour, 0.1))};"
        )
        out.append(
            f"    {_dq(group.node)} [label={_dq(chr(10).join(_bridge_text(group)))}, "
            f"shape=box, fillcolor={_dq(tint(colour, 0.3))}];"
        )
        for node in topology.members(group.name):
            style = "rounded,filled" if node.running else "rounded,filled,dashed"
            out.append(
                f"    {_dq(node.node)} [label={_dq(chr(10).join(_container_text(node)))},"
                f" style={_dq(style)}, color={_dq(colour)}];"
            )
        out.append("  }")
    for group in topology.groups:
        if group.kind == "bridge":
            out.append(f"  host -> {_dq(group.node)};")
        elif group.kind == "host":
            out.append(f"  host -> {_dq(group.node)} [style=dotted];")
    for node in topology.containers:
        for attachment in node.attachments:
            bridge = topology.group(attachment.network).node
            label = f"{attachment.ifname} {attachment.address.ip}"
            out.append(f"  {_dq(bridge)} -> {_dq(node.node)} [label={_dq(label)}];")
        if node.shares:
            out.append(
                f"  {_dq('container:' + node.shares)} -> {_dq(node.node)} "
                '[style=dotted, label="shares netns"];'
            )
        elif not node.attachments:
            out.append(
                f"  {_dq(topology.group(node.group).node)} -> {_dq(node.node)} [style=invis];"
            )
        for line in published_lines(node.published):
            host_side, target = line.split(" → ")
            label = f"{host_side} → {target.rsplit(':', 1)[1]}"
            out.append(
                f'  host -> {_dq(node.node)} [dir=forward, color="#E69F00", '
                f'fontcolor="#9A6A00", penwidth=1.6, constraint=false, '
                f"label={_dq(label)}];"
            )
    for link in topology.links:
        out.append(
            f"  {_dq('container:' + link.parent)} -> {_dq('container:' + link.child)} "
            f"[dir=forward, style=dashed, constraint=false, "
            f"label={_dq('--link ' + link.alias)}, color={_dq(NEUTRAL)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


def find_dot() -> str | None:
    """Return the path of Graphviz's ``dot``, if it is installed."""
    return shutil.which("dot")


def render_dot(text: str, fmt: Literal["svg", "png"]) -> bytes:
    """Return DOT text rendered by Graphviz as SVG or PNG.

    Raises:
        NetsimError: ``dot`` is not installed, or it rejects the text.
    """
    dot = find_dot()
    if dot is None:
        raise NetsimError(
            f"--format {fmt} needs Graphviz's dot on the PATH (apt-get install graphviz, or "
            "scripts/setup-render-tools.sh); --format dot and --format mermaid need nothing"
        )
    done = subprocess.run(
        [dot, f"-T{fmt}"],
        input=text.encode(),
        capture_output=True,
        timeout=DOT_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise NetsimError(f"Graphviz's dot failed on the diagram: {message}")
    return done.stdout


def format_diagram(topology: Topology, fmt: DiagramFormat) -> bytes:
    """Return the diagram of a topology in a format, as bytes ready to write."""
    if fmt == "mermaid":
        return format_mermaid(topology).encode()
    if fmt == "dot":
        return format_dot(topology).encode()
    if fmt in ("svg", "png"):
        return render_dot(format_dot(topology), fmt)
    raise ValueError(
        f"unknown diagram format {fmt!r}; expected one of {', '.join(DIAGRAM_FORMATS)}"
    )


def write_diagram(topology: Topology, fmt: DiagramFormat, out: Path | None = None) -> bytes:
    """Return the diagram of a topology (and write it to ``out`` if given)."""
    data = format_diagram(topology, fmt)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    return data
