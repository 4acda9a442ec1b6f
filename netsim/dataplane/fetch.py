"""Fetch a URL over the simulated network, as busybox ``wget`` does on the wire.

The client resolves the name as a probe does (an address, the node's
/etc/hosts, then the embedded DNS where the node has it), connects (the SYN
retransmitted after 1 s and 3 s; netsim gives up after 5 s where the real
kernel tries for about two minutes), sends its request with the handshake's
last ACK (so the listener answers it in HTTP, ``apps.http_response``) and
reads the response until its Content-Length is in, the server closes, or 3 s
pass in silence. The connection's trace and frames come back as a
``ProbeOutcome``, for the command's record (``world.connections``).
"""

from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

import simpy

from netsim.dataplane.apps import PROXY, install
from netsim.dataplane.engine import Simulation
from netsim.dataplane.names import hosts_lookup, parse_address, resolver_of
from netsim.dataplane.probe import ANSWER_WAIT, ProbeOutcome, dns_lookup, handshake
from netsim.dataplane.sockets import TcpConnection
from netsim.dataplane.trace import SocketEvent

if TYPE_CHECKING:
    from netsim.dataplane.nodes import Node
    from netsim.world import World

CLIENT = "wget"


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """What one HTTP exchange found.

    ``result`` is ``unresolved``, ``open`` (``response`` holds what the
    server sent), ``timeout`` (no answer to the SYN), or ``failed`` with the
    connect's errno in ``error``. ``address`` is the resolved address.
    """

    result: str
    address: IPv4Address | None = None
    error: str | None = None
    response: bytes = b""
    traffic: ProbeOutcome | None = None


@dataclass(slots=True)
class _Box:
    result: str = "timeout"
    address: IPv4Address | None = None
    error: str | None = None
    response: bytes = b""


def simulate_fetch(
    world: World, source: str, host: str, port: int, request: bytes, rng: random.Random
) -> FetchOutcome:
    """Send ``request`` to HOST:PORT from the node ``source``; return the answer and traffic."""
    namespace = world.namespace_of(source)
    if namespace is None:
        return FetchOutcome("failed", error="ENETUNREACH")
    sim = Simulation(world, rng=rng, record=True, capture=True)
    install(sim)
    node = sim.node_of(namespace)
    box = _Box()
    process = sim.env.process(_client(sim, node, source, host, port, request, box))
    sim.run(until=process)
    events = tuple(sim.events)
    served = [
        e.owner
        for e in events
        if isinstance(e, SocketEvent) and e.action == "SYN-ACK" and e.owner != PROXY
    ]
    traffic = ProbeOutcome(
        "open" if box.result == "open" else box.result,
        served[-1] if served else None,
        address=box.address,
        events=events,
        captures=tuple(sim.captures),
    )
    return FetchOutcome(box.result, box.address, box.error, box.response, traffic)


def _note(sim: Simulation, node: Node, action: str, detail: str = "") -> None:
    sim.note(SocketEvent(sim.env.now, node.label, CLIENT, action, detail))


def _client(
    sim: Simulation,
    node: Node,
    source: str,
    host: str,
    port: int,
    request: bytes,
    box: _Box,
) -> Generator[simpy.Event, Any, None]:
    resolver = resolver_of(sim.world, source)
    address = parse_address(host)
    if address is None:
        address = hosts_lookup(resolver.hosts, host)
        if address is not None:
            _note(sim, node, "resolved", f"{host} -> {address} (/etc/hosts)")
    if address is None and resolver.embedded_dns:
        address = yield from dns_lookup(sim, node, host)
    if address is None:
        _note(sim, node, "unresolved", host)
        box.result = "unresolved"
        return
    box.address = address
    transport = sim.transport
    conn = transport.connect(node, address, port, CLIENT, request)
    if isinstance(conn, str):
        box.result, box.error = "failed", conn
        return
    outcome = yield from handshake(sim, node, conn)
    if outcome == "timeout":
        box.result = "timeout"
        return
    if outcome != "open":
        box.result, box.error = "failed", outcome
        return
    box.result = "open"
    box.response = yield from _read_response(sim, conn)


def _read_response(sim: Simulation, conn: TcpConnection) -> Generator[simpy.Event, Any, bytes]:
    """Read until the response is whole (its Content-Length), the server closes, or silence."""
    env = sim.env
    deadline = env.now + ANSWER_WAIT
    while not _complete(conn.received) and not conn.closed and env.now < deadline:
        waiter = conn.waiter = env.event()
        yield waiter | env.timeout(deadline - env.now)
    return conn.received


def _complete(data: bytes) -> bool:
    """Return True once ``data`` holds a whole HTTP response (headers and Content-Length)."""
    head, found, body = data.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return len(body) >= int(value.strip())
    return False
