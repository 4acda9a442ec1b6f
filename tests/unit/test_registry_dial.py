"""The daemon's answers when its connection to a private registry fails (docker/registry.py)."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from netsim.docker.registry import Connection, Upstream, dial_error, https_error, is_insecure

UPSTREAM = Upstream(IPv4Address("192.168.1.10"), IPv4Address("192.168.1.1"))


@pytest.mark.parametrize(
    ("registry", "insecure"),
    [
        ("localhost:5000", True),
        ("127.0.0.1:5000", True),
        ("127.1.2.3", True),
        ("172.17.0.2:5000", False),
        ("registry.lan:5000", False),
    ],
)
def test_only_loopback_registries_get_plain_http(registry: str, insecure: bool) -> None:
    assert is_insecure(registry) is insecure


def test_a_refused_localhost_registry_names_ipv6_loopback() -> None:
    error = dial_error("localhost:5000", Connection("refused"), UPSTREAM, 0)
    assert error == (
        'Get "http://localhost:5000/v2/": dial tcp [::1]:5000: connect: connection refused'
    )


def test_a_lan_address_without_arp_answer_has_no_route() -> None:
    connection = Connection("unreachable", IPv4Address("192.168.1.99"))
    error = dial_error("192.168.1.99:5000", connection, UPSTREAM, 0)
    assert error == (
        'Get "https://192.168.1.99:5000/v2/": dial tcp 192.168.1.99:5000: connect: no route to host'
    )


def test_an_unknown_name_times_out_at_the_nameserver() -> None:
    error = dial_error("registry.lan:5000", Connection("unresolved"), UPSTREAM, 40001)
    assert error == (
        'Get "https://registry.lan:5000/v2/": dial tcp: lookup registry.lan on '
        "192.168.1.1:53: read udp 192.168.1.10:40001->192.168.1.1:53: i/o timeout"
    )


def test_https_to_a_plain_http_registry() -> None:
    assert https_error("172.17.0.2:5000").endswith(
        "http: server gave HTTP response to HTTPS client"
    )


@pytest.mark.parametrize(
    ("registry", "resolved", "insecure"),
    [
        ("172.17.0.2:5000", None, True),
        ("172.17.0.3:5000", None, False),
        ("192.168.1.99:5000", None, True),
        ("laptop:5000", IPv4Address("192.168.1.20"), True),
        ("laptop:5000", None, False),
    ],
)
def test_insecure_registries_name_a_registry_or_a_subnet(
    registry: str, resolved: IPv4Address | None, insecure: bool
) -> None:
    listed = ("172.17.0.2:5000", "192.168.1.0/24")
    assert is_insecure(registry, listed, resolved) is insecure


def test_no_answer_ends_a_pull_on_the_http_timeout_and_a_push_by_engine() -> None:
    connection = Connection("timeout", IPv4Address("192.168.1.20"))
    pull = dial_error("192.168.1.20:5000", connection, UPSTREAM, 0)
    assert pull.endswith("(Client.Timeout exceeded while awaiting headers)")
    push_2010 = dial_error("192.168.1.20:5000", connection, UPSTREAM, 0, pushing=True)
    assert push_2010.endswith("dial tcp 192.168.1.20:5000: i/o timeout")
    push_285 = dial_error("192.168.1.20:5000", connection, UPSTREAM, 0, pushing=True, deadline=True)
    assert push_285 == 'Get "https://192.168.1.20:5000/v2/": context deadline exceeded'
