"""Where the bytes went: packet and byte counts per wire, and one probe's path, as values.

The data plane records every frame sent or received on an interface (its
trace's frame events, or its captures). A wire of the topology is counted on
one interface (``Wire.counter``): the host end of a veth pair, the bridge's
own interface for its uplink to the host's stack, a node's ``eth0`` for its
LAN cable. Each frame crossing a wire is sent on one end and received on the
other, so counting both directions on one end counts it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from netsim.render.topology import Wire
from netsim.results.run import PacketRecord, ProbeRecord, StepRecord


class FrameSeen(Protocol):
    """What the data plane says of one frame on one interface (trace event or capture)."""

    node: str
    interface: str
    direction: str


@dataclass(frozen=True, slots=True)
class InterfaceCount:
    """Frames (and their bytes) sent or received on one interface of one node."""

    node: str
    interface: str
    packets: int
    size_bytes: int


@dataclass(frozen=True, slots=True)
class Traffic:
    """Counts per interface for a whole run."""

    counts: tuple[InterfaceCount, ...] = ()

    def count(self, node: str, interface: str) -> tuple[int, int]:
        """Return (packets, bytes) seen on an interface (zeros if none)."""
        for count in self.counts:
            if count.node == node and count.interface == interface:
                return count.packets, count.size_bytes
        return 0, 0

    def per_wire(self, wires: tuple[Wire, ...]) -> dict[int, tuple[int, int]]:
        """Return (packets, bytes) of every wire that has a counter, by wire index."""
        table = {(c.node, c.interface): (c.packets, c.size_bytes) for c in self.counts}
        return {
            index: table.get(wire.counter, (0, 0))
            for index, wire in enumerate(wires)
            if wire.counter is not None
        }


def count_frames(frames: Iterable[Any], size_of: Any = None) -> Traffic:
    """Return the counts of frames seen (objects with ``node``, ``interface``, ``direction``).

    ``size_of(frame) -> int`` gives a frame's length on the wire; without it
    bytes are taken from a ``size_bytes`` attribute, or 0.
    """
    packets: dict[tuple[str, str], int] = {}
    sizes: dict[tuple[str, str], int] = {}
    for frame in frames:
        key = (frame.node, frame.interface)
        packets[key] = packets.get(key, 0) + 1
        size = size_of(frame) if size_of is not None else getattr(frame, "size_bytes", 0)
        sizes[key] = sizes.get(key, 0) + int(size)
    return Traffic(
        tuple(
            InterfaceCount(node, interface, packets[(node, interface)], sizes[(node, interface)])
            for node, interface in sorted(packets)
        )
    )


@dataclass(frozen=True, slots=True)
class NatNote:
    """An address translation on a probe's path, where it happened."""

    node: str
    kind: str
    before: str
    after: str

    @property
    def text(self) -> str:
        """Return ``KIND at NODE: BEFORE => AFTER``."""
        return f"{self.kind} at {self.node}: {self.before} => {self.after}"


@dataclass(frozen=True, slots=True)
class ProbePath:
    """One probe's packets: the interfaces they crossed, in order, and the NAT on the way."""

    probe: str
    result: str
    hops: tuple[tuple[str, str], ...]
    nat: tuple[NatNote, ...] = ()
    traffic: Traffic = Traffic()
    died_at: str = ""
    why: str = ""

    def wires(self, wires: tuple[Wire, ...]) -> set[int]:
        """Return the indexes of the wires the probe's packets crossed."""
        crossed = set(self.hops)
        return {index for index, wire in enumerate(wires) if wire.counter in crossed}


def path_from_events(
    probe: str, result: str, events: Iterable[Any], captures: Iterable[Any] = ()
) -> ProbePath:
    """Return a probe's path from its trace events (frame and NAT events, duck-typed).

    Frame events have ``node``, ``interface`` and ``direction``; NAT events
    ``node``, ``kind``, ``before`` and ``after`` (endpoint tuples or text).
    """
    hops: list[tuple[str, str]] = []
    nat: list[NatNote] = []
    for event in events:
        if hasattr(event, "interface") and hasattr(event, "direction"):
            hop = (event.node, event.interface)
            if hop not in hops:
                hops.append(hop)
        elif (
            hasattr(event, "kind")
            and hasattr(event, "before")
            and hasattr(event, "after")
            and not str(event.kind).startswith(("un-", "conntrack "))
        ):
            note = NatNote(
                event.node, event.kind, _endpoints_text(event.before), _endpoints_text(event.after)
            )
            if note not in nat:
                nat.append(note)
    return ProbePath(probe, result, tuple(hops), tuple(nat), count_frames(captures, frame_size))


def _endpoints_text(value: Any) -> str:
    if isinstance(value, tuple) and len(value) == 5:
        proto, src, sport, dst, dport = value
        name = {1: "icmp", 6: "tcp", 17: "udp"}.get(proto, str(proto))
        return f"{src}:{sport} -> {dst}:{dport}/{name}"
    return str(value)


def frame_size(seen: Any) -> int:
    """Return the length of a captured frame as its pcap holds it (Ethernet header, no FCS)."""
    from netsim.dataplane.wire import render  # scapy, imported only when frames are counted

    return len(render(seen.frame))


def build_traffic(records: Iterable[StepRecord]) -> Traffic:
    """Return the packets and bytes of every interface over the run's steps.

    That is the probes' frames and those of the connections commands made
    (a push or pull to a registry container); packet steps keep no frames.
    """
    return count_frames(
        (c for r in records if not isinstance(r, PacketRecord) for c in r.captures), frame_size
    )


def probe_path(record: ProbeRecord) -> ProbePath:
    """Return the path through the topology of a probe the session made.

    A probe that did not get through carries the node its ``why`` names as
    where it was decided (``died_at``), and the reason.
    """
    path = path_from_events(record.probe, str(record.result), record.events, record.captures)
    why = record.why
    if why is None:
        return path
    died_at = why.node if why.kind not in OPEN_KINDS else ""
    return replace(path, died_at=died_at, why=why.text)


# The ``Why`` kinds of a probe that got through.
OPEN_KINDS = frozenset({"direct", "dnat", "docker-proxy", "hairpin"})
