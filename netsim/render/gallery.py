"""Regenerate the picture gallery under ``plots/``: every example scenario, every picture.

Run ``python -m netsim.render.gallery`` (or ``plots/regenerate.sh``). For each
``scenarios/NAME.yaml`` it writes ``plots/NAME/``: ``topology.png``,
``reach.png``, ``traffic.png``, ``probe.png`` (the first probe step's path),
``diagram.mmd`` and ``diagram.dot``, and ``diagram.svg`` where Graphviz is
installed; then ``plots/GALLERY.md``, the page that shows them all. Output
is deterministic: running it twice changes no byte.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from netsim.render.diagram import find_dot, format_diagram, format_mermaid
from netsim.render.plots import plot_reachability, plot_topology, plot_traffic
from netsim.render.reachability import build_reach_matrix
from netsim.render.topology import build_topology
from netsim.render.traffic import build_traffic, probe_path, record_run
from netsim.scenario import load_scenario
from netsim.scenario.spec import ProbeStep
from netsim.world import build_world

ROOT = Path(__file__).resolve().parents[2]


def render_scenario(path: Path, out_dir: Path, *, with_svg: bool) -> list[Path]:
    """Write every picture and diagram of one scenario into ``out_dir``; return the paths."""
    scenario = load_scenario(path)
    world = build_world(scenario)
    _, records = record_run(world)
    topology = build_topology(world)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [plot_topology(topology, out_dir / "topology.png")]
    written.append(plot_reachability(build_reach_matrix(world), out_dir / "reach.png"))
    written.append(plot_traffic(topology, build_traffic(records), out_dir / "traffic.png"))
    probes = [s for s in scenario.steps if isinstance(s, ProbeStep)]
    stale = out_dir / "probe.png"
    if probes:
        first = probes[0]
        path_ = probe_path(world, f"{first.src} -> {first.target}", records)
        written.append(plot_traffic(topology, path_.traffic, stale, path=path_))
    elif stale.exists():
        stale.unlink()
    mermaid = out_dir / "diagram.mmd"
    mermaid.write_text(format_mermaid(topology), encoding="utf-8")
    dot = out_dir / "diagram.dot"
    dot.write_bytes(format_diagram(topology, "dot"))
    written += [mermaid, dot]
    if with_svg:
        svg = out_dir / "diagram.svg"
        svg.write_bytes(format_diagram(topology, "svg"))
        written.append(svg)
    return written


def gallery_page(names: Sequence[str], out: Path) -> str:
    """Return the Markdown page that shows every scenario's pictures."""
    lines = [
        "# Gallery",
        "",
        "Every example scenario of `scenarios/`, drawn from the state after its steps.",
        "Regenerate with `plots/regenerate.sh` (or `python -m netsim.render.gallery`).",
        "",
        "Per scenario: the **topology** (LAN, host, bridges, veth pairs, containers,",
        "published ports, legacy links dashed); **who reaches what** (sources × destinations,",
        "colour and mark per result); the **traffic** of the run's probes (wire width and",
        "labels are the frames captured on each interface); the **first probe's path**",
        "highlighted, with its NAT; and a **diagram** for documentation (Mermaid, DOT, SVG).",
        "",
    ]
    for name in names:
        folder = out / name
        lines += [f"## {name}", "", f"[scenario](../scenarios/{name}.yaml)", ""]
        for file, title in (("topology.png", "topology"), ("reach.png", "who reaches what"),
                            ("traffic.png", "traffic"), ("probe.png", "first probe's path")):
            if (folder / file).exists():
                lines += [f"![{name}: {title}]({name}/{file})", ""]
        links = [f"[{kind}]({name}/diagram.{ext})" for ext, kind in
                 (("mmd", "Mermaid"), ("dot", "DOT"), ("svg", "SVG"))
                 if (folder / f"diagram.{ext}").exists()]
        lines += ["Diagram: " + " · ".join(links), ""]
        mermaid = (folder / "diagram.mmd").read_text(encoding="utf-8")
        lines += ["<details><summary>Mermaid</summary>", "", "```mermaid", mermaid.rstrip(),
                  "```", "", "</details>", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the gallery; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m netsim.render.gallery",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path,
                        help="scenario files (default: scenarios/*.yaml)")
    parser.add_argument("--out", type=Path, default=ROOT / "plots",
                        help="gallery folder (default: plots/)")
    args = parser.parse_args(argv)
    paths = args.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    with_svg = find_dot() is not None
    if not with_svg:
        print("gallery: Graphviz's dot is missing, diagram.svg not written", file=sys.stderr)
    names = []
    for path in paths:
        name = load_scenario(path).name
        written = render_scenario(path, args.out / name, with_svg=with_svg)
        names.append(name)
        print(f"{name}: {len(written)} files")
    if not args.scenarios:
        known = set(names)
        for folder in sorted(p for p in args.out.iterdir() if p.is_dir()):
            if folder.name not in known:
                shutil.rmtree(folder)  # a scenario that was removed or renamed
    names = sorted(p.name for p in args.out.iterdir() if p.is_dir())
    (args.out / "GALLERY.md").write_text(gallery_page(names, args.out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
