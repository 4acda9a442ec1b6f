"""iptables in a container of an image with the package: refused without NET_ADMIN, else its own."""

from __future__ import annotations

import textwrap

import pytest

from netsim.results.run import CommandRecord
from netsim.session import load_scenario_text, replay

IMAGE = "images:\n  netbox: {packages: [iptables, iproute2]}\n"
REFUSED = (
    "{} v1.8.9 (nf_tables): Could not fetch rule set generation id: "
    "Permission denied (you must be root)\n"
)


def run_steps(body: str, engine: str = "28.5") -> list[CommandRecord]:
    text = "name: t\n" + IMAGE + "steps:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    records = replay(load_scenario_text(text, "t.yaml"), engine).steps
    return [r for r in records if isinstance(r, CommandRecord)]


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
@pytest.mark.parametrize(
    ("command", "program"),
    [
        ("iptables -S", "iptables"),
        ("iptables -A INPUT -j DROP", "iptables"),
        ("iptables-save", "iptables-save"),
        ("ip6tables -S", "ip6tables"),
        ("ip6tables-save", "ip6tables-save"),
    ],
)
def test_without_net_admin_iptables_is_refused(engine: str, command: str, program: str) -> None:
    *_, step = run_steps(
        f"""\
        - docker run -d --name c1 netbox
        - docker exec c1 {command}
        """,
        engine,
    )
    assert (step.exit_code, step.stdout, step.stderr) == (4, "", REFUSED.format(program))


@pytest.mark.parametrize(
    "option", ["--cap-add NET_ADMIN", "--cap-add=net_admin", "--privileged", "--cap-add ALL"]
)
def test_net_admin_shows_the_containers_own_empty_tables(option: str) -> None:
    *_, listed = run_steps(
        f"""\
        - docker run -d --name c1 {option} netbox
        - docker exec c1 iptables -S
        """
    )
    assert (listed.exit_code, listed.stdout) == (
        0,
        "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n",
    )


def test_dropping_net_admin_again_refuses() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name c1 --cap-add ALL --cap-drop NET_ADMIN netbox
        - docker exec c1 iptables -S
        """
    )
    assert step.exit_code == 4


def test_a_rule_added_inside_stays_in_the_container() -> None:
    *_, inside, other, host = run_steps(
        """\
        - docker run -d --name c1 --cap-add NET_ADMIN netbox
        - docker run -d --name d1 --cap-add NET_ADMIN netbox
        - docker exec c1 iptables -A INPUT -p tcp --dport 8080 -j DROP
        - docker exec c1 iptables -S INPUT
        - docker exec d1 iptables -S INPUT
        - iptables -S INPUT
        """
    )
    assert inside.stdout == "-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 8080 -j DROP\n"
    assert other.stdout == "-P INPUT ACCEPT\n"
    assert "8080" not in host.stdout


def test_a_user_defined_network_shows_the_embedded_dns_redirection() -> None:
    *_, nat = run_steps(
        """\
        - docker network create appnet
        - docker run -d --name c1 --cap-add NET_ADMIN --network appnet netbox
        - docker exec c1 iptables -t nat -S
        """
    )
    assert "-N DOCKER_OUTPUT\n" in nat.stdout
    assert "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT\n" in nat.stdout
    assert "-j SNAT --to-source :53\n" in nat.stdout


def test_iproute2_ip_prints_in_iproute2s_format() -> None:
    *_, route = run_steps(
        """\
        - docker run -d --name c1 netbox
        - docker exec c1 ip route
        """
    )
    # iproute2 (unlike busybox) names the route's protocol.
    assert "172.17.0.0/16 dev eth0 proto kernel scope link src 172.17.0.2 \n" in route.stdout


def test_an_image_without_the_package_still_lacks_iptables() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box --cap-add NET_ADMIN busybox sleep 3600
        - docker exec box iptables -S
        """
    )
    assert step.exit_code == 127 and "executable file not found" in step.stdout


def test_a_rule_added_inside_acts_on_the_containers_traffic() -> None:
    text = textwrap.dedent(
        """\
        name: t
        images:
          netbox: {packages: [iptables], listen: [8080/tcp]}
        steps:
          - docker run -d --name web1 --cap-add NET_ADMIN netbox
          - docker run -d --name cli1 busybox sleep 600
          - probe: cli1 -> 172.17.0.2:8080
          - {on: web1, run: iptables -A INPUT -p tcp --dport 8080 -j DROP}
          - probe: cli1 -> 172.17.0.2:8080
        """
    )
    records = replay(load_scenario_text(text, "t.yaml"), "28.5").steps
    before, after = [r for r in records if not isinstance(r, CommandRecord)]
    assert before.result == "open"
    assert after.result == "timeout"


def test_a_bash_session_in_the_image_is_debians_bash() -> None:
    text = (
        "name: t\n"
        + IMAGE
        + textwrap.dedent(
            """\
        steps:
          - docker run -d --name c1 --hostname box1 --cap-add NET_ADMIN netbox
          - run: docker exec -it c1 bash
            session:
              - iptables -S OUTPUT
        """
        )
    )
    records = replay(load_scenario_text(text, "t.yaml"), "28.5").steps
    session = [r for r in records if isinstance(r, CommandRecord)][-1]
    assert session.stdout == (
        "root@box1:/# iptables -S OUTPUT\n-P OUTPUT ACCEPT\nroot@box1:/# exit\n"
    )


def test_compose_cap_add_reaches_the_container() -> None:
    text = (
        "name: t\n"
        + IMAGE
        + textwrap.dedent(
            """\
        compose:
          name: fw
          services:
            guard: {image: netbox, cap_add: [NET_ADMIN]}
            plain: {image: netbox, privileged: false}
        steps:
          - docker compose up -d
          - docker compose exec guard iptables -S INPUT
          - docker compose exec plain iptables -S INPUT
          - docker inspect -f '{{.HostConfig.CapAdd}}' fw-guard-1
        """
        )
    )
    records = replay(load_scenario_text(text, "t.yaml"), "20.10").steps
    *_, guard, plain, inspect = [r for r in records if isinstance(r, CommandRecord)]
    assert (guard.exit_code, guard.stdout) == (0, "-P INPUT ACCEPT\n")
    assert (plain.exit_code, plain.stderr) == (4, REFUSED.format("iptables"))
    assert inspect.stdout == "[NET_ADMIN]\n"


def test_ip6tables_with_net_admin_says_it_is_not_simulated() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name c1 --cap-add NET_ADMIN netbox
        - docker exec c1 ip6tables -S
        """
    )
    assert (step.exit_code, step.stdout) == (69, "")
    assert step.stderr == "netsim: 'ip6tables' is not simulated\n"
