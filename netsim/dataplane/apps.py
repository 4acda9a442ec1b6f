"""Programs on the nodes: listeners, docker-proxy, Docker's embedded DNS, probe clients.

The listeners behave as the real replay's ``agent.py listen`` does: each TCP
connection and UDP datagram is answered with one line ``NAME LOCAL PEER`` —
who served it, the address it saw as its own and the client's. That line is
how a probe learns where DNAT, MASQUERADE or docker-proxy took it.

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
from netsim.dataplane.sockets import TcpConnection, UdpSocket
from netsim.docker.files import uses_embedded_dns

if TYPE_CHECKING:
    from netsim.dataplane.engine import Simulation
    from netsim.dataplane.nodes import Node
    from netsim.docker.model import Container

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


def answer_line(owner: str, local: str, peer: str) -> bytes:
    """Return the line a listener answers with."""
    return f"{owner} {local} {peer}\n".encode()


def serve_tcp(sim: Simulation, owner: str):  # type: ignore[no-untyped-def]
    """Return an accept handler that answers each connection with what it saw."""

    def accepted(conn: TcpConnection) -> None:
        sim.transport.send(conn, answer_line(owner, conn.local_text, conn.remote_text))

    return accepted


def serve_udp(sim: Simulation, owner: str):  # type: ignore[no-untyped-def]
    """Return a datagram handler that answers from the address the datagram was sent to."""

    def datagram(sock: UdpSocket, packet: IPv4Packet) -> None:
        payload = packet.payload
        assert isinstance(payload, UdpDatagram)
        line = answer_line(
            owner, endpoint(packet.dst, payload.dport), endpoint(packet.src, payload.sport)
        )
        sim.transport.sendto(sock, line, (packet.src, payload.sport), source=packet.dst)

    return datagram


def listen_ports(
    sim: Simulation, node: Node, owner: str, ports: tuple[tuple[int, str], ...]
) -> None:
    """Open the wildcard listeners of one program on ``node``."""
    for port, proto in ports:
        if proto == "tcp":
            sim.transport.listen_tcp(node, None, port, owner, serve_tcp(sim, owner))
        elif proto == "udp":
            sim.transport.bind_udp(node, None, port, owner, serve_udp(sim, owner))


def proxy_bindings(sim: Simulation) -> list[ProxyBinding]:
    """Return the docker-proxy processes the daemon runs (userland proxy on, IPv4 bindings)."""
    world = sim.world
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


def start_proxy(sim: Simulation, binding: ProxyBinding) -> None:
    """Run one docker-proxy in the host's namespace."""
    host = sim.host
    if binding.protocol == "tcp":

        def accepted(client: TcpConnection) -> None:
            sim.env.process(_relay_tcp(sim, client, binding))

        sim.transport.listen_tcp(host, binding.host_ip, binding.host_port, PROXY, accepted)
        return

    def datagram(sock: UdpSocket, packet: IPv4Packet) -> None:
        sim.env.process(_relay_udp(sim, sock, packet, binding))

    sim.transport.bind_udp(host, binding.host_ip, binding.host_port, PROXY, datagram)


def _relay_tcp(
    sim: Simulation, client: TcpConnection, binding: ProxyBinding
) -> Generator[simpy.Event, Any, None]:
    transport = sim.transport
    backend = transport.connect(sim.host, binding.container_ip, binding.container_port, PROXY)
    if isinstance(backend, str):
        transport.close(client)
        return
    backend.on_data = lambda _conn, data: transport.send(client, data)
    outcome = yield backend.outcome
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


def start_embedded_dns(sim: Simulation, node: Node, container: Container) -> None:
    """Run Docker's embedded DNS server at 127.0.0.11:53 in a container's namespace."""

    def query(sock: UdpSocket, packet: IPv4Packet) -> None:
        datagram = packet.payload
        assert isinstance(datagram, UdpDatagram)
        message = datagram.data
        if not isinstance(message, DnsMessage) or message.response:
            return
        address = embedded_lookup(sim.world, container, message.question.name)
        if address is None:
            sim.transport.note(
                node,
                "dockerd",
                "DNS forward",
                f"{message.question.name}: forwarded upstream, no answer",
            )
            return
        sim.transport.note(node, "dockerd", "DNS answer", f"{message.question.name} A {address}")
        answer = DnsMessage(
            message.ident,
            True,
            message.question,
            (DnsAnswer(message.question.name, address),),
            recursion_available=True,
        )
        sim.transport.sendto(sock, answer, (packet.src, datagram.sport), source=packet.dst)

    # dockerd listens on a random port; the sandbox's nat rules send 127.0.0.11:53 there.
    port = container.dns_ports[1] if container.dns_ports is not None else 53
    sim.transport.bind_udp(node, EMBEDDED_DNS, port, "dockerd", query)


def install(sim: Simulation) -> None:
    """Start every program the world runs: listeners, docker-proxies, embedded DNS."""
    world = sim.world
    host_ports = tuple((p.port, p.proto) for p in world.scenario.host.listen)
    listen_ports(sim, sim.host, "host", host_ports)
    for machine in world.scenario.machines:
        node = sim.machines.get(machine.name)
        if node is not None:
            listen_ports(sim, node, machine.name, tuple((p.port, p.proto) for p in machine.listen))
    dns_started: set[int] = set()
    for container in world.daemon.containers:
        if not container.running:
            continue
        namespace = world.container_namespaces.get(container.id)
        if namespace is None:
            continue
        node = sim.node_of(namespace)
        if container.listens:
            listen_ports(sim, node, container.name, container.listens)
        if (
            id(namespace) not in dns_started
            and container.network_mode != "host"
            and not container.network_mode.startswith("container:")
            and uses_embedded_dns(world.daemon, container)
        ):
            dns_started.add(id(namespace))
            start_embedded_dns(sim, node, container)
    for binding in proxy_bindings(sim):
        start_proxy(sim, binding)


def dns_query(name: str, ident: int) -> DnsMessage:
    """Return an A query for ``name``."""
    return DnsMessage(ident, False, DnsQuestion(name))
