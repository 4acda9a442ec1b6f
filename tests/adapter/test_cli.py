"""Adapter tests: the netsim command line through main(argv)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from netsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
PORT_MAPPING = ROOT / "scenarios" / "port-mapping.yaml"
BROKEN_FILES = sorted((Path(__file__).parent / "broken").glob("*.yaml"))
HEADER = re.compile(r"^# expect: line (\d+): (.+)$")


def expectation(path: Path) -> tuple[int, str]:
    """Return the line and fragment a broken file's first line promises (see broken/README)."""
    match = HEADER.match(path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0])
    assert match, path
    return int(match.group(1)), match.group(2)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.name)
def test_run_refuses_a_broken_file_with_exit_2_and_its_line(path: Path) -> None:
    line, fragment = expectation(path)
    code, out, err = run("run", str(path))
    assert code == 2
    assert out == ""
    assert f"{path}:{line}:" in err
    assert fragment in err
    assert "Traceback" not in err


def test_check_accepts_every_example_scenario() -> None:
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    code, out, err = run("check", *files)
    assert code == 0, err
    assert out.count(": ok (") == len(files)


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, _, err = run("run", str(missing))
    assert code == 2
    assert "nope.yaml" in err and "Traceback" not in err


def test_run_prints_the_transcript_with_prompts() -> None:
    code, out, _ = run("run", str(PORT_MAPPING), "--engine", "28.5")
    assert code in (0, 1)
    assert "$ docker port docker_mysql\n3306/tcp -> 0.0.0.0:12345\n3306/tcp -> [::]:12345\n" in out


def test_json_to_stdout_is_the_contract_shape() -> None:
    code, out, _ = run("run", str(PORT_MAPPING), "--json", "-", "--engine", "20.10")
    result = json.loads(out)
    assert result["scenario"] == "port-mapping" and result["engine"] == "20.10"
    first = result["steps"][0]
    assert first["kind"] == "command" and first["on"] == "host" and first["exit_code"] == 0
    assert len(first["stdout"]) == 65
    probe = next(s for s in result["steps"] if s["kind"] == "probe")
    assert set(probe) >= {"index", "from", "to", "result", "expect", "passed"}
    assert code == (0 if result["passed"] else 1)


def test_the_same_scenario_gives_byte_identical_output(tmp_path: Path) -> None:
    first = run("run", str(PORT_MAPPING), "--json", str(tmp_path / "a.json"))
    second = run("run", str(PORT_MAPPING), "--json", str(tmp_path / "b.json"))
    assert first == second
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_engine_flag_overrides_the_file() -> None:
    _, out, _ = run("run", str(PORT_MAPPING), "--engine", "20.10")
    assert "on Docker 20.10" in out and "3306/tcp -> :::12345" in out


def test_no_command_prints_help_and_exits_2() -> None:
    code, out, _ = run()
    assert code == 2 and "netsim run" in out


def test_diagram_mermaid_goes_to_stdout() -> None:
    code, out, _ = run(
        "diagram", str(ROOT / "scenarios" / "link-tomcat-mysql.yaml"), "--format", "mermaid"
    )
    assert code == 0
    assert out.startswith("%% link-tomcat-mysql") and "flowchart" in out
    assert "--link MySQL" in out


def test_diagram_image_needs_an_output_file() -> None:
    code, out, err = run("diagram", str(PORT_MAPPING), "--format", "png")
    assert code == 2 and out == "" and "needs --out" in err


def test_plot_writes_the_pictures(tmp_path: Path) -> None:
    code, out, _ = run(
        "plot", str(PORT_MAPPING), "--out", str(tmp_path), "--probe", "laptop -> 192.168.1.10:12345"
    )
    assert code == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == [
        "port-mapping-probe-1.png",
        "port-mapping-reach.png",
        "port-mapping-topology.png",
        "port-mapping-traffic.png",
    ]
    assert all((tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in written)
    assert out.count("wrote ") == 4


def test_trace_explains_the_dnat_hop_by_hop() -> None:
    code, out, _ = run("trace", str(PORT_MAPPING), "--probe", "laptop -> 192.168.1.10:12345")
    assert code == 0
    assert "DNAT: 192.168.1.20:" in out and "=> 192.168.1.20:" in out
    assert "-j DNAT --to-destination 172.17.0.2:3306" in out
    assert out.rstrip().splitlines()[-2].startswith("result: open (served by docker_mysql")
    assert out.rstrip().splitlines()[-1].startswith("why: open by DNAT on host by nat DOCKER #2")


def test_trace_refuses_a_bad_probe_with_exit_2() -> None:
    code, out, err = run("trace", str(PORT_MAPPING), "--probe", "laptop 192.168.1.10")
    assert code == 2 and out == ""
    assert "--probe" in err and "->" in err and "Traceback" not in err


HOST_AND_STOPPED = """\
name: host-and-stopped
steps:
  - docker run -d --name web nginx
  - docker run -d --name hostnet --network host nginx
  - docker run -d --name stopped redis
  - docker stop stopped
"""


def test_trace_from_a_stopped_container_is_an_error(tmp_path: Path) -> None:
    scenario = tmp_path / "host-and-stopped.yaml"
    scenario.write_text(HOST_AND_STOPPED)
    code, out, err = run("trace", str(scenario), "--probe", "stopped -> web:80")
    assert (code, out) == (1, "")
    assert err == "netsim trace: probe source stopped is not running\n"


def test_reach_includes_containers_on_the_host_network(tmp_path: Path) -> None:
    scenario = tmp_path / "host-and-stopped.yaml"
    scenario.write_text(HOST_AND_STOPPED)
    target = tmp_path / "reach.json"
    code, out, _ = run("reach", str(scenario), "--json", str(target))
    assert code == 0
    assert "hostnet 192.168.1.10:80/tcp" in out.splitlines()[0]
    cells = [c for c in json.loads(target.read_text())["cells"] if c["served_by"] == "hostnet"]
    assert {c["from"] for c in cells} == {"host", "web", "hostnet"}
    assert {c["result"] for c in cells} == {"open"}


def test_reach_prints_a_matrix_and_json(tmp_path: Path) -> None:
    target = tmp_path / "reach.json"
    code, out, _ = run("reach", str(PORT_MAPPING), "--json", str(target))
    assert code == 0
    header, *rows = out.splitlines()
    assert "docker_mysql 172.17.0.2:3306/tcp" in header
    assert any(row.startswith("laptop") and "open" in row for row in rows)
    data = json.loads(target.read_text())
    cell = next(
        c for c in data["cells"] if c["from"] == "laptop" and c["to"] == "192.168.1.10:12345/tcp"
    )
    assert cell["result"] == "open" and cell["served_by"] == "docker_mysql"


def test_run_writes_pcaps_that_scapy_reads(tmp_path: Path) -> None:
    from scapy.layers.inet import TCP
    from scapy.utils import rdpcap

    code, _, _ = run("run", str(PORT_MAPPING), "--pcap", str(tmp_path), "--quiet")
    assert code == 0
    packets = rdpcap(str(tmp_path / "laptop-eth0.pcap"))
    syns = [p for p in packets if TCP in p and p[TCP].flags == "S"]
    assert syns and syns[0][TCP].dport == 12345
