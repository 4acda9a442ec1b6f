"""Read a Compose file (inline in a scenario, next to it, or on its own) into frozen values.

What Compose v2 (2.26) does with a file before it talks to the Engine, the
parts that shape the network: project and network names, the services'
networks with aliases and fixed addresses, ``network_mode``, ports in short
and long syntax, ``expose``, ``links``, ``depends_on``, replicas,
``extra_hosts``, ``dns``, ``hostname``, ``container_name``. Invalid files fail with
Compose's own message, located at the file and line (``ScenarioError``).

Keys of the Compose specification that netsim does not simulate are never
dropped silently: the ones that touch the network (``dns_search``, ``mac_address``...)
are listed as "not simulated", the others as "ignored", once each, in
:attr:`ComposeFile.notes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, ip_address, ip_network

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netsim.errors import ScenarioError
from netsim.scenario.words import split_words
from netsim.scenario.yamlsource import Document, join_key, line_of

# What Compose 2.26 prints for a project it refuses ("invalid compose project").
INVALID_PROJECT = "invalid compose project"

TOP_KEYS = ("version", "name", "services", "networks", "volumes", "configs", "secrets", "include")
SIMULATED_SERVICE_KEYS = (
    "image",
    "container_name",
    "hostname",
    "command",
    "entrypoint",
    "environment",
    "ports",
    "expose",
    "networks",
    "network_mode",
    "links",
    "depends_on",
    "deploy",
    "scale",
    "extra_hosts",
    "dns",
    "cap_add",
    "cap_drop",
    "privileged",
)
# Keys of the Compose specification that change what the network looks like
# but that netsim does not model (yet): reported, never silently dropped.
NETWORK_SERVICE_KEYS = (
    "dns_opt",
    "dns_search",
    "domainname",
    "mac_address",
    "external_links",
    "sysctls",
    "ipc",
    "pid",
    "uts",
    "userns_mode",
    "volumes_from",
)
OTHER_SERVICE_KEYS = (
    "annotations",
    "attach",
    "build",
    "blkio_config",
    "cgroup",
    "cgroup_parent",
    "configs",
    "cpu_count",
    "cpu_percent",
    "cpu_shares",
    "cpu_quota",
    "cpu_period",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpus",
    "cpuset",
    "credential_spec",
    "develop",
    "device_cgroup_rules",
    "devices",
    "env_file",
    "extends",
    "group_add",
    "healthcheck",
    "init",
    "isolation",
    "labels",
    "logging",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "oom_kill_disable",
    "oom_score_adj",
    "pids_limit",
    "platform",
    "profiles",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "tmpfs",
    "tty",
    "ulimits",
    "user",
    "volumes",
    "working_dir",
)
NETWORK_KEYS = (
    "name",
    "external",
    "internal",
    "attachable",
    "driver",
    "driver_opts",
    "ipam",
    "labels",
    "enable_ipv6",
)
IPAM_KEYS = ("driver", "config", "options")
IPAM_CONFIG_KEYS = ("subnet", "ip_range", "gateway", "aux_addresses")
SERVICE_NETWORK_KEYS = (
    "aliases",
    "ipv4_address",
    "ipv6_address",
    "link_local_ips",
    "priority",
    "mac_address",
)
PORT_KEYS = ("target", "published", "host_ip", "protocol", "mode", "name", "app_protocol")
DEPENDS_KEYS = ("condition", "restart", "required")
DEPENDS_CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")

# Compose's project name rule (compose-go NormalizeProjectName): lowercase
# letters, digits, '-' and '_', starting with a letter or digit.
_PROJECT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_SERVICE_NAME = re.compile(r"[a-zA-Z0-9._-]+")
_PORT_RANGE = re.compile(r"([0-9]+)(?:-([0-9]+))?")


@dataclass(frozen=True, slots=True)
class ServiceNetwork:
    """A service's attachment to one of the project's networks."""

    key: str
    aliases: tuple[str, ...] = ()
    ipv4_address: IPv4Address | None = None
    # Given as a mapping (aliases, ipv4_address...) rather than just named:
    # Compose then sends the Engine an (empty) IPAMConfig for it.
    configured: bool = False


@dataclass(frozen=True, slots=True)
class ComposeNetwork:
    """A network of the project, as declared (or the implicit ``default``)."""

    key: str
    name: str
    external: bool = False
    internal: bool = False
    attachable: bool = False
    driver: str = "bridge"
    driver_given: bool = False  # written in the file (Compose then prints it)
    driver_opts: tuple[tuple[str, str], ...] = ()
    subnet: IPv4Network | None = None
    gateway: IPv4Address | None = None
    ip_range: IPv4Network | None = None
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ComposeService:
    """One service of the project: what Compose asks the Engine for, per container."""

    name: str
    line: int
    image: str
    container_name: str | None = None
    hostname: str | None = None
    command: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    environment: tuple[str, ...] = ()
    # ``docker run -p`` forms, one per short or long entry.
    ports: tuple[str, ...] = ()
    expose: tuple[str, ...] = ()
    # In Compose's order: by priority (all 0 here), then by network key.
    networks: tuple[ServiceNetwork, ...] = ()
    network_mode: str | None = None
    links: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    replicas: int = 1
    extra_hosts: tuple[str, ...] = ()
    dns: tuple[str, ...] | None = None
    # cap_add/cap_drop as written (None: absent) and privileged: they decide
    # what iptables may do in the container.
    cap_add: tuple[str, ...] | None = None
    cap_drop: tuple[str, ...] | None = None
    privileged: bool = False
    # depends_on as written: (service, restart, required); and which key set replicas.
    depends_flags: tuple[tuple[str, bool, bool], ...] = ()
    replicas_key: str = ""
    # The line of each key of the service, for messages about it.
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        """Return the line of one of the service's keys (the service's own line if absent)."""
        return dict(self.key_lines).get(key, self.line)

    def dependencies(self) -> tuple[str, ...]:
        """Return the services this one waits for: depends_on, links, network_mode service:."""
        found = list(self.depends_on)
        found += [link.split(":", 1)[0] for link in self.links]
        if self.network_mode and self.network_mode.startswith("service:"):
            found.append(self.network_mode.split(":", 1)[1])
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class ComposeFile:
    """A validated Compose file and where it lives on the Docker host.

    ``text`` is the file as a person wrote it (the real-engine replay writes
    it to ``directory``/``filename`` on the host); ``notes`` lists the keys
    netsim does not simulate, once each.
    """

    file: str
    text: str
    project: str
    directory: str
    filename: str
    services: tuple[ComposeService, ...]
    networks: tuple[ComposeNetwork, ...]
    notes: tuple[str, ...] = ()
    has_version: bool = False  # the obsolete top-level `version:` (Compose warns)

    @property
    def path(self) -> str:
        """Return the file's path on the Docker host."""
        return f"{self.directory}/{self.filename}"

    def service(self, name: str) -> ComposeService | None:
        """Return the service called ``name``, if any."""
        for service in self.services:
            if service.name == name:
                return service
        return None

    def network(self, key: str) -> ComposeNetwork | None:
        """Return the network declared under ``key``, if any."""
        for network in self.networks:
            if network.key == key:
                return network
        return None


def normalize_project_name(text: str) -> str:
    """Return Compose's project name for a folder name: lowercase, only [a-z0-9_-]."""
    lowered = re.sub(r"[^a-z0-9_-]", "", text.lower())
    return lowered.lstrip("_-")


def read_compose(
    doc: Document,
    root: Node,
    *,
    text: str,
    project: str,
    directory: str,
    filename: str = "compose.yaml",
    key: str = "",
) -> ComposeFile:
    """Read and validate the Compose document rooted at ``root``.

    ``project`` is the folder's project name, used unless the file has ``name:``.

    Raises:
        ScenarioError: Compose would refuse the file; the message is Compose's own.
    """
    return _ComposeReader(doc, key, f"{directory}/{filename}").read(
        root, text=text, project=project, directory=directory, filename=filename
    )


class _ComposeReader:
    """Walks one Compose document, collecting notes about keys it does not simulate."""

    def __init__(self, doc: Document, prefix: str, host_path: str) -> None:
        self.doc = doc
        self.prefix = prefix
        self.host_path = host_path
        self.notes: list[str] = []

    # ---- helpers -------------------------------------------------------

    def key(self, key: str) -> str:
        return join_key(self.prefix, key) if key else self.prefix

    def error(self, node: Node | None, key: str, message: str) -> ScenarioError:
        return self.doc.error(node, self.key(key), message)

    def error_at(self, line: int, key: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=self.doc.file, line=line, key=self.key(key))

    def note(self, node: Node, key: str, what: str) -> None:
        text = f"line {line_of(node)}: {self.key(key)} {what}"
        if text not in self.notes:
            self.notes.append(text)

    def mapping(self, node: Node, key: str) -> list[tuple[str, ScalarNode, Node]]:
        if not isinstance(node, MappingNode):
            raise self.error(
                node,
                key,
                f"validating {self.host_path}: {key or '(root)'} must be a mapping",
            )
        return self.doc.pairs(node, self.key(key))

    def scalar(self, node: Node, key: str) -> object:
        if not isinstance(node, ScalarNode):
            what = "a mapping" if isinstance(node, MappingNode) else "a list"
            raise self.error(
                node, key, f"validating {self.host_path}: {key} must be a value, not {what}"
            )
        return self.doc.value(node, self.key(key))

    def string(self, node: Node, key: str) -> str:
        value = self.scalar(node, key)
        if value is None or isinstance(value, (bool, list, dict)):
            raise self.error(node, key, f"validating {self.host_path}: {key} must be a string")
        return str(value)

    def boolean(self, node: Node, key: str) -> bool:
        value = self.scalar(node, key)
        if not isinstance(value, bool):
            raise self.error(node, key, f"validating {self.host_path}: {key} must be a boolean")
        return value

    def strings(self, node: Node, key: str) -> tuple[str, ...]:
        if not isinstance(node, SequenceNode):
            raise self.error(node, key, f"validating {self.host_path}: {key} must be a array")
        return tuple(
            self.string(item, f"{key}.{i}")
            for i, item in enumerate(self.doc.items(node, self.key(key)))
        )

    def command_words(self, node: Node, key: str) -> tuple[str, ...]:
        if isinstance(node, SequenceNode):
            return self.strings(node, key)
        text = self.string(node, key)
        try:
            return tuple(split_words(text))
        except ValueError as exc:
            raise self.error(node, key, f"invalid {key}: {exc}") from None

    def unknown(self, node: Node, key: str, name: str) -> ScenarioError:
        where = key or "(root)"
        return self.error(
            node,
            join_key(key, name),
            f"validating {self.host_path}: {where} Additional property {name} is not allowed",
        )

    # ---- the document --------------------------------------------------

    def read(
        self, root: Node, *, text: str, project: str, directory: str, filename: str
    ) -> ComposeFile:
        top = self.mapping(root, "")
        values: dict[str, tuple[ScalarNode, Node]] = {}
        for name, key_node, value in top:
            if name.startswith("x-"):
                continue
            if name not in TOP_KEYS:
                raise self.unknown(key_node, "", name)
            values[name] = (key_node, value)
        for name in ("version", "volumes", "configs", "secrets", "include"):
            if name in values:
                self.note(values[name][0], name, "is ignored (it does not touch the network)")
        if "name" in values:
            node = values["name"][1]
            project = self.string(node, "name")
            if not _PROJECT_NAME.fullmatch(project):
                raise self.error(
                    node,
                    "name",
                    f'invalid project name "{project}": must consist only of lowercase '
                    "alphanumeric characters, hyphens, and underscores as well as start with "
                    "a letter or number",
                )
        if not project or not _PROJECT_NAME.fullmatch(project):
            raise self.error(
                root,
                "",
                f"project name {project!r} is not valid; give the file a name: of lowercase "
                "letters, digits, '-' and '_'",
            )
        if "services" not in values:
            raise self.error(root, "", "no service selected")
        networks = self.networks(values.get("networks"), project)
        services = self.services(values["services"][1], networks)
        used = {n.key for s in services for n in s.networks}
        if "default" in used and not any(n.key == "default" for n in networks):
            networks = (ComposeNetwork(key="default", name=f"{project}_default"), *networks)
        networks = tuple(sorted(networks, key=lambda n: n.key))
        return ComposeFile(
            file=self.doc.file,
            text=text,
            project=project,
            directory=directory,
            filename=filename,
            services=services,
            networks=networks,
            notes=tuple(sorted(self.notes, key=_note_line)),
            has_version="version" in values,
        )

    # ---- networks ------------------------------------------------------

    def networks(
        self, entry: tuple[ScalarNode, Node] | None, project: str
    ) -> tuple[ComposeNetwork, ...]:
        if entry is None or (
            isinstance(entry[1], ScalarNode) and self.scalar(entry[1], "networks") is None
        ):
            return ()
        found: list[ComposeNetwork] = []
        for key, _, node in self.mapping(entry[1], "networks"):
            path = f"networks.{key}"
            if isinstance(node, ScalarNode) and self.scalar(node, path) is None:
                found.append(ComposeNetwork(key=key, name=f"{project}_{key}"))
                continue
            found.append(self.network(key, node, path, project))
        return tuple(found)

    def network(self, key: str, node: Node, path: str, project: str) -> ComposeNetwork:
        fields: dict[str, object] = {}
        name = f"{project}_{key}"
        external = False
        for option, option_node, value in self.mapping(node, path):
            where = f"{path}.{option}"
            if option.startswith("x-"):
                continue
            if option not in NETWORK_KEYS:
                raise self.unknown(option_node, path, option)
            if option == "name":
                name = self.string(value, where)
            elif option == "external":
                external = self.boolean(value, where)
            elif option in ("internal", "attachable"):
                fields[option] = self.boolean(value, where)
            elif option == "driver":
                driver = self.string(value, where)
                if driver != "bridge":
                    self.note(value, where, f"{driver!r} is not simulated (only bridge networks)")
                fields["driver"] = driver
                fields["driver_given"] = True
            elif option in ("driver_opts", "labels"):
                fields[option] = self.key_values(value, where)
            elif option == "enable_ipv6":
                if self.boolean(value, where):
                    self.note(value, where, "is not simulated (IPv4 only)")
            elif option == "ipam":
                fields.update(self.ipam(value, where))
        if external:
            if "name" not in {k for k, _, _ in self.mapping(node, path)}:
                name = key
            return ComposeNetwork(key=key, name=name, external=True)
        return ComposeNetwork(key=key, name=name, **fields)  # type: ignore[arg-type]

    def environment(self, node: Node, key: str) -> tuple[str, ...]:
        """Return ``KEY=VALUE`` items; a bare ``KEY`` is one with no value (null)."""
        if isinstance(node, SequenceNode):
            return self.strings(node, key)
        found = []
        for name, _, value in self.mapping(node, key):
            if isinstance(value, ScalarNode) and self.scalar(value, f"{key}.{name}") is None:
                found.append(name)
            else:
                item = self.scalar(value, f"{key}.{name}")
                text = str(item).lower() if isinstance(item, bool) else str(item)
                found.append(f"{name}={text}")
        return tuple(found)

    def key_values(self, node: Node, key: str) -> tuple[tuple[str, str], ...]:
        if isinstance(node, SequenceNode):
            pairs = []
            for item in self.strings(node, key):
                left, _, right = item.partition("=")
                pairs.append((left, right))
            return tuple(pairs)
        return tuple(
            (name, "" if self.scalar(v, f"{key}.{name}") is None else self.string(v, key))
            for name, _, v in self.mapping(node, key)
        )

    def ipam(self, node: Node, key: str) -> dict[str, object]:
        found: dict[str, object] = {}
        for option, option_node, value in self.mapping(node, key):
            if option not in IPAM_KEYS:
                raise self.unknown(option_node, key, option)
            if option != "config":
                self.note(value, f"{key}.{option}", "is ignored")
                continue
            if not isinstance(value, SequenceNode):
                raise self.error(
                    value,
                    f"{key}.config",
                    f"validating {self.host_path}: {key}.config must be a array",
                )
            pools = self.doc.items(value, self.key(f"{key}.config"))
            for index, pool in enumerate(pools):
                where = f"{key}.config.{index}"
                if index > 0:
                    self.note(pool, where, "is not simulated (one IPv4 pool per network)")
                    continue
                for item, item_node, item_value in self.mapping(pool, where):
                    if item not in IPAM_CONFIG_KEYS:
                        raise self.unknown(item_node, where, item)
                    if item == "aux_addresses":
                        self.note(item_value, f"{where}.{item}", "is not simulated")
                        continue
                    text = self.string(item_value, f"{where}.{item}")
                    try:
                        parsed: IPv4Network | IPv4Address | None = None
                        if item == "gateway":
                            parsed_address = ip_address(text)
                            if isinstance(parsed_address, IPv4Address):
                                parsed = parsed_address
                        else:
                            parsed_network = ip_network(text, strict=False)
                            if isinstance(parsed_network, IPv4Network):
                                parsed = parsed_network
                    except ValueError:
                        raise self.error(
                            item_value, f"{where}.{item}", f"invalid {item} {text!r}"
                        ) from None
                    if parsed is None:
                        raise self.error(
                            item_value, f"{where}.{item}", "netsim simulates IPv4 networks only"
                        )
                    found[item] = parsed
        return found

    # ---- services ------------------------------------------------------

    def services(
        self, node: Node, networks: tuple[ComposeNetwork, ...]
    ) -> tuple[ComposeService, ...]:
        pairs = self.mapping(node, "services")
        services = [
            self.service(name, key_node, value, networks) for name, key_node, value in pairs
        ]
        names = {s.name for s in services}
        for service in services:
            for dependency in service.depends_on:
                if dependency not in names:
                    raise self.error_at(
                        service.line_of("depends_on"),
                        f"services.{service.name}.depends_on",
                        f'service "{service.name}" depends on undefined service '
                        f'"{dependency}": {INVALID_PROJECT}',
                    )
            for link in service.links:
                target = link.split(":", 1)[0]
                if target not in names:
                    raise self.error_at(
                        service.line_of("links"),
                        f"services.{service.name}.links",
                        f'service "{service.name}" depends on undefined service '
                        f'"{target}": {INVALID_PROJECT}',
                    )
            mode = service.network_mode or ""
            if mode.startswith("service:") and mode.split(":", 1)[1] not in names:
                raise self.error_at(
                    service.line_of("network_mode"),
                    f"services.{service.name}.network_mode",
                    f'service "{mode.split(":", 1)[1]}" not found for network_mode '
                    f'"{mode}": {INVALID_PROJECT}',
                )
        self.check_cycles(services)
        return tuple(services)

    def check_cycles(self, services: list[ComposeService]) -> None:
        by_name = {s.name: s for s in services}
        state: dict[str, int] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = trail[trail.index(name) :] + [name]
                raise self.error_at(
                    by_name[name].line_of("depends_on"),
                    f"services.{name}.depends_on",
                    f"dependency cycle detected: {' -> '.join(cycle)}",
                )
            state[name] = 1
            for dependency in by_name[name].dependencies():
                visit(dependency, [*trail, name])
            state[name] = 2

        for service in services:
            visit(service.name, [])

    def service(
        self, name: str, key_node: Node, node: Node, networks: tuple[ComposeNetwork, ...]
    ) -> ComposeService:
        path = f"services.{name}"
        if not _SERVICE_NAME.fullmatch(name):
            raise self.error(
                key_node,
                path,
                f"validating {self.host_path}: services Additional property {name} is not allowed",
            )
        fields: dict[str, object] = {}
        image: str | None = None
        has_build = False
        declared = {n.key for n in networks}
        lines: list[tuple[str, int]] = []
        for option, option_node, value in self.mapping(node, path):
            where = f"{path}.{option}"
            lines.append((option, line_of(option_node)))
            if option.startswith("x-"):
                continue
            if option in NETWORK_SERVICE_KEYS:
                self.note(option_node, where, "is not simulated (it changes the network)")
                continue
            if option in OTHER_SERVICE_KEYS:
                has_build = has_build or option == "build"
                self.note(option_node, where, "is ignored (it does not touch the network)")
                continue
            if option not in SIMULATED_SERVICE_KEYS:
                raise self.unknown(option_node, path, option)
            if option == "image":
                image = self.string(value, where)
            elif option in ("container_name", "hostname", "network_mode"):
                fields[option] = self.string(value, where)
            elif option in ("command", "entrypoint"):
                fields[option] = self.command_words(value, where)
            elif option == "environment":
                fields["environment"] = self.environment(value, where)
            elif option == "ports":
                fields["ports"] = self.ports(value, where)
            elif option == "expose":
                fields["expose"] = tuple(
                    self.port_text(item, f"{where}.{i}")
                    for i, item in enumerate(self.items(value, where))
                )
            elif option == "networks":
                fields["networks"] = self.service_networks(name, value, where, declared)
            elif option == "links":
                fields["links"] = self.strings(value, where)
            elif option == "depends_on":
                flags = self.depends_on(value, where)
                fields["depends_flags"] = flags
                fields["depends_on"] = tuple(name for name, _, _ in flags)
            elif option == "scale":
                fields["replicas"] = self.count(value, where)
                fields["replicas_key"] = "scale"
            elif option == "deploy":
                for item, item_node, item_value in self.mapping(value, where):
                    if item == "replicas":
                        fields["replicas"] = self.count(item_value, f"{where}.replicas")
                        fields["replicas_key"] = "deploy"
                    else:
                        self.note(item_node, f"{where}.{item}", "is ignored")
            elif option == "extra_hosts":
                fields["extra_hosts"] = self.extra_hosts(value, where)
            elif option in ("cap_add", "cap_drop"):
                fields[option] = self.strings(value, where)
            elif option == "privileged":
                fields["privileged"] = self.boolean(value, where)
            elif option == "dns":
                servers = (
                    self.strings(value, where)
                    if isinstance(value, SequenceNode)
                    else (self.string(value, where),)
                )
                for server in servers:
                    try:
                        ip_address(server)
                    except ValueError:
                        raise self.error(value, where, f"invalid IP address: {server}") from None
                fields["dns"] = servers
        if image is None:
            if has_build:
                raise self.error(
                    key_node,
                    path,
                    f'service "{name}": netsim cannot build images; give it an image:',
                )
            raise self.error(
                key_node,
                path,
                f'service "{name}" has neither an image nor a build context specified: '
                f"{INVALID_PROJECT}",
            )
        mode = fields.get("network_mode")
        if mode is not None and "networks" in fields:
            raise self.error(
                key_node,
                path,
                f"service {name} declares mutually exclusive `network_mode` and `networks`: "
                f"{INVALID_PROJECT}",
            )
        if mode is None and "networks" not in fields:
            fields["networks"] = (ServiceNetwork(key="default"),)
        if isinstance(mode, str) and not (
            mode in ("host", "none", "bridge")
            or mode.startswith("service:")
            or mode.startswith("container:")
        ):
            self.note(node, f"{path}.network_mode", f"{mode!r} is used as a network name")
        return ComposeService(
            name=name,
            line=line_of(key_node),
            image=image,
            key_lines=tuple(lines),
            **fields,  # type: ignore[arg-type]
        )

    def items(self, node: Node, key: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.error(node, key, f"validating {self.host_path}: {key} must be a array")
        return self.doc.items(node, self.key(key))

    def count(self, node: Node, key: str) -> int:
        value = self.scalar(node, key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(node, key, f"validating {self.host_path}: {key} must be a integer")
        return value

    def port_text(self, node: Node, key: str) -> str:
        value = self.scalar(node, key)
        if isinstance(value, bool) or value is None:
            raise self.error(node, key, f"validating {self.host_path}: {key} must be a string")
        return str(value)

    def ports(self, node: Node, key: str) -> tuple[str, ...]:
        found: list[str] = []
        for index, item in enumerate(self.items(node, key)):
            where = f"{key}.{index}"
            if isinstance(item, MappingNode):
                found.append(self.long_port(item, where))
            else:
                text = self.port_text(item, where)
                problem = short_port_problem(text)
                if problem:
                    raise self.error(item, where, problem)
                found.append(text)
        return tuple(found)

    def long_port(self, node: MappingNode, key: str) -> str:
        values: dict[str, str] = {}
        for option, option_node, value in self.mapping(node, key):
            if option.startswith("x-"):
                continue
            if option not in PORT_KEYS:
                raise self.unknown(option_node, key, option)
            values[option] = self.port_text(value, f"{key}.{option}")
        if "target" not in values:
            raise self.error(node, key, f"validating {self.host_path}: {key} target is required")
        if values.get("mode", "ingress") != "ingress" and values.get("mode") != "host":
            raise self.error(node, key, f"invalid port mode {values['mode']!r}")
        text = values["target"]
        if not text.isdigit():
            raise self.error(node, f"{key}.target", f"Invalid containerPort: {text}")
        host_ip = values.get("host_ip", "")
        published = values.get("published", "")
        if published and not _PORT_RANGE.fullmatch(published):
            raise self.error(node, f"{key}.published", f"Invalid hostPort: {published}")
        if host_ip:
            text = f"{host_ip}:{published}:{text}"
        elif published:
            text = f"{published}:{text}"
        protocol = values.get("protocol", "tcp")
        return f"{text}/{protocol}"

    def service_networks(
        self, service: str, node: Node, key: str, declared: set[str]
    ) -> tuple[ServiceNetwork, ...]:
        found: list[ServiceNetwork] = []
        if isinstance(node, SequenceNode):
            entries = [(self.string(item, key), item, None) for item in self.items(node, key)]
        else:
            entries = [(name, key_node, value) for name, key_node, value in self.mapping(node, key)]
        for name, name_node, value in entries:
            if name not in declared and name != "default":
                raise self.error(
                    name_node,
                    key,
                    f'service "{service}" refers to undefined network {name}: {INVALID_PROJECT}',
                )
            aliases: tuple[str, ...] = ()
            ipv4: IPv4Address | None = None
            configured = value is not None and not (
                isinstance(value, ScalarNode) and self.scalar(value, key) is None
            )
            if value is not None and configured:
                for option, option_node, option_value in self.mapping(value, f"{key}.{name}"):
                    where = f"{key}.{name}.{option}"
                    if option not in SERVICE_NETWORK_KEYS:
                        raise self.unknown(option_node, f"{key}.{name}", option)
                    if option == "aliases":
                        aliases = self.strings(option_value, where)
                    elif option == "ipv4_address":
                        text = self.string(option_value, where)
                        try:
                            ipv4 = IPv4Address(text)
                        except ValueError:
                            raise self.error(
                                option_value, where, f"invalid IPv4 address: {text}"
                            ) from None
                    elif option != "priority":
                        self.note(option_node, where, "is not simulated (it changes the network)")
            found.append(
                ServiceNetwork(key=name, aliases=aliases, ipv4_address=ipv4, configured=configured)
            )
        return tuple(sorted(found, key=lambda n: n.key))

    def depends_on(self, node: Node, key: str) -> tuple[tuple[str, bool, bool], ...]:
        """Return (service, restart, required) of each dependency, as written."""
        if isinstance(node, SequenceNode):
            return tuple((name, False, True) for name in self.strings(node, key))
        names: list[tuple[str, bool, bool]] = []
        for name, _, value in self.mapping(node, key):
            restart, required = False, True
            for option, option_node, option_value in self.mapping(value, f"{key}.{name}"):
                if option not in DEPENDS_KEYS:
                    raise self.unknown(option_node, f"{key}.{name}", option)
                if option == "restart":
                    restart = self.boolean(option_value, f"{key}.{name}.restart")
                if option == "required":
                    required = self.boolean(option_value, f"{key}.{name}.required")
                if option == "condition":
                    condition = self.string(option_value, f"{key}.{name}.condition")
                    if condition not in DEPENDS_CONDITIONS:
                        raise self.error(
                            option_value,
                            f"{key}.{name}.condition",
                            f"validating {self.host_path}: {key}.{name}.condition must be one "
                            f"of the following: {', '.join(DEPENDS_CONDITIONS)}",
                        )
                    if condition != "service_started":
                        self.note(
                            option_value,
                            f"{key}.{name}.condition",
                            "is simulated as service_started (netsim has no health checks)",
                        )
            names.append((name, restart, required))
        return tuple(names)

    def extra_hosts(self, node: Node, key: str) -> tuple[str, ...]:
        if isinstance(node, MappingNode):
            pairs = [
                (name, self.string(value, f"{key}.{name}"))
                for name, _, value in self.mapping(node, key)
            ]
        else:
            pairs = []
            for item_node in self.items(node, key):
                item = self.string(item_node, key)
                separator = "=" if "=" in item else ":"
                host, _, address = item.partition(separator)
                pairs.append((host, address))
        for _, address in pairs:
            try:
                ip_address(address.strip("[]"))
            except ValueError:
                raise self.error(
                    node, key, f'invalid IP address in add-host: "{address}"'
                ) from None
        return tuple(f"{host}:{address}" for host, address in pairs)


def _note_line(note: str) -> int:
    """Return the line number a note starts with (``line 12: ...``)."""
    return int(note.split(":", 1)[0].removeprefix("line "))


def short_port_problem(text: str) -> str | None:
    """Return Compose's complaint about a short-syntax port, or ``None`` when it is valid."""
    spec, _, protocol = text.partition("/")
    if protocol and protocol not in ("tcp", "udp", "sctp"):
        return f"invalid proto: {protocol}"
    parts = spec.rsplit(":", 2)
    if spec.count(":") > 2 and not spec.startswith("["):
        address = spec.rsplit(":", 2)[0]
        return f"Invalid ip address {address}: address {address}:: too many colons in address"
    container = parts[-1]
    if not _PORT_RANGE.fullmatch(container):
        return f"Invalid containerPort: {container}"
    if len(parts) >= 2 and parts[-2] and not _PORT_RANGE.fullmatch(parts[-2]):
        return f"Invalid hostPort: {parts[-2]}"
    return None
