"""iptables inside a container: refused without NET_ADMIN, the container's own tables with it.

A container gets iptables from its image (``images: NAME: {packages:
[iptables]}``, netsim/docker/toolsets.py): Debian 12's iptables 1.8.9,
whose ``iptables`` is the nf_tables variant. It reads and writes the
netfilter tables of the container's network namespace, which needs
CAP_NET_ADMIN: Docker's default capability set lacks it, so without
``--cap-add NET_ADMIN`` (or ALL, or ``--privileged``) the nf_tables
backend's first netlink request is refused and iptables says so with exit
status 4 (checked on Docker 20.10 and 28.5). With it, the container sees
its own namespace: empty tables on the default bridge, the embedded DNS
redirection Docker writes there on a user-defined network, and whatever
the user adds, which the data plane walks for the container's own traffic
as it walks every namespace's netfilter. A container on ``--network host``
shares the host's namespace and so sees (and changes) the host's tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsim.docker.client import CommandOutput, not_simulated
from netsim.docker.model import Container

if TYPE_CHECKING:
    from netsim.world import World

# The nf_tables variant's names (the iptables alternative in bookworm) and
# what each runs: iptables itself or iptables-save. ip6tables is refused
# alike without NET_ADMIN; with it, netsim has no IPv6 tables to show.
_IPTABLES = frozenset({"iptables", "iptables-nft"})
_IPTABLES_SAVE = frozenset({"iptables-save", "iptables-nft-save"})
_IP6TABLES = frozenset({"ip6tables", "ip6tables-nft", "ip6tables-save", "ip6tables-nft-save"})
NETADMIN_PROGRAMS = _IPTABLES | _IPTABLES_SAVE | _IP6TABLES
_VERSION = "v1.8.9 (nf_tables)"


def run_container_iptables(world: World, container: Container, argv: list[str]) -> CommandOutput:
    """Run ``iptables ...`` or ``iptables-save ...`` (ARGV) in CONTAINER's network namespace."""
    program = argv[0].rsplit("/", 1)[-1]
    shown = program.replace("-nft", "")
    if not container.has_capability("CAP_NET_ADMIN"):
        # nft's first request (the rule set's generation id) gets EPERM.
        return CommandOutput(
            4,
            "",
            f"{shown} {_VERSION}: Could not fetch rule set generation id: "
            "Permission denied (you must be root)\n",
        )
    namespace = world.container_namespaces.get(container.id)
    if namespace is None or program in _IP6TABLES:
        return not_simulated(program)
    if program in _IPTABLES_SAVE:
        code, out, err = namespace.netfilter.save_command(argv[1:])
    else:
        code, out, err = namespace.netfilter.execute(argv[1:])
    return CommandOutput(code, out, err)
