"""Hand-crafted packets in scapy's notation: parsed without eval, refused clearly otherwise."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from netsim.dataplane.frames import ACK, SYN, Frame, IPv4Packet, TcpSegment
from netsim.dataplane.packets import PacketSyntaxError, build, parse_layers, send_packet
from netsim.dataplane.trace import SocketEvent
from netsim.session import load_scenario_text, open_world, replay_world

SRC = IPv4Address("192.168.1.20")


def test_a_tcp_syn_in_scapy_notation_becomes_the_header_view():
    layers = parse_layers('IP(dst="192.168.1.10")/TCP(dport=12345, flags="S")')
    packet = build(layers, source=SRC, src_mac="02:00:c0:a8:01:14")
    assert isinstance(packet, IPv4Packet)
    assert (packet.src, packet.dst) == (SRC, IPv4Address("192.168.1.10"))
    assert packet.payload == TcpSegment(20, 12345, 0, 0, SYN, 8192)


def test_ether_makes_a_frame_and_flags_can_be_letters_or_numbers():
    layers = parse_layers(
        'Ether(dst="02:00:c0:a8:01:0a")/IP(dst="127.0.0.1", ttl=3)/TCP(dport=80, flags="SA")'
    )
    frame = build(layers, source=SRC, src_mac="02:00:c0:a8:01:14")
    assert isinstance(frame, Frame) and frame.dst_mac == "02:00:c0:a8:01:0a"
    assert isinstance(frame.payload, IPv4Packet) and frame.payload.ttl == 3
    assert frame.payload.payload.flags == SYN | ACK  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('__import__("os").system("true")', "expected a layer"),
        ('IP(dst="1.2.3.4")/Bogus()', "unknown layer 'Bogus'"),
        ('IP(dst=open("/etc/passwd").read())', "must be a literal"),
        ('IP(dst="1.2.3.4", evil=1)', "has no field 'evil'"),
        ('IP("1.2.3.4")', "give fields as keywords"),
        ('IP(dst="1.2.3.4") + TCP()', "expected a layer"),
        ("IP(dst=", "is not valid notation"),
        ('IP(dst="1.2.3.4")/TCP(flags="SX")', "unknown flag 'X'"),
        ('IP(dst="not-an-ip")/TCP()', "is not an IPv4 address"),
        ("TCP(dport=80)", "expected IP or ARP"),
    ],
)
def test_anything_else_is_refused_with_a_clear_error(text: str, message: str):
    with pytest.raises(PacketSyntaxError, match=message):
        build(parse_layers(text), source=SRC, src_mac="02:00:00:00:00:01")


def test_a_sent_syn_reaches_the_published_container():
    text = (
        "name: t\nmachines:\n  laptop: {address: 192.168.1.20/24}\n"
        "steps:\n  - docker run -d --name db -p 12345:3306 mysql\n"
    )
    world = open_world(load_scenario_text(text))
    replay_world(world)
    outcome = send_packet(world, "laptop", 'IP(dst="192.168.1.10")/TCP(dport=12345, sport=4444)')
    assert any(
        isinstance(e, SocketEvent) and e.owner == "db" and e.action == "SYN-ACK"
        for e in outcome.events
    )
