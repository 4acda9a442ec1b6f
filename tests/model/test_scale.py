"""Model tests for what issue 12 made linear: the namespace's indexes, IPAM, and wide port ranges.

The indexes (links by name, bridge ports by master, container names) must
answer what a scan of the objects answers after any mix of changes; a port
range that cannot be met is refused without leaving anything behind.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from netsim.docker.ipam import AddressPool
from netsim.errors import DockerError, KernelError
from netsim.kernel.namespace import Bridge, NetworkNamespace
from netsim.session import load_scenario_text, open_world
from netsim.world import World

WORLD = "name: wide\nsteps:\n  - docker ps\n"


def _world(engine: str) -> World:
    return open_world(load_scenario_text(WORLD), engine=engine)


def _scan_ports(namespace: NetworkNamespace, bridge: str) -> list[str]:
    return [link.name for link in namespace.interfaces() if link.master == bridge]


def test_namespace_indexes_follow_adds_moves_renames_and_deletes() -> None:
    host = NetworkNamespace("host")
    other = NetworkNamespace("other")
    host.add_bridge("br0", mac="02:00:00:00:00:01")
    host.add_bridge("br1", mac="02:00:00:00:00:02")
    for i in range(4):
        host.add_veth(f"v{i}", f"p{i}", mac=f"02:00:00:00:01:0{i}", peer_mac=f"02:00:00:00:02:0{i}")
        host.set_master(f"v{i}", "br0" if i % 2 == 0 else "br1")
    host.set_master("v2", "br1")
    host.rename_link("br1", "brX")
    host.move_link("p0", other, "eth0")
    host.delete_link("v3")
    host.set_master("v1", None)
    bridges = [link for link in host.interfaces() if isinstance(link, Bridge)]
    assert [b.name for b in bridges] == ["br0", "brX"]
    for bridge in bridges:
        assert [p.name for p in bridge.ports()] == _scan_ports(host, bridge.name)
    assert [p.name for p in bridges[1].ports()] == ["v2"]
    assert host.find("br1") is None and host.find("p0") is None and host.find("p3") is None
    assert other.interface("eth0").peer is host.interface("v0")
    with pytest.raises(KernelError, match='Cannot find device "v3"'):
        host.interface("v3")


def test_a_leaving_link_takes_its_own_sysctls_and_fdb_entries_and_no_others() -> None:
    host = NetworkNamespace("host")
    br0 = host.add_bridge("br0", mac="02:00:00:00:00:01")
    br1 = host.add_bridge("br1", mac="02:00:00:00:00:02")
    host.add_ether("eth0", mac="02:00:00:00:01:01")
    host.add_ether("eth0.100", mac="02:00:00:00:01:02")  # a VLAN-style name: eth0's, then a dot
    host.sysctls.set("net.ipv4.conf.eth0.100.rp_filter", "1")
    br0.learn("02:00:00:00:09:01", "eth0")
    br1.learn("02:00:00:00:09:02", "eth0")
    br1.learn("02:00:00:00:09:03", "eth0.100")
    host.delete_link("eth0")
    assert "net.ipv4.conf.eth0.rp_filter" not in host.sysctls
    assert "net.ipv6.conf.eth0.disable_ipv6" not in host.sysctls
    assert host.sysctls.get("net.ipv4.conf.eth0.100.rp_filter") == "1"
    assert br0.fdb == {} and br1.fdb == {"02:00:00:00:09:03": "eth0.100"}
    host.rename_link("eth0.100", "vlan100")
    assert host.sysctls.get("net.ipv4.conf.vlan100.rp_filter") == "1"
    assert not any(".eth0." in key for key in host.sysctls)
    host.delete_link("br1")
    host.delete_link("vlan100")  # a deleted bridge's FDB is no longer looked at
    assert sorted(key.split(".")[3] for key in host.sysctls if ".conf." in key) == (
        ["all"] * 6 + ["br0"] * 6 + ["default"] * 6 + ["lo"] * 6
    )


def test_ipv6_link_local_arrives_when_the_peer_comes_up_and_the_bridge_gets_carrier() -> None:
    host = NetworkNamespace("host")
    inner = NetworkNamespace("inner")
    bridge = host.add_bridge("br0", mac="02:00:00:00:00:01")
    host.set_up("br0")
    assert not bridge.ipv6  # an explicit-MAC bridge has no carrier without a port
    host.add_veth(
        "veth0", "eth0", mac="02:00:00:00:01:01", peer_mac="02:00:00:00:02:01", peer_namespace=inner
    )
    host.set_master("veth0", "br0")
    host.set_up("veth0")
    assert not host.interface("veth0").ipv6 and not bridge.ipv6
    inner.set_up("eth0")  # the far end: carrier for both ends and for the bridge
    assert host.interface("veth0").ipv6 and inner.interface("eth0").ipv6 and bridge.ipv6


def test_address_pool_hands_out_the_lowest_free_address_after_a_release() -> None:
    pool = AddressPool(IPv4Network("10.0.0.0/29"))
    got = [pool.allocate() for _ in range(4)]
    assert got == [IPv4Address(f"10.0.0.{i}") for i in range(1, 5)]
    pool.release(IPv4Address("10.0.0.2"))
    assert pool.allocate() == IPv4Address("10.0.0.2")
    assert pool.allocate() == IPv4Address("10.0.0.5")
    assert pool.allocate() == IPv4Address("10.0.0.6")
    with pytest.raises(DockerError, match="no available IPv4 addresses"):
        pool.allocate()


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_every_port_with_a_dynamic_host_port_runs_out_and_leaves_nothing(engine: str) -> None:
    world = _world(engine)
    before = world.host.netfilter.apply(["-t", "nat", "-S"])
    out = world.client.run(["docker", "run", "-d", "--name", "wide", "-p", "1-65535", "nginx"])
    assert out.exit_code == 125
    assert "all ports are allocated" in out.stderr
    assert world.host.netfilter.apply(["-t", "nat", "-S"]) == before
    assert all(not m.used for m in world.daemon.ports.maps.values())
    # The whole ephemeral range is free again: the next dynamic port is its first.
    out = world.client.run(["docker", "run", "-d", "--name", "one", "-p", "80", "nginx"])
    assert out.exit_code == 0, out.stderr
    assert world.client.run(["docker", "port", "one"]).stdout.startswith("80/tcp -> 0.0.0.0:")


def test_a_dynamic_range_that_fits_is_allocated_in_order() -> None:
    world = _world("28.5")
    out = world.client.run(["docker", "run", "-d", "--name", "some", "-p", "1000-1999", "nginx"])
    assert out.exit_code == 0, out.stderr
    container = world.daemon.find_container("some")
    v4 = [m for m in container.ports if m.host_ip.version == 4]
    assert len(v4) == 1000
    assert len({m.host_port for m in v4}) == 1000
    assert all(32768 <= m.host_port <= 60999 for m in v4)
    rules = world.host.netfilter.apply(["-t", "nat", "-S", "DOCKER"])
    assert rules.count("-j DNAT") == 1000
