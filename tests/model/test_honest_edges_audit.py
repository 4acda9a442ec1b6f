"""The honest-edges audit: every program and docker command, run, never silent with 0 by accident.

In a small world (a busybox, an alpine and a Debian-based nginx container, the
host and a LAN machine) every program of each toolset, every host program name
and every command of the real docker CLIs runs with no argument and with one
typical argument. A result with exit code 0 and nothing on either stream is a
failure unless the real program also prints nothing there: ``_REALLY_SILENT``
says which, each with its evidence. "not simulated" must come with its own
exit code, and "unknown command" only for names the real CLI does not know.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

import pytest

from netsim.docker.cli_commands import REAL_SUBCOMMANDS
from netsim.docker.client import NOT_SIMULATED_EXIT_CODE
from netsim.docker.images import image_toolset
from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text, open_world
from netsim.session.replay import run_command
from netsim.shell import HOST_PROGRAMS_NOT_SIMULATED
from netsim.shell.filters import FILTERS
from netsim.world import World

SCENARIO = """
name: audit
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker ps
"""
SETUP = (
    "docker network create lan",
    "docker run -d --name box --network lan busybox sleep 3600",
    "docker run -d --name alp --network lan alpine sleep 3600",
    "docker run -d --name web --network lan nginx",
)
CONTAINERS = ("box", "alp", "web")
# One typical argument: a file every node has, a name every node can look up.
TYPICAL = ("/etc/hosts", "web")

# The top-level commands of `docker --help` (CLI 20.10.24 and 28.5.2, run from
# /var/cache/netsim-engines/<version>; no daemon is needed for help).
REAL_TOP_LEVEL = {
    "20.10": "builder completion config container context image manifest network node plugin "
    "secret service stack swarm system trust volume attach build commit cp create diff events "
    "exec export history images import info inspect kill load login logout logs pause port ps "
    "pull push rename restart rm rmi run save search start stats stop tag top unpause update "
    "version wait",
    "28.5": "run exec ps build pull push images login logout search version info builder "
    "checkpoint container context image manifest network plugin system trust volume config node "
    "secret service stack swarm attach commit cp create diff events export history import "
    "inspect kill load logs pause port rename restart rm rmi save start stats stop tag top "
    "unpause update wait",
}
# The host's programs netsim simulates (netsim/shell/__init__.py, filters.py),
# and the ones other work adds there; a name in no list is "not found".
HOST_SIMULATED = frozenset(
    "iptables iptables-save ip sysctl hostname echo true : false rm exit sh dash docker "
    "wget curl ls".split()
)
SHELLS = frozenset({"sh", "ash", "bash", "dash", "rbash"})
# Filters that read standard input when given no file: a step's (and a
# `docker exec` without -i's) input is empty, so they print nothing, exit 0.
STDIN_READERS = frozenset({"cat", "head", "tail", "sort", "uniq", "less", "more", "tac"})


def _really_silent(where: str, argv: list[str]) -> bool:
    """Return whether the real ARGV prints nothing and exits 0 on WHERE (a node or ``docker``).

    Each entry is a behaviour with its evidence; the container and docker ones
    are replayed on both engines in scenarios/silent-edges.yaml (recorded in
    tests/conformance/recorded/*/silent-edges.json):
    - ``:`` and ``true`` with any arguments (POSIX: they ignore them).
    - ``exit`` with no status (the last status, 0 at the start).
    - a shell with no command reads its empty input and exits 0 (dash, bash and
      busybox ash at end of file; ``docker exec box sh`` on both engines).
    - a filter with no file reads its empty input (GNU and busybox: no output).
    - ``iptables-save`` on a machine whose kernel has no tables yet: iptables
      1.8.9 (nf_tables) in a fresh network namespace (``unshare -n
      iptables-save``) prints nothing and exits 0.
    - ``docker port C`` of a container that publishes nothing: no lines, 0.
    - ``ls`` in an empty working directory (a node's; GNU ls prints nothing).
    """
    program, args = argv[0], argv[1:]
    if program in (":", "true"):
        return True
    if program == "exit" and not args:
        return True
    if program in SHELLS and not args:
        return True
    if program in STDIN_READERS and not args:
        return True
    if program == "iptables-save" and where not in ("host",) and not args:
        return True
    if program == "ls" and where in ("host", "laptop") and not args:
        # The step's working directory on a node may be empty (a real `ls` there
        # prints nothing); in a container it is the image's /, never empty.
        return True
    return where == "docker" and argv[:2] in (["port", "web"], ["container", "port"])


def _world(engine: str, setup: tuple[str, ...] = SETUP) -> World:
    world = open_world(load_scenario_text(SCENARIO), engine=engine)
    for line in setup:
        assert _run(world, line)[0] == 0, line
    return world


def _run(world: World, line: str, on: str = "host") -> tuple[int, str, str]:
    record = run_command(world, CommandStep(index=0, line=1, command=line, on=on))
    return record.exit_code, record.stdout, record.stderr


def _problems(
    world: World,
    line: str,
    on: str,
    where: str,
    argv: list[str],
    *,
    known: bool = False,
    exists: bool = True,
) -> Iterator[str]:
    """Yield what is wrong with running LINE on ON (ARGV is the program's own argv).

    WHERE is the container or node ARGV's program exists on (``docker``: a
    docker command); KNOWN says the real CLI knows that docker command, so it
    may not be called unknown; EXISTS that the program is there, so it may
    not be called missing.
    """
    try:
        code, out, err = _run(world, line, on)
    except Exception as error:  # an audit reports every crash, whatever it is
        yield f"{on}$ {line}: crashed with {error!r}"
        return
    if code == 0 and not out and not err and not _really_silent(where, argv):
        yield f"{on}$ {line}: printed nothing and exited 0"
    if ("is not simulated" in err) != (code == NOT_SIMULATED_EXIT_CODE):
        yield f"{on}$ {line}: 'not simulated' and exit {code} do not go together: {err!r}"
    if known and ("unknown command" in err or "is not a docker command" in err):
        yield f"{on}$ {line}: a real command called unknown: {err!r}"
    # The program exists where it runs, so neither runc nor a shell may say it does not.
    missing = (f'"{argv[0]}": executable file not found', f"{argv[0]}: not found")
    if exists and where != "docker" and any(text in out + err for text in missing):
        yield f"{on}$ {line}: an existing program called missing: {(out + err)!r}"


def _variants(program: str) -> Iterator[list[str]]:
    yield [program]
    for arg in TYPICAL:
        yield [program, arg]


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_no_program_in_a_container_is_silent_by_accident(engine: str) -> None:
    world = _world(engine)
    problems: list[str] = []
    for name in CONTAINERS:
        programs = image_toolset(world.daemon.find_container(name).image).programs
        assert programs, name
        for program in sorted(programs):
            for argv in _variants(program):
                words = shlex.join(argv)
                for line in (
                    f"docker exec {name} {words}",
                    f"docker exec {name} sh -c {shlex.quote(words)}",
                ):
                    problems += _problems(world, line, "host", name, argv)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_no_program_on_the_host_or_a_machine_is_silent_by_accident(engine: str) -> None:
    world = _world(engine)
    programs = HOST_PROGRAMS_NOT_SIMULATED | HOST_SIMULATED | FILTERS
    problems: list[str] = []
    for on in ("host", "laptop"):
        for program in sorted(programs):
            if program == "docker" and on == "host":
                continue  # the docker commands have their own audit below
            # A LAN machine is a Debian host without Docker.
            exists = not (program == "docker" and on != "host")
            for argv in _variants(program):
                problems += _problems(world, shlex.join(argv), on, on, argv, exists=exists)
    assert not problems, "\n".join(problems)


def _docker_paths(engine: str) -> list[str]:
    top = REAL_TOP_LEVEL[engine].split()
    paths = list(top)
    for name in top:
        paths += [f"{name} {sub}" for sub in sorted(REAL_SUBCOMMANDS.get(name, ()))]
    return paths


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_no_docker_command_is_silent_by_accident_or_called_unknown(engine: str) -> None:
    problems: list[str] = []
    for path in _docker_paths(engine):
        for argv in (path.split(), [*path.split(), "web"]):
            # Each command gets a fresh world: `docker rm web` must not change the next one.
            world = _world(engine, ("docker run -d --name web nginx",))
            line = shlex.join(["docker", *argv])
            # `docker network web`: "web" is no subcommand, so that one is unknown.
            known = not (path in REAL_SUBCOMMANDS and len(argv) > 1)
            problems += _problems(world, line, "host", "docker", argv, known=known)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
@pytest.mark.parametrize(
    "line", ["docker frobnicate", "docker network frobnicate", "docker swarm x"]
)
def test_a_name_the_real_cli_does_not_know_is_unknown(engine: str, line: str) -> None:
    code, out, err = _run(_world(engine), line)
    assert (code, out) == (1, "")
    assert "unknown command" in err or "is not a docker command" in err or "Usage:" in err
    assert "not simulated" not in err


def test_an_unknown_subcommand_prints_what_each_cli_prints() -> None:
    # CLI 28.5.2 and 20.10.24 (`docker network web`, no daemon needed).
    assert _run(_world("28.5"), "docker network web") == (
        1,
        "",
        "docker: unknown command: docker network web\n\nUsage:  docker network\n\n"
        "Run 'docker network --help' for more information\n",
    )
    code, out, err = _run(_world("20.10"), "docker network web")
    assert (code, out) == (1, "")
    assert err.startswith("\nUsage:  docker network COMMAND\n\nManage networks\n\nCommands:\n")
    assert err.endswith("Run 'docker network COMMAND --help' for more information on a command.\n")


@pytest.mark.parametrize(("engine", "first"), [("20.10", "\nUsage:"), ("28.5", "Usage:")])
def test_a_management_command_alone_prints_its_help(engine: str, first: str) -> None:
    # Both CLIs print the help on standard error with status 0 (no daemon needed).
    code, out, err = _run(_world(engine, ()), "docker network")
    assert (code, out) == (0, "")
    assert err.startswith(f"{first}  docker network COMMAND\n\nManage networks\n\nCommands:\n")
    assert "  connect     Connect a container to a network\n" in err


def test_28_5_builder_help_is_not_simulated_since_it_depends_on_buildx() -> None:
    assert _run(_world("28.5", ()), "docker builder") == (
        NOT_SIMULATED_EXIT_CODE,
        "",
        "netsim: 'docker builder' is not simulated\n",
    )
