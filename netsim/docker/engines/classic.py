"""Docker 20.10's behaviour (libnetwork vendored in moby v20.10; docker-reference.md §2.1).

Rule order comes from replaying libnetwork's calls: per network
``setupIPTablesInternal`` inserts its rules, ``ProgramChain`` adds the jumps,
``EnsureJumpRule`` moves the isolation jump to the top of FORWARD and
``arrangeUserFilterRule`` puts DOCKER-USER above it after every network.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface

from netsim.docker.engines.base import (
    DaemonOptions,
    EngineProfile,
    RuleCommand,
    filt,
    nat,
    proto_match,
)
from netsim.docker.model import Network
from netsim.docker.ports import PortMapping


class ClassicProfile(EngineProfile):
    """Docker 20.10.24 with its own CLI."""

    version = "20.10"
    rotating_subnets = True
    shared_port_maps = False
    mac_from_ip = True
    ignores_ip_on_default_bridge = True
    internal_keeps_default_route = True
    veth_in_sandbox = False
    ipv6_off_per_interface = False

    def daemon_chains(self, options: DaemonOptions) -> list[RuleCommand]:
        """Create nat DOCKER and filter DOCKER and the isolation chains (with RETURN)."""
        return [
            nat("-N", "DOCKER"),
            filt("-N", "DOCKER"),
            filt("-N", "DOCKER-ISOLATION-STAGE-1"),
            filt("-N", "DOCKER-ISOLATION-STAGE-2"),
            filt("-A", "DOCKER-ISOLATION-STAGE-1", "-j", "RETURN"),
            filt("-A", "DOCKER-ISOLATION-STAGE-2", "-j", "RETURN"),
        ]

    def daemon_finish(self, options: DaemonOptions) -> list[RuleCommand]:
        """Create DOCKER-USER with its RETURN and jump to it first from FORWARD."""
        return [
            filt("-N", "DOCKER-USER"),
            filt("-A", "DOCKER-USER", "-j", "RETURN"),
        ]

    def after_network(self, options: DaemonOptions) -> list[RuleCommand]:
        """Move the DOCKER-USER jump to the top of FORWARD (arrangeUserFilterRule)."""
        return [("?-D",) + filt("-D", "FORWARD", "-j", "DOCKER-USER"),
                filt("-I", "FORWARD", "-j", "DOCKER-USER")]

    def network_rules(self, network: Network, options: DaemonOptions) -> list[RuleCommand]:
        """Return setupIPTablesInternal + ProgramChain + isolation for one bridge."""
        bridge = network.bridge_name
        subnet = str(network.subnet)
        rules: list[RuleCommand] = []
        if network.internal:
            rules += [
                filt("-I", "DOCKER-ISOLATION-STAGE-1", "!", "-d", subnet, "-i", bridge,
                     "-j", "DROP"),
                filt("-I", "DOCKER-ISOLATION-STAGE-1", "!", "-s", subnet, "-o", bridge,
                     "-j", "DROP"),
            ]
            if network.icc:
                rules.append(filt("-I", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT"))
            else:
                rules.append(filt("-A", "FORWARD", "-i", bridge, "-o", bridge, "-j", "DROP"))
            # EnsureJumpRule runs for internal networks too: the isolation jump goes back on top.
            rules += [
                ("?-D",) + filt("-D", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"),
                ("?ensure",) + filt("-I", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"),
            ]
            return rules
        rules.append(nat("-I", "POSTROUTING", "-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE"))
        if options.userland_proxy:
            rules.append(nat("-I", "DOCKER", "-i", bridge, "-j", "RETURN"))
        else:
            rules.append(nat("-I", "POSTROUTING", "-o", bridge, "-m", "addrtype",
                             "--src-type", "LOCAL", "-j", "MASQUERADE"))
        if network.icc:
            rules.append(filt("-I", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT"))
        else:
            rules.append(filt("-A", "FORWARD", "-i", bridge, "-o", bridge, "-j", "DROP"))
        rules.append(filt("-I", "FORWARD", "-i", bridge, "!", "-o", bridge, "-j", "ACCEPT"))
        if options.userland_proxy:
            output_jump = nat("-A", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype",
                              "--dst-type", "LOCAL", "-j", "DOCKER")
        else:
            output_jump = nat("-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL",
                              "-j", "DOCKER")
        rules += [
            ("?once",) + nat("-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL",
                             "-j", "DOCKER"),
            ("?once",) + output_jump,
            filt("-I", "FORWARD", "-o", bridge, "-j", "DOCKER"),
            filt("-I", "FORWARD", "-o", bridge, "-m", "conntrack", "--ctstate",
                 "RELATED,ESTABLISHED", "-j", "ACCEPT"),
            ("?-D",) + filt("-D", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"),
            ("?ensure",) + filt("-I", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"),
            filt("-I", "DOCKER-ISOLATION-STAGE-1", "-i", bridge, "!", "-o", bridge,
                 "-j", "DOCKER-ISOLATION-STAGE-2"),
            filt("-I", "DOCKER-ISOLATION-STAGE-2", "-o", bridge, "-j", "DROP"),
        ]
        return rules

    def port_rules(self, network: Network, address: IPv4Interface, mapping: PortMapping,
                   options: DaemonOptions) -> list[RuleCommand]:
        """Return ChainInfo.Forward's DNAT, ACCEPT and hairpin MASQUERADE (always in 20.10)."""
        bridge = network.bridge_name
        ip = str(address.ip)
        dest = () if mapping.host_ip.is_unspecified else ("-d", f"{mapping.host_ip}/32")
        not_bridge = ("!", "-i", bridge) if options.userland_proxy else ()
        port = str(mapping.container_port)
        return [
            nat("-A", "DOCKER", *dest, *not_bridge, *proto_match(mapping.proto),
                "--dport", str(mapping.host_port), "-j", "DNAT",
                "--to-destination", f"{ip}:{port}"),
            filt("-A", "DOCKER", "-d", f"{ip}/32", "!", "-i", bridge, "-o", bridge,
                 *proto_match(mapping.proto), "--dport", port, "-j", "ACCEPT"),
            nat("-A", "POSTROUTING", "-s", f"{ip}/32", "-d", f"{ip}/32",
                *proto_match(mapping.proto), "--dport", port, "-j", "MASQUERADE"),
        ]

    def bind_error(self, mapping: PortMapping, container_ip: IPv4Address,
                   userland_proxy: bool) -> str:
        """Return docker-proxy's bind failure as 20.10 passes it on."""
        family = "tcp4" if mapping.host_ip.version == 4 else "tcp6"
        if mapping.proto == "udp":
            family = family.replace("tcp", "udp")
        host = (f"{mapping.host_ip}" if mapping.host_ip.version == 4
                else f"[{mapping.host_ip}]")
        return (f"Error starting userland proxy: listen {family} {host}:{mapping.host_port}: "
                "bind: address already in use")

    def run_error(self, message: str, *, at_create: bool) -> str:
        """Return CLI 20.10's ``docker: ERR.`` with the help line for create errors."""
        text = message if message.endswith(".") else message + "."
        out = f"docker: {text}\n"
        if at_create:
            out += "See 'docker run --help'.\n"
        return out

    def format_v6_binding(self, port: int) -> str:
        """Return CLI 20.10's ``:::PORT``."""
        return f":::{port}"
