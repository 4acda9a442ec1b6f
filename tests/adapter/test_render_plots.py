"""Pictures on the Agg backend: labels apart, bytes stable, and the data behind each picture."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netsim.dataplane.reach import reach_matrix
from netsim.render.layout import layout_topology
from netsim.render.plots import (
    draw_reachability,
    draw_topology,
    draw_traffic,
    plot_all,
    plot_topology,
    save_figure,
)
from netsim.render.style import result_style
from netsim.render.traffic import InterfaceCount, Traffic, build_traffic
from netsim.results.reach import LAN_GROUP, Column, GroupedMatrix, Row, group_matrix
from netsim.session import (
    load_scenario,
    load_scenario_text,
    open_world,
    pictures,
    replay,
    replay_world,
    snapshot_topology,
)

ROOT = Path(__file__).parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def world_after(source: Path | str):
    scenario = load_scenario(source) if isinstance(source, Path) else load_scenario_text(source)
    world = open_world(scenario)
    replay_world(world, probes=False)
    return world


def grouped_matrix_of(world):
    return group_matrix(reach_matrix(world), snapshot_topology(world))


def generated(containers: int, networks: int) -> str:
    names = ["bridge"] + [f"net{i}" for i in range(1, networks)]
    steps = [f"  - docker network create {name}" for name in names[1:]]
    for index in range(containers):
        network = names[index % networks]
        flag = "" if network == "bridge" else f" --network {network}"
        publish = f" -p {10000 + index}:80" if index % 3 == 0 else ""
        linked = network == "bridge" and index % 4 == 3
        link = f" --link c{index - 1:02d}:db{index}" if linked else ""
        steps.append(f"  - docker run -d --name c{index:02d}{flag}{publish}{link} mysql:5.6.35")
    for index in range(1, containers, 7):
        steps.append(f"  - docker network connect {names[(index + 1) % networks]} c{index:02d}")
    return (
        "name: generated\nmachines:\n  laptop: {address: 192.168.1.20/24, listen: [22/tcp]}\n"
        "steps:\n" + "\n".join(steps) + "\n"
    )


def texts(figure):
    """Return (text, window extent) of every visible text of a rendered figure."""
    renderer = figure.canvas.get_renderer()
    figure.draw(renderer)
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in figure.axes[0].texts
        if t.get_text().strip()
    ]


def overlaps(figure) -> list[tuple[str, str]]:
    """Return pairs of texts whose boxes overlap by more than half a pixel both ways."""
    found = []
    placed = sorted(texts(figure), key=lambda item: item[1].x0)
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1 :]:
            if box_b.x0 >= box_a.x1 - 0.5:
                break  # sorted by x0: no later box reaches back into this one
            width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if width > 0.5 and height > 0.5:
                found.append((a, b))
    return found


def outside(figure) -> list[str]:
    page = figure.bbox
    return [
        t
        for t, box in texts(figure)
        if box.x0 < page.x0 - 0.5
        or box.x1 > page.x1 + 0.5
        or box.y0 < page.y0 - 0.5
        or box.y1 > page.y1 + 0.5
    ]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_topology_labels_of_every_scenario_do_not_overlap(path):
    figure = draw_topology(snapshot_topology(world_after(path)))
    assert overlaps(figure) == []
    assert outside(figure) == []


@pytest.mark.parametrize("networks", [1, 3])
def test_thirty_containers_topology_and_traffic_labels_do_not_overlap(networks):
    topology = snapshot_topology(world_after(generated(30, networks)))
    assert len(topology.containers) == 30
    for figure in (draw_topology(topology), draw_traffic(topology, _every_wire(topology))):
        assert overlaps(figure) == []
        assert outside(figure) == []
        names = {t for t, _ in texts(figure)}
        assert {c.name for c in topology.containers} <= names


def _every_wire(topology) -> Traffic:
    from netsim.render.topology import wires

    return Traffic(
        tuple(
            InterfaceCount(w.counter[0], w.counter[1], 1000 + i, 123456 + i)
            for i, w in enumerate(wires(topology))
            if w.counter is not None
        )
    )


def test_pictures_are_byte_stable_in_png_and_svg(tmp_path):
    topology = snapshot_topology(world_after(ROOT / "scenarios/link-tomcat-mysql.yaml"))
    for fmt in ("png", "svg"):
        first = plot_topology(topology, tmp_path / f"a.{fmt}", fmt).read_bytes()
        second = plot_topology(topology, tmp_path / f"b.{fmt}", fmt).read_bytes()
        assert first == second
    svg = (tmp_path / "a.svg").read_text()
    assert "<dc:date>" not in svg and "netsim" in svg
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unknown_picture_format_is_refused(tmp_path):
    topology = snapshot_topology(world_after(ROOT / "scenarios/port-mapping.yaml"))
    with pytest.raises(ValueError, match="unknown picture format 'gif'; expected one of png, svg"):
        save_figure(draw_topology(topology), tmp_path / "x.gif", "gif")  # type: ignore[arg-type]


def _cell_marks(figure, matrix: GroupedMatrix) -> list[str]:
    marks = {
        s.mark
        for s in map(
            result_style,
            ("open", "refused", "timeout", "unreachable", "unresolved", "not simulated"),
        )
    }
    legend_marks = len(
        {
            (s.colour, s.mark)
            for s in map(
                result_style,
                (
                    "open",
                    "reply",
                    "refused",
                    "closed",
                    "timeout",
                    "unreachable",
                    "unresolved",
                    "not simulated",
                ),
            )
        }
    )
    cells = [t for t, _ in texts(figure) if t in marks]
    return cells[: len(cells) - legend_marks]


def test_matrix_cells_are_the_probe_results_with_their_marks():
    world = world_after(ROOT / "scenarios/port-mapping.yaml")
    matrix = grouped_matrix_of(world)
    figure = draw_reachability(matrix)
    expected = [result_style(r).mark for row in matrix.results for r in row]
    assert _cell_marks(figure, matrix) == expected
    labels = {t for t, _ in texts(figure)}
    assert {s.name for s in matrix.sources} | {d.label for d in matrix.destinations} <= labels
    assert overlaps(figure) == []


def _synthetic(rows: int, columns: int) -> GroupedMatrix:
    results = ("open", "refused", "timeout", "unreachable", "unresolved")
    sources = tuple(Row(f"c{i:02d}", LAN_GROUP if i < 2 else f"net{i % 3}") for i in range(rows))
    sources = tuple(sorted(sources, key=lambda s: (s.group != LAN_GROUP, s.group)))
    destinations = tuple(
        Column(f"c{j:02d}:80/tcp", f"10.0.0.{j}:80/tcp", f"net{j % 3}") for j in range(columns)
    )
    destinations = tuple(sorted(destinations, key=lambda d: d.group))
    cells = tuple(tuple(results[(i * 7 + j) % 5] for j in range(columns)) for i in range(rows))
    return GroupedMatrix("synthetic", sources, destinations, cells, ("net0", "net1", "net2"))


def test_a_forty_by_forty_matrix_is_drawn_cell_by_cell_without_overlap():
    matrix = _synthetic(40, 40)
    figure = draw_reachability(matrix)
    assert _cell_marks(figure, matrix) == [
        result_style(r).mark for row in matrix.results for r in row
    ]
    assert overlaps(figure) == []
    assert outside(figure) == []


def test_beyond_forty_the_matrix_is_aggregated_by_network():
    matrix = _synthetic(45, 41)
    figure = draw_reachability(matrix)
    shown = [t for t, _ in texts(figure)]
    assert "c44" not in shown
    assert f"{LAN_GROUP} (2)" in shown and "net0 (14)" in shown
    fractions = [t.split("\n")[1] for t in shown if "\n" in t and "/" in t]
    assert len(fractions) == 4 * 3
    assert sum(int(f.split("/")[1]) for f in fractions) == 45 * 41
    assert overlaps(figure) == []


def test_traffic_labels_are_the_captured_frames_of_each_wire():
    run = replay(load_scenario(ROOT / "scenarios/port-mapping.yaml"), capture=True)
    records = run.probes
    topology = run.topology
    traffic = build_traffic(records)
    figure = draw_traffic(topology, traffic)
    layout = layout_topology(topology, traffic=True)
    per_wire = traffic.per_wire(layout.wires)
    labels = sorted(t for t, _ in texts(figure) if " pkt · " in t)
    expected = sorted(f"{p} pkt · " for p, _ in per_wire.values() if p)
    assert [label.split("· ")[0] + "· " for label in labels] == expected
    captured = {(c.node, c.interface) for r in records for c in r.captures}
    for index, (packets, _) in per_wire.items():
        node, interface = layout.wires[index].counter
        assert packets == sum(
            1 for r in records for c in r.captures if (c.node, c.interface) == (node, interface)
        )
        assert (packets > 0) == ((node, interface) in captured)


def test_plot_all_writes_every_picture_of_a_scenario(tmp_path):
    drawn = pictures(
        load_scenario(ROOT / "scenarios/port-mapping.yaml"),
        probes=("laptop -> 192.168.1.10:12345",),
    )
    written = plot_all(drawn, tmp_path, "png")
    assert [p.name for p in written] == [
        "port-mapping-topology.png",
        "port-mapping-reach.png",
        "port-mapping-traffic.png",
        "port-mapping-probe-1.png",
    ]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in written)


def test_netsim_run_does_not_import_matplotlib_and_plots_never_import_pyplot():
    code = (
        "import sys, io\n"
        "from netsim.cli import main\n"
        "main(['run', 'scenarios/port-mapping.yaml', '--quiet'], stdout=io.StringIO())\n"
        "assert 'matplotlib' not in sys.modules, 'netsim run imported matplotlib'\n"
        "from pathlib import Path\n"
        "from netsim.render.plots import draw_topology\n"
        "from netsim.session import load_scenario, replay\n"
        "draw_topology(replay(load_scenario(Path('scenarios/port-mapping.yaml'))).topology)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def gallery_main():
    """Return the gallery script's ``main`` (a script of the repository, not a module)."""
    spec = importlib.util.spec_from_file_location("gallery", ROOT / "scripts/gallery.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_the_gallery_writes_each_scenarios_pictures_and_a_page(tmp_path):
    main = gallery_main()
    assert main([str(ROOT / "scenarios/port-mapping.yaml"), "--out", str(tmp_path)]) == 0
    folder = tmp_path / "port-mapping"
    names = sorted(p.name for p in folder.iterdir())
    assert {
        "topology.png",
        "reach.png",
        "traffic.png",
        "probe.png",
        "diagram.mmd",
        "diagram.dot",
    } <= set(names)
    page = (tmp_path / "GALLERY.md").read_text()
    assert "![port-mapping: topology](port-mapping/topology.png)" in page
    assert "```mermaid\n%% port-mapping" in page
    link = os.path.relpath(ROOT / "scenarios/port-mapping.yaml", tmp_path)
    assert f"[scenario]({link})" in page
    first = {n: (folder / n).read_bytes() for n in names}
    main([str(ROOT / "scenarios/port-mapping.yaml"), "--out", str(tmp_path)])
    assert {n: (folder / n).read_bytes() for n in names} == first


def test_traffic_counts_equal_the_packets_and_bytes_of_the_pcaps(tmp_path):
    from scapy.utils import rdpcap

    from netsim.render.pcap import pcap_name, write_pcaps

    run = replay(load_scenario(ROOT / "scenarios/port-mapping.yaml"), capture=True)
    records = run.probes
    traffic = build_traffic(records)
    for number, record in enumerate(records):
        write_pcaps(tmp_path / str(number), record.captures)
    topology = run.topology
    checked = 0
    for index, (packets, size) in traffic.per_wire(layout_topology(topology).wires).items():
        node, interface = layout_topology(topology).wires[index].counter
        frames = [
            frame
            for folder in tmp_path.iterdir()
            if (folder / pcap_name(node, interface)).exists()
            for frame in rdpcap(str(folder / pcap_name(node, interface)))
        ]
        assert (packets, size) == (len(frames), sum(len(bytes(f)) for f in frames))
        checked += packets > 0
    assert checked >= 4  # laptop's and the host's cables, docker0 and the veth
