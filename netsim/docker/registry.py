"""Registries as the scenario's world reaches them: Docker Hub is out of reach.

The world a scenario describes has no route beyond its LAN, and the host's
resolver (``nameserver`` in /etc/resolv.conf, the first address of the host's
subnet) does not exist. So every pull or search that needs Docker Hub fails as
both engines fail there: the daemon's DNS lookup of the registry times out
(checked on 20.10.24 and 28.5.2).

A private registry is a ``registry`` container (the distribution registry
2.8). The daemon reaches ``HOST:PORT`` over the simulated network: the world
hands the client a ``RegistryDial`` that connects from the host as a probe
does, so what happens to the connection (docker-proxy or DNAT to the
container, refused, no route, no name) decides what the daemon answers. The
daemon speaks plain HTTP only to ``localhost``/127.0.0.0/8 (its default
insecure registries); to anything else it speaks HTTPS, which a registry
container's plain HTTP answers with Go's "server gave HTTP response to HTTPS
client" (checked on both engines). What was pushed lives in the container
that served it (``RegistryContents``), as in its volume.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, ip_address
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netsim.docker.imagestore import Image

HUB_REGISTRY = "registry-1.docker.io"
LOOPBACK = IPv4Network("127.0.0.0/8")
# The catalog image whose service is the distribution registry (images.py).
REGISTRY_IMAGE = "registry"
# The port a registry container's service listens on (the registry image's EXPOSE).
REGISTRY_PORT = 5000
# The size of a one-layer image's manifest as both engines print it after a push.
MANIFEST_SIZE_BYTES = 527
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


@dataclass(frozen=True, slots=True)
class Connection:
    """What became of the daemon's TCP connection to a registry.

    ``result`` is a probe's (open, refused, unreachable, timeout, unresolved);
    ``served_by`` names the container whose service answered, when one did.
    """

    result: str
    address: IPv4Address | None = None
    served_by: str | None = None


# Connects from the Docker host to (host name or address, port) over the data plane.
RegistryDial = Callable[[str, int], Connection]


@dataclass(slots=True)
class RegistryContents:
    """What one registry container holds: manifests by ``repository:tag`` and layers by repository.

    ``repository`` here is the path without the registry host (``mybox``).
    """

    manifests: dict[str, Image] = field(default_factory=dict)
    layers: dict[str, set[str]] = field(default_factory=dict)


def is_insecure(
    host: str, insecure: tuple[str, ...] = (), resolved: IPv4Address | None = None
) -> bool:
    """Return whether the daemon speaks plain HTTP to HOST[:PORT].

    It does to localhost and 127.0.0.0/8 always, and to what ``insecure``
    (``--insecure-registry``) names: the same ``HOST:PORT``, or a subnet that
    holds the host's address (a name's, ``resolved``, as the daemon looks it up).
    """
    name = host.rpartition(":")[0] if ":" in host else host
    if name == "localhost" or host in insecure:
        return True
    try:
        address = ip_address(name)
    except ValueError:
        if resolved is None:
            return False
        address = resolved
    subnets = [IPv4Network(entry, strict=False) for entry in insecure if "/" in entry]
    return address in LOOPBACK or any(address in subnet for subnet in subnets)


def dial_error(
    registry: str,
    connection: Connection,
    upstream: Upstream,
    source_port: int,
    insecure: tuple[str, ...] = (),
    *,
    pushing: bool = False,
    deadline: bool = False,
) -> str:
    """Return the daemon's error when its connection to REGISTRY failed.

    Go dials ``localhost`` at ``[::1]`` first and reports that address; a name
    the host's /etc/hosts does not know goes to the nameserver, which does not
    exist (checked on both engines).
    """
    name, _, port = registry.partition(":")
    port = port or "443"
    plain = is_insecure(registry, insecure, connection.address)
    url = f'Get "{"http" if plain else "https"}://{registry}/v2/"'
    if connection.result == "unresolved":
        return f"{url}: {lookup_timeout(upstream, name, source_port)}"
    target = "[::1]" if name == "localhost" else str(connection.address or name)
    reason = {
        "refused": "connect: connection refused",
        "unreachable": "connect: no route to host",
    }.get(connection.result)
    if reason is None:
        # No answer to the SYN: the HTTP client's timeout ends a pull; a push ends
        # on the dial's timeout (20.10) or its context's deadline (``deadline``,
        # 28.5). Checked on both engines with a machine dropping the SYNs; the
        # timers fire together and either engine may name another (a race).
        if not pushing:
            return (
                f"{url}: net/http: request canceled while waiting for connection "
                "(Client.Timeout exceeded while awaiting headers)"
            )
        if deadline:
            return f"{url}: context deadline exceeded"
        return f"{url}: dial tcp {target}:{port}: i/o timeout"
    return f"{url}: dial tcp {target}:{port}: {reason}"


def https_error(registry: str) -> str:
    """Return the daemon's error when an HTTPS request met a plain-HTTP registry."""
    return f'Get "https://{registry}/v2/": http: server gave HTTP response to HTTPS client'
