"""The daemon's runtime objects: containers, networks, endpoints and links.

These are owned by the Daemon and change as commands run; values that are
passed around (port mappings, requests) are frozen elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netsim.docker.ipam import AddressPool
from netsim.docker.ports import PortMapping, PortRequest
from netsim.scenario.spec import ImageSpec

# The capabilities a container gets without --cap-add (moby oci/caps/defaults.go).
DEFAULT_CAPABILITIES = frozenset(
    "CAP_CHOWN CAP_DAC_OVERRIDE CAP_FSETID CAP_FOWNER CAP_MKNOD CAP_NET_RAW CAP_SETGID "
    "CAP_SETUID CAP_SETFCAP CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_SYS_CHROOT CAP_KILL "
    "CAP_AUDIT_WRITE".split()
)


def _capability(name: str) -> str:
    """Return a capability's canonical name: ``net_admin`` and ``CAP_NET_ADMIN`` are one."""
    name = name.strip().upper()
    return name if name == "ALL" or name.startswith("CAP_") else "CAP_" + name


@dataclass(slots=True)
class Network:
    """A Docker network (bridge driver, or the built-in host and none)."""

    id: str
    name: str
    driver: str
    created: str
    subnet: IPv4Network | None = None
    gateway: IPv4Address | None = None
    ip_range: IPv4Network | None = None
    user_subnet: bool = False
    user_gateway: bool = False
    internal: bool = False
    default_bridge: bool = False
    bridge_name: str = ""
    icc: bool = True
    pool: AddressPool | None = None
    options: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    attachable: bool = False

    @property
    def short_id(self) -> str:
        """Return the 12-hex short ID."""
        return self.id[:12]

    @property
    def is_bridge(self) -> bool:
        """Return whether the network is a bridge network (default or user-defined)."""
        return self.driver == "bridge"

    @property
    def user_defined(self) -> bool:
        """Return whether the network was made with ``docker network create``."""
        return self.is_bridge and not self.default_bridge


@dataclass(slots=True)
class EndpointConfig:
    """What a container asks of one network: aliases, a fixed address, link aliases."""

    aliases: tuple[str, ...] = ()
    ipv4_address: IPv4Address | None = None
    links: tuple[str, ...] = ()
    connected: bool = False  # added by `docker network connect` (empty IPAMConfig/DriverOpts)
    # Whether the API request carried an (empty) IPAMConfig / DriverOpts: the
    # docker CLI's connect sends both; Compose sends IPAMConfig at create only.
    ipam_sent: bool = False
    driver_opts_sent: bool = False


@dataclass(slots=True)
class Endpoint:
    """A running container's attachment to a network."""

    network: Network
    id: str
    address: IPv4Interface
    mac: str
    host_veth: str
    ifname: str


@dataclass(slots=True)
class LinkRequest:
    """A legacy ``--link NAME:ALIAS`` of a container.

    The link holds its target by ID: a new container given the removed
    target's name is not linked (both engines refuse the start then).
    """

    child_name: str
    alias: str
    child_id: str = ""


@dataclass(slots=True)
class Container:
    """A container and its network state."""

    id: str
    name: str
    image_ref: str
    image: ImageSpec
    created: str
    path: str
    args: tuple[str, ...]
    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None
    env: list[str]
    hostname: str
    exposed: list[tuple[int, str]]
    publish: list[PortRequest]
    publish_all: bool
    network_mode: str
    networks: dict[str, EndpointConfig]
    links: list[LinkRequest]
    auto_remove: bool
    listens: tuple[tuple[int, str], ...]
    detached: bool = True
    stdin_open: bool = False
    """``-i``: the container's standard input stays open."""
    tty: bool = False
    """``-t``: the container has a terminal."""
    cap_add: tuple[str, ...] | None = None
    """``--cap-add`` as the CLI sends it (``NET_ADMIN``, ``ALL``); None: not given."""
    cap_drop: tuple[str, ...] | None = None
    """``--cap-drop`` as the CLI sends it; None: not given."""
    privileged: bool = False
    """``--privileged``: every capability (and more netsim does not model)."""
    state: str = "created"
    exit_code: int = 0
    pid: int = 0
    restart_count: int = 0
    sandbox_id: str = ""
    sandbox_key: str = ""
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    network_ids: dict[str, str] = field(default_factory=dict)
    endpoint_ids: dict[str, str] = field(default_factory=dict)
    ports: list[PortMapping] = field(default_factory=list)
    # 20.10's `docker ps` view when a start was refused after networking came
    # up (a link target not running): it lists that attempt's ports on the
    # stopped container; None: ps shows the live state.
    listed_ports: tuple[PortMapping, ...] | None = None
    link_env: list[str] = field(default_factory=list)
    interfaces_made: int = 0  # 20.10 numbers a sandbox's ethN by this counter
    dns_ports: tuple[int, int] | None = None  # (tcp, udp) of the embedded DNS in the sandbox
    hosts_entries: list[tuple[str, str]] = field(default_factory=list)
    created_at: float = 0.0  # the daemon's clock at create: what ps's CREATED counts from
    started_at: float = 0.0
    finished_at: float = 0.0
    started_time: str = ""
    finished_time: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    extra_hosts: tuple[str, ...] | None = None  # None: null in inspect
    dns: tuple[str, ...] | None = ()  # None: null in inspect

    def has_capability(self, name: str) -> bool:
        """Return whether the container's processes have capability NAME (``NET_ADMIN``).

        Docker's default set (moby oci/caps/defaults.go) lacks NET_ADMIN;
        ``--privileged`` and ``--cap-add ALL`` give every one; a dropped one
        (or ALL dropped) is gone unless it is also added.
        """
        if self.privileged:
            return True
        name = _capability(name)
        added = {_capability(c) for c in self.cap_add or ()}
        dropped = {_capability(c) for c in self.cap_drop or ()}
        if name in added:
            return True
        if name in dropped or "ALL" in dropped:
            return False
        return "ALL" in added or name in DEFAULT_CAPABILITIES

    @property
    def short_id(self) -> str:
        """Return the 12-hex short ID (also the default hostname)."""
        return self.id[:12]

    @property
    def shows_ports(self) -> bool:
        """Return whether the container reports its ports (NetworkSettings.Ports, ps PORTS).

        Docker lists exposed and published ports from the endpoint that gives
        the container external connectivity; a container running only on
        ``--internal`` networks (or host, none, container:) has none to show.
        """
        return self.running and any(
            endpoint.network.is_bridge and not endpoint.network.internal
            for endpoint in self.endpoints.values()
        )

    @property
    def running(self) -> bool:
        """Return whether the container runs."""
        return self.state == "running"

    @property
    def exposes_ports(self) -> bool:
        """Return whether the daemon reports the exposed ports (``docker ps``, inspect).

        libnetwork's bridge driver keeps a container's exposed ports on its
        endpoints of non-internal networks only (seen on 20.10 and 28.5: a
        container only on an ``--internal`` network lists none).
        """
        if not self.endpoints:
            return True
        return any(not endpoint.network.internal for endpoint in self.endpoints.values())

    @property
    def command_line(self) -> tuple[str, ...]:
        """Return entrypoint + cmd, the process the container runs."""
        return (self.entrypoint or ()) + (self.cmd or ())
