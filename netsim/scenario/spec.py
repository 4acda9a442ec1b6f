"""Validated scenario values: what a scenario file describes, past the loader.

Every value is frozen; addresses are ``ipaddress`` objects. ``None`` in a
daemon setting means "not given in the file", so that a replay on a real
engine passes only the flags the file sets and both sides use Docker's own
defaults otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Literal

from netsim.scenario.compose import ComposeFile

Protocol = Literal["tcp", "udp"]
ProbeProtocol = Literal["tcp", "udp", "icmp"]
DEFAULT_ENGINE = "28.5"
DEFAULT_HOST_ADDRESS = IPv4Interface("192.168.1.10/24")
PROBE_RESULTS: tuple[str, ...] = (
    "open",
    "refused",
    "timeout",
    "unreachable",
    "unresolved",
    "closed",
    "reply",
)


@dataclass(frozen=True, slots=True)
class PortSpec:
    """A port and protocol, as in ``3306/tcp``."""

    port: int
    proto: Protocol = "tcp"

    def __str__(self) -> str:
        return f"{self.port}/{self.proto}"


@dataclass(frozen=True, slots=True)
class AddressPoolSpec:
    """One ``--default-address-pool base=...,size=...``."""

    base: IPv4Network
    size: int


@dataclass(frozen=True, slots=True)
class DaemonSpec:
    """dockerd settings; ``None`` means the file did not set it (Docker's default)."""

    icc: bool | None = None
    userland_proxy: bool | None = None
    ip_forward: bool | None = None
    bip: IPv4Interface | None = None
    default_address_pools: tuple[AddressPoolSpec, ...] | None = None
    insecure_registries: tuple[str, ...] | None = None
    """``--insecure-registry``: ``HOST:PORT`` names or CIDR subnets spoken to in plain HTTP."""


@dataclass(frozen=True, slots=True)
class HostSpec:
    """The Docker host on the LAN; always named ``host``."""

    address: IPv4Interface = DEFAULT_HOST_ADDRESS
    listen: tuple[PortSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class MachineSpec:
    """Another machine on the host's LAN."""

    name: str
    address: IPv4Interface
    listen: tuple[PortSpec, ...] = ()


# The Debian packages a declared image may install (``packages:``); their
# programs are in netsim/docker/toolsets.py PACKAGE_PROGRAMS.
INSTALLABLE_PACKAGES = ("iproute2", "iptables")


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """An image: the catalog's or one declared under ``images:``.

    ``name`` is the repository part (before ``:tag``), which decides the image.
    ``entrypoint``/``command`` are ``None`` when the image has none.
    ``base`` names the image whose file system (and so programs) an image
    made by ``docker commit``, ``build`` or ``import`` has; None for the
    image's own. ``packages`` are the Debian packages a declared image
    installs (``FROM debian:bookworm`` + ``apt-get install``); with any, the
    image is Debian-based (netsim/docker/toolsets.py).
    """

    name: str
    expose: tuple[PortSpec, ...] = ()
    listen: tuple[PortSpec, ...] = ()
    entrypoint: tuple[str, ...] | None = None
    command: tuple[str, ...] | None = None
    base: str | None = None
    packages: tuple[str, ...] = ()


ExpectationKind = Literal["exit", "stdout", "contains", "match"]


@dataclass(frozen=True, slots=True)
class CommandExpectation:
    """What a command step expects of its output: ``expect_KIND: VALUE``.

    ``exit`` holds the exit code as text; ``stdout`` the exact standard
    output; ``contains`` text the standard output must contain; ``match`` a
    regular expression (Python ``re``, multi-line) it must match somewhere.
    """

    kind: ExpectationKind
    value: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class CommandStep:
    """A command typed on ``on`` (``host``, a machine or a container)."""

    index: int
    line: int
    command: str
    on: str = "host"
    expect: str | None = None
    kind: Literal["command"] = "command"
    expectations: tuple[CommandExpectation, ...] = ()
    session: tuple[str, ...] | None = None
    """Lines typed in the interactive shell ``command`` starts (``session:``, an extension)."""


@dataclass(frozen=True, slots=True)
class ProbeStep:
    """A connection attempt ``src -> dst[:port][/proto]``.

    ``dst`` is kept as typed (an address, a node name or an alias); resolving
    it is the data plane's job, from ``src``'s point of view.
    """

    index: int
    line: int
    src: str
    dst: str
    port: int | None
    proto: ProbeProtocol = "tcp"
    expect: str | None = None
    kind: Literal["probe"] = "probe"

    @property
    def target(self) -> str:
        """Return the destination as the JSON result writes it (``DST:PORT/PROTO``)."""
        if self.proto == "icmp" or self.port is None:
            return self.dst
        return f"{self.dst}:{self.port}/{self.proto}"


@dataclass(frozen=True, slots=True)
class PacketStep:
    """A hand-crafted packet in scapy's notation, sent from ``src`` (an extension).

    ``packet`` is kept as typed; it was checked at load time to use only the
    known layers and literal fields.
    """

    index: int
    line: int
    src: str
    packet: str
    kind: Literal["packet"] = "packet"


Step = CommandStep | ProbeStep | PacketStep


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario file, validated."""

    path: str
    name: str
    steps: tuple[Step, ...]
    description: str = ""
    engine: str = DEFAULT_ENGINE
    daemon: DaemonSpec = field(default_factory=DaemonSpec)
    host: HostSpec = field(default_factory=HostSpec)
    machines: tuple[MachineSpec, ...] = ()
    images: tuple[ImageSpec, ...] = ()
    # Compose projects on the host; the shell's working directory is the first one's folder.
    compose: tuple[ComposeFile, ...] = ()

    @property
    def workdir(self) -> str:
        """Return the host shell's working directory: the first Compose project's folder."""
        return self.compose[0].directory if self.compose else "/"

    local_images: tuple[str, ...] | None = None
    """The images the host has before step 0; None: every image the steps run."""

    @property
    def lan(self) -> IPv4Network:
        """Return the LAN's subnet (the host's)."""
        return self.host.address.network

    @property
    def nameserver(self) -> IPv4Address:
        """Return the host's resolv.conf nameserver: the LAN's first address."""
        return self.lan.network_address + 1
