"""Frames on the wire: render header views to real bytes with scapy, parse bytes back.

scapy is imported inside these functions only, never at module import, so
``netsim run`` does not pay for it unless bytes are asked for (pcap files,
``packet:`` steps). Lengths and checksums (IPv4, TCP, UDP, ICMP) are left to
scapy, which computes them when the packet is built.

An ICMP error quotes the whole offending packet (Linux quotes up to 576
bytes; the simulator's packets are smaller).
"""

from __future__ import annotations

import struct
from ipaddress import IPv4Address
from typing import Any

from netsim.dataplane.frames import (
    ETH_P_ARP,
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

DNS_PORT = 53
_DF = 0x2


def to_scapy(frame: Frame) -> Any:
    """Return the scapy packet (Ether/...) of a frame."""
    from scapy.layers.l2 import ARP, Ether

    ether = Ether(src=frame.src_mac, dst=frame.dst_mac)
    payload = frame.payload
    if isinstance(payload, ArpPacket):
        return ether / ARP(
            op=payload.op,
            hwsrc=payload.sender_mac,
            psrc=str(payload.sender_ip),
            hwdst=payload.target_mac,
            pdst=str(payload.target_ip),
        )
    return ether / ip_to_scapy(payload)


def ip_to_scapy(packet: IPv4Packet) -> Any:
    """Return the scapy packet (IP/...) of an IPv4 header view."""
    from scapy.layers.inet import ICMP, IP, TCP, UDP
    from scapy.packet import Raw

    ip = IP(
        src=str(packet.src),
        dst=str(packet.dst),
        ttl=packet.ttl,
        id=packet.ident,
        flags=_DF if packet.dont_fragment else 0,
        tos=packet.tos,
    )
    payload = packet.payload
    if isinstance(payload, TcpSegment):
        layer = TCP(
            sport=payload.sport,
            dport=payload.dport,
            seq=payload.seq,
            ack=payload.ack,
            flags=payload.flags,
            window=payload.window,
        )
        return ip / layer / Raw(payload.data) if payload.data else ip / layer
    if isinstance(payload, UdpDatagram):
        udp = UDP(sport=payload.sport, dport=payload.dport)
        data = payload.data
        if isinstance(data, DnsMessage):
            return ip / udp / dns_to_scapy(data)
        return ip / udp / Raw(data) if data else ip / udp
    icmp = ICMP(type=payload.type, code=payload.code)
    if payload.quoted is not None:
        return ip / icmp / Raw(bytes(ip_to_scapy(payload.quoted)))
    icmp = ICMP(type=payload.type, code=payload.code, id=payload.ident, seq=payload.sequence)
    return ip / icmp / Raw(payload.data) if payload.data else ip / icmp


def dns_to_scapy(message: DnsMessage) -> Any:
    """Return the scapy DNS layer of a DNS message."""
    from scapy.layers.dns import DNS, DNSQR, DNSRR

    question = message.question
    answers = [
        DNSRR(rrname=a.name, type="A", ttl=a.ttl, rdata=str(a.address)) for a in message.answers
    ]
    return DNS(
        id=message.ident,
        qr=int(message.response),
        rd=int(message.recursion_desired),
        ra=int(message.recursion_available),
        rcode=message.rcode,
        qd=DNSQR(qname=question.name, qtype=question.qtype, qclass=question.qclass),
        an=answers,
    )


def render(frame: Frame) -> bytes:
    """Return the frame's bytes as they would be on the wire."""
    return bytes(to_scapy(frame))


def render_ip(packet: IPv4Packet) -> bytes:
    """Return an IPv4 packet's bytes (for loopback captures and quoting)."""
    return bytes(ip_to_scapy(packet))


def parse(data: bytes) -> Frame:
    """Return the header view of an Ethernet frame's bytes.

    Raises:
        ValueError: the frame carries neither ARP nor IPv4.
    """
    from scapy.layers.l2 import ARP, Ether

    ether = Ether(data)
    src, dst = ether.src.lower(), ether.dst.lower()
    if ether.type == ETH_P_ARP and ARP in ether:
        arp = ether[ARP]
        return Frame(
            src,
            dst,
            ArpPacket(
                int(arp.op),
                arp.hwsrc.lower(),
                IPv4Address(arp.psrc),
                arp.hwdst.lower(),
                IPv4Address(arp.pdst),
            ),
        )
    from scapy.layers.inet import IP

    if IP not in ether:
        raise ValueError(f"not an ARP or IPv4 frame (EtherType {ether.type:#06x})")
    return Frame(src, dst, ip_from_scapy(ether[IP]))


def parse_ip(data: bytes) -> IPv4Packet:
    """Return the header view of an IPv4 packet's bytes."""
    from scapy.layers.inet import IP

    return ip_from_scapy(IP(data))


def ip_from_scapy(ip: Any) -> IPv4Packet:
    """Return the header view of a scapy IP layer (and what it carries)."""
    from scapy.layers.inet import ICMP, TCP, UDP
    from scapy.packet import Raw

    common = dict(
        ttl=int(ip.ttl), ident=int(ip.id), dont_fragment=bool(int(ip.flags) & _DF), tos=int(ip.tos)
    )
    src, dst = IPv4Address(ip.src), IPv4Address(ip.dst)
    if ip.proto == 6 and TCP in ip:
        tcp = ip[TCP]
        data = bytes(tcp[Raw].load) if Raw in tcp else b""
        segment = TcpSegment(
            int(tcp.sport),
            int(tcp.dport),
            int(tcp.seq),
            int(tcp.ack),
            int(tcp.flags),
            int(tcp.window),
            data,
        )
        return IPv4Packet(src, dst, segment, **common)  # type: ignore[arg-type]
    if ip.proto == 17 and UDP in ip:
        udp = ip[UDP]
        body = bytes(udp.payload)
        payload: bytes | DnsMessage = body
        if DNS_PORT in (int(udp.sport), int(udp.dport)) and body:
            payload = _dns_or_bytes(body)
        datagram = UdpDatagram(int(udp.sport), int(udp.dport), payload)
        return IPv4Packet(src, dst, datagram, **common)  # type: ignore[arg-type]
    if ip.proto == 1 and ICMP in ip:
        icmp = ip[ICMP]
        body = bytes(icmp.payload)
        if int(icmp.type) in (3, 4, 5, 11, 12):
            quoted = parse_ip(body) if body else None
            message = IcmpMessage(int(icmp.type), int(icmp.code), quoted=quoted)
        else:
            message = IcmpMessage(int(icmp.type), int(icmp.code), int(icmp.id), int(icmp.seq), body)
        return IPv4Packet(src, dst, message, **common)  # type: ignore[arg-type]
    raise ValueError(f"IP protocol {ip.proto} is not modelled")


def _dns_or_bytes(data: bytes) -> bytes | DnsMessage:
    """Return the DNS message port-53 bytes hold, or the bytes when they are not one.

    Only bytes that render back the same are taken as a message: other data
    sent to port 53 (a UDP probe's line, say) stays data.
    """
    try:
        message = dns_from_bytes(data)
    except (struct.error, IndexError, ValueError):  # UnicodeDecodeError is a ValueError
        return data
    return message if bytes(dns_to_scapy(message)) == data else data


def dns_from_bytes(data: bytes) -> DnsMessage:
    """Return the header view of a DNS message (the first question, A answers)."""
    from scapy.layers.dns import DNS

    dns = DNS(data)
    questions = list(dns.qd or [])
    question = questions[0] if questions else None
    name = question.qname.decode().rstrip(".") if question is not None else ""
    answers = tuple(
        DnsAnswer(rr.rrname.decode().rstrip("."), IPv4Address(rr.rdata), int(rr.ttl))
        for rr in (dns.an or [])
        if int(rr.type) == 1
    )
    qtype = int(question.qtype) if question is not None else 1
    qclass = int(question.qclass) if question is not None else 1
    return DnsMessage(
        int(dns.id),
        bool(dns.qr),
        DnsQuestion(name, qtype, qclass),
        answers,
        int(dns.rcode),
        bool(dns.rd),
        bool(dns.ra),
    )
