"""The transport layer: TCP, UDP and ICMP sockets, as Linux answers for them.

Copied from Linux (``net/ipv4/tcp_ipv4.c``, ``udp.c``, ``icmp.c``):

* A SYN to a listening socket gets a SYN-ACK; the connection is accepted when
  the handshake's ACK arrives. A segment no socket wants gets a RST (never in
  answer to a RST).
* A connecting socket fails on RST (ECONNREFUSED) and on any ICMP
  destination-unreachable or time-exceeded about its SYN: port and protocol
  unreachable are ECONNREFUSED, the others EHOSTUNREACH/ENETUNREACH.
* A UDP datagram no socket wants gets ICMP port unreachable. A connected UDP
  socket only hears "hard" ICMP errors (``icmp_err_convert[].fatal``: port and
  protocol unreachable, the prohibited codes), so host unreachable is silence.
* The kernel answers ICMP echo requests to its addresses itself.

Both data planes use this ``Transport``: the packet engine with simpy events
as the signals its waiters wait on, the flow evaluator with plain flags and
its programs' answers (``flow``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any, Protocol

from netsim.dataplane.frames import (
    ACK,
    DEFAULT_TTL,
    FIN,
    ICMP_DEST_UNREACH,
    ICMP_ECHO_REPLY,
    ICMP_ECHO_REQUEST,
    ICMP_TIME_EXCEEDED,
    PORT_UNREACH,
    PSH,
    RST,
    SYN,
    TCP_WINDOW,
    DnsMessage,
    IcmpMessage,
    IPv4Packet,
    TcpSegment,
    UdpDatagram,
    endpoint,
)
from netsim.dataplane.trace import SocketEvent

if TYPE_CHECKING:
    from netsim.dataplane.apps import Program
    from netsim.dataplane.conntrack import Tracked
    from netsim.dataplane.nodes import Node
    from netsim.dataplane.stack import IPv4Stack

EPHEMERAL_PORTS = (32768, 60999)
# icmp_err_convert: (errno, fatal) per destination-unreachable code.
ICMP_UNREACH_ERRORS: dict[int, tuple[str, bool]] = {
    0: ("ENETUNREACH", False),
    1: ("EHOSTUNREACH", False),
    2: ("ENOPROTOOPT", True),
    3: ("ECONNREFUSED", True),
    4: ("EMSGSIZE", False),
    5: ("EOPNOTSUPP", False),
    6: ("ENETUNREACH", True),
    7: ("EHOSTDOWN", True),
    8: ("ENONET", True),
    9: ("ENETUNREACH", True),
    10: ("EHOSTUNREACH", True),
    11: ("ENETUNREACH", False),
    12: ("EHOSTUNREACH", False),
    13: ("EHOSTUNREACH", True),
    14: ("EHOSTUNREACH", False),
    15: ("EHOSTUNREACH", True),
}

Address = tuple[IPv4Address, int]


def icmp_errno(message: IcmpMessage) -> tuple[str, bool]:
    """Return the errno an ICMP error gives a socket and whether it is fatal."""
    if message.type == ICMP_TIME_EXCEEDED:
        return "EHOSTUNREACH", False
    return ICMP_UNREACH_ERRORS.get(message.code, ("EHOSTUNREACH", False))


class Signal(Protocol):
    """What a socket fires once for whoever waits on it: a simpy event, or a plain flag."""

    @property
    def triggered(self) -> bool:
        """True once fired."""
        ...

    @property
    def value(self) -> Any:
        """What it fired with."""
        ...

    def succeed(self, value: Any = None) -> object:
        """Fire with ``value``."""
        ...


class TcpListener:
    """A listening TCP socket; ``on_accept`` runs for each completed handshake.

    ``program`` is the program (``apps.programs``) that opened it, if any.
    """

    __slots__ = ("node", "address", "port", "owner", "on_accept", "program")

    def __init__(
        self,
        node: Node,
        address: IPv4Address | None,
        port: int,
        owner: str,
        on_accept: Callable[[TcpConnection], None] | None = None,
        program: Program | None = None,
    ) -> None:
        self.node = node
        self.address = address
        self.port = port
        self.owner = owner
        self.on_accept = on_accept
        self.program = program


class TcpConnection:
    """One end of a TCP connection (client, or a listener's child).

    ``outcome`` fires once: ``"open"`` when the handshake completes, else the
    errno that failed it; ``waiter``, when set, fires on data, end of file or
    an error.
    """

    __slots__ = (
        "node",
        "local",
        "remote",
        "owner",
        "state",
        "snd_nxt",
        "rcv_nxt",
        "listener",
        "outcome",
        "received",
        "closed",
        "waiter",
        "on_data",
        "request",
    )

    def __init__(
        self,
        node: Node,
        local: Address,
        remote: Address,
        owner: str,
        isn: int,
        outcome: Signal,
    ) -> None:
        self.node = node
        self.local = local
        self.remote = remote
        self.owner = owner
        self.state = "CLOSED"
        self.snd_nxt = isn
        self.rcv_nxt = 0
        self.listener: TcpListener | None = None
        self.outcome = outcome
        self.received = b""
        self.closed = False
        self.waiter: Signal | None = None
        self.on_data: Callable[[TcpConnection, bytes], None] | None = None
        # What a client sends with the handshake's last ACK (an HTTP request),
        # so the listener has it when it accepts.
        self.request = b""

    @property
    def local_text(self) -> str:
        """Return ``IP:PORT`` of this end."""
        return endpoint(*self.local)

    @property
    def remote_text(self) -> str:
        """Return ``IP:PORT`` of the other end."""
        return endpoint(*self.remote)


class UdpSocket:
    """A UDP socket, bound (``address`` None is any) and maybe connected.

    ``program`` is the program (``apps.programs``) that opened it, if any.
    """

    __slots__ = (
        "node",
        "address",
        "port",
        "remote",
        "owner",
        "on_datagram",
        "program",
        "inbox",
        "waiter",
        "error",
    )

    def __init__(
        self,
        node: Node,
        address: IPv4Address | None,
        port: int,
        owner: str,
        remote: Address | None = None,
        on_datagram: Callable[[UdpSocket, IPv4Packet], None] | None = None,
        program: Program | None = None,
    ) -> None:
        self.node = node
        self.address = address
        self.port = port
        self.remote = remote
        self.owner = owner
        self.on_datagram = on_datagram
        self.program = program
        self.inbox: list[IPv4Packet] = []
        self.waiter: Signal | None = None
        self.error: str | None = None


class PingSocket:
    """An ICMP echo client (the probe's raw socket): one identifier, one destination."""

    __slots__ = ("node", "ident", "destination", "result", "waiter")

    def __init__(self, node: Node, ident: int, destination: IPv4Address, waiter: Signal) -> None:
        self.node = node
        self.ident = ident
        self.destination = destination
        self.result: str | None = None
        self.waiter = waiter


@dataclass(frozen=True, slots=True)
class _Wake:
    """What woke a waiting socket."""

    reason: str


class Transport:
    """Sockets of every node in one run, and the kernel's answers for them.

    Both data planes use it over their ``IPv4Stack``; ``signal`` makes what a
    socket fires for its waiters (simpy events in the packet engine). A
    subclass may keep some sockets elsewhere (``listeners_at``, ``udp_at``)
    and answer for the programs behind them (``accepted``, ``datagram``).
    """

    def __init__(self, stack: IPv4Stack, signal: Callable[[], Signal]) -> None:
        self.stack = stack
        self.signal = signal
        self.record = stack.record
        self.listeners: dict[tuple[int, int], list[TcpListener]] = {}
        self.connections: dict[tuple[int, IPv4Address, int, IPv4Address, int], TcpConnection] = {}
        # The same connections by the ids of the address objects a segment carried
        # (a flow's segments carry the same ones, and IPv4Address hashes in
        # Python); each value keeps both addresses alive. Emptied whenever
        # ``connections`` changes.
        self._by_ids: dict[
            tuple[int, int, int, int, int], tuple[IPv4Address, IPv4Address, TcpConnection]
        ] = {}
        self.udp: dict[tuple[int, int], list[UdpSocket]] = {}
        self.pings: dict[tuple[int, int], PingSocket] = {}

    # -- sockets -------------------------------------------------------------------

    def listen_tcp(
        self,
        node: Node,
        address: IPv4Address | None,
        port: int,
        owner: str,
        on_accept: Callable[[TcpConnection], None],
        program: Program | None = None,
    ) -> TcpListener:
        """Open a listening TCP socket."""
        listener = TcpListener(node, address, port, owner, on_accept, program)
        self.listeners.setdefault((id(node), port), []).append(listener)
        return listener

    def bind_udp(
        self,
        node: Node,
        address: IPv4Address | None,
        port: int,
        owner: str,
        on_datagram: Callable[[UdpSocket, IPv4Packet], None] | None = None,
        remote: Address | None = None,
        program: Program | None = None,
    ) -> UdpSocket:
        """Open a UDP socket bound to ``address:port``."""
        sock = UdpSocket(node, address, port, owner, remote, on_datagram, program)
        self.udp.setdefault((id(node), port), []).append(sock)
        return sock

    def listeners_at(self, node: Node, port: int) -> Sequence[TcpListener]:
        """Return the listeners on ``port`` of ``node``, in the order they were opened."""
        return self.listeners.get((id(node), port), ())

    def udp_at(self, node: Node, port: int) -> Sequence[UdpSocket]:
        """Return the UDP sockets bound to ``port`` of ``node``, in the order they were opened."""
        return self.udp.get((id(node), port), ())

    def ephemeral_port(self, node: Node, protocol: str) -> int:
        """Pick a free local port from the ephemeral range with the run's RNG."""
        low, high = EPHEMERAL_PORTS
        while True:
            port = self.stack.rng.randint(low, high)
            if protocol == "tcp" and self.listeners_at(node, port):
                continue
            if protocol == "udp" and self.udp_at(node, port):
                continue
            return port

    def note(self, node: Node, owner: str, action: str, detail: str = "") -> None:
        """Record a socket event."""
        if self.record:
            self.stack.note(SocketEvent(self.stack.clock(), node.label, owner, action, detail))

    # -- TCP -----------------------------------------------------------------------

    def connect(
        self, node: Node, destination: IPv4Address, port: int, owner: str, request: bytes = b""
    ) -> TcpConnection | str:
        """Start a TCP connection; return it, or the errno of an immediate failure.

        ``request`` rides on the handshake's ACK, so the listener sees it on accept.
        """
        route = node.route(destination)
        if route is None or route.source is None:
            self.note(node, owner, "connect failed", "ENETUNREACH (no route)")
            return "ENETUNREACH"
        local = (route.source, self.ephemeral_port(node, "tcp"))
        isn = self.stack.rng.getrandbits(32)
        conn = TcpConnection(node, local, (destination, port), owner, isn, self.signal())
        conn.request = request
        conn.state = "SYN_SENT"
        self.connections[(id(node), *local, destination, port)] = conn
        self._by_ids.clear()
        if self.record:
            self.note(node, owner, "connect", f"{conn.local_text} -> {conn.remote_text}")
        error = self.send_segment(conn, SYN)
        if error is not None and error != "EPERM":
            self._fail(conn, error)
        return conn

    def retransmit_syn(self, conn: TcpConnection) -> None:
        """Send the SYN again (the retransmission timer fired)."""
        if conn.state == "SYN_SENT":
            conn.snd_nxt -= 1
            self.send_segment(conn, SYN)

    def send_segment(self, conn: TcpConnection, flags: int, data: bytes = b"") -> str | None:
        """Send one segment on ``conn``; return an errno when output failed at once."""
        segment = TcpSegment(
            conn.local[1],
            conn.remote[1],
            conn.snd_nxt,
            conn.rcv_nxt if flags & ACK else 0,
            flags,
            TCP_WINDOW,
            data,
        )
        conn.snd_nxt = (conn.snd_nxt + len(data) + (1 if flags & (SYN | FIN) else 0)) & 0xFFFFFFFF
        packet = IPv4Packet(
            conn.local[0], conn.remote[0], segment, DEFAULT_TTL, conn.node.next_ident(), True, 0
        )
        return self.stack.ip_output(conn.node, packet)

    def acknowledge(self, conn: TcpConnection) -> None:
        """Send the ACK that received data or a FIN asks for."""
        self.send_segment(conn, ACK)

    def send(self, conn: TcpConnection, data: bytes) -> None:
        """Write ``data`` on an established connection."""
        if conn.state == "ESTABLISHED" and not conn.closed:
            self.send_segment(conn, PSH | ACK, data)

    def close(self, conn: TcpConnection) -> None:
        """Close our side (FIN)."""
        if conn.state == "ESTABLISHED" and not conn.closed:
            self.send_segment(conn, FIN | ACK)
            conn.state = "FIN_WAIT"

    def send_reset(self, node: Node, packet: IPv4Packet, attached: Tracked | None = None) -> None:
        """Answer a TCP segment nobody wants with a RST (tcp_v4_send_reset)."""
        segment = packet.payload
        assert isinstance(segment, TcpSegment)
        if segment.flags & ACK:
            reply = TcpSegment(segment.dport, segment.sport, segment.ack, 0, RST)
        else:
            length = (
                len(segment.data)
                + (1 if segment.flags & SYN else 0)
                + (1 if segment.flags & FIN else 0)
            )
            reply = TcpSegment(
                segment.dport, segment.sport, 0, (segment.seq + length) & 0xFFFFFFFF, RST | ACK
            )
        self.stack.ip_output(node, IPv4Packet(packet.dst, packet.src, reply, ident=0), attached)

    def _fail(self, conn: TcpConnection, reason: str) -> None:
        conn.state = "CLOSED"
        self.connections.pop((id(conn.node), *conn.local, *conn.remote), None)
        self._by_ids.clear()
        if not conn.outcome.triggered:
            conn.outcome.succeed(reason)
        self._wake(conn, reason)

    def _wake(self, conn: TcpConnection, reason: str) -> None:
        if conn.waiter is not None and not conn.waiter.triggered:
            conn.waiter.succeed(_Wake(reason))

    def tcp_input(self, node: Node, packet: IPv4Packet) -> None:
        """tcp_v4_rcv: hand the segment to its connection or listener, or reset."""
        segment = packet.payload
        assert isinstance(segment, TcpSegment)
        dst = packet.dst
        src = packet.src
        fast = (id(node), id(dst), segment.dport, id(src), segment.sport)
        known = self._by_ids.get(fast)
        if known is not None:
            self._segment(known[2], segment)
            return
        key = (id(node), dst, segment.dport, src, segment.sport)
        conn = self.connections.get(key)
        if conn is not None:
            self._by_ids[fast] = (dst, src, conn)
            self._segment(conn, segment)
            return
        if segment.flags & RST:
            return
        if segment.flags & SYN and not segment.flags & ACK:
            listener = self.find_listener(node, packet.dst, segment.dport)
            if listener is not None:
                isn = self.stack.rng.getrandbits(32)
                child = TcpConnection(
                    node,
                    (packet.dst, segment.dport),
                    (packet.src, segment.sport),
                    listener.owner,
                    isn,
                    self.signal(),
                )
                child.state = "SYN_RECV"
                child.listener = listener
                child.rcv_nxt = (segment.seq + 1) & 0xFFFFFFFF
                self.connections[key] = child
                self._by_ids.clear()
                if self.record:
                    self.note(
                        node,
                        listener.owner,
                        "SYN-ACK",
                        f"listening on {_bound(listener.address)}:{listener.port}, "
                        f"{child.local_text} <- {child.remote_text}",
                    )
                self.send_segment(child, SYN | ACK)
                return
        if self.record:
            self.note(node, "kernel", "RST", f"nothing listens on {packet.dst}:{segment.dport}/tcp")
        self.send_reset(node, packet)

    def find_listener(self, node: Node, address: IPv4Address, port: int) -> TcpListener | None:
        """Return the listener for ``address:port`` (a specific bind wins over any)."""
        found = self.listeners_at(node, port)
        if not found:
            return None
        for listener in found:
            if listener.address == address:
                return listener
        for listener in found:
            if listener.address is None:
                return listener
        return None

    def accepted(self, conn: TcpConnection) -> None:
        """Hand a completed handshake to its listener's program."""
        listener = conn.listener
        assert listener is not None
        if listener.on_accept is not None:
            listener.on_accept(conn)

    def _segment(self, conn: TcpConnection, segment: TcpSegment) -> None:
        if segment.flags & RST:
            if conn.state == "SYN_SENT":
                self.note(conn.node, conn.owner, "connection refused", "RST")
                self._fail(conn, "ECONNREFUSED")
            else:
                conn.closed = True
                self._fail(conn, "ECONNRESET")
            return
        if conn.state == "SYN_SENT":
            if segment.flags & SYN and segment.flags & ACK and segment.ack == conn.snd_nxt:
                conn.rcv_nxt = (segment.seq + 1) & 0xFFFFFFFF
                conn.state = "ESTABLISHED"
                if self.record:
                    self.note(
                        conn.node,
                        conn.owner,
                        "connected",
                        f"{conn.local_text} -> {conn.remote_text}",
                    )
                if conn.request:
                    self.send_segment(conn, PSH | ACK, conn.request)
                else:
                    self.send_segment(conn, ACK)
                conn.outcome.succeed("open")
            return
        if conn.state == "SYN_RECV":
            if segment.flags & ACK and not segment.flags & SYN:
                conn.state = "ESTABLISHED"
                if self.record:
                    self.note(
                        conn.node,
                        conn.owner,
                        "accept",
                        f"local {conn.local_text}, peer {conn.remote_text}",
                    )
                if segment.data:
                    # A request on the handshake's ACK: the listener accepts with it read.
                    conn.rcv_nxt = (conn.rcv_nxt + len(segment.data)) & 0xFFFFFFFF
                    conn.received += segment.data
                    self.acknowledge(conn)
                    self.accepted(conn)
                    return
                self.accepted(conn)
            if not segment.data and not segment.flags & FIN:
                return
        if segment.data:
            conn.rcv_nxt = (conn.rcv_nxt + len(segment.data)) & 0xFFFFFFFF
            conn.received += segment.data
            self.acknowledge(conn)
            if conn.on_data is not None:
                conn.on_data(conn, segment.data)
            self._wake(conn, "data")
        if segment.flags & FIN:
            conn.rcv_nxt = (conn.rcv_nxt + 1) & 0xFFFFFFFF
            conn.closed = True
            self.acknowledge(conn)
            self._wake(conn, "eof")

    def tcp_error(self, node: Node, message: IcmpMessage) -> None:
        """tcp_v4_err: an ICMP error about one of our segments."""
        quoted = message.quoted
        assert quoted is not None
        segment = quoted.payload
        if not isinstance(segment, TcpSegment):
            return
        conn = self.connections.get(
            (id(node), quoted.src, segment.sport, quoted.dst, segment.dport)
        )
        if conn is None or conn.state != "SYN_SENT":
            return
        error, _ = icmp_errno(message)
        if self.record:
            self.note(
                node,
                conn.owner,
                "connect failed",
                f"{error} (ICMP type {message.type} code {message.code})",
            )
        self._fail(conn, error)

    # -- UDP -----------------------------------------------------------------------

    def udp_socket(
        self, node: Node, destination: IPv4Address, port: int, owner: str
    ) -> UdpSocket | str:
        """Open a UDP socket connected to ``destination:port`` (or an errno)."""
        route = node.route(destination)
        if route is None or route.source is None:
            return "ENETUNREACH"
        local_port = self.ephemeral_port(node, "udp")
        return self.bind_udp(node, route.source, local_port, owner, remote=(destination, port))

    def sendto(
        self,
        sock: UdpSocket,
        data: bytes | DnsMessage,
        destination: Address,
        source: IPv4Address | None = None,
    ) -> str | None:
        """Send a datagram from ``sock``; the source is the bound or routed address."""
        src = source or sock.address
        if src is None:
            route = sock.node.route(destination[0])
            if route is None or route.source is None:
                return "ENETUNREACH"
            src = route.source
        datagram = UdpDatagram(sock.port, destination[1], data)
        packet = IPv4Packet(src, destination[0], datagram, ident=sock.node.next_ident())
        return self.stack.ip_output(sock.node, packet)

    def udp_input(self, node: Node, packet: IPv4Packet) -> None:
        """udp_rcv: a connected socket, then a bound one; nobody → port unreachable."""
        datagram = packet.payload
        assert isinstance(datagram, UdpDatagram)
        sock = self.find_udp(node, packet.dst, datagram.dport, (packet.src, datagram.sport))
        if sock is None:
            if self.record:
                self.note(
                    node,
                    "kernel",
                    "port unreachable",
                    f"nothing listens on {packet.dst}:{datagram.dport}/udp",
                )
            self.stack.icmp_error(node, packet, ICMP_DEST_UNREACH, PORT_UNREACH)
            return
        if self.record:
            self.note(
                node,
                sock.owner,
                "datagram",
                f"{packet.dst}:{datagram.dport} <- {packet.src}:{datagram.sport}",
            )
        self.datagram(sock, packet)

    def datagram(self, sock: UdpSocket, packet: IPv4Packet) -> None:
        """Hand a datagram to its socket's program, or queue it and wake the reader."""
        if sock.on_datagram is not None:
            sock.on_datagram(sock, packet)
            return
        sock.inbox.append(packet)
        if sock.waiter is not None and not sock.waiter.triggered:
            sock.waiter.succeed(_Wake("data"))

    def find_udp(
        self, node: Node, address: IPv4Address, port: int, peer: Address
    ) -> UdpSocket | None:
        """Return the socket a datagram to ``address:port`` from ``peer`` goes to."""
        found = self.udp_at(node, port)
        if not found:
            return None
        best: UdpSocket | None = None
        best_score = -1
        for sock in found:
            if sock.address is not None and sock.address != address:
                continue
            if sock.remote is not None and sock.remote != peer:
                continue
            score = (2 if sock.remote is not None else 0) + (1 if sock.address is not None else 0)
            if score > best_score:
                best, best_score = sock, score
        return best

    def udp_error(self, node: Node, message: IcmpMessage) -> None:
        """__udp4_lib_err: only hard errors reach a connected socket without IP_RECVERR."""
        quoted = message.quoted
        assert quoted is not None
        datagram = quoted.payload
        if not isinstance(datagram, UdpDatagram):
            return
        sock = self.find_udp(node, quoted.src, datagram.sport, (quoted.dst, datagram.dport))
        if sock is None or sock.remote is None:
            return
        error, fatal = icmp_errno(message)
        if not fatal:
            self.note(node, sock.owner, "ICMP error ignored", f"{error} is not a hard error")
            return
        sock.error = error
        self.note(node, sock.owner, "error", error)
        if sock.waiter is not None and not sock.waiter.triggered:
            sock.waiter.succeed(_Wake(error))

    # -- ICMP ----------------------------------------------------------------------

    def ping(
        self, node: Node, destination: IPv4Address, ident: int, waiter: Signal
    ) -> PingSocket | str:
        """Send one echo request; the socket's waiter fires on reply or error."""
        route = node.route(destination)
        if route is None or route.source is None:
            return "ENETUNREACH"
        sock = PingSocket(node, ident, destination, waiter)
        self.pings[(id(node), ident)] = sock
        message = IcmpMessage(ICMP_ECHO_REQUEST, 0, ident, 1, b"netsim-probe")
        packet = IPv4Packet(
            route.source, destination, message, ident=node.next_ident(), dont_fragment=True
        )
        error = self.stack.ip_output(node, packet)
        return error if error is not None and error != "EPERM" else sock

    def icmp_input(self, node: Node, packet: IPv4Packet) -> None:
        """icmp_rcv: answer echo, hand replies and errors to their sockets."""
        message = packet.payload
        assert isinstance(message, IcmpMessage)
        if message.type == ICMP_ECHO_REQUEST:
            if self.record:
                self.note(node, "kernel", "echo reply", f"to {packet.src}")
            reply = IcmpMessage(ICMP_ECHO_REPLY, 0, message.ident, message.sequence, message.data)
            self.stack.ip_output(
                node,
                IPv4Packet(
                    packet.dst, packet.src, reply, ident=node.next_ident(), dont_fragment=False
                ),
            )
            return
        if message.type == ICMP_ECHO_REPLY:
            sock = self.pings.get((id(node), message.ident))
            if sock is not None and packet.src == sock.destination and sock.result is None:
                sock.result = "reply"
                if self.record:
                    self.note(node, "ping", "echo reply", f"from {packet.src}")
                if not sock.waiter.triggered:
                    sock.waiter.succeed(_Wake("reply"))
            return
        quoted = message.quoted
        if quoted is None or message.type not in (ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED):
            return
        inner = quoted.payload
        if isinstance(inner, TcpSegment):
            self.tcp_error(node, message)
        elif isinstance(inner, UdpDatagram):
            self.udp_error(node, message)
        elif isinstance(inner, IcmpMessage) and message.type == ICMP_DEST_UNREACH:
            sock = self.pings.get((id(node), inner.ident))
            if sock is not None and quoted.dst == sock.destination and sock.result is None:
                sock.result = "unreachable"
                if self.record:
                    self.note(
                        node,
                        "ping",
                        "destination unreachable",
                        f"ICMP code {message.code} from {packet.src}",
                    )
                if not sock.waiter.triggered:
                    sock.waiter.succeed(_Wake("unreachable"))

    # -- dispatch ------------------------------------------------------------------

    def deliver(self, node: Node, packet: IPv4Packet) -> None:
        """Hand a locally delivered packet to its protocol."""
        payload = packet.payload
        if isinstance(payload, TcpSegment):
            self.tcp_input(node, packet)
        elif isinstance(payload, UdpDatagram):
            self.udp_input(node, packet)
        else:
            self.icmp_input(node, packet)


def _bound(address: IPv4Address | None) -> str:
    return "0.0.0.0" if address is None else str(address)
