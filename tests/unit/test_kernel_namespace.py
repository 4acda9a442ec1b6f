"""Namespaces, links, routes and sysctls (behaviour observed on Linux 6.18)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network

import pytest

from netsim.errors import KernelError
from netsim.kernel.commands import ip_command, sysctl_command
from netsim.kernel.namespace import NetworkNamespace, Route, link_local_from_mac


def _host() -> NetworkNamespace:
    host = NetworkNamespace("host")
    host.set_up("lo")
    host.add_address("lo", IPv4Interface("127.0.0.1/8"), broadcast=None)
    host.add_ether("eth0", mac="02:00:c0:a8:01:0a")
    host.add_address("eth0", IPv4Interface("192.168.1.10/24"), broadcast=None)
    host.set_up("eth0")
    host.add_bridge("docker0", mac="02:42:4f:5a:11:22")
    host.add_address("docker0", IPv4Interface("172.17.0.1/16"))
    host.set_up("docker0")
    return host


def test_link_local_is_eui64_of_the_mac():
    assert str(link_local_from_mac("02:42:ac:11:00:02")) == "fe80::42:acff:fe11:2/64"
    assert str(link_local_from_mac("5e:11:22:33:44:55")) == "fe80::5c11:22ff:fe33:4455/64"


def test_ifindex_is_cyclic_and_moved_link_keeps_a_free_index():
    host = _host()
    pair = host.add_veth("veth1", "veth1p", mac="02:00:00:00:00:01", peer_mac="02:00:00:00:00:02")
    assert (pair.second.ifindex, pair.first.ifindex) == (4, 5)  # the peer registers first
    host.delete_link("veth1")
    assert host.find("veth1p") is None  # deleting one end deletes the other
    again = host.add_veth("veth2", "veth2p", mac="02:00:00:00:00:03", peer_mac="02:00:00:00:00:04")
    assert again.second.ifindex == 6  # indexes are not reused
    container = NetworkNamespace("c1")
    moved = host.move_link("veth2p", container, "eth0")
    assert (moved.name, moved.ifindex, moved.namespace) == ("eth0", 6, container)
    assert host.netnsid_of(container) == 0 and container.netnsid_of(host) == 0


def test_bridge_carrier_follows_its_ports():
    host = _host()
    docker0 = host.interface("docker0")
    assert docker0.operstate == "DOWN" and "NO-CARRIER" in docker0.flags()
    container = NetworkNamespace("c1")
    host.add_veth("vethab", "eth0", mac="02:00:00:00:00:01", peer_mac="02:42:ac:11:00:02",
                  peer_namespace=container)  # fmt: skip
    host.set_master("vethab", "docker0")
    host.set_up("vethab")
    assert host.interface("vethab").operstate == "DOWN"  # peer still down
    container.set_up("eth0")
    assert host.interface("vethab").operstate == "UP"
    assert docker0.operstate == "UP" and docker0.ipv6  # link-local appears with carrier
    assert host.interface("vethab").ipv6[0][0].ip == link_local_from_mac("02:00:00:00:00:01").ip


def test_connected_routes_follow_addresses_and_link_state():
    host = _host()
    assert [str(r.destination) for r in host.sorted_routes()] == ["172.17.0.0/16", "192.168.1.0/24"]
    host.add_route(Route(IPv4Network("10.0.0.0/8"), "eth0", IPv4Address("192.168.1.1")))
    host.set_down("eth0")
    assert [str(r.destination) for r in host.sorted_routes()] == ["172.17.0.0/16"]
    host.set_up("eth0")
    assert [str(r.destination) for r in host.sorted_routes()] == ["172.17.0.0/16", "192.168.1.0/24"]
    host.delete_address("docker0", IPv4Interface("172.17.0.1/16"))
    assert [str(r.destination) for r in host.sorted_routes()] == ["192.168.1.0/24"]


def test_route_lookup_prefers_local_then_longest_prefix_then_metric():
    host = _host()
    host.add_route(Route(IPv4Network("0.0.0.0/0"), "eth0", IPv4Address("192.168.1.1")))
    host.add_route(
        Route(IPv4Network("172.17.5.0/24"), "eth0", IPv4Address("192.168.1.2"), metric=5)
    )
    assert host.route_lookup(IPv4Address("172.17.5.9")).gateway == IPv4Address("192.168.1.2")
    assert host.route_lookup(IPv4Address("172.17.0.2")).dev == "docker0"
    assert host.route_lookup(IPv4Address("8.8.8.8")).gateway == IPv4Address("192.168.1.1")
    assert host.route_lookup(IPv4Address("127.0.0.5")).type == "local"
    assert host.route_lookup(IPv4Address("192.168.1.10")).type == "local"
    assert host.is_local(IPv4Address("172.17.0.1")) and not host.is_local(IPv4Address("172.17.0.2"))
    context = host.eval_context()
    assert context.address_types(IPv4Address("192.168.1.10")) == {"LOCAL"}
    assert context.address_types(IPv4Address("172.17.255.255")) == {"BROADCAST"}


def test_kernel_errors_name_the_problem():
    host = _host()
    with pytest.raises(KernelError, match=r"Address already assigned"):
        host.add_address("eth0", IPv4Interface("192.168.1.10/24"))
    with pytest.raises(KernelError, match=r"Nexthop has invalid gateway"):
        host.add_route(Route(IPv4Network("10.0.0.0/8"), "eth0", IPv4Address("10.9.9.9")))
    with pytest.raises(KernelError, match=r'Cannot find device "nope"'):
        host.set_up("nope")
    with pytest.raises(KernelError, match=r"No such process"):
        host.delete_route(IPv4Network("11.0.0.0/8"))
    with pytest.raises(KernelError, match=r"File exists"):
        host.add_bridge("docker0", mac="02:00:00:00:00:09")


def test_ip_command_errors_match_iproute2_and_busybox():
    host = _host()
    assert ip_command(host, ["addr", "show", "nope"]) == (1, "", 'Device "nope" does not exist.\n')
    assert ip_command(host, ["foo"]) == (255, "", 'Object "foo" is unknown, try "ip help".\n')
    assert ip_command(host, ["route", "foo"]) == (
        255, "", 'Command "foo" is unknown, try "ip route help".\n',
    )  # fmt: skip
    assert ip_command(host, ["link", "del", "nope"]) == (1, "", 'Cannot find device "nope"\n')
    assert ip_command(host, ["addr", "add", "192.168.1.10/24", "dev", "eth0"]) == (
        2, "", "Error: ipv4: Address already assigned.\n",
    )  # fmt: skip
    assert ip_command(host, ["route", "get", "8.8.8.8"]) == (
        2, "", "RTNETLINK answers: Network is unreachable\n",
    )  # fmt: skip
    assert ip_command(host, ["a", "s", "nope"], flavor="busybox") == (
        1, "", "ip: can't find device 'nope'\n",
    )  # fmt: skip


def test_ip_route_prints_linkdown_and_metric_like_iproute2():
    host = _host()
    host.add_bridge("br-0123456789ab", mac="02:42:00:00:00:01")
    host.add_address("br-0123456789ab", IPv4Interface("172.18.0.1/16"))
    host.set_up("br-0123456789ab")
    host.add_route(Route(IPv4Network("10.0.0.0/8"), "eth0", IPv4Address("192.168.1.1"), metric=100))
    assert ip_command(host, ["route"])[1] == (
        "10.0.0.0/8 via 192.168.1.1 dev eth0 metric 100 \n"
        "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown \n"
        "172.18.0.0/16 dev br-0123456789ab proto kernel scope link src 172.18.0.1 linkdown \n"
        "192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10 \n"
    )
    assert ip_command(host, ["route"], flavor="busybox")[1].splitlines()[0] == (
        "10.0.0.0/8 via 192.168.1.1 dev eth0  metric 100 "
    )


def test_sysctl_defaults_forwarding_link_and_command_texts():
    host = _host()
    assert host.sysctls["net.ipv4.ip_forward"] == "0"
    assert host.sysctls["net.bridge.bridge-nf-call-iptables"] == "1"
    assert host.sysctls["net.ipv4.conf.docker0.route_localnet"] == "0"
    assert sysctl_command(host, ["-w", "net.ipv4.ip_forward=1"]) == (
        0, "net.ipv4.ip_forward = 1\n", "",
    )  # fmt: skip
    assert host.sysctls["net.ipv4.conf.eth0.forwarding"] == "1"
    assert sysctl_command(host, ["net.ipv4.ip_forward"]) == (0, "net.ipv4.ip_forward = 1\n", "")
    assert sysctl_command(host, ["-n", "net.ipv4.ip_forward"]) == (0, "1\n", "")
    assert sysctl_command(host, ["net.ipv4.bogus"]) == (
        1, "", "sysctl: cannot stat /proc/sys/net/ipv4/bogus: No such file or directory\n",
    )  # fmt: skip
    assert sysctl_command(host, ["-w", "net.ipv4.ip_forward=abc"]) == (
        1, "", 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n',
    )  # fmt: skip
    assert sysctl_command(host, ["net.ipv4.bogus"], flavor="busybox") == (
        1, "", "sysctl: error: 'net.ipv4.bogus' is an unknown key\n",
    )  # fmt: skip
    with pytest.raises(KernelError, match=r"unknown sysctl net.ipv4.nope"):
        host.sysctls.set("net.ipv4.nope", 1)


def test_disabling_ipv6_removes_link_local_addresses():
    host = _host()
    assert host.interface("eth0").ipv6
    host.sysctls["net.ipv6.conf.eth0.disable_ipv6"] = 1
    host.refresh()
    assert not host.interface("eth0").ipv6
    assert "inet6" not in ip_command(host, ["addr", "show", "eth0"])[1]
