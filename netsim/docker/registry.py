"""Registries as the scenario's world reaches them: Docker Hub is out of reach.

The world a scenario describes has no route beyond its LAN, and the host's
resolver (``nameserver`` in /etc/resolv.conf, the first address of the host's
subnet) does not exist. So every pull or search that needs Docker Hub fails as
both engines fail there: the daemon's DNS lookup of the registry times out
(checked on 20.10.24 and 28.5.2). A registry on ``localhost:PORT`` with nothing
listening refuses the connection. What a real registry would answer is not
modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

HUB_REGISTRY = "registry-1.docker.io"
HUB_INDEX = "index.docker.io"


@dataclass(frozen=True, slots=True)
class Upstream:
    """Where the daemon's lookups go: the host's address and its nameserver."""

    host_address: IPv4Address
    nameserver: IPv4Address


def lookup_timeout(upstream: Upstream, name: str, source_port: int) -> str:
    """Return Go's resolver error for a lookup of NAME that got no answer."""
    ns = upstream.nameserver
    return (
        f"dial tcp: lookup {name} on {ns}:53: read udp "
        f"{upstream.host_address}:{source_port}->{ns}:53: i/o timeout"
    )


def hub_pull_error(upstream: Upstream, source_port: int) -> str:
    """Return the daemon's error for a pull from Docker Hub in a world without it."""
    reason = lookup_timeout(upstream, HUB_REGISTRY, source_port)
    return f'Get "https://{HUB_REGISTRY}/v2/": {reason}'


def hub_search_error(upstream: Upstream, term: str, source_port: int) -> str:
    """Return the daemon's error for ``docker search TERM`` in a world without Docker Hub."""
    from urllib.parse import quote

    reason = lookup_timeout(upstream, HUB_INDEX, source_port)
    return f'Get "https://{HUB_INDEX}/v1/search?q={quote(term)}&n=25": {reason}'


# The names Docker Hub goes by in a reference.
HUB_NAMES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


def registry_host(repository: str) -> str | None:
    """Return the registry host a repository names (``localhost:5000``), or None for the Hub."""
    first, sep, _ = repository.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost") and first not in HUB_NAMES:
        return first
    return None


def local_refused_error(registry: str) -> str:
    """Return the daemon's error when nothing listens on a ``localhost:PORT`` registry.

    Go dials ``localhost`` at ``[::1]`` first (checked on both engines).
    """
    port = registry.partition(":")[2] or "443"
    scheme = "http" if registry.startswith(("localhost", "127.")) else "https"
    return f'Get "{scheme}://{registry}/v2/": dial tcp [::1]:{port}: connect: connection refused'
