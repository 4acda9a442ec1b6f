"""Unit tests: docker command lines parsed as cobra/pflag parse them."""

import shlex

import pytest

from netsim.docker.commandline import UsageError, parse_docker, run_image


def parse(line):
    return parse_docker(shlex.split(line))


def test_run_options_and_command_after_image():
    command = parse("docker run --name web -p 80:80 -e A=1 -d nginx nginx -g 'daemon off;'")
    assert command.path == "run"
    assert command.values("publish") == ["80:80"]
    assert command.flag("detach")
    assert command.args == ("nginx", "nginx", "-g", "daemon off;")


def test_combined_short_flags_and_attached_values():
    command = parse("docker run -dP -p8080:80 --rm=false busybox")
    assert command.flag("detach") and command.flag("publish-all")
    assert command.values("publish") == ["8080:80"]
    assert not command.flag("rm")


def test_aliases_are_canonical():
    command = parse("docker container run --net mynet --net-alias db redis")
    assert command.path == "run"
    assert command.value("network") == "mynet"
    assert command.values("network-alias") == ["db"]


def test_interspersed_flags_for_rm():
    command = parse("docker rm c1 -f")
    assert command.flag("force") and command.args == ("c1",)


def test_network_subcommands():
    assert parse("docker network list").path == "network ls"
    command = parse("docker network create --subnet=10.0.0.0/24 --internal n1")
    assert command.value("subnet") == "10.0.0.0/24" and command.flag("internal")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("docker run --bogus x", "unknown flag: --bogus"),
        ("docker run -z x", "unknown shorthand flag: 'z' in -z"),
        ("docker run --name", "flag needs an argument: --name"),
        ("docker run --rm=maybe x", 'invalid argument "maybe" for "--rm" flag'),
        ("docker frobnicate", "unknown command: frobnicate"),
    ],
)
def test_usage_errors(line, message):
    with pytest.raises(UsageError, match=message):
        parse(line)


def test_run_image():
    assert (
        run_image(shlex.split("docker run -d --name x -p 1:2 mysql:5.6.35 mysqld"))
        == "mysql:5.6.35"
    )
    assert run_image(shlex.split("docker ps")) is None
    assert run_image(shlex.split("docker run --bogus x")) is None
    assert run_image(["ls"]) is None
