"""``docker compose``: Compose v2 (2.26) driving the daemon model as it drives the Engine API.

Compose keeps no state of its own: it finds a project's containers and
networks by their labels (``com.docker.compose.project``...). ``up -d``
creates the project's networks, then every container in dependency order
(``depends_on``, ``links``, ``network_mode: service:``), attached to its
first network at create and connected to the others before it starts, then
starts them in the same order. Progress goes to stderr as Compose prints it
without a TTY (`` Container myapp-web-1  Started``). Compose runs the
operations of one dependency level concurrently, so on a real engine their
lines interleave at random; netsim prints them in a fixed order (services by
name, replicas by number) and the conformance comparison sorts them.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from netsim.docker.daemon import ContainerRequest, Daemon
from netsim.docker.engines.base import daemon_error
from netsim.docker.model import Container, Network
from netsim.errors import DockerError
from netsim.scenario.compose import ComposeFile, ComposeNetwork, ComposeService

COMPOSE_VERSION = "2.26.1"
DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
NUMBER_LABEL = "com.docker.compose.container-number"
ONEOFF_LABEL = "com.docker.compose.oneoff"
NETWORK_LABEL = "com.docker.compose.network"
# Compose's exit codes: 14 no configuration file, 16 a usage error (seen on 2.26).
EXIT_NO_FILE = 14
EXIT_USAGE = 16

# Runs a program in a container: (container, argv, env) -> (exit code, stdout, stderr).
Execute = Callable[[Container, list[str], list[str]], tuple[int, str, str]]


@dataclass(slots=True)
class Output:
    """What a compose command printed and how it exited."""

    exit_code: int = 0
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    def progress(self, kind: str, name: str, state: str) -> None:
        """Add one progress line, as Compose prints it without a TTY."""
        self.stderr.append(f" {kind} {name}  {state}\n")

    def fail(self, message: str, code: int = 1) -> Output:
        """Add an error line and set the exit code."""
        self.stderr.append(message + "\n")
        self.exit_code = code
        return self


class ComposeUsageError(Exception):
    """A compose command line Compose's own parser refuses (internal)."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True, slots=True)
class _Options:
    files: tuple[str, ...]
    project: str | None
    command: str
    flags: frozenset[str]
    values: tuple[tuple[str, str], ...]
    args: tuple[str, ...]

    def value(self, name: str) -> str | None:
        for key, value in self.values:
            if key == name:
                return value
        return None


# Flags of each subcommand: name -> takes a value; short forms map to long names.
_FLAGS: dict[str, dict[str, bool]] = {
    "up": {"detach": False, "no-deps": False, "remove-orphans": False, "wait": False},
    "down": {"volumes": False, "remove-orphans": False, "timeout": True},
    "ps": {"all": False, "quiet": False, "services": False, "format": True},
    "port": {"index": True, "protocol": True},
    "config": {"quiet": False, "services": False},
    "start": {},
    "stop": {"timeout": True},
    "restart": {"timeout": True, "no-deps": False},
    "run": {"rm": False, "detach": False, "no-deps": False, "env": True, "name": True},
    "exec": {"detach": False, "env": True, "no-TTY": False, "index": True},
    "ls": {"all": False, "quiet": False, "format": True},
}
# Compose 2.26's other commands: they exist, netsim says it does not run them.
_NOT_SIMULATED = frozenset(
    "attach build cp create events images kill logs pause pull push rm scale top unpause "
    "version wait watch alpha".split()
)
_SHORT = {
    "d": "detach",
    "v": "volumes",
    "a": "all",
    "q": "quiet",
    "e": "env",
    "T": "no-TTY",
    "t": "timeout",
}


def parse_compose(argv: list[str]) -> _Options:
    """Parse the words after ``docker compose``."""
    files: list[str] = []
    project: str | None = None
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        word = argv[i]
        name, has_eq, inline = word.partition("=")
        if name in ("-f", "--file", "-p", "--project-name"):
            if has_eq:
                value = inline
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                raise ComposeUsageError(_needs_argument(name))
            if name in ("-f", "--file"):
                files.append(value)
            else:
                project = value
        else:
            raise ComposeUsageError(_unknown_flag(name))
        i += 1
    if i >= len(argv):
        raise ComposeUsageError("missing command")
    command = argv[i]
    table = _FLAGS.get(command)
    if table is None and command in _NOT_SIMULATED:
        raise ComposeUsageError(f"netsim does not simulate `docker compose {command}`", 1)
    if table is None:
        raise ComposeUsageError(f'unknown docker command: "compose {command}"', 1)
    flags: set[str] = set()
    values: list[tuple[str, str]] = []
    args: list[str] = []
    i += 1
    while i < len(argv):
        word = argv[i]
        i += 1
        # run and exec stop reading flags at the first argument (the service).
        if args and command in ("run", "exec"):
            args.append(word)
            continue
        if word.startswith("--") and len(word) > 2:
            name, has_eq, inline = word[2:].partition("=")
        elif word.startswith("-") and len(word) == 2:
            name, has_eq, inline = _SHORT.get(word[1], word[1]), "", ""
        else:
            args.append(word)
            continue
        if name not in table:
            raise ComposeUsageError(_unknown_flag(word.split("=", 1)[0]))
        if table[name]:
            if not has_eq:
                if i >= len(argv):
                    raise ComposeUsageError(_needs_argument(word))
                inline = argv[i]
                i += 1
            values.append((name, inline))
        else:
            flags.add(name)
    return _Options(tuple(files), project, command, frozenset(flags), tuple(values), tuple(args))


def _unknown_flag(word: str) -> str:
    """Return pflag's message for a flag it does not know."""
    if word.startswith("--"):
        return f"unknown flag: {word}"
    return f"unknown shorthand flag: {word[1:2]!r} in {word}"


def _needs_argument(word: str) -> str:
    """Return pflag's message for a flag given without its value."""
    if word.startswith("--"):
        return f"flag needs an argument: {word}"
    return f"flag needs an argument: {word[1:2]!r} in {word}"


@dataclass(slots=True)
class ComposeClient:
    """``docker compose`` on the host: the project files it can see, the daemon it drives."""

    daemon: Daemon
    files: tuple[ComposeFile, ...]
    workdir: str
    execute: Execute

    def run(self, argv: list[str]) -> Output:
        """Run ``docker compose ARGS...`` (``argv`` is what follows ``compose``)."""
        try:
            options = parse_compose(argv)
        except ComposeUsageError as error:
            return Output().fail(str(error), error.exit_code)
        if options.command == "ls":
            return self._list_projects(options)
        spec = self._find_file(options)
        if isinstance(spec, Output):
            return spec
        project = options.project or spec.project
        session = _Project(self.daemon, spec, project, self.execute)
        handler = getattr(session, "cmd_" + options.command)
        result: Output = handler(options)
        if spec.has_version:
            # Compose 2.26 warns on every command that loads such a file.
            warning = (
                f'time="{self.daemon.now_seconds()}" level=warning msg="{spec.path}: the '
                "attribute `version` is obsolete, it will be ignored, please remove it to "
                'avoid potential confusion"\n'
            )
            result.stderr.insert(0, warning)
        return result

    def _list_projects(self, options: _Options) -> Output:
        """``docker compose ls``: projects found by their containers' labels."""
        from netsim.docker.formatting import tabwrite

        projects: dict[str, list[Container]] = {}
        for container in self.daemon.containers:
            name = container.labels.get(PROJECT_LABEL)
            if name is not None:
                projects.setdefault(name, []).append(container)
        rows = [["NAME", "STATUS", "CONFIG FILES"]]
        for name in sorted(projects):
            containers = projects[name]
            states: dict[str, int] = {}
            for container in containers:
                states[container.state] = states.get(container.state, 0) + 1
            if "all" not in options.flags and "running" not in states:
                continue
            status = ", ".join(f"{state}({count})" for state, count in sorted(states.items()))
            files = containers[0].labels.get("com.docker.compose.project.config_files", "")
            rows.append([name, status, files])
        if "quiet" in options.flags:
            return Output(0, [row[0] + "\n" for row in rows[1:]])
        # Compose's own table: columns at least 20 wide (seen on 2.26).
        return Output(0, [tabwrite(rows, min_width=20)])

    def _find_file(self, options: _Options) -> ComposeFile | Output:
        if options.files:
            wanted = options.files[0]
            path = posixpath.normpath(posixpath.join(self.workdir, wanted))
            for spec in self.files:
                if spec.path == path:
                    return spec
            return Output().fail(f"open {path}: no such file or directory", EXIT_NO_FILE)
        for name in DEFAULT_FILES:
            for spec in self.files:
                if spec.path == f"{self.workdir}/{name}":
                    return spec
        return Output().fail("no configuration file provided: not found", EXIT_NO_FILE)


@dataclass(slots=True)
class _Project:
    """One compose command against one project."""

    daemon: Daemon
    spec: ComposeFile
    name: str
    execute: Execute

    # ---- naming and lookup --------------------------------------------

    def network_name(self, network: ComposeNetwork) -> str:
        """Return the network's Engine name under this project name."""
        if network.external or network.name != f"{self.spec.project}_{network.key}":
            return network.name
        return f"{self.name}_{network.key}"

    def container_name(self, service: ComposeService, number: int) -> str:
        """Return ``<project>-<service>-<n>``, or the service's ``container_name``."""
        return service.container_name or f"{self.name}-{service.name}-{number}"

    def containers(self, *, oneoff: bool = False) -> list[Container]:
        """Return the project's containers, sorted by name."""
        found = [
            c
            for c in self.daemon.containers
            if c.labels.get(PROJECT_LABEL) == self.name
            and (c.labels.get(ONEOFF_LABEL) == "True") == oneoff
        ]
        return sorted(found, key=lambda c: c.name)

    def service_containers(self, service: str) -> list[Container]:
        """Return a service's containers, by number."""
        found = [c for c in self.containers() if c.labels.get(SERVICE_LABEL) == service]
        return sorted(found, key=lambda c: int(c.labels.get(NUMBER_LABEL, "0")))

    def ordered(self, names: Iterable[str] | None = None) -> list[list[ComposeService]]:
        """Return the services in dependency levels (each level sorted by name).

        With ``names``, only those services and what they depend on.
        """
        by_name = {s.name: s for s in self.spec.services}
        wanted = set(by_name) if names is None else set()
        stack = list(names or ())
        while stack:
            name = stack.pop()
            if name not in wanted:
                wanted.add(name)
                stack.extend(by_name[name].dependencies())
        levels: list[list[ComposeService]] = []
        placed: set[str] = set()
        while len(placed) < len(wanted):
            level = sorted(
                (by_name[n] for n in wanted - placed if set(by_name[n].dependencies()) <= placed),
                key=lambda s: s.name,
            )
            levels.append(level)
            placed.update(s.name for s in level)
        return levels

    def unknown_services(self, names: Iterable[str]) -> str | None:
        for name in names:
            if self.spec.service(name) is None:
                return f"no such service: {name}"
        return None

    # ---- up -----------------------------------------------------------

    def cmd_up(self, options: _Options) -> Output:
        out = Output()
        if "detach" not in options.flags:
            return out.fail("netsim runs `docker compose up` detached only: add -d")
        problem = self.unknown_services(options.args)
        if problem:
            return out.fail(problem)
        levels = self.ordered(options.args or None)
        services = [s for level in levels for s in level]
        if not self.ensure_networks(services, out):
            return out
        to_start: list[Container] = []
        for level in levels:
            for service in level:
                for number in range(1, service.replicas + 1):
                    container = self.ensure_container(service, number, out)
                    if container is None:
                        return out
                    to_start.append(container)
        for container in to_start:
            if container.running:
                out.progress("Container", container.name, "Running")
                continue
            if not self.start(container, out):
                return out
        return out

    def ensure_networks(self, services: list[ComposeService], out: Output) -> bool:
        used = {n.key for s in services for n in s.networks}
        for network in self.spec.networks:
            if network.key not in used:
                continue
            name = self.network_name(network)
            existing = self.find_network(name)
            if network.external:
                if existing is None:
                    out.fail(daemon_error(f"network {name} not found"))
                    return False
                continue
            if existing is not None:
                found = existing.labels.get(NETWORK_LABEL, "")
                if found == network.key:
                    continue
                # Compose 2.26 refuses a network of that name it did not make.
                if NETWORK_LABEL not in existing.labels:
                    out.stderr.append(
                        f'time="{self.daemon.now_seconds()}" level=warning msg="a network with '
                        f"name {name} exists but was not created by compose.\\nSet `external: "
                        'true` to use an existing network"\n'
                    )
                out.fail(
                    f"network {name} was found but has incorrect label {NETWORK_LABEL} "
                    f'set to "{found}"'
                )
                return False
            out.progress("Network", name, "Creating")
            labels = {
                NETWORK_LABEL: network.key,
                PROJECT_LABEL: self.name,
                "com.docker.compose.version": COMPOSE_VERSION,
            }
            labels.update(dict(network.labels))
            try:
                self.daemon.create_network(
                    name,
                    driver=network.driver,
                    subnet=network.subnet,
                    gateway=network.gateway,
                    ip_range=network.ip_range,
                    internal=network.internal,
                    options=dict(network.driver_opts),
                    labels=labels,
                    attachable=network.attachable,
                )
            except (DockerError, ValueError) as error:
                message = error.message if isinstance(error, DockerError) else str(error)
                out.fail(daemon_error(message))
                return False
            out.progress("Network", name, "Created")
        return True

    def find_network(self, name: str) -> Network | None:
        for network in self.daemon.networks:
            if network.name == name:
                return network
        return None

    def ensure_container(
        self, service: ComposeService, number: int, out: Output
    ) -> Container | None:
        name = self.container_name(service, number)
        for container in self.service_containers(service.name):
            if container.labels.get(NUMBER_LABEL) == str(number):
                if not container.running:
                    # Compose reports an existing stopped container as Created
                    # before it starts it (seen with `run` on 28.5).
                    out.progress("Container", container.name, "Created")
                return container
        out.progress("Container", name, "Creating")
        try:
            container = self.create(service, name, number)
        except DockerError as error:
            out.fail(daemon_error(error.message))
            return None
        out.progress("Container", name, "Created")
        return container

    def labels(self, service: ComposeService, number: int, *, oneoff: bool) -> dict[str, str]:
        """Return the labels Compose puts on a service's container."""
        config = repr((service, self.name)).encode()
        depends = ",".join(f"{d}:service_started:false" for d in service.depends_on)
        return {
            "com.docker.compose.config-hash": hashlib.sha256(config).hexdigest(),
            NUMBER_LABEL: str(number),
            "com.docker.compose.depends_on": depends,
            "com.docker.compose.image": "sha256:" + self.daemon.image_id(service.image),
            ONEOFF_LABEL: "True" if oneoff else "False",
            PROJECT_LABEL: self.name,
            "com.docker.compose.project.config_files": self.spec.path,
            "com.docker.compose.project.working_dir": self.spec.directory,
            SERVICE_LABEL: service.name,
            "com.docker.compose.version": COMPOSE_VERSION,
        }

    def create(
        self,
        service: ComposeService,
        name: str,
        number: int,
        *,
        command: tuple[str, ...] | None = None,
        oneoff: bool = False,
    ) -> Container:
        """Create one container of ``service`` and connect it to its other networks."""
        mode = service.network_mode
        network: str | None = None
        aliases: tuple[str, ...] = ()
        ipv4 = None
        endpoint_ipam = False
        rest = list(service.networks)
        if mode is not None and mode.startswith("service:"):
            target = self.service_containers(mode.split(":", 1)[1])
            if not target:
                raise DockerError(f"service {mode.split(':', 1)[1]} has no container")
            network = "container:" + target[0].id
        elif mode is not None:
            network = mode
        elif rest:
            first = rest.pop(0)
            declared = self.spec.network(first.key)
            assert declared is not None
            network = self.network_name(declared)
            aliases = (name, service.name, *first.aliases) if not oneoff else (service.name,)
            ipv4 = first.ipv4_address
            endpoint_ipam = first.configured
        container = self.daemon.create_container(
            ContainerRequest(
                image=service.image,
                name=name,
                command=command if command is not None else (service.command or ()),
                entrypoint=service.entrypoint,
                # A variable without a value takes the shell's, and the host's shell
                # has none of the project's: Compose leaves it out.
                env=tuple(item for item in service.environment if "=" in item),
                hostname=service.hostname,
                publish=service.ports if not oneoff else (),
                expose=service.expose,
                links=tuple(self.links(service)),
                network=network,
                aliases=aliases,
                ipv4_address=ipv4,
                labels=self.labels(service, number, oneoff=oneoff),
                extra_hosts=service.extra_hosts,
                dns=service.dns,
                endpoint_ipam=endpoint_ipam,
                cap_add=service.cap_add,
                cap_drop=service.cap_drop,
                privileged=service.privileged,
            )
        )
        for attachment in rest:
            declared = self.spec.network(attachment.key)
            assert declared is not None
            target_network = self.daemon.find_network(self.network_name(declared))
            more = (name, service.name, *attachment.aliases) if not oneoff else (service.name,)
            self.daemon.connect(
                target_network,
                container,
                aliases=more,
                ipv4_address=attachment.ipv4_address,
                cli_request=False,
                ipam_sent=attachment.configured,
            )
        return container

    def links(self, service: ComposeService) -> list[str]:
        found: list[str] = []
        for link in service.links:
            target, _, alias = link.partition(":")
            for container in self.service_containers(target):
                found.append(f"{container.name}:{alias or target}")
        return found

    def start(self, container: Container, out: Output, *, state: str = "Starting") -> bool:
        out.progress("Container", container.name, state)
        try:
            self.daemon.start_container(container)
        except DockerError as error:
            out.fail(daemon_error(error.message))
            return False
        out.progress("Container", container.name, "Started")
        return True

    # ---- down, start, stop, restart ------------------------------------

    def by_level(self, names: Iterable[str] = ()) -> list[Container]:
        """Return the project's containers in dependency order."""
        found: list[Container] = []
        for level in self.ordered(list(names) or None):
            for service in level:
                found.extend(self.service_containers(service.name))
        return found

    def cmd_down(self, options: _Options) -> Output:
        out = Output()
        containers = list(reversed(self.by_level()))
        networks = [
            n
            for n in self.daemon.networks
            if n.labels.get(PROJECT_LABEL) == self.name
            and any(self.network_name(d) == n.name for d in self.spec.networks if not d.external)
        ]
        for container in containers:
            # Compose asks every container to stop, even one that has (seen on both engines).
            out.progress("Container", container.name, "Stopping")
            self.daemon.stop_container(container)
            out.progress("Container", container.name, "Stopped")
            out.progress("Container", container.name, "Removing")
            self.daemon.remove_container(container, force=True)
            out.progress("Container", container.name, "Removed")
        for network in sorted(networks, key=lambda n: n.name):
            out.progress("Network", network.name, "Removing")
            try:
                self.daemon.remove_network(network)
            except DockerError as error:
                out.fail(daemon_error(error.message))
                continue
            out.progress("Network", network.name, "Removed")
        return out

    def cmd_stop(self, options: _Options) -> Output:
        out = Output()
        problem = self.unknown_services(options.args)
        if problem:
            return out.fail(problem)
        for container in reversed(self.by_level(options.args)):
            if options.args and container.labels.get(SERVICE_LABEL) not in options.args:
                continue
            # Compose reports a stop even for a container that is not running (2.26).
            out.progress("Container", container.name, "Stopping")
            self.daemon.stop_container(container)
            out.progress("Container", container.name, "Stopped")
        return out

    def cmd_start(self, options: _Options) -> Output:
        out = Output()
        problem = self.unknown_services(options.args)
        if problem:
            return out.fail(problem)
        wanted = options.args or tuple(s.name for s in self.spec.services)
        for name in wanted:
            if not self.service_containers(name):
                return out.fail(f'service "{name}" has no container to start')
        for container in self.by_level(options.args):
            if not container.running and not self.start(container, out):
                return out
        return out

    def cmd_restart(self, options: _Options) -> Output:
        out = Output()
        problem = self.unknown_services(options.args)
        if problem:
            return out.fail(problem)
        selected = set(options.args)
        # A service bound to a restarted one by links or network_mode service:
        # (Compose's depends_on with restart: true) is restarted with it.
        grew = bool(selected)
        while grew:
            grew = False
            for service in self.spec.services:
                mode = service.network_mode or ""
                bound = {link.split(":", 1)[0] for link in service.links}
                if mode.startswith("service:"):
                    bound.add(mode.split(":", 1)[1])
                if service.name not in selected and bound & selected:
                    selected.add(service.name)
                    grew = True
        for container in self.by_level(selected):
            if selected and container.labels.get(SERVICE_LABEL) not in selected:
                continue
            if container.running:
                self.daemon.stop_container(container, restarting=True)
            if not self.start(container, out, state="Restarting"):
                return out
        return out

    # ---- ps, port ------------------------------------------------------

    def cmd_ps(self, options: _Options) -> Output:
        from netsim.docker.formatting import format_compose_ps

        containers = [c for c in self.containers() if "all" in options.flags or c.running]
        if options.args:
            problem = self.unknown_services(options.args)
            if problem:
                return Output().fail(problem)
            containers = [c for c in containers if c.labels.get(SERVICE_LABEL) in options.args]
        if "quiet" in options.flags:
            return Output(0, [c.id + "\n" for c in containers])
        if "services" in options.flags:
            names = dict.fromkeys(c.labels.get(SERVICE_LABEL, "") for c in containers)
            return Output(0, [n + "\n" for n in names])
        services = {c.id: c.labels.get(SERVICE_LABEL, "") for c in containers}
        return Output(0, [format_compose_ps(containers, services, self.daemon)])

    def running_container(self, service: str, index: int = 1) -> Container | None:
        for container in self.service_containers(service):
            if container.running and container.labels.get(NUMBER_LABEL) == str(index):
                return container
        return None

    def cmd_port(self, options: _Options) -> Output:
        out = Output()
        if len(options.args) != 2:
            return out.fail('"docker compose port" requires exactly 2 arguments.')
        service, port_text = options.args
        index = int(options.value("index") or "1")
        protocol = options.value("protocol") or "tcp"
        container = self.running_container(service, index)
        if container is None:
            return out.fail(f'service "{service}" is not running')
        if not port_text.isdigit():
            return out.fail(f'strconv.Atoi: parsing "{port_text}": invalid syntax')
        port = int(port_text)
        for mapping in container.ports:
            if mapping.container_port == port and mapping.proto == protocol:
                return Output(0, [f"{mapping.host_ip}:{mapping.host_port}\n"])
        if (port, protocol) in container.exposed:
            # An exposed port without a binding: Compose prints its empty answer.
            return Output(0, [":0\n"])
        # Compose lists the container's ports as the Engine summarises them:
        # an exposed port without a binding has public port 0.
        bound = {(m.container_port, m.proto) for m in container.ports}
        unbound = [f"0/{proto}" for port, proto in container.exposed if (port, proto) not in bound]
        listed = ", ".join(unbound + [f"{m.host_port}/{m.proto}" for m in container.ports])
        return out.fail(f"no port {port}/{protocol} for container {container.name}: {listed}")

    # ---- exec, run, config ---------------------------------------------

    def cmd_exec(self, options: _Options) -> Output:
        out = Output()
        if len(options.args) < 2:
            return out.fail('"docker compose exec" requires at least 2 arguments.')
        service = options.args[0]
        container = self.running_container(service, int(options.value("index") or "1"))
        if container is None:
            return out.fail(f'service "{service}" is not running')
        env = [v for k, v in options.values if k == "env"]
        code, stdout, stderr = self.execute(container, list(options.args[1:]), env)
        return Output(code, [stdout], [stderr])

    def cmd_run(self, options: _Options) -> Output:
        out = Output()
        if not options.args:
            return out.fail('"docker compose run" requires at least 1 argument.')
        name = options.args[0]
        service = self.spec.service(name)
        if service is None:
            return out.fail(f"no such service: {name}")
        if "detach" in options.flags:
            return out.fail("netsim runs `docker compose run` attached only (without -d)")
        if "no-deps" not in options.flags:
            levels = self.ordered(service.dependencies())
            deps = [s for level in levels for s in level]
            if deps and not self.ensure_networks([*deps, service], out):
                return out
            for dependency in deps:
                for number in range(1, dependency.replicas + 1):
                    container = self.ensure_container(dependency, number, out)
                    if container is None:
                        return out
                    if container.running:
                        out.progress("Container", container.name, "Running")
                    elif not self.start(container, out):
                        return out
        if not self.ensure_networks([service], out):
            return out
        suffix = hashlib.sha256(f"{self.daemon.new_id()}".encode()).hexdigest()[:12]
        run_name = options.value("name") or f"{self.name}-{service.name}-run-{suffix}"
        command = tuple(options.args[1:]) or None
        try:
            container = self.create(service, run_name, 1, command=command, oneoff=True)
            self.daemon.start_container(container)
        except DockerError as error:
            return out.fail(daemon_error(error.message))
        code, stdout, stderr = self.execute(container, list(container.command_line), [])
        self.daemon.stop_container(container, exit_code=code)
        if "rm" in options.flags:
            self.daemon.remove_container(container, force=True)
        out.exit_code = code
        out.stdout.append(stdout)
        out.stderr.append(stderr)
        return out

    def cmd_config(self, options: _Options) -> Output:
        if "quiet" in options.flags:
            return Output()
        if "services" in options.flags:
            # In dependency order (seen on 2.26: db before the web that needs it).
            return Output(0, [s.name + "\n" for level in self.ordered() for s in level])
        if self.spec.notes:
            # Keys netsim does not read would be missing from the model it prints.
            return Output().fail(
                "netsim prints `docker compose config` only for files whose every key it "
                f"reads; this one has keys it does not act on ({self.spec.notes[0]}); "
                "use --services or -q"
            )
        from netsim.docker.compose_config import format_config

        return Output(0, [format_config(self.spec, self.name)])
