"""Docker 28.5's behaviour (moby v28.5.2 iptabler; docker-reference.md §2.2).

FORWARD only jumps to DOCKER-USER and DOCKER-FORWARD; per-network rules are
appended to DOCKER-FORWARD, DOCKER-CT and DOCKER-BRIDGE (oldest network
first); published-port ACCEPTs are inserted at the top of filter DOCKER; every
endpoint gets a raw PREROUTING DROP for traffic that does not come in on its
bridge.
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
    daemon_error,
    dnat_argv,
    filt,
    iptables_failure,
    is_dnat_rule,
    nat,
    port_accept,
    port_dnat,
    port_hairpin,
    proto_match,
    raw,
)
from netsim.docker.model import Container, Network
from netsim.docker.ports import PortMapping, PortRequest

if TYPE_CHECKING:
    from netsim.docker.commandline import ArgumentCount


class ModernProfile(EngineProfile):
    """Docker 28.5.2 with CLI 28.5.2."""

    version = "28.5"

    rotating_subnets = False
    shared_port_maps = True
    mac_from_ip = False
    ignores_ip_on_default_bridge = False
    accepts_aliases_on_default_bridge = False
    checks_links_after_networking = False
    link_env_by_protocol = True
    refuses_ip_without_user_subnet_at_create = True
    internal_keeps_default_route = False
    veth_in_sandbox = True
    numbers_interfaces_per_sandbox = False
    ipv6_off_per_interface = True

    hosts_head = (
        "127.0.0.1\tlocalhost\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\n"
        "fe00::\tip6-localnet\n"
        "ff00::\tip6-mcastprefix\n"
        "ff02::1\tip6-allnodes\n"
        "ff02::2\tip6-allrouters\n"
    )
    hosts_leave_by_short_id = False
    annotates_resolv_conf = True
    masked_paths = (
        "/proc/asound",
        "/proc/acpi",
        "/proc/interrupts",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
        "/sys/devices/virtual/powercap",
    )
    docker_version = "28.5.2+dfsg4"
    legacy_builder_banner = (
        "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n"
        "            Install the buildx component to build images with BuildKit:\n"
        "            https://docs.docker.com/go/buildx/\n\n"
    )
    build_removed_format = " ---> Removed intermediate container {}"
    names_bad_repository = True
    image_inspect_container_config = False
    image_list_counts_containers = True
    push_timeout_is_deadline = True
    exec_not_found_exit_code = 127
    embedded_dns_answers_unresolvable = True
    pool_overlap_message = (
        "invalid pool request: Pool overlaps with other one on this address space"
    )
    bridge_name_range_message = "numerical result out of range"
    template_range_over_int = True
    host_disconnect_message = (
        "cannot disconnect container from host network - container was created in host network mode"
    )

    short_id_in_aliases = False
    connected_aliases_never_null = True
    endpoint_settings_have_dns_names = True
    default_network_mode_shown_as_bridge = True
    console_size_after_volumes_from = True
    host_config_has_kernel_memory = False
    host_config_lists_not_null = True
    sandbox_key_before_hairpin = True
    graph_driver_data_has_id = True
    default_bridge_ipam_shows_gateway = True
    network_inspect_has_enable_ipv4 = True

    cli_refuses_aliases_off_user_networks = True
    cli_refuses_links_in_special_modes = False
    sorts_port_listing = True
    brackets_ipv6_hosts = True
    binds_port_families_in_random_order = True
    network_rm_reports_exit_status = True
    cli_normalizes_capabilities = True
    cli_lacks_flags: Mapping[str, frozenset[str]] = MappingProxyType({})
    cli_lacks_aliases: frozenset[str] = frozenset()

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
                filt(
                    "-I", "DOCKER-ISOLATION-STAGE-1", "!", "-d", subnet, "-i", bridge, "-j", "DROP"
                ),
                filt(
                    "-I", "DOCKER-ISOLATION-STAGE-1", "!", "-s", subnet, "-o", bridge, "-j", "DROP"
                ),
                filt(
                    "-A",
                    "DOCKER-FORWARD",
                    "-i",
                    bridge,
                    "-o",
                    bridge,
                    "-j",
                    "ACCEPT" if network.icc else "DROP",
                ),
            ]
        rules: list[RuleCommand] = [
            nat("-I", "POSTROUTING", "-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE"),
        ]
        if options.userland_proxy:
            rules.append(nat("-I", "DOCKER", "-i", bridge, "-j", "RETURN"))
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
            output_jump = nat(
                "-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"
            )
        rules += [
            ("?once",)
            + nat("-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"),
            ("?once",) + output_jump,
        ]
        if network.icc:
            rules.append(filt("-A", "DOCKER-FORWARD", "-i", bridge, "-j", "ACCEPT"))
        else:
            rules.append(filt("-A", "DOCKER-FORWARD", "-i", bridge, "-o", bridge, "-j", "DROP"))
            rules.append(
                filt("-A", "DOCKER-FORWARD", "-i", bridge, "!", "-o", bridge, "-j", "ACCEPT")
            )
        rules += [
            filt("-A", "DOCKER", "!", "-i", bridge, "-o", bridge, "-j", "DROP"),
            filt(
                "-A",
                "DOCKER-CT",
                "-o",
                bridge,
                "-m",
                "conntrack",
                "--ctstate",
                "RELATED,ESTABLISHED",
                "-j",
                "ACCEPT",
            ),
            filt("-A", "DOCKER-BRIDGE", "-o", bridge, "-j", "DOCKER"),
            filt(
                "-A",
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

    def endpoint_rules(self, network: Network, address: IPv4Address) -> list[RuleCommand]:
        """Drop traffic to the endpoint that does not arrive on its bridge (28.0.2+)."""
        if network.internal:
            return []
        return [
            raw(
                "-A",
                "PREROUTING",
                "-d",
                f"{address}/32",
                "!",
                "-i",
                network.bridge_name,
                "-j",
                "DROP",
            )
        ]

    def port_rules(
        self, network: Network, address: IPv4Interface, mapping: PortMapping, options: DaemonOptions
    ) -> list[RuleCommand]:
        """Return iptabler's per-port rules (port.go)."""
        # The DNAT goes in first (setPerPortNAT before setPerPortForwarding):
        # with the nat DOCKER chain gone it is the rule that fails.
        rules: list[RuleCommand] = [
            port_dnat(network, address, mapping, options.userland_proxy),
            port_accept("-I", network, address, mapping),
        ]
        if not options.userland_proxy:
            rules.append(port_hairpin(address, mapping))
        host_ip = mapping.host_ip
        if host_ip.is_loopback:
            rules.append(
                raw(
                    "-A",
                    "PREROUTING",
                    "-d",
                    f"{host_ip}/32",
                    "!",
                    "-i",
                    "lo",
                    *proto_match(mapping.proto),
                    "--dport",
                    str(mapping.host_port),
                    "-j",
                    "DROP",
                )
            )
        return rules

    def publish_order(self, requests: list[PortRequest]) -> list[PortRequest]:
        """Allocate single fixed host ports first, then by container port and protocol."""
        return sorted(
            requests,
            key=lambda r: (
                r.host_port_start is None or r.host_port_start != r.host_port_end,
                r.container_port,
                ("tcp", "udp", "sctp").index(r.proto),
            ),
        )

    def bind_error(
        self, mapping: PortMapping, container_ip: IPv4Address, userland_proxy: bool
    ) -> str:
        """Return 28's own bind failure (the daemon binds the host port itself)."""
        host = f"{mapping.host_ip}" if mapping.host_ip.version == 4 else f"[{mapping.host_ip}]"
        return (
            f"failed to bind host port for {host}:{mapping.host_port}:{container_ip}:"
            f"{mapping.container_port}/{mapping.proto}: address already in use"
        )

    def task_error(self, text: str) -> str:
        """Prefix runtime failures as 28 does."""
        return f"failed to create task for container: {text}"

    def rule_error(self, rule: RuleCommand, stderr: str, exit_code: int) -> str:
        """Wrap an iptables failure as 28.5's iptabler does (its argv keeps ``-t filter``)."""
        if is_dnat_rule(rule):
            failure = iptables_failure(dnat_argv(rule), stderr, exit_code)
            return f"Unable to enable DNAT rule:  ({failure})"
        failure = iptables_failure(rule, stderr, exit_code)
        if "DOCKER-FORWARD" in rule and rule[-1] == "ACCEPT" and "-o" not in rule:
            return f"Failed to Setup IP tables: Unable to enable ACCEPT OUTGOING rule:  ({failure})"
        return failure

    def networking_error(self, text: str) -> str:
        """Prefix endpoint failures as 28.0.1+ does."""
        return f"failed to set up container networking: {text}"

    def address_outside_subnets_error(self, address: IPv4Address, network: str | None) -> str:
        """Return 28's endpoint-settings refusal (``invalid config for network N`` at create)."""
        prefix = f"invalid config for network {network}: " if network else ""
        return (
            f"{prefix}invalid endpoint settings:\n"
            f"no configured subnet or ip-range contain the IP address {address}"
        )

    def invalid_filter_error(self, key: str) -> str:
        """Return 28's lower-case ``invalid filter``."""
        return f"invalid filter '{key}'"

    def requested_address_error(self, pool_message: str) -> str:
        """Reword IPAM's out-of-range refusal in lower case; pass other refusals on."""
        if pool_message.startswith("Requested"):
            return "requested address is out of range"
        return pool_message

    def join_missing_error(self, reference: str) -> str:
        """Return the lookup failure under 28's ``joining network namespace`` prefix."""
        return f"joining network namespace of container: No such container: {reference}"

    def join_not_running_error(self, reference: str, target: Container) -> str:
        """Return 28's refusal, naming the target and its state."""
        return (
            f"cannot join network namespace of a non running container: container "
            f"{target.name} is {target.state}"
        )

    def remove_running_error(self, container: Container) -> str:
        """Return 28's refusal, naming the container by name."""
        return (
            f'cannot remove container "{container.name}": container is running: stop '
            "the container before removing or force remove"
        )

    def active_endpoints_error(self, network: Network, users: list[Container]) -> str:
        """Return 28's refusal, listing each endpoint's container name and short ID."""
        listed = ", ".join(
            f'name:"{c.name}" id:"{c.endpoints[network.name].id[:12]}"' for c in users
        )
        return (
            f"error while removing network: network {network.name} has active endpoints ({listed})"
        )

    def already_connected_error(self, container: Container, network: Network) -> str:
        """Return the endpoint clash for a running container, else 28's own refusal."""
        if container.running:
            return f"endpoint with name {container.name} already exists in network {network.name}"
        return f"container {container.id} is already attached to network {network.name}"

    def run_error(self, message: str, *, at_create: bool, command: str) -> str:
        """Return CLI 28's ``docker: ERR`` and the help hint."""
        return f"docker: {message}\n\nRun 'docker {command} --help' for more information\n"

    def wait_cancelled_note(self, timestamp: str) -> str:
        """Return nothing: CLI 28 logs no wait failure."""
        return ""

    def usage_error(self, name: str, message: str, usage: str) -> str:
        """Return CLI 28's message, the command's usage line and the help hint."""
        return f"{message}\n\nUsage:  {usage}\n\nRun '{name} --help' for more information\n"

    def missing_args_error(self, name: str, count: ArgumentCount, usage: str, summary: str) -> str:
        """Return CLI 28's ``docker: 'NAME' requires ...``, usage and help hint (no summary).

        Worded as 28.5.2's cobra validators, checked with wrong argument
        counts: each has its own hint, and "at most" prints ``SRun`` as that
        CLI does.
        """
        low, high = count.minimum, count.maximum
        if high == 0:
            need, hint = "accepts no arguments", "Run"
        elif high is None:
            need, hint = f"requires at least {low} {arguments(low)}", "See"
        elif low == high:
            need, hint = f"requires {low} {arguments(low)}", "Run"
        elif low == 0:
            need, hint = f"requires at most {high} {arguments(high)}", "SRun"
        else:
            need, hint = f"requires at least {low} and at most {high} {arguments(high)}", "Run"
        return (
            f"docker: '{name}' {need}\n\nUsage:  {usage}\n\n"
            f"{hint} '{name} --help' for more information\n"
        )

    def image_lookup_error(self, reference: str, normalised: str) -> str:
        """Pass the daemon's answer on, with the reference normalised (``nginx:latest``)."""
        return daemon_error(f"No such image: {normalised}")

    def unknown_command_error(self, path: str) -> str:
        """Return CLI 28's ``docker: unknown command: docker foo`` (checked on 28.5.2)."""
        words = path.split()
        if len(words) > 1:
            # An unknown subcommand of a management command (``network foo``).
            return (
                f"docker: unknown command: docker {words[0]} {words[1]}\n\n"
                f"Usage:  docker {words[0]}\n\n"
                f"Run 'docker {words[0]} --help' for more information\n"
            )
        return (
            f"docker: unknown command: docker {path.split()[0]}\n\n"
            "Run 'docker --help' for more information\n"
        )

    def management_help(self, name: str) -> str | None:
        """Return CLI 28.5's help of a management command, as it prints it with a daemon."""
        from netsim.docker.cli_commands import MODERN_MANAGEMENT_HELP

        return MODERN_MANAGEMENT_HELP.get(name)

    def lookup_error(self, message: str) -> str:
        """Pass the daemon's answer on."""
        return daemon_error(message)

    def network_lookup_error(self, reference: str, message: str) -> str:
        """Pass the daemon's answer on."""
        return daemon_error(message)

    def kill_error(self, reference: str, message: str) -> str:
        """Return 28's lower-case ``cannot kill container``."""
        return f"cannot kill container: {reference}: {message}"

    def exec_not_running_error(self, container: Container) -> str:
        """Return 28's lower-case ``container ID is not running``."""
        return f"container {container.id} is not running"

    def no_public_port_error(self, typed: str, port: str, proto: str, reference: str) -> str:
        """Return CLI 28's error, repeating the port as typed."""
        return f"Error: No public port '{typed}' published for {reference}"
