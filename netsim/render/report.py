"""Write a run as one self-contained HTML page: transcript, pictures, and probes to step through.

The page needs nothing but itself: the style and the script are inline, the
topology and reachability pictures are the matplotlib drawings
(``plots.draw_topology``, ``plots.draw_reachability``) inlined as SVG, and no
address outside the page appears in it (the SVG's XML prolog, DOCTYPE,
metadata and namespace declarations are left out; HTML does not need them).

Every probe of the transcript is a button. It opens the probe's hops: its
trace cut where the packet moves to another node (a run of events on one
node is one hop), each with the frames that came in and went out, the
packet's headers before and after every NAT, the chain walks with the rule
that gave each verdict, and the event that decided the outcome
(``decision``). Stepping through the hops (buttons or the arrow keys)
highlights the hop's node and the wires its frames crossed on the topology,
over the picture: the layout (``layout_topology``) gives every box and wire
in inches, and the SVG is drawn at 72 units an inch.

The same run gives the same bytes: no clock, no random ids.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from netsim.dataplane.trace import (
    BridgeDecision,
    ChainWalk,
    FrameEvent,
    NatEvent,
    TraceEvent,
    flow_text,
)
from netsim.render.decision import deciding_index, decision_text, event_text, rule_text
from netsim.render.layout import Layout, layout_topology
from netsim.render.plots import draw_reachability, draw_topology, figure_svg
from netsim.render.trace import brief_lines
from netsim.render.transcript import format_step
from netsim.results.run import Pictures, ProbeRecord, Run
from netsim.results.topology import HOST, Topology

POINTS_PER_INCH = 72.0
LAN_NODE = "lan"  # the trace's name for the LAN switch


@dataclass(frozen=True, slots=True)
class Hop:
    """A run of a probe's trace events on one node: what the report shows as one step.

    ``boxes`` and ``segments`` are indexes into the topology layout's boxes
    and segments to highlight; ``deciding`` is the index in ``events`` of the
    event that decided the probe's outcome, when this hop holds it.
    """

    node: str
    time: float
    events: tuple[TraceEvent, ...]
    boxes: tuple[int, ...]
    segments: tuple[int, ...]
    deciding: int | None = None

    @property
    def decides(self) -> bool:
        """Return whether this hop holds the event that decided the probe's outcome."""
        return self.deciding is not None

    @property
    def frames_in(self) -> tuple[str, ...]:
        """Return the summaries of the frames the node received in this hop."""
        return tuple(
            f"{e.interface}: {e.summary}"
            for e in self.events
            if isinstance(e, FrameEvent) and e.direction == "rx"
        )

    @property
    def frames_out(self) -> tuple[str, ...]:
        """Return the summaries of the frames the node sent in this hop."""
        return tuple(
            f"{e.interface}: {e.summary}"
            for e in self.events
            if isinstance(e, FrameEvent) and e.direction == "tx"
        )

    @property
    def nat(self) -> tuple[NatEvent, ...]:
        """Return the address translations of this hop."""
        return tuple(e for e in self.events if isinstance(e, NatEvent))

    @property
    def walks(self) -> tuple[ChainWalk, ...]:
        """Return the chain walks of this hop."""
        return tuple(e for e in self.events if isinstance(e, ChainWalk))


class _Places:
    """Where a trace's nodes and interfaces are on the topology layout."""

    def __init__(self, topology: Topology, layout: Layout) -> None:
        self.box_index = {box.key: i for i, box in enumerate(layout.boxes)}
        self.wire_segments: dict[int, list[int]] = {}
        self.lan_segments: list[int] = []
        for i, segment in enumerate(layout.segments):
            if segment.style == "lan-bus":
                self.lan_segments.append(i)
            for wire_number in segment.wires:
                self.wire_segments.setdefault(wire_number, []).append(i)
        self.counters: dict[tuple[str, str], int] = {}
        for number, wire in enumerate(layout.wires):
            if wire.counter is not None:
                self.counters[wire.counter] = number
        self.machines = {m.name for m in topology.machines}
        self.bridges = {g.bridge: g.node for g in topology.groups if g.bridge}
        self.veth_bridge: dict[str, str] = {}
        self.container_ports: dict[tuple[str, str], str] = {}
        for container in topology.containers:
            for attachment in container.attachments:
                group = topology.group(attachment.network)
                self.veth_bridge[attachment.host_veth] = group.node
                self.container_ports[(container.name, attachment.ifname)] = attachment.host_veth

    def node_box(self, node: str) -> str:
        """Return the layout key of a trace node's box."""
        if node == HOST:
            return HOST
        if node in self.machines:
            return f"machine:{node}"
        return f"container:{node}"

    def places(self, node: str, events: tuple[TraceEvent, ...]) -> tuple[list[int], list[int]]:
        """Return the box and segment indexes a hop's events touch."""
        keys = [self.node_box(node)] if node != LAN_NODE else []
        segments: list[int] = list(self.lan_segments) if node == LAN_NODE else []
        for event in events:
            if isinstance(event, BridgeDecision) and event.bridge in self.bridges:
                keys.append(self.bridges[event.bridge])
            if not isinstance(event, FrameEvent):
                continue
            interface = event.interface
            counter = (node, interface)
            if counter not in self.counters and (node, interface) in self.container_ports:
                counter = (HOST, self.container_ports[(node, interface)])
            if counter in self.counters:
                segments += self.wire_segments.get(self.counters[counter], [])
            if node == HOST and interface in self.bridges:
                keys.append(self.bridges[interface])
            if node == HOST and interface in self.veth_bridge:
                keys.append(self.veth_bridge[interface])
        boxes = sorted({self.box_index[k] for k in keys if k in self.box_index})
        return boxes, sorted(set(segments))


def probe_hops(record: ProbeRecord, topology: Topology, layout: Layout) -> tuple[Hop, ...]:
    """Return a probe's trace cut into hops (runs of events on one node), placed on the layout."""
    places = _Places(topology, layout)
    deciding = deciding_index(record)
    runs: list[tuple[str, list[int]]] = []
    for index, event in enumerate(record.events):
        if runs and runs[-1][0] == event.node:
            runs[-1][1].append(index)
        else:
            runs.append((event.node, [index]))
    hops = []
    for node, indexes in runs:
        events = tuple(record.events[i] for i in indexes)
        boxes, segments = places.places(node, events)
        hops.append(
            Hop(
                node,
                events[0].time,
                events,
                tuple(boxes),
                tuple(segments),
                indexes.index(deciding) if deciding in indexes else None,
            )
        )
    return tuple(hops)


# -- the page ---------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def inline_svg(svg: str, prefix: str) -> str:
    """Return matplotlib's SVG ready to sit inside HTML: no prolog, metadata or namespaces.

    Every id gets ``prefix`` (two pictures on one page would share glyph and
    clip ids), references follow, and ``xlink:href`` becomes ``href``.

    Raises:
        ValueError: the text holds no ``<svg>`` element.
    """
    start = svg.find("<svg")
    if start < 0:
        raise ValueError(f"no <svg> element in the picture: {svg[:60]!r}")
    svg = svg[start:]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    svg = svg.replace("xlink:href=", "href=")
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    return svg.strip()


def _overlay(layout: Layout) -> str:
    """Return the highlight shapes over the topology picture, all hidden until a hop lights them."""
    scale = POINTS_PER_INCH
    parts = ['<g id="highlights">']
    for i, box in enumerate(layout.boxes):
        parts.append(
            f'<rect class="hl" id="hl-b{i}" x="{box.x * scale:.2f}" y="{box.y * scale:.2f}" '
            f'width="{box.w * scale:.2f}" height="{box.h * scale:.2f}" rx="4"/>'
        )
    for i, segment in enumerate(layout.segments):
        if not segment.wires and segment.style != "lan-bus":
            continue
        points = " ".join(f"{x * scale:.2f},{y * scale:.2f}" for x, y in segment.points)
        parts.append(f'<polyline class="hl" id="hl-s{i}" points="{points}"/>')
    parts.append("</g>")
    return "\n".join(parts)


def _topology_svg(topology: Topology, layout: Layout) -> str:
    svg = inline_svg(figure_svg(draw_topology(topology)), "topo-")
    end = svg.rindex("</svg>")
    return svg[:end] + _overlay(layout) + "\n</svg>"


def _transcript_html(run: Run, probe_numbers: dict[int, int]) -> str:
    lines = [f"# scenario {_e(run.scenario)} on Docker {_e(run.engine)} (simulated)\n"]
    for position, step in enumerate(run.steps):
        text = format_step(step)
        if position in probe_numbers:
            number = probe_numbers[position]
            result = step.result if isinstance(step, ProbeRecord) else None
            status = f" result-{result or 'not-run'}"
            lines.append(
                f'<button type="button" class="probe-link{status}" id="probe-link-{number}" '
                f'data-probe="{number}">{_e(text.rstrip(chr(10)))}</button>'
            )
        else:
            lines.append(f'<span class="step">{_e(text)}</span>')
    return "".join(lines)


def _hop_html(hop: Hop, number: int) -> str:
    attrs = (
        f'class="hop{" decides" if hop.decides else ""}" data-hop="{number}" '
        f'data-node="{_e(hop.node)}" data-boxes="{" ".join(map(str, hop.boxes))}" '
        f'data-segments="{" ".join(map(str, hop.segments))}"'
    )
    parts = [
        f"<li {attrs} hidden>",
        f'<h4><span class="hop-node">{_e(hop.node)}</span> '
        f'<span class="hop-time">t={hop.time:.6f} s</span></h4>',
    ]
    if hop.frames_in or hop.frames_out:
        parts.append('<table class="frames"><tbody>')
        for summary in hop.frames_in:
            parts.append(f'<tr><th>in</th><td class="frame-in">{_e(summary)}</td></tr>')
        for summary in hop.frames_out:
            parts.append(f'<tr><th>out</th><td class="frame-out">{_e(summary)}</td></tr>')
        parts.append("</tbody></table>")
    for nat in hop.nat:
        parts.append(
            '<table class="nat"><tbody>'
            f'<tr><th colspan="2">{_e(nat.kind)} at {_e(nat.hook)}</th></tr>'
            f'<tr><th>before</th><td class="nat-before">{_e(flow_text(nat.before))}</td></tr>'
            f'<tr><th>after</th><td class="nat-after">{_e(flow_text(nat.after))}</td></tr>'
            "</tbody></table>"
        )
    decider = hop.events[hop.deciding] if hop.deciding is not None else None
    for walk in hop.walks:
        mark = " decider" if walk is decider else ""
        parts.append(
            f'<p class="walk verdict-{_e(walk.verdict)}{mark}">{_e(walk.hook)} '
            f"{_e(walk.table)}/{_e(walk.chain)}: <b>{_e(walk.verdict)}</b> by "
            f'<code class="rule">{_e(rule_text(walk))}</code></p>'
        )
    if isinstance(decider, ChainWalk):
        parts.append('<p class="decides-mark">this hop decided the outcome (the rule outlined)</p>')
    elif decider is not None:
        parts.append(
            '<p class="decides-mark">this hop decided the outcome: '
            f'<span class="decider-event">{_e(event_text(decider))}</span></p>'
        )
    parts.append(
        f'<details class="trace"><summary>the trace at {_e(hop.node)} '
        f"({len(hop.events)} events)</summary>"
    )
    parts.append('<ol class="events">')
    parts += [f"<li>{_e(event_text(event))}</li>" for event in hop.events]
    parts.append("</ol></details></li>")
    return "\n".join(parts)


def _probe_html(record: ProbeRecord, number: int, hops: tuple[Hop, ...]) -> str:
    deciding = next((i for i, hop in enumerate(hops) if hop.decides), None)
    result = record.result if record.result is not None else "not run"
    parts = [
        f'<section class="probe-view" id="probe-{number}" data-hops="{len(hops)}" hidden>',
        f'<h3>probe {_e(record.probe)}: <span class="probe-result">{_e(result)}</span></h3>',
        f'<p class="decision">why: {_e(decision_text(record))}',
    ]
    if deciding is not None:
        parts.append(
            f' <button type="button" class="to-decision" data-hop="{deciding}">'
            f"go to hop {deciding + 1}</button>"
        )
    parts.append("</p>")
    brief = brief_lines(record)
    if brief:
        parts.append(
            f'<details class="brief"><summary>in brief ({len(brief)} lines, as '
            "netsim trace --brief prints it)</summary>"
            f"<pre>{_e(chr(10).join(brief))}</pre></details>"
        )
    if not hops:
        parts.append('<p class="no-hops">no trace: the probe sent nothing</p>')
    parts.append('<ol class="hops">')
    parts += [_hop_html(hop, i) for i, hop in enumerate(hops)]
    parts.append("</ol></section>")
    return "\n".join(parts)


def format_report(pictures: Pictures, *, description: str = "") -> str:
    """Return the report page of a run: transcript, pictures and every probe's hops."""
    run = pictures.run
    topology = pictures.topology
    layout = layout_topology(topology)
    probe_numbers: dict[int, int] = {}
    probe_views: list[str] = []
    for position, step in enumerate(run.steps):
        if isinstance(step, ProbeRecord):
            number = len(probe_numbers)
            probe_numbers[position] = number
            probe_views.append(_probe_html(step, number, probe_hops(step, topology, layout)))
    passed = sum(1 for p in run.probes if p.passed)
    expected = sum(1 for p in run.probes if p.passed is not None)
    summary = (
        f"Docker {run.engine} (simulated), seed {run.seed}: {len(run.steps)} steps, "
        f"{len(run.probes)} probes, {passed} of {expected} expectations held"
    )
    reach_svg = inline_svg(figure_svg(draw_reachability(pictures.matrix)), "reach-")
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>netsim report: {_e(run.scenario)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(run.scenario)}</h1>",
        f'<p class="description">{_e(description.strip())}</p>' if description.strip() else "",
        f'<p class="summary">{_e(summary)}</p>',
        '<p class="help">Click a probe in the transcript to follow its packets hop by hop; '
        "step with the buttons or the arrow keys (← →).</p>",
        "</header>",
        "<main>",
        '<section id="transcript"><h2>Transcript</h2>',
        f"<pre>{_transcript_html(run, probe_numbers)}</pre></section>",
        '<section id="explorer">',
        f'<section id="topology"><h2>Topology</h2><div class="figure">'
        f"{_topology_svg(topology, layout)}</div></section>",
        '<section id="probes"><h2>Probe</h2>',
        '<p id="probe-hint">No probe chosen yet.</p>',
        '<div id="stepper" hidden>',
        '<button type="button" id="hop-back" aria-label="back one hop">◀ back</button>',
        '<span id="hop-position"></span>',
        '<button type="button" id="hop-forward" aria-label="forward one hop">forward ▶</button>',
        "</div>",
        *probe_views,
        "</section>",
        "</section>",
        f'<section id="reachability"><h2>Reachability</h2><div class="figure">{reach_svg}'
        "</div></section>",
        "</main>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(line for line in body if line) + "\n"


def write_report(pictures: Pictures, out: Path, *, description: str = "") -> Path:
    """Write the report page to ``out``; return the path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(format_report(pictures, description=description), encoding="utf-8")
    return out


STYLE = """
:root { --hl: #e8590c; --decide: #c92a2a; --ink: #212529; --muted: #6c757d; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font-family: system-ui, sans-serif; color: var(--ink); margin: 0; background: #f8f9fa; }
header { padding: 0.8rem 1.2rem; background: #fff; border-bottom: 1px solid #dee2e6; }
header h1 { margin: 0 0 0.3rem; font-size: 1.4rem; }
header p { margin: 0.2rem 0; }
.summary, .help { color: var(--muted); font-size: 0.9rem; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem;
       padding: 1rem; }
main > section, #explorer > section { background: #fff; border: 1px solid #dee2e6;
       border-radius: 6px; padding: 0.6rem 0.9rem; margin-bottom: 1rem; }
#reachability { grid-column: 1 / -1; }
#explorer { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; }
h2 { font-size: 1.1rem; margin: 0.2rem 0 0.6rem; }
h3 { font-size: 1rem; margin: 0.4rem 0; }
h4 { font-size: 0.95rem; margin: 0.4rem 0; }
pre { white-space: pre-wrap; word-break: break-all; font-size: 0.78rem; margin: 0;
      max-height: 80vh; overflow: auto; }
.probe-link { display: block; width: 100%; text-align: left; font: inherit; cursor: pointer;
      background: #e7f5ff; border: 1px solid #a5d8ff; border-radius: 3px; margin: 1px 0;
      padding: 1px 4px; white-space: pre-wrap; }
.probe-link:hover, .probe-link.active { background: #ffe8cc; border-color: var(--hl); }
#stepper { display: flex; gap: 0.6rem; align-items: center; margin: 0.4rem 0; }
#stepper button, .to-decision { font: inherit; padding: 0.2rem 0.7rem; cursor: pointer; }
#hop-position { font-variant-numeric: tabular-nums; }
.hops { list-style: none; padding: 0; margin: 0; }
.hop { border-left: 4px solid var(--hl); padding-left: 0.6rem; }
.hop.decides { border-left-color: var(--decide); }
.decision { font-weight: 600; }
.decides-mark { color: var(--decide); font-weight: 600; }
.hop-node { color: var(--hl); }
.hop-time { color: var(--muted); font-weight: normal; font-size: 0.85rem; }
table { border-collapse: collapse; margin: 0.3rem 0; font-size: 0.8rem; }
th { text-align: left; padding: 1px 6px 1px 0; color: var(--muted); font-weight: 600;
     vertical-align: top; }
td { font-family: ui-monospace, monospace; word-break: break-all; }
table.nat { border: 1px solid var(--hl); }
table.nat th[colspan] { color: var(--hl); }
.walk { font-size: 0.8rem; margin: 0.2rem 0; }
.walk.verdict-DROP b, .walk.verdict-REJECT b { color: var(--decide); }
.walk.decider { outline: 2px solid var(--decide); padding: 2px 4px; }
.decider-event { font-family: ui-monospace, monospace; font-weight: normal; font-size: 0.8rem; }
code { word-break: break-all; }
.brief pre { max-height: 30vh; font-size: 0.72rem; }
summary { cursor: pointer; color: var(--muted); font-size: 0.8rem; }
.events { font-family: ui-monospace, monospace; font-size: 0.72rem; color: var(--muted);
          padding-left: 1.4rem; }
.figure { overflow: auto; }
.figure svg { max-width: 100%; height: auto; }
#topology .figure svg { max-height: 48vh; }
.figure svg * { stroke-linejoin: round; stroke-linecap: butt; }
.hl { display: none; fill: none; stroke: var(--hl); stroke-width: 4; stroke-opacity: 0.8; }
polyline.hl { stroke-width: 6; stroke-opacity: 0.55; }
.hl.on { display: inline; }
.hl.on.decides { stroke: var(--decide); }
"""

SCRIPT = """
(function () {
  "use strict";
  var current = null;
  var hop = 0;
  var stepper = document.getElementById("stepper");
  var back = document.getElementById("hop-back");
  var forward = document.getElementById("hop-forward");
  var position = document.getElementById("hop-position");
  var hint = document.getElementById("probe-hint");
  function hops() { return current ? current.querySelectorAll("li.hop") : []; }
  function clear() {
    document.querySelectorAll(".hl.on").forEach(function (el) {
      el.classList.remove("on", "decides");
    });
  }
  function light(prefix, list, decides) {
    list.split(" ").forEach(function (n) {
      if (n === "") { return; }
      var el = document.getElementById(prefix + n);
      if (el) { el.classList.add("on"); if (decides) { el.classList.add("decides"); } }
    });
  }
  function show() {
    var list = hops();
    clear();
    for (var i = 0; i < list.length; i++) { list[i].hidden = i !== hop; }
    var li = list[hop];
    if (li) {
      var decides = li.classList.contains("decides");
      light("hl-b", li.dataset.boxes, decides);
      light("hl-s", li.dataset.segments, decides);
      position.textContent = "hop " + (hop + 1) + " of " + list.length + ": " + li.dataset.node;
    }
    back.disabled = hop <= 0;
    forward.disabled = hop >= list.length - 1;
  }
  function open(number) {
    if (current) { current.hidden = true; }
    document.querySelectorAll(".probe-link.active").forEach(function (el) {
      el.classList.remove("active");
    });
    current = document.getElementById("probe-" + number);
    document.getElementById("probe-link-" + number).classList.add("active");
    current.insertBefore(stepper, current.querySelector("ol.hops"));
    current.hidden = false;
    hint.hidden = true;
    hop = 0;
    stepper.hidden = hops().length === 0;
    show();
  }
  function step(delta) {
    var list = hops();
    if (!current || list.length === 0) { return; }
    hop = Math.max(0, Math.min(list.length - 1, hop + delta));
    show();
  }
  document.querySelectorAll(".probe-link").forEach(function (button) {
    button.addEventListener("click", function () { open(button.dataset.probe); });
  });
  document.querySelectorAll(".to-decision").forEach(function (button) {
    button.addEventListener("click", function () {
      hop = parseInt(button.dataset.hop, 10);
      show();
    });
  });
  back.addEventListener("click", function () { step(-1); });
  forward.addEventListener("click", function () { step(1); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { step(1); event.preventDefault(); }
    else if (event.key === "ArrowLeft") { step(-1); event.preventDefault(); }
  });
})();
"""
