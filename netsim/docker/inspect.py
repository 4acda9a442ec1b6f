"""Build what ``docker inspect`` and ``docker network inspect`` return, per engine.

The values are JSON-like: dicts keep Go's struct field order; Go maps are
``GoMap`` so templates and ``json`` sort their keys as Go does.
"""

from __future__ import annotations

from typing import Any

from netsim.docker.daemon import Daemon
from netsim.docker.gotemplate import NIL_MAP, NIL_SLICE, GoMap, GoStruct
from netsim.docker.model import Container, Endpoint, Network

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
    modern = daemon.profile.version != "20.10"
    ipam: dict[str, Any] | None = None
    if config.ipv4_address is not None:
        ipam = {"IPv4Address": str(config.ipv4_address)}
    aliases: list[str] | None = list(config.aliases) or None
    links: list[str] | None = list(config.links) or None
    network = next((n for n in daemon.networks if n.name == name), None)
    user_defined = network is not None and network.user_defined
    if not modern and user_defined and endpoint is not None:
        aliases = list(config.aliases) + [container.short_id]
    ip = str(endpoint.address.ip) if endpoint else ""
    prefix = endpoint.address.network.prefixlen if endpoint else 0
    gateway = str(endpoint.network.gateway) if endpoint and endpoint.network.gateway else ""
    mac = endpoint.mac if endpoint else ""
    if modern:
        dns_names: list[str] | None = None
        if user_defined and endpoint is not None:
            dns_names = [container.name, *config.aliases, container.short_id]
            if container.hostname not in dns_names:
                dns_names.append(container.hostname)
        return {
            "IPAMConfig": ipam, "Links": links, "Aliases": aliases, "MacAddress": mac,
            "DriverOpts": None, "GwPriority": 0, "NetworkID": network_id,
            "EndpointID": endpoint_id, "Gateway": gateway,
            "IPAddress": ip, "IPPrefixLen": prefix, "IPv6Gateway": "",
            "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "DNSNames": dns_names,
        }
    return {
        "IPAMConfig": ipam, "Links": links, "Aliases": aliases, "NetworkID": network_id,
        "EndpointID": endpoint_id, "Gateway": gateway,
        "IPAddress": ip, "IPPrefixLen": prefix, "IPv6Gateway": "", "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0, "MacAddress": mac, "DriverOpts": None,
    }


def _binding(host_ip: str, host_port: str) -> GoStruct:
    """Return a nat.PortBinding (Go field HostIP, JSON key HostIp)."""
    return GoStruct({"HostIp": host_ip, "HostPort": host_port}, type_name="nat.PortBinding",
                    aliases={"HostIP": "HostIp"})


def _ports(container: Container) -> GoMap:
    ports: GoMap = GoMap()
    if not container.running or container.network_mode in ("host", "none") or \
            container.network_mode.startswith("container:"):
        return ports
    for port, proto in container.exposed:
        ports[f"{port}/{proto}"] = None
    for mapping in container.ports:
        entry = ports.get(mapping.key)
        if entry is None:
            entry = []
            ports[mapping.key] = entry
        entry.append(_binding(str(mapping.host_ip), str(mapping.host_port)))
    return ports


def container_inspect(daemon: Daemon, container: Container) -> dict[str, Any]:
    """Return ``docker inspect CONTAINER``'s object for the engine's API version."""
    modern = daemon.profile.version != "20.10"
    networks = GoMap()
    for name in sorted(container.networks):
        networks[name] = _endpoint_settings(daemon, container, name)
    bridge = container.endpoints.get("bridge")
    settings: dict[str, Any] = {
        "Bridge": "", "SandboxID": container.sandbox_id if container.running else "",
        "HairpinMode": False, "LinkLocalIPv6Address": "", "LinkLocalIPv6PrefixLen": 0,
        "Ports": _ports(container),
        "SandboxKey": container.sandbox_key if container.running else "",
        "SecondaryIPAddresses": None, "SecondaryIPv6Addresses": None,
        "EndpointID": bridge.id if bridge else "",
        "Gateway": str(bridge.network.gateway) if bridge else "",
        "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
        "IPAddress": str(bridge.address.ip) if bridge else "",
        "IPPrefixLen": bridge.address.network.prefixlen if bridge else 0,
        "IPv6Gateway": "", "MacAddress": bridge.mac if bridge else "",
        "Networks": networks,
    }
    port_bindings = GoMap()
    for request in container.publish:
        port_bindings.setdefault(request.key, []).append(
            _binding(request.typed_host_ip, request.typed_host_port))
    exposed = GoMap()
    for port, proto in container.exposed:
        exposed[f"{port}/{proto}"] = {}
    links = [f"/{link.child_name}:/{container.name}/{link.alias}" for link in container.links]
    state = {
        "Status": container.state, "Running": container.running, "Paused": False,
        "Restarting": False, "OOMKilled": False, "Dead": False, "Pid": container.pid,
        "ExitCode": container.exit_code, "Error": "",
        "StartedAt": ZERO_TIME, "FinishedAt": ZERO_TIME,
    }
    network_mode = container.network_mode
    host_config = {
        "NetworkMode": "bridge" if (network_mode == "default" and modern) else network_mode,
        "PortBindings": port_bindings, "Links": links or NIL_SLICE,
        "PublishAllPorts": container.publish_all, "AutoRemove": container.auto_remove,
    }
    config = {
        "Hostname": container.hostname, "Domainname": "", "User": "",
        "ExposedPorts": exposed or NIL_MAP, "Env": list(container.env),
        "Cmd": list(container.cmd) if container.cmd is not None else None,
        "Image": container.image_ref,
        "Entrypoint": list(container.entrypoint) if container.entrypoint is not None else None,
    }
    return GoStruct({
        "Id": container.id, "Created": container.created, "Path": container.path,
        "Args": list(container.args), "State": state, "Name": "/" + container.name,
        "RestartCount": container.restart_count, "HostConfig": host_config, "Config": config,
        "NetworkSettings": settings,
    }, type_name="types.ContainerJSON", aliases={"ID": "Id"})


def network_inspect(daemon: Daemon, network: Network) -> dict[str, Any]:
    """Return ``docker network inspect NETWORK``'s object for the engine's API version."""
    modern = daemon.profile.version != "20.10"
    configs: list[GoStruct] = []
    if network.subnet is not None:
        # IPAM.Config shows what was asked for; an allocated pool shows its gateway too.
        show_gateway = network.gateway is not None and (network.user_gateway
                                                        or not network.user_subnet)
        configs.append(GoStruct({
            "Subnet": str(network.subnet),
            "IPRange": str(network.ip_range) if network.ip_range is not None else "",
            "Gateway": str(network.gateway) if show_gateway else "",
            "AuxiliaryAddresses": NIL_MAP,
        }, type_name="network.IPAMConfig", omitempty=OMIT_IPAM))
    containers = GoMap()
    for container in daemon.containers:
        endpoint = container.endpoints.get(network.name)
        if endpoint is None:
            continue
        containers[container.id] = {
            "Name": container.name, "EndpointID": endpoint.id, "MacAddress": endpoint.mac,
            "IPv4Address": str(endpoint.address), "IPv6Address": "",
        }
    result: dict[str, Any] = GoStruct({
        "Name": network.name, "Id": network.id, "Created": network.created,
        "Scope": "local", "Driver": network.driver,
    }, type_name="network.Inspect", aliases={"ID": "Id"})
    if modern:
        result["EnableIPv4"] = network.driver != "null" and network.driver != "host"
    result.update({
        "EnableIPv6": False,
        "IPAM": {"Driver": "default",
                 "Options": None if not network.user_defined else GoMap(),
                 "Config": configs if network.is_bridge else []},
        "Internal": network.internal, "Attachable": False, "Ingress": False,
        "ConfigFrom": {"Network": ""}, "ConfigOnly": False, "Containers": containers,
        "Options": GoMap(network.options, zero=""), "Labels": GoMap(network.labels, zero=""),
    })
    return result
