"""Published ports: parse ``-p`` specs and allocate host ports as dockerd does.

Parsing follows go-connections ``nat.ParsePortSpec``; allocation follows
libnetwork's port allocator (docker-reference.md §3.1): one map of used ports
per host address and protocol; an explicit port is only checked, a dynamic
one is taken by a cursor that starts at the end of the range and moves on, so
a released port is not reused until the cursor wraps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address

from netsim.errors import DockerError

EPHEMERAL_RANGE = (32768, 60999)  # Linux's default net.ipv4.ip_local_port_range

HostIp = IPv4Address | IPv6Address
_UNSPECIFIED: dict[int, HostIp] = {4: IPv4Address("0.0.0.0"), 6: IPv6Address("::")}


@dataclass(frozen=True, slots=True)
class PortRequest:
    """One published port as typed: container port, host address and host port range."""

    container_port: int
    proto: str
    host_ip: HostIp | None
    host_port_start: int | None
    host_port_end: int | None
    typed_host_ip: str = ""
    typed_host_port: str = ""

    @property
    def key(self) -> str:
        """Return the container port key as Docker writes it (``3306/tcp``)."""
        return f"{self.container_port}/{self.proto}"


@dataclass(frozen=True, slots=True)
class PortMapping:
    """One allocated binding: host address:port to container port."""

    container_port: int
    proto: str
    host_ip: HostIp
    host_port: int

    @property
    def key(self) -> str:
        """Return the container port key (``3306/tcp``)."""
        return f"{self.container_port}/{self.proto}"


def _port_number(text: str) -> int | None:
    """Read a port as Go's ``strconv.ParseUint(text, 10, 16)`` does, or None.

    Only ASCII digits: no sign, space, underscore or other script's digits;
    any number of leading zeros.
    """
    if not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > 5:
        return None
    value = int(digits)
    return value if value <= 65535 else None


def _parse_range(text: str, what: str, spec: str) -> tuple[int, int]:
    """Read ``80`` or ``8000-8010`` as go-connections ``nat.ParsePortRange`` does.

    Like it, a range reads the first two parts between dashes and ignores
    the rest (``1-2-3`` is ``1-2``, as both engines publish it).
    """
    parts = text.split("-")
    start = _port_number(parts[0])
    end = _port_number(parts[1]) if len(parts) > 1 else start
    if start is None or end is None or end < start:
        raise DockerError(f"Invalid {what}: {text}")
    return start, end


def parse_port_proto(text: str) -> tuple[str, str]:
    """Split ``3306/tcp`` into port text and protocol (``tcp`` by default)."""
    port, _, proto = text.partition("/")
    return port, (proto or "tcp").lower()


def parse_publish(spec: str) -> list[PortRequest]:
    """Parse one ``-p`` value into port requests, one per container port.

    Raises:
        DockerError: with go-connections' message for a malformed spec.
    """
    raw_ip = ""
    rest = spec
    if spec.startswith("["):
        close = spec.find("]")
        if close < 0:
            raise DockerError(f"invalid IP address: {spec}")
        raw_ip = spec[1:close]
        rest = spec[close + 1 :].lstrip(":")
        host_port_text, _, container_text = rest.rpartition(":")
    else:
        parts = spec.split(":")
        if len(parts) == 1:
            host_port_text, container_text = "", parts[0]
        elif len(parts) == 2:
            host_port_text, container_text = parts
        elif len(parts) == 3:
            raw_ip, host_port_text, container_text = parts
        else:
            raw_ip = ":".join(parts[:-2])
            host_port_text, container_text = parts[-2], parts[-1]
    host_ip: HostIp | None = None
    if ":" in raw_ip and not spec.startswith("["):
        # go-connections strips brackets with net.SplitHostPort(ip + ":"), which
        # refuses an unbracketed address with colons (``-p :::80``, ``-p ::1:80:80``).
        raise DockerError(
            f"Invalid ip address {raw_ip}: address {raw_ip}:: too many colons in address"
        )
    if raw_ip:
        try:
            host_ip = ip_address(raw_ip)
        except ValueError:
            raise DockerError(f"invalid IP address: {raw_ip}") from None
    container_port_text, proto = parse_port_proto(container_text)
    if proto not in ("tcp", "udp", "sctp"):
        raise DockerError(f"invalid proto: {proto}")
    if not container_port_text:
        raise DockerError(f"No port specified: {spec}<empty>")
    c_start, c_end = _parse_range(container_port_text, "containerPort", spec)
    h_start: int | None = None
    h_end: int | None = None
    if host_port_text:
        h_start, h_end = _parse_range(host_port_text, "hostPort", spec)
        if c_end != c_start and (h_end - h_start) != (c_end - c_start):
            raise DockerError(
                f"Invalid ranges specified for container and host Ports: "
                f"{container_port_text} and {host_port_text}"
            )
    requests: list[PortRequest] = []
    for offset, port in enumerate(range(c_start, c_end + 1)):
        if h_start is None:
            start = end = None
        elif c_end != c_start:
            start = end = h_start + offset
        else:
            start, end = h_start, h_end
        requests.append(
            PortRequest(port, proto, host_ip, start, end, raw_ip, _host_port_text(start, end))
        )
    return requests


def parse_expose(spec: str) -> list[tuple[int, str]]:
    """Parse one ``--expose`` value (``80``, ``8000-8010``, ``53/udp``) into ports.

    Raises:
        DockerError: with the CLI's message for a malformed value.
    """
    port_text, proto = parse_port_proto(spec)
    if proto not in ("tcp", "udp", "sctp"):
        raise DockerError(f"invalid proto: {proto}")
    try:
        start, end = _parse_range(port_text, "containerPort", spec)
    except DockerError:
        raise DockerError(
            f"invalid range format for --expose: {spec}, error: invalid syntax"
        ) from None
    return [(port, proto) for port in range(start, end + 1)]


def _host_port_text(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return str(start) if start == end else f"{start}-{end}"


@dataclass(slots=True)
class _ProtoMap:
    used: set[int] = field(default_factory=set)
    cursors: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass(slots=True)
class PortAllocator:
    """The daemon's host-port allocator: used ports per (address, protocol).

    ``shared_unspecified`` selects 27+'s rule that a port on an unspecified
    address must be free on every address of that family, and a specific
    address must not clash with the unspecified one.
    """

    shared_unspecified: bool
    maps: dict[tuple[str, str], _ProtoMap] = field(default_factory=dict)
    # The same maps keyed by the address value: a port request asks several
    # times per port, and printing an IPv6 address each time cost more than
    # the allocation (``-p 1-65535`` asks 28,000 times).
    _by_address: dict[tuple[HostIp, str], _ProtoMap] = field(default_factory=dict)

    def _map(self, host_ip: HostIp, proto: str) -> _ProtoMap:
        found = self._by_address.get((host_ip, proto))
        if found is None:
            found = self.maps.setdefault((str(host_ip), proto), _ProtoMap())
            self._by_address[(host_ip, proto)] = found
        return found

    def _conflicts(self, host_ip: HostIp, proto: str, port: int) -> str | None:
        """Return the address whose map already holds ``port``, if any."""
        if port in self._map(host_ip, proto).used:
            return str(host_ip)
        if not self.shared_unspecified:
            return None
        unspecified = _UNSPECIFIED[host_ip.version]
        for (ip, map_proto), used in self._by_address.items():
            if map_proto != proto or port not in used.used or ip == host_ip:
                continue
            if ip.version != host_ip.version:
                continue
            if host_ip == unspecified or ip == unspecified:
                return str(ip)
        return None

    def request(
        self, host_ips: list[HostIp], proto: str, start: int | None, end: int | None
    ) -> int:
        """Allocate one host port valid on every address in ``host_ips``.

        Raises:
            DockerError: ``Bind for IP:PORT failed: port is already allocated``
                or ``all ports are allocated``.
        """
        if start is not None and start == end and start != 0:
            for host_ip in host_ips:
                clash = self._conflicts(host_ip, proto, start)
                if clash is not None:
                    raise DockerError(f"Bind for {clash}:{start} failed: port is already allocated")
            for host_ip in host_ips:
                self._map(host_ip, proto).used.add(start)
            return start
        begin, last = (start, end) if start else EPHEMERAL_RANGE
        assert begin is not None and last is not None
        cursor_map = self._map(host_ips[0], proto)
        cursor = cursor_map.cursors.get((begin, last), last)
        span = last - begin + 1
        for step in range(1, span + 1):
            port = begin + (cursor - begin + step) % span
            if all(self._conflicts(ip, proto, port) is None for ip in host_ips):
                cursor_map.cursors[(begin, last)] = port
                for host_ip in host_ips:
                    self._map(host_ip, proto).used.add(port)
                return port
        raise DockerError("all ports are allocated")

    def held_elsewhere(self, host_ip: HostIp, proto: str, port: int) -> bool:
        """Return whether another address of ``host_ip``'s family has ``port`` allocated."""
        for (ip, map_proto), used in self._by_address.items():
            if map_proto == proto and port in used.used and ip != host_ip:
                if ip.version == host_ip.version:
                    return True
        return False

    def release(self, host_ip: HostIp, proto: str, port: int) -> None:
        """Free a host port on one address."""
        self._map(host_ip, proto).used.discard(port)
