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


# ------------------------------------------------ what the mistakes grammar found


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_rename_renames_and_names_are_looked_up_again(engine: str) -> None:
    world = _world(engine)
    for line in ("docker network create lan", "docker run -d --name aa --network lan redis"):
        assert _docker(world, line).exit_code == 0
    done = _docker(world, "docker rename aa bb")
    assert (done.exit_code, done.stdout, done.stderr) == (0, "", "")
    assert world.daemon.find_container("bb").name == "bb"
    with pytest.raises(DockerError, match="No such container: aa"):
        world.daemon.find_container("aa")
    # The old name is free again; the new one is taken.
    assert _docker(world, "docker run -d --name aa busybox sleep 60").exit_code == 0
    taken = _docker(world, "docker rename aa bb")
    assert taken.exit_code == 1
    assert taken.stderr.startswith(
        "Error response from daemon: Error when allocating new name: Conflict. The container "
        'name "/bb" is already in use by container "'
    )
    assert taken.stderr.endswith("\nError: failed to rename container named aa\n")


@pytest.mark.parametrize(
    ("line", "stderr"),
    [
        (
            "docker rename aa aa",
            "Error response from daemon: Renaming a container with the same name as its "
            "current name\nError: failed to rename container named aa\n",
        ),
        (
            "docker rename nosuch x",
            "Error response from daemon: No such container: nosuch\n"
            "Error: failed to rename container named nosuch\n",
        ),
        (
            "docker rename aa 'a b'",
            "Error response from daemon: Error when allocating new name: Invalid container name "
            "(/a b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\n"
            "Error: failed to rename container named aa\n",
        ),
        ("docker rename aa ' '", "Error: Neither old nor new names may be empty\n"),
    ],
)
def test_rename_refusals(line: str, stderr: str) -> None:
    world = _world("20.10")
    assert _docker(world, "docker create --name aa busybox sleep 60").exit_code == 0
    done = _docker(world, line)
    assert (done.exit_code, done.stderr) == (1, stderr)
    assert world.daemon.find_container("aa").name == "aa"


@pytest.mark.parametrize(
    ("engine", "stderr"),
    [
        (
            "20.10",
            "\"docker rename\" requires exactly 2 arguments.\nSee 'docker rename --help'.\n\n"
            "Usage:  docker rename CONTAINER NEW_NAME\n\nRename a container\n",
        ),
        (
            "28.5",
            "docker: 'docker rename' requires 2 arguments\n\nUsage:  docker rename CONTAINER "
            "NEW_NAME\n\nRun 'docker rename --help' for more information\n",
        ),
    ],
)
def test_rename_counts_its_arguments(engine: str, stderr: str) -> None:
    for line in ("docker rename", "docker rename aa", "docker rename aa bb cc"):
        done = _docker(_world(engine), line)
        assert (done.exit_code, done.stderr) == (1, stderr), line


@pytest.mark.parametrize(
    ("engine", "missing"),
    [
        ("20.10", "Error: No such container: nosuch\n"),
        ("28.5", "Error response from daemon: No such container: nosuch\n"),
    ],
)
def test_rm_force_does_not_fail_for_a_missing_container(engine: str, missing: str) -> None:
    world = _world(engine)
    assert _docker(world, "docker run -d --name aa busybox sleep 60").exit_code == 0
    done = _docker(world, "docker rm -f nosuch aa")
    assert (done.exit_code, done.stdout, done.stderr) == (0, "aa\n", missing)
    # Without -f a missing container fails the command.
    assert _docker(world, "docker rm nosuch").exit_code == 1
    # A missing container alone: printed, and still status 0.
    assert _docker(world, "docker rm -f nosuch").exit_code == 0


@pytest.mark.parametrize(
    ("engine", "stderr"),
    [
        ("20.10", "docker: Invalid proto: sctpx.\nSee 'docker run --help'.\n"),
        ("28.5", "docker: Invalid proto: sctpx\n\nRun 'docker run --help' for more information\n"),
    ],
)
def test_an_invalid_publish_protocol_is_the_clis_refusal(engine: str, stderr: str) -> None:
    done = _docker(_world(engine), "docker run -d -p 8080:80/sctpx busybox sleep 60")
    assert (done.exit_code, done.stderr) == (125, stderr)


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_links_follow_a_rename_of_either_end(engine: str) -> None:
    """found/rename-edges: the link holds by ID and names both ends anew."""
    world = _world(engine)
    for line in (
        "docker run -d --name db redis",
        "docker run -d --name app --link db busybox sleep 3600",
        "docker rename app app2",
    ):
        assert _docker(world, line).exit_code == 0
    assert "DB_NAME=/app2/db\n" in _docker(world, "docker exec app2 env").stdout
    assert _docker(world, "docker rename db store").exit_code == 0
    links = _docker(world, "docker inspect -f '{{json .HostConfig.Links}}' app2")
    assert links.stdout == '["/store:/app2/db"]\n'
    assert _docker(world, "docker restart app2").exit_code == 0
    hosts = _docker(world, "docker exec app2 cat /etc/hosts").stdout
    db = world.daemon.find_container("store")
    assert f"\tdb {db.short_id} store\n" in hosts
