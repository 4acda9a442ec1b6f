"""What the daemon asks of Linux: the operations libnetwork performs on the host.

``Plumbing`` is the daemon's only door to the kernel model. The world builds
one over the host's network namespace; every call changes kernel state as
the matching netlink/iptables call would on a real host.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Protocol


class Plumbing(Protocol):
    """The kernel operations dockerd performs."""

    def iptables(self, argv: tuple[str, ...]) -> None:
        """Run an iptables command in the host namespace; raise IptablesError on failure."""

    def iptables_try(self, argv: tuple[str, ...]) -> bool:
        """Run an iptables command, returning whether it succeeded (for -C and -D)."""

    def sysctl_get(self, key: str) -> str:
        """Return a host sysctl's value."""

    def sysctl_set(self, key: str, value: str) -> None:
        """Set a host sysctl."""

    def host_port_in_use(self, proto: str, port: int) -> bool:
        """Return whether a program on the host already listens on PORT/PROTO."""

    def host_ports_in_use(self, proto: str) -> set[int]:
        """Return every port a program on the host listens on for PROTO."""

    def lan_subnet(self) -> IPv4Network:
        """Return the subnet of the host's LAN (an on-link route Docker's IPAM avoids)."""

    def link_exists(self, name: str) -> bool:
        """Return whether the host already has a link of that name."""

    def create_bridge(self, name: str, address: IPv4Interface, mac: str) -> None:
        """Create and bring up a bridge with its gateway address."""

    def delete_bridge(self, name: str) -> None:
        """Delete a bridge."""

    def set_bridge_down(self, name: str) -> None:
        """Bring a bridge down (libnetwork leaves a half-made one so)."""

    def create_namespace(self, owner: str) -> None:
        """Create a container's network namespace with lo up."""

    def use_host_namespace(self, owner: str) -> None:
        """Let a container use the host's namespace (``--network host``)."""

    def share_namespace(self, owner: str, other: str) -> None:
        """Let a container join another container's namespace."""

    def delete_namespace(self, owner: str) -> None:
        """Drop a container's reference to its namespace (deleted with the last user)."""

    def attach_endpoint(
        self,
        owner: str,
        bridge: str,
        host_veth: str,
        ifname: str,
        address: IPv4Interface,
        mac: str,
        gateway: IPv4Address | None,
    ) -> None:
        """Create a veth pair, enslave one end to the bridge, move the other in as IFNAME."""

    def detach_endpoint(self, owner: str, host_veth: str) -> None:
        """Delete an endpoint's veth pair."""

    def set_default_route(self, owner: str, gateway: IPv4Address, ifname: str) -> None:
        """Point a container's default route at GATEWAY through IFNAME."""

    def sandbox_iptables(self, owner: str, argv: tuple[str, ...]) -> None:
        """Run an iptables command inside a container's namespace."""

    def sandbox_iptables_later(self, owner: str, argv: tuple[str, ...]) -> None:
        """Run, once something reads them, a command that cannot fail on a new sandbox's tables."""
