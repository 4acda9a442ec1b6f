"""Model tests: who refuses a run or create request decides its exit status and text.

The CLI's own parse of the request (a bad ``-p``, an unknown flag) is status
125 for run and create alike. A refusal from the daemon is 125 for run, which
reports it as its own failure, and 1 for create, which passes it on as any
command does (both engines, scenarios/create-errors).
"""

from __future__ import annotations

import pytest

from netsim.docker.commandline import cobra_name, usage_line
from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text, open_world
from netsim.session.replay import run_command
from netsim.world import World

SCENARIO = """
name: refusals
steps:
  - docker ps
"""

ENGINES = ("20.10", "28.5")


def _world(engine: str) -> World:
    world = open_world(load_scenario_text(SCENARIO), engine=engine)
    assert _run(world, "docker create --name box busybox sleep 600")[0] == 0
    return world


def _run(world: World, line: str) -> tuple[int, str, str]:
    record = run_command(world, CommandStep(index=0, line=1, command=line, on="host"))
    return record.exit_code, record.stdout, record.stderr


DAEMON_REFUSALS = (
    "--name box busybox sleep 600",
    "--name 'a b' busybox sleep 600",
    "--name linked --link nosuch:db busybox sleep 600",
)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("request_words", DAEMON_REFUSALS)
def test_a_daemon_refusal_is_1_for_create_and_125_for_run(engine: str, request_words: str) -> None:
    world = _world(engine)
    code, out, err = _run(world, f"docker create {request_words}")
    assert (code, out) == (1, "")
    assert err.startswith("Error response from daemon: ")
    assert err.count("\n") == 1  # no help line
    code, out, err = _run(world, f"docker run -d {request_words}")
    assert (code, out) == (125, "")
    assert err.startswith("docker: Error response from daemon: ")
    assert "'docker run --help'" in err


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("command", ("create", "run"))
def test_a_bad_publish_is_the_clis_refusal_in_both_commands(engine: str, command: str) -> None:
    world = _world(engine)
    code, out, err = _run(world, f"docker {command} --name bad -p 99999:80 busybox")
    assert (code, out) == (125, "")
    assert err.startswith("docker: Invalid hostPort: 99999")
    assert f"'docker {command} --help'" in err
    assert "daemon" not in err
    assert _run(world, "docker ps -a --format '{{.Names}}'")[1] == "box\n"


def test_cli_28_refuses_aliases_off_user_networks_for_create_too() -> None:
    world = _world("28.5")
    code, _, err = _run(world, "docker create --name al --network-alias a1 busybox")
    assert code == 125
    assert err == (
        "docker: network-scoped aliases are only supported for user-defined networks\n\n"
        "Run 'docker create --help' for more information\n"
    )


def test_cli_20_10_refuses_links_on_the_host_network_and_28_5_daemon_does() -> None:
    line = "docker create --name hl --network host --link box:b busybox"
    code, _, err = _run(_world("20.10"), line)
    assert (code, err) == (
        125,
        "docker: links are only supported for user-defined networks.\n"
        "See 'docker create --help'.\n",
    )
    code, _, err = _run(_world("28.5"), line)
    assert code == 1
    assert err.startswith("Error response from daemon: conflicting options: host type networking")


def test_cli_28_usage_line_names_the_command_as_cobra_does() -> None:
    code, _, err = _run(_world("28.5"), "docker container create --bogus busybox")
    assert code == 125
    assert err == (
        "unknown flag: --bogus\n\n"
        "Usage:  docker container create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
        "Run 'docker container create --help' for more information\n"
    )


@pytest.mark.parametrize(
    ("path", "typed", "line"),
    [
        ("images", "image list", "docker image ls [OPTIONS] [REPOSITORY[:TAG]]"),
        ("ps", "container ps", "docker container ls [OPTIONS]"),
        ("network rm", "network remove", "docker network rm NETWORK [NETWORK...]"),
        ("load", "load", "docker load [OPTIONS]"),
        ("run", "run", "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"),
    ],
)
def test_usage_line(path: str, typed: str, line: str) -> None:
    assert usage_line(path, typed) == line


def test_cobra_name_keeps_a_top_level_command() -> None:
    assert cobra_name("ps") == "ps"
    assert cobra_name("container rm") == "container rm"


@pytest.mark.parametrize(
    ("engine", "line", "head"),
    [
        ("20.10", "docker container create", '"docker container create" requires'),
        ("28.5", "docker container create", "docker: 'docker container create' requires"),
        ("28.5", "docker image load x", "docker: 'docker image load' accepts no arguments"),
    ],
)
def test_an_argument_count_error_names_the_command_as_typed(
    engine: str, line: str, head: str
) -> None:
    code, _, err = _run(_world(engine), line)
    assert code == 1
    assert err.startswith(head)
    assert f"Usage:  {line.split(' x')[0]} [OPTIONS]" in err


def test_container_inspect_has_its_own_usage_line() -> None:
    assert usage_line("inspect", "container inspect") == (
        "docker container inspect [OPTIONS] CONTAINER [CONTAINER...]"
    )
    assert usage_line("inspect", "inspect") == "docker inspect [OPTIONS] NAME|ID [NAME|ID...]"


def test_cli_20_10_has_no_container_remove_alias() -> None:
    code, _, err = _run(_world("20.10"), "docker container remove box")
    assert code == 1
    assert err.startswith("\nUsage:  docker container COMMAND\n")
    assert _run(_world("28.5"), "docker container remove box")[:2] == (0, "box\n")


@pytest.mark.parametrize("line", ["docker ps a", "docker container list a", "docker network ls a"])
def test_a_listing_takes_no_arguments(line: str) -> None:
    code, out, err = _run(_world("28.5"), line)
    assert (code, out) == (1, "")
    assert "accepts no arguments" in err


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("verb", ["run -d", "create"])
def test_an_expose_protocol_netsim_does_not_keep_is_said_not_simulated(engine, verb):
    # Both engines take `--expose 80/xyz` and `--expose 81/TCP` as typed (no
    # error); netsim keeps only tcp, udp and sctp, so it says so instead of
    # refusing. A bad range is still the CLI's error, checked first.
    world = _world(engine)
    name = verb.split()[0]
    for spec in ("80/xyz", "81/TCP"):
        status, out, err = _run(world, f"docker {verb} --expose {spec} busybox sleep 600")
        assert (status, out) == (69, "")
        assert err == f"netsim: 'docker {name} --expose {spec}' is not simulated\n"
    status, _, err = _run(world, f"docker {verb} --expose 80-70/xyz busybox sleep 600")
    assert status == 125 and "invalid range format for --expose: 80-70/xyz" in err
    for spec in ("80/", "80/udp", "80/sctp"):
        assert _run(world, f"docker {verb} --expose {spec} busybox sleep 600")[0] == 0
    ids = _run(world, "docker ps -aq")[1].split()
    assert len(ids) == 4  # box and the three accepted: the not-simulated ones left nothing
