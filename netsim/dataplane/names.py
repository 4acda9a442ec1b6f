"""Name resolution from a node's point of view: hosts files and Docker's embedded DNS.

What a probe's resolver does (the real replay's agent does the same): an IPv4
literal is used as is; otherwise the source's /etc/hosts (first matching
line, names compared case-insensitively); otherwise, when the source's
resolv.conf points at 127.0.0.11, a DNS query to Docker's embedded DNS.

The embedded DNS (libnetwork ``Sandbox.ResolveName``, docker-reference §5.1)
answers from the networks the asking container is attached to: link aliases
of that container first, then on each of its user-defined networks every
running container's name, network aliases, short ID and hostname, also as
``NAME.NETWORK``. An unknown name is forwarded to the host's nameserver,
which does not exist in the world: no answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from netsim.docker.files import container_hosts, uses_embedded_dns

if TYPE_CHECKING:
    from netsim.docker.model import Container
    from netsim.world import World

EMBEDDED_DNS = IPv4Address("127.0.0.11")


@dataclass(frozen=True, slots=True)
class ResolverConfig:
    """How one node resolves names: its hosts file and whether it asks the embedded DNS."""

    hosts: str
    embedded_dns: bool


def parse_address(text: str) -> IPv4Address | None:
    """Return ``text`` as an IPv4 address, or None when it is a name."""
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return None
    try:
        return IPv4Address(text)
    except ValueError:
        return None


def hosts_lookup(hosts: str, name: str) -> IPv4Address | None:
    """Return the first IPv4 address a hosts file gives ``name`` (case-insensitive)."""
    wanted = name.lower()
    for line in hosts.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2 or not any(alias.lower() == wanted for alias in fields[1:]):
            continue
        address = parse_address(fields[0])
        if address is not None:
            return address
    return None


def _namespace_owner(world: World, container: Container) -> Container:
    """Follow ``--network container:NAME`` to the container whose files are used."""
    seen = set()
    while container.network_mode.startswith("container:") and container.id not in seen:
        seen.add(container.id)
        target = world.container(container.network_mode.split(":", 1)[1])
        if target is None:
            try:
                target = world.daemon.find_container(container.network_mode.split(":", 1)[1])
            except Exception:  # noqa: BLE001 - a dangling reference resolves nothing
                return container
        container = target
    return container


def resolver_of(world: World, node: str) -> ResolverConfig:
    """Return the resolver configuration of the host, a machine or a container."""
    container = world.container(node)
    if container is None:
        return ResolverConfig(world.etc_hosts, False)
    if container.network_mode == "host":
        return ResolverConfig(world.etc_hosts, False)
    owner = _namespace_owner(world, container)
    if owner.network_mode == "host":
        return ResolverConfig(world.etc_hosts, False)
    return ResolverConfig(
        container_hosts(world.daemon, owner), uses_embedded_dns(world.daemon, owner)
    )


def embedded_lookup(world: World, asking: Container, name: str) -> IPv4Address | None:
    """Answer an A query at ``asking``'s embedded DNS, or None (forwarded, no answer)."""
    wanted = name.lower().rstrip(".")
    asking = _namespace_owner(world, asking)
    for network_name, endpoint in asking.endpoints.items():
        network = endpoint.network
        if not network.user_defined:
            continue
        config = asking.networks.get(network_name)
        if config is not None:
            for link in config.links:
                child_name, _, alias = link.partition(":")
                if wanted in (alias.lower(), child_name.lower()):
                    child = world.container(child_name)
                    if child is not None and child.running and network_name in child.endpoints:
                        return child.endpoints[network_name].address.ip
    for network_name, endpoint in asking.endpoints.items():
        network = endpoint.network
        if not network.user_defined:
            continue
        suffix = "." + network.name.lower()
        short = wanted[: -len(suffix)] if wanted.endswith(suffix) else None
        for other in world.daemon.containers:
            if not other.running:
                continue
            theirs = other.endpoints.get(network_name)
            if theirs is None or theirs.network is not network:
                continue
            config = other.networks.get(network_name)
            names = {other.name.lower(), other.short_id, other.hostname.lower()}
            if config is not None:
                names.update(alias.lower() for alias in config.aliases)
            if wanted in names or (short is not None and short in names):
                return theirs.address.ip
    return None
