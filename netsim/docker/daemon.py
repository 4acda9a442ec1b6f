"""The Docker daemon model: containers, networks, IPAM, ports and links.

The daemon turns requests into state and configures the host's kernel model
through ``Plumbing`` exactly as libnetwork configures Linux: bridges, veth
pairs, addresses, routes, sysctls and iptables rules. Refusals raise
``DockerError`` with Docker's own message text; the docker CLI model prints them.
"""

from __future__ import annotations

import contextlib
import random
import re
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Address

from netsim.docker.engines import EngineProfile
from netsim.docker.engines.base import DaemonOptions, RuleCommand, to_delete
from netsim.docker.images import IMAGE_PATH_ENV, find_image, has_program
from netsim.docker.imagestore import ImageNotLocal, ImageStore
from netsim.docker.ipam import BUILTIN_POOLS, AddressPool, SubnetAllocator, pool_subnets
from netsim.docker.model import (
    Container,
    Endpoint,
    EndpointConfig,
    LinkRequest,
    Network,
)
from netsim.docker.plumbing import Plumbing
from netsim.docker.ports import (
    EPHEMERAL_RANGE,
    HostIp,
    PortAllocator,
    PortMapping,
    PortRequest,
    parse_expose,
    parse_publish,
)
from netsim.docker.registry import Upstream
from netsim.errors import DockerError, IptablesError
from netsim.scenario.spec import DaemonSpec, ImageSpec

# The longest interface name Linux takes (IFNAMSIZ - 1 bytes).
MAX_LINK_NAME = 15

DEFAULT_BIP = IPv4Interface("172.17.0.1/16")
_NAME_RE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
MAX_ALLOCATE_PORT_ATTEMPTS = 10  # libnetwork's bridge driver, for a port it picks
EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z: simulated time starts here


def _timestamp(seconds: float) -> str:
    """Return an RFC 3339 timestamp with nanoseconds, as Docker writes ``Created``."""
    import datetime

    moment = datetime.datetime.fromtimestamp(EPOCH + seconds, tz=datetime.UTC)
    nanos = int(round((seconds % 1) * 1e9))
    # isoformat's first 19 characters are strftime's %Y-%m-%dT%H:%M:%S (years 1000-9999), faster.
    return moment.isoformat()[:19] + f".{nanos:09d}Z"


_ANY_V4: HostIp = IPv4Address("0.0.0.0")
_ANY_V6: HostIp = IPv6Address("::")


@dataclass(slots=True)
class Daemon:
    """dockerd: owns containers and networks and configures the host kernel."""

    spec: DaemonSpec
    profile: EngineProfile
    plumbing: Plumbing
    rng: random.Random
    images: tuple[ImageSpec, ...] = ()
    clock: float = 0.0
    containers: list[Container] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    options: DaemonOptions = field(init=False)
    subnets: SubnetAllocator = field(init=False)
    ports: PortAllocator = field(init=False)
    _installed: dict[str, list[RuleCommand]] = field(default_factory=dict)
    _image_ids: dict[str, str] = field(default_factory=dict)
    # Containers by name, kept with ``containers`` so that a lookup by name does not
    # scan every container of a big host (dockerd keeps a name index too).
    _by_name: dict[str, Container] = field(default_factory=dict)
    _next_pid: int = 1000
    image_store: ImageStore = field(init=False)
    upstream: Upstream | None = None
    _next_lookup_port: int = 40000

    def __post_init__(self) -> None:
        self.options = DaemonOptions(
            icc=self.spec.icc if self.spec.icc is not None else True,
            userland_proxy=(
                self.spec.userland_proxy if self.spec.userland_proxy is not None else True
            ),
            ip_forward=self.spec.ip_forward if self.spec.ip_forward is not None else True,
        )
        pools = self.spec.default_address_pools or BUILTIN_POOLS
        self.subnets = SubnetAllocator(pools=pools, rotating=self.profile.rotating_subnets)
        self.ports = PortAllocator(shared_unspecified=self.profile.shared_port_maps)
        self.image_store = ImageStore(new_id=self.image_id)

    # -- identifiers ---------------------------------------------------------
    def new_id(self) -> str:
        """Return a random 64-hex ID whose 12-char prefix is not all digits (as Docker)."""
        while True:
            ident = f"{self.rng.getrandbits(256):064x}"
            if not ident[:12].isdigit():
                return ident

    def image_id(self, name: str) -> str:
        """Return the 64-hex ID of an image (one per image, made on first use)."""
        if name not in self._image_ids:
            self._image_ids[name] = self.new_id()
        return self._image_ids[name]

    def lookup_port(self) -> int:
        """Return the source port of the daemon's next DNS lookup (deterministic, not Go's)."""
        self._next_lookup_port += 1
        return self._next_lookup_port

    def now(self) -> str:
        """Return the simulated time as Docker's timestamp."""
        return _timestamp(self.clock)

    def now_seconds(self) -> str:
        """Return the simulated time as the CLI's log lines print it (whole seconds, UTC)."""
        return _timestamp(self.clock).split(".", 1)[0] + "Z"

    # -- start-up ------------------------------------------------------------
    def start(self) -> None:
        """Start dockerd: chains, the default bridge, host and none networks."""
        if self.options.ip_forward:
            if self.plumbing.sysctl_get("net.ipv4.ip_forward") != "1":
                self.plumbing.sysctl_set("net.ipv4.ip_forward", "1")
                self.plumbing.iptables(("-t", "filter", "-P", "FORWARD", "DROP"))
        for rule in self.profile.daemon_chains(self.options):
            self._apply(rule)
        bip = self.spec.bip or self._default_bridge_address()
        bridge = Network(
            id=self.new_id(),
            name="bridge",
            driver="bridge",
            created=self.now(),
            subnet=bip.network,
            gateway=bip.ip,
            default_bridge=True,
            bridge_name="docker0",
            # 20.10 lists the default bridge's gateway only when --bip set it.
            icc=self.options.icc,
            user_subnet=True,
            user_gateway=self.spec.bip is not None,
            pool=AddressPool(bip.network),
            options={
                "com.docker.network.bridge.default_bridge": "true",
                "com.docker.network.bridge.enable_icc": str(self.options.icc).lower(),
                "com.docker.network.bridge.enable_ip_masquerade": "true",
                "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
                "com.docker.network.bridge.name": "docker0",
                "com.docker.network.driver.mtu": "1500",
            },
        )
        assert bridge.pool is not None
        bridge.pool.allocate(bip.ip)
        self._create_bridge(bridge)
        self.networks.append(bridge)
        for rule in self.profile.daemon_finish(self.options):
            self._apply(rule)
        for rule in self.profile.after_network(self.options):
            self._apply(rule)
        self.networks.append(
            Network(id=self.new_id(), name="host", driver="host", created=self.now())
        )
        self.networks.append(
            Network(id=self.new_id(), name="none", driver="null", created=self.now())
        )

    def _default_bridge_address(self) -> IPv4Interface:
        """Return docker0's address without --bip: the first free subnet of the pools.

        Both engines take the first subnet of the default address pools that
        overlaps no host route or nameserver (172.17.0.0/16 with the built-in
        pools); 20.10 elects it directly, so its pool rotation does not move.
        """
        pools = self.spec.default_address_pools
        if pools is None:
            return DEFAULT_BIP
        reserved = [self.plumbing.lan_subnet()]
        for subnet in pool_subnets(pools, sort=not self.profile.rotating_subnets):
            if not any(subnet.overlaps(other) for other in reserved):
                return IPv4Interface(f"{subnet.network_address + 1}/{subnet.prefixlen}")
        raise DockerError(
            "could not find an available, non-overlapping IPv4 address pool "
            "among the defaults to assign to the network"
        )

    def _create_bridge(self, network: Network) -> None:
        assert network.subnet is not None and network.gateway is not None
        self.plumbing.create_bridge(
            network.bridge_name,
            IPv4Interface(f"{network.gateway}/{network.subnet.prefixlen}"),
            self._random_mac(),
        )
        if not self.options.userland_proxy:
            self.plumbing.sysctl_set(f"net.ipv4.conf.{network.bridge_name}.route_localnet", "1")
        rules = self.profile.network_rules(network, self.options)
        try:
            for rule in rules:
                self._apply(rule)
        except DockerError:
            # libnetwork brings the bridge up only once its rules are in: a
            # refused rule leaves the bridge down and every rule before it in
            # place, and the network is not created (20.10 and 28.5 alike).
            self.plumbing.set_bridge_down(network.bridge_name)
            raise
        self._installed[network.id] = [r for r in rules if not r[0].startswith("?")]

    def _random_mac(self) -> str:
        data = bytes(self.rng.getrandbits(8) for _ in range(6))
        first = (data[0] & 0xFE) | 0x02
        return ":".join(f"{b:02x}" for b in (first, *data[1:]))

    def _apply(self, rule: RuleCommand) -> None:
        """Run one recipe command (see RuleCommand for the markers).

        Raises:
            DockerError: iptables refused it (say, after ``iptables -X`` took
                Docker's chains away); the engine's own message.
        """
        command = rule[1:] if rule[0].startswith("?") else rule
        try:
            if rule[0] == "?-D":
                self.plumbing.iptables_try(command)
            elif rule[0] == "?once":
                check = tuple("-C" if w == "-A" else w for w in command)
                if not self.plumbing.iptables_try(check):
                    self.plumbing.iptables(command)
            else:
                self.plumbing.iptables(command)
        except IptablesError as error:
            raise DockerError(
                self.profile.rule_error(command, str(error), error.exit_code)
            ) from None

    def _remove_rules(self, rules: list[RuleCommand]) -> None:
        for rule in reversed(rules):
            self.plumbing.iptables_try(to_delete(rule))

    # -- lookups ---------------------------------------------------------------
    def find_container(self, ref: str) -> Container:
        """Return the container a name, ID or unique ID prefix refers to.

        Raises:
            DockerError: ``No such container: REF``.
        """
        name = ref.lstrip("/")
        named = self._by_name.get(name)
        if named is not None and len(ref) < 64:  # a shorter ref cannot be a full ID
            return named
        for container in self.containers:
            if container.name == name or container.id == ref:
                return container
        if ref:
            matches = [c for c in self.containers if c.id.startswith(ref)]
            if len(matches) == 1:
                return matches[0]
        raise DockerError(f"No such container: {ref}", status=404)

    def container_named(self, name: str) -> Container | None:
        """Return the container with exactly this name, if any."""
        return self._by_name.get(name)

    def find_network(self, ref: str) -> Network:
        """Return the network a name, ID or unique ID prefix refers to.

        Raises:
            DockerError: ``network REF not found``.
        """
        for network in self.networks:
            if network.id == ref or network.name == ref:
                return network
        matches = [n for n in self.networks if n.id.startswith(ref)] if ref else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise DockerError(
                f"network {ref} is ambiguous ({len(matches)} matches found based on ID prefix)"
            )
        raise DockerError(f"network {ref} not found", status=404)

    def _container_or_none(self, ref: str) -> Container | None:
        try:
            return self.find_container(ref)
        except DockerError:
            return None

    def _network_or_none(self, ref: str) -> Network | None:
        try:
            return self.find_network(ref)
        except DockerError:
            return None

    def container_networks(self, container: Container) -> list[Network]:
        """Return the networks a container is configured on, sorted by name as Docker lists."""
        return [self.find_network(name) for name in sorted(container.networks)]

    # -- containers --------------------------------------------------------------
    def create_container(self, request: ContainerRequest) -> Container:
        """Create a container (no address, no ports until it starts).

        Raises:
            DockerError: name conflict or invalid name, bad link, bad network options.
        """
        image = self.image_spec(request.image)
        name = request.name or self._generated_name()
        self._check_name(name, name)
        mode = request.network or "default"
        network_name = "bridge" if mode == "default" else mode
        if mode.startswith("container:"):
            if request.publish or request.publish_all:
                raise DockerError(
                    "conflicting options: port publishing and the container type network mode",
                    status=400,
                )
            if request.links:
                raise DockerError(
                    "conflicting options: container type network can't be used with links. "
                    "This would result in undefined behavior",
                    status=400,
                )
            if request.hostname:
                raise DockerError("conflicting options: hostname and the network mode", status=400)
            # The target is looked up when the container starts; one that
            # exists now is remembered by its ID.
            target = self._container_or_none(mode.split(":", 1)[1])
            if target is not None:
                mode = "container:" + target.id
        user_network = network_name not in ("bridge", "host", "none") and ":" not in mode
        on_default_bridge = network_name == "bridge"
        if (
            request.aliases
            and not user_network
            and not (on_default_bridge and self.profile.accepts_aliases_on_default_bridge)
        ):
            raise DockerError(
                "network-scoped alias is supported only for containers in user defined networks",
                status=400,
            )
        if request.ipv4_address is not None and not user_network:
            if on_default_bridge and self.profile.ignores_ip_on_default_bridge:
                pass  # the engine takes the container and _join drops the address
            elif on_default_bridge:
                raise DockerError(
                    "invalid config for network bridge: invalid endpoint settings:\n"
                    "* user specified IP address is supported on user defined networks only\n"
                    "* user specified IP address is supported only when connecting to networks "
                    "with user configured subnets",
                    status=400,
                )
            else:
                raise DockerError(
                    "user specified IP address is supported on user defined networks only",
                    status=400,
                )
        if (
            request.ipv4_address is not None
            and user_network
            and self.profile.refuses_ip_without_user_subnet_at_create
        ):
            network = self._network_or_none(network_name)
            if network is not None and not network.user_subnet:
                raise DockerError(
                    f"invalid config for network {network_name}: invalid endpoint settings:\n"
                    "user specified IP address is supported only when connecting to networks "
                    "with user configured subnets",
                    status=400,
                )
            if network is not None and network.subnet is not None:
                if request.ipv4_address not in network.subnet:
                    raise DockerError(
                        self.profile.address_outside_subnets_error(
                            request.ipv4_address, network_name
                        ),
                        status=400,
                    )
        if mode == "host" and request.links:
            raise DockerError(
                "conflicting options: host type networking can't be used with "
                "links. This would result in undefined behavior",
                status=400,
            )
        links: list[LinkRequest] = []
        for text in request.links:
            child_name, _, alias = text.partition(":")
            try:
                child = self.find_container(child_name)
            except DockerError as error:
                raise DockerError(
                    f"could not get container for {child_name}: {error.message}", status=404
                ) from None
            links.append(LinkRequest(child.name, alias or child_name, child.id))
        publish: list[PortRequest] = []
        for spec in request.publish:
            publish.extend(parse_publish(spec))
        exposed: list[tuple[int, str]] = [(p.port, p.proto) for p in image.expose]
        for text in request.expose:
            exposed += parse_expose(text)
        for req in publish:
            exposed.append((req.container_port, req.proto))
        exposed = sorted(set(exposed))
        cid = self.new_id()
        entrypoint = request.entrypoint if request.entrypoint is not None else image.entrypoint
        if request.command:
            cmd: tuple[str, ...] | None = tuple(request.command)
        else:
            cmd = image.command
        listens = tuple((p.port, p.proto) for p in image.listen)
        if request.command and not (
            image.entrypoint and all(a.startswith("-") for a in request.command)
        ):
            listens = ()
        process = (entrypoint or ()) + (cmd or ())
        # The daemon's merge: the user's variables first, then the image's
        # variables that the user did not set.
        env = list(request.env)
        user_keys = {item.split("=", 1)[0] for item in env}
        env += [item for item in (IMAGE_PATH_ENV,) if item.split("=", 1)[0] not in user_keys]
        target = (
            self._container_or_none(mode.split(":", 1)[1])
            if mode.startswith("container:")
            else None
        )
        if target is not None:
            # Its own short ID until it starts and takes the target's
            # (initializeNetworking; seed 3141 on both engines).
            hostname = cid[:12]
        elif mode == "host":
            hostname = "host"
        else:
            hostname = request.hostname or cid[:12]
        networks: dict[str, EndpointConfig] = {}
        if not mode.startswith("container:"):
            networks[network_name] = EndpointConfig(
                aliases=tuple(request.aliases),
                ipv4_address=request.ipv4_address,
                links=tuple(request.links) if user_network else (),
                ipam_sent=request.endpoint_ipam,
            )
        container = Container(
            id=cid,
            name=name,
            image_ref=request.image,
            image=image,
            created=self.now(),
            created_at=self.clock,
            path=process[0] if process else "",
            args=tuple(process[1:]),
            entrypoint=entrypoint,
            cmd=cmd,
            env=env,
            hostname=hostname,
            exposed=exposed,
            publish=publish,
            publish_all=request.publish_all,
            network_mode=mode,
            networks=networks,
            links=links if not user_network else [],
            auto_remove=request.auto_remove,
            listens=listens,
            detached=request.detached,
            labels=dict(request.labels),
            extra_hosts=request.extra_hosts,
            dns=request.dns,
            stdin_open=request.stdin_open,
            tty=request.tty,
            cap_add=request.cap_add,
            cap_drop=request.cap_drop,
            privileged=request.privileged,
        )
        self.containers.append(container)
        self._by_name[container.name] = container
        self.image_store.note_container(container.id, request.image)
        return container

    def image_spec(self, reference: str) -> ImageSpec:
        """Return what a container of the local image REFERENCE runs.

        An image the store has never held but netsim knows (the catalog or
        ``images:``) is local, as the real replay imports every image a
        scenario names; one removed since (``docker rmi``) is not.

        Raises:
            DockerError: the image is not local.
        """
        stored = self.image_store.find(reference)
        if stored is not None:
            return stored.spec
        image = find_image(reference, self.images)
        if image is None or self.image_store.was_removed(reference):
            raise ImageNotLocal(reference)
        return image

    def _generated_name(self) -> str:
        left = ("admiring", "brave", "clever", "eager", "focused", "gifted", "happy", "keen")
        right = ("turing", "hopper", "lovelace", "ritchie", "thompson", "torvalds", "knuth")
        while True:
            name = f"{self.rng.choice(left)}_{self.rng.choice(right)}"
            if name not in self._by_name:
                return name

    def start_container(self, container: Container) -> None:
        """Start a container: sandbox, endpoints, ports, links, hosts file.

        Raises:
            DockerError: a link to a stopped container, an unknown network, a port
                clash; the container then stays as it was (Created or Exited).
        """
        if container.running:
            return
        container.listed_ports = None
        mode = container.network_mode
        if mode.startswith("container:"):
            reference = mode.split(":", 1)[1]
            found = self._container_or_none(reference)
            if found is None:
                raise DockerError(self.profile.join_missing_error(reference), status=404)
            if not found.running:
                raise DockerError(self.profile.join_not_running_error(reference, found))
        late_link_check = self.profile.checks_links_after_networking
        for link in container.links:
            found_child = self.link_target(link)
            if late_link_check and (found_child is None or not found_child.running):
                continue  # refused once networking is up (below)
            # A removed target is "non running" too (both engines).
            self._check_link_at_start(container, link)
            child = self._linked(link)
            if "bridge" not in child.endpoints:
                raise DockerError(
                    f"Cannot link to /{child.name}, as it does not belong to the default network"
                )
        try:
            networks = [self.find_network(name) for name in container.networks]
            container.sandbox_id = self.new_id()
            container.sandbox_key = f"/var/run/docker/netns/{container.sandbox_id[:12]}"
            if mode == "host":
                self.plumbing.use_host_namespace(container.id)
            elif mode.startswith("container:"):
                target = self.find_container(mode.split(":", 1)[1])
                self.plumbing.share_namespace(container.id, target.id)
                container.hostname = target.hostname
            else:
                self.plumbing.create_namespace(container.id)
            for network in networks:
                container.network_ids[network.name] = network.id
                if network.is_bridge:
                    self._join(container, network)
                else:
                    container.endpoint_ids[network.name] = self.new_id()
            if (
                any(network.user_defined for network in networks)
                and not mode.startswith("container:")
                and mode != "host"
            ):
                self._setup_embedded_dns(container, new_sandbox=True)
            if networks and networks[0].is_bridge and not networks[0].internal:
                self._publish(container, networks[0])
            self._program_links(container)
            container.hosts_entries = self._hosts_entries(container)
        except DockerError as error:
            self._release_network(container)
            raise DockerError(
                self.profile.networking_error(error.message), status=error.status
            ) from None
        if late_link_check:
            try:
                for link in container.links:
                    self._check_link_at_start(container, link)
            except DockerError:
                # ps's view was saved with this attempt's ports (seen on 20.10).
                container.listed_ports = tuple(container.ports)
                self._release_network(container)
                raise
        program = container.command_line[0] if container.command_line else ""
        if not has_program(container.image, program):
            # The runtime cannot start the process; networking is torn down
            # again and the container stays as it was.
            self._release_network(container)
            raise DockerError(
                self.profile.task_error(
                    f"failed to create shim task: OCI runtime create failed: runc create failed: "
                    f'unable to start container process: exec: "{program}": executable file not '
                    "found in $PATH: unknown"
                ),
                exit_code=127,
            )
        container.state = "running"
        container.exit_code = 0
        container.pid = self._next_pid
        self._next_pid += 17
        container.started_at = self.clock
        container.started_time = self.now()
        container.finished_time = ""
        container.link_env = self._link_env(container)
        self._update_parents(container)

    def _check_link_at_start(self, container: Container, link: LinkRequest) -> None:
        """Refuse a start for a link target that does not run.

        A start that fails leaves exit code 128 where it was 0 (containerStart's
        cleanup; seed 3123 on both engines: ``Exited (128)`` after a refused
        restart).

        Raises:
            DockerError: ``Cannot link to a non running container``.
        """
        try:
            self.check_link_running(container, link)
        except DockerError:
            if container.exit_code == 0:
                container.exit_code = 128
            raise

    def link_target(self, link: LinkRequest) -> Container | None:
        """Return the container LINK points to, or None once it was removed."""
        child = self._container_or_none(link.child_name)
        if child is None or (link.child_id and child.id != link.child_id):
            return None
        return child

    def _linked(self, link: LinkRequest) -> Container:
        """Return the container LINK points to (checked to run before)."""
        child = self.link_target(link)
        assert child is not None, link
        return child

    def check_link_running(self, container: Container, link: LinkRequest) -> None:
        """Refuse a link whose target does not run (stopped, or removed since).

        Both engines check this when the parent starts, and again on every
        ``docker exec`` in the parent (the exec's environment holds the links).

        Raises:
            DockerError: ``Cannot link to a non running container``.
        """
        child = self.link_target(link)
        if child is None or not child.running:
            raise DockerError(
                f"Cannot link to a non running container: /{link.child_name} AS "
                f"/{container.name}/{link.alias}"
            )

    def _join(self, container: Container, network: Network) -> None:
        """Create the endpoint: address, MAC, veth into the container, rules."""
        assert network.pool is not None and network.subnet is not None
        config = container.networks.get(network.name, EndpointConfig())
        requested = config.ipv4_address
        if network.default_bridge and self.profile.ignores_ip_on_default_bridge:
            requested = None
        if requested is not None and not network.user_subnet:
            raise DockerError(
                "user specified IP address is supported only when connecting to "
                "networks with user configured subnets"
            )
        if requested is not None and requested not in network.subnet:
            raise DockerError(
                self.profile.address_outside_subnets_error(requested, None), status=400
            )
        try:
            address = network.pool.allocate(requested)
        except DockerError as error:
            if error.message.startswith("no available"):
                raise DockerError(
                    f"no available IPv4 addresses on this network's address "
                    f"pools: {network.name} ({network.id})"
                ) from None
            raise DockerError(
                self.profile.requested_address_error(error.message),
                status=error.status,
                exit_code=error.exit_code,
            ) from None
        # From the number: ipaddress would print an address object and parse the text.
        interface = IPv4Interface((int(address), network.subnet.prefixlen))
        mac = self.profile.generate_mac(address, bytes(self.rng.getrandbits(8) for _ in range(6)))
        veth = "veth" + f"{self.rng.getrandbits(28):07x}"
        if self.profile.numbers_interfaces_per_sandbox:
            # 20.10 counts interfaces per sandbox and never reuses a number.
            ifname = f"eth{container.interfaces_made}"
        else:
            # 28 names the new interface after the lowest free ethN.
            taken = {e.ifname for e in container.endpoints.values()}
            ifname = next(f"eth{n}" for n in range(len(taken) + 1) if f"eth{n}" not in taken)
        container.interfaces_made += 1
        gateway = network.gateway
        with_default_route = not network.internal or self.profile.internal_keeps_default_route
        is_first = not container.endpoints
        self.plumbing.attach_endpoint(
            container.id,
            network.bridge_name,
            veth,
            ifname,
            interface,
            mac,
            gateway if (with_default_route and is_first) else None,
        )
        endpoint = Endpoint(
            network=network,
            id=self.new_id(),
            address=interface,
            mac=mac,
            host_veth=veth,
            ifname=ifname,
        )
        container.endpoints[network.name] = endpoint
        container.network_ids[network.name] = network.id
        container.endpoint_ids[network.name] = endpoint.id
        rules = self.profile.endpoint_rules(network, address)
        for rule in rules:
            self._apply(rule)
        self._installed[endpoint.id] = rules

    def _setup_embedded_dns(self, container: Container, *, new_sandbox: bool) -> None:
        """Redirect 127.0.0.11:53 to the resolver's random ports inside the sandbox.

        libnetwork's resolver listens on two random ports in the container's
        namespace and inserts these nat rules there (resolver_unix.go): UDP
        first, then TCP, each with -I, so TCP lists first. In a NEW_SANDBOX
        (the start's, nothing else wrote its tables) they cannot fail and go in
        when something first reads the tables.
        """
        tcp_port = self.rng.randrange(32768, 61000)
        udp_port = self.rng.randrange(32768, 61000)
        container.dns_ports = (tcp_port, udp_port)
        dns = "127.0.0.11"
        commands: list[tuple[str, ...]] = [
            ("-t", "nat", "-N", "DOCKER_OUTPUT"),
            ("-t", "nat", "-N", "DOCKER_POSTROUTING"),
            ("-t", "nat", "-A", "OUTPUT", "-d", f"{dns}/32", "-j", "DOCKER_OUTPUT"),
            ("-t", "nat", "-A", "POSTROUTING", "-d", f"{dns}/32", "-j", "DOCKER_POSTROUTING"),
        ]
        for proto, port in (("udp", udp_port), ("tcp", tcp_port)):
            commands += [
                (
                    "-t",
                    "nat",
                    "-I",
                    "DOCKER_OUTPUT",
                    "-d",
                    f"{dns}/32",
                    "-p",
                    proto,
                    "-m",
                    proto,
                    "--dport",
                    "53",
                    "-j",
                    "DNAT",
                    "--to-destination",
                    f"{dns}:{port}",
                ),
                (
                    "-t",
                    "nat",
                    "-I",
                    "DOCKER_POSTROUTING",
                    "-s",
                    f"{dns}/32",
                    "-p",
                    proto,
                    "-m",
                    proto,
                    "--sport",
                    str(port),
                    "-j",
                    "SNAT",
                    "--to-source",
                    ":53",
                ),
            ]
        for command in commands:
            if new_sandbox:
                self.plumbing.sandbox_iptables_later(container.id, command)
            else:
                self.plumbing.sandbox_iptables(container.id, command)

    def _publish(self, container: Container, network: Network) -> None:
        """Allocate host ports and program DNAT for the container's published ports."""
        endpoint = container.endpoints[network.name]
        requests = list(container.publish)
        if container.publish_all:
            published = {(r.container_port, r.proto) for r in requests}
            for port, proto in container.exposed:
                if (port, proto) not in published:
                    requests.append(PortRequest(port, proto, None, None, None))
        requests = self.profile.publish_order(requests)
        mappings: list[PortMapping] = []
        rules: list[RuleCommand] = []
        try:
            self._check_range_left(requests)
            # Every port is allocated (and bound) before any rule goes in: a request
            # that cannot be met (``-p 1-65535`` with dynamic host ports runs out of
            # the ephemeral range) is refused before thousands of rules are written
            # and taken out again; the rules that do go in, go in the same order.
            for request in requests:
                for host_ips in self._binding_families(request):
                    port = self._request_port(container, request, host_ips)
                    for host_ip in host_ips:
                        mapping = PortMapping(request.container_port, request.proto, host_ip, port)
                        mappings.append(mapping)
                        if self.plumbing.host_port_in_use(request.proto, port) or (
                            self._proxy_holds(container, mapping)
                        ):
                            # The allocator does not know the host's own sockets;
                            # the bind of the host port is what fails.
                            raise DockerError(
                                self.profile.bind_error(
                                    mapping, endpoint.address.ip, self.options.userland_proxy
                                )
                            )
            for mapping in mappings:
                if mapping.host_ip.version == 4:
                    new_rules = self.profile.port_rules(
                        network, endpoint.address, mapping, self.options
                    )
                    for rule in new_rules:
                        self._apply(rule)
                    rules.extend(new_rules)
        except DockerError as error:
            self._remove_rules(rules)
            for mapping in mappings:
                self.ports.release(mapping.host_ip, mapping.proto, mapping.host_port)
            raise DockerError(
                f"driver failed programming external connectivity on endpoint "
                f"{container.name} ({endpoint.id}): {error.message}"
            ) from None
        container.ports = mappings
        self._installed[container.id + "/ports"] = rules

    def _check_range_left(self, requests: list[PortRequest]) -> None:
        """Refuse at once dynamic host ports that surely run out of the ephemeral range.

        Raises:
            DockerError: ``all ports are allocated``, as allocating them one by
                one would (PortAllocator.runs_out says when that is sure).
        """
        if len(requests) <= EPHEMERAL_RANGE[1] - EPHEMERAL_RANGE[0] + 1 or any(
            r.host_port_start is not None for r in requests
        ):
            return
        families: dict[HostIp | None, list[list[HostIp]]] = {}
        groups: list[tuple[list[HostIp], str]] = []
        for request in requests:
            found = families.get(request.host_ip)
            if found is None:
                found = families[request.host_ip] = self._binding_families(request)
            groups.extend((host_ips, request.proto) for host_ips in found)
        unusable = set().union(
            *(self.plumbing.host_ports_in_use(proto) for proto in {r.proto for r in requests})
        )
        if self.ports.runs_out(groups, unusable):
            raise DockerError("all ports are allocated")

    def _request_port(
        self, container: Container, request: PortRequest, host_ips: list[HostIp]
    ) -> int:
        """Allocate a host port; an ephemeral one whose proxy could not bind is tried again.

        The bridge driver retries a port it chose itself up to 10 times
        (``maxAllocatePortAttempts``); the allocator moves on each time.
        """
        for _ in range(MAX_ALLOCATE_PORT_ATTEMPTS - 1):
            port = self.ports.request(
                host_ips, request.proto, request.host_port_start, request.host_port_end
            )
            if request.host_port_start is not None or not any(
                self._proxy_holds(
                    container, PortMapping(request.container_port, request.proto, ip, port)
                )
                for ip in host_ips
            ):
                return port
            for ip in host_ips:
                self.ports.release(ip, request.proto, port)
        return self.ports.request(
            host_ips, request.proto, request.host_port_start, request.host_port_end
        )

    def _proxy_holds(self, container: Container, mapping: PortMapping) -> bool:
        """Return whether another container's docker-proxy already listens where this binds.

        The port allocator keeps each host address apart (20.10), but the
        proxies' sockets clash: one on 0.0.0.0:P holds P on every IPv4
        address of the host, so a proxy for 127.0.0.1:P cannot bind.
        """
        if not self.options.userland_proxy:
            return False
        # Every published mapping is allocated, so a port no other address of the
        # family holds cannot clash; this spares a scan of every container.
        if not self.ports.held_elsewhere(mapping.host_ip, mapping.proto, mapping.host_port):
            return False
        for other in self.containers:
            if other is container or not other.running:
                continue
            for held in other.ports:
                if (held.proto, held.host_port) != (mapping.proto, mapping.host_port):
                    continue
                if held.host_ip.version != mapping.host_ip.version:
                    continue
                if held.host_ip == mapping.host_ip:
                    continue  # the allocator refuses that one itself
                if held.host_ip.is_unspecified or mapping.host_ip.is_unspecified:
                    return True
        return False

    def _binding_families(self, request: PortRequest) -> list[list[HostIp]]:
        """Return the host-address groups one request binds (0.0.0.0 and :: for no address)."""
        if request.host_ip is not None:
            return [[request.host_ip]]
        v4: HostIp = _ANY_V4
        v6: HostIp = _ANY_V6
        if not self.options.userland_proxy:
            return [[v4]]
        if self.profile.shared_port_maps:
            return [[v4, v6]]
        return [[v4], [v6]]

    def _link_rules(self, container: Container) -> list[RuleCommand]:
        """Return the icc=false ACCEPT pairs of the links, with the children's addresses now."""
        if self.options.icc or "bridge" not in container.endpoints:
            return []
        parent = container.endpoints["bridge"]
        rules: list[RuleCommand] = []
        for link in container.links:
            child = self.link_target(link)
            child_ep = child.endpoints.get("bridge") if child is not None else None
            if child is None or child_ep is None:
                continue
            rules += self.profile.link_rules(
                parent.network, parent.address.ip, child_ep.address.ip, child.exposed
            )
        return rules

    def _program_links(self, container: Container) -> None:
        """Install the icc=false ACCEPT pairs for the container's links."""
        for rule in self._link_rules(container):
            self._apply(rule)

    def _unprogram_links(self, container: Container) -> None:
        """Delete the link rules as libnetwork's Leave does: built from the children's
        addresses now, so rules naming a child's old address stay behind (seen on
        both engines when the child came back with another address)."""
        self._remove_rules(self._link_rules(container))

    def _hosts_entries(self, container: Container) -> list[tuple[str, str]]:
        """Return the /etc/hosts lines after the defaults: links, then own addresses."""
        entries: list[tuple[str, str]] = []
        for link in container.links:
            child = self.link_target(link)
            endpoint = child.endpoints.get("bridge") if child is not None else None
            if child is None or endpoint is None:
                continue
            names = f"{link.alias} {child.hostname}"
            if child.name != link.alias:
                names += f" {child.name}"
            entries.append((str(endpoint.address.ip), names))
        # --add-host (Compose's extra_hosts) lines come before the container's own.
        for item in container.extra_hosts or ():
            host, _, address = item.partition(":")
            entries.append((address, host))
        for endpoint in container.endpoints.values():
            entries.append((str(endpoint.address.ip), _hosts_names(container.hostname)))
        return entries

    def _link_port_order(
        self, port: tuple[int, str]
    ) -> tuple[bool, str, int] | tuple[int, bool, str]:
        """Return the key that orders a link's exposed ports as this engine does."""
        number, proto = port
        if self.profile.link_env_by_protocol:
            return (proto != "tcp", proto, number)
        return (number, proto != "tcp", proto)

    def _link_env(self, container: Container) -> list[str]:
        """Return the environment variables the container's links define (links.go ToEnv)."""
        env: list[str] = []
        for link in container.links:
            child = self._linked(link)
            endpoint = child.endpoints.get("bridge")
            if endpoint is None:
                continue
            ip = endpoint.address.ip
            alias = link.alias.upper().replace("-", "_")
            ports = sorted(child.exposed, key=self._link_port_order)
            if ports:
                env.append(f"{alias}_PORT={ports[0][1]}://{ip}:{ports[0][0]}")
            if self.profile.link_env_by_protocol:
                env += _port_env_28(alias, ip, ports)
            else:
                env += _port_env_20(alias, ip, ports)
            env.append(f"{alias}_NAME=/{container.name}/{link.alias}")
            for item in child.env:
                key, _, value = item.partition("=")
                if key not in ("HOME", "PATH"):
                    env.append(f"{alias}_ENV_{key}={value}")
        # A variable set twice (a port range's first port) keeps its first place.
        merged: dict[str, str] = {}
        for item in env:
            merged[item.split("=", 1)[0]] = item
        return list(merged.values())

    def _update_parents(self, child: Container) -> None:
        """Rewrite links' addresses in running parents when a child starts (20.10 and 28).

        Both the parents' /etc/hosts and the link variables ``docker exec env``
        shows follow the child's new address.
        """
        endpoint = child.endpoints.get("bridge")
        if endpoint is None:
            return
        for parent in self.containers:
            if not parent.running:
                continue
            for link in parent.links:
                if link.child_id == child.id:
                    parent.hosts_entries = [
                        (str(endpoint.address.ip), names)
                        if names.split()[0] == link.alias
                        else (ip, names)
                        for ip, names in parent.hosts_entries
                    ]
                    with contextlib.suppress(DockerError):  # another link's child is gone
                        parent.link_env = self._link_env(parent)

    def stop_container(
        self, container: Container, *, exit_code: int = 0, restarting: bool = False
    ) -> None:
        """Stop a running container: release ports, addresses and rules.

        A ``--rm`` container is removed too, unless it stops to restart.
        """
        if not container.running:
            return
        self._release_network(container)
        container.state = "exited"
        container.exit_code = exit_code
        container.pid = 0
        container.finished_at = self.clock
        container.finished_time = self.now()
        if container.auto_remove and not restarting:
            self.containers.remove(container)
            del self._by_name[container.name]

    def _release_network(self, container: Container) -> None:
        self._unprogram_links(container)
        self._remove_rules(self._installed.pop(container.id + "/ports", []))
        for mapping in container.ports:
            self.ports.release(mapping.host_ip, mapping.proto, mapping.host_port)
        container.ports = []
        for endpoint in list(container.endpoints.values()):
            self._leave(container, endpoint)
        container.endpoints.clear()
        container.endpoint_ids.clear()
        container.dns_ports = None
        container.interfaces_made = 0
        self.plumbing.delete_namespace(container.id)

    def _leave(self, container: Container, endpoint: Endpoint) -> None:
        """Tear one endpoint down: its rules, its veth pair and its address."""
        self._remove_rules(self._installed.pop(endpoint.id, []))
        self.plumbing.detach_endpoint(container.id, endpoint.host_veth)
        assert endpoint.network.pool is not None
        endpoint.network.pool.release(endpoint.address.ip)
        container.endpoints.pop(endpoint.network.name, None)

    def _check_name(self, shown: str, name: str, prefix: str = "") -> None:
        """Refuse an invalid container name or one in use (reserveName): ``prefix`` + Docker's text.

        ``shown`` is the name as the request gave it, ``name`` the key the
        daemon keeps containers under.
        """
        if not _NAME_RE.match(shown):
            raise DockerError(
                f"{prefix}Invalid container name ({shown}), "
                "only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
                status=400,
            )
        existing = self._by_name.get(name)
        if existing is not None:
            raise DockerError(
                f'{prefix}Conflict. The container name "/{name}" is already in use by container '
                f'"{existing.id}". You have to remove (or rename) that container to be able'
                " to reuse that name.",
                status=409,
            )

    def rename_container(self, ref: str, new_name: str) -> None:
        """Give a container another name, as the daemon's ContainerRename does.

        The embedded DNS and the links follow the container's name (seen on
        20.10 and 28.5): a link to it still holds (by ID) and names it anew in
        ``HostConfig.Links`` and in the parent's /etc/hosts at its next start;
        a renamed parent's ``docker exec`` shows ``ALIAS_NAME=/NEW/alias`` at
        once (the exec's link variables are built when it runs). The
        container's hostname and /etc/hosts stay as they were.

        Raises:
            DockerError: no such container, the same name, an invalid name or
                a name in use (``Error when allocating new name: ...``).
        """
        if not ref or not new_name:
            raise DockerError("Neither old nor new names may be empty", status=400)
        container = self.find_container(ref)
        wanted = new_name if new_name.startswith("/") else "/" + new_name
        if wanted == "/" + container.name:
            raise DockerError(
                "Renaming a container with the same name as its current name", status=400
            )
        # reserveName checks the name as ContainerRename made it, with its "/".
        name = wanted[1:]
        self._check_name(wanted, name, "Error when allocating new name: ")
        old = container.name
        del self._by_name[old]
        container.name = name
        self._by_name[name] = container
        for parent in self.containers:
            parent.links = [
                replace(link, child_name=name)
                if link.child_id == container.id or (not link.child_id and link.child_name == old)
                else link
                for link in parent.links
            ]
        if container.running and container.links:
            with contextlib.suppress(DockerError):  # a link's child is gone
                container.link_env = self._link_env(container)

    def remove_container(self, container: Container, *, force: bool) -> None:
        """Remove a container (``-f`` stops it first).

        Raises:
            DockerError: the container runs and ``force`` is false.
        """
        if container.running:
            if not force:
                raise DockerError(self.profile.remove_running_error(container), status=409)
            self._release_network(container)
            container.state = "exited"
        if container in self.containers:
            self.containers.remove(container)
            del self._by_name[container.name]
            self.image_store.forget_container(container.id)

    # -- networks -------------------------------------------------------------
    def create_network(
        self,
        name: str,
        *,
        driver: str = "bridge",
        subnet: IPv4Network | None = None,
        gateway: IPv4Address | None = None,
        ip_range: IPv4Network | None = None,
        internal: bool = False,
        options: dict[str, str] | None = None,
        labels: dict[str, str] | None = None,
        attachable: bool = False,
    ) -> Network:
        """Create a user-defined bridge network.

        Raises:
            DockerError: duplicate name, predefined name, overlapping subnet,
                exhausted pools.
        """
        if name in ("bridge", "host", "none"):
            raise DockerError(
                f"operation is not permitted on predefined {name} network ", status=403
            )
        if any(n.name == name for n in self.networks):
            raise DockerError(f"network with name {name} already exists", status=409)
        if driver not in ("bridge",):
            raise DockerError(f'plugin "{driver}" not found', status=404)
        in_use = [n.subnet for n in self.networks if n.subnet is not None]
        if subnet is not None:
            if any(subnet.overlaps(other) for other in in_use):
                raise DockerError(self.profile.pool_overlap_message, status=403)
            chosen = subnet
        else:
            reserved = [self.plumbing.lan_subnet()]
            chosen = self.subnets.allocate(in_use, reserved)
        network_id = self.new_id()
        bridge_name = (options or {}).get("com.docker.network.bridge.name", f"br-{network_id[:12]}")
        if any(n.bridge_name == bridge_name for n in self.networks) or self.plumbing.link_exists(
            bridge_name
        ):
            # libnetwork checks the name against existing bridges before it asks netlink.
            raise DockerError(
                f"bridge name {bridge_name} already in use by network "
                f"{_owner_of(self.networks, bridge_name)}",
                status=403,
            )
        if len(bridge_name.encode("utf-8")) > MAX_LINK_NAME:
            # Looking the bridge up by a name longer than IFNAMSIZ - 1 makes
            # netlink answer ERANGE; nothing is created (checked on 20.10 and 28.5).
            raise DockerError(self.profile.bridge_name_range_message)
        pool = AddressPool(chosen, ip_range)
        user_gateway = gateway is not None
        if gateway is None:
            # libnetwork asks the pool (--ip-range included) for the gateway first.
            gateway = pool.allocate()
        else:
            pool.allocate(gateway)
        opts = dict(options or {})
        icc = opts.get("com.docker.network.bridge.enable_icc", "true") != "false"
        network = Network(
            id=network_id,
            name=name,
            driver=driver,
            created=self.now(),
            subnet=chosen,
            gateway=gateway,
            ip_range=ip_range,
            user_subnet=subnet is not None,
            user_gateway=user_gateway,
            internal=internal,
            bridge_name=bridge_name,
            icc=icc,
            pool=pool,
            options=opts,
            labels=dict(labels or {}),
            attachable=attachable,
        )
        self._create_bridge(network)
        for rule in self.profile.after_network(self.options):
            self._apply(rule)
        self.networks.append(network)
        return network

    def remove_network(self, network: Network) -> None:
        """Remove a user-defined network.

        Raises:
            DockerError: a predefined network, or one with active endpoints.
        """
        if not network.user_defined:
            raise DockerError(
                f"{network.name} is a pre-defined network and cannot be removed", status=403
            )
        users = [c for c in self.containers if network.name in c.endpoints]
        if users:
            raise DockerError(self.profile.active_endpoints_error(network, users), status=403)
        self._remove_rules(self._installed.pop(network.id, []))
        self.plumbing.delete_bridge(network.bridge_name)
        self.networks.remove(network)

    def connect(
        self,
        network: Network,
        container: Container,
        *,
        aliases: tuple[str, ...],
        ipv4_address: IPv4Address | None,
        cli_request: bool = True,
        ipam_sent: bool = True,
    ) -> None:
        """Attach a container to a network (at once if it runs).

        Raises:
            DockerError: special network modes, already connected, address errors.
        """
        mode = container.network_mode
        if network.name == "host" or mode == "host":
            raise DockerError(self._host_network_refusal(), status=400)
        if mode == "none" or network.name == "none":
            raise DockerError(
                "container cannot be connected to multiple networks with one of "
                "the networks in private (none) mode",
                status=400,
            )
        if mode.startswith("container:"):
            raise DockerError(
                "container sharing network namespace with another container or "
                "host cannot be connected to any other network",
                status=400,
            )
        if network.name in container.networks:
            raise DockerError(self.profile.already_connected_error(container, network), status=403)
        if aliases and not network.user_defined:
            raise DockerError(
                "network-scoped alias is supported only for containers in user defined networks",
                status=400,
            )
        container.networks[network.name] = EndpointConfig(
            aliases=aliases,
            ipv4_address=ipv4_address,
            connected=True,
            ipam_sent=cli_request or ipam_sent,
            driver_opts_sent=cli_request,
        )
        if container.running:
            before = self._gateway_endpoint(container)
            try:
                self._join(container, network)
            except DockerError:
                del container.networks[network.name]
                raise
            self._move_gateway(container, before)
            if network.user_defined and container.dns_ports is None:
                self._setup_embedded_dns(container, new_sandbox=False)
            endpoint = container.endpoints[network.name]
            container.hosts_entries.append(
                (str(endpoint.address.ip), _hosts_names(container.hostname))
            )

    def _host_network_refusal(self, *, disconnect: bool = False) -> str:
        if disconnect:
            return self.profile.host_disconnect_message
        return "container cannot be disconnected from host network or connected to host network"

    def disconnect(self, network: Network, container: Container) -> None:
        """Detach a container from a network.

        Raises:
            DockerError: not connected, or a special network mode.
        """
        if network.name == "host" or container.network_mode == "host":
            raise DockerError(self._host_network_refusal(disconnect=True), status=400)
        if network.name not in container.networks:
            raise DockerError(
                f"container {container.id} is not connected to network {network.name}", status=403
            )
        del container.networks[network.name]
        container.endpoint_ids.pop(network.name, None)
        container.network_ids.pop(network.name, None)
        endpoint = container.endpoints.get(network.name)
        if endpoint is not None:
            before = self._gateway_endpoint(container)
            if before is endpoint:
                # Leaving the network that carries the published ports revokes them.
                self._revoke_ports(container)
            self._leave(container, endpoint)
            self._move_gateway(container, None if before is endpoint else before)
            container.hosts_entries = self._hosts_after_leave(container, endpoint)

    def _hosts_after_leave(self, container: Container, endpoint: Endpoint) -> list[tuple[str, str]]:
        """Return a container's /etc/hosts lines after it leaves ``endpoint``'s network."""
        if self.profile.hosts_leave_by_short_id:
            if not endpoint.network.user_defined:
                return container.hosts_entries
            return [entry for entry in container.hosts_entries if entry[1] != container.short_id]
        address = str(endpoint.address.ip)
        return [entry for entry in container.hosts_entries if entry[0] != address]

    def _gateway_endpoint(self, container: Container) -> Endpoint | None:
        """Return the endpoint that carries the default route and the published ports.

        Both engines order a sandbox's endpoints (libnetwork's ``Less``):
        endpoints on internal networks last, then by network name; the first
        with a gateway is the gateway endpoint. An internal network gives none
        on 28.5 (no default route there), but does on 20.10.
        """
        candidates = [
            e
            for e in container.endpoints.values()
            if e.network.is_bridge
            and e.network.gateway is not None
            and (self.profile.internal_keeps_default_route or not e.network.internal)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda e: (e.network.internal, e.network.name))

    def _revoke_ports(self, container: Container) -> None:
        """Remove a container's port mappings: rules and host ports."""
        self._remove_rules(self._installed.pop(container.id + "/ports", []))
        for mapping in container.ports:
            self.ports.release(mapping.host_ip, mapping.proto, mapping.host_port)
        container.ports = []

    def _move_gateway(self, container: Container, before: Endpoint | None) -> None:
        """After a connect or disconnect, move the default route and ports if the gateway moved.

        ``before`` is the gateway endpoint before the change (None when it was
        the one that left). The default route is replaced by the new gateway
        endpoint's, and the published ports are programmed on it (libnetwork's
        external connectivity follows the gateway endpoint).
        """
        after = self._gateway_endpoint(container)
        if after is before:
            return
        if before is not None:
            self._revoke_ports(container)
        if after is None:
            return
        assert after.network.gateway is not None
        self.plumbing.set_default_route(container.id, after.network.gateway, after.ifname)
        if (container.publish or container.publish_all) and not after.network.internal:
            self._publish(container, after.network)


def _owner_of(networks: list[Network], bridge_name: str) -> str:
    """Return the name of the network that owns a bridge (the host's own link: none)."""
    return next((n.name for n in networks if n.bridge_name == bridge_name), "(none)")


def _hosts_names(hostname: str) -> str:
    """Return a container's own /etc/hosts names: ``FQDN SHORT`` when the name has a domain."""
    short, dot, _ = hostname.partition(".")
    return f"{hostname} {short}" if dot else hostname


@dataclass(frozen=True, slots=True)
class ContainerRequest:
    """What ``docker run``/``docker create`` asks for, from its options."""

    image: str
    name: str | None = None
    command: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] | None = None
    env: tuple[str, ...] = ()
    hostname: str | None = None
    publish: tuple[str, ...] = ()
    publish_all: bool = False
    expose: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    network: str | None = None
    aliases: tuple[str, ...] = ()
    ipv4_address: IPv4Address | None = None
    auto_remove: bool = False
    detached: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    # None: the API request left them out (inspect shows null); Compose sends
    # an empty ExtraHosts list and no Dns list, the docker CLI the reverse.
    extra_hosts: tuple[str, ...] | None = None
    dns: tuple[str, ...] | None = ()
    endpoint_ipam: bool = False  # Compose always sends an (empty) IPAMConfig
    stdin_open: bool = False
    tty: bool = False
    cap_add: tuple[str, ...] | None = None
    cap_drop: tuple[str, ...] | None = None
    privileged: bool = False


def _port_env_28(alias: str, ip: IPv4Address, ports: list[tuple[int, str]]) -> list[str]:
    """Return a link's port variables in 28's order (profile ``link_env_by_protocol``).

    Each port's four variables in turn; a run of consecutive ports of one
    protocol gets its four range variables once the next port (or the end)
    shows it has ended, so after that next port's own.
    """
    if not ports:
        return []
    env: list[str] = []
    start = end = ports[0]
    for i, (port, proto) in enumerate(ports):
        env += _one_port_env(alias, ip, port, proto)
        if port == end[0] + 1 and proto == start[1]:
            end = (port, proto)
            if i < len(ports) - 1:
                continue
        if end != start:
            first = f"{alias}_PORT_{start[0]}_{start[1].upper()}"
            env += [
                f"{first}_START={start[1]}://{ip}:{start[0]}",
                f"{first}_PORT_START={start[0]}",
                f"{first}_END={end[1]}://{ip}:{end[0]}",
                f"{first}_PORT_END={end[0]}",
            ]
        start = end = (port, proto)
    return env


def _port_env_20(alias: str, ip: IPv4Address, ports: list[tuple[int, str]]) -> list[str]:
    """Return a link's port variables in 20.10's order: each run's six, then each port's four.

    20.10's links.go finds a run with ``nextContiguous``, which counts places
    in the sorted list, not protocols: each next port may be at most one more
    than the last (an equal number does not end it), and a run needs three
    places or more. The run's ``_START``/``_ADDR``/``_PROTO``/``_PORT_START``
    are named after its first port, its ``_END``/``_PORT_END`` after the first
    port's number and the last port's protocol (``K_PORT_80_SCTP_END`` for
    80/tcp ... 85/sctp; checked on 20.10.24).
    """
    env: list[str] = []
    i = 0
    while i < len(ports):
        j = _next_contiguous(ports, i)
        if j > i + 1:
            first, proto = ports[i]
            last, last_proto = ports[j]
            prefix = f"{alias}_PORT_{first}_{proto.upper()}"
            ending = f"{alias}_PORT_{first}_{last_proto.upper()}"
            env += [
                f"{prefix}_START={proto}://{ip}:{first}",
                f"{prefix}_ADDR={ip}",
                f"{prefix}_PROTO={proto}",
                f"{prefix}_PORT_START={first}",
                f"{ending}_END={last_proto}://{ip}:{last}",
                f"{ending}_PORT_END={last}",
            ]
            i = j + 1
        else:
            i += 1
    for port, proto in ports:
        env += _one_port_env(alias, ip, port, proto)
    return env


def _next_contiguous(ports: list[tuple[int, str]], index: int) -> int:
    """Return the last place of the run that starts at ``index`` (20.10's ``nextContiguous``)."""
    value = ports[index][0]
    for place in range(index + 1, len(ports)):
        if ports[place][0] > value + 1:
            return place - 1
        value += 1
    return len(ports) - 1


def _one_port_env(alias: str, ip: IPv4Address, port: int, proto: str) -> list[str]:
    """Return the four variables a link gives each exposed port (both engines)."""
    prefix = f"{alias}_PORT_{port}_{proto.upper()}"
    return [
        f"{prefix}={proto}://{ip}:{port}",
        f"{prefix}_ADDR={ip}",
        f"{prefix}_PORT={port}",
        f"{prefix}_PROTO={proto}",
    ]
