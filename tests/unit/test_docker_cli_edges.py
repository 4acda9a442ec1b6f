"""What the fuzzer and the issue's gap list found in the docker model, unit by unit."""

from __future__ import annotations

import shlex
from ipaddress import IPv4Address

import pytest

from netsim.docker.client import CommandOutput
from netsim.docker.commandline import UsageError, parse_docker
from netsim.errors import DockerError
from netsim.session import load_scenario_text, open_world
from netsim.world import World

WORLD = """\
name: edges
steps:
  - docker ps
"""


def _world(engine: str) -> World:
    return open_world(load_scenario_text(WORLD), engine=engine)


def _docker(world: World, line: str) -> CommandOutput:
    return world.client.run(shlex.split(line))


def test_a_flag_this_cli_lacks_is_a_usage_error() -> None:
    lacking = {"network rm": frozenset({"force"})}
    with pytest.raises(UsageError, match="unknown shorthand flag: 'f' in -f"):
        parse_docker(["docker", "network", "rm", "-f", "x"], lacking)
    with pytest.raises(UsageError, match="unknown flag: --force"):
        parse_docker(["docker", "network", "rm", "--force", "x"], lacking)
    assert parse_docker(["docker", "network", "rm", "-f", "x"]).flag("force")


@pytest.mark.parametrize(
    ("engine", "code", "stderr"),
    [
        ("20.10", 125, "unknown shorthand flag: 'f' in -f\nSee 'docker network rm --help'.\n"),
        ("28.5", 0, ""),
    ],
)
def test_network_rm_force_of_a_missing_network(engine: str, code: int, stderr: str) -> None:
    done = _docker(_world(engine), "docker network rm -f nosuch")
    assert (done.exit_code, done.stderr) == (code, stderr)


def test_exec_refuses_while_a_link_target_is_stopped() -> None:
    world = _world("28.5")
    for line in (
        "docker run -d --name db redis",
        "docker run -d --name app --link db:data busybox sleep 3600",
        "docker stop db",
    ):
        assert _docker(world, line).exit_code == 0
    app = world.daemon.find_container("app")
    (link,) = app.links
    with pytest.raises(DockerError, match=r"non running container: /db AS /app/data"):
        world.daemon.check_link_running(app, link)
    done = _docker(world, "docker exec app hostname")
    assert done.exit_code == 1 and "Cannot link to a non running container" in done.stderr
    _docker(world, "docker rm -f db")  # removed since: the same refusal (fuzz seed 2044)
    with pytest.raises(DockerError, match=r"non running container: /db AS /app/data"):
        world.daemon.check_link_running(app, link)
    # A new container given the removed target's name is not the link's target
    # (both engines refuse the start; found/link-refused-ports).
    assert _docker(world, "docker run -d --name db redis").exit_code == 0
    assert world.daemon.link_target(link) is None
    with pytest.raises(DockerError, match=r"non running container: /db AS /app/data"):
        world.daemon.check_link_running(app, link)


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ("20.10", "Invalid address 10.60.0.5: It does not belong to any of this network's subnets"),
        ("28.5", "no configured subnet or ip-range contain the IP address 10.60.0.5"),
    ],
)
def test_an_address_outside_the_subnets(engine: str, message: str) -> None:
    world = _world(engine)
    _docker(world, "docker network create --subnet 10.50.0.0/24 n2")
    assert message in world.daemon.profile.address_outside_subnets_error(
        IPv4Address("10.60.0.5"), "n2"
    )
    done = _docker(world, "docker run -d --name out --network n2 --ip 10.60.0.5 redis")
    assert done.exit_code == 125 and message in done.stderr
    # 28.5 refuses before creating the container; 20.10 leaves it Created.
    created = [c.name for c in world.daemon.containers]
    assert created == (["out"] if engine == "20.10" else [])


def test_network_ls_filters() -> None:
    world = _world("28.5")
    _docker(world, "docker network create --label team=a n1")
    names = _docker(world, "docker network ls --filter driver=bridge --format '{{.Name}}'")
    assert names.stdout == "bridge\nn1\n"
    either = _docker(world, "docker network ls -f driver=host -f driver=null -q")
    assert len(either.stdout.split()) == 2
    labelled = _docker(
        world, "docker network ls -f label=team=a -f type=custom --format '{{.Name}}'"
    )
    assert labelled.stdout == "n1\n"
    bad = _docker(world, "docker network ls --filter bogus=1")
    assert (bad.exit_code, bad.stderr) == (
        1,
        "Error response from daemon: invalid filter 'bogus'\n",
    )
