"""Adapter tests: ``netsim report``'s page as text (the browser tests click through it)."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest

from netsim.cli import main
from netsim.dataplane.trace import ChainWalk, NatEvent
from netsim.render.decision import deciding_index, decision_text
from netsim.render.layout import layout_topology
from netsim.render.report import format_report, inline_svg, probe_hops
from netsim.results.run import Pictures
from netsim.session import load_scenario, pictures

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def _pictures(name: str) -> Pictures:
    return pictures(load_scenario(SCENARIOS / f"{name}.yaml"))


@pytest.fixture(scope="module")
def port_mapping() -> Pictures:
    return _pictures("port-mapping")


@pytest.fixture(scope="module")
def docker_user() -> Pictures:
    return _pictures("docker-user-chain")


def test_the_page_is_the_same_bytes_for_the_same_scenario_and_seed(port_mapping: Pictures) -> None:
    again = _pictures("port-mapping")
    assert format_report(port_mapping) == format_report(again)


def test_the_page_names_no_address_outside_itself(port_mapping: Pictures) -> None:
    page = format_report(port_mapping)
    assert not re.search(r"(https?:|ftp:|//[a-z0-9.-]+\.[a-z]{2,}/)", page, re.IGNORECASE)
    for attribute in ("src=", "srcset=", "<link", "@import", "url(http"):
        assert attribute not in page
    # The only url() references point inside the page.
    assert set(re.findall(r"url\((.)", page)) <= {"#"}


def test_every_probe_of_the_transcript_is_a_button_with_its_hops(port_mapping: Pictures) -> None:
    page = format_report(port_mapping)
    probes = port_mapping.run.probes
    for number, record in enumerate(probes):
        assert f'id="probe-link-{number}"' in page
        assert f'id="probe-{number}"' in page
        assert f"probe {html.escape(record.probe)}" in page
    assert page.count('class="probe-link') == len(probes)


def test_a_dnat_hop_shows_the_headers_before_and_after(port_mapping: Pictures) -> None:
    record = port_mapping.run.probes[0]
    layout = layout_topology(port_mapping.topology)
    hops = probe_hops(record, port_mapping.topology, layout)
    nat_hops = [hop for hop in hops if any(n.kind == "DNAT" for n in hop.nat)]
    assert [hop.node for hop in nat_hops] == ["host"]
    page = format_report(port_mapping)
    dnat = next(e for e in record.events if isinstance(e, NatEvent) and e.kind == "DNAT")
    port = dnat.before[2]
    assert f'<td class="nat-before">192.168.1.20:{port} -&gt; 192.168.1.10:12345/tcp</td>' in page
    assert f'<td class="nat-after">192.168.1.20:{port} -&gt; 172.17.0.2:3306/tcp</td>' in page


def test_each_probe_has_its_brief_trace(port_mapping: Pictures) -> None:
    from netsim.render.trace import brief_lines

    page = format_report(port_mapping)
    for record in port_mapping.run.probes:
        brief = brief_lines(record)
        assert brief
        assert f"<pre>{html.escape(chr(10).join(brief))}</pre>" in page


def test_hops_follow_the_nodes_and_light_their_boxes_and_wires(port_mapping: Pictures) -> None:
    record = port_mapping.run.probes[0]
    layout = layout_topology(port_mapping.topology)
    hops = probe_hops(record, port_mapping.topology, layout)
    assert hops[0].node == "laptop"
    assert hops[-1].node == "laptop"
    assert "docker_mysql" in [hop.node for hop in hops]
    keys = {hop.node: {layout.boxes[i].key for i in hop.boxes} for hop in hops}
    assert keys["laptop"] == {"machine:laptop"}
    assert keys["docker_mysql"] == {"container:docker_mysql"}
    # The host forwards to the container through docker0: its bridge box lights with it.
    assert {"host", "bridge:docker0"} <= keys["host"]
    lan = next(hop for hop in hops if hop.node == "lan")
    assert {layout.segments[i].style for i in lan.segments} == {"lan-bus"}
    mysql = next(hop for hop in hops if hop.node == "docker_mysql")
    assert {layout.segments[i].style for i in mysql.segments} == {"veth"}
    assert sum(len(hop.events) for hop in hops) == len(record.events)


def test_a_dropped_probe_marks_the_rule_that_dropped_it(docker_user: Pictures) -> None:
    record = next(p for p in docker_user.run.probes if p.result == "timeout")
    assert record.why is not None
    assert decision_text(record) == record.why.text
    assert record.why.text.startswith(
        "dropped by DOCKER-USER #1 `-s 192.168.1.20/32 -j DROP` on host"
    )
    index = deciding_index(record)
    assert index is not None
    event = record.events[index]
    assert isinstance(event, ChainWalk)
    assert (event.node, event.table, event.verdict) == ("host", "filter", "DROP")
    assert (event.steps[-1].chain, event.steps[-1].rulenum) == ("DOCKER-USER", 1)
    layout = layout_topology(docker_user.topology)
    hops = probe_hops(record, docker_user.topology, layout)
    deciding = [hop for hop in hops if hop.decides]
    assert len(deciding) == 1
    assert deciding[0].node == "host"
    page = format_report(docker_user)
    assert 'class="walk verdict-DROP decider"' in page
    assert f'<p class="decision">why: {html.escape(record.why.text)}' in page


def test_without_a_why_the_trace_names_the_dropping_rule(docker_user: Pictures) -> None:
    record = next(p for p in docker_user.run.probes if p.result == "timeout")
    bare = replace(record, why=None)
    assert decision_text(bare) == (
        "timeout: dropped at host by filter/FORWARD "
        "DOCKER-USER#1 -A DOCKER-USER -s 192.168.1.20/32 -j DROP"
    )
    assert deciding_index(bare) == deciding_index(record)


def test_without_a_why_a_refused_probe_is_decided_by_the_kernel_rst(
    port_mapping: Pictures,
) -> None:
    record = replace(port_mapping.run.probes[2], why=None)
    assert record.result == "refused"
    assert decision_text(record) == (
        "refused: at host: socket kernel: RST nothing listens on 192.168.1.10:3306/tcp"
    )


def test_without_a_why_an_open_probe_is_decided_by_the_rule_that_accepted_it(
    port_mapping: Pictures,
) -> None:
    record = replace(port_mapping.run.probes[0], why=None)
    assert decision_text(record) == (
        "open: accepted at host by filter/FORWARD DOCKER#1 -A DOCKER -d 172.17.0.2/32 "
        "! -i docker0 -o docker0 -p tcp -m tcp --dport 3306 -j ACCEPT"
    )
    # Through docker-proxy no filter rule decides: the proxy's socket answered.
    proxied = replace(port_mapping.run.probes[1], why=None)
    assert decision_text(proxied).startswith("open: at host: socket docker-proxy: SYN-ACK")


def test_an_open_probe_s_why_is_its_line_and_its_dnat_rule_is_marked(
    port_mapping: Pictures,
) -> None:
    record = port_mapping.run.probes[0]
    assert record.why is not None
    assert decision_text(record) == record.why.text
    assert record.why.text.startswith("open by DNAT on host by nat DOCKER #2")
    index = deciding_index(record)
    assert index is not None
    event = record.events[index]
    assert isinstance(event, ChainWalk)
    assert (event.table, event.steps[-1].chain, event.steps[-1].rulenum) == ("nat", "DOCKER", 2)


def test_inline_svg_drops_the_prolog_and_prefixes_every_id() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "http://example/dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        "<metadata><rdf:RDF/></metadata><defs><style>*{a:b}</style>"
        '<path id="g1"/><clipPath id="c1"/></defs>'
        '<use xlink:href="#g1"/><path clip-path="url(#c1)"/></svg>'
    )
    assert inline_svg(svg, "t-") == (
        '<svg><defs><path id="t-g1"/><clipPath id="t-c1"/></defs>'
        '<use href="#t-g1"/><path clip-path="url(#t-c1)"/></svg>'
    )


def test_inline_svg_refuses_text_without_an_svg() -> None:
    with pytest.raises(ValueError, match="no <svg> element"):
        inline_svg("<html></html>", "t-")


def test_cli_report_writes_the_page(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "deep" / "report.html"
    code = main(
        ["report", str(SCENARIOS / "icc-disabled.yaml"), "--out", str(target)],
        stdout=out,
        stderr=err,
    )
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue() == f"wrote {target}\n"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>netsim report: icc-disabled</title>" in page


def test_cli_report_needs_out(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(SCENARIOS / "port-mapping.yaml")], stdout=io.StringIO())
    assert code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_cli_report_exits_1_when_an_expectation_fails(tmp_path: Path) -> None:
    scenario = tmp_path / "wrong.yaml"
    scenario.write_text(
        "name: wrong\nsteps:\n  - docker run -d --name web nginx\n"
        "  - probe: host -> web:80\n    expect: refused\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    code = main(
        ["report", str(scenario), "--out", str(tmp_path / "r.html")],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert code == 1
    assert "1 expectation(s) failed" in err.getvalue()
    assert (tmp_path / "r.html").exists()


def test_cli_report_refuses_a_broken_file_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nsteps:\n  - probe: web\n", encoding="utf-8")
    err = io.StringIO()
    code = main(
        ["report", str(broken), "--out", str(tmp_path / "r.html")], stdout=io.StringIO(), stderr=err
    )
    assert code == 2
    assert err.getvalue().startswith(f"netsim: {broken}:3:")
    assert not (tmp_path / "r.html").exists()


def test_cli_report_says_when_the_page_cannot_be_written(tmp_path: Path) -> None:
    err = io.StringIO()
    code = main(
        ["report", str(SCENARIOS / "port-mapping.yaml"), "--out", str(tmp_path)],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert code == 2
    assert err.getvalue() == f"netsim: {tmp_path}: Is a directory\n"
