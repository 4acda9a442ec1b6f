"""What every engine profile provides, and helpers the recipes share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface
from typing import TYPE_CHECKING

from netsim.docker.model import Container, Network
from netsim.docker.ports import PortMapping, PortRequest

if TYPE_CHECKING:
    from netsim.docker.commandline import ArgumentCount

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
            rest = words[i + 2 :]
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


def port_dnat(
    network: Network, address: IPv4Interface, mapping: PortMapping, userland_proxy: bool
) -> RuleCommand:
    """Return a published port's DNAT in the nat DOCKER chain (both versions write it so).

    With the userland proxy on, the bridge's own traffic is left to docker-proxy
    (``! -i BRIDGE``); a host address other than 0.0.0.0 becomes ``-d ADDR/32``.
    """
    dest = () if mapping.host_ip.is_unspecified else ("-d", f"{mapping.host_ip}/32")
    not_bridge = ("!", "-i", network.bridge_name) if userland_proxy else ()
    return nat(
        "-A",
        "DOCKER",
        *dest,
        *not_bridge,
        *proto_match(mapping.proto),
        "--dport",
        str(mapping.host_port),
        "-j",
        "DNAT",
        "--to-destination",
        f"{address.ip}:{mapping.container_port}",
    )


def port_accept(
    operation: str, network: Network, address: IPv4Interface, mapping: PortMapping
) -> RuleCommand:
    """Return the filter DOCKER rule that lets a published port in from outside the bridge.

    ``operation`` is ``-A`` (20.10 appends) or ``-I`` (28.5 inserts).
    """
    bridge = network.bridge_name
    return filt(
        operation,
        "DOCKER",
        "-d",
        f"{address.ip}/32",
        "!",
        "-i",
        bridge,
        "-o",
        bridge,
        *proto_match(mapping.proto),
        "--dport",
        str(mapping.container_port),
        "-j",
        "ACCEPT",
    )


def port_hairpin(address: IPv4Interface, mapping: PortMapping) -> RuleCommand:
    """Return the MASQUERADE of a container reaching its own published port (hairpin)."""
    ip = f"{address.ip}/32"
    return nat(
        "-A",
        "POSTROUTING",
        "-s",
        ip,
        "-d",
        ip,
        *proto_match(mapping.proto),
        "--dport",
        str(mapping.container_port),
        "-j",
        "MASQUERADE",
    )


class EngineProfile:
    """What one engine version does wherever the versions differ; subclasses answer it all.

    Every attribute below is declared without a value: each profile sets every
    one, so a new profile cannot inherit another version's behaviour by
    accident (tests/unit/test_docker_engines.py checks). ``version`` is for
    printing only; callers ask the named questions, never compare versions.
    """

    version: str
    """The engine's name as scenarios and ``--engine`` spell it (to print, never to compare)."""

    # -- daemon: addresses, interfaces, ports ------------------------------
    rotating_subnets: bool
    """Take default-pool subnets from a start index that moves on (20.10); 27+ takes first fit."""
    shared_port_maps: bool
    """Make a host port on 0.0.0.0 or :: clash with every address of its family (27+, so 28.5)."""
    mac_from_ip: bool
    """Derive a container's MAC from its IPv4 address, 02:42:IP (20.10); 28.5 draws it at random."""
    ignores_ip_on_default_bridge: bool
    """Silently ignore ``--ip`` for a container on the default bridge (20.10)."""
    accepts_aliases_on_default_bridge: bool
    """Take ``--network-alias`` on the default bridge without a word (20.10)."""
    checks_links_after_networking: bool
    """Refuse a link to a stopped container only after the start set up networking (20.10).

    20.10 builds the OCI spec, where the link check is, after the sandbox is
    joined and the ports published, then tears it all down again: a refused
    start uses up the ephemeral host ports it took. 28.5 refuses first.
    """
    link_env_by_protocol: bool
    """Lay out a link's port variables as 28's ``ToEnv`` does (28.5), not 20.10's.

    28 orders the child's exposed ports by protocol (tcp first, then by name),
    then number (``withTCPPriority``); it writes each port's four variables in
    that order, and a run's ``_START``/``_PORT_START``/``_END``/``_PORT_END``
    once the run has ended. 20.10 orders by number, tcp first at the same
    number, and writes each run's six variables before the ports'. The first
    port in that order is ``ALIAS_PORT``: with 9000/sctp and 8000-8002/udp
    exposed, 20.10 names udp 8000 and 28.5 sctp 9000 (scenarios/expose-forms).
    """
    refuses_ip_without_user_subnet_at_create: bool
    """Refuse ``--ip`` on a user network without ``--subnet`` at create, not at start (28.5)."""
    internal_keeps_default_route: bool
    """Give a container on an internal network a default route via the gateway (20.10)."""
    veth_in_sandbox: bool
    """Create the veth's container end straight in the sandbox (28.5); 20.10 moves it there."""
    numbers_interfaces_per_sandbox: bool
    """Name ethN by a per-sandbox counter that never reuses N (20.10); 28.5 takes the lowest."""
    ipv6_off_per_interface: bool
    """Switch IPv6 off on each IPv4-only endpoint (28.5); 20.10 does it for the whole sandbox."""

    # -- what the daemon writes and reports --------------------------------
    hosts_head: str
    """The fixed lines at the top of a container's /etc/hosts (28.5 writes fe00:: for fe00::0)."""
    hosts_leave_by_short_id: bool
    """Leaving a network drops the container's /etc/hosts lines the way 20.10 does.

    20.10 deletes by the network's service names, matching each line's end:
    leaving a user-defined network drops every own line that ends with the
    container's short ID (its default hostname), whichever network it names;
    leaving the default bridge, or with another hostname, drops none. 28.5
    drops the leaving address's line only.
    """
    annotates_resolv_conf: bool
    """Write a header and provenance comments into a container's /etc/resolv.conf (26+, so 28.5)."""
    masked_paths: tuple[str, ...]
    """HostConfig.MaskedPaths of a default container (28.5 adds /proc/interrupts and powercap)."""
    exec_not_found_exit_code: int
    """What ``docker exec`` of a missing program exits with (126 on 20.10, 127 on 28.5)."""
    embedded_dns_answers_unresolvable: bool
    """The embedded DNS answers one of busybox nslookup's two queries for a name it must
    forward to a nameserver that does not exist (28.5: nslookup prints its Server header
    before timing out; 20.10 answers neither)."""
    docker_version: str
    """The daemon's version as its API reports it (image inspect's DockerVersion)."""
    legacy_builder_banner: str
    """What ``docker build`` writes on stderr first (28.5's legacy-builder deprecation)."""
    build_removed_format: str
    """The build's line after a step's intermediate container goes (``{}``: its short ID)."""
    names_bad_repository: bool
    """An upper-case reference's error names the repository (28.5: ``(library/BadName)``)."""
    image_inspect_container_config: bool
    """Image inspect lists Container, ContainerConfig, VirtualSize and the full Config (20.10)."""
    image_list_counts_containers: bool
    """``docker images --format {{.Containers}}`` counts containers (28.5; 20.10 says N/A)."""
    push_timeout_is_deadline: bool
    """A push to a registry that never answers the SYN fails with ``context deadline
    exceeded`` (28.5); 20.10 reports the dial's ``i/o timeout``."""
    pool_overlap_message: str
    """The error for a ``--subnet`` overlapping another network's (28.5: invalid pool request)."""
    host_disconnect_message: str
    template_range_over_int: bool
    """Whether the CLI's Go templates range over an integer (Go 1.22+, so 28.5; 20.10's
    CLI says ``range can't iterate over 3``)."""
    bridge_name_range_message: str
    """The error for a bridge name over the kernel's 15 characters (netlink's ERANGE;
    20.10 says where it failed)."""
    """The error for ``docker network disconnect host`` (28.5 has its own text for disconnect)."""

    # -- docker inspect / docker network inspect layout --------------------
    short_id_in_aliases: bool
    """List the container's short ID in Aliases on user-defined networks (20.10; 28.5: DNSNames)."""
    connected_aliases_never_null: bool
    """Show Aliases as [] rather than null for an endpoint added by ``network connect`` (28.5)."""
    endpoint_settings_have_dns_names: bool
    """EndpointSettings has DNSNames and GwPriority, with MacAddress after Aliases (28.5)."""
    default_network_mode_shown_as_bridge: bool
    """HostConfig.NetworkMode shows ``bridge`` for a container created without --network (28.5)."""
    console_size_after_volumes_from: bool
    """HostConfig lists ConsoleSize after VolumesFrom (28.5); 20.10 lists it after Runtime."""
    host_config_has_kernel_memory: bool
    """HostConfig still has KernelMemory and KernelMemoryTCP (20.10; gone from 28.5's API)."""
    host_config_lists_not_null: bool
    """HostConfig shows BlkioDevice* and Ulimits as [] rather than null (28.5)."""
    sandbox_key_before_hairpin: bool
    """NetworkSettings lists SandboxKey and Ports before HairpinMode (28.5); 20.10 after."""
    graph_driver_data_has_id: bool
    """GraphDriver.Data holds the container's ID besides the overlay2 directories (28.5)."""
    default_bridge_ipam_shows_gateway: bool
    """The default bridge's IPAM config always shows its gateway (28.5)."""
    network_inspect_has_enable_ipv4: bool
    """``docker network inspect`` has the EnableIPv4 field (28.5)."""

    # -- the docker CLI ----------------------------------------------------
    cli_refuses_aliases_off_user_networks: bool
    """The CLI refuses ``run --network-alias`` off user networks before asking the daemon (28.5)."""
    cli_refuses_links_in_special_modes: bool
    """The CLI refuses ``run --link`` with host, none or container: modes itself (20.10)."""
    sorts_port_listing: bool
    """``docker port CONTAINER`` sorts its lines naturally (28.5); 20.10 keeps binding order."""
    brackets_ipv6_hosts: bool
    """The CLI writes an IPv6 host as ``[::]:80`` in ``docker port`` and ps PORTS (23+, so 28.5)."""
    binds_port_families_in_random_order: bool
    """A port clash names the IPv4 or the IPv6 binding, whichever the daemon tried first (28.5)."""
    network_rm_reports_exit_status: bool
    """``docker network rm`` ends a failure with its own ``exit status 1`` line (28.5)."""
    cli_lacks_flags: Mapping[str, frozenset[str]]
    """Flags this CLI does not have, by command (20.10's ``network rm`` has no ``--force``)."""
    cli_lacks_aliases: frozenset[str]
    """Subcommand aliases this CLI does not have (20.10 has no ``container remove``)."""
    cli_normalizes_capabilities: bool
    """The CLI sends ``--cap-add net_admin`` as ``CAP_NET_ADMIN`` (28.5); 20.10 as typed."""

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

    def port_rules(
        self, network: Network, address: IPv4Interface, mapping: PortMapping, options: DaemonOptions
    ) -> list[RuleCommand]:
        """Return the rules of one published IPv4 binding."""
        raise NotImplementedError

    def link_rules(
        self,
        network: Network,
        parent: IPv4Address,
        child: IPv4Address,
        ports: list[tuple[int, str]],
    ) -> list[RuleCommand]:
        """Return the icc=false ACCEPT pair for each exposed port of a link's child."""
        rules: list[RuleCommand] = []
        bridge = network.bridge_name
        for port, proto in ports:
            rules.append(
                filt(
                    "-A",
                    "DOCKER",
                    "-s",
                    f"{parent}/32",
                    "-d",
                    f"{child}/32",
                    "-i",
                    bridge,
                    "-o",
                    bridge,
                    *proto_match(proto),
                    "--dport",
                    str(port),
                    "-j",
                    "ACCEPT",
                )
            )
            rules.append(
                filt(
                    "-A",
                    "DOCKER",
                    "-s",
                    f"{child}/32",
                    "-d",
                    f"{parent}/32",
                    "-i",
                    bridge,
                    "-o",
                    bridge,
                    *proto_match(proto),
                    "--sport",
                    str(port),
                    "-j",
                    "ACCEPT",
                )
            )
        return rules

    # -- what the daemon and CLI print -------------------------------------
    def generate_mac(self, address: IPv4Address, random_bytes: bytes) -> str:
        """Return a container interface's MAC address."""
        if self.mac_from_ip:
            return "02:42:" + ":".join(f"{b:02x}" for b in address.packed)
        first = (random_bytes[0] & 0xFE) | 0x02
        return ":".join(f"{b:02x}" for b in (first, *random_bytes[1:6]))

    def publish_order(self, requests: list[PortRequest]) -> list[PortRequest]:
        """Return the published ports in the order the daemon allocates their host ports."""
        raise NotImplementedError

    def join_host_port(self, host: str, port: str) -> str:
        """Return ``HOST:PORT`` as the CLI prints a binding (bracketed IPv6 where it does)."""
        if self.brackets_ipv6_hosts and ":" in host:
            return f"[{host}]:{port}"
        return f"{host}:{port}"

    def bind_error(
        self, mapping: PortMapping, container_ip: IPv4Address, userland_proxy: bool
    ) -> str:
        """Return the error when the host port is taken by a program outside Docker."""
        raise NotImplementedError

    def task_error(self, text: str) -> str:
        """Wrap the runtime's failure to start a container's process."""
        raise NotImplementedError

    def rule_error(self, rule: RuleCommand, stderr: str, exit_code: int) -> str:
        """Return the daemon's error when iptables refuses one recipe command.

        ``stderr`` is iptables' message (no newline), ``exit_code`` its status.
        Whatever the recipe applied before the failing command stays, as on
        the real engines (checked after ``iptables -F; iptables -X``).
        """
        raise NotImplementedError

    def networking_error(self, text: str) -> str:
        """Wrap an endpoint setup failure as the daemon reports it."""
        raise NotImplementedError

    def requested_address_error(self, pool_message: str) -> str:
        """Return the daemon's error when the pool refuses a requested ``--ip``."""
        raise NotImplementedError

    def address_outside_subnets_error(self, address: IPv4Address, network: str | None) -> str:
        """Return the daemon's error for an ``--ip`` in none of the network's subnets.

        28.5 refuses it when the container is created (naming ``network``) or
        connected (``network`` None); 20.10 when the endpoint joins.
        """
        raise NotImplementedError

    def invalid_filter_error(self, key: str) -> str:
        """Return the daemon's refusal of a ``--filter`` key a listing lacks."""
        raise NotImplementedError

    def join_missing_error(self, reference: str) -> str:
        """Return the error when ``--network container:REF`` names no container at start."""
        raise NotImplementedError

    def join_not_running_error(self, reference: str, target: Container) -> str:
        """Return the error when ``--network container:REF`` names a stopped container."""
        raise NotImplementedError

    def remove_running_error(self, container: Container) -> str:
        """Return the error for ``docker rm`` of a running container without ``-f``."""
        raise NotImplementedError

    def active_endpoints_error(self, network: Network, users: list[Container]) -> str:
        """Return the error for ``docker network rm`` of a network containers still use."""
        raise NotImplementedError

    def already_connected_error(self, container: Container, network: Network) -> str:
        """Return the error for ``docker network connect`` to a network the container is on."""
        raise NotImplementedError

    def run_error(self, message: str, *, at_create: bool, command: str) -> str:
        """Return what ``docker run`` prints for an error it reports as its own (status 125).

        ``command`` is ``create`` for the refusals ``docker create`` reports
        the same way: its own parse of the request, not the daemon's answers.
        """
        raise NotImplementedError

    def wait_cancelled_note(self, timestamp: str) -> str:
        """Return what an attached ``docker run`` logs after a failed start ("" if nothing)."""
        raise NotImplementedError

    def usage_error(self, name: str, message: str, usage: str) -> str:
        """Return the CLI's text for a flag it cannot parse.

        ``name`` is ``docker run``...; ``usage`` is the command's usage line
        (``docker run [OPTIONS] IMAGE [COMMAND] [ARG...]``).
        """
        raise NotImplementedError

    def missing_args_error(self, name: str, count: ArgumentCount, usage: str, summary: str) -> str:
        """Return the CLI's text when a command has too few or too many arguments."""
        raise NotImplementedError

    def image_lookup_error(self, reference: str, normalised: str) -> str:
        """Return how ``docker rmi`` and ``docker image inspect`` report a missing image."""
        raise NotImplementedError

    def unknown_command_error(self, path: str) -> str:
        """Return the CLI's text for ``docker PATH`` when no such command exists."""
        raise NotImplementedError

    def management_help(self, name: str) -> str | None:
        """Return what ``docker NAME`` alone prints on stderr (status 0); None: not modelled."""
        raise NotImplementedError

    def lookup_error(self, message: str) -> str:
        """Return how ``docker port``, ``exec`` and ``rm`` report a container not found."""
        raise NotImplementedError

    def network_lookup_error(self, reference: str, message: str) -> str:
        """Return how ``docker network inspect`` reports a network not found."""
        raise NotImplementedError

    def kill_error(self, reference: str, message: str) -> str:
        """Return the daemon's error for a container ``docker kill`` could not kill."""
        raise NotImplementedError

    def exec_not_running_error(self, container: Container) -> str:
        """Return the daemon's error for ``docker exec`` in a stopped container."""
        raise NotImplementedError

    def no_public_port_error(self, typed: str, port: str, proto: str, reference: str) -> str:
        """Return ``docker port C PORT``'s error when PORT is not published."""
        raise NotImplementedError


def iptables_failure(argv: RuleCommand, stderr: str, exit_code: int) -> str:
    """Return libnetwork's ``iptables failed: ...`` text for a failed command."""
    return (
        f"iptables failed: iptables --wait {' '.join(argv)}: {stderr}\n (exit status {exit_code})"
    )


def is_dnat_rule(rule: RuleCommand) -> bool:
    """Return True for a published port's DNAT command in the nat DOCKER chain."""
    return "DNAT" in rule and "DOCKER" in rule and "--to-destination" in rule


def dnat_argv(rule: RuleCommand) -> RuleCommand:
    """Return the argv libnetwork runs for a DNAT recipe command (its own word order).

    The recipe holds the rule as ``iptables -S`` prints it; libnetwork's
    ChainInfo.Forward passes ``-p P -d ADDR --dport N -j DNAT --to-destination
    IP:PORT [! -i BRIDGE]`` with ``0/0`` for any address (20.10 and 28.5).
    """

    def after(option: str) -> str | None:
        return rule[rule.index(option) + 1] if option in rule else None

    address = after("-d")
    bridge = after("-i")
    words: list[str] = ["-t", "nat", "-A", "DOCKER", "-p", after("-p") or "tcp"]
    words += ["-d", "0/0" if address is None else address.removesuffix("/32")]
    words += ["--dport", after("--dport") or "", "-j", "DNAT"]
    words += ["--to-destination", after("--to-destination") or ""]
    if bridge is not None:
        words += ["!", "-i", bridge]
    return tuple(words)


def daemon_error(message: str) -> str:
    """Return the CLI's line for an error the daemon answered with."""
    return f"Error response from daemon: {message}"


def arguments(number: int) -> str:
    """Return ``argument`` or ``arguments`` for NUMBER, as the CLIs' validators do."""
    return "argument" if number == 1 else "arguments"
