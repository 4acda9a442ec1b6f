"""Write a picture gallery of scenarios: every picture of each, and a page that shows them.

Run ``python scripts/gallery.py --out plots scenarios/*.yaml`` (what
``plots/regenerate.sh`` does). For each scenario file it writes ``OUT/NAME/``:
``topology.png``, ``reach.png``, ``traffic.png``, ``probe.png`` (the first
probe step's path), ``diagram.mmd`` and ``diagram.dot``, and ``diagram.svg``
where Graphviz is installed; then ``OUT/GALLERY.md``, the page that shows them
all. Output is deterministic: running it twice changes no byte.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from netsim.render.diagram import find_dot, format_diagram, format_mermaid
from netsim.render.plots import plot_reachability, plot_topology, plot_traffic
from netsim.render.traffic import build_traffic, probe_path
from netsim.scenario.spec import ProbeStep
from netsim.session import load_scenario, pictures


def render_scenario(path: Path, out_dir: Path, *, with_svg: bool) -> list[Path]:
    """Write every picture and diagram of one scenario into ``out_dir``; return the paths."""
    scenario = load_scenario(path)
    probes = [s for s in scenario.steps if isinstance(s, ProbeStep)]
    first = tuple(f"{p.src} -> {p.target}" for p in probes[:1])
    drawn = pictures(scenario, probes=first)
    topology = drawn.topology
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [plot_topology(topology, out_dir / "topology.png")]
    written.append(plot_reachability(drawn.matrix, out_dir / "reach.png"))
    written.append(plot_traffic(topology, build_traffic(drawn.run.steps), out_dir / "traffic.png"))
    stale = out_dir / "probe.png"
    if drawn.paths:
        path_ = probe_path(drawn.paths[0])
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


def gallery_page(names: Sequence[str], out: Path, sources: dict[str, Path]) -> str:
    """Return the Markdown page that shows every scenario's pictures.

    ``sources`` maps a scenario's name to its file, linked relative to ``out``.
    """
    lines = [
        "# Gallery",
        "",
        "Every example scenario of `scenarios/`, drawn from the state after its steps.",
        "Regenerate with `plots/regenerate.sh` (or `python scripts/gallery.py`).",
        "",
        "Per scenario: the **topology** (LAN, host, bridges, veth pairs, containers,",
        "published ports, legacy links dashed); **who reaches what** (sources × destinations,",
        "colour and mark per result); the **traffic** of the run's probes and of the",
        "connections its commands make, such as a push, a pull or a wget (wire width and",
        "labels are the frames captured on each interface); the **first probe's path**",
        "highlighted, with its NAT; and a **diagram** for documentation (Mermaid, DOT, SVG).",
        "",
    ]
    for name in names:
        folder = out / name
        lines += [f"## {name}", ""]
        if name in sources:
            link = Path(os.path.relpath(sources[name], out)).as_posix()
            lines += [f"[scenario]({link})", ""]
        for file, title in (
            ("topology.png", "topology"),
            ("reach.png", "who reaches what"),
            ("traffic.png", "traffic"),
            ("probe.png", "first probe's path"),
        ):
            if (folder / file).exists():
                lines += [f"![{name}: {title}]({name}/{file})", ""]
        links = [
            f"[{kind}]({name}/diagram.{ext})"
            for ext, kind in (("mmd", "Mermaid"), ("dot", "DOT"), ("svg", "SVG"))
            if (folder / f"diagram.{ext}").exists()
        ]
        lines += ["Diagram: " + " · ".join(links), ""]
        mermaid = (folder / "diagram.mmd").read_text(encoding="utf-8")
        lines += [
            "<details><summary>Mermaid</summary>",
            "",
            "```mermaid",
            mermaid.rstrip(),
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the gallery; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python scripts/gallery.py",
        description=(__doc__ or "").splitlines()[0],
        epilog="example:\n  python scripts/gallery.py --out plots scenarios/*.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenarios", nargs="+", type=Path, help="scenario files")
    parser.add_argument("--out", type=Path, required=True, help="gallery folder")
    parser.add_argument(
        "--prune", action="store_true", help="remove folders of OUT that no given scenario writes"
    )
    args = parser.parse_args(argv)
    with_svg = find_dot() is not None
    if not with_svg:
        print("gallery: Graphviz's dot is missing, diagram.svg not written", file=sys.stderr)
    sources: dict[str, Path] = {}
    for path in args.scenarios:
        name = load_scenario(path).name
        written = render_scenario(path, args.out / name, with_svg=with_svg)
        sources[name] = path.resolve()
        print(f"{name}: {len(written)} files")
    if args.prune:
        for folder in sorted(p for p in args.out.iterdir() if p.is_dir()):
            if folder.name not in sources:
                shutil.rmtree(folder)  # a scenario that was removed or renamed
    names = sorted(p.name for p in args.out.iterdir() if p.is_dir())
    page = gallery_page(names, args.out.resolve(), sources)
    (args.out / "GALLERY.md").write_text(page, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
