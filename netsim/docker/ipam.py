"""Docker's IPAM: subnets for networks from the default pools, addresses inside them.

Behaviour copied from libnetwork (docker-reference.md §1):
- inside a subnet the network and broadcast addresses are reserved, the
  gateway takes the first free address, and every request takes the lowest
  free address (a released one is reused at once);
- subnets for networks without ``--subnet`` come from the default pools:
  20.10 scans the pool list rotated at a start index that moves past each
  subnet it hands out (a freed subnet is not reused at once); 27+ takes the
  lowest free subnet of the pools sorted by address.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from netsim.errors import DockerError
from netsim.scenario.spec import AddressPoolSpec

# libnetwork ipamutils: the local-scope default pools, in order.
BUILTIN_POOLS: tuple[AddressPoolSpec, ...] = (
    AddressPoolSpec(IPv4Network("172.17.0.0/16"), 16),
    AddressPoolSpec(IPv4Network("172.18.0.0/16"), 16),
    AddressPoolSpec(IPv4Network("172.19.0.0/16"), 16),
    AddressPoolSpec(IPv4Network("172.20.0.0/14"), 16),
    AddressPoolSpec(IPv4Network("172.24.0.0/14"), 16),
    AddressPoolSpec(IPv4Network("172.28.0.0/14"), 16),
    AddressPoolSpec(IPv4Network("192.168.0.0/16"), 20),
)


def split_pools(pools: tuple[AddressPoolSpec, ...]) -> list[IPv4Network]:
    """Return every subnet the pools yield, pool by pool, in order (small pools only)."""
    return [subnet for pool in pools for subnet in _pool_subnets(pool)]


def pool_subnets(pools: tuple[AddressPoolSpec, ...], *, sort: bool) -> Iterator[IPv4Network]:
    """Yield the pools' subnets lazily: in list order, or sorted by address (27+)."""
    ordered = sorted(pools, key=lambda p: (int(p.base.network_address), p.size)) if sort else pools
    for pool in ordered:
        yield from _pool_subnets(pool)


def _pool_subnets(pool: AddressPoolSpec) -> Iterator[IPv4Network]:
    """Yield a pool's subnets lazily, in address order."""
    if pool.size < pool.base.prefixlen:
        yield pool.base
        return
    step = 1 << (32 - pool.size)
    first = int(pool.base.network_address)
    for start in range(first, first + pool.base.num_addresses, step):
        yield IPv4Network((start, pool.size))


def _pool_count(pool: AddressPoolSpec) -> int:
    return 1 if pool.size < pool.base.prefixlen else 1 << (pool.size - pool.base.prefixlen)


def _pool_subnet(pool: AddressPoolSpec, index: int) -> IPv4Network:
    if pool.size < pool.base.prefixlen:
        return pool.base
    return IPv4Network((int(pool.base.network_address) + (index << (32 - pool.size)), pool.size))


@dataclass(slots=True)
class AddressPool:
    """The addresses of one network's subnet; allocates the lowest free one."""

    subnet: IPv4Network
    ip_range: IPv4Network | None = None
    allocated: set[IPv4Address] = field(default_factory=set)
    # Per scope (subnet or ip-range), an address below which none is free: the
    # next lowest-free search starts there instead of at the network address.
    _free_from: dict[IPv4Network, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.subnet.prefixlen < 31:
            self.allocated.add(self.subnet.network_address)
            self.allocated.add(self.subnet.broadcast_address)

    def allocate(self, address: IPv4Address | None = None, *, in_range: bool = True) -> IPv4Address:
        """Allocate ``address``, or the lowest free one (inside ``--ip-range`` if any).

        Raises:
            DockerError: the address is taken or outside the subnet, or none is free.
        """
        if address is not None:
            if address not in self.subnet:
                raise DockerError("Requested address is out of range")
            if address in self.allocated:
                raise DockerError("Address already in use")
            self.allocated.add(address)
            return address
        scope = self.ip_range if (in_range and self.ip_range is not None) else self.subnet
        first = self._free_from.get(scope, int(scope.network_address))
        for number in range(first, int(scope.broadcast_address) + 1):
            candidate = IPv4Address(number)
            if candidate not in self.allocated:
                self.allocated.add(candidate)
                self._free_from[scope] = number + 1
                return candidate
        self._free_from[scope] = int(scope.broadcast_address) + 1
        raise DockerError("no available IPv4 addresses")

    def release(self, address: IPv4Address) -> None:
        """Return an address to the pool."""
        self.allocated.discard(address)
        for scope, first in list(self._free_from.items()):
            if int(address) < first:
                self._free_from[scope] = max(int(address), int(scope.network_address))


@dataclass(slots=True)
class SubnetAllocator:
    """Hands out subnets to new networks from the default address pools.

    ``rotating`` selects 20.10's behaviour (start index that moves on);
    otherwise 27+'s first fit over the pools sorted by address.
    """

    pools: tuple[AddressPoolSpec, ...]
    rotating: bool
    start_index: int = 0

    def allocate(self, in_use: list[IPv4Network], reserved: list[IPv4Network]) -> IPv4Network:
        """Return a free subnet that overlaps neither ``in_use`` nor ``reserved``.

        Raises:
            DockerError: with the version's "pools exhausted" message.
        """
        if not self.rotating:
            for subnet in pool_subnets(self.pools, sort=True):
                if not _overlaps(subnet, in_use) and not _overlaps(subnet, reserved):
                    return subnet
            raise DockerError("all predefined address pools have been fully subnetted")
        # Subnets are addressed by their index in the pools' list, so a huge
        # pool is never materialised.
        counts = [_pool_count(pool) for pool in self.pools]
        count = sum(counts)

        def nth(index: int) -> IPv4Network:
            for pool, size in zip(self.pools, counts, strict=True):
                if index < size:
                    return _pool_subnet(pool, index)
                index -= size
            raise IndexError(index)

        for i in range(count):
            subnet = nth((self.start_index + i) % count)
            if _overlaps(subnet, in_use):
                continue
            # 20.10: the caller asks again past subnets overlapping host routes
            # or nameservers; the start index has moved past them as well.
            self.start_index = (self.start_index + i + 1) % count if count else 0
            if _overlaps(subnet, reserved):
                continue
            return subnet
        raise DockerError(
            "could not find an available, non-overlapping IPv4 address pool among the defaults"
            " to assign to the network"
        )


def _overlaps(subnet: IPv4Network, others: list[IPv4Network]) -> bool:
    return any(subnet.overlaps(other) for other in others)
