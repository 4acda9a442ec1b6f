"""Unit tests: IPAM inside a subnet and subnets from the default pools (reference §1)."""

from ipaddress import IPv4Address, IPv4Network

import pytest

from netsim.docker.ipam import BUILTIN_POOLS, AddressPool, SubnetAllocator, split_pools
from netsim.errors import DockerError


def test_lowest_free_address_and_immediate_reuse():
    pool = AddressPool(IPv4Network("172.17.0.0/16"))
    assert pool.allocate() == IPv4Address("172.17.0.1")
    assert pool.allocate() == IPv4Address("172.17.0.2")
    assert pool.allocate() == IPv4Address("172.17.0.3")
    pool.release(IPv4Address("172.17.0.2"))
    assert pool.allocate() == IPv4Address("172.17.0.2")


def test_ip_range_limits_dynamic_addresses_but_not_static_ones():
    pool = AddressPool(IPv4Network("192.168.50.0/24"), IPv4Network("192.168.50.128/25"))
    assert pool.allocate(in_range=False) == IPv4Address("192.168.50.1")
    assert pool.allocate() == IPv4Address("192.168.50.128")
    assert pool.allocate(IPv4Address("192.168.50.10")) == IPv4Address("192.168.50.10")


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("10.0.0.9", "Requested address is out of range"),
        ("192.168.50.1", "Address already in use"),
    ],
)
def test_static_address_errors(address, message):
    pool = AddressPool(IPv4Network("192.168.50.0/24"))
    pool.allocate()
    with pytest.raises(DockerError, match=message):
        pool.allocate(IPv4Address(address))


def test_full_subnet():
    pool = AddressPool(IPv4Network("10.0.0.0/30"))
    pool.allocate()
    pool.allocate()
    with pytest.raises(DockerError, match="no available IPv4 addresses"):
        pool.allocate()


def test_builtin_pools_yield_31_subnets():
    subnets = split_pools(BUILTIN_POOLS)
    assert len(subnets) == 31
    assert subnets[0] == IPv4Network("172.17.0.0/16")
    assert subnets[-1] == IPv4Network("192.168.240.0/20")


def test_classic_rotation_does_not_reuse_a_freed_subnet():
    allocator = SubnetAllocator(BUILTIN_POOLS, rotating=True)
    in_use = [IPv4Network("172.17.0.0/16")]
    first = allocator.allocate(in_use, [])
    assert first == IPv4Network("172.18.0.0/16")
    second = allocator.allocate(in_use + [first], [])
    assert second == IPv4Network("172.19.0.0/16")
    third = allocator.allocate(in_use + [second], [])
    assert third == IPv4Network("172.20.0.0/16")


def test_first_fit_reuses_a_freed_subnet():
    allocator = SubnetAllocator(BUILTIN_POOLS, rotating=False)
    in_use = [IPv4Network("172.17.0.0/16")]
    first = allocator.allocate(in_use, [])
    second = allocator.allocate(in_use + [first], [])
    assert allocator.allocate(in_use + [second], []) == first


def test_reserved_subnets_are_skipped():
    allocator = SubnetAllocator(BUILTIN_POOLS, rotating=False)
    reserved = [IPv4Network("172.18.5.0/24")]
    assert allocator.allocate([IPv4Network("172.17.0.0/16")], reserved) == IPv4Network(
        "172.19.0.0/16"
    )


@pytest.mark.parametrize(
    ("rotating", "message"),
    [
        (True, "could not find an available, non-overlapping IPv4 address pool"),
        (False, "all predefined address pools have been fully subnetted"),
    ],
)
def test_exhausted_pools(rotating, message):
    allocator = SubnetAllocator(BUILTIN_POOLS, rotating=rotating)
    with pytest.raises(DockerError, match=message):
        allocator.allocate([IPv4Network("0.0.0.0/0")], [])
