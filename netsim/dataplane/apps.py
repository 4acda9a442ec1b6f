"""Programs on the nodes: listeners, docker-proxy, Docker's embedded DNS, probe clients.

The listeners behave as the real replay's ``agent.py listen`` does: each TCP
connection and UDP datagram is answered with one line ``NAME LOCAL PEER`` —
who served it, the address it saw as its own and the client's. That line is
how a probe learns where DNAT, MASQUERADE or docker-proxy took it. A TCP
client that sends an HTTP request with its connection (``wget``) gets an
HTTP/1.1 response carrying that line as its body instead (``http_response``,
the same bytes as the replay's agent answers). A registry container's
listener is the exception: an HTTP server waits for a request and says
nothing, as the real replay's registry does.

docker-proxy (one per published IPv4 binding while the userland proxy is on)
accepts on the host port and dials the container from the host's namespace,
then relays; if the dial fails it closes the client's connection, so the
client sees an open port that says nothing. IPv6 bindings (``[::]``) only
serve IPv6 clients (Go sets IPV6_V6ONLY for ``tcp6``), so IPv4 probes never
reach them.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

import simpy

from netsim.dataplane.frames import (
    DnsAnswer,
    DnsMessage,
    DnsQuestion,
    IPv4Packet,
    UdpDatagram,
    endpoint,
)
from netsim.dataplane.names import EMBEDDED_DNS, embedded_lookup
from netsim.dataplane.sockets import TcpConnection, Transport, UdpSocket
from netsim.docker.files import uses_embedded_dns
from netsim.docker.registry import REGISTRY_IMAGE

if TYPE_CHECKING:
    from netsim.dataplane.engine import Simulation
    from netsim.dataplane.nodes import Node
    from netsim.docker.model import Container
    from netsim.kernel.namespace import NetworkNamespace
    from netsim.world import World

ANY = IPv4Address("0.0.0.0")
PROXY = "docker-proxy"


@dataclass(frozen=True, slots=True)
class ProxyBinding:
    """One docker-proxy: host address and port to a container address and port."""

    protocol: str
    host_ip: IPv4Address | None
    host_port: int
    container: str
    container_ip: IPv4Address
    container_port: int


@dataclass(frozen=True, slots=True)
class Listen:
    """A program's wildcard listeners: the host's, a machine's or a container's ports."""

    namespace: NetworkNamespace
    owner: str
    ports: tuple[tuple[int, str], ...]
    answers: bool = True
    """False for a registry container: an HTTP server waits for a request and says nothing."""


@dataclass(frozen=True, slots=True)
class EmbeddedDns:
    """dockerd's DNS server for one container's namespace, at 127.0.0.11 on ``port``.

    dockerd listens on a random port; the sandbox's nat rules send
    127.0.0.11:53 there (53 when the container has no such rules).
    """

    namespace: NetworkNamespace
    container: Container
    port: int


Program = Listen | EmbeddedDns | ProxyBinding


def programs(world: World) -> list[Program]:
    """Return every program the world runs, in the order they start (lookups depend on it)."""
    out: list[Program] = [
        Listen(world.host, "host", tuple((p.port, p.proto) for p in world.scenario.host.listen))
    ]
    for machine in world.scenario.machines:
        namespace = world.machines.get(machine.name)
        if namespace is not None:
            ports = tuple((p.port, p.proto) for p in machine.listen)
            out.append(Listen(namespace, machine.name, ports))
    dns_started: set[int] = set()
    for container in world.daemon.containers:
        if not container.running:
            continue
        namespace = world.container_namespaces.get(container.id)
        if namespace is None:
            continue
        if container.listens:
            answers = container.image.name != REGISTRY_IMAGE
            out.append(Listen(namespace, container.name, container.listens, answers))
        if (
            id(namespace) not in dns_started
            and container.network_mode != "host"
            and not container.network_mode.startswith("container:")
            and uses_embedded_dns(world.daemon, container)
        ):
            dns_started.add(id(namespace))
            port = container.dns_ports[1] if container.dns_ports is not None else 53
            out.append(EmbeddedDns(namespace, container, port))
    out += proxy_bindings(world)
    return out


def answer_line(owner: str, local: str, peer: str) -> bytes:
    """Return the line a listener answers with."""
    return f"{owner} {local} {peer}\n".encode()


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")
SERVED_PATHS = ("/", "/index.html")


def http_response(request: bytes, line: bytes) -> bytes | None:
    """Return the HTTP answer to ``request`` carrying ``line``, or None if it is not HTTP.

    Byte for byte what ``agent.py``'s listener answers: ``/`` and
    ``/index.html`` are served (200), any other path is 404 Not Found, both
    with the line as a text/plain body; HEAD gets the headers alone.
    """
    first = request.split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode("latin-1")
    words = first.split(" ")
    if len(words) != 3 or words[0] not in HTTP_METHODS or not words[2].startswith("HTTP/1."):
        return None
    path = words[1].split("?", 1)[0]
    status = "200 OK" if path in SERVED_PATHS else "404 Not Found"
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Content-Type: text/plain\r\n"
        f"Content-Length: {len(line)}\r\n"
        "Connection: close\r\n"
        "\r\n"
    ).encode()
    return head if words[0] == "HEAD" else head + line


def answer_connection(transport: Transport, conn: TcpConnection) -> None:
    """A listener's answer to a connection: one line with what it saw (in HTTP if asked)."""
    line = answer_line(conn.owner, conn.local_text, conn.remote_text)
    answer = http_response(conn.received, line) if conn.received else None
    transport.send(conn, line if answer is None else answer)


def answer_datagram(transport: Transport, sock: UdpSocket, packet: IPv4Packet) -> None:
    """A listener's answer to a datagram: one line, from the address it was sent to."""
    payload = packet.payload
    assert isinstance(payload, UdpDatagram)
    line = answer_line(
        sock.owner, endpoint(packet.dst, payload.dport), endpoint(packet.src, payload.sport)
    )
    transport.sendto(sock, line, (packet.src, payload.sport), source=packet.dst)


def answer_query(
    transport: Transport, world: World, container: Container, sock: UdpSocket, packet: IPv4Packet
) -> None:
    """dockerd's answer to an A query from ``container``: its networks' names, else nothing."""
    datagram = packet.payload
    assert isinstance(datagram, UdpDatagram)
    message = datagram.data
    if not isinstance(message, DnsMessage) or message.response:
        return
    node = sock.node
    name = message.question.name
    address = embedded_lookup(world, container, name)
    if address is None:
        if transport.record:
            transport.note(node, "dockerd", "DNS forward", f"{name}: forwarded upstream, no answer")
        return
    if transport.record:
        transport.note(node, "dockerd", "DNS answer", f"{name} A {address}")
    answer = DnsMessage(
        message.ident,
        True,
        message.question,
        (DnsAnswer(name, address),),
        recursion_available=True,
    )
    transport.sendto(sock, answer, (packet.src, datagram.sport), source=packet.dst)


def proxy_bindings(world: World) -> list[ProxyBinding]:
    """Return the docker-proxy processes the daemon runs (userland proxy on, IPv4 bindings)."""
    if not world.daemon.options.userland_proxy:
        return []
    out: list[ProxyBinding] = []
    for container in world.daemon.containers:
        if not container.running or not container.ports:
            continue
        backend = _published_endpoint(container)
        if backend is None:
            continue
        for mapping in container.ports:
            if mapping.host_ip.version != 4:
                continue
            host_ip = None if mapping.host_ip == ANY else IPv4Address(str(mapping.host_ip))
            out.append(
                ProxyBinding(
                    mapping.proto,
                    host_ip,
                    mapping.host_port,
                    container.name,
                    backend,
                    mapping.container_port,
                )
            )
    return out


def _published_endpoint(container: Container) -> IPv4Address | None:
    """Return the container address published ports go to (its first network's endpoint)."""
    for name in container.networks:
        endpoint_ = container.endpoints.get(name)
        if endpoint_ is not None:
            return endpoint_.address.ip
    return None


# -- the programs as simpy sees them ---------------------------------------------------------


def listen_ports(sim: Simulation, node: Node, program: Listen) -> None:
    """Open the wildcard listeners of one program on ``node``."""
    transport = sim.transport
    owner = program.owner

    def accepted(conn: TcpConnection) -> None:
        if program.answers:
            answer_connection(transport, conn)

    def datagram(sock: UdpSocket, packet: IPv4Packet) -> None:
        answer_datagram(transport, sock, packet)

    for port, proto in program.ports:
        if proto == "tcp":
            transport.listen_tcp(node, None, port, owner, accepted, program)
        elif proto == "udp":
            transport.bind_udp(node, None, port, owner, datagram, program=program)


def start_proxy(sim: Simulation, binding: ProxyBinding) -> None:
    """Run one docker-proxy in the host's namespace."""
    host = sim.host
    if binding.protocol == "tcp":

        def accepted(client: TcpConnection) -> None:
            sim.env.process(_relay_tcp(sim, client, binding))

        sim.transport.listen_tcp(host, binding.host_ip, binding.host_port, PROXY, accepted, binding)
        return

    def datagram(sock: UdpSocket, packet: IPv4Packet) -> None:
        sim.env.process(_relay_udp(sim, sock, packet, binding))

    sim.transport.bind_udp(
        host, binding.host_ip, binding.host_port, PROXY, datagram, program=binding
    )


def _relay_tcp(
    sim: Simulation, client: TcpConnection, binding: ProxyBinding
) -> Generator[simpy.Event, Any, None]:
    from netsim.dataplane.engine import simpy_event

    transport = sim.transport
    backend = transport.connect(
        sim.host, binding.container_ip, binding.container_port, PROXY, client.received
    )
    if isinstance(backend, str):
        transport.close(client)
        return
    backend.on_data = lambda _conn, data: transport.send(client, data)
    outcome = yield simpy_event(backend.outcome)
    if outcome != "open":
        transport.note(sim.host, PROXY, "backend failed", f"{outcome}; closing the client")
        transport.close(client)


def _relay_udp(
    sim: Simulation, sock: UdpSocket, packet: IPv4Packet, binding: ProxyBinding
) -> Generator[simpy.Event, Any, None]:
    transport = sim.transport
    datagram = packet.payload
    assert isinstance(datagram, UdpDatagram)
    backend = transport.udp_socket(sim.host, binding.container_ip, binding.container_port, PROXY)
    if isinstance(backend, str):
        return
    waiter = sim.env.event()
    backend.waiter = waiter
    transport.sendto(backend, datagram.data, (binding.container_ip, binding.container_port))
    yield waiter | sim.env.timeout(90.0)
    if backend.inbox:
        reply = backend.inbox[0].payload
        assert isinstance(reply, UdpDatagram)
        transport.sendto(sock, reply.data, (packet.src, datagram.sport))


def start_embedded_dns(sim: Simulation, node: Node, program: EmbeddedDns) -> None:
    """Run Docker's embedded DNS server at 127.0.0.11 in a container's namespace."""
    transport = sim.transport
    world = sim.world
    container = program.container

    def query(sock: UdpSocket, packet: IPv4Packet) -> None:
        answer_query(transport, world, container, sock, packet)

    transport.bind_udp(node, EMBEDDED_DNS, program.port, "dockerd", query, program=program)


def install(sim: Simulation) -> None:
    """Start every program the world runs: listeners, docker-proxies, embedded DNS."""
    for program in programs(sim.world):
        if isinstance(program, Listen):
            listen_ports(sim, sim.node_of(program.namespace), program)
        elif isinstance(program, EmbeddedDns):
            start_embedded_dns(sim, sim.node_of(program.namespace), program)
        else:
            start_proxy(sim, program)


def dns_query(name: str, ident: int) -> DnsMessage:
    """Return an A query for ``name``."""
    return DnsMessage(ident, False, DnsQuestion(name))
