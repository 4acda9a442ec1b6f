"""Conntrack and NAT bindings behave as nf_conntrack/nf_nat do, and names parse as resolvers do."""

from __future__ import annotations

from ipaddress import IPv4Address as A

from netsim.dataplane.conntrack import (
    DST_MANIP,
    ORIGINAL,
    REPLY,
    SRC_MANIP,
    ConntrackTable,
    bind,
    translate,
)
from netsim.dataplane.frames import ACK, SYN, IcmpMessage, IPv4Packet, TcpSegment, flow_key
from netsim.dataplane.names import hosts_lookup, parse_address

LAPTOP, HOST, CONTAINER, GATEWAY = (
    A("192.168.1.20"),
    A("192.168.1.10"),
    A("172.17.0.2"),
    A("172.17.0.1"),
)


def tcp(src: A, sport: int, dst: A, dport: int, flags: int = SYN) -> IPv4Packet:
    """Return a TCP segment."""
    return IPv4Packet(src, dst, TcpSegment(sport, dport, 1, 0, flags))


def test_dnat_rewrites_the_original_destination_and_the_reply_source():
    table = ConntrackTable()
    syn = tcp(LAPTOP, 40000, HOST, 12345)
    tracked = table.classify(syn)
    assert (tracked.state, tracked.direction, tracked.created) == ("NEW", ORIGINAL, True)
    assert tracked.entry is not None
    bind(tracked.entry, DST_MANIP, CONTAINER, 3306)
    bind(tracked.entry, SRC_MANIP, None, None)
    dnated = translate(syn, tracked, DST_MANIP)
    assert flow_key(dnated) == (6, LAPTOP, 40000, CONTAINER, 3306)
    table.confirm(tracked)
    synack = tcp(CONTAINER, 3306, LAPTOP, 40000, SYN | ACK)
    back = table.classify(synack)
    assert (back.state, back.direction) == ("ESTABLISHED", REPLY)
    assert translate(synack, back, DST_MANIP) == synack  # no SNAT to undo
    assert flow_key(translate(synack, back, SRC_MANIP)) == (6, HOST, 12345, LAPTOP, 40000)
    again = table.classify(tcp(LAPTOP, 40000, HOST, 12345, ACK))
    assert (again.state, again.direction) == ("ESTABLISHED", ORIGINAL)


def test_masquerade_rewrites_the_source_and_the_reply_destination():
    table = ConntrackTable()
    syn = tcp(CONTAINER, 50000, LAPTOP, 22)
    tracked = table.classify(syn)
    assert tracked.entry is not None
    bind(tracked.entry, DST_MANIP, None, None)
    bind(tracked.entry, SRC_MANIP, HOST, None)
    assert flow_key(translate(syn, tracked, SRC_MANIP)) == (6, HOST, 50000, LAPTOP, 22)
    table.confirm(tracked)
    reply = tcp(LAPTOP, 22, HOST, 50000, SYN | ACK)
    back = table.classify(reply)
    assert flow_key(translate(reply, back, DST_MANIP)) == (6, LAPTOP, 22, CONTAINER, 50000)


def test_icmp_error_about_a_dnated_connection_is_translated_inside_and_out():
    table = ConntrackTable()
    syn = tcp(LAPTOP, 40000, HOST, 12345)
    tracked = table.classify(syn)
    assert tracked.entry is not None
    bind(tracked.entry, DST_MANIP, CONTAINER, 3306)
    bind(tracked.entry, SRC_MANIP, None, None)
    table.confirm(tracked)
    seen_by_container = translate(syn, tracked, DST_MANIP)
    error = IPv4Packet(CONTAINER, LAPTOP, IcmpMessage(3, 3, quoted=seen_by_container))
    related = table.classify(error)
    assert (related.state, related.direction) == ("RELATED", REPLY)
    out = translate(error, related, SRC_MANIP)
    assert out.src == HOST
    message = out.payload
    assert isinstance(message, IcmpMessage) and message.quoted is not None
    assert flow_key(message.quoted) == (6, LAPTOP, 40000, HOST, 12345)


def test_a_segment_without_syn_that_nobody_knows_is_invalid_and_unconfirmed_entries_vanish():
    table = ConntrackTable()
    assert table.classify(tcp(LAPTOP, 1, HOST, 2, ACK)).state == "INVALID"
    tracked = table.classify(tcp(LAPTOP, 1, HOST, 2))
    assert tracked.created and len(table) == 0  # not confirmed: dropped packets leave nothing
    assert table.classify(tcp(LAPTOP, 1, HOST, 2)).created


def test_an_address_literal_is_not_a_name():
    assert parse_address("172.17.0.2") == A("172.17.0.2")
    assert parse_address("db") is None
    assert parse_address("1.2.3") is None
    assert parse_address("300.1.1.1") is None


def test_hosts_lookup_takes_the_first_line_and_ignores_case_and_comments():
    hosts = (
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
        "# 10.0.0.1 db\n172.17.0.3\tMySQL 99587eab673e mysqldb\n172.17.0.9\tmysql\n"
    )
    assert hosts_lookup(hosts, "mysql") == A("172.17.0.3")
    assert hosts_lookup(hosts, "MYSQLDB") == A("172.17.0.3")
    assert hosts_lookup(hosts, "db") is None
    assert hosts_lookup(hosts, "localhost") == A("127.0.0.1")
