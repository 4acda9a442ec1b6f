"""The shell on every node: run a command line as the real tools would print it.

The host and the machines run Debian's tools (iproute2, iptables 1.8.9); a
container runs what ``docker exec`` starts in a busybox image, without a
shell in between. Unknown commands fail as the real system fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsim.docker.client import CommandOutput
from netsim.docker.files import container_environment, container_hosts, container_resolv_conf
from netsim.docker.images import has_program
from netsim.docker.model import Container
from netsim.kernel.commands import ip_command, sysctl_command
from netsim.scenario.words import split_words

if TYPE_CHECKING:
    from netsim.kernel.namespace import NetworkNamespace
    from netsim.world import World


def split_command(line: str) -> list[str] | CommandOutput:
    """Split a command line as sh would, or return sh's syntax error."""
    try:
        return split_words(line)
    except ValueError:
        return CommandOutput(2, "", "sh: 1: Syntax error: Unterminated quoted string\n")


def run_on_node(world: World, node: str, line: str) -> CommandOutput:
    """Run a command line typed on the host or a machine."""
    argv = split_command(line)
    if isinstance(argv, CommandOutput):
        return argv
    if not argv:
        return CommandOutput(0)
    namespace = world.host if node == "host" else world.machines[node]
    program = argv[0]
    if program == "docker" and node == "host":
        return world.client.run(argv)
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
    if program == "cat":
        files = {
            "/etc/hosts": world.etc_hosts,
            "/etc/resolv.conf": world.resolv_conf,
            "/etc/hostname": f"{node}\n",
        }
        return _cat(argv, files, busybox=False)
    if program == "echo":
        return CommandOutput(0, " ".join(argv[1:]) + "\n")
    if program in ("true", ":"):
        return CommandOutput(0)
    if program == "false":
        return CommandOutput(1)
    return CommandOutput(127, "", f"sh: 1: {program}: not found\n")


def _ip(namespace: NetworkNamespace, argv: list[str], *, flavor: str) -> CommandOutput:
    # No node sees the names under /var/run/netns (each has its own mount
    # namespace), so peers in other namespaces print as link-netnsid N.
    code, out, err = ip_command(namespace, argv[1:], flavor=flavor, netns_names=False)
    return CommandOutput(code, out, err)


def _cat(argv: list[str], files: dict[str, str], *, busybox: bool) -> CommandOutput:
    out: list[str] = []
    errors: list[str] = []
    for path in argv[1:]:
        if path in files:
            out.append(files[path])
        else:
            errors.append(
                f"cat: can't open '{path}': No such file or directory\n"
                if busybox
                else f"cat: {path}: No such file or directory\n"
            )
    return CommandOutput(1 if errors else 0, "".join(out), "".join(errors))


def run_in_container(
    world: World, container: Container, argv: list[str], env: list[str]
) -> CommandOutput:
    """Run a program in a running container as ``docker exec`` does (no shell)."""
    program = argv[0]
    if not has_program(container.image, program):
        # runc's message reaches the client on the exec's output stream, with CRLF.
        return CommandOutput(world.profile.exec_not_found_exit_code, _exec_not_found(program), "")
    daemon = world.daemon
    if program == "env":
        return CommandOutput(0, "".join(e + "\n" for e in container_environment(container, env)))
    if program == "hostname":
        return CommandOutput(0, container.hostname + "\n")
    if program == "cat":
        if container.network_mode == "host":
            hosts, resolv = world.etc_hosts, world.resolv_conf
        else:
            hosts = container_hosts(daemon, container)
            resolv = container_resolv_conf(daemon, container, world.resolv_conf)
        files = {
            "/etc/hosts": hosts,
            "/etc/resolv.conf": resolv,
            "/etc/hostname": container.hostname + "\n",
        }
        return _cat(argv, files, busybox=True)
    if program == "ip":
        namespace = world.container_namespaces.get(container.id)
        if namespace is None:
            return CommandOutput(1, "", "ip: can't find device\n")
        return _ip(namespace, argv, flavor="busybox")
    if program == "ping":
        from netsim.shell.ping import run_ping

        return run_ping(world, container.name, argv)
    if program == "echo":
        return CommandOutput(0, " ".join(argv[1:]) + "\n")
    if program == "true":
        return CommandOutput(0)
    if program == "false":
        return CommandOutput(1)
    return CommandOutput(0)


def _exec_not_found(program: str) -> str:
    return (
        "OCI runtime exec failed: exec failed: unable to start container process: exec: "
        f'"{program}": executable file not found in $PATH: unknown\r\n'
    )
