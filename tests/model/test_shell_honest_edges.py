"""Honest edges: what netsim does not model says so; what does not exist fails as it does."""

from __future__ import annotations

import pytest

from netsim.docker.client import NOT_SIMULATED_EXIT_CODE
from netsim.docker.commandline import DOCKER_COMMANDS, is_docker_command
from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text, open_world
from netsim.session.replay import run_command
from netsim.world import World

SCENARIO = """
name: edges
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker ps
"""


def _world(engine: str) -> World:
    world = open_world(load_scenario_text(SCENARIO), engine=engine)
    _run(world, "docker run -d --name box busybox sleep 3600")
    return world


def _run(world: World, line: str, on: str = "host") -> tuple[int, str, str]:
    record = run_command(world, CommandStep(index=0, line=1, command=line, on=on))
    return record.exit_code, record.stdout, record.stderr


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("docker stats --no-stream", "docker stats"),
        ("docker volume ls", "docker volume ls"),
        ("docker container stats box", "docker container stats"),
        ("docker system df", "docker system df"),
        ("docker version", "docker version"),
        ("docker network prune -f", "docker network prune"),
        ("docker exec box nslookup -type=mx db", "nslookup"),
        # wget and ls are simulated for what netsim models (HTTP, its files), not beyond.
        ("docker exec box wget -O- https://172.17.0.1/", "wget https://"),
        ("docker exec box ls /", "ls /"),
        ("docker exec box sh -c 'nslookup 172.17.0.2'", "nslookup 172.17.0.2"),
        ("ls /", "ls"),
        ("ps aux", "ps"),
        # A LOG rule's lines go to the kernel log, which netsim does not keep.
        ("dmesg", "dmesg"),
        ("sed -n 1p /etc/hosts", "sed"),
        ("cat /etc/hosts | grep -P x", "grep -P x"),
    ],
)
@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_a_real_command_netsim_does_not_model_says_so(line: str, what: str, engine: str) -> None:
    assert _run(_world(engine), line) == (
        NOT_SIMULATED_EXIT_CODE,
        "",
        f"netsim: '{what}' is not simulated\n",
    )


def test_a_docker_command_that_does_not_exist_is_refused_as_each_cli_refuses_it() -> None:
    # Both texts as the real CLIs print them (checked with netsim.verify run).
    assert _run(_world("20.10"), "docker frobnicate") == (
        1,
        "",
        "docker: 'frobnicate' is not a docker command.\nSee 'docker --help'\n",
    )
    assert _run(_world("28.5"), "docker frobnicate") == (
        1,
        "",
        "docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information\n",
    )


def test_programs_that_do_not_exist_fail_as_the_real_system_fails() -> None:
    world = _world("28.5")
    assert _run(world, "nslookup web") == (127, "", "sh: 1: nslookup: not found\n")
    assert _run(world, "docker exec box sh -c nosuch") == (127, "", "sh: nosuch: not found\n")
    code, out, _ = _run(world, "docker exec box bash")
    assert code == 127
    assert 'exec: "bash": executable file not found in $PATH' in out


def test_a_shell_in_a_container_runs_its_line() -> None:
    world = _world("28.5")
    assert _run(world, "docker exec box sh -c 'echo hi'") == (0, "hi\n", "")
    assert _run(world, "sh -c 'echo hi && false || echo rescued'", on="box") == (
        0,
        "hi\nrescued\n",
        "",
    )
    assert _run(world, "sh -c 'echo x > /tmp/f; cat /tmp/f /tmp/f'", on="box") == (
        0,
        "x\nx\n",
        "",
    )
    assert _run(world, "sh -c 'cat /tmp/f'", on="box")[0] == 0
    assert _run(world, "cat /tmp/f")[0] == 1, "the container's file is not the host's"


def test_busybox_nc_refuses_z_as_debians_busybox_does() -> None:
    code, _, err = _run(_world("20.10"), "docker exec box nc -zv 172.17.0.1 80")
    assert code == 1
    assert err.startswith("nc: invalid option -- 'z'\nBusyBox v1.35.0")


def test_the_command_table_knows_the_real_cli_commands_and_only_those() -> None:
    assert {"images", "rmi", "commit", "save", "load", "push", "search"} <= DOCKER_COMMANDS
    assert is_docker_command("image prune")
    assert not is_docker_command("image frobnicate")
    assert not is_docker_command("frobnicate")


def test_debian_based_images_have_bash_and_busybox_does_not() -> None:
    world = _world("28.5")
    _run(world, "docker run -d --name db mysql:5.6.35")
    assert _run(world, "docker exec db bash -c 'echo in bash'") == (0, "in bash\n", "")
    assert _run(world, "docker exec box bash")[0] == 127


def test_logs_of_a_quiet_process_are_empty_and_of_a_service_not_simulated() -> None:
    world = _world("28.5")
    assert _run(world, "docker logs box") == (0, "", "")
    _run(world, "docker run -d --name web nginx")
    assert _run(world, "docker logs web")[0] == NOT_SIMULATED_EXIT_CODE


def test_a_shell_without_a_terminal_ends_at_once_and_with_one_stays_up() -> None:
    world = _world("20.10")
    _run(world, "docker run -d --name plain ubuntu")
    _run(world, "docker run -d -t --name tty ubuntu")
    _run(world, "docker run -d --name once busybox sh -c 'exit 3'")
    assert _run(world, "docker ps -a --format '{{.Names}} {{.State}}' | sort") == (
        0,
        "box running\nonce exited\nplain exited\ntty running\n",
        "",
    )
    assert _run(world, "docker inspect once --format '{{.State.ExitCode}}'") == (0, "3\n", "")
    assert _run(world, "docker inspect tty --format '{{.Config.Tty}}'") == (0, "true\n", "")
    _run(world, "docker stop tty")
    assert _run(world, "docker inspect tty --format '{{.State.ExitCode}}'") == (0, "137\n", "")


def test_it_without_a_terminal_is_refused_as_the_cli_refuses_it() -> None:
    world = _world("28.5")
    assert _run(world, "docker exec -it box sh") == (1, "", "the input device is not a TTY\n")
    assert _run(world, "docker run -it --rm busybox sh") == (
        1,
        "",
        "the input device is not a TTY\n",
    )
    assert _run(world, "docker exec -t box echo hi") == (0, "hi\n", "")


def test_sh_c_on_the_host_runs_its_line_in_dash() -> None:
    world = _world("28.5")
    assert _run(world, "sh -c 'echo hi | grep -c h && nosuch'") == (
        127,
        "1\n",
        "sh: 1: nosuch: not found\n",
    )
