"""The header view and scapy's wire rendering agree: fields, lengths, checksums, round trips."""

from __future__ import annotations

import subprocess
import sys
from ipaddress import IPv4Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.dns import DNS
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.l2 import ARP, Ether

from netsim.dataplane.frames import (
    ARP_REQUEST,
    SYN,
    ArpPacket,
    DnsAnswer,
    DnsMessage,
    DnsQuestion,
    Frame,
    IcmpMessage,
    IPv4Packet,
    TcpSegment,
    UdpDatagram,
)
from netsim.dataplane.wire import parse, render

macs = st.binary(min_size=6, max_size=6).map(
    lambda b: ":".join(f"{x:02x}" for x in bytes([b[0] & 0xFE]) + b[1:])
)
addresses = st.integers(min_value=1, max_value=0xDFFFFFFF).map(IPv4Address)
ports = st.integers(min_value=1, max_value=65535)
names = st.from_regex(r"[a-z][a-z0-9-]{0,14}(\.[a-z][a-z0-9]{0,8})?", fullmatch=True)

tcp = st.builds(
    TcpSegment,
    ports,
    ports,
    st.integers(0, 2**32 - 1),
    st.integers(0, 2**32 - 1),
    st.integers(0, 0x3F),
    st.integers(0, 65535),
    st.binary(max_size=40),
)
dns = st.builds(
    DnsMessage,
    st.integers(0, 65535),
    st.booleans(),
    st.builds(DnsQuestion, names),
    st.lists(st.builds(DnsAnswer, names, addresses, st.integers(0, 2**31 - 1)), max_size=2).map(
        tuple
    ),
)
udp = st.one_of(
    st.builds(UdpDatagram, ports, ports, st.binary(max_size=40)),
    st.builds(UdpDatagram, ports, st.just(53), dns),
)
echo = st.builds(
    IcmpMessage,
    st.sampled_from([0, 8]),
    st.just(0),
    st.integers(0, 65535),
    st.integers(0, 65535),
    st.binary(max_size=24),
)


def _ip(payload: st.SearchStrategy) -> st.SearchStrategy[IPv4Packet]:
    return st.builds(
        IPv4Packet,
        addresses,
        addresses,
        payload,
        st.integers(1, 255),
        st.integers(0, 65535),
        st.booleans(),
        st.integers(0, 255),
    )


inner = _ip(st.one_of(tcp, udp, echo))
errors = st.builds(IcmpMessage, st.sampled_from([3, 11]), st.integers(0, 15), quoted=inner)
packets = _ip(st.one_of(tcp, udp, echo, errors))
arp = st.builds(ArpPacket, st.sampled_from([1, 2]), macs, addresses, macs, addresses)
frames = st.builds(Frame, macs, macs, st.one_of(packets, arp))


@settings(max_examples=300, deadline=None)
@given(frames)
def test_rendering_then_parsing_gives_the_same_header_view(frame: Frame):
    assert parse(render(frame)) == frame


def _checksums_hold(layer: object) -> None:
    for kind in (IP, TCP, UDP, ICMP):
        if kind in layer:  # type: ignore[operator]
            wire = layer[kind].chksum  # type: ignore[index]
            fresh = layer.__class__(bytes(layer))  # type: ignore[attr-defined]
            del fresh[kind].chksum
            assert kind(bytes(fresh[kind]))  # parsable
            rebuilt = fresh.__class__(bytes(fresh))
            assert rebuilt[kind].chksum == wire


@settings(max_examples=150, deadline=None)
@given(packets, macs, macs)
def test_scapy_fields_are_the_header_view_and_checksums_are_correct(
    packet: IPv4Packet, src: str, dst: str
):
    data = render(Frame(src, dst, packet))
    ether = Ether(data)
    ip = ether[IP]
    assert (ether.src, ether.dst) == (src, dst)
    assert (IPv4Address(ip.src), IPv4Address(ip.dst)) == (packet.src, packet.dst)
    assert (ip.ttl, ip.id, ip.proto) == (packet.ttl, packet.ident, packet.protocol)
    assert ip.len == len(data) - 14
    payload = packet.payload
    if isinstance(payload, TcpSegment):
        assert (ip[TCP].sport, ip[TCP].dport, ip[TCP].seq, int(ip[TCP].flags)) == (
            payload.sport,
            payload.dport,
            payload.seq,
            payload.flags,
        )
    elif isinstance(payload, UdpDatagram):
        assert (ip[UDP].sport, ip[UDP].dport) == (payload.sport, payload.dport)
        assert ip[UDP].len == ip.len - 20
    else:
        assert (ip[ICMP].type, ip[ICMP].code) == (payload.type, payload.code)
    _checksums_hold(ether)


def test_known_frames_have_the_sizes_and_checksums_linux_puts_on_the_wire():
    arp = Frame(
        "02:00:c0:a8:01:14",
        "ff:ff:ff:ff:ff:ff",
        ArpPacket(
            ARP_REQUEST,
            "02:00:c0:a8:01:14",
            IPv4Address("192.168.1.20"),
            "00:00:00:00:00:00",
            IPv4Address("192.168.1.10"),
        ),
    )
    data = render(arp)
    assert len(data) == 42 and Ether(data)[ARP].pdst == "192.168.1.10"
    syn = IPv4Packet(
        IPv4Address("192.168.1.20"),
        IPv4Address("192.168.1.10"),
        TcpSegment(40412, 12345, 1000, 0, SYN, 64240),
        ident=1,
    )
    data = render(Frame("02:00:c0:a8:01:14", "02:00:c0:a8:01:0a", syn))
    assert len(data) == 14 + 20 + 20
    assert Ether(data)[IP].chksum == 0xB760  # by hand: ~fold(0x2489D)
    # IPv4 header checksum: the one's-complement sum over the header is 0xffff.
    header = data[14:34]
    total = sum(int.from_bytes(header[i : i + 2], "big") for i in range(0, 20, 2))
    assert (total & 0xFFFF) + (total >> 16) == 0xFFFF


def test_dns_answer_renders_as_a_real_dns_response():
    answer = DnsMessage(
        7,
        True,
        DnsQuestion("db"),
        (DnsAnswer("db", IPv4Address("172.18.0.2")),),
        recursion_available=True,
    )
    packet = IPv4Packet(
        IPv4Address("127.0.0.11"), IPv4Address("127.0.0.1"), UdpDatagram(53, 40000, answer)
    )
    dns = Ether(render(Frame("00:00:00:00:00:00", "00:00:00:00:00:00", packet)))[DNS]
    assert dns.id == 7 and dns.qr == 1 and dns.an[0].rdata == "172.18.0.2"
    assert dns.an[0].ttl == 600


def test_icmp_error_quotes_the_offending_packet():
    syn = IPv4Packet(
        IPv4Address("192.168.1.20"), IPv4Address("192.168.1.99"), TcpSegment(40000, 22, 5, 0, SYN)
    )
    error = IPv4Packet(
        IPv4Address("192.168.1.20"), IPv4Address("192.168.1.20"), IcmpMessage(3, 1, quoted=syn)
    )
    frame = parse(render(Frame("00:00:00:00:00:00", "00:00:00:00:00:00", error)))
    assert isinstance(frame.payload, IPv4Packet)
    message = frame.payload.payload
    assert isinstance(message, IcmpMessage) and message.quoted == syn


def test_parse_refuses_what_is_not_arp_or_ipv4():
    data = bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02", type=0x86DD)) + b"x" * 40
    with pytest.raises(ValueError, match="not an ARP or IPv4 frame"):
        parse(data)


def test_the_probe_module_does_not_import_scapy():
    code = (
        "import sys, netsim.dataplane.probe, netsim.dataplane.engine; "
        "print(any(m == 'scapy' or m.startswith('scapy.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
