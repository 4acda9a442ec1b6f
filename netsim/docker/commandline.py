"""Parse docker command lines the way the docker CLI (cobra + pflag) does.

The result is a value: the subcommand path, the options in the order typed
(canonical long names), and the positional arguments. Usage errors carry
pflag's own wording; the CLI profile of each engine decorates them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

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
        "info": _flags("format/f", "help"),
    }
)

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
        ("container", "inspect"): "inspect",
        ("container", "exec"): "exec",
        ("container", "logs"): "logs",
        ("network", "list"): "network ls",
        ("network", "remove"): "network rm",
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
    if first in ("network", "container") and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
        pair = (first, argv[i + 1])
        path = ALIASES.get(pair, f"{first} {argv[i + 1]}")
        return path, i + 2
    return first, i + 1


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
    if path in lacking:
        table = {name: spec for name, spec in table.items() if name not in lacking[path]}
    shorts = {short: name for name, (short, _) in table.items() if short}
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
    return DockerCommand(path=path, options=canonical, args=tuple(args))


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
