"""Frame header views: what forwarding decisions read, without scapy's per-field cost.

Every value here is frozen; a hop that changes a header (TTL, NAT) makes a new
one with ``dataclasses.replace``. ``netsim.dataplane.wire`` renders these to
real bytes with scapy and parses bytes back into them.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"
ZERO_MAC = "00:00:00:00:00:00"
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806

PROTO_ICMP = 1
PROTO_TCP = 6
PROTO_UDP = 17

# TCP flag bits, as in the header.
FIN = 0x01
SYN = 0x02
RST = 0x04
PSH = 0x08
ACK = 0x10

ICMP_ECHO_REPLY = 0
ICMP_DEST_UNREACH = 3
ICMP_ECHO_REQUEST = 8
ICMP_TIME_EXCEEDED = 11

# ICMP destination-unreachable codes.
NET_UNREACH = 0
HOST_UNREACH = 1
PROT_UNREACH = 2
PORT_UNREACH = 3
NET_PROHIBITED = 9
HOST_PROHIBITED = 10
ADMIN_PROHIBITED = 13

ARP_REQUEST = 1
ARP_REPLY = 2

DEFAULT_TTL = 64
TCP_WINDOW = 64240


@dataclass(frozen=True, slots=True)
class ArpPacket:
    """An Ethernet/IPv4 ARP request or reply."""

    op: int
    sender_mac: str
    sender_ip: IPv4Address
    target_mac: str
    target_ip: IPv4Address

    def summary(self) -> str:
        """Return tcpdump's one-line description."""
        if self.op == ARP_REQUEST:
            return f"ARP, Request who-has {self.target_ip} tell {self.sender_ip}"
        return f"ARP, Reply {self.sender_ip} is-at {self.sender_mac}"


@dataclass(frozen=True, slots=True)
class TcpSegment:
    """A TCP header (options left out) and its payload."""

    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    window: int = TCP_WINDOW
    data: bytes = b""

    def flag_text(self) -> str:
        """Return the flags as tcpdump prints them (``S.`` for SYN-ACK)."""
        out = "".join(
            letter
            for bit, letter in ((SYN, "S"), (FIN, "F"), (RST, "R"), (PSH, "P"))
            if self.flags & bit
        )
        return out + ("." if self.flags & ACK else "")


@dataclass(frozen=True, slots=True)
class DnsQuestion:
    """One DNS question."""

    name: str
    qtype: int = 1
    qclass: int = 1


@dataclass(frozen=True, slots=True)
class DnsAnswer:
    """One A record in an answer."""

    name: str
    address: IPv4Address
    ttl: int = 600


@dataclass(frozen=True, slots=True)
class DnsMessage:
    """A DNS query or response (A records only)."""

    ident: int
    response: bool
    question: DnsQuestion
    answers: tuple[DnsAnswer, ...] = ()
    rcode: int = 0
    recursion_desired: bool = True
    recursion_available: bool = False


@dataclass(frozen=True, slots=True)
class UdpDatagram:
    """A UDP header and its payload (raw bytes, or a DNS message on port 53)."""

    sport: int
    dport: int
    data: bytes | DnsMessage = b""


@dataclass(frozen=True, slots=True)
class IcmpMessage:
    """An ICMP message: echo (``ident``/``sequence``) or an error quoting a packet."""

    type: int
    code: int = 0
    ident: int = 0
    sequence: int = 0
    data: bytes = b""
    quoted: IPv4Packet | None = None


L4 = TcpSegment | UdpDatagram | IcmpMessage


@dataclass(frozen=True, slots=True)
class IPv4Packet:
    """An IPv4 header (no options) and its transport payload."""

    src: IPv4Address
    dst: IPv4Address
    payload: L4
    ttl: int = DEFAULT_TTL
    ident: int = 0
    dont_fragment: bool = True
    tos: int = 0

    @property
    def protocol(self) -> int:
        """Return the IP protocol number of the payload."""
        payload = self.payload
        if isinstance(payload, TcpSegment):
            return PROTO_TCP
        if isinstance(payload, UdpDatagram):
            return PROTO_UDP
        return PROTO_ICMP

    @property
    def sport(self) -> int | None:
        """Return the source port (TCP/UDP) or None."""
        payload = self.payload
        return None if isinstance(payload, IcmpMessage) else payload.sport

    @property
    def dport(self) -> int | None:
        """Return the destination port (TCP/UDP) or None."""
        payload = self.payload
        return None if isinstance(payload, IcmpMessage) else payload.dport

    def with_ports(self, sport: int | None, dport: int | None) -> IPv4Packet:
        """Return a copy with new transport ports (None leaves a port as it is)."""
        payload = self.payload
        if isinstance(payload, IcmpMessage):
            return self
        return self.rewritten(self.src, self.dst, sport, dport)

    def rewritten(
        self, src: IPv4Address, dst: IPv4Address, sport: int | None, dport: int | None
    ) -> IPv4Packet:
        """Return a copy with new addresses and ports (a None port, or ICMP, keeps its own).

        This is NAT's per-packet rewrite, so it builds the copies directly instead
        of going through ``dataclasses.replace`` (a test keeps the field lists in step).
        """
        payload = self.payload
        if sport is not None or dport is not None:
            if isinstance(payload, TcpSegment):
                payload = tcp_segment(
                    payload.sport if sport is None else sport,
                    payload.dport if dport is None else dport,
                    payload.seq,
                    payload.ack,
                    payload.flags,
                    payload.window,
                    payload.data,
                )
            elif isinstance(payload, UdpDatagram):
                payload = UdpDatagram(
                    payload.sport if sport is None else sport,
                    payload.dport if dport is None else dport,
                    payload.data,
                )
        return ipv4_packet(src, dst, payload, self.ttl, self.ident, self.dont_fragment, self.tos)

    def forwarded(self) -> IPv4Packet:
        """Return the copy a router sends on: the TTL one lower."""
        return ipv4_packet(
            self.src, self.dst, self.payload, self.ttl - 1, self.ident, self.dont_fragment, self.tos
        )

    def summary(self) -> str:
        """Return tcpdump's one-line description of the packet."""
        payload = self.payload
        if isinstance(payload, TcpSegment):
            text = (
                f"IP {self.src}.{payload.sport} > {self.dst}.{payload.dport}: "
                f"Flags [{payload.flag_text()}], seq {payload.seq}"
            )
            if payload.flags & ACK:
                text += f", ack {payload.ack}"
            return text + f", length {len(payload.data)}"
        if isinstance(payload, UdpDatagram):
            data = payload.data
            if isinstance(data, DnsMessage):
                kind = "response" if data.response else "query"
                return (
                    f"IP {self.src}.{payload.sport} > {self.dst}.{payload.dport}: "
                    f"DNS {kind} {data.question.name} A"
                )
            return (
                f"IP {self.src}.{payload.sport} > {self.dst}.{payload.dport}: "
                f"UDP, length {len(data)}"
            )
        if payload.type == ICMP_ECHO_REQUEST:
            return f"IP {self.src} > {self.dst}: ICMP echo request, id {payload.ident}"
        if payload.type == ICMP_ECHO_REPLY:
            return f"IP {self.src} > {self.dst}: ICMP echo reply, id {payload.ident}"
        return f"IP {self.src} > {self.dst}: ICMP type {payload.type} code {payload.code}"


@dataclass(frozen=True, slots=True)
class Frame:
    """An Ethernet II frame carrying ARP or IPv4."""

    src_mac: str
    dst_mac: str
    payload: ArpPacket | IPv4Packet

    @property
    def ethertype(self) -> int:
        """Return the EtherType of the payload."""
        return ETH_P_ARP if isinstance(self.payload, ArpPacket) else ETH_P_IP

    def summary(self) -> str:
        """Return a one-line description (MACs and tcpdump's text)."""
        return f"{self.src_mac} > {self.dst_mac}, {self.payload.summary()}"


# -- the packet path's copies -----------------------------------------------------
#
# A frozen dataclass's __init__ sets every field through object.__setattr__,
# several times the cost of a plain slot store, and the packet path makes a few
# headers per hop (a segment, its IPv4 header, NAT's and forwarding's copies, a
# frame). These builders fill a plain object with the same slots and then make
# it an instance of the frozen class: what they return is an ordinary frozen
# value (equal, hashable, immutable), as the unit tests check against the
# dataclass constructor. Arguments are every field, in the dataclass's order.


class _TcpSegmentDraft:
    __slots__ = TcpSegment.__slots__
    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    window: int
    data: bytes


class _IPv4PacketDraft:
    __slots__ = IPv4Packet.__slots__
    src: IPv4Address
    dst: IPv4Address
    payload: L4
    ttl: int
    ident: int
    dont_fragment: bool
    tos: int


class _FrameDraft:
    __slots__ = Frame.__slots__
    src_mac: str
    dst_mac: str
    payload: ArpPacket | IPv4Packet


def tcp_segment(
    sport: int, dport: int, seq: int, ack: int, flags: int, window: int, data: bytes
) -> TcpSegment:
    """Return ``TcpSegment(sport, dport, seq, ack, flags, window, data)``, built fast."""
    draft = _TcpSegmentDraft()
    draft.sport = sport
    draft.dport = dport
    draft.seq = seq
    draft.ack = ack
    draft.flags = flags
    draft.window = window
    draft.data = data
    draft.__class__ = TcpSegment  # type: ignore[assignment]
    return draft  # type: ignore[return-value]


def ipv4_packet(
    src: IPv4Address,
    dst: IPv4Address,
    payload: L4,
    ttl: int,
    ident: int,
    dont_fragment: bool,
    tos: int,
) -> IPv4Packet:
    """Return ``IPv4Packet(src, dst, payload, ttl, ident, dont_fragment, tos)``, built fast."""
    draft = _IPv4PacketDraft()
    draft.src = src
    draft.dst = dst
    draft.payload = payload
    draft.ttl = ttl
    draft.ident = ident
    draft.dont_fragment = dont_fragment
    draft.tos = tos
    draft.__class__ = IPv4Packet  # type: ignore[assignment]
    return draft  # type: ignore[return-value]


def frame(src_mac: str, dst_mac: str, payload: ArpPacket | IPv4Packet) -> Frame:
    """Return ``Frame(src_mac, dst_mac, payload)``, built fast."""
    draft = _FrameDraft()
    draft.src_mac = src_mac
    draft.dst_mac = dst_mac
    draft.payload = payload
    draft.__class__ = Frame  # type: ignore[assignment]
    return draft  # type: ignore[return-value]


FlowKey = tuple[int, IPv4Address, int, IPv4Address, int]


def flow_key(packet: IPv4Packet) -> FlowKey:
    """Return (protocol, src, sport, dst, dport) — ICMP echo uses its id as both ports."""
    payload = packet.payload
    if isinstance(payload, IcmpMessage):
        return (PROTO_ICMP, packet.src, payload.ident, packet.dst, payload.ident)
    return (packet.protocol, packet.src, payload.sport, packet.dst, payload.dport)


def is_icmp_error(packet: IPv4Packet) -> bool:
    """Return True for an ICMP error message that quotes another packet."""
    payload = packet.payload
    return isinstance(payload, IcmpMessage) and payload.quoted is not None


def endpoint(address: IPv4Address, port: int) -> str:
    """Return ``ADDRESS:PORT`` as the contract writes it."""
    return f"{address}:{port}"
