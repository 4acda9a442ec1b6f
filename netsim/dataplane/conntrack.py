"""Connection tracking with NAT bindings, as Linux's nf_conntrack and nf_nat do it.

A connection has an original and a reply tuple; a NAT binding rewrites the
reply tuple (DNAT its source, SNAT its destination), and every packet of the
connection is then rewritten to match (``translate``). Copied from Linux:

* An entry is created by the first packet at PREROUTING or OUTPUT and only
  confirmed (put in the table) when that packet leaves POSTROUTING or INPUT;
  a packet dropped on the way leaves nothing behind.
* The nat table is consulted once per connection and manip type: at a
  destination hook (PREROUTING, OUTPUT) and a source hook (POSTROUTING,
  INPUT) for the first packet only; a hook without a matching rule makes a
  null binding.
* The state iptables sees: NEW until a reply was seen, ESTABLISHED after (and
  for every reply), RELATED for an ICMP error about a tracked connection,
  INVALID for a TCP segment without SYN that no entry knows.
* ICMP errors are translated as ``nf_nat_icmp_reply_translation`` does: the
  quoted packet with the opposite manip, the outer header like a packet of
  the error's direction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from netsim.dataplane.frames import (
    ACK,
    PROTO_ICMP,
    PROTO_TCP,
    PROTO_UDP,
    RST,
    SYN,
    FlowKey,
    IcmpMessage,
    IPv4Packet,
    TcpSegment,
    flow_key,
)

if TYPE_CHECKING:
    from netsim.kernel.evaluate import Verdict

ORIGINAL = "original"
REPLY = "reply"
DST_MANIP = "dst"
SRC_MANIP = "src"


def invert(key: FlowKey) -> FlowKey:
    """Return the tuple of the other direction."""
    proto, src, sport, dst, dport = key
    return (proto, dst, dport, src, sport)


class ConntrackEntry:
    """One tracked connection (owned by its namespace's ``ConntrackTable``)."""

    __slots__ = (
        "original",
        "reply",
        "seen_reply",
        "dst_done",
        "src_done",
        "dnat",
        "snat",
        "confirmed",
        "as_new",
        "as_established",
        "as_reply",
        "walks",
    )

    def __init__(self, original: FlowKey) -> None:
        self.original = original
        self.reply = invert(original)
        self.seen_reply = False
        self.dst_done = False
        self.src_done = False
        self.dnat = False
        self.snat = False
        self.confirmed = False
        # The attachments classify hands out for this entry, made once each
        # (they are values: every packet of a state gets an equal one).
        self.as_new: Tracked | None = None
        self.as_established: Tracked | None = None
        self.as_reply: Tracked | None = None
        # Chain verdicts met by this connection's packets (``IPv4Stack.walk``),
        # made on first use.
        self.walks: dict[tuple[object, ...], Verdict] | None = None

    def tuple_of(self, direction: str) -> FlowKey:
        """Return the tuple of ``direction``."""
        return self.original if direction == ORIGINAL else self.reply


@dataclass(frozen=True, slots=True)
class Tracked:
    """A packet's conntrack attachment: the entry, the direction and the state iptables sees."""

    entry: ConntrackEntry | None
    direction: str
    state: str
    created: bool = False


UNTRACKED = Tracked(None, ORIGINAL, "UNTRACKED")
INVALID = Tracked(None, ORIGINAL, "INVALID")


class ConntrackTable:
    """The conntrack table of one namespace."""

    def __init__(self) -> None:
        self.entries: dict[FlowKey, tuple[ConntrackEntry, str]] = {}
        # The same tuples indexed by (protocol, sport, dport): lookups then hash
        # only ints, and addresses compare by identity first (IPv4Address hashes
        # in Python, and conntrack looks up every packet at every namespace).
        self._by_ports: dict[
            tuple[int, int, int],
            list[tuple[IPv4Address, IPv4Address, tuple[ConntrackEntry, str]]],
        ] = {}

    def __len__(self) -> int:
        return len({id(entry) for entry, _ in self.entries.values()})

    def classify(self, packet: IPv4Packet) -> Tracked:
        """Find or start the connection of ``packet`` (nf_conntrack_in)."""
        payload = packet.payload
        if isinstance(payload, TcpSegment):
            proto, sport, dport = PROTO_TCP, payload.sport, payload.dport
        elif isinstance(payload, IcmpMessage):
            if payload.quoted is not None:
                # icmp_error_message: the error travels opposite to the quoted packet,
                # so the inverse of the quoted tuple names the error's direction.
                found = self.find(invert(flow_key(payload.quoted)))
                if found is None:
                    return INVALID
                entry, direction = found
                return Tracked(entry, direction, "RELATED")
            if payload.type not in (0, 8):
                return UNTRACKED
            proto, sport, dport = PROTO_ICMP, payload.ident, payload.ident  # as flow_key
        else:
            proto, sport, dport = PROTO_UDP, payload.sport, payload.dport
        src = packet.src
        dst = packet.dst
        # find(), inlined: every packet at every namespace comes here.
        found = None
        bucket = self._by_ports.get((proto, sport, dport))
        if bucket is not None:
            for other_src, other_dst, pair in bucket:
                if (other_src is src or other_src == src) and (
                    other_dst is dst or other_dst == dst
                ):
                    found = pair
                    break
        if found is not None:
            entry, direction = found
            if direction == REPLY:
                entry.seen_reply = True
                tracked = entry.as_reply
                if tracked is None:
                    tracked = entry.as_reply = Tracked(entry, REPLY, "ESTABLISHED")
            elif entry.seen_reply:
                tracked = entry.as_established
                if tracked is None:
                    tracked = entry.as_established = Tracked(entry, ORIGINAL, "ESTABLISHED")
            else:
                tracked = entry.as_new
                if tracked is None:
                    tracked = entry.as_new = Tracked(entry, ORIGINAL, "NEW")
            return tracked
        if isinstance(payload, TcpSegment) and not (
            payload.flags & SYN and not payload.flags & (ACK | RST)
        ):
            return INVALID
        if isinstance(payload, IcmpMessage) and payload.type == 0:
            return INVALID
        return Tracked(
            ConntrackEntry((proto, src, sport, dst, dport)), ORIGINAL, "NEW", created=True
        )

    def confirm(self, tracked: Tracked) -> None:
        """Put a new entry in the table once its first packet passed (nf_conntrack_confirm)."""
        entry = tracked.entry
        if entry is None or entry.confirmed or not tracked.created:
            return
        if entry.original in self.entries or entry.reply in self.entries:
            return  # a clash: the kernel drops the packet; here the first entry stays
        entry.confirmed = True
        for key, direction in ((entry.original, ORIGINAL), (entry.reply, REPLY)):
            pair = self.entries[key] = (entry, direction)
            proto, src, sport, dst, dport = key
            bucket = self._by_ports.setdefault((proto, sport, dport), [])
            for i, (other_src, other_dst, _) in enumerate(bucket):
                if other_src == src and other_dst == dst:  # as in the dict: the later wins
                    bucket[i] = (src, dst, pair)
                    break
            else:
                bucket.append((src, dst, pair))

    def find(self, key: FlowKey) -> tuple[ConntrackEntry, str] | None:
        """Return the entry and direction of tuple ``key`` (``entries.get``, faster)."""
        proto, src, sport, dst, dport = key
        bucket = self._by_ports.get((proto, sport, dport))
        if bucket is not None:
            for other_src, other_dst, pair in bucket:
                if (other_src is src or other_src == src) and (
                    other_dst is dst or other_dst == dst
                ):
                    return pair
        return None

    def reply_taken(self, reply: FlowKey) -> bool:
        """Return True when a confirmed connection already uses ``reply`` as a tuple."""
        return reply in self.entries


def bind(entry: ConntrackEntry, manip: str, address: IPv4Address | None, port: int | None) -> None:
    """Set up the NAT binding of ``manip`` (nf_nat_setup_info); None/None is a null binding."""
    proto, rsrc, rsport, rdst, rdport = entry.reply
    if manip == DST_MANIP:
        entry.dst_done = True
        new = (
            proto,
            address or rsrc,
            rsport if port is None or proto == PROTO_ICMP else port,
            rdst,
            rdport,
        )
        if new != entry.reply:
            entry.reply = new
            entry.dnat = True
    else:
        entry.src_done = True
        new = (
            proto,
            rsrc,
            rsport,
            address or rdst,
            rdport if port is None or proto == PROTO_ICMP else port,
        )
        if new != entry.reply:
            entry.reply = new
            entry.snat = True


def _needs(entry: ConntrackEntry, manip: str, direction: str) -> bool:
    """Return True when the connection's status asks for ``manip`` in ``direction``."""
    wants_src = manip == SRC_MANIP
    if direction == REPLY:
        wants_src = not wants_src
    return entry.snat if wants_src else entry.dnat


def _set(
    packet: IPv4Packet, manip: str, address: IPv4Address, port: int | None, *, ports: bool
) -> IPv4Packet:
    if manip == SRC_MANIP:
        return packet.rewritten(address, packet.dst, port if ports else None, None)
    return packet.rewritten(packet.src, address, None, port if ports else None)


def translate(packet: IPv4Packet, tracked: Tracked, manip: str) -> IPv4Packet:
    """Rewrite ``packet`` for the hook's manip type as its connection's bindings say."""
    entry = tracked.entry
    if entry is None:
        return packet
    # _needs, inlined: this runs at four hooks for every tracked packet.
    wants_src = (manip == SRC_MANIP) != (tracked.direction == REPLY)
    if not (entry.snat if wants_src else entry.dnat):
        return packet
    # The packet takes the addresses of the other direction's tuple, inverted.
    other = entry.original if tracked.direction == REPLY else entry.reply
    payload = packet.payload
    if tracked.state == "RELATED" and isinstance(payload, IcmpMessage) and payload.quoted:
        # The quoted packet gets the opposite manip, toward the other direction's tuple.
        _, osrc, osport, odst, odport = other
        quoted = payload.quoted
        if manip == DST_MANIP:  # opposite: source
            quoted = _set(quoted, SRC_MANIP, osrc, osport, ports=quoted.protocol != PROTO_ICMP)
        else:
            quoted = _set(quoted, DST_MANIP, odst, odport, ports=quoted.protocol != PROTO_ICMP)
        packet = replace(packet, payload=replace(payload, quoted=quoted))
        return _set(packet, manip, odst if manip == SRC_MANIP else osrc, None, ports=False)
    _, osrc, osport, odst, odport = other  # rewritten leaves an ICMP message's ids alone
    if manip == SRC_MANIP:
        return packet.rewritten(odst, packet.dst, odport, None)
    return packet.rewritten(packet.src, osrc, None, osport)


def is_tcp_syn(packet: IPv4Packet) -> bool:
    """Return True for a TCP SYN without ACK."""
    payload = packet.payload
    return (
        packet.protocol == PROTO_TCP
        and isinstance(payload, TcpSegment)
        and bool(payload.flags & SYN)
        and not payload.flags & ACK
    )
