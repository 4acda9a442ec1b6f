"""Docker 28.5's behaviour (moby v28.5.2 iptabler; docker-reference.md §2.2).

FORWARD only jumps to DOCKER-USER and DOCKER-FORWARD; per-network rules are
appended to DOCKER-FORWARD, DOCKER-CT and DOCKER-BRIDGE (oldest network
first); published-port ACCEPTs are inserted at the top of filter DOCKER; every
endpoint gets a raw PREROUTING DROP for traffic that does not come in on its
bridge.
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
    raw,
)
from netsim.docker.model import Network
from netsim.docker.ports import PortMapping


class ModernProfile(EngineProfile):
    """Docker 28.5.2 with CLI 28.5.2."""

    version = "28.5"

    def daemon_chains(self, options: DaemonOptions) -> list[RuleCommand]:
        """Create the nat and filter chains and FORWARD's two jumps."""
        return [
            nat("-N", "DOCKER"),
            filt("-N", "DOCKER"),
            filt("-N", "DOCKER-FORWARD"),
            filt("-N", "DOCKER-BRIDGE"),
            filt("-N", "DOCKER-CT"),
            filt("-N", "DOCKER-ISOLATION-STAGE-1"),
            filt("-N", "DOCKER-ISOLATION-STAGE-2"),
            filt("-A", "DOCKER-FORWARD", "-j", "DOCKER-CT"),
            filt("-A", "DOCKER-FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"),
            filt("-A", "DOCKER-FORWARD", "-j", "DOCKER-BRIDGE"),
            ("?-D",) + filt("-D", "FORWARD", "-j", "DOCKER-FORWARD"),
            filt("-I", "FORWARD", "-j", "DOCKER-FORWARD"),
        ]

    def daemon_finish(self, options: DaemonOptions) -> list[RuleCommand]:
        """Create DOCKER-USER (empty since 28.3) and jump to it first."""
        return [
            filt("-N", "DOCKER-USER"),
            ("?-D",) + filt("-D", "FORWARD", "-j", "DOCKER-USER"),
            filt("-I", "FORWARD", "-j", "DOCKER-USER"),
        ]

    def network_rules(self, network: Network, options: DaemonOptions) -> list[RuleCommand]:
        """Return iptabler's setupIPTables for one bridge network."""
        bridge = network.bridge_name
        subnet = str(network.subnet)
        if network.internal:
            return [
                filt("-I", "DOCKER-ISOLATION-STAGE-1", "!", "-d", subnet, "-i", bridge,
                     "-j", "DROP"),
                filt("-I", "DOCKER-ISOLATION-STAGE-1", "!", "-s", subnet, "-o", bridge,
                     "-j", "DROP"),
                filt("-A", "DOCKER-FORWARD", "-i", bridge, "-o", bridge,
                     "-j", "ACCEPT" if network.icc else "DROP"),
            ]
        rules: list[RuleCommand] = [
            nat("-I", "POSTROUTING", "-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE"),
        ]
        if options.userland_proxy:
            rules.append(nat("-I", "DOCKER", "-i", bridge, "-j", "RETURN"))
            output_jump = nat("-A", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype",
                              "--dst-type", "LOCAL", "-j", "DOCKER")
        else:
            rules.append(nat("-I", "POSTROUTING", "-o", bridge, "-m", "addrtype",
                             "--src-type", "LOCAL", "-j", "MASQUERADE"))
            output_jump = nat("-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL",
                              "-j", "DOCKER")
        rules += [
            ("?once",) + nat("-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL",
                             "-j", "DOCKER"),
            ("?once",) + output_jump,
        ]
        if network.icc:
            rules.append(filt("-A", "DOCKER-FORWARD", "-i", bridge, "-j", "ACCEPT"))
        else:
            rules.append(filt("-A", "DOCKER-FORWARD", "-i", bridge, "-o", bridge, "-j", "DROP"))
            rules.append(filt("-A", "DOCKER-FORWARD", "-i", bridge, "!", "-o", bridge,
                              "-j", "ACCEPT"))
        rules += [
            filt("-A", "DOCKER", "!", "-i", bridge, "-o", bridge, "-j", "DROP"),
            filt("-A", "DOCKER-CT", "-o", bridge, "-m", "conntrack", "--ctstate",
                 "RELATED,ESTABLISHED", "-j", "ACCEPT"),
            filt("-A", "DOCKER-BRIDGE", "-o", bridge, "-j", "DOCKER"),
            filt("-A", "DOCKER-ISOLATION-STAGE-1", "-i", bridge, "!", "-o", bridge,
                 "-j", "DOCKER-ISOLATION-STAGE-2"),
            filt("-I", "DOCKER-ISOLATION-STAGE-2", "-o", bridge, "-j", "DROP"),
        ]
        return rules

    def endpoint_rules(self, network: Network, address: IPv4Address) -> list[RuleCommand]:
        """Drop traffic to the endpoint that does not arrive on its bridge (28.0.2+)."""
        if network.internal:
            return []
        return [raw("-A", "PREROUTING", "-d", f"{address}/32", "!", "-i", network.bridge_name,
                    "-j", "DROP")]

    def port_rules(self, network: Network, address: IPv4Interface, mapping: PortMapping,
                   options: DaemonOptions) -> list[RuleCommand]:
        """Return iptabler's per-port rules (port.go)."""
        bridge = network.bridge_name
        ip = str(address.ip)
        port = str(mapping.container_port)
        host_ip = mapping.host_ip
        dest = () if host_ip.is_unspecified else ("-d", f"{host_ip}/32")
        not_bridge = ("!", "-i", bridge) if options.userland_proxy else ()
        rules: list[RuleCommand] = [
            filt("-I", "DOCKER", "-d", f"{ip}/32", "!", "-i", bridge, "-o", bridge,
                 *proto_match(mapping.proto), "--dport", port, "-j", "ACCEPT"),
            nat("-A", "DOCKER", *dest, *not_bridge, *proto_match(mapping.proto),
                "--dport", str(mapping.host_port), "-j", "DNAT",
                "--to-destination", f"{ip}:{port}"),
        ]
        if not options.userland_proxy:
            rules.append(nat("-A", "POSTROUTING", "-s", f"{ip}/32", "-d", f"{ip}/32",
                             *proto_match(mapping.proto), "--dport", port, "-j", "MASQUERADE"))
        if host_ip.is_loopback:
            rules.append(raw("-A", "PREROUTING", "-d", f"{host_ip}/32", "!", "-i", "lo",
                             *proto_match(mapping.proto), "--dport", str(mapping.host_port),
                             "-j", "DROP"))
        return rules

    def bind_error(self, mapping: PortMapping, container_ip: IPv4Address,
                   userland_proxy: bool) -> str:
        """Return 28's own bind failure (the daemon binds the host port itself)."""
        host = (f"{mapping.host_ip}" if mapping.host_ip.version == 4
                else f"[{mapping.host_ip}]")
        return (f"failed to bind host port for {host}:{mapping.host_port}:{container_ip}:"
                f"{mapping.container_port}/{mapping.proto}: address already in use")

    def task_error(self, text: str) -> str:
        """Prefix runtime failures as 28 does."""
        return f"failed to create task for container: {text}"

    def networking_error(self, text: str) -> str:
        """Prefix endpoint failures as 28.0.1+ does."""
        return f"failed to set up container networking: {text}"

    def run_error(self, message: str, *, at_create: bool) -> str:
        """Return CLI 28's ``docker: ERR`` and the help hint."""
        return f"docker: {message}\n\nRun 'docker run --help' for more information\n"

    def format_v6_binding(self, port: int) -> str:
        """Return CLI 23+'s ``[::]:PORT``."""
        return f"[::]:{port}"
