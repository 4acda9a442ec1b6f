"""Containers behave like their images: what exec finds, and how each shell says what is not."""

from __future__ import annotations

import textwrap

import pytest

from netsim.results.run import CommandRecord, TypedCommand
from netsim.session import load_scenario_text, replay

RUNC_NOT_FOUND = (
    "OCI runtime exec failed: exec failed: unable to start container process: exec: "
    '"{}": executable file not found in $PATH: unknown\r\n'
)


def run_steps(body: str, engine: str = "28.5") -> list[CommandRecord]:
    text = "name: t\nsteps:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    records = replay(load_scenario_text(text, "t.yaml"), engine).steps
    return [r for r in records if isinstance(r, CommandRecord)]


@pytest.mark.parametrize(("engine", "code"), [("20.10", 126), ("28.5", 127)])
@pytest.mark.parametrize("program", ["ip addr", "ping -c 1 127.0.0.1", "iptables -L", "nslookup x"])
def test_exec_of_a_program_a_debian_image_lacks_fails_in_runc(
    engine: str, code: int, program: str
) -> None:
    *_, step = run_steps(
        f"""\
        - docker run -d --name web nginx
        - docker exec web {program}
        """,
        engine,
    )
    name = program.split()[0]
    assert (step.exit_code, step.stdout, step.stderr) == (code, RUNC_NOT_FOUND.format(name), "")


def test_the_same_programs_run_in_busybox() -> None:
    *_, route, hostname = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - docker exec box ip route
        - docker exec box hostname -i
        """
    )
    assert route.exit_code == 0 and route.stdout.startswith("default via 172.17.0.1 dev eth0")
    assert (hostname.exit_code, hostname.stdout) == (0, "172.17.0.2\n")


def test_each_shell_words_a_missing_command_its_own_way() -> None:
    *_, dash, bash, ash = run_steps(
        """\
        - docker run -d --name web nginx
        - docker run -d --name box busybox sleep 3600
        - docker exec web sh -c 'ip route'
        - docker exec web bash -c 'iptables -L'
        - docker exec box sh -c 'iptables -L'
        """
    )
    assert (dash.exit_code, dash.stderr) == (127, "sh: 1: ip: not found\n")
    assert (bash.exit_code, bash.stderr) == (127, "bash: line 1: iptables: command not found\n")
    assert (ash.exit_code, ash.stderr) == (127, "sh: iptables: not found\n")


def test_busybox_has_no_bash() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name box busybox sleep 3600
        - docker exec box bash
        """
    )
    assert (step.exit_code, step.stdout) == (127, RUNC_NOT_FOUND.format("bash"))


def test_interactive_bash_names_no_line_and_exit_keeps_the_status() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name web nginx
        - run: docker exec -it web bash
          session: [iptables -t nat -L -n, exit]
        """
    )
    assert step.session == (
        TypedCommand("iptables -t nat -L -n", "bash: iptables: command not found\n", 127),
        TypedCommand("exit", "exit\n", 127),
    )
    assert step.exit_code == 127


def test_debian_hostname_reads_the_long_name_and_addresses_from_etc_hosts() -> None:
    *_, short, fqdn, domain, address = run_steps(
        """\
        - docker run -d --name web --hostname web.example nginx
        - docker exec web hostname -s
        - docker exec web hostname -f
        - docker exec web hostname -d
        - docker exec web hostname -i
        """
    )
    assert short.stdout == "web\n"
    assert fqdn.stdout == "web.example\n"
    assert domain.stdout == "example\n"
    assert address.stdout == "172.17.0.2\n"


def test_a_coreutils_filter_in_a_debian_image_speaks_gnu() -> None:
    *_, step = run_steps(
        """\
        - docker run -d --name web nginx
        - docker exec web grep -c nameserver /etc/nosuch
        """
    )
    assert step.exit_code == 2
    assert step.stderr == "grep: /etc/nosuch: No such file or directory\n"


HEADER = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n"
TIMED_OUT = ";; connection timed out; no servers could be reached\n\n"


@pytest.mark.parametrize(("engine", "first"), [("20.10", ""), ("28.5", HEADER)])
def test_busybox_nslookup_asks_the_embedded_dns_and_reads_no_hosts_file(
    engine: str, first: str
) -> None:
    *_, found, unknown, bridge, reverse = run_steps(
        """\
        - docker network create appnet
        - docker run -d --name db --network appnet redis
        - docker run -d --name box --network appnet busybox sleep 3600
        - docker run -d --name lone busybox sleep 3600
        - docker exec box nslookup db
        - docker exec box nslookup nosuch
        - docker exec lone nslookup db
        - docker exec box nslookup 172.18.0.2
        """,
        engine,
    )
    assert (found.exit_code, found.stdout) == (
        0,
        HEADER + "Non-authoritative answer:\nName:\tdb\nAddress: 172.18.0.2\n\n"
        "Non-authoritative answer:\n\n",
    )
    assert (unknown.exit_code, unknown.stdout) == (1, first + TIMED_OUT)
    # On the default bridge the server is the host's nameserver, which does not exist.
    assert (bridge.exit_code, bridge.stdout) == (1, TIMED_OUT)
    assert reverse.exit_code == 69


def test_an_image_made_from_a_container_has_its_programs() -> None:
    *_, bash_in_copy, ip_in_copy, ip_in_busybox_copy = run_steps(
        """\
        - docker run -d --name src nginx
        - docker commit src copy:1
        - docker run -d --name c1 copy:1
        - docker run -d --name bsrc busybox sleep 3600
        - docker commit bsrc bcopy:1
        - docker run -d --name c2 bcopy:1
        - docker exec c1 bash -c 'echo bash here'
        - docker exec c1 ip addr
        - docker exec c2 ip route
        """
    )
    assert (bash_in_copy.exit_code, bash_in_copy.stdout) == (0, "bash here\n")
    assert ip_in_copy.exit_code == 127
    assert ip_in_busybox_copy.exit_code == 0


def test_a_removed_container_that_could_not_start_logs_no_wait_error_on_20_10() -> None:
    rm, kept = run_steps(
        """\
        - docker run --rm debian ping -c 1 127.0.0.1
        - docker run debian ping -c 1 127.0.0.1
        """,
        "20.10",
    )
    assert rm.exit_code == kept.exit_code == 127
    assert "error waiting for container" not in rm.stderr
    assert "error waiting for container: context canceled" in kept.stderr
