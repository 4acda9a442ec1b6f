"""Hand-crafted packets: parse scapy's notation without eval and send them from a node.

``IP(dst="192.168.1.10")/TCP(dport=12345, flags="S")`` is read with ``ast``:
only the known layers, keyword arguments whose values are literals, and
``/`` between layers. Anything else (names, calls of other things,
attributes, expressions) is refused with a ``PacketSyntaxError`` that says
what was found and what is allowed. Fields left out take scapy's defaults
(TCP sport 20, dport 80, flags S; UDP ports 53; ttl 64), the source address
the node's route (as the kernel fills it for a raw socket with IP_HDRINCL off).

An ``Ether()`` layer puts the frame on the node's interface as is (default
``eth0``, MACs from the interface and broadcast); without it the packet
goes through the node's output path (routing, OUTPUT, POSTROUTING, ARP).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

from netsim.dataplane.frames import (
    BROADCAST_MAC,
    SYN,
    ArpPacket,
    DnsMessage,
    DnsQuestion,
    Frame,
    IcmpMessage,
    IPv4Packet,
    TcpSegment,
    UdpDatagram,
)
from netsim.errors import NetsimError, PacketSyntaxError

if TYPE_CHECKING:
    from netsim.dataplane.trace import TraceEvent
    from netsim.world import World

LAYERS: dict[str, frozenset[str]] = {
    "Ether": frozenset({"src", "dst"}),
    "ARP": frozenset({"op", "hwsrc", "psrc", "hwdst", "pdst"}),
    "IP": frozenset({"src", "dst", "ttl", "id", "tos", "flags"}),
    "TCP": frozenset({"sport", "dport", "seq", "ack", "flags", "window"}),
    "UDP": frozenset({"sport", "dport"}),
    "ICMP": frozenset({"type", "code", "id", "seq"}),
    "DNS": frozenset({"id", "qd", "rd"}),
    "DNSQR": frozenset({"qname"}),
    "Raw": frozenset({"load"}),
}
TCP_FLAG_LETTERS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10, "U": 0x20}
MAX_TEXT = 2000

# What each field holds on the wire: ("int", bits) for a number of that many
# bits, or one of the text kinds below. Checked when the text is parsed, so a
# scenario with a wrong type or an out-of-range value is refused at load.
FIELD_KINDS: dict[str, dict[str, tuple[str, int]]] = {
    "Ether": {"src": ("mac", 0), "dst": ("mac", 0)},
    "ARP": {
        "op": ("int", 16),
        "hwsrc": ("mac", 0),
        "psrc": ("ipv4", 0),
        "hwdst": ("mac", 0),
        "pdst": ("ipv4", 0),
    },
    "IP": {
        "src": ("ipv4", 0),
        "dst": ("ipv4", 0),
        "ttl": ("int", 8),
        "id": ("int", 16),
        "tos": ("int", 8),
        "flags": ("ip-flags", 3),
    },
    "TCP": {
        "sport": ("int", 16),
        "dport": ("int", 16),
        "seq": ("int", 32),
        "ack": ("int", 32),
        "flags": ("tcp-flags", 9),
        "window": ("int", 16),
    },
    "UDP": {"sport": ("int", 16), "dport": ("int", 16)},
    "ICMP": {"type": ("int", 8), "code": ("int", 8), "id": ("int", 16), "seq": ("int", 16)},
    "DNS": {"id": ("int", 16), "rd": ("int", 1), "qd": ("layer", 0)},
    "DNSQR": {"qname": ("text", 0)},
    "Raw": {"load": ("data", 0)},
}
_MAC = re.compile(r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}")
_IP_FLAGS = re.compile(r"((DF|MF|evil)([+|](DF|MF|evil))*)?")


def shorten(value: object, limit: int = 40) -> str:
    """Return ``repr(value)`` cut to about ``limit`` characters, saying how long it was."""
    text = repr(value)
    if len(text) <= limit:
        return text
    unit = "digits" if isinstance(value, int) else "characters"
    size = len(str(abs(value))) if isinstance(value, int) else len(text)
    return f"{text[:limit]}... ({size} {unit})"


def _show_node(node: ast.expr) -> str:
    """Return the source of an expression for a message, short, whatever its depth."""
    try:
        return shorten(ast.unparse(node))
    except RecursionError:
        return "an expression nested too deeply"


def _check_field(layer: str, field: str, value: Any) -> None:
    """Refuse a field value of the wrong type or outside what its header field holds."""
    kind, bits = FIELD_KINDS[layer][field]
    where = f"{layer}({field}=...)"
    if kind in ("int", "ip-flags", "tcp-flags") and isinstance(value, int):
        if not 0 <= value < 1 << bits:
            raise PacketSyntaxError(
                f"{where} must be from 0 to {(1 << bits) - 1}, found {shorten(value)}"
            )
        return
    if kind == "int":
        raise PacketSyntaxError(f"{where} must be a number, found {shorten(value)}")
    if kind == "ip-flags":
        if not isinstance(value, str) or not _IP_FLAGS.fullmatch(value):
            raise PacketSyntaxError(
                f"{where} must be a number from 0 to 7 or flags such as 'DF' or 'MF+DF', "
                f"found {shorten(value)}"
            )
        return
    if kind == "tcp-flags":
        if not isinstance(value, str):
            raise PacketSyntaxError(
                f"{where} must be a number from 0 to 511 or letters of FSRPAU, "
                f"found {shorten(value)}"
            )
        _tcp_flags(value)
        return
    if kind == "data":
        if not isinstance(value, str | bytes):
            raise PacketSyntaxError(f"{where} must be a string or bytes, found {shorten(value)}")
        return
    if not isinstance(value, str):
        raise PacketSyntaxError(f"{where} must be a string, found {shorten(value)}")
    if kind == "mac" and not _MAC.fullmatch(value):
        raise PacketSyntaxError(
            f"{where} must be a MAC address such as '02:42:ac:11:00:02', found {shorten(value)}"
        )
    if kind == "ipv4":
        _address(value, where)


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer as written: its name and keyword fields."""

    name: str
    fields: tuple[tuple[str, Any], ...]

    def get(self, key: str, default: Any = None) -> Any:
        """Return a field's value or ``default``."""
        for name, value in self.fields:
            if name == key:
                return value
        return default


def parse_layers(text: str) -> tuple[Layer, ...]:
    """Return the layers of a packet written in scapy's notation.

    Raises:
        PacketSyntaxError: anything but known layers, literal keywords and ``/``.
    """
    if len(text) > MAX_TEXT:
        raise PacketSyntaxError(f"packet is {len(text)} characters long; at most {MAX_TEXT}")
    bad = next((i for i, c in enumerate(text) if "\ud800" <= c <= "\udfff"), None)
    if bad is not None:
        raise PacketSyntaxError(
            f"packet has a lone surrogate {text[bad]!r} at character {bad + 1}; "
            "write text as valid Unicode"
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as error:
        message = error.msg if isinstance(error, SyntaxError) else "nested too deeply"
        raise PacketSyntaxError(
            f"packet {shorten(text)} is not valid notation: {message}"
        ) from None
    layers: list[Layer] = []
    _collect(tree.body, layers)
    return tuple(layers)


def _collect(node: ast.expr, out: list[Layer]) -> None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        _collect(node.left, out)
        _collect(node.right, out)
        return
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise PacketSyntaxError(
            f"expected a layer such as IP(...) or TCP(...) joined with '/', found "
            f"{_show_node(node)}"
        )
    name = node.func.id
    if name not in LAYERS:
        raise PacketSyntaxError(
            f"unknown layer {shorten(name)}; known layers: {', '.join(sorted(LAYERS))}"
        )
    if node.args:
        raise PacketSyntaxError(f"{name}(): give fields as keywords (for example dport=80)")
    fields: list[tuple[str, Any]] = []
    for keyword in node.keywords:
        if keyword.arg is None or keyword.arg not in LAYERS[name]:
            allowed = ", ".join(sorted(LAYERS[name]))
            raise PacketSyntaxError(f"{name}() has no field {keyword.arg!r}; fields: {allowed}")
        if any(field == keyword.arg for field, _ in fields):
            raise PacketSyntaxError(f"{name}() gives {keyword.arg}= twice")
        value = _literal(name, keyword.arg, keyword.value, out)
        if not isinstance(value, Layer):
            _check_field(name, keyword.arg, value)
        fields.append((keyword.arg, value))
    out.append(Layer(name, tuple(fields)))


def _literal(layer: str, field: str, node: ast.expr, out: list[Layer]) -> Any:
    if layer == "DNS" and field == "qd":
        inner: list[Layer] = []
        _collect(node, inner)
        if len(inner) != 1 or inner[0].name != "DNSQR":
            raise PacketSyntaxError("DNS(qd=...) takes one DNSQR(qname=...)")
        return inner[0]
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        raise PacketSyntaxError(
            f"{layer}({field}=...) must be a literal (a number, a string or bytes), found "
            f"{_show_node(node)}"
        ) from None
    if not isinstance(value, int | str | bytes) or isinstance(value, bool):
        raise PacketSyntaxError(f"{layer}({field}=...) must be a number, a string or bytes")
    return value


def _tcp_flags(value: Any) -> int:
    if isinstance(value, int):
        return value
    flags = 0
    for letter in str(value).upper():
        if letter not in TCP_FLAG_LETTERS:
            raise PacketSyntaxError(f"TCP flags {value!r}: unknown flag {letter!r} (FSRPAU)")
        flags |= TCP_FLAG_LETTERS[letter]
    return flags


def _address(value: Any, what: str) -> IPv4Address:
    try:
        return IPv4Address(str(value))
    except ValueError:
        raise PacketSyntaxError(f"{what} {value!r} is not an IPv4 address") from None


def build(
    layers: tuple[Layer, ...], *, source: IPv4Address | None, src_mac: str
) -> Frame | IPv4Packet:
    """Turn parsed layers into a frame (with Ether) or an IPv4 packet.

    Raises:
        PacketSyntaxError: layers in an order or combination that is not a packet.
    """
    names = [layer.name for layer in layers]
    ether = layers[0] if names and names[0] == "Ether" else None
    rest = list(layers[1:] if ether else layers)
    if not rest:
        raise PacketSyntaxError("a packet needs an ARP or IP layer")
    head = rest[0]
    if head.name == "ARP":
        if len(rest) > 1:
            raise PacketSyntaxError("nothing can follow ARP")
        arp = ArpPacket(
            int(head.get("op", 1)),
            str(head.get("hwsrc", src_mac)),
            _address(head.get("psrc", source or "0.0.0.0"), "ARP psrc"),
            str(head.get("hwdst", "00:00:00:00:00:00")),
            _address(head.get("pdst", "0.0.0.0"), "ARP pdst"),
        )
        if ether is None:
            ether = Layer("Ether", ())
        return Frame(str(ether.get("src", src_mac)), str(ether.get("dst", BROADCAST_MAC)), arp)
    if head.name != "IP":
        raise PacketSyntaxError(f"expected IP or ARP after Ether, found {head.name}")
    if "dst" not in dict(head.fields):
        raise PacketSyntaxError("IP() needs dst=")
    packet = _ip(head, rest[1:], source)
    if ether is None:
        return packet
    return Frame(str(ether.get("src", src_mac)), str(ether.get("dst", BROADCAST_MAC)), packet)


def _ip(head: Layer, rest: list[Layer], source: IPv4Address | None) -> IPv4Packet:
    src = _address(head.get("src"), "IP src") if head.get("src") is not None else source
    if src is None:
        raise PacketSyntaxError("IP() needs src= here: the node has no route to the destination")
    dst = _address(head.get("dst"), "IP dst")
    top = rest[0] if rest else Layer("Raw", ())
    data = rest[1].get("load", b"") if len(rest) > 1 and rest[1].name == "Raw" else b""
    if isinstance(data, str):
        data = data.encode()
    payload: TcpSegment | UdpDatagram | IcmpMessage
    if top.name == "TCP":
        payload = TcpSegment(
            int(top.get("sport", 20)),
            int(top.get("dport", 80)),
            int(top.get("seq", 0)),
            int(top.get("ack", 0)),
            _tcp_flags(top.get("flags", SYN)),
            int(top.get("window", 8192)),
            data,
        )
    elif top.name == "UDP":
        body: bytes | DnsMessage = data
        if len(rest) > 1 and rest[1].name == "DNS":
            dns = rest[1]
            question = dns.get("qd")
            name = str(question.get("qname", "")) if isinstance(question, Layer) else ""
            body = DnsMessage(
                int(dns.get("id", 0)),
                False,
                DnsQuestion(name.rstrip(".")),
                recursion_desired=bool(dns.get("rd", 1)),
            )
        payload = UdpDatagram(int(top.get("sport", 53)), int(top.get("dport", 53)), body)
    elif top.name == "ICMP":
        payload = IcmpMessage(
            int(top.get("type", 8)),
            int(top.get("code", 0)),
            int(top.get("id", 0)),
            int(top.get("seq", 0)),
            data,
        )
    else:
        raise PacketSyntaxError(f"expected TCP, UDP or ICMP after IP, found {top.name}")
    flags = head.get("flags", "DF")
    df = (flags & 0x2) != 0 if isinstance(flags, int) else "DF" in str(flags).upper()
    return IPv4Packet(
        src,
        dst,
        payload,
        int(head.get("ttl", 64)),
        int(head.get("id", 1)),
        df,
        int(head.get("tos", 0)),
    )


@dataclass(frozen=True, slots=True)
class PacketOutcome:
    """What happened to a hand-crafted packet: the trace, and frames when captured."""

    sent: Frame | IPv4Packet
    events: tuple[TraceEvent, ...]
    error: str | None = None


def send_packet(
    world: World,
    node: str,
    text: str,
    *,
    interface: str = "eth0",
    seconds: float = 5.0,
    capture: bool = False,
    index: int = 0,
) -> PacketOutcome:
    """Send a packet written in scapy's notation from ``node``; return what happened.

    ``index`` is the step's position; the packet's random choices come from
    the world's per-step generator for it.

    Raises:
        PacketSyntaxError: the text is not a supported packet.
        NetsimError: ``node`` is not a running node of the world.
    """
    from netsim.dataplane.apps import install
    from netsim.dataplane.engine import EngineConfig, Simulation

    layers = parse_layers(text)
    namespace = world.namespace_of(node)
    if namespace is None:
        raise NetsimError(f"cannot send a packet from {node!r}: no such running node")
    sim = Simulation(
        world,
        rng=world.step_rng(index, "packet"),
        config=EngineConfig(time_limit=seconds),
        capture=capture,
    )
    install(sim)
    origin = sim.node_of(namespace)
    link = origin.interface(interface)
    mac = link.mac if link is not None else "00:00:00:00:00:00"
    destination = next((layer.get("dst") for layer in layers if layer.name == "IP"), None)
    source = None
    if destination is not None:
        route = origin.route(_address(destination, "IP dst"))
        source = route.source if route is not None else None
    made = build(layers, source=source, src_mac=mac)
    error = None
    if isinstance(made, Frame):
        if link is None:
            raise NetsimError(f"{node} has no interface {interface!r}")
        sim.transmit(link, made)
    else:
        error = sim.ip_output(origin, made)
    sim.run()
    return PacketOutcome(made, tuple(sim.events), error)
