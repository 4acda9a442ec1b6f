"""Property tests: random docker and shell command lines never crash the simulated host.

A refused command prints an error and exits non-zero, like a terminal; the
run goes on. Whatever is typed, the daemon and shell answer with an exit code.
"""

from __future__ import annotations

import shlex

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text, open_world
from netsim.session.replay import run_command

SCENARIO = """
name: fuzz
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker ps
"""

NAMES = st.sampled_from(["web", "db", "ghost", "x1", "bridge", "host", "none", "n1", "n2", "a"])
IMAGES = st.sampled_from(["nginx", "redis", "mysql:5.6.35", "busybox", "tomcat"])
PORTS = st.sampled_from(
    [
        "80",
        "8080:80",
        "127.0.0.1::80",
        "1-2:3-4",
        "0:0",
        "70000:1",
        "abc",
        "9000:80/udp",
        "[::1]:80:80",
        "::80",
        "",
    ]
)
IPS = st.sampled_from(["172.17.0.9", "10.0.0.5", "999.1.1.1", "172.18.0.3", ""])
SUBNETS = st.sampled_from(["10.0.0.0/24", "172.17.5.0/24", "10.0.0.0/33", "bogus", "10.0.1.0/24"])
FLAGS = st.sampled_from(
    ["-d", "--rm", "-P", "-f", "-a", "--internal", "-q", "--bogus", "-z", "--no-trunc"]
)


@st.composite
def docker_lines(draw: st.DrawFn) -> str:
    """Draw a docker command line from a grammar of realistic and broken pieces."""
    verb = draw(
        st.sampled_from(
            [
                "run",
                "create",
                "start",
                "stop",
                "restart",
                "rm",
                "ps",
                "port",
                "inspect",
                "exec",
                "network create",
                "network rm",
                "network connect",
                "network disconnect",
                "network inspect",
                "network ls",
                "kill",
                "frob",
            ]
        )
    )
    words = ["docker", *verb.split()]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 10))
        if kind == 0:
            words += ["--name", draw(NAMES)]
        elif kind == 1:
            words += ["-p", draw(PORTS)]
        elif kind == 2:
            words += ["--network", draw(NAMES)]
        elif kind == 3:
            words += ["--ip", draw(IPS)]
        elif kind == 4:
            words += ["--link", f"{draw(NAMES)}:{draw(NAMES)}"]
        elif kind == 5:
            words += ["--subnet", draw(SUBNETS)]
        elif kind == 7:
            words += [
                "--expose",
                draw(st.sampled_from(["80", "80-90", "abc", "1-70000", "53/udp", "9/icmp"])),
            ]
        elif kind == 8:
            words += ["--alias", draw(NAMES)]
        elif kind == 9:
            words += [
                "-o",
                draw(
                    st.sampled_from(
                        [
                            "com.docker.network.bridge.name=docker0",
                            "com.docker.network.bridge.enable_icc=false",
                            "flag",
                        ]
                    )
                ),
            ]
        elif kind == 6:
            words += [
                "-f",
                "{{" + draw(st.sampled_from([".Name", "json .", ".Nope.X", "("])) + "}}",
            ]
        else:
            words.append(draw(FLAGS))
    for _ in range(draw(st.integers(0, 3))):
        words.append(draw(st.one_of(NAMES, IMAGES)))
    return shlex.join(words)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(docker_lines(), min_size=1, max_size=12))
def test_random_docker_sessions_never_crash(lines: list[str]) -> None:
    world = open_world(load_scenario_text(SCENARIO))
    for index, line in enumerate(lines):
        output = run_command(world, CommandStep(index=index, line=1, command=line))
        assert isinstance(output.exit_code, int)
        assert output.exit_code == 0 or output.stderr or output.stdout, line


SHELL = st.one_of(
    st.text(max_size=30),
    st.lists(
        st.sampled_from(
            [
                "iptables",
                "ip",
                "-t",
                "nat",
                "-L",
                "-n",
                "-S",
                "addr",
                "route",
                "cat",
                "/etc/hosts",
                "sysctl",
                "net.ipv4.ip_forward",
                "env",
                "-A",
                "DOCKER",
                "-j",
                "DROP",
                "'",
                "link",
                "show",
                "x",
            ]
        ),
        max_size=8,
    ).map(" ".join),
)


@settings(max_examples=80, deadline=None)
@given(SHELL, st.sampled_from(["host", "laptop"]))
def test_random_shell_lines_never_crash(line: str, node: str) -> None:
    world = open_world(load_scenario_text(SCENARIO))
    if not line.strip():
        return
    output = run_command(world, CommandStep(index=0, line=1, command=line, on=node))
    assert isinstance(output.exit_code, int)
