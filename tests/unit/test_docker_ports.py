"""Unit tests: -p parsing and host-port allocation (docker-reference.md §3)."""

from ipaddress import ip_address

import pytest

from netsim.docker.ports import PortAllocator, parse_expose, parse_publish
from netsim.errors import DockerError

V4 = ip_address("0.0.0.0")
V6 = ip_address("::")
LOOPBACK = ip_address("127.0.0.1")


def test_parse_host_and_container_port():
    (request,) = parse_publish("12345:3306")
    assert (request.container_port, request.proto, request.host_ip) == (3306, "tcp", None)
    assert (request.host_port_start, request.host_port_end) == (12345, 12345)
    assert request.typed_host_port == "12345" and request.typed_host_ip == ""


def test_parse_host_address_with_ephemeral_port():
    (request,) = parse_publish("127.0.0.1::3306")
    assert request.host_ip == LOOPBACK
    assert request.host_port_start is None
    assert request.typed_host_ip == "127.0.0.1" and request.typed_host_port == ""


def test_parse_udp_and_ranges():
    requests = parse_publish("8000-8001:9000-9001/udp")
    assert [(r.container_port, r.host_port_start, r.proto) for r in requests] == [
        (9000, 8000, "udp"),
        (9001, 8001, "udp"),
    ]


def test_parse_ipv6_host_address():
    (request,) = parse_publish("[::1]:80:8080")
    assert request.host_ip == ip_address("::1") and request.container_port == 8080


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("abc", "Invalid containerPort: abc"),
        ("x:80", "Invalid hostPort: x"),
        ("80:80/icmp", "Invalid proto: icmp"),
        ("1.2.3.999:80:80", "invalid IP address: 1.2.3.999"),
        (":::80", "Invalid ip address :: address ::: too many colons in address"),
        ("::1:8080:80", "Invalid ip address ::1: address ::1:: too many colons in address"),
        ("8000-8002:80-81", "Invalid ranges specified for container and host Ports"),
    ],
)
def test_parse_errors(spec, message):
    with pytest.raises(DockerError, match=message):
        parse_publish(spec)


# What both engines (20.10 and 28.5, replayed with ``python -m netsim.verify
# run``) do with odd numbers: Go's ParseUint takes ASCII digits only.
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("+80", r"Invalid containerPort: \+80$"),
        ("8080:+80", r"Invalid containerPort: \+80$"),
        ("+8090:80", r"Invalid hostPort: \+8090$"),
        (" 80", "Invalid containerPort:  80$"),
        ("80 ", "Invalid containerPort: 80 $"),
        ("8_0", "Invalid containerPort: 8_0$"),
        ("\u0668\u0660", "Invalid containerPort: \u0668\u0660$"),  # Arabic-Indic 80
        ("\uff18\uff10", "Invalid containerPort: \uff18\uff10$"),  # fullwidth 80
        ("80-", "Invalid containerPort: 80-$"),
        ("-80", "Invalid containerPort: -80$"),
        ("65536", "Invalid containerPort: 65536$"),
        ("0" * 5000 + "65536", "Invalid containerPort: 0000"),
        ("9" * 5000, "Invalid containerPort: 9999"),
        ("81-80", "Invalid containerPort: 81-80$"),
    ],
)
def test_port_numbers_are_read_as_gos_parseuint(spec, message):
    with pytest.raises(DockerError, match=message):
        parse_publish(spec)


@pytest.mark.parametrize(
    ("spec", "ports"),
    [
        ("0080", [(80, None, None)]),
        ("8080:0080", [(80, 8080, 8080)]),
        ("00000000000000000080", [(80, None, None)]),
        ("0" * 5000 + "80", [(80, None, None)]),
        ("0", [(0, None, None)]),
        ("0:80", [(80, 0, 0)]),
        # nat.ParsePortRange reads the first two parts between dashes
        ("1-2-3", [(1, None, None), (2, None, None)]),
        ("9080-9081:80-81-82", [(80, 9080, 9080), (81, 9081, 9081)]),
    ],
)
def test_leading_zeros_and_extra_dashes_are_accepted_as_docker_does(spec, ports):
    requests = parse_publish(spec)
    assert [(r.container_port, r.host_port_start, r.host_port_end) for r in requests] == ports


def test_expose_reads_ports_the_same_way():
    assert parse_expose("0080-0081/udp") == [(80, "udp"), (81, "udp")]
    with pytest.raises(DockerError, match=r"invalid range format for --expose: \+80, error"):
        parse_expose("+80")


def test_explicit_port_clash_names_the_address():
    allocator = PortAllocator(shared_unspecified=True)
    assert allocator.request([V4, V6], "tcp", 8080, 8080) == 8080
    with pytest.raises(DockerError, match=r"Bind for 0.0.0.0:8080 failed: port is already"):
        allocator.request([V4, V6], "tcp", 8080, 8080)


def test_other_protocol_does_not_clash():
    allocator = PortAllocator(shared_unspecified=True)
    allocator.request([V4], "tcp", 53, 53)
    assert allocator.request([V4], "udp", 53, 53) == 53


def test_dynamic_ports_start_at_range_begin_and_do_not_reuse_at_once():
    allocator = PortAllocator(shared_unspecified=True)
    first = allocator.request([V4, V6], "tcp", None, None)
    second = allocator.request([V4, V6], "tcp", None, None)
    assert (first, second) == (32768, 32769)
    allocator.release(V4, "tcp", first)
    allocator.release(V6, "tcp", first)
    assert allocator.request([V4, V6], "tcp", None, None) == 32770


def test_modern_specific_address_clashes_with_unspecified():
    allocator = PortAllocator(shared_unspecified=True)
    allocator.request([V4], "tcp", 9000, 9000)
    with pytest.raises(DockerError, match="Bind for 0.0.0.0:9000"):
        allocator.request([LOOPBACK], "tcp", 9000, 9000)


def test_classic_maps_are_independent_per_address():
    allocator = PortAllocator(shared_unspecified=False)
    allocator.request([V4], "tcp", 9000, 9000)
    assert allocator.request([LOOPBACK], "tcp", 9000, 9000) == 9000


def test_range_has_its_own_cursor():
    allocator = PortAllocator(shared_unspecified=True)
    assert allocator.request([V4], "tcp", 8000, 8002) == 8000
    assert allocator.request([V4], "tcp", 8000, 8002) == 8001
    assert allocator.request([V4], "tcp", None, None) == 32768


def test_the_long_publish_syntax_becomes_the_short_one():
    from netsim.docker.client import standard_publish

    assert standard_publish("published=8081,target=80") == "8081:80/tcp"
    assert standard_publish("target=53,published=5353,protocol=udp,mode=host") == "5353:53/udp"
    assert standard_publish("8080:80") == "8080:80"
    with pytest.raises(DockerError, match=r"should be name=value but got 'target'"):
        standard_publish("published=8082,target")


def _walk(allocator: PortAllocator, groups: list[tuple[list, str]]) -> None:
    """Allocate one dynamic port per group until the range runs out, then release them all."""
    taken = []
    try:
        for host_ips, proto in groups:
            port = allocator.request(host_ips, proto, None, None)
            taken += [(ip, proto, port) for ip in host_ips]
    except DockerError as error:
        assert error.message == "all ports are allocated"
    else:
        raise AssertionError("the range did not run out")
    for host_ip, proto, port in taken:
        allocator.release(host_ip, proto, port)


@pytest.mark.parametrize(
    ("shared", "pattern"),
    [
        (True, [[V4, V6]]),
        (False, [[V4], [V6]]),
        (False, [[V4]]),
        (False, [[V4], [V4], [V6]]),  # the IPv6 cursor stops half way round
    ],
    ids=["28.5 one group", "20.10 two families", "no userland proxy", "uneven"],
)
def test_a_range_that_surely_runs_out_leaves_the_allocator_as_the_walk_does(shared, pattern):
    groups = [(ips, "tcp") for _ in range(30000) for ips in pattern]
    walked, shortcut = PortAllocator(shared), PortAllocator(shared)
    for allocator in (walked, shortcut):
        allocator.request([V4], "tcp", None, None)  # a cursor that is not the range's end
        allocator.release(V4, "tcp", 32768)
    _walk(walked, groups)
    assert shortcut.runs_out(groups, set())
    families = [list(f) for f in {tuple(ips): None for ips in pattern}]
    after = [[a.request(ips, "tcp", None, None) for ips in families] for a in (walked, shortcut)]
    assert after[0] == after[1]


def test_a_range_is_walked_when_a_port_in_it_is_held_or_the_host_listens_in_it():
    groups = [([V4, V6], "tcp")] * 30000
    held = PortAllocator(True)
    held.request([V4], "tcp", 40000, 40000)
    assert not held.runs_out(groups, set())
    assert not PortAllocator(True).runs_out(groups, {45000})
    assert not PortAllocator(True).runs_out(groups[:100], set())  # enough ports: no refusal
    # 27+: 0.0.0.0 and 127.0.0.1 clash with each other, so their counts do not add up apart.
    mixed = [([V4], "tcp"), ([LOOPBACK], "tcp")] * 15000
    assert not PortAllocator(True).runs_out(mixed, set())


def test_groups_that_share_a_cursor_run_out_together_as_the_walk_does():
    # 28.5: -p 0.0.0.0::80 -p 1-28300 asks for [0.0.0.0] once, then [0.0.0.0, ::].
    groups = [([V4], "tcp")] + [([V4, V6], "tcp")] * 28300
    walked, shortcut = PortAllocator(True), PortAllocator(True)
    _walk(walked, groups)
    assert shortcut.runs_out(groups, set())
    assert walked.request([V4, V6], "tcp", None, None) == shortcut.request(
        [V4, V6], "tcp", None, None
    )


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("abc", 'strconv.ParseUint: parsing "abc": invalid syntax'),
        ("99999", 'strconv.ParseUint: parsing "99999": value out of range'),
        ("1-abc", 'strconv.ParseUint: parsing "abc": invalid syntax'),
        ("5-3", "Invalid range specified for the Port: 5-3"),
        ("", "Empty string specified for ports."),
    ],
)
def test_expose_errors_carry_go_connections_words(spec: str, error: str) -> None:
    with pytest.raises(DockerError) as raised:
        parse_expose(spec)
    assert raised.value.message == f"invalid range format for --expose: {spec}, error: {error}"
