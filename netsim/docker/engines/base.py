"""What every engine profile provides, and helpers the recipes share."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface

from netsim.docker.model import Network
from netsim.docker.ports import PortMapping

# iptables argv without the program name. A recipe may start a command with a
# marker: "?-D" deletes if present, "?once" appends unless present, "?ensure"
# inserts a shared jump that no single network owns (it stays when one goes).
RuleCommand = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DaemonOptions:
    """The dockerd settings the recipes depend on, with Docker's defaults filled in."""

    icc: bool
    userland_proxy: bool
    ip_forward: bool


def to_delete(rule: RuleCommand) -> RuleCommand:
    """Turn an ``-A CHAIN ...`` / ``-I CHAIN [N] ...`` command into ``-D CHAIN ...``."""
    words = list(rule)
    for i, word in enumerate(words):
        if word in ("-A", "-I"):
            del_words = words[:i] + ["-D", words[i + 1]]
            rest = words[i + 2:]
            if word == "-I" and rest and rest[0].isdigit():
                rest = rest[1:]
            return tuple(del_words + rest)
    raise ValueError(f"not an append or insert: {' '.join(rule)}")


def nat(*words: str) -> RuleCommand:
    """Return an iptables command on the nat table."""
    return ("-t", "nat", *words)


def filt(*words: str) -> RuleCommand:
    """Return an iptables command on the filter table."""
    return ("-t", "filter", *words)


def raw(*words: str) -> RuleCommand:
    """Return an iptables command on the raw table."""
    return ("-t", "raw", *words)


def proto_match(proto: str) -> tuple[str, ...]:
    """Return ``-p P -m P`` as libnetwork writes it."""
    return ("-p", proto, "-m", proto)


class EngineProfile:
    """Base of the two profiles; subclasses fill in each version's behaviour."""

    version: str = ""
    rotating_subnets: bool = False
    shared_port_maps: bool = True
    mac_from_ip: bool = False
    ignores_ip_on_default_bridge: bool = False
    internal_keeps_default_route: bool = False
    veth_in_sandbox: bool = True
    ipv6_off_per_interface: bool = True

    # -- iptables recipes --------------------------------------------------
    def daemon_chains(self, options: DaemonOptions) -> list[RuleCommand]:
        """Return the commands that create Docker's chains at daemon start."""
        raise NotImplementedError

    def daemon_finish(self, options: DaemonOptions) -> list[RuleCommand]:
        """Return the commands run after the default network exists (DOCKER-USER)."""
        raise NotImplementedError

    def network_rules(self, network: Network, options: DaemonOptions) -> list[RuleCommand]:
        """Return the commands that set up a bridge network's rules, in order."""
        raise NotImplementedError

    def after_network(self, options: DaemonOptions) -> list[RuleCommand]:
        """Return the commands run after every network creation (jump re-ordering)."""
        return []

    def endpoint_rules(self, network: Network, address: IPv4Address) -> list[RuleCommand]:
        """Return per-endpoint rules (28's raw direct-access DROP)."""
        return []

    def port_rules(self, network: Network, address: IPv4Interface, mapping: PortMapping,
                   options: DaemonOptions) -> list[RuleCommand]:
        """Return the rules of one published IPv4 binding."""
        raise NotImplementedError

    def link_rules(self, network: Network, parent: IPv4Address, child: IPv4Address,
                   ports: list[tuple[int, str]]) -> list[RuleCommand]:
        """Return the icc=false ACCEPT pair for each exposed port of a link's child."""
        rules: list[RuleCommand] = []
        bridge = network.bridge_name
        for port, proto in ports:
            rules.append(filt("-A", "DOCKER", "-s", f"{parent}/32", "-d", f"{child}/32",
                              "-i", bridge, "-o", bridge, *proto_match(proto),
                              "--dport", str(port), "-j", "ACCEPT"))
            rules.append(filt("-A", "DOCKER", "-s", f"{child}/32", "-d", f"{parent}/32",
                              "-i", bridge, "-o", bridge, *proto_match(proto),
                              "--sport", str(port), "-j", "ACCEPT"))
        return rules

    # -- what the daemon and CLI print ---------------------------------------
    def generate_mac(self, address: IPv4Address, random_bytes: bytes) -> str:
        """Return a container interface's MAC address."""
        if self.mac_from_ip:
            return "02:42:" + ":".join(f"{b:02x}" for b in address.packed)
        first = (random_bytes[0] & 0xFE) | 0x02
        return ":".join(f"{b:02x}" for b in (first, *random_bytes[1:6]))

    def bind_error(self, mapping: PortMapping, container_ip: IPv4Address,
                   userland_proxy: bool) -> str:
        """Return the error when the host port is taken by a program outside Docker."""
        raise NotImplementedError

    def task_error(self, text: str) -> str:
        """Wrap the runtime's failure to start a container's process."""
        return text

    def networking_error(self, text: str) -> str:
        """Wrap an endpoint setup failure as the daemon reports it."""
        return text

    def run_error(self, message: str, *, at_create: bool) -> str:
        """Return what ``docker run`` prints for a daemon error."""
        raise NotImplementedError

    def format_v6_binding(self, port: int) -> str:
        """Return how ``docker port`` prints an IPv6 any-address binding."""
        raise NotImplementedError
