# ruff: noqa: E501  (expected texts are real tool output, kept verbatim)
"""``ip`` output of a small Docker-like world, checked against the real tools.

The expected texts were printed by iproute2 6.1 and busybox 1.35 (Debian 12)
on Linux 6.18 for the same world built with real namespaces: a LAN namespace
``nsk-l`` with a bridge and a veth to the host's ``eth0``; the host ``nsk-h``
with ``docker0`` (explicit MAC 02:42:4f:5a:11:22, 172.17.0.1/16 brd +) and a
veth pair ``veth1a2b3c4``/``vethabc1234`` whose second end moved into an
unnamed container namespace and was renamed ``eth0`` (172.17.0.2/16 brd +,
default via 172.17.0.1). IPv6 DAD was off (``accept_dad=0``), as the
conformance world has it. ``docker0_noports`` was taken before the veth existed
and ``host_link_mid`` right after the move, before anything was up.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network

import pytest

from netsim.kernel.commands import ip_command
from netsim.kernel.namespace import NetworkNamespace, Route

OBSERVED = {
    "c_addr": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen "
    "1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "    inet 127.0.0.1/8 scope host lo\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 ::1/128 scope host \n"
    "       valid_lft forever preferred_lft forever\n"
    "4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group "
    "default qlen 1000\n"
    "    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netns nsk-h\n"
    "    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 fe80::42:acff:fe11:2/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n",
    "c_bb_addr": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "    inet 127.0.0.1/8 scope host lo\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 ::1/128 scope host \n"
    "       valid_lft forever preferred_lft forever\n"
    "4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue qlen "
    "1000\n"
    "    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\n"
    "    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 fe80::42:acff:fe11:2/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n",
    "c_bb_link": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue qlen "
    "1000\n"
    "    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\n",
    "c_bb_route": "default via 172.17.0.1 dev eth0 \n"
    "172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 \n",
    "c_link": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group "
    "default qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode "
    "DEFAULT group default qlen 1000\n"
    "    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netns nsk-h\n",
    "c_route": "default via 172.17.0.1 dev eth0 \n"
    "172.17.0.0/16 dev eth0 proto kernel scope link src 172.17.0.2 \n",
    "docker0_noports": "3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state "
    "DOWN group default qlen 1000\n"
    "    link/ether 02:42:4f:5a:11:22 brd ff:ff:ff:ff:ff:ff\n"
    "    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"
    "       valid_lft forever preferred_lft forever\n",
    "host_addr": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default "
    "qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "    inet 127.0.0.1/8 scope host lo\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 ::1/128 scope host \n"
    "       valid_lft forever preferred_lft forever\n"
    "2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP "
    "group default qlen 1000\n"
    "    link/ether 02:00:c0:a8:01:0a brd ff:ff:ff:ff:ff:ff link-netns nsk-l\n"
    "    inet 192.168.1.10/24 scope global eth0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 fe80::c0ff:fea8:10a/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n"
    "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group "
    "default qlen 1000\n"
    "    link/ether 02:42:4f:5a:11:22 brd ff:ff:ff:ff:ff:ff\n"
    "    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 fe80::42:4fff:fe5a:1122/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n"
    "5: veth1a2b3c4@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master "
    "docker0 state UP group default qlen 1000\n"
    "    link/ether 5e:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff link-netnsid 1\n"
    "    inet6 fe80::5c11:22ff:fe33:4455/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n",
    "host_addr4": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default "
    "qlen 1000\n"
    "    inet 127.0.0.1/8 scope host lo\n"
    "       valid_lft forever preferred_lft forever\n"
    "2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP "
    "group default qlen 1000 link-netns nsk-l\n"
    "    inet 192.168.1.10/24 scope global eth0\n"
    "       valid_lft forever preferred_lft forever\n"
    "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP "
    "group default qlen 1000\n"
    "    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"
    "       valid_lft forever preferred_lft forever\n",
    "host_addr6": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN qlen 1000\n"
    "    inet6 ::1/128 scope host \n"
    "       valid_lft forever preferred_lft forever\n"
    "2: eth0@docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000\n"
    "    inet6 fe80::c0ff:fea8:10a/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n"
    "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000\n"
    "    inet6 fe80::42:4fff:fe5a:1122/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n"
    "5: veth1a2b3c4@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000\n"
    "    inet6 fe80::5c11:22ff:fe33:4455/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n",
    "host_addr_docker0": "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state "
    "UP group default qlen 1000\n"
    "    link/ether 02:42:4f:5a:11:22 brd ff:ff:ff:ff:ff:ff\n"
    "    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 fe80::42:4fff:fe5a:1122/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n",
    "host_bb_addr": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "    inet 127.0.0.1/8 scope host lo\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 ::1/128 scope host \n"
    "       valid_lft forever preferred_lft forever\n"
    "2: eth0@docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue qlen "
    "1000\n"
    "    link/ether 02:00:c0:a8:01:0a brd ff:ff:ff:ff:ff:ff\n"
    "    inet 192.168.1.10/24 scope global eth0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 fe80::c0ff:fea8:10a/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n"
    "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue qlen 1000\n"
    "    link/ether 02:42:4f:5a:11:22 brd ff:ff:ff:ff:ff:ff\n"
    "    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 fe80::42:4fff:fe5a:1122/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n"
    "5: veth1a2b3c4@if4: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc "
    "noqueue master docker0 qlen 1000\n"
    "    link/ether 5e:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff\n"
    "    inet6 fe80::5c11:22ff:fe33:4455/64 scope link \n"
    "       valid_lft forever preferred_lft forever\n",
    "host_bb_route": "172.17.0.0/16 dev docker0 scope link  src 172.17.0.1 \n"
    "192.168.1.0/24 dev eth0 scope link  src 192.168.1.10 \n",
    "host_braddr": "lo               UNKNOWN        127.0.0.1/8 ::1/128 \n"
    "eth0@if3         UP             192.168.1.10/24 fe80::c0ff:fea8:10a/64 \n"
    "docker0          UP             172.17.0.1/16 fe80::42:4fff:fe5a:1122/64 \n"
    "veth1a2b3c4@if4  UP             fe80::5c11:22ff:fe33:4455/64 \n",
    "host_brlink": "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n"
    "eth0@if3         UP             02:00:c0:a8:01:0a "
    "<BROADCAST,MULTICAST,UP,LOWER_UP> \n"
    "docker0          UP             02:42:4f:5a:11:22 "
    "<BROADCAST,MULTICAST,UP,LOWER_UP> \n"
    "veth1a2b3c4@if4  UP             5e:11:22:33:44:55 "
    "<BROADCAST,MULTICAST,UP,LOWER_UP> \n",
    "host_link": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT "
    "group default qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode "
    "DEFAULT group default qlen 1000\n"
    "    link/ether 02:00:c0:a8:01:0a brd ff:ff:ff:ff:ff:ff link-netns nsk-l\n"
    "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode "
    "DEFAULT group default qlen 1000\n"
    "    link/ether 02:42:4f:5a:11:22 brd ff:ff:ff:ff:ff:ff\n"
    "5: veth1a2b3c4@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master "
    "docker0 state UP mode DEFAULT group default qlen 1000\n"
    "    link/ether 5e:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff link-netnsid 1\n",
    "host_link_master": "5: veth1a2b3c4@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue "
    "master docker0 state UP mode DEFAULT group default qlen 1000\n"
    "    link/ether 5e:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff link-netnsid 1\n",
    "host_link_mid": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode "
    "DEFAULT group default qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP "
    "mode DEFAULT group default qlen 1000\n"
    "    link/ether 02:00:c0:a8:01:0a brd ff:ff:ff:ff:ff:ff link-netns nsk-l\n"
    "3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state "
    "DOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether 02:42:4f:5a:11:22 brd ff:ff:ff:ff:ff:ff\n"
    "5: veth1a2b3c4@if4: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master docker0 "
    "state DOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether 5e:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff link-netnsid 1\n",
    "host_route": "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 \n"
    "192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10 \n",
    "host_route_get": "172.17.0.2 dev docker0 src 172.17.0.1 uid 0 \n    cache \n",
    "host_route_local": "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \n"
    "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n"
    "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \n"
    "local 172.17.0.1 dev docker0 proto kernel scope host src 172.17.0.1 \n"
    "broadcast 172.17.255.255 dev docker0 proto kernel scope link src "
    "172.17.0.1 \n"
    "local 192.168.1.10 dev eth0 proto kernel scope host src 192.168.1.10 \n"
    "broadcast 192.168.1.255 dev eth0 proto kernel scope link src 192.168.1.10 \n",
}


def _world() -> dict[str, str]:
    host = NetworkNamespace("host", registered_name="nsk-h")
    lan = NetworkNamespace("lan", registered_name="nsk-l")
    container = NetworkNamespace("c1")
    lan.add_bridge("lanbr", mac="02:00:00:00:00:fe", mac_explicit=False)
    lan.set_up("lanbr")
    lan.add_veth(
        "lan-host",
        "eth0",
        mac="02:00:00:00:00:aa",
        peer_mac="02:00:00:00:00:bb",
        peer_namespace=host,
    )
    lan.set_master("lan-host", "lanbr")
    lan.set_up("lan-host")
    host.set_up("lo")
    host.add_address("lo", IPv4Interface("127.0.0.1/8"), broadcast=None)
    host.set_mac("eth0", "02:00:c0:a8:01:0a")
    host.add_address("eth0", IPv4Interface("192.168.1.10/24"), broadcast=None)
    host.set_up("eth0")
    host.add_bridge("docker0", mac="02:42:4f:5a:11:22")
    host.add_address("docker0", IPv4Interface("172.17.0.1/16"))
    host.set_up("docker0")
    out = {"docker0_noports": ip_command(host, ["addr", "show", "docker0"])[1]}
    host.add_veth(
        "veth1a2b3c4", "vethabc1234", mac="5e:11:22:33:44:55", peer_mac="02:42:ac:11:00:02"
    )
    host.set_master("veth1a2b3c4", "docker0")
    host.move_link("vethabc1234", container)
    out["host_link_mid"] = ip_command(host, ["link", "show"])[1]
    container.rename_link("vethabc1234", "eth0")
    container.set_up("lo")
    container.add_address("lo", IPv4Interface("127.0.0.1/8"), broadcast=None)
    container.add_address("eth0", IPv4Interface("172.17.0.2/16"))
    container.set_up("eth0")
    container.add_route(Route(IPv4Network("0.0.0.0/0"), "eth0", IPv4Address("172.17.0.1")))
    host.set_up("veth1a2b3c4")

    def on(ns, *args, flavor="iproute2"):
        return ip_command(ns, list(args), flavor=flavor)[1]

    out.update(
        {
            "host_addr": on(host, "addr"),
            "host_link": on(host, "link"),
            "host_route": on(host, "route"),
            "host_addr4": on(host, "-4", "addr"),
            "host_addr6": on(host, "-6", "addr"),
            "host_braddr": on(host, "-br", "addr"),
            "host_brlink": on(host, "-br", "link"),
            "host_route_local": on(host, "route", "show", "table", "local"),
            "host_addr_docker0": on(host, "addr", "show", "docker0"),
            "host_link_master": on(host, "link", "show", "master", "docker0"),
            "host_route_get": on(host, "route", "get", "172.17.0.2"),
            "c_addr": on(container, "addr"),
            "c_route": on(container, "route"),
            "c_link": on(container, "link"),
            "c_bb_addr": on(container, "addr", flavor="busybox"),
            "c_bb_route": on(container, "route", flavor="busybox"),
            "c_bb_link": on(container, "link", flavor="busybox"),
            "host_bb_addr": on(host, "addr", flavor="busybox"),
            "host_bb_route": on(host, "route", flavor="busybox"),
        }
    )
    return out


@pytest.mark.parametrize("name", list(OBSERVED))
def test_ip_output_matches_real_tools(name):
    assert _world()[name] == OBSERVED[name]
