"""Docker 20.10's behaviour (libnetwork vendored in moby v20.10; docker-reference.md §2.1).

Rule order comes from replaying libnetwork's calls: per network
``setupIPTablesInternal`` inserts its rules, ``ProgramChain`` adds the jumps,
``EnsureJumpRule`` moves the isolation jump to the top of FORWARD and
``arrangeUserFilterRule`` puts DOCKER-USER above it after every network.
"""

from __future__ import annotations

from collections.abc import Mapping
from ipaddress import IPv4Address, IPv4Interface
from types import MappingProxyType
from typing import TYPE_CHECKING

from netsim.docker.engines.base import (
    DaemonOptions,
    EngineProfile,
    RuleCommand,
    arguments,
    dnat_argv,
    filt,
    iptables_failure,
    is_dnat_rule,
    nat,
    port_accept,
    port_dnat,
    port_hairpin,
)
from netsim.docker.model import Container, Network
from netsim.docker.ports import PortMapping, PortRequest

if TYPE_CHECKING:
    from netsim.docker.commandline import ArgumentCount


class ClassicProfile(EngineProfile):
    """Docker 20.10.24 with its own CLI."""

    version = "20.10"

    rotating_subnets = True
    shared_port_maps = False
    mac_from_ip = True
    ignores_ip_on_default_bridge = True
    accepts_aliases_on_default_bridge = True
    checks_links_after_networking = True
    link_env_by_protocol = False
    refuses_ip_without_user_subnet_at_create = False
    internal_keeps_default_route = True
    veth_in_sandbox = False
    numbers_interfaces_per_sandbox = True
    ipv6_off_per_interface = False

    hosts_head = (
        "127.0.0.1\tlocalhost\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\n"
        "fe00::0\tip6-localnet\n"
        "ff00::0\tip6-mcastprefix\n"
        "ff02::1\tip6-allnodes\n"
        "ff02::2\tip6-allrouters\n"
    )
    hosts_leave_by_short_id = True
    annotates_resolv_conf = False
    masked_paths = (
        "/proc/asound",
        "/proc/acpi",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
    )
    docker_version = "20.10.24+dfsg1"
    legacy_builder_banner = ""
    build_removed_format = "Removing intermediate container {}"
    names_bad_repository = False
    image_inspect_container_config = True
    image_list_counts_containers = False
    push_timeout_is_deadline = False
    exec_not_found_exit_code = 126
    embedded_dns_answers_unresolvable = False
    pool_overlap_message = "Pool overlaps with other one on this address space"
    template_range_over_int = False
    bridge_name_range_message = (
        "failed to check bridge interface existence: numerical result out of range"
    )
    host_disconnect_message = (
        "container cannot be disconnected from host network or connected to host network"
    )

    short_id_in_aliases = True
    connected_aliases_never_null = False
    endpoint_settings_have_dns_names = False
    default_network_mode_shown_as_bridge = False
    console_size_after_volumes_from = False
    host_config_has_kernel_memory = True
    host_config_lists_not_null = False
    sandbox_key_before_hairpin = False
    graph_driver_data_has_id = False
    default_bridge_ipam_shows_gateway = False
    network_inspect_has_enable_ipv4 = False

    cli_refuses_aliases_off_user_networks = False
    cli_refuses_links_in_special_modes = True
    sorts_port_listing = False
    brackets_ipv6_hosts = False
    binds_port_families_in_random_order = False
    network_rm_reports_exit_status = False
    cli_normalizes_capabilities = False
    cli_lacks_flags: Mapping[str, frozenset[str]] = MappingProxyType(
        {"network rm": frozenset({"force"})}
    )
    # CLI 20.10.24 answers `docker container remove` with the container help.
    cli_lacks_aliases: frozenset[str] = frozenset({"container remove"})

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
        return [
            ("?-D",) + filt("-D", "FORWARD", "-j", "DOCKER-USER"),
            filt("-I", "FORWARD", "-j", "DOCKER-USER"),
        ]

    def network_rules(self, network: Network, options: DaemonOptions) -> list[RuleCommand]:
        """Return setupIPTablesInternal + ProgramChain + isolation for one bridge."""
        bridge = network.bridge_name
        subnet = str(network.subnet)
        rules: list[RuleCommand] = []
        if network.internal:
            rules += [
                filt(
                    "-I", "DOCKER-ISOLATION-STAGE-1", "!", "-d", subnet, "-i", bridge, "-j", "DROP"
                ),
                filt(
                    "-I", "DOCKER-ISOLATION-STAGE-1", "!", "-s", subnet, "-o", bridge, "-j", "DROP"
                ),
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
            rules.append(
                nat(
                    "-I",
                    "POSTROUTING",
                    "-o",
                    bridge,
                    "-m",
                    "addrtype",
                    "--src-type",
                    "LOCAL",
                    "-j",
                    "MASQUERADE",
                )
            )
        if network.icc:
            rules.append(filt("-I", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT"))
        else:
            rules.append(filt("-A", "FORWARD", "-i", bridge, "-o", bridge, "-j", "DROP"))
        rules.append(filt("-I", "FORWARD", "-i", bridge, "!", "-o", bridge, "-j", "ACCEPT"))
        if options.userland_proxy:
            output_jump = nat(
                "-A",
                "OUTPUT",
                "!",
                "-d",
                "127.0.0.0/8",
                "-m",
                "addrtype",
                "--dst-type",
                "LOCAL",
                "-j",
                "DOCKER",
            )
        else:
            output_jump = nat(
                "-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"
            )
        rules += [
            ("?once",)
            + nat("-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"),
            ("?once",) + output_jump,
            filt("-I", "FORWARD", "-o", bridge, "-j", "DOCKER"),
            filt(
                "-I",
                "FORWARD",
                "-o",
                bridge,
                "-m",
                "conntrack",
                "--ctstate",
                "RELATED,ESTABLISHED",
                "-j",
                "ACCEPT",
            ),
            ("?-D",) + filt("-D", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"),
            ("?ensure",) + filt("-I", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"),
            filt(
                "-I",
                "DOCKER-ISOLATION-STAGE-1",
                "-i",
                bridge,
                "!",
                "-o",
                bridge,
                "-j",
                "DOCKER-ISOLATION-STAGE-2",
            ),
            filt("-I", "DOCKER-ISOLATION-STAGE-2", "-o", bridge, "-j", "DROP"),
        ]
        return rules

    def port_rules(
        self, network: Network, address: IPv4Interface, mapping: PortMapping, options: DaemonOptions
    ) -> list[RuleCommand]:
        """Return ChainInfo.Forward's DNAT, ACCEPT and hairpin MASQUERADE (always in 20.10)."""
        return [
            port_dnat(network, address, mapping, options.userland_proxy),
            port_accept("-A", network, address, mapping),
            port_hairpin(address, mapping),
        ]

    def publish_order(self, requests: list[PortRequest]) -> list[PortRequest]:
        """Allocate fixed host ports first, highest first, then by container port descending."""
        return sorted(requests, key=lambda r: (-(r.host_port_start or 0), -r.container_port))

    def bind_error(
        self, mapping: PortMapping, container_ip: IPv4Address, userland_proxy: bool
    ) -> str:
        """Return docker-proxy's bind failure as 20.10 passes it on."""
        family = "tcp4" if mapping.host_ip.version == 4 else "tcp6"
        if mapping.proto == "udp":
            family = family.replace("tcp", "udp")
        host = f"{mapping.host_ip}" if mapping.host_ip.version == 4 else f"[{mapping.host_ip}]"
        return (
            f"Error starting userland proxy: listen {family} {host}:{mapping.host_port}: "
            "bind: address already in use"
        )

    def task_error(self, text: str) -> str:
        """Pass the runtime's failure on as it is."""
        return text

    def rule_error(self, rule: RuleCommand, stderr: str, exit_code: int) -> str:
        """Wrap an iptables failure as 20.10's libnetwork does (no ``-t filter`` in its argv)."""
        if is_dnat_rule(rule):
            return f" ({iptables_failure(dnat_argv(rule), stderr, exit_code)})"
        argv = rule[2:] if rule[:2] == ("-t", "filter") else rule
        failure = iptables_failure(argv, stderr, exit_code)
        if argv[:2] == ("-I", "FORWARD") and argv[-2:] == ("-j", "DOCKER"):
            return f"Failed to program FILTER chain: {failure}"
        if argv == ("-I", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"):
            return (
                "unable to insert jump to DOCKER-ISOLATION-STAGE-1 rule in FORWARD chain:  "
                f"({failure})"
            )
        return failure

    def networking_error(self, text: str) -> str:
        """Pass the endpoint failure on as it is."""
        return text

    def address_outside_subnets_error(self, address: IPv4Address, network: str | None) -> str:
        """Return 20.10's ``Invalid address``, raised as the endpoint joins."""
        return f"Invalid address {address}: It does not belong to any of this network's subnets"

    def invalid_filter_error(self, key: str) -> str:
        """Return 20.10's capitalised ``Invalid filter``."""
        return f"Invalid filter '{key}'"

    def requested_address_error(self, pool_message: str) -> str:
        """Pass IPAM's own message on (``Requested address is out of range``)."""
        return pool_message

    def join_missing_error(self, reference: str) -> str:
        """Return the plain lookup failure."""
        return f"No such container: {reference}"

    def join_not_running_error(self, reference: str, target: Container) -> str:
        """Return 20.10's refusal, naming the reference as typed."""
        return f"cannot join network of a non running container: {reference}"

    def remove_running_error(self, container: Container) -> str:
        """Return 20.10's refusal, naming the full ID."""
        return (
            f"You cannot remove a running container {container.id}. Stop the container "
            "before attempting removal or force remove"
        )

    def active_endpoints_error(self, network: Network, users: list[Container]) -> str:
        """Return 20.10's refusal, naming the network's ID but not the endpoints."""
        return (
            f"error while removing network: network {network.name} id {network.id} has "
            "active endpoints"
        )

    def already_connected_error(self, container: Container, network: Network) -> str:
        """Return libnetwork's endpoint clash, running or not."""
        return f"endpoint with name {container.name} already exists in network {network.name}"

    def run_error(self, message: str, *, at_create: bool, command: str) -> str:
        """Return CLI 20.10's ``docker: ERR.`` with the help line for create errors."""
        text = message if message.endswith(".") else message + "."
        out = f"docker: {text}\n"
        if at_create:
            out += f"See 'docker {command} --help'.\n"
        return out

    def wait_cancelled_note(self, timestamp: str) -> str:
        """Return CLI 20.10's log line: it also stopped waiting for the container."""
        return (
            f'time="{timestamp}" level=error msg="error waiting for container: context canceled"\n'
        )

    def usage_error(self, name: str, message: str, usage: str) -> str:
        """Return CLI 20.10's message and its ``See '... --help'.`` line."""
        return f"{message}\nSee '{name} --help'.\n"

    def missing_args_error(self, name: str, count: ArgumentCount, usage: str, summary: str) -> str:
        """Return CLI 20.10's quoted command name, requirement, usage and summary.

        Worded as 20.10.24's cobra validators (cli/required.go), checked with
        wrong argument counts.
        """
        low, high = count.minimum, count.maximum
        if high == 0:
            need = "accepts no arguments"
        elif high is None:
            need = f"requires at least {low} {arguments(low)}"
        elif low == high:
            need = f"requires exactly {low} {arguments(low)}"
        elif low == 0:
            need = f"requires at most {high} {arguments(high)}"
        else:
            need = f"requires at least {low} and at most {high} {arguments(high)}"
        return f"\"{name}\" {need}.\nSee '{name} --help'.\n\nUsage:  {usage}\n\n{summary}\n"

    def image_lookup_error(self, reference: str, normalised: str) -> str:
        """Return CLI 20.10's own ``Error: No such image: X``, X as typed."""
        return f"Error: No such image: {reference}"

    def unknown_command_error(self, path: str) -> str:
        """Return CLI 20.10's ``docker: 'foo' is not a docker command.`` (checked on 20.10.24).

        An unknown subcommand of a management command (``network foo``) gets
        that command's help instead.
        """
        from netsim.docker.cli_commands import CLASSIC_MANAGEMENT_HELP

        words = path.split()
        if len(words) > 1 and words[0] in CLASSIC_MANAGEMENT_HELP:
            return CLASSIC_MANAGEMENT_HELP[words[0]]
        return f"docker: '{words[0]}' is not a docker command.\nSee 'docker --help'\n"

    def management_help(self, name: str) -> str | None:
        """Return CLI 20.10's help of a management command (the text it prints for a bad one)."""
        from netsim.docker.cli_commands import CLASSIC_MANAGEMENT_HELP

        return CLASSIC_MANAGEMENT_HELP.get(name)

    def lookup_error(self, message: str) -> str:
        """Return CLI 20.10's own ``Error: No such container: X``."""
        return f"Error: {message}"

    def network_lookup_error(self, reference: str, message: str) -> str:
        """Return CLI 20.10's own ``Error: No such network: X``, whatever the daemon said."""
        return f"Error: No such network: {reference}"

    def kill_error(self, reference: str, message: str) -> str:
        """Return 20.10's capitalised ``Cannot kill container``."""
        return f"Cannot kill container: {reference}: {message}"

    def exec_not_running_error(self, container: Container) -> str:
        """Return 20.10's capitalised ``Container ID is not running``."""
        return f"Container {container.id} is not running"

    def no_public_port_error(self, typed: str, port: str, proto: str, reference: str) -> str:
        """Return CLI 20.10's error, with the port normalised to PORT/PROTO."""
        return f"Error: No public port '{port}/{proto}' published for {reference}"
