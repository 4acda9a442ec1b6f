"""Listen and probe inside one network namespace of a replay (stdlib only).

This file runs as a plain script under ``nsenter --net=...`` with the
harness's Python, so it imports nothing from netsim:

    python agent.py listen NAME [--tcp P ...] [--udp P ...] [--ipv6]
    python agent.py probe --dst NAME [--port P] [--proto tcp|udp|icmp]
                          [--hosts FILE] [--dns ADDRESS] [--timeout S]

A listener answers each TCP connection and each UDP datagram with one line,
``NAME LOCAL PEER``: who it is, the address:port it saw as its own and the one
it saw as the client's. That line is how a probe learns where DNAT,
MASQUERADE or docker-proxy took it. A TCP client that sends an HTTP request
(``GET /path HTTP/1.1``) at once gets an HTTP/1.1 response whose body is
that line instead (``http_response``; netsim's listeners answer the same), so
``wget -O- http://web/`` in a container shows it too. A probe prints one JSON
object with the contract's result (scenario-format.md, "Probe results"); its
TCP probe shuts its sending side at once, so the listener need not wait to
learn that no request is coming.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import json
import os
import random
import selectors
import socket
import struct
import sys
import threading
import time

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
UNREACHABLE_ERRNOS = (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EADDRNOTAVAIL)
ANSWER_WAIT = 3.0
# How long a listener waits for a client's first bytes before answering with
# its line: a client that sends nothing and keeps its side open (busybox nc
# with no input) still gets the line, well before a probe's ANSWER_WAIT.
REQUEST_WAIT = 1.0
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")
SERVED_PATHS = ("/", "/index.html")


def _hostport(address: tuple[str, int] | tuple[str, int, int, int]) -> str:
    """Return ``ADDRESS:PORT`` (``[V6]:PORT`` for IPv6) of a socket address."""
    host, port = address[0], address[1]
    if ":" in host:
        mapped = ipaddress.IPv6Address(host).ipv4_mapped
        if mapped is None:
            return f"[{host}]:{port}"
        host = str(mapped)
    return f"{host}:{port}"


def _bind(family: int, kind: int, port: int) -> socket.socket:
    """Return a socket bound to the wildcard address of ``family`` on ``port``."""
    sock = socket.socket(family, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(("::", port))
    else:
        sock.bind(("0.0.0.0", port))
        if kind == socket.SOCK_DGRAM:
            sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    if kind == socket.SOCK_STREAM:
        sock.listen(64)
    sock.setblocking(False)
    return sock


def listen(name: str, tcp: list[int], udp: list[int], ipv6: bool) -> int:
    """Serve every given port until killed, answering with what each connection saw."""
    families = [socket.AF_INET] + ([socket.AF_INET6] if ipv6 else [])
    selector = selectors.DefaultSelector()
    for family in families:
        for kind, ports in ((socket.SOCK_STREAM, tcp), (socket.SOCK_DGRAM, udp)):
            for port in ports:
                try:
                    sock = _bind(family, kind, port)
                except OSError as error:
                    proto = "tcp" if kind == socket.SOCK_STREAM else "udp"
                    print(f"cannot listen on {port}/{proto}: {error}", file=sys.stderr, flush=True)
                    continue
                selector.register(sock, selectors.EVENT_READ, kind)
    print("ready", flush=True)
    while True:
        for key, _ in selector.select():
            ready = key.fileobj
            assert isinstance(ready, socket.socket)
            try:
                if key.data == socket.SOCK_STREAM:
                    conn, peer = ready.accept()
                    threading.Thread(
                        target=_answer_connection, args=(conn, peer, name), daemon=True
                    ).start()
                else:
                    _answer_datagram(ready, name)
            except Exception as error:  # noqa: BLE001 - one bad exchange must not stop the listener
                print(f"{name}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)


def http_response(request: bytes, line: bytes) -> bytes | None:
    """Return the HTTP answer to ``request`` carrying ``line``, or None if it is not HTTP.

    ``/`` and ``/index.html`` are served (200), any other path is 404 Not
    Found; both carry the line as a text/plain body. HEAD gets the headers
    alone. No Date or Server header: nothing that differs run to run.
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


def _answer_connection(conn: socket.socket, peer: tuple[str, int], name: str) -> None:
    """Answer one TCP connection: HTTP to an HTTP request, else the line."""
    with conn:
        try:
            line = f"{name} {_hostport(conn.getsockname())} {_hostport(peer)}\n".encode()
            conn.setblocking(True)
            conn.settimeout(REQUEST_WAIT)
            request = b""
            try:
                while b"\r\n\r\n" not in request and b"\n\n" not in request:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    request += chunk
            except TimeoutError:
                pass
            conn.settimeout(2)
            answer = http_response(request, line) if request else None
            conn.sendall(line if answer is None else answer)
        except Exception as error:  # noqa: BLE001 - one bad exchange must not stop the listener
            print(f"{name}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)


def _answer_datagram(sock: socket.socket, name: str) -> None:
    """Answer one UDP datagram from the address it was sent to."""
    if sock.family == socket.AF_INET6:
        _, peer = sock.recvfrom(2048)
        local = _hostport(sock.getsockname())
        sock.sendto(f"{name} {local} {_hostport(peer)}\n".encode(), peer)
        return
    _, ancillary, _, peer = sock.recvmsg(2048, socket.CMSG_SPACE(12))
    destination = b"\0\0\0\0"
    for level, kind, data in ancillary:
        if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
            destination = data[8:12]
    local = f"{socket.inet_ntoa(destination)}:{sock.getsockname()[1]}"
    reply = f"{name} {local} {_hostport(peer)}\n".encode()
    pktinfo = struct.pack("I4s4s", 0, destination, b"\0\0\0\0")
    sock.sendmsg([reply], [(socket.IPPROTO_IP, IP_PKTINFO, pktinfo)], 0, peer)


# ---------------------------------------------------------------- resolving


def _hosts_lookup(path: str, name: str) -> str | None:
    """Return the first IPv4 address a hosts file gives ``name`` (case-insensitive)."""
    try:
        with open(path) as hosts:
            lines = hosts.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2:
            continue
        if any(alias.lower() == name.lower() for alias in fields[1:]):
            try:
                return str(ipaddress.IPv4Address(fields[0]))
            except ValueError:
                continue
    return None


def _skip_name(message: bytes, offset: int) -> int:
    """Return the offset just past a (possibly compressed) DNS name."""
    while True:
        length = message[offset]
        if length & 0xC0 == 0xC0:
            return offset + 2
        if length == 0:
            return offset + 1
        offset += 1 + length


def dns_lookup(server: str, name: str, timeout: float) -> str | None:
    """Ask ``server`` (UDP 53) for an A record of ``name``; return the first address."""
    query_id = random.randrange(65536)
    question = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"
    query = (
        struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + question + struct.pack("!HH", 1, 1)
    )
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.sendto(query, (server, 53))
            deadline = time.monotonic() + timeout
            while True:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                answer, _ = sock.recvfrom(4096)
                if len(answer) >= 12 and struct.unpack("!H", answer[:2])[0] == query_id:
                    break
        except OSError:
            return None
    _, flags, qdcount, ancount, _, _ = struct.unpack("!HHHHHH", answer[:12])
    if flags & 0x000F:
        return None
    offset = 12
    for _ in range(qdcount):
        offset = _skip_name(answer, offset) + 4
    for _ in range(ancount):
        offset = _skip_name(answer, offset)
        rtype, _, _, length = struct.unpack("!HHIH", answer[offset : offset + 10])
        offset += 10
        if rtype == 1 and length == 4:
            return socket.inet_ntoa(answer[offset : offset + 4])
        offset += length
    return None


def resolve(name: str, hosts: str | None, dns: str | None, timeout: float) -> str | None:
    """Resolve ``name`` as a resolver would: an IPv4 literal, the hosts file, then DNS."""
    try:
        return str(ipaddress.IPv4Address(name))
    except ValueError:
        pass
    if hosts:
        found = _hosts_lookup(hosts, name)
        if found:
            return found
    if dns:
        return dns_lookup(dns, name, timeout)
    return None


# ------------------------------------------------------------------ probing


def _parse_answer(line: bytes) -> dict[str, str | None]:
    """Return served_by/local/peer from a listener's answer line (all None if none)."""
    fields = line.decode(errors="replace").split()
    if len(fields) != 3:
        return {"served_by": None, "local": None, "peer": None}
    return {"served_by": fields[0], "local": fields[1], "peer": fields[2]}


def probe_tcp(address: str, port: int, timeout: float) -> dict[str, str | None]:
    """Connect over TCP and report open/refused/unreachable/timeout."""
    result: dict[str, str | None] = {"served_by": None, "local": None, "peer": None}
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
        except ConnectionRefusedError:
            return {"result": "refused", **result}
        except TimeoutError:
            return {"result": "timeout", **result}
        except OSError as error:
            if error.errno in UNREACHABLE_ERRNOS:
                return {"result": "unreachable", **result}
            raise
        # Nothing will be sent: say so, so the listener answers at once.
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        sock.settimeout(ANSWER_WAIT)
        data = b""
        try:
            while not data.endswith(b"\n"):
                chunk = sock.recv(512)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        return {"result": "open", **_parse_answer(data)}


def probe_udp(address: str, port: int, timeout: float) -> dict[str, str | None]:
    """Send one UDP datagram and report open/closed/unreachable/timeout."""
    result: dict[str, str | None] = {"served_by": None, "local": None, "peer": None}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
            sock.send(b"netsim probe\n")
            data = sock.recv(512)
        except ConnectionRefusedError:
            return {"result": "closed", **result}
        except TimeoutError:
            return {"result": "timeout", **result}
        except OSError as error:
            if error.errno in UNREACHABLE_ERRNOS:
                return {"result": "unreachable", **result}
            raise
        return {"result": "open", **_parse_answer(data)}


def _checksum(data: bytes) -> int:
    """Return the Internet checksum of ``data``."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return int(~total & 0xFFFF)


def probe_icmp(address: str, timeout: float) -> dict[str, str | None]:
    """Send one ICMP echo request and report reply/unreachable/timeout."""
    result: dict[str, str | None] = {"served_by": None, "local": None, "peer": None}
    ident = os.getpid() & 0xFFFF
    header = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    payload = b"netsim-probe"
    packet = struct.pack("!BBHHH", 8, 0, _checksum(header + payload), ident, 1) + payload
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as sock:
        try:
            sock.sendto(packet, (address, 0))
        except OSError as error:
            if error.errno in UNREACHABLE_ERRNOS:
                return {"result": "unreachable", **result}
            raise
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return {"result": "timeout", **result}
            sock.settimeout(left)
            try:
                data, source = sock.recvfrom(2048)
            except TimeoutError:
                return {"result": "timeout", **result}
            except OSError as error:
                if error.errno in UNREACHABLE_ERRNOS:
                    return {"result": "unreachable", **result}
                raise
            icmp = data[(data[0] & 0x0F) * 4 :]
            kind = icmp[0]
            if kind == 0 and source[0] == address and struct.unpack("!H", icmp[4:6])[0] == ident:
                return {"result": "reply", **result}
            if kind == 3 and len(icmp) >= 36:
                inner = icmp[8:]
                inner_icmp = inner[(inner[0] & 0x0F) * 4 :]
                same_target = socket.inet_ntoa(inner[16:20]) == address
                if same_target and struct.unpack("!H", inner_icmp[4:6])[0] == ident:
                    return {"result": "unreachable", **result}


def probe(args: argparse.Namespace) -> int:
    """Resolve the destination and probe it; print the result as one JSON line."""
    address = resolve(args.dst, args.hosts, args.dns, args.timeout)
    if address is None:
        outcome: dict[str, str | None] = {
            "result": "unresolved",
            "served_by": None,
            "local": None,
            "peer": None,
        }
    elif args.proto == "icmp":
        outcome = probe_icmp(address, args.timeout)
    elif args.proto == "udp":
        outcome = probe_udp(address, args.port, args.timeout)
    else:
        outcome = probe_tcp(address, args.port, args.timeout)
    outcome["address"] = address
    print(json.dumps(outcome), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``listen`` or ``probe`` as the command line says."""
    parser = argparse.ArgumentParser(prog="agent.py")
    commands = parser.add_subparsers(dest="command", required=True)
    listener = commands.add_parser("listen")
    listener.add_argument("name")
    listener.add_argument("--tcp", type=int, action="append", default=[])
    listener.add_argument("--udp", type=int, action="append", default=[])
    listener.add_argument("--ipv6", action="store_true")
    prober = commands.add_parser("probe")
    prober.add_argument("--dst", required=True)
    prober.add_argument("--port", type=int, default=0)
    prober.add_argument("--proto", choices=("tcp", "udp", "icmp"), default="tcp")
    prober.add_argument("--hosts")
    prober.add_argument("--dns")
    prober.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    if args.command == "listen":
        return listen(args.name, args.tcp, args.udp, args.ipv6)
    return probe(args)


if __name__ == "__main__":
    raise SystemExit(main())
