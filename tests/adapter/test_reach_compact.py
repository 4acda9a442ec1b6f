"""Adapter tests: ``netsim reach`` above the compact size, its progress bar, and reading it back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import netsim.results.reach as reach_values
from netsim.cli import main
from netsim.render.reach import format_reach_json
from netsim.results.reach import COMPACT_FORMAT, read_reach_json
from netsim.session import load_scenario, reach

ROOT = Path(__file__).resolve().parents[2]
TWO_NETWORKS = ROOT / "scenarios" / "two-networks.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("compact", [False, True])
def test_either_json_form_reads_back_into_the_same_matrix(compact: bool) -> None:
    _, matrix = reach(load_scenario(TWO_NETWORKS))
    text = format_reach_json(matrix, compact=compact)
    data = json.loads(text)
    assert ("codes" in data) is compact and ("cells" in data) is not compact
    assert read_reach_json(data) == matrix


def test_the_compact_form_agrees_with_packet_probes_cell_for_cell() -> None:
    scenario = load_scenario(TWO_NETWORKS)
    _, flow = reach(scenario)
    _, packets = reach(scenario, method="packets")
    back = read_reach_json(json.loads(format_reach_json(flow, compact=True)))
    assert [(c.result, c.served_by) for c in back.cells] == [
        (c.result, c.served_by) for c in packets.cells
    ]


def test_above_the_size_reach_writes_compact_json_a_summary_and_a_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reach_values, "COMPACT_CELLS", 10)
    target = tmp_path / "reach.json"
    code, out, err = run("reach", str(TWO_NETWORKS), "--json", str(target), "--progress")
    assert code == 0
    assert out.startswith("5 sources x 5 destinations = 25 cells (more than 10: summarised")
    assert "all cells: open 17, timeout 4, unreachable 4" in out
    assert "from \\ to" not in out
    data = json.loads(target.read_text())
    assert data["format"] == COMPACT_FORMAT
    assert len(data["codes"]) == 5 and all(len(row) == 5 for row in data["codes"])
    assert "sources" in err and "100%" in err  # the bar went to stderr only
    code, out, _ = run("reach", str(TWO_NETWORKS), "--json", "-", "--form", "cells")
    assert "cells" in json.loads(out)


def test_reach_shows_no_bar_when_stderr_is_not_a_terminal() -> None:
    code, out, err = run("reach", str(TWO_NETWORKS))
    assert code == 0 and err == "" and out.startswith("from \\ to")


def _document() -> dict[str, object]:
    _, matrix = reach(load_scenario(TWO_NETWORKS))
    data: dict[str, object] = matrix.as_json(compact=True)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other/9"}, "unknown format 'other/9'"),
        ({"codes": [[0]]}, "1 rows of codes for 5 sources"),
        ({"codes": [[0] * 5] * 4 + [[0] * 4]}, "the row of app has 4 codes for 5 destinations"),
        ({"codes": [[0] * 5] * 4 + [[0, 0, 0, 0, 99]]}, "code 99 in the row of app has no class"),
        ({"destinations": [{"label": "x", "target": "nowhere"}]}, "has target 'nowhere'"),
        ({"sources": None}, "missing or malformed key"),
    ],
)
def test_a_malformed_document_is_refused_with_what_is_wrong(
    change: dict[str, object], message: str
) -> None:
    data = {**_document(), **change}
    with pytest.raises(ValueError, match=message):
        read_reach_json(data)


def test_a_cell_naming_an_unknown_destination_is_refused() -> None:
    _, matrix = reach(load_scenario(TWO_NETWORKS))
    data = matrix.as_json(compact=False)
    data["cells"][0]["to"] = "10.9.9.9:1/tcp"
    with pytest.raises(ValueError, match="cell 0 .* names a source or destination"):
        read_reach_json(data)
