"""Parse docker command lines the way the docker CLI (cobra + pflag) does.

The result is a value: the subcommand path, the options in the order typed
(canonical long names), and the positional arguments. Usage errors carry
pflag's own wording; the CLI profile of each engine decorates them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from netsim.docker.cli_commands import REAL_SUBCOMMANDS
from netsim.errors import NetsimError

# Flags a subcommand knows: long name -> (shorthand or "", takes a value).
FlagTable = Mapping[str, tuple[str, bool]]


def _flags(values: str, bools: str) -> FlagTable:
    """Build a flag table from two specs: ``"name/x name2"`` (x is the shorthand)."""
    table: dict[str, tuple[str, bool]] = {}
    for spec, takes_value in ((values, True), (bools, False)):
        for item in spec.split():
            name, _, short = item.partition("/")
            table[name] = (short, takes_value)
    return MappingProxyType(table)


_RUN_VALUES = (
    "add-host annotation attach/a blkio-weight blkio-weight-device cap-add cap-drop cgroup-parent "
    "cgroupns cidfile cpu-count cpu-percent cpu-period cpu-quota cpu-rt-period cpu-rt-runtime "
    "cpu-shares/c cpus cpuset-cpus cpuset-mems detach-keys device device-cgroup-rule "
    "device-read-bps device-read-iops device-write-bps device-write-iops dns dns-opt dns-option "
    "dns-search domainname entrypoint env/e env-file expose gpus group-add health-cmd "
    "health-interval health-retries health-start-interval health-start-period health-timeout "
    "hostname/h io-maxbandwidth io-maxiops ip ip6 ipc isolation kernel-memory label/l label-file "
    "link link-local-ip log-driver log-opt mac-address memory/m memory-reservation memory-swap "
    "memory-swappiness mount name network net network-alias net-alias oom-score-adj pid "
    "pids-limit platform publish/p pull restart runtime security-opt shm-size stop-signal "
    "stop-timeout storage-opt sysctl tmpfs ulimit user/u userns uts volume/v volume-driver "
    "volumes-from workdir/w"
)
_RUN_BOOLS = (
    "detach/d disable-content-trust help init interactive/i no-healthcheck oom-kill-disable "
    "privileged publish-all/P quiet/q read-only rm sig-proxy tty/t use-api-socket"
)

FLAG_TABLES: Mapping[str, FlagTable] = MappingProxyType(
    {
        "run": _flags(_RUN_VALUES, _RUN_BOOLS),
        "create": _flags(_RUN_VALUES, _RUN_BOOLS),
        "start": _flags("detach-keys checkpoint checkpoint-dir", "attach/a interactive/i help"),
        "stop": _flags("time/t timeout signal/s", "help"),
        "restart": _flags("time/t timeout signal/s", "help"),
        "kill": _flags("signal/s", "help"),
        "rm": _flags("", "force/f link/l volumes/v help"),
        "ps": _flags("filter/f format last/n", "all/a latest/l no-trunc quiet/q size/s help"),
        "port": _flags("", "help"),
        "rename": _flags("", "help"),
        "inspect": _flags("format/f type", "size/s help"),
        "exec": _flags(
            "detach-keys env/e env-file user/u workdir/w",
            "detach/d interactive/i privileged tty/t help",
        ),
        "logs": _flags("since tail/n until", "details follow/f timestamps/t help"),
        "network create": _flags(
            "attachable-unused aux-address config-from driver/d gateway ip-range ipam-driver "
            "ipam-opt label opt/o scope subnet",
            "attachable config-only ingress internal ipv4 ipv6 help",
        ),
        "network ls": _flags("filter/f format", "no-trunc quiet/q help"),
        "network inspect": _flags("format/f", "verbose/v help"),
        "network connect": _flags("alias driver-opt ip ip6 link link-local-ip gw-priority", "help"),
        "network disconnect": _flags("", "force/f help"),
        "network rm": _flags("", "force/f help"),
        "network prune": _flags("filter", "force/f help"),
        "version": _flags("format/f", "help"),
        "images": _flags("filter/f format", "all/a digests no-trunc quiet/q tree help"),
        "tag": _flags("", "help"),
        "rmi": _flags("platform", "force/f no-prune help"),
        "history": _flags("format platform", "human/H no-trunc quiet/q help"),
        "image inspect": _flags("format/f platform", "help"),
        "commit": _flags("author/a change/c message/m", "pause/p help"),
        "build": _flags(
            "tag/t file/f build-arg label network target platform iidfile cache-from",
            "no-cache pull quiet/q rm force-rm help",
        ),
        "save": _flags("output/o platform", "help"),
        "load": _flags("input/i platform", "quiet/q help"),
        "export": _flags("output/o", "help"),
        "import": _flags("change/c message/m platform", "help"),
        "pull": _flags("platform", "all-tags/a disable-content-trust quiet/q help"),
        "push": _flags("platform", "all-tags/a disable-content-trust quiet/q help"),
        "search": _flags("filter/f format limit", "no-trunc help"),
        "info": _flags("format/f", "help"),
    }
)

# What each command's usage line says after its name (cobra's ``Use``), by
# canonical path; a command not listed takes only options. CLI 28 prints it
# under a flag error (``Usage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]``,
# scenarios/create-errors; each line checked with ``docker X --bogus`` on CLI
# 28.5.2) and both CLIs under a wrong argument count.
USAGE_ARGUMENTS: Mapping[str, str] = MappingProxyType(
    {
        "run": "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        "create": "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        "start": "[OPTIONS] CONTAINER [CONTAINER...]",
        "stop": "[OPTIONS] CONTAINER [CONTAINER...]",
        "restart": "[OPTIONS] CONTAINER [CONTAINER...]",
        "kill": "[OPTIONS] CONTAINER [CONTAINER...]",
        "rm": "[OPTIONS] CONTAINER [CONTAINER...]",
        "port": "CONTAINER [PRIVATE_PORT[/PROTO]]",
        "rename": "CONTAINER NEW_NAME",
        "inspect": "[OPTIONS] NAME|ID [NAME|ID...]",
        "exec": "[OPTIONS] CONTAINER COMMAND [ARG...]",
        "logs": "[OPTIONS] CONTAINER",
        "network create": "[OPTIONS] NETWORK",
        "network inspect": "[OPTIONS] NETWORK [NETWORK...]",
        "network connect": "[OPTIONS] NETWORK CONTAINER",
        "network disconnect": "[OPTIONS] NETWORK CONTAINER",
        "network rm": "NETWORK [NETWORK...]",
        "tag": "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        "rmi": "[OPTIONS] IMAGE [IMAGE...]",
        "history": "[OPTIONS] IMAGE",
        "image inspect": "[OPTIONS] IMAGE [IMAGE...]",
        "save": "[OPTIONS] IMAGE [IMAGE...]",
        "export": "[OPTIONS] CONTAINER",
        "import": "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
        "pull": "[OPTIONS] NAME[:TAG|@DIGEST]",
        "push": "[OPTIONS] NAME[:TAG]",
        "search": "[OPTIONS] TERM",
        "commit": "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        "images": "[OPTIONS] [REPOSITORY[:TAG]]",
        # Where a management command's subcommand says it otherwise, by its name.
        "container inspect": "[OPTIONS] CONTAINER [CONTAINER...]",
    }
)

# What CLI 20.10 prints under an argument-count error (cobra's ``Short``;
# CLI 28 prints none), by cobra name, else by canonical path; checked on
# 20.10.24 with a wrong argument count.
SUMMARIES: Mapping[str, str] = MappingProxyType(
    {
        "run": "Run a command in a new container",
        "create": "Create a new container",
        "start": "Start one or more stopped containers",
        "stop": "Stop one or more running containers",
        "restart": "Restart one or more containers",
        "kill": "Kill one or more running containers",
        "rm": "Remove one or more containers",
        "port": "List port mappings or a specific mapping for the container",
        "rename": "Rename a container",
        "inspect": "Return low-level information on Docker objects",
        "container inspect": "Display detailed information on one or more containers",
        "exec": "Run a command in a running container",
        "logs": "Fetch the logs of a container",
        "network create": "Create a network",
        "network inspect": "Display detailed information on one or more networks",
        "network connect": "Connect a container to a network",
        "network disconnect": "Disconnect a container from a network",
        "network rm": "Remove one or more networks",
        "tag": "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        "rmi": "Remove one or more images",
        "history": "Show the history of an image",
        "image inspect": "Display detailed information on one or more images",
        "save": "Save one or more images to a tar archive (streamed to STDOUT by default)",
        "load": "Load an image from a tar archive or STDIN",
        "export": "Export a container's filesystem as a tar archive",
        "import": "Import the contents from a tarball to create a filesystem image",
        "pull": "Pull an image or a repository from a registry",
        "push": "Push an image or a repository to a registry",
        "search": "Search the Docker Hub for images",
        "commit": "Create a new image from a container's changes",
        "images": "List images",
        "ps": "List containers",
        "network ls": "List networks",
    }
)


@dataclass(frozen=True, slots=True)
class ArgumentCount:
    """How many arguments a command takes, as the docker CLI's cobra validators say.

    ``maximum`` None is no limit; (0, 0) is none at all. Each CLI words the
    refusal its own way (``requires exactly 1 argument`` in 20.10, ``requires
    1 argument`` in 28).
    """

    minimum: int
    maximum: int | None

    def accepts(self, count: int) -> bool:
        """Return whether COUNT arguments pass the check."""
        return count >= self.minimum and (self.maximum is None or count <= self.maximum)


# A subcommand's hidden aliases and the name cobra prints for them.
_SUBCOMMAND_NAMES = MappingProxyType({"list": "ls", "remove": "rm", "ps": "ls"})


def cobra_name(typed: str) -> str:
    """Return the command path cobra prints for the words typed (``docker image list``).

    Cobra names a command by its own name, not the alias that reached it:
    ``container ps`` is ``container ls``, ``network remove`` is ``network rm``
    (both CLIs, checked with ``--bogus``).
    """
    words = typed.split()
    if len(words) == 2:
        words[1] = _SUBCOMMAND_NAMES.get(words[1], words[1])
    return " ".join(words)


def usage_line(path: str, typed: str) -> str:
    """Return the usage line of the command at canonical PATH, reached by the words TYPED.

    ``usage_line("images", "image list")`` is
    ``docker image ls [OPTIONS] [REPOSITORY[:TAG]]``.
    """
    name = cobra_name(typed)
    arguments = USAGE_ARGUMENTS.get(name) or USAGE_ARGUMENTS.get(path, "[OPTIONS]")
    return f"docker {name} {arguments}"


# `docker container X` and friends, and aliases, mapped to the canonical path.
ALIASES: Mapping[tuple[str, ...], str] = MappingProxyType(
    {
        ("container", "run"): "run",
        ("container", "create"): "create",
        ("container", "start"): "start",
        ("container", "stop"): "stop",
        ("container", "restart"): "restart",
        ("container", "kill"): "kill",
        ("container", "rm"): "rm",
        ("container", "remove"): "rm",
        ("container", "ls"): "ps",
        ("container", "list"): "ps",
        ("container", "ps"): "ps",
        ("container", "port"): "port",
        ("container", "rename"): "rename",
        ("container", "inspect"): "inspect",
        ("container", "exec"): "exec",
        ("container", "logs"): "logs",
        ("container", "commit"): "commit",
        ("container", "export"): "export",
        ("image", "ls"): "images",
        ("image", "list"): "images",
        ("image", "rm"): "rmi",
        ("image", "remove"): "rmi",
        ("image", "tag"): "tag",
        ("image", "history"): "history",
        ("image", "pull"): "pull",
        ("image", "push"): "push",
        ("image", "save"): "save",
        ("image", "load"): "load",
        ("image", "import"): "import",
        ("image", "build"): "build",
        ("network", "list"): "network ls",
        ("network", "remove"): "network rm",
    }
)

# Every command the docker CLI knows, top level and management commands with
# their subcommands, from `docker --help` and `docker X --help` of CLI 28.5.2
# (20.10.24 lists the same ones, plus `completion`). netsim answers a known
# command it does not model with "not simulated", never with "unknown command".
DOCKER_COMMANDS: frozenset[str] = frozenset(
    "attach build builder checkpoint commit completion config container context cp create "
    "diff events exec export history image images import info inspect kill load login logout "
    "logs manifest network node pause plugin port ps pull push rename restart rm rmi run save "
    "search secret service stack start stats stop swarm system tag top trust unpause update "
    "version volume wait".split()
)
_MODELLED_SUBCOMMANDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "image": frozenset(
            "build history import inspect load ls list prune pull push rm remove save tag".split()
        ),
        "container": frozenset(
            "attach commit cp create diff exec export inspect kill logs ls list ps pause port "
            "prune rename restart rm remove run start stats stop top unpause update wait".split()
        ),
        "volume": frozenset("create inspect ls list prune rm remove update".split()),
        "system": frozenset("df events info prune".split()),
        "network": frozenset("connect create disconnect inspect ls list prune rm remove".split()),
        "builder": frozenset("build prune".split()),
        "context": frozenset("create export import inspect ls rm show update use".split()),
    }
)
# Every management command of either CLI (``docker swarm web`` is an unknown
# command, ``docker swarm init`` one netsim does not model), with the hidden
# aliases (``ls``/``list``, ``rm``/``remove``) of the ones netsim models.
MANAGEMENT_SUBCOMMANDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        name: REAL_SUBCOMMANDS.get(name, frozenset()) | _MODELLED_SUBCOMMANDS.get(name, frozenset())
        for name in REAL_SUBCOMMANDS.keys() | _MODELLED_SUBCOMMANDS.keys()
    }
)

# Commands whose flags end at the first positional argument (the rest is the
# container's command line), as cobra's SetInterspersed(false) does.
_NOT_INTERSPERSED = frozenset({"run", "create", "exec"})

# Docker's global options (before the subcommand) that take a value.
_GLOBAL_VALUES = frozenset(
    {
        "-H",
        "--host",
        "-l",
        "--log-level",
        "--config",
        "-c",
        "--context",
        "--tlscacert",
        "--tlscert",
        "--tlskey",
    }
)
_GLOBAL_BOOLS = frozenset({"-D", "--debug", "--tls", "--tlsverify"})


class UsageError(NetsimError):
    """A docker command line the CLI refuses before talking to the daemon."""

    def __init__(self, message: str, command: str) -> None:
        self.message = message
        self.command = command
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class DockerCommand:
    """One parsed docker command: canonical path, options in typed order, arguments."""

    path: str
    options: tuple[tuple[str, str], ...]
    args: tuple[str, ...]
    name: str
    """The command path cobra prints for it (``container create``, ``image ls``)."""

    @property
    def usage(self) -> str:
        """Return the command's usage line (``docker container create [OPTIONS] IMAGE ...``)."""
        return usage_line(self.path, self.name)

    @property
    def summary(self) -> str:
        """Return the command's one-line summary (cobra's ``Short``, as CLI 20.10 has it)."""
        return SUMMARIES.get(self.name) or SUMMARIES.get(self.path, "")

    @property
    def typed_name(self) -> str:
        """Return how the CLI names the command in its messages (``docker container create``)."""
        return f"docker {self.name}"

    def values(self, name: str) -> list[str]:
        """Return every value given for a long option, in order."""
        return [value for key, value in self.options if key == name]

    def value(self, name: str, default: str | None = None) -> str | None:
        """Return the last value given for a long option (pflag keeps the last)."""
        found = self.values(name)
        return found[-1] if found else default

    def flag(self, name: str) -> bool:
        """Return a boolean option's value (the last one typed wins)."""
        value = self.value(name)
        return value is not None and value.lower() in ("true", "1", "t")

    def given(self, name: str) -> bool:
        """Return whether an option was typed at all."""
        return any(key == name for key, _ in self.options)


# Hidden aliases pflag normalises to one name.
_CANONICAL = MappingProxyType(
    {"net": "network", "net-alias": "network-alias", "dns-opt": "dns-option"}
)

_BOOL_WORDS = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)


def _subcommand(argv: Sequence[str]) -> tuple[str, int]:
    """Return the canonical subcommand path and where its arguments start."""
    i = 1
    while i < len(argv) and argv[i].startswith("-"):
        word = argv[i]
        if word in _GLOBAL_VALUES:
            i += 2
        elif word.split("=", 1)[0] in _GLOBAL_VALUES or word in _GLOBAL_BOOLS:
            i += 1
        else:
            raise UsageError(
                f"unknown flag: {word}"
                if word.startswith("--")
                else f"unknown shorthand flag: {word[1:2]!r} in {word}",
                "",
            )
    if i >= len(argv):
        raise UsageError("missing subcommand", "")
    first = argv[i]
    if first in MANAGEMENT_SUBCOMMANDS and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
        pair = (first, argv[i + 1])
        path = ALIASES.get(pair, f"{first} {argv[i + 1]}")
        return path, i + 2
    return first, i + 1


def command_path(argv: Sequence[str]) -> tuple[str, str]:
    """Return the canonical subcommand path of ``docker ...`` argv and the words typed for it.

    ``docker image ls`` gives ``("images", "image ls")``.

    Raises:
        UsageError: an unknown global flag, or no subcommand at all.
    """
    path, start = _subcommand(argv)
    paired = start >= 3 and argv[start - 2] in MANAGEMENT_SUBCOMMANDS
    return path, " ".join(argv[start - 2 if paired else start - 1 : start])


# Each command's one-letter flags, by command path (``p`` -> ``publish``).
_SHORTS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        path: MappingProxyType({short: name for name, (short, _) in table.items() if short})
        for path, table in FLAG_TABLES.items()
    }
)


def is_docker_command(path: str) -> bool:
    """Return whether PATH (``stats``, ``volume ls``) is a command the real docker CLI has."""
    words = path.split()
    if not words or words[0] not in DOCKER_COMMANDS:
        return False
    subcommands = MANAGEMENT_SUBCOMMANDS.get(words[0])
    return subcommands is None or len(words) == 1 or words[1] in subcommands


def parse_docker(
    argv: Sequence[str], lacking: Mapping[str, frozenset[str]] = MappingProxyType({})
) -> DockerCommand:
    """Parse ``docker ...`` argv (``argv[0]`` is ``docker``) into a DockerCommand.

    ``lacking`` names flags this CLI version does not have, by command path.

    Raises:
        UsageError: an unknown command or flag, or a flag without its value,
            with pflag's message text.
    """
    path, start = _subcommand(argv)
    table = FLAG_TABLES.get(path)
    if table is None:
        raise UsageError(f"unknown command: {path}", path)
    shorts: Mapping[str, str]
    if path in lacking:
        table = {name: spec for name, spec in table.items() if name not in lacking[path]}
        shorts = {short: name for name, (short, _) in table.items() if short}
    else:
        shorts = _SHORTS[path]
    options: list[tuple[str, str]] = []
    args: list[str] = []
    i = start
    while i < len(argv):
        word = argv[i]
        i += 1
        if args and path in _NOT_INTERSPERSED:
            args.append(word)
            continue
        if word == "--":
            args.extend(argv[i:])
            break
        if word.startswith("--") and len(word) > 2:
            name, has_eq, inline = word[2:].partition("=")
            if name not in table:
                raise UsageError(f"unknown flag: --{name}", path)
            takes_value = table[name][1]
            if takes_value:
                if has_eq:
                    options.append((name, inline))
                elif i < len(argv):
                    options.append((name, argv[i]))
                    i += 1
                else:
                    raise UsageError(f"flag needs an argument: --{name}", path)
            else:
                value = inline if has_eq else "true"
                if value not in _BOOL_WORDS:
                    raise UsageError(
                        f'invalid argument "{value}" for "--{name}" flag: '
                        f'strconv.ParseBool: parsing "{value}": invalid syntax',
                        path,
                    )
                options.append((name, value))
        elif word.startswith("-") and len(word) > 1:
            j = 1
            while j < len(word):
                letter = word[j]
                found = shorts.get(letter)
                if found is None:
                    raise UsageError(f"unknown shorthand flag: {letter!r} in {word}", path)
                name = found
                if table[name][1]:
                    rest = word[j + 1 :]
                    if rest.startswith("="):
                        rest = rest[1:]
                    if rest:
                        options.append((name, rest))
                    elif i < len(argv):
                        options.append((name, argv[i]))
                        i += 1
                    else:
                        raise UsageError(f"flag needs an argument: {letter!r} in -{letter}", path)
                    break
                options.append((name, "true"))
                j += 1
        else:
            args.append(word)
    canonical = tuple((_CANONICAL.get(name, name), value) for name, value in options)
    name = cobra_name(command_path(argv)[1])
    return DockerCommand(path=path, options=canonical, args=tuple(args), name=name)


def run_image(argv: Sequence[str]) -> str | None:
    """Return the image of a ``docker run``/``docker create`` argv, else ``None``.

    Returns ``None`` too when the command line does not parse: the loader
    only checks images, and the CLI reports usage errors when the step runs.
    """
    if len(argv) < 2 or argv[0] != "docker":
        return None
    try:
        command = parse_docker(argv)
    except UsageError:
        return None
    if command.path not in ("run", "create") or not command.args:
        return None
    return command.args[0]
