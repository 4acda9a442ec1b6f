"""Build what ``docker inspect`` and ``docker network inspect`` return, per engine.

The values are JSON-like: dicts keep Go's struct field order; Go maps are
``GoMap`` so templates and ``json`` sort their keys as Go does.
"""

from __future__ import annotations

from typing import Any

from netsim.docker import storage
from netsim.docker.daemon import Daemon
from netsim.docker.model import Container, Endpoint, Network
from netsim.gotemplate import NIL_MAP, NIL_SLICE, GoMap, GoStruct

# Fields of network.IPAMConfig that Go's JSON encoder leaves out when empty.
OMIT_IPAM = frozenset({"Subnet", "IPRange", "Gateway", "AuxiliaryAddresses"})

# Docker's zero time, printed for containers that never started or stopped.
ZERO_TIME = "0001-01-01T00:00:00Z"


def _endpoint_settings(daemon: Daemon, container: Container, name: str) -> dict[str, Any]:
    """Return one ``NetworkSettings.Networks`` entry (EndpointSettings)."""
    config = container.networks[name]
    endpoint: Endpoint | None = container.endpoints.get(name)
    endpoint_id = container.endpoint_ids.get(name, "")
    network_id = container.network_ids.get(name, "")
    profile = daemon.profile
    ipam: GoStruct | None = None
    if config.ipv4_address is not None or config.ipam_sent:
        # `docker network connect` always sends an (often empty) IPAMConfig.
        address = str(config.ipv4_address) if config.ipv4_address is not None else ""
        ipam = GoStruct(
            {"IPv4Address": address, "IPv6Address": "", "LinkLocalIPs": NIL_SLICE},
            type_name="network.EndpointIPAMConfig",
            omitempty=frozenset({"IPv4Address", "IPv6Address", "LinkLocalIPs"}),
        )
    aliases: list[str] | None = list(config.aliases) or (
        [] if config.connected and profile.connected_aliases_never_null else None
    )
    driver_opts = GoMap(zero="") if config.driver_opts_sent else None
    links: list[str] | None = list(config.links) or None
    network = next((n for n in daemon.networks if n.name == name), None)
    user_defined = network is not None and network.user_defined
    if profile.short_id_in_aliases and user_defined and (endpoint is not None or config.connected):
        # Added when the endpoint is created and when connecting.
        aliases = list(config.aliases) + [container.short_id]
    ip = str(endpoint.address.ip) if endpoint else ""
    prefix = endpoint.address.network.prefixlen if endpoint else 0
    gateway = str(endpoint.network.gateway) if endpoint and endpoint.network.gateway else ""
    if endpoint and endpoint.network.internal and not profile.internal_keeps_default_route:
        # 28.5 gives an --internal network's endpoints no gateway (and no default route).
        gateway = ""
    mac = endpoint.mac if endpoint else ""
    if profile.endpoint_settings_have_dns_names:
        dns_names: list[str] | None = None
        if user_defined and (endpoint is not None or config.connected):
            # Set when the endpoint is created, and by `docker network connect`.
            names = [container.name, *config.aliases, container.short_id, container.hostname]
            dns_names = list(dict.fromkeys(names))
        return {
            "IPAMConfig": ipam,
            "Links": links,
            "Aliases": aliases,
            "MacAddress": mac,
            "DriverOpts": driver_opts,
            "GwPriority": 0,
            "NetworkID": network_id,
            "EndpointID": endpoint_id,
            "Gateway": gateway,
            "IPAddress": ip,
            "IPPrefixLen": prefix,
            "IPv6Gateway": "",
            "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0,
            "DNSNames": dns_names,
        }
    return {
        "IPAMConfig": ipam,
        "Links": links,
        "Aliases": aliases,
        "NetworkID": network_id,
        "EndpointID": endpoint_id,
        "Gateway": gateway,
        "IPAddress": ip,
        "IPPrefixLen": prefix,
        "IPv6Gateway": "",
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "MacAddress": mac,
        "DriverOpts": driver_opts,
    }


def _binding(host_ip: str, host_port: str) -> GoStruct:
    """Return a nat.PortBinding (Go field HostIP, JSON key HostIp)."""
    return GoStruct(
        {"HostIp": host_ip, "HostPort": host_port},
        type_name="nat.PortBinding",
        aliases={"HostIP": "HostIp"},
    )


def _ports(container: Container) -> GoMap:
    ports: GoMap = GoMap()
    if not container.shows_ports:
        return ports
    if container.exposes_ports:
        for port, proto in container.exposed:
            ports[f"{port}/{proto}"] = None
    for mapping in container.ports:
        entry = ports.get(mapping.key)
        if not isinstance(entry, list):
            entry = []
            ports[mapping.key] = entry
        entry.append(_binding(str(mapping.host_ip), str(mapping.host_port)))
    return ports


_READONLY = ("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")
# A container's files live under the daemon's data root.
_CONTAINERS_DIR = "/var/lib/docker/containers"


def _host_config(daemon: Daemon, container: Container) -> GoStruct:
    """Return HostConfig in the API version's field order."""
    profile = daemon.profile
    requested: dict[str, list[GoStruct]] = {}
    for request in container.publish:
        requested.setdefault(request.key, []).append(
            _binding(request.typed_host_ip, request.typed_host_port)
        )
    port_bindings = GoMap(requested)
    links = [f"/{link.child_name}:/{container.name}/{link.alias}" for link in container.links]
    mode = container.network_mode
    if mode == "default" and profile.default_network_mode_shown_as_bridge:
        mode = "bridge"
    blkio: object = [] if profile.host_config_lists_not_null else None
    fields: list[tuple[str, object]] = [
        ("Binds", None),
        ("ContainerIDFile", ""),
        ("LogConfig", {"Type": "json-file", "Config": GoMap(zero="")}),
        ("NetworkMode", mode),
        ("PortBindings", port_bindings),
        ("RestartPolicy", {"Name": "no", "MaximumRetryCount": 0}),
        ("AutoRemove", container.auto_remove),
        ("VolumeDriver", ""),
        ("VolumesFrom", None),
    ]
    if profile.console_size_after_volumes_from:
        fields.append(("ConsoleSize", [0, 0]))
    fields += [
        ("CapAdd", list(container.cap_add) if container.cap_add is not None else NIL_SLICE),
        ("CapDrop", list(container.cap_drop) if container.cap_drop is not None else NIL_SLICE),
        ("CgroupnsMode", "host"),
        ("Dns", list(container.dns) if container.dns is not None else None),
        ("DnsOptions", []),
        ("DnsSearch", []),
        ("ExtraHosts", list(container.extra_hosts) if container.extra_hosts is not None else None),
        ("GroupAdd", None),
        ("IpcMode", "private"),
        ("Cgroup", ""),
        ("Links", links or NIL_SLICE),
        ("OomScoreAdj", 0),
        ("PidMode", ""),
        ("Privileged", container.privileged),
        ("PublishAllPorts", container.publish_all),
        ("ReadonlyRootfs", False),
        ("SecurityOpt", None),
        ("UTSMode", ""),
        ("UsernsMode", ""),
        ("ShmSize", 67108864),
        ("Runtime", "runc"),
    ]
    if not profile.console_size_after_volumes_from:
        fields.append(("ConsoleSize", [0, 0]))
    fields += [
        ("Isolation", ""),
        ("CpuShares", 0),
        ("Memory", 0),
        ("NanoCpus", 0),
        ("CgroupParent", ""),
        ("BlkioWeight", 0),
        ("BlkioWeightDevice", []),
        ("BlkioDeviceReadBps", blkio),
        ("BlkioDeviceWriteBps", blkio),
        ("BlkioDeviceReadIOps", blkio),
        ("BlkioDeviceWriteIOps", blkio),
        ("CpuPeriod", 0),
        ("CpuQuota", 0),
        ("CpuRealtimePeriod", 0),
        ("CpuRealtimeRuntime", 0),
        ("CpusetCpus", ""),
        ("CpusetMems", ""),
        ("Devices", []),
        ("DeviceCgroupRules", None),
        ("DeviceRequests", None),
    ]
    if profile.host_config_has_kernel_memory:
        fields += [("KernelMemory", 0), ("KernelMemoryTCP", 0)]
    fields += [
        ("MemoryReservation", 0),
        ("MemorySwap", 0),
        ("MemorySwappiness", None),
        ("OomKillDisable", False),
        ("PidsLimit", None),
        ("Ulimits", [] if profile.host_config_lists_not_null else None),
        ("CpuCount", 0),
        ("CpuPercent", 0),
        ("IOMaximumIOps", 0),
        ("IOMaximumBandwidth", 0),
        ("MaskedPaths", list(profile.masked_paths)),
        ("ReadonlyPaths", list(_READONLY)),
    ]
    return GoStruct(fields, type_name="container.HostConfig")


def _config(container: Container) -> GoStruct:
    """Return Config (container.Config), the same in both API versions."""
    exposed = GoMap()
    for port, proto in container.exposed:
        exposed[f"{port}/{proto}"] = {}
    attached = not container.detached
    return GoStruct(
        {
            "Hostname": container.hostname,
            "Domainname": "",
            "User": "",
            "AttachStdin": container.stdin_open and not container.detached,
            "AttachStdout": attached,
            "AttachStderr": attached,
            "ExposedPorts": exposed or NIL_MAP,
            "Tty": container.tty,
            "OpenStdin": container.stdin_open,
            "StdinOnce": container.stdin_open and not container.detached,
            "Env": list(container.env),
            "Cmd": list(container.cmd) if container.cmd is not None else NIL_SLICE,
            "Image": container.image_ref,
            "Volumes": None,
            "WorkingDir": "",
            "Entrypoint": (
                list(container.entrypoint) if container.entrypoint is not None else NIL_SLICE
            ),
            "OnBuild": None,
            "Labels": GoMap(dict(container.labels), zero=""),
        },
        type_name="container.Config",
    )


def _network_settings(daemon: Daemon, container: Container) -> GoStruct:
    """Return NetworkSettings in the API version's field order."""
    networks = GoMap()
    for name in sorted(container.networks):
        networks[name] = _endpoint_settings(daemon, container, name)
    bridge = container.endpoints.get("bridge")
    running = container.running
    head: list[tuple[str, object]] = [
        ("Bridge", ""),
        ("SandboxID", container.sandbox_id if running else ""),
    ]
    hairpin: list[tuple[str, object]] = [
        ("HairpinMode", False),
        ("LinkLocalIPv6Address", ""),
        ("LinkLocalIPv6PrefixLen", 0),
    ]
    ports = ("Ports", _ports(container))
    key = ("SandboxKey", container.sandbox_key if running else "")
    if daemon.profile.sandbox_key_before_hairpin:
        fields = head + [key, ports] + hairpin
    else:
        fields = head + hairpin + [ports, key]
    fields += [
        ("SecondaryIPAddresses", None),
        ("SecondaryIPv6Addresses", None),
        ("EndpointID", bridge.id if bridge else ""),
        ("Gateway", str(bridge.network.gateway) if bridge else ""),
        ("GlobalIPv6Address", ""),
        ("GlobalIPv6PrefixLen", 0),
        ("IPAddress", str(bridge.address.ip) if bridge else ""),
        ("IPPrefixLen", bridge.address.network.prefixlen if bridge else 0),
        ("IPv6Gateway", ""),
        ("MacAddress", bridge.mac if bridge else ""),
        ("Networks", networks),
    ]
    return GoStruct(fields, type_name="container.NetworkSettings")


def container_inspect(daemon: Daemon, container: Container) -> GoStruct:
    """Return ``docker inspect CONTAINER``'s object for the engine's API version."""
    with_id = daemon.profile.graph_driver_data_has_id
    files = f"{_CONTAINERS_DIR}/{container.id}"
    state = {
        "Status": container.state,
        "Running": container.running,
        "Paused": False,
        "Restarting": False,
        "OOMKilled": False,
        "Dead": False,
        "Pid": container.pid,
        "ExitCode": container.exit_code,
        "Error": "",
        "StartedAt": container.started_time or ZERO_TIME,
        "FinishedAt": container.finished_time or ZERO_TIME,
    }
    return GoStruct(
        {
            "Id": container.id,
            "Created": container.created,
            "Path": container.path,
            "Args": list(container.args),
            "State": state,
            "Image": "sha256:" + daemon.image_id(container.image.name),
            "ResolvConfPath": f"{files}/resolv.conf",
            "HostnamePath": f"{files}/hostname",
            "HostsPath": f"{files}/hosts",
            "LogPath": f"{files}/{container.id}-json.log",
            "Name": "/" + container.name,
            "RestartCount": container.restart_count,
            "Driver": storage.DRIVER,
            "Platform": "linux",
            "MountLabel": "",
            "ProcessLabel": "",
            "AppArmorProfile": "",
            "ExecIDs": None,
            "HostConfig": _host_config(daemon, container),
            "GraphDriver": {
                "Data": storage.container_data(container.id, container.image, with_id=with_id),
                "Name": storage.DRIVER,
            },
            "Mounts": [],
            "Config": _config(container),
            "NetworkSettings": _network_settings(daemon, container),
        },
        type_name="types.ContainerJSON",
        aliases={"ID": "Id"},
    )


def network_inspect(daemon: Daemon, network: Network) -> dict[str, Any]:
    """Return ``docker network inspect NETWORK``'s object for the engine's API version."""
    profile = daemon.profile
    configs: list[GoStruct] = []
    if network.subnet is not None:
        # IPAM.Config shows what was asked for; an allocated pool shows its gateway too.
        shows_own_gateway = network.default_bridge and profile.default_bridge_ipam_shows_gateway
        show_gateway = network.gateway is not None and (
            network.user_gateway or not network.user_subnet or shows_own_gateway
        )
        configs.append(
            GoStruct(
                {
                    "Subnet": str(network.subnet),
                    "IPRange": str(network.ip_range) if network.ip_range is not None else "",
                    "Gateway": str(network.gateway) if show_gateway else "",
                    "AuxiliaryAddresses": NIL_MAP,
                },
                type_name="network.IPAMConfig",
                omitempty=OMIT_IPAM,
            )
        )
    containers = GoMap()
    for container in daemon.containers:
        endpoint = container.endpoints.get(network.name)
        if endpoint is None:
            endpoint_id = container.endpoint_ids.get(network.name)
            if endpoint_id is not None and container.running:
                # host and none endpoints have no address or MAC.
                containers[container.id] = {
                    "Name": container.name,
                    "EndpointID": endpoint_id,
                    "MacAddress": "",
                    "IPv4Address": "",
                    "IPv6Address": "",
                }
            continue
        containers[container.id] = {
            "Name": container.name,
            "EndpointID": endpoint.id,
            "MacAddress": endpoint.mac,
            "IPv4Address": str(endpoint.address),
            "IPv6Address": "",
        }
    result: dict[str, Any] = GoStruct(
        {
            "Name": network.name,
            "Id": network.id,
            "Created": network.created,
            "Scope": "local",
            "Driver": network.driver,
        },
        type_name="network.Inspect",
        aliases={"ID": "Id"},
    )
    if profile.network_inspect_has_enable_ipv4:
        result["EnableIPv4"] = network.driver != "null" and network.driver != "host"
    result.update(
        {
            "EnableIPv6": False,
            "IPAM": {
                "Driver": "default",
                "Options": None if not network.user_defined else GoMap(),
                "Config": configs if network.is_bridge else [],
            },
            "Internal": network.internal,
            "Attachable": network.attachable,
            "Ingress": False,
            "ConfigFrom": {"Network": ""},
            "ConfigOnly": False,
            "Containers": containers,
            "Options": GoMap(network.options, zero=""),
            "Labels": GoMap(network.labels, zero=""),
        }
    )
    return result
