"""Answer a scenario's ``probe:`` step by sending packets through the simulated host.

The probe client behaves as the real replay's agent does (``agent.py probe``):
resolve the name from the source's point of view, then

* tcp: connect (SYN retransmitted after 1 s and 3 s, given up after 5 s);
  ``open`` once the handshake completes, then read the listener's answer
  line for up to 3 s (served_by/local/peer; empty when a docker-proxy could
  not reach its container); ``refused`` on RST or ICMP port unreachable;
  ``unreachable`` on ENETUNREACH/EHOSTUNREACH (no route, ICMP host/net
  unreachable, no ARP answer after 3 s);
* udp: send one datagram; ``open`` on an answer, ``closed`` on ICMP port
  unreachable, ``timeout`` otherwise (soft ICMP errors are not reported to a
  UDP socket);
* icmp: one echo request; ``reply``, ``unreachable`` on destination
  unreachable quoting it, ``timeout``.

The client's ephemeral port, sequence numbers and DNS id come from a
per-probe RNG seeded by one draw of the world's RNG, so runs are
deterministic and a probe costs the world's RNG a single number.
"""

from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

import simpy

from netsim.dataplane.apps import PROXY, dns_query, install
from netsim.dataplane.engine import Capture, EngineConfig, Simulation, simpy_event
from netsim.dataplane.frames import DnsMessage, IPv4Packet, UdpDatagram
from netsim.dataplane.names import (
    EMBEDDED_DNS,
    ResolverConfig,
    hosts_lookup,
    parse_address,
    resolver_of,
)
from netsim.dataplane.nodes import Node
from netsim.dataplane.sockets import TcpConnection, UdpSocket
from netsim.dataplane.trace import SocketEvent, TraceEvent
from netsim.dataplane.why import explain
from netsim.results.run import Why

if TYPE_CHECKING:
    from netsim.docker.registry import Connection
    from netsim.scenario.spec import ProbeStep
    from netsim.world import World

PROBE_TIMEOUT = 5.0
ANSWER_WAIT = 3.0
SYN_RETRIES = (1.0, 3.0)
UNREACHABLE_ERRNOS = frozenset({"EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"})
PROBE_OWNER = "probe"


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    """What a probe found, with the trace (and frames, when captured) of how."""

    result: str | None
    served_by: str | None = None
    local: str | None = None
    peer: str | None = None
    address: IPv4Address | None = None
    error: str | None = None
    events: tuple[TraceEvent, ...] = ()
    captures: tuple[Capture, ...] = ()
    why: Why | None = None


@dataclass(frozen=True, slots=True)
class _Answer:
    result: str
    served_by: str | None = None
    local: str | None = None
    peer: str | None = None
    address: IPv4Address | None = None


def simulate_probe(
    world: World,
    step: ProbeStep,
    *,
    config: EngineConfig | None = None,
    capture: bool = False,
    record: bool = True,
    rng: random.Random | None = None,
) -> ProbeOutcome:
    """Run one probe in a fresh simulation of the world and return what happened."""
    namespace = world.namespace_of(step.src)
    if namespace is None:
        return ProbeOutcome(None, error=f"probe source {step.src} is not running")
    rng = rng or world.step_rng(step.index, "probe")
    sim = Simulation(world, rng=rng, config=config, record=record, capture=capture)
    install(sim)
    node = sim.node_of(namespace)
    box: list[_Answer] = []
    process = sim.env.process(probe_client(sim, node, step, resolver_of(world, step.src), box))
    sim.run(until=process)
    answer = box[0] if box else _Answer("timeout")
    events = tuple(sim.events)
    return ProbeOutcome(
        answer.result,
        answer.served_by,
        answer.local,
        answer.peer,
        answer.address,
        None,
        events,
        tuple(sim.captures),
        explain(answer.result, events) if record else None,
    )


def dial_registry(world: World, host: str, port: int) -> Connection:
    """Connect from the Docker host to HOST:PORT as the daemon does to a registry.

    The connection is a probe's: resolved with the host's /etc/hosts (the
    world's nameserver does not exist), then a TCP handshake through the
    host's stack, docker-proxy or DNAT. ``served_by`` is the container whose
    listener completed the handshake (the last one past any docker-proxy).
    The outcome, with its trace and frames, is kept in ``world.connections``
    for the record of the command that dialled.
    """
    from netsim.docker.registry import Connection
    from netsim.scenario.spec import ProbeStep

    step = ProbeStep(index=0, line=0, src="host", dst=host, port=port, proto="tcp")
    # Each connection its own ephemeral port: seeded by the step (the run's
    # clock) and by how many connections the step made before it.
    rng = world.step_rng(round(world.daemon.clock), f"registry/{len(world.connections)}")
    outcome = simulate_probe(world, step, record=True, capture=True, rng=rng)
    world.connections.append(outcome)
    served = [
        event.owner
        for event in outcome.events
        if isinstance(event, SocketEvent) and event.action == "SYN-ACK" and event.owner != PROXY
    ]
    return Connection(str(outcome.result), outcome.address, served[-1] if served else None)


def _note(sim: Simulation, node: Node, action: str, detail: str = "") -> None:
    sim.note(SocketEvent(sim.env.now, node.label, PROBE_OWNER, action, detail))


def probe_client(
    sim: Simulation, node: Node, step: ProbeStep, resolver: ResolverConfig, box: list[_Answer]
) -> Generator[simpy.Event, Any, None]:
    """The probe program: resolve, then connect, send or ping."""
    address = parse_address(step.dst)
    if address is None:
        address = hosts_lookup(resolver.hosts, step.dst)
        if address is not None:
            _note(sim, node, "resolved", f"{step.dst} -> {address} (/etc/hosts)")
    if address is None and resolver.embedded_dns:
        address = yield from dns_lookup(sim, node, step.dst)
    if address is None:
        _note(sim, node, "unresolved", step.dst)
        box.append(_Answer("unresolved"))
        return
    if step.proto == "icmp":
        answer = yield from _ping(sim, node, address)
    elif step.proto == "udp":
        answer = yield from _udp(sim, node, address, step.port or 0)
    else:
        answer = yield from _tcp(sim, node, address, step.port or 0)
    box.append(answer)


def dns_lookup(
    sim: Simulation, node: Node, name: str
) -> Generator[simpy.Event, Any, IPv4Address | None]:
    """Ask the embedded DNS at 127.0.0.11 for an A record; None after 5 s of silence."""
    transport = sim.transport
    sock = transport.udp_socket(node, EMBEDDED_DNS, 53, PROBE_OWNER)
    if isinstance(sock, str):
        return None
    ident = sim.rng.getrandbits(16)
    waiter = sim.env.event()
    sock.waiter = waiter
    _note(sim, node, "DNS query", f"{name} A? to {EMBEDDED_DNS}")
    transport.sendto(sock, dns_query(name, ident), (EMBEDDED_DNS, 53))
    deadline = sim.env.now + PROBE_TIMEOUT
    while sim.env.now < deadline:
        yield waiter | sim.env.timeout(deadline - sim.env.now)
        for packet in sock.inbox:
            address = dns_address(packet, ident)
            if address is not None:
                _note(sim, node, "resolved", f"{name} -> {address} (embedded DNS)")
                return address
        sock.inbox.clear()
        if not waiter.triggered:
            break
        waiter = sim.env.event()
        sock.waiter = waiter
    return None


def dns_address(packet: IPv4Packet, ident: int) -> IPv4Address | None:
    """Return the first A record of the answer to query ``ident`` in ``packet``, or None."""
    datagram = packet.payload
    if not isinstance(datagram, UdpDatagram):
        return None
    message = datagram.data
    if isinstance(message, DnsMessage) and message.ident == ident and message.answers:
        return message.answers[0].address
    return None


def parse_answer(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Split a listener's answer line into served_by, local and peer (None when it is not one)."""
    fields = data.decode(errors="replace").split()
    if len(fields) != 3:
        return None, None, None
    return fields[0], fields[1], fields[2]


def failure(error: str) -> str:
    """Return the probe result of a socket error: refused, else unreachable."""
    return "refused" if error == "ECONNREFUSED" else "unreachable"


def datagram_answer(sock: UdpSocket) -> tuple[str, str | None, str | None, str | None]:
    """Return what a UDP probe's socket found: result, served_by, local and peer.

    ``open`` with the first answer's line; ``closed`` on port unreachable;
    ``unreachable`` on another hard ICMP error; ``timeout`` on silence.
    """
    if sock.inbox:
        datagram = sock.inbox[0].payload
        assert isinstance(datagram, UdpDatagram)
        data = datagram.data if isinstance(datagram.data, bytes) else b""
        return ("open", *parse_answer(data))
    if sock.error == "ECONNREFUSED":
        return "closed", None, None, None
    if sock.error is not None:
        return failure(sock.error), None, None, None
    return "timeout", None, None, None


def _tcp(
    sim: Simulation, node: Node, address: IPv4Address, port: int
) -> Generator[simpy.Event, Any, _Answer]:
    transport = sim.transport
    conn = transport.connect(node, address, port, PROBE_OWNER)
    if isinstance(conn, str):
        return _Answer(failure(conn), address=address)
    outcome = yield from handshake(sim, node, conn)
    if outcome == "timeout":
        return _Answer("timeout", address=address)
    if outcome != "open":
        return _Answer(failure(outcome), address=address)
    data = yield from _read_line(sim, conn)
    served_by, local, peer = parse_answer(data)
    return _Answer("open", served_by, local, peer, address)


def handshake(sim: Simulation, node: Node, conn: TcpConnection) -> Generator[simpy.Event, Any, str]:
    """Wait for a connection's handshake, sending the SYN again as Linux does.

    Returns ``open``, the error that ended it (``ECONNREFUSED``...), or
    ``timeout`` when nothing answered within ``PROBE_TIMEOUT`` (noted in the trace).
    """
    env = sim.env
    start = env.now
    deadline = start + PROBE_TIMEOUT
    retries = [start + delay for delay in SYN_RETRIES]
    opened = simpy_event(conn.outcome)
    while not opened.triggered:
        wake = min([t for t in retries if t > env.now] + [deadline])
        yield opened | env.timeout(wake - env.now)
        if opened.triggered:
            break
        if env.now >= deadline:
            _note(sim, node, "timeout", f"no answer to SYN after {PROBE_TIMEOUT:g} s")
            return "timeout"
        sim.transport.retransmit_syn(conn)
    return str(opened.value)


def _read_line(sim: Simulation, conn: TcpConnection) -> Generator[simpy.Event, Any, bytes]:
    env = sim.env
    deadline = env.now + ANSWER_WAIT
    while not conn.received.endswith(b"\n") and not conn.closed and env.now < deadline:
        waiter = conn.waiter = env.event()
        yield waiter | env.timeout(deadline - env.now)
    return conn.received


def _udp(
    sim: Simulation, node: Node, address: IPv4Address, port: int
) -> Generator[simpy.Event, Any, _Answer]:
    transport = sim.transport
    sock = transport.udp_socket(node, address, port, PROBE_OWNER)
    if isinstance(sock, str):
        return _Answer(failure(sock), address=address)
    waiter = sim.env.event()
    sock.waiter = waiter
    error = transport.sendto(sock, b"netsim probe\n", (address, port))
    if error in UNREACHABLE_ERRNOS:
        return _Answer("unreachable", address=address)
    yield waiter | sim.env.timeout(PROBE_TIMEOUT)
    result, served_by, local, peer = datagram_answer(sock)
    return _Answer(result, served_by, local, peer, address)


def _ping(
    sim: Simulation, node: Node, address: IPv4Address
) -> Generator[simpy.Event, Any, _Answer]:
    waiter = sim.env.event()
    sock = sim.transport.ping(node, address, sim.rng.getrandbits(16), waiter)
    if isinstance(sock, str):
        return _Answer("unreachable", address=address)
    yield waiter | sim.env.timeout(PROBE_TIMEOUT)
    return _Answer(sock.result or "timeout", address=address)
