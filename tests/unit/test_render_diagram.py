"""Diagram text: Mermaid and DOT say what the topology says, with safe ids and quoting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netsim.errors import NetsimError
from netsim.render import diagram
from netsim.render.diagram import (
    format_diagram,
    format_dot,
    format_mermaid,
    render_dot,
)
from netsim.session import load_scenario, load_scenario_text, open_world, replay, replay_world


def topology_of(name: str):
    return replay(load_scenario(Path("scenarios") / f"{name}.yaml"), probes=False).topology


def test_mermaid_of_the_link_tutorial_has_network_containers_port_and_link():
    text = format_mermaid(topology_of("link-tomcat-mysql"))
    lines = text.splitlines()
    assert lines[1] == "flowchart TB"
    assert '  subgraph g_bridge["network bridge (default) · 172.17.0.0/16"]' in lines
    assert '    c_mysqldb["mysqldb<br/>mysql:5.6.35<br/>eth0 172.17.0.2"]' in lines
    assert '  b_bridge ---|"eth0 172.17.0.3"| c_tomcatApp' in lines
    assert '  host ==>|"0.0.0.0:1234, [::]:1234 → 3306/tcp"| c_mysqldb' in lines
    assert '  c_tomcatApp -.->|"--link MySQL"| c_mysqldb' in lines


def test_dot_of_the_link_tutorial_has_a_cluster_per_network_and_a_dashed_link():
    text = format_dot(topology_of("link-tomcat-mysql"))
    assert text.startswith('digraph "link-tomcat-mysql" {')
    assert 'subgraph "cluster_0" {' in text
    assert '"bridge:docker0" -> "container:mysqldb" [label="eth0 172.17.0.2"];' in text
    assert re.search(
        r'"container:tomcatApp" -> "container:mysqldb" \[dir=forward, '
        r'style=dashed.*label="--link MySQL"',
        text,
    )
    assert text.count('host -> "container:mysqldb" [dir=forward') == 1


def test_names_with_dots_and_dashes_become_safe_mermaid_ids():
    scenario = load_scenario_text(
        "name: odd\nsteps:\n  - docker network create my-net.v2\n"
        "  - docker run -d --name web.1-a --network my-net.v2 nginx\n"
    )
    text = format_mermaid(replay(scenario, probes=False).topology)
    assert "c_web_2e_1_2d_a[" in text
    assert "subgraph g_my_2d_net_2e_v2[" in text
    ids = re.findall(r"^\s+(\w+)[\[\(\{]", text, re.M)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)


def test_mermaid_and_dot_escape_quotes_and_markup():
    assert diagram._mtext('a "b" <c> & d') == '"a #quot;b#quot; #lt;c#gt; #amp; d"'
    assert diagram._dq('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'


def test_stopped_containers_are_dashed_in_both_formats():
    scenario = load_scenario_text(
        "name: stopped\nsteps:\n  - docker run -d --name db redis\n  - docker stop db\n"
    )
    topology = replay(scenario, probes=False).topology
    assert "  class c_db stopped" in format_mermaid(topology)
    assert 'style="rounded,filled,dashed"' in format_dot(topology)


def test_the_diagram_is_the_state_after_the_steps():
    topology = topology_of("network-connect")
    names = {c.name for c in topology.containers}
    world = open_world(load_scenario(Path("scenarios/network-connect.yaml")))
    replay_world(world)
    assert names == {c.name for c in world.daemon.containers}


def test_an_unknown_format_is_refused():
    with pytest.raises(
        ValueError, match="unknown diagram format 'pdf'; expected one of mermaid, dot, svg, png"
    ):
        format_diagram(topology_of("port-mapping"), "pdf")  # type: ignore[arg-type]


def test_rendering_without_graphviz_says_what_to_install(monkeypatch):
    monkeypatch.setattr(diagram, "find_dot", lambda: None)
    with pytest.raises(NetsimError, match="--format svg needs Graphviz's dot on the PATH"):
        render_dot("digraph {}", "svg")
