"""Published ports: parse ``-p`` specs and allocate host ports as dockerd does.

Parsing follows go-connections ``nat.ParsePortSpec``; allocation follows
libnetwork's port allocator (docker-reference.md §3.1): one map of used ports
per host address and protocol; an explicit port is only checked, a dynamic
one is taken by a cursor that starts at the end of the range and moves on, so
a released port is not reused until the cursor wraps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
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


@lru_cache(maxsize=64)  # the CLI checks a -p value, then the daemon reads it
def parse_publish(spec: str) -> tuple[PortRequest, ...]:
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
    # go-connections' ParsePortSpec checks the protocol last, capitalised
    # (both CLIs: ``docker: Invalid proto: sctpx.``, checked on 20.10 and 28.5).
    if proto.lower() not in ("tcp", "udp", "sctp"):
        raise DockerError(f"Invalid proto: {proto}")
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
    return tuple(requests)


def parse_expose(spec: str) -> list[tuple[int, str]]:
    """Parse one ``--expose`` value (``80``, ``8000-8010``, ``53/udp``) into ports.

    Raises:
        DockerError: with the CLI's message for a malformed value.
    """
    port_text, proto = parse_port_proto(spec)
    # Neither CLI nor daemon checks the protocol of --expose (the caller leaves
    # those netsim does not keep to ``expose_not_simulated``).
    problem = _port_range_problem(port_text)
    if problem:
        raise DockerError(f"invalid range format for --expose: {spec}, error: {problem}")
    start, end = _parse_range(port_text, "containerPort", spec)
    return [(port, proto) for port in range(start, end + 1)]


def expose_not_simulated(spec: str) -> bool:
    """Return whether an ``--expose`` value names a protocol netsim does not keep.

    Both engines take any protocol and keep it as typed (checked on 20.10.24
    and 28.5.2): ``80/xyz`` is exposed as ``"80/xyz"``, listed as ``80/0`` by
    ``docker ps``, and named ``xyz://...`` in a link's variables; ``81/TCP``
    keeps its capitals there; with ``-P`` the port mapping fails. netsim keeps
    only ``tcp``, ``udp`` and ``sctp`` as written (an empty one means ``tcp``).
    """
    proto = spec.partition("/")[2]
    return proto not in ("", "tcp", "udp", "sctp")


def _uint16_problem(text: str) -> str:
    """Return Go's ``strconv.ParseUint(text, 10, 16)`` error for TEXT, "" if it parses."""
    if _port_number(text) is not None:
        return ""
    if text.isascii() and text.isdigit():
        return f'strconv.ParseUint: parsing "{text}": value out of range'
    return f'strconv.ParseUint: parsing "{text}": invalid syntax'


def _port_range_problem(text: str) -> str:
    """Return go-connections ``nat.ParsePortRange``'s error for TEXT, "" if it parses.

    The words are both CLIs' under ``--expose`` (checked on 20.10.24 and 28.5.2).
    """
    if not text:
        return "Empty string specified for ports."
    parts = text.split("-")
    for part in parts[:2]:
        problem = _uint16_problem(part)
        if problem:
            return problem
    if len(parts) > 1 and int(parts[1]) < int(parts[0]):
        return f"Invalid range specified for the Port: {text}"
    return ""


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
    # How many addresses of one (protocol, IP version) hold each port: whether
    # another address holds a port is then one lookup, not a walk of every map.
    _holders: dict[tuple[str, int], dict[int, int]] = field(default_factory=dict)

    def _map(self, host_ip: HostIp, proto: str) -> _ProtoMap:
        found = self._by_address.get((host_ip, proto))
        if found is None:
            found = self.maps.setdefault((str(host_ip), proto), _ProtoMap())
            self._by_address[(host_ip, proto)] = found
        return found

    def _take(self, map_: _ProtoMap, holders: dict[int, int], port: int) -> None:
        if port not in map_.used:
            map_.used.add(port)
            holders[port] = holders.get(port, 0) + 1

    def _holders_of(self, host_ip: HostIp, proto: str) -> dict[int, int]:
        return self._holders.setdefault((proto, host_ip.version), {})

    def _conflicts(
        self, host_ip: HostIp, proto: str, port: int, map_: _ProtoMap, holders: dict[int, int]
    ) -> str | None:
        """Return the address whose map already holds ``port``, if any.

        MAP_ and HOLDERS are ``host_ip``'s own map and its family's holder counts.
        """
        if port in map_.used:
            return str(host_ip)
        if not self.shared_unspecified or not holders.get(port):
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
        owners = [(ip, self._map(ip, proto), self._holders_of(ip, proto)) for ip in host_ips]
        if start is not None and start == end and start != 0:
            for host_ip, map_, holders in owners:
                clash = self._conflicts(host_ip, proto, start, map_, holders)
                if clash is not None:
                    raise DockerError(f"Bind for {clash}:{start} failed: port is already allocated")
            for _, map_, holders in owners:
                self._take(map_, holders, start)
            return start
        begin, last = (start, end) if start else EPHEMERAL_RANGE
        assert begin is not None and last is not None
        cursor_map = owners[0][1]
        cursor = cursor_map.cursors.get((begin, last), last)
        span = last - begin + 1
        for step in range(1, span + 1):
            port = begin + (cursor - begin + step) % span
            if all(self._conflicts(ip, proto, port, m, h) is None for ip, m, h in owners):
                cursor_map.cursors[(begin, last)] = port
                for _, map_, holders in owners:
                    self._take(map_, holders, port)
                return port
        raise DockerError("all ports are allocated")

    def runs_out(self, groups: list[tuple[list[HostIp], str]], unusable: set[int]) -> bool:
        """Return whether dynamic requests for GROUPS, in order, surely exhaust the ephemeral range.

        Each group is one request's host addresses and protocol. When no
        address holds any port of the range, no port in it is UNUSABLE (the
        host's own listeners) and the groups ask for more ports than the range
        has, allocating them one by one ends in ``all ports are allocated``
        with every port released again; only the cursors move. This moves them
        as that walk would, without it (``-p 1-65535`` asks 28,233 times).
        Returns False, changing nothing, when the answer needs the walk.
        """
        begin, last = EPHEMERAL_RANGE
        span = last - begin + 1
        if any(begin <= port <= last for port in unusable):
            return False
        for holders in self._holders.values():
            if any(count and begin <= port <= last for port, count in holders.items()):
                return False
        # An address's hash is computed in Python: each list of addresses the
        # caller passes is hashed once, and the same list again found by identity.
        kinds: dict[tuple[tuple[HostIp, ...], str], int] = {}
        known: dict[tuple[int, str], int] = {}
        order = []
        for host_ips, proto in groups:
            kind = known.get((id(host_ips), proto))
            if kind is None:
                kind = kinds.setdefault((tuple(host_ips), proto), len(kinds))
                known[(id(host_ips), proto)] = kind
            order.append(kind)
        # Groups with the same first address share that map's cursor: each one
        # takes the port after it, until the cursor has gone once round.
        cursors = {key: index for index, key in enumerate({(ips[0], p): 0 for ips, p in kinds})}
        cursor_of = [cursors[(host_ips[0], proto)] for host_ips, proto in kinds]
        if not self._only_clash_on_one_cursor(list(kinds), cursor_of):
            return False
        taken = [0] * len(cursors)
        for kind in order:
            cursor = cursor_of[kind]
            if taken[cursor] == span:
                break
            taken[cursor] += 1
        else:
            return False
        for (host_ip, proto), count in zip(cursors, taken, strict=True):
            moved = self._map(host_ip, proto).cursors
            at = moved.get((begin, last), last)
            moved[(begin, last)] = begin + (at - begin + count) % span
        return True

    def _only_clash_on_one_cursor(
        self, kinds: list[tuple[tuple[HostIp, ...], str]], cursor_of: list[int]
    ) -> bool:
        """Return whether groups whose ports can clash all take them from one cursor.

        Then each group's port is the one after its cursor: the ports behind
        it are the only ones taken that it could clash with.
        """
        for one, (first_ips, first_proto) in enumerate(kinds):
            for other, (other_ips, other_proto) in enumerate(kinds[:one]):
                if first_proto != other_proto or cursor_of[one] == cursor_of[other]:
                    continue
                if any(self._clash(a, b) for a in first_ips for b in other_ips):
                    return False
        return True

    def _clash(self, one: HostIp, other: HostIp) -> bool:
        """Return whether a port on ONE and the same port on OTHER cannot both be allocated."""
        if one.version != other.version:
            return False
        if one == other:
            return True
        return self.shared_unspecified and (one.is_unspecified or other.is_unspecified)

    def held_elsewhere(self, host_ip: HostIp, proto: str, port: int) -> bool:
        """Return whether another address of ``host_ip``'s family has ``port`` allocated."""
        holders = self._holders.get((proto, host_ip.version))
        if not holders or not holders.get(port):
            return False
        return holders[port] > (port in self._map(host_ip, proto).used)

    def release(self, host_ip: HostIp, proto: str, port: int) -> None:
        """Free a host port on one address."""
        used = self._map(host_ip, proto).used
        if port in used:
            used.discard(port)
            self._holders[(proto, host_ip.version)][port] -= 1
