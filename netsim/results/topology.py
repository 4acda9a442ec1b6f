"""The network of a world after its steps, as frozen values every picture and diagram draws.

The session takes this snapshot once (``netsim.session.snapshot_topology``):
the LAN and its machines, the host, one group per Docker network with its
bridge, the containers with their veth pairs and addresses, the published
ports and the legacy links. Nothing here imports the simulator.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Address
from typing import Literal

HOST = "host"
# The namespace of the LAN's switch, as trace events name it (``netsim.world``).
LAN_NODE = "lan"
GroupKind = Literal["bridge", "host", "none", "missing"]
"""A group's kind: a bridge network, ``--network host`` or ``none``, or a network the
containers were created on that does not exist (they are attached to nothing)."""


@dataclass(frozen=True, slots=True)
class Machine:
    """A machine on the LAN (not the Docker host)."""

    name: str
    address: IPv4Interface
    listen: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NetworkGroup:
    """A Docker network drawn as a group: its bridge (if any) and its containers."""

    name: str
    kind: GroupKind
    bridge: str = ""
    subnet: IPv4Network | None = None
    gateway: IPv4Address | None = None
    internal: bool = False
    default_bridge: bool = False
    icc: bool = True

    @property
    def flags(self) -> tuple[str, ...]:
        """Return what sets the network apart: ``default``, ``internal``, ``icc off``."""
        marks = (
            ("default", self.default_bridge),
            ("internal", self.internal),
            ("icc off", not self.icc),
        )
        return tuple(name for name, on in marks if on)

    @property
    def missing(self) -> str:
        """Return what a ``missing`` group lacks, ``container`` or ``network`` ("" otherwise).

        A container created with ``--network container:NAME`` for a NAME that
        does not exist is drawn in the group named after that mode.
        """
        if self.kind != "missing":
            return ""
        return "container" if self.name.startswith("container:") else "network"

    @property
    def node(self) -> str:
        """Return the graph node of the group's bridge (or of the group itself)."""
        return f"bridge:{self.bridge}" if self.bridge else f"group:{self.name}"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A container's endpoint on a network: one veth pair."""

    network: str
    address: IPv4Interface
    ifname: str
    host_veth: str


@dataclass(frozen=True, slots=True)
class Published:
    """A published port: host address and port to a container's port."""

    container: str
    host_ip: IPv4Address | IPv6Address
    host_port: int
    container_port: int
    proto: str

    @property
    def host_side(self) -> str:
        """Return ``ADDRESS:PORT`` as ``docker port`` prints the host side."""
        address = f"[{self.host_ip}]" if self.host_ip.version == 6 else str(self.host_ip)
        return f"{address}:{self.host_port}"

    def __str__(self) -> str:
        return f"{self.host_side} -> {self.container_port}/{self.proto}"


@dataclass(frozen=True, slots=True)
class Link:
    """A legacy ``--link``: ``parent`` reaches ``child`` under ``alias``."""

    parent: str
    child: str
    alias: str


@dataclass(frozen=True, slots=True)
class ContainerNode:
    """A container as drawn: name, image, state and attachments.

    ``group`` is the network it is drawn in: its first attachment's, the one it
    was created on when it has none (not running; a ``missing`` group when that
    network does not exist), or ``host``/``none``.
    ``shares`` names the container whose namespace it joined (``container:NAME``).
    """

    name: str
    image: str
    state: str
    group: str
    attachments: tuple[Attachment, ...] = ()
    published: tuple[Published, ...] = ()
    shares: str = ""
    listen: tuple[str, ...] = ()
    exposed: tuple[str, ...] = ()

    @property
    def node(self) -> str:
        """Return the container's graph node."""
        return f"container:{self.name}"

    @property
    def ports(self) -> tuple[str, ...]:
        """Return the ports it listens on or exposes (``3306/tcp``), sorted by number."""

        def number(port: str) -> tuple[int, str]:
            text, _, proto = port.partition("/")
            return int(text), proto

        return tuple(sorted(set(self.listen) | set(self.exposed), key=number))

    @property
    def running(self) -> bool:
        """Return whether the container runs."""
        return self.state == "running"


@dataclass(frozen=True, slots=True)
class Topology:
    """The network of a world after its steps, as every picture draws it."""

    scenario: str
    engine: str
    lan: IPv4Network
    host_address: IPv4Interface
    host_listen: tuple[str, ...]
    machines: tuple[Machine, ...]
    groups: tuple[NetworkGroup, ...]
    containers: tuple[ContainerNode, ...]
    links: tuple[Link, ...]

    @property
    def published(self) -> tuple[Published, ...]:
        """Return every published port, container by container."""
        return tuple(p for c in self.containers for p in c.published)

    def group(self, name: str) -> NetworkGroup:
        """Return the group of a network.

        Raises:
            KeyError: no network has this name.
        """
        for group in self.groups:
            if group.name == name:
                return group
        raise KeyError(f"no network {name!r} in the topology of {self.scenario}")

    def members(self, group: str) -> tuple[ContainerNode, ...]:
        """Return the containers drawn in a group, in drawing order."""
        return tuple(c for c in self.containers if c.group == group)
