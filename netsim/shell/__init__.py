"""The shell on every node: run a command line as the real tools would print it.

The host and the machines run Debian's tools (iproute2, iptables 1.8.9); a
container runs what ``docker exec`` starts in its image, without a shell in
between: busybox applets in busybox and alpine, Debian's programs (bash,
dash as ``sh``, coreutils) in the Debian-based images
(``netsim/docker/toolsets.py``). Unknown commands fail as the real system
fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsim.docker.client import CommandOutput, not_simulated
from netsim.docker.files import container_environment, container_hosts, container_resolv_conf
from netsim.docker.images import has_program, image_toolset
from netsim.docker.model import Container
from netsim.kernel.commands import ip_command, sysctl_command
from netsim.scenario.words import split_words
from netsim.shell.filters import run_filter
from netsim.shell.netadmin import NETADMIN_PROGRAMS, run_container_iptables
from netsim.shell.pipeline import NodeFiles, run_line

if TYPE_CHECKING:
    from netsim.kernel.namespace import NetworkNamespace
    from netsim.world import World


def split_command(line: str) -> list[str] | CommandOutput:
    """Split a command line as sh would, or return sh's syntax error."""
    try:
        return split_words(line)
    except ValueError:
        return CommandOutput(2, "", "sh: 1: Syntax error: Unterminated quoted string\n")


# Programs the Docker host has (Debian 12 with coreutils, findutils, procps,
# iproute2, util-linux, curl, as on the real-engine harness's host; checked
# with `command -v` there) that netsim does not model: they say so instead of
# pretending. A name in neither list is not found, as dash reports it.
HOST_PROGRAMS_NOT_SIMULATED = frozenset(
    "apt apt-get arp basename bash bc bridge chmod chown comm cp curl date dd df dirname dmesg "
    "dpkg du ebtables env expand expr file find fold free id ifconfig ip6tables ip6tables-save "
    "iptables-restore join journalctl jq kill ln ls lsof md5sum mkdir mount mv netstat nl "
    "nproc nsenter od paste perl pgrep pkill printf ps python3 readlink realpath rmdir route "
    "scp sed seq service sha256sum sleep split ss ssh stat systemctl tac tar tc tee test timeout "
    "top touch tr umount uname unshare uptime vi watch wget which whoami xargs yes".split()
)


def host_files(world: World, node: str) -> NodeFiles:
    """Return the files a host or machine shell reads and writes."""
    fixed = {
        "/etc/hosts": world.etc_hosts,
        "/etc/resolv.conf": world.resolv_conf,
        "/etc/hostname": f"{node}\n",
    }
    return NodeFiles(fixed, world.written_files.setdefault(node, {}))


def run_on_node(world: World, node: str, line: str) -> CommandOutput:
    """Run a command line typed on the host or a machine (dash: lists, pipes, redirections)."""
    files = host_files(world, node)

    def run_program(argv: list[str], stdin: str) -> CommandOutput:
        return _host_program(world, node, argv, stdin, files)

    return run_line(line, run_program, files, busybox=False)


def _host_program(
    world: World, node: str, argv: list[str], stdin: str, files: NodeFiles
) -> CommandOutput:
    namespace = world.host if node == "host" else world.machines[node]
    program = argv[0]
    if program == "docker" and node == "host":
        return world.client.run(argv, stdin)
    filtered = run_filter(argv, stdin, files.read, busybox=False)
    if filtered is not None:
        return filtered
    if program == "iptables":
        code, out, err = namespace.netfilter.execute(argv[1:])
        return CommandOutput(code, out, err)
    if program == "iptables-save":
        code, out, err = namespace.netfilter.save_command(argv[1:])
        return CommandOutput(code, out, err)
    if program == "ip":
        return _ip(namespace, argv, flavor="iproute2")
    if program == "sysctl":
        code, out, err = sysctl_command(namespace, argv[1:], flavor="procps")
        return CommandOutput(code, out, err)
    if program == "hostname":
        return CommandOutput(0, f"{node}\n")
    if program == "echo":
        return _echo(argv)
    if program in ("true", ":"):
        return CommandOutput(0)
    if program == "false":
        return CommandOutput(1)
    if program == "rm":
        return _rm(argv, files)
    if program == "exit":
        # Each step is its own shell, so `exit` ends just that line.
        status = argv[1] if len(argv) > 1 else "0"
        if not status.isdigit():
            return CommandOutput(2, "", f"sh: 1: exit: Illegal number: {status}\n")
        return CommandOutput(int(status) % 256)
    if program in ("sh", "dash") and argv[1:2] == ["-c"] and len(argv) > 2:
        # A dash of its own: the line runs in this node's shell.
        return run_line(
            argv[2],
            lambda words, inner_stdin: _host_program(world, node, words, inner_stdin, files),
            files,
            busybox=False,
        )
    if program in HOST_PROGRAMS_NOT_SIMULATED or program in ("docker", "sh", "dash"):
        return not_simulated(program)
    return CommandOutput(127, "", f"sh: 1: {program}: not found\n")


def _rm(argv: list[str], files: NodeFiles) -> CommandOutput:
    """Remove files a shell wrote (GNU rm's ``-f`` and its missing-file error)."""
    options = [a for a in argv[1:] if a.startswith("-") and a != "-"]
    paths = [a for a in argv[1:] if not (a.startswith("-") and a != "-")]
    if any(o not in ("-f", "--force") for o in options):
        return not_simulated(" ".join(argv))
    force = bool(options)
    errors = ""
    for path in paths:
        if path in files.written:
            del files.written[path]
        elif path in files.fixed:
            return not_simulated("rm")
        elif not force:
            errors += f"rm: cannot remove '{path}': No such file or directory\n"
    if not paths and not force:
        return CommandOutput(1, "", "rm: missing operand\nTry 'rm --help' for more information.\n")
    return CommandOutput(1 if errors else 0, "", errors)


def _echo(argv: list[str]) -> CommandOutput:
    words = argv[1:]
    if words[:1] == ["-n"]:
        return CommandOutput(0, " ".join(words[1:]))
    return CommandOutput(0, " ".join(words) + "\n")


def _ip(namespace: NetworkNamespace, argv: list[str], *, flavor: str) -> CommandOutput:
    # No node sees the names under /var/run/netns (each has its own mount
    # namespace), so peers in other namespaces print as link-netnsid N.
    code, out, err = ip_command(namespace, argv[1:], flavor=flavor, netns_names=False)
    return CommandOutput(code, out, err)


def container_files(world: World, container: Container) -> NodeFiles:
    """Return the files netsim models in a container, and what its shells wrote."""
    if container.network_mode == "host":
        hosts, resolv = world.etc_hosts, world.resolv_conf
    else:
        hosts = container_hosts(world.daemon, container)
        resolv = container_resolv_conf(world.daemon, container, world.resolv_conf)
    fixed = {
        "/etc/hosts": hosts,
        "/etc/resolv.conf": resolv,
        "/etc/hostname": container.hostname + "\n",
    }
    return NodeFiles(fixed, world.written_files.setdefault(container.id, {}))


# busybox nc 1.35 (Debian's busybox-static, which the images run) has no -z:
# what it prints for `nc -zv HOST PORT`, checked on both engines.
_BUSYBOX_NC_USAGE = (
    "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n"
    "Usage: nc [-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]\n\n"
    "Open a pipe to IP:PORT or FILE\n\n"
    "\t-l\tListen mode, for inbound connects\n"
    "\t\t(use -ll with -e for persistent server)\n"
    "\t-p PORT\tLocal port\n"
    "\t-w SEC\tConnect timeout\n"
    "\t-i SEC\tDelay interval for lines sent\n"
    "\t-f FILE\tUse file (ala /dev/ttyS0) instead of network\n"
    "\t-e PROG\tRun PROG after connect\n"
)
_SHELLS = frozenset({"sh", "ash", "bash", "dash", "rbash"})


def run_in_container(
    world: World, container: Container, argv: list[str], env: list[str]
) -> CommandOutput:
    """Run a program in a running container as ``docker exec`` does (no shell)."""
    program = argv[0]
    if not has_program(container.image, program):
        # runc's message reaches the client on the exec's output stream, with CRLF.
        return CommandOutput(world.profile.exec_not_found_exit_code, _exec_not_found(program), "")
    files = container_files(world, container)
    return _container_program(world, container, argv, env, "", files)


def _container_program(
    world: World,
    container: Container,
    argv: list[str],
    env: list[str],
    stdin: str,
    files: NodeFiles,
) -> CommandOutput:
    program = argv[0].rsplit("/", 1)[-1]
    busybox = image_toolset(container.image).busybox
    if program in _SHELLS:
        return _container_shell(world, container, argv, env, stdin, files)
    if program == "env":
        return CommandOutput(0, "".join(e + "\n" for e in container_environment(container, env)))
    if program == "hostname":
        if busybox:
            return _hostname(argv, container.hostname, files)
        return _gnu_hostname(argv, container.hostname, files)
    filtered = run_filter(argv, stdin, files.read, busybox=busybox)
    if filtered is not None:
        return filtered
    if program == "ip":
        namespace = world.container_namespaces.get(container.id)
        if namespace is None:
            return CommandOutput(1, "", "ip: can't find device\n")
        # iproute2's ip in an image that installs it (images: packages:).
        return _ip(namespace, argv, flavor="busybox" if busybox else "iproute2")
    if program in NETADMIN_PROGRAMS:
        return run_container_iptables(world, container, argv)
    if program == "ping":
        from netsim.shell.ping import run_ping

        return run_ping(world, container.name, argv)
    if program == "nslookup" and len(argv) == 2 and not argv[1].startswith("-"):
        return _nslookup(world, container, argv[1])
    if program == "echo":
        return _echo(argv)
    if program == "ls":
        from netsim.shell.listing import run_ls

        return run_ls(argv, files, busybox=busybox)
    if program == "wget" and busybox:
        from netsim.shell.wget import run_wget

        return run_wget(world, container, argv, files)
    if program == "true":
        return CommandOutput(0)
    if program == "false":
        return CommandOutput(1)
    if program == "nc" and any(a.startswith("-") and "z" in a for a in argv[1:]):
        return CommandOutput(1, "", "nc: invalid option -- 'z'\n" + _BUSYBOX_NC_USAGE)
    return not_simulated(program)


def _nslookup(world: World, container: Container, name: str) -> CommandOutput:
    """Run busybox 1.35 ``nslookup NAME``: ask the resolv.conf nameserver for A and AAAA.

    nslookup reads no /etc/hosts. On a user-defined network the server is the
    embedded DNS: a name it knows gets its A answer and an empty AAAA answer
    (busybox prints the two in the order the answers arrive; netsim prints A
    first, as most replays show); a name it does not know is forwarded to the
    host's nameserver, which the world does not have, and times out. On the
    default bridge the copied host nameserver does not exist either. Checked
    on 20.10 and 28.5. An address (a reverse lookup) is not simulated.
    """
    from netsim.dataplane.names import embedded_lookup, parse_address, resolver_of

    if parse_address(name) is not None:
        return not_simulated(f"nslookup {name}")
    timed_out = ";; connection timed out; no servers could be reached\n\n"
    if not resolver_of(world, container.name).embedded_dns:
        return CommandOutput(1, timed_out)
    header = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n"
    address = embedded_lookup(world, container, name)
    if address is None:
        first = header if world.profile.embedded_dns_answers_unresolvable else ""
        return CommandOutput(1, first + timed_out)
    answer = f"Non-authoritative answer:\nName:\t{name}\nAddress: {address}\n\n"
    return CommandOutput(0, header + answer + "Non-authoritative answer:\n\n")


# busybox 1.35 hostname's usage text (Debian's busybox-static), checked on 28.5.
_BUSYBOX_HOSTNAME_USAGE = (
    "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n"
    "Usage: hostname [-sidf] [HOSTNAME | -F FILE]\n\n"
    "Show or set hostname or DNS domain name\n\n"
    "\t-s\tShort\n"
    "\t-i\tAddresses for the hostname\n"
    "\t-d\tDNS domain name\n"
    "\t-f\tFully qualified domain name\n"
    "\t-F FILE\tUse FILE's content as hostname\n"
)


def _hostname(argv: list[str], hostname: str, files: NodeFiles) -> CommandOutput:
    """Run busybox ``hostname [-s|-i|-d|-f]`` in a container (setting the name is refused).

    ``-i`` prints the address of the hostname's first line in /etc/hosts, as
    the lookup does; checked on 28.5 with busybox 1.35.
    """
    args = argv[1:]
    if not args:
        return CommandOutput(0, hostname + "\n")
    if len(args) > 1 or args[0] not in ("-s", "-i", "-d", "-f"):
        first = args[0]
        if first.startswith("-") and len(first) > 1:
            bad = next((c for c in first[1:] if c not in "sidf"), "")
            if bad:
                return CommandOutput(
                    1, "", f"hostname: invalid option -- '{bad}'\n" + _BUSYBOX_HOSTNAME_USAGE
                )
            return not_simulated(" ".join(argv[:2]))
        # An unprivileged container may not set its hostname.
        return CommandOutput(1, "", "hostname: sethostname: Operation not permitted\n")
    short, _, domain = hostname.partition(".")
    if args[0] == "-s":
        return CommandOutput(0, short + "\n")
    if args[0] == "-f":
        return CommandOutput(0, hostname + "\n")
    if args[0] == "-d":
        return CommandOutput(0, domain + "\n" if domain else "")
    for line in (files.read("/etc/hosts") or "").splitlines():
        fields = line.split()
        if len(fields) > 1 and hostname in fields[1:]:
            return CommandOutput(0, fields[0] + "\n")
    # Not in /etc/hosts (a --network none container): the DNS lookup after it
    # cannot reach a server, and busybox prints herror's TRY_AGAIN text, as
    # both engines showed.
    return CommandOutput(1, "", f"hostname: {hostname}: Host name lookup failure\n")


def _gnu_hostname(argv: list[str], hostname: str, files: NodeFiles) -> CommandOutput:
    """Run Debian's ``hostname [-s|-f|-d|-i]`` (hostname 3.23) in a container.

    The long name and the addresses come from /etc/hosts, the only source a
    container's resolver has for its own name: ``-f`` is the first name of
    the hostname's line, ``-i`` every address of the lines naming it.
    Setting the name and other options say they are not simulated.
    """
    args = argv[1:]
    if not args:
        return CommandOutput(0, hostname + "\n")
    if len(args) > 1 or args[0] not in ("-s", "-i", "-d", "-f"):
        return not_simulated(" ".join(argv))
    lines = [line.split() for line in (files.read("/etc/hosts") or "").splitlines()]
    matching = [f for f in lines if len(f) > 1 and not f[0].startswith("#") and hostname in f[1:]]
    if args[0] == "-s":
        return CommandOutput(0, hostname.split(".", 1)[0] + "\n")
    if not matching:
        return not_simulated(" ".join(argv))
    fqdn = matching[0][1]
    if args[0] == "-f":
        return CommandOutput(0, fqdn + "\n")
    if args[0] == "-d":
        return CommandOutput(0, (fqdn.split(".", 1)[1] if "." in fqdn else "") + "\n")
    return CommandOutput(0, " ".join(f[0] for f in matching) + "\n")


def _shell_flavor(container: Container, program: str) -> str:
    """Return which shell PROGRAM is in the container's image: ``ash``, ``dash`` or ``bash``."""
    if image_toolset(container.image).busybox:
        return "ash"
    return "bash" if program in ("bash", "rbash") else "dash"


def _not_found(flavor: str, shell: str, word: str, interactive: bool) -> str:
    """Return what the shell says about a command it cannot find (status 127)."""
    if flavor == "ash":
        return f"sh: {word}: not found\n"
    if flavor == "dash":
        return f"{shell}: 1: {word}: not found\n"
    # bash numbers the line only when it is not interactive.
    where = "" if interactive else "line 1: "
    return f"{shell}: {where}{word}: command not found\n"


def _bad_exit(flavor: str, shell: str, status: str) -> CommandOutput:
    """Return the shell's answer to ``exit`` with a non-numeric status."""
    if flavor == "ash":
        return CommandOutput(2, "", f"sh: exit: Illegal number: {status}\n")
    if flavor == "dash":
        return CommandOutput(2, "", f"{shell}: 1: exit: Illegal number: {status}\n")
    return CommandOutput(2, "", f"{shell}: line 1: exit: {status}: numeric argument required\n")


def _container_shell(
    world: World,
    container: Container,
    argv: list[str],
    env: list[str],
    stdin: str,
    files: NodeFiles,
) -> CommandOutput:
    """Run ``sh [-i] [-c LINE]`` as the image's shell does.

    busybox and alpine run busybox ash; the Debian-based images run dash as
    ``sh`` and GNU bash 5.2 as ``bash``. ``-i`` (an interactive session's
    line) changes how bash words a missing command.
    """
    shell = argv[0]
    flavor = _shell_flavor(container, shell.rsplit("/", 1)[-1])
    args = argv[1:]
    interactive = args[:1] == ["-i"]
    if interactive:
        args = args[1:]
    if not args:
        # No -c: the shell reads its standard input, which a script's exec
        # does not give (no -i), and exits 0 at its end.
        line = stdin
    elif args[0] == "-c" and len(args) > 1:
        line = args[1]
    else:
        return not_simulated(" ".join(argv[:2]))

    def run_program(words: list[str], program_stdin: str) -> CommandOutput:
        if words[0] == ":":
            return CommandOutput(0)
        if words[0] == "exit":
            status = words[1] if len(words) > 1 else "0"
            if not status.isdigit():
                return _bad_exit(flavor, shell, status)
            return CommandOutput(int(status) % 256)
        if not has_program(container.image, words[0]):
            return CommandOutput(127, "", _not_found(flavor, shell, words[0], interactive))
        return _container_program(world, container, words, env, program_stdin, files)

    return run_line(line, run_program, files, busybox=flavor == "ash")


def _exec_not_found(program: str) -> str:
    return (
        "OCI runtime exec failed: exec failed: unable to start container process: exec: "
        f'"{program}": executable file not found in $PATH: unknown\r\n'
    )
