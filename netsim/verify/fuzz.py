"""Seeded random scenarios from a weighted grammar of what people type on a Docker host.

``generate(seed, steps=K)`` returns a :class:`Generated` scenario: its steps,
each knowing which containers and networks it makes and which it uses (so the
minimiser can drop a step together with the steps that need it), and its YAML
text, which ``netsim.session.load_scenario_text`` accepts. The same seed and
step count give the same scenario, byte for byte, forever: a seed names a
scenario.

The grammar keeps a model of the world it is building (which containers run,
on which networks, with which published ports) so that most steps make sense,
and avoids what two replays on one real engine do not agree on (evidence from
``python -m netsim.verify run --twice``): a stopped container on several
networks is never started again (28.5 joins them in random order), host
ports are only published where no other container may hold them, and the
host's routes and docker0 are not listed right after a container joins or
leaves a bridge (the carrier settles a moment later on a real host).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

# Containers' images: (image, argv to keep it running when it has no service).
SERVICE_IMAGES = ("nginx", "redis", "tomcat", "postgres", "httpd")
IDLE = "busybox sleep 3600"
SERVICE_PORTS = {"nginx": 80, "redis": 6379, "tomcat": 8080, "postgres": 5432, "httpd": 80}
LAN_HOST = "192.168.1.10"
LAPTOP = "192.168.1.20"

INSPECT_TEMPLATES = (
    "{{.NetworkSettings.IPAddress}}",
    "{{json .NetworkSettings.Ports}}",
    "{{json .HostConfig.PortBindings}}",
    "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} gw {{$v.Gateway}} "
    "{{end}}",
    "{{json .Config.ExposedPorts}}",
    "{{.HostConfig.NetworkMode}} {{.Config.Hostname}}",
    "{{.State.Status}} {{.State.Running}}",
    "{{json .HostConfig.Links}}",
)
NETWORK_TEMPLATES = (
    "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}} {{.Internal}}",
    # Not `range .Containers`: Go ranges over that map in the order of the
    # (random) container IDs, so two replays list the containers differently.
    "{{len .Containers}} {{.Name}} {{.Internal}} {{.EnableIPv6}}",
    "{{.Driver}} {{.Scope}} {{json .Options}}",
)
TABLE_LISTINGS = (
    "iptables -S",
    "iptables -t nat -S",
    "iptables -L -n",
    "iptables -t nat -L -n",
    "iptables-save -t nat",
    "iptables -S DOCKER-USER",
    "iptables -t nat -S DOCKER",
    "iptables -S FORWARD",
    "ip route",
    "ip addr show docker0",
)
ADMIN_RULES = (
    "iptables -I DOCKER-USER -s 192.168.1.20 -j DROP",
    "iptables -I DOCKER-USER -i eth0 -p tcp --dport {port} -j DROP",
    "iptables -A DOCKER-USER -p udp -j ACCEPT",
    "iptables -I INPUT -p tcp --dport {port} -j DROP",
    "iptables -A INPUT -s 192.168.1.20 -j ACCEPT",
    "iptables -I FORWARD -p icmp -j DROP",
    "iptables -t nat -I PREROUTING -p tcp --dport 7777 -j DNAT --to-destination {address}:{cport}",
    "iptables -t nat -A POSTROUTING -s 10.99.0.0/16 -j MASQUERADE",
)
# A bridge's carrier follows its ports a moment later, and with it the host's
# `linkdown` route flag and the bridge's NO-CARRIER/state. When a bridge loses
# its last container the flag comes seconds later, longer on a loaded host
# (the container's namespace is torn down in the background): seed 2051 and
# seed 3215 listed `ip route` one and three steps after a bridge emptied and
# saw no `linkdown` yet, where a replay on an idle host shows it two steps
# after. So once a bridge has emptied these listings are no longer made, and
# after any step that attaches or detaches a container they wait SETTLE_STEPS.
CARRIER_LISTINGS = ("ip route", "ip addr show docker0")
BRIDGE_CHANGES = (
    "docker run",
    "docker start",
    "docker stop",
    "docker restart",
    "docker rm",
    "docker network connect",
    "docker network disconnect",
)
SETTLE_STEPS = 2
# --expose values a container gets without -P: protocols, ranges and an empty protocol.
EXPOSE_FORMS = ("9000/sctp", "7000-7002/udp", "7000-7001", "81/", "6000/udp")
CONTAINER_COMMANDS = ("ip addr", "ip route", "cat /etc/hosts", "env", "hostname")

# What people mistype. Names no step ever makes (the generator's own names are
# c1, net2, alias3, h4...), so they stay missing for the whole scenario.
MISSING_CONTAINER = "nosuch"
MISSING_NETWORK = "nosuchnet"
INVALID_NAMES = ("'a b'", "'web!'", "_c")
# Refused by the CLI before the daemon is asked (status 125 for create and run).
CLI_REFUSALS = (
    "-p 99999:80",
    "-p 80:99999",
    "-p 8080:80/sctpx",
    "-p abc:80",
    "--expose 5-3",
    "--expose abc",
    "--nosuchflag",
)
# Commands typed with too few or too many arguments, before the daemon is
# asked; {c} is a container, {n} a network, {m} a missing container.
ARGUMENT_COUNTS = (
    "docker start",
    "docker stop",
    "docker restart",
    "docker rm",
    "docker inspect",
    "docker port",
    "docker port {c} 80 81",
    "docker rename {c}",
    "docker rename",
    "docker exec {c}",
    "docker logs",
    "docker network connect {n}",
    "docker network disconnect {n}",
    "docker network inspect",
    "docker network rm",
    "docker network create",
    "docker network create {m} {m}",
)


@dataclass(frozen=True, slots=True)
class GeneratedStep:
    """One step: its YAML value, the names it makes and the names it needs."""

    value: str | dict[str, str]
    makes: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated scenario: name, daemon options and steps; ``text`` is its YAML."""

    name: str
    daemon: tuple[tuple[str, object], ...]
    steps: tuple[GeneratedStep, ...]
    comment: str = ""

    def with_steps(self, steps: tuple[GeneratedStep, ...], comment: str | None = None) -> Generated:
        """Return the same scenario with other steps (and optionally another comment)."""
        return Generated(
            self.name, self.daemon, steps, self.comment if comment is None else comment
        )

    @property
    def text(self) -> str:
        """Return the scenario as YAML text, in the scenarios/ format."""
        document: dict[str, object] = {"name": self.name}
        document["description"] = f"Generated by netsim.verify fuzz ({self.comment or self.name})."
        if self.daemon:
            document["daemon"] = dict(self.daemon)
        document["machines"] = {"laptop": {"address": f"{LAPTOP}/24"}}
        document["steps"] = [step.value for step in self.steps]
        header = f"# {self.comment}\n" if self.comment else ""
        body = yaml.safe_dump(document, sort_keys=False, width=1000, allow_unicode=True)
        return header + str(body)


@dataclass(slots=True)
class _Network:
    name: str
    subnet: str | None  # "10.N.0" prefix when created with --subnet
    internal: bool


@dataclass(slots=True)
class _Container:
    name: str
    image: str
    running: bool
    mode: str  # "bridge" (docker0), "user" (user networks), "host", "none", "container"
    networks: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    ports: list[tuple[int, str]] = field(default_factory=list)  # (host port, proto)
    address: str | None = None  # a known fixed address (--ip)


def _tcp_and_udp(container: _Container) -> bool:
    """Say whether a container exposes one port number on both tcp and udp.

    A service image exposes its port on tcp, and ``-p H:PORT/udp`` adds the
    same number on udp. Docker orders a container's exposed ports with a
    comparison that holds both ways for such a pair (``nat.SortPortMap``), so
    the order of the link ACCEPT rules (icc=false) follows Go's random map
    order: seed 3135 on 28.5 listed the udp pair first, netsim the tcp pair.
    """
    return container.image in SERVICE_PORTS and any(proto == "udp" for _, proto in container.ports)


class _Builder:
    """The grammar's state while one scenario is generated."""

    def __init__(self, rng: random.Random, *, icc_off: bool = False) -> None:
        self.rng = rng
        self.icc_off = icc_off
        self.networks: dict[str, _Network] = {}
        self.containers: dict[str, _Container] = {}
        self.steps: list[GeneratedStep] = []
        self.counter = 0
        self.host_ports = 8000
        self.subnets = 20
        self.user_rules = 0
        self.bridge_changed = -SETTLE_STEPS - 1
        self.bridge_emptied = False
        # Containers another joined with --network container:NAME, which names
        # them (not replayed with a rename yet: never renamed).
        self.namespace_targets: set[str] = set()

    # ------------------------------------------------------------- helpers

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def add(self, value: str | dict[str, str], makes: set[str], needs: set[str]) -> None:
        if isinstance(value, str) and value.startswith(BRIDGE_CHANGES):
            self.bridge_changed = len(self.steps)
        self.steps.append(GeneratedStep(value, frozenset(makes), frozenset(needs)))

    def link_settled(self) -> bool:
        """Say whether the host's links have settled (see CARRIER_LISTINGS)."""
        return not self.bridge_emptied and len(self.steps) - self.bridge_changed > SETTLE_STEPS

    def leaving(self, container: _Container, networks: list[str]) -> None:
        """Note a running container leaving ``networks``: a bridge it leaves empty."""
        if not container.running or container.mode not in ("bridge", "user"):
            return
        for network in networks:
            others = [
                c
                for c in self.running("bridge", "user")
                if c is not container and network in c.networks
            ]
            if not others:
                self.bridge_emptied = True

    def running(self, *modes: str) -> list[_Container]:
        return [c for c in self.containers.values() if c.running and (not modes or c.mode in modes)]

    def pick(self, items: list[_Container] | list[_Network]) -> _Container | _Network | None:
        if not items:
            return None
        chosen: _Container | _Network = self.rng.choice(list[_Container | _Network](items))
        return chosen

    def port(self) -> int:
        self.host_ports += self.rng.choice((1, 7, 13))
        return self.host_ports

    # ------------------------------------------------------------- actions

    def network_create(self) -> bool:
        if len(self.networks) >= 3:
            return False
        name = self.fresh("net")
        argv = ["docker network create"]
        roll = self.rng.random()
        subnet = None
        if roll < 0.45:
            self.subnets += 1
            subnet = f"10.{self.subnets}.0"
            argv.append(f"--subnet {subnet}.0/24")
            extra = self.rng.random()
            if extra < 0.3:
                argv.append(f"--gateway {subnet}.254")
            elif extra < 0.5:
                argv.append(f"--ip-range {subnet}.128/25")
        internal = self.rng.random() < 0.2
        if internal:
            argv.append("--internal")
        argv.append(name)
        self.networks[name] = _Network(name, subnet, internal)
        self.add(" ".join(argv), {name}, set())
        return True

    def run(self, verb: str = "run") -> bool:
        if len(self.containers) >= 6:
            return False
        name = self.fresh("c")
        image = self.rng.choice(SERVICE_IMAGES + ("busybox",) * 2)
        argv = [f"docker {verb}"] + (["-d"] if verb == "run" else []) + [f"--name {name}"]
        needs: set[str] = set()
        container = _Container(name, image, verb == "run", "bridge")
        mode = self.rng.random()
        user_networks = list(self.networks.values())
        if mode < 0.08:
            container.mode = "host"
            argv.append("--network host")
        elif mode < 0.13:
            container.mode = "none"
            argv.append("--network none")
        elif mode < 0.18 and self.running("bridge", "user"):
            target = self.rng.choice(self.running("bridge", "user"))
            container.mode = "container"
            argv.append(f"--network container:{target.name}")
            needs.add(target.name)
            self.namespace_targets.add(target.name)
        elif mode < 0.6 and user_networks:
            network = self.rng.choice(user_networks)
            container.mode = "user"
            container.networks.append(network.name)
            argv.append(f"--network {network.name}")
            needs.add(network.name)
            if self.rng.random() < 0.35:
                alias = self.fresh("alias")
                container.aliases.append(alias)
                argv.append(f"--network-alias {alias}")
            if network.subnet and self.rng.random() < 0.3:
                container.address = f"{network.subnet}.{self.rng.randrange(10, 100)}"
                argv.append(f"--ip {container.address}")
        else:
            container.networks.append("bridge")
            linkable = [
                c
                for c in self.running("bridge")
                if c.networks == ["bridge"] and not (self.icc_off and _tcp_and_udp(c))
            ]
            if linkable and self.rng.random() < 0.4:
                target = self.rng.choice(linkable)
                needs.add(target.name)
                if self.rng.random() < 0.5:
                    argv.append(f"--link {target.name}:{self.fresh('alias')}")
                else:
                    argv.append(f"--link {target.name}")
        if container.mode in ("bridge", "user"):
            argv.extend(self.publish(container))
        if container.mode not in ("host", "container") and self.rng.random() < 0.2:
            argv.append(f"--hostname {self.fresh('h')}")
        if self.rng.random() < 0.15:
            argv.append(f"-e LEVEL={self.rng.randrange(10)}")
        argv.append(image if image != "busybox" else IDLE)
        self.containers[name] = container
        self.add(" ".join(argv), {name}, needs)
        return True

    def publish(self, container: _Container) -> list[str]:
        """Return the -p/-P/--expose options of a new container (and remember its ports)."""
        roll = self.rng.random()
        cport = SERVICE_PORTS.get(container.image, 80)
        if roll < 0.3:
            return []
        if roll < 0.5:
            host = self.port()
            container.ports.append((host, "tcp"))
            return [f"-p {host}:{cport}"]
        if roll < 0.58:
            host = self.port()
            container.ports.append((host, "tcp"))
            return [f"-p 127.0.0.1:{host}:{cport}"]
        if roll < 0.64:
            host = self.port()
            container.ports.append((host, "tcp"))
            return [f"-p {LAN_HOST}:{host}:{cport}"]
        if roll < 0.72:
            host = self.port()
            self.host_ports += 1
            container.ports.append((host, "tcp"))
            return [f"-p {host}-{host + 1}:{cport}-{cport + 1}"]
        if roll < 0.8:
            host = self.port()
            container.ports.append((host, "udp"))
            return [f"-p {host}:{cport}/udp"]
        if roll < 0.88:
            return ["-P"]
        if roll < 0.94:
            # Exposed only: a link's variables and `docker ps` name these ports,
            # and the engines order a link's ports differently (expose-forms).
            return [f"--expose {self.rng.choice(EXPOSE_FORMS)}"]
        return ["-P", f"--expose {self.rng.choice((7000, 9000))}"]

    def lifecycle(self) -> bool:
        container = self.pick(list(self.containers.values()))
        if not isinstance(container, _Container):
            return False
        several = len(container.networks) > 1
        dependants = [c for c in self.containers.values() if c.mode == "container"]
        roll = self.rng.random()
        if roll < 0.2 and container.running and not several:
            # A container whose namespace another uses keeps it; restart is fine.
            self.leaving(container, container.networks)
            self.add(f"docker restart {container.name}", set(), {container.name})
        elif roll < 0.45 and container.running and not several:
            if any(d.running for d in dependants):
                return False
            self.leaving(container, container.networks)
            container.running = False
            self.add(f"docker stop {container.name}", set(), {container.name})
        elif roll < 0.65 and not container.running and not several:
            container.running = True
            self.add(f"docker start {container.name}", set(), {container.name})
        elif roll < 0.8:
            if any(d.running for d in dependants) and container.mode != "container":
                return False
            self.leaving(container, container.networks)
            del self.containers[container.name]
            self.add(f"docker rm -f {container.name}", set(), {container.name})
        else:
            return False
        return True

    def connect(self) -> bool:
        candidates = [c for c in self.running("bridge", "user")]
        container = self.pick(candidates)
        if not isinstance(container, _Container):
            return False
        joinable = [n for n in self.networks.values() if n.name not in container.networks]
        if self.rng.random() < 0.3 and len(container.networks) > 1:
            network_name = self.rng.choice(container.networks)
            self.leaving(container, [network_name])
            container.networks.remove(network_name)
            needs = {container.name} | ({network_name} if network_name != "bridge" else set())
            self.add(f"docker network disconnect {network_name} {container.name}", set(), needs)
            return True
        if not joinable:
            return False
        network = self.rng.choice(joinable)
        argv = ["docker network connect"]
        if self.rng.random() < 0.3:
            alias = self.fresh("alias")
            container.aliases.append(alias)
            argv.append(f"--alias {alias}")
        if network.subnet and self.rng.random() < 0.3:
            argv.append(f"--ip {network.subnet}.{self.rng.randrange(100, 200)}")
        argv += [network.name, container.name]
        container.networks.append(network.name)
        self.add(" ".join(argv), set(), {container.name, network.name})
        return True

    def network_rm(self) -> bool:
        network = self.pick(list(self.networks.values()))
        if not isinstance(network, _Network):
            return False
        used = any(network.name in c.networks for c in self.containers.values())
        if not used:
            del self.networks[network.name]
        self.add(f"docker network rm {network.name}", set(), {network.name})
        return True

    def admin_rule(self) -> bool:
        if self.user_rules >= 2:
            return False
        with_address = [c for c in self.running("bridge") if c.image in SERVICE_PORTS]
        rule = self.rng.choice(ADMIN_RULES)
        needs: set[str] = set()
        if "{address}" in rule:
            if not with_address:
                return False
            # The DNAT target is docker0's first container address only when known;
            # aim at the gateway's subnet instead: a fixed, always-valid address.
            target = self.rng.choice(with_address)
            rule = rule.format(address="172.17.0.2", cport=SERVICE_PORTS[target.image])
            needs.add(target.name)
        else:
            rule = rule.format(port=self.rng.choice((80, 8080, 22)))
        self.user_rules += 1
        self.add(rule, set(), needs)
        return True

    def observe(self) -> bool:
        roll = self.rng.random()
        container = self.pick(list(self.containers.values()))
        if roll < 0.25:
            listing = self.rng.choice(TABLE_LISTINGS)
            if listing in CARRIER_LISTINGS and not self.link_settled():
                return False
            self.add(listing, set(), set())
        elif roll < 0.35:
            self.add(self.rng.choice(("docker ps", "docker ps -a")), set(), set())
        elif roll < 0.42:
            argv = "docker network ls --format '{{.Name}} {{.Driver}} {{.Scope}}'"
            self.add(argv, set(), set())
        elif roll < 0.5 and self.networks:
            network = self.rng.choice(list(self.networks))
            template = self.rng.choice(NETWORK_TEMPLATES)
            self.add(f"docker network inspect -f '{template}' {network}", set(), {network})
        elif not isinstance(container, _Container):
            return False
        elif roll < 0.62:
            self.add(f"docker port {container.name}", set(), {container.name})
        elif roll < 0.8:
            template = self.rng.choice(INSPECT_TEMPLATES)
            self.add(f"docker inspect -f '{template}' {container.name}", set(), {container.name})
        elif container.running:
            command = self.rng.choice(CONTAINER_COMMANDS)
            if command == "env" and container.mode == "host":
                return False
            if command.startswith("ip ") and container.image != "busybox":
                # The service images have no `ip` (netsim/docker/toolsets.py): a
                # busybox container in the same network namespace lists it.
                line = f"docker run --rm --network container:{container.name} busybox {command}"
            else:
                line = f"docker exec {container.name} {command}"
            self.add(line, set(), {container.name})
        else:
            return False
        return True

    def probe(self) -> bool:
        sources = [c for c in self.running() if c.mode != "none"]
        targets = list(self.containers.values())
        if not targets:
            return False
        roll = self.rng.random()
        target = self.rng.choice(targets)
        needs = {target.name}
        if roll < 0.35 and target.ports:
            host_port, proto = self.rng.choice(target.ports)
            source = self.rng.choice(("laptop", "host"))
            destination = LAN_HOST if source == "laptop" else "127.0.0.1"
            text = f"{source} -> {destination}:{host_port}" + ("/udp" if proto == "udp" else "")
        else:
            source_container = self.pick(sources)
            if not isinstance(source_container, _Container) or source_container is target:
                return False
            needs.add(source_container.name)
            names = [target.name, *target.aliases]
            if target.address:
                names.append(target.address)
            destination = self.rng.choice(names)
            port = SERVICE_PORTS.get(target.image, 80)
            if self.rng.random() < 0.2:
                self.add(
                    {"probe": f"{source_container.name} -> {destination}", "proto": "icmp"},
                    set(),
                    needs,
                )
                return True
            text = f"{source_container.name} -> {destination}:{port}"
        self.add({"probe": text}, set(), needs)
        return True

    # ------------------------------------------------------------- mistakes

    def refused_create(self) -> bool:
        """Add a ``create``/``run`` that the daemon or the CLI refuses (nothing is made)."""
        verb = self.rng.choice(("run", "create"))
        head = f"docker {verb}" + (" -d" if verb == "run" else "")
        existing = self.pick(list(self.containers.values()))
        roll = self.rng.random()
        needs: set[str] = set()
        if roll < 0.25 and isinstance(existing, _Container):
            options = f"--name {existing.name}"  # the daemon: the name is in use
            needs.add(existing.name)
        elif roll < 0.4:
            options = f"--name {self.rng.choice(INVALID_NAMES)}"  # the daemon: invalid name
        elif roll < 0.55:
            # The daemon: a link to a container that does not exist.
            options = f"--name {self.fresh('c')} --link {MISSING_CONTAINER}:db"
        else:
            options = f"--name {self.fresh('c')} {self.rng.choice(CLI_REFUSALS)}"
        self.add(f"{head} {options} {IDLE}", set(), needs)
        return True

    def argument_count(self) -> bool:
        """Add a common command typed with the wrong number of arguments."""
        form = self.rng.choice(ARGUMENT_COUNTS)
        container = self.pick(list(self.containers.values()))
        network = self.pick(list(self.networks.values()))
        needs: set[str] = set()
        if "{c}" in form:
            if not isinstance(container, _Container):
                return False
            needs.add(container.name)
        if "{n}" in form:
            if not isinstance(network, _Network):
                return False
            needs.add(network.name)
        line = form.format(
            c=container.name if container else "",
            n=network.name if network else "",
            m=MISSING_NETWORK,
        )
        self.add(line, set(), needs)
        return True

    def several(self) -> bool:
        """Add ``start``/``stop``/``restart``/``rm -f`` of several or missing containers.

        A missing name fails on its own and the others are still acted on:
        the partial failure exits 1 after doing what it could.
        """
        verb = self.rng.choice(("start", "stop", "restart", "rm -f"))
        dependants = [c for c in self.containers.values() if c.mode == "container" and c.running]
        if verb == "start":
            fit = [c for c in self.containers.values() if not c.running and len(c.networks) <= 1]
        elif verb == "rm -f":
            fit = [c for c in self.containers.values() if not dependants or c.mode == "container"]
        else:
            fit = [
                c
                for c in self.running()
                if len(c.networks) <= 1 and (verb == "restart" or not dependants)
            ]
        self.rng.shuffle(fit)
        chosen = fit[: self.rng.randrange(0, 3)]
        names = [c.name for c in chosen]
        if not names or self.rng.random() < 0.6:
            names.insert(self.rng.randrange(len(names) + 1), MISSING_CONTAINER)
        for container in chosen:
            if verb != "start":
                self.leaving(container, container.networks)
            if verb == "rm -f":
                del self.containers[container.name]
            else:
                container.running = verb != "stop"
        self.add(f"docker {verb} {' '.join(names)}", set(), {c.name for c in chosen})
        return True

    def port_form(self) -> bool:
        """Add ``docker port C PORT[/PROTO]``: published, unpublished or of a missing container."""
        container = self.pick(list(self.containers.values()))
        roll = self.rng.random()
        if roll < 0.15 or not isinstance(container, _Container):
            self.add(f"docker port {MISSING_CONTAINER} 80", set(), set())
            return True
        cport = SERVICE_PORTS.get(container.image, 80)
        form = self.rng.choice((f"{cport}", f"{cport}/tcp", f"{cport}/udp", "4444", "4444/tcp"))
        self.add(f"docker port {container.name} {form}", set(), {container.name})
        return True

    def rename(self) -> bool:
        """Add ``docker rename``: to a new name, or refused (name in use, missing, same name)."""
        container = self.pick(list(self.containers.values()))
        if not isinstance(container, _Container):
            return False
        roll = self.rng.random()
        others = [c for c in self.containers.values() if c is not container]
        if roll < 0.5 and container.name not in self.namespace_targets:
            old = container.name
            new = self.fresh("c")
            del self.containers[old]
            container.name = new
            self.containers[new] = container
            self.add(f"docker rename {old} {new}", {new}, {old})
        elif roll < 0.7 and others:
            other = self.rng.choice(others)
            self.add(
                f"docker rename {container.name} {other.name}", set(), {container.name, other.name}
            )
        elif roll < 0.85:
            self.add(f"docker rename {MISSING_CONTAINER} {self.fresh('c')}", set(), set())
        else:
            self.add(f"docker rename {container.name} {container.name}", set(), {container.name})
        return True

    def missing(self) -> bool:
        """Add a command on what is not there: a missing network, a stopped container."""
        roll = self.rng.random()
        stopped = [c for c in self.containers.values() if not c.running]
        running = [c for c in self.running() if c.mode != "host"]
        if roll < 0.3:
            self.add(f"docker network inspect {MISSING_NETWORK}", set(), set())
        elif roll < 0.6 and stopped:
            container = self.rng.choice(stopped)
            command = self.rng.choice(("env", "hostname", "cat /etc/hosts"))
            self.add(f"docker exec {container.name} {command}", set(), {container.name})
        elif roll < 0.75:
            self.add(f"docker exec {MISSING_CONTAINER} hostname", set(), set())
        elif roll < 0.9 and running:
            container = self.rng.choice(running)
            self.add(f"docker rm {container.name}", set(), {container.name})
        else:
            self.add(f"docker network rm {MISSING_NETWORK}", set(), set())
        return True


Action = Callable[[_Builder], bool]

# What people do, and how often (the weights are relative).
GRAMMAR: tuple[tuple[str, int, Action], ...] = (
    ("network create", 5, _Builder.network_create),
    ("run", 12, _Builder.run),
    ("create", 2, lambda b: b.run("create")),
    ("start/stop/restart/rm", 6, _Builder.lifecycle),
    ("network connect/disconnect", 5, _Builder.connect),
    ("network rm", 1, _Builder.network_rm),
    ("iptables admin rule", 2, _Builder.admin_rule),
    ("observe", 16, _Builder.observe),
    ("probe", 4, _Builder.probe),
    # Mistakes and refusals: what people mistype or try.
    ("refused create/run", 3, _Builder.refused_create),
    ("argument count", 2, _Builder.argument_count),
    ("several or missing containers", 3, _Builder.several),
    ("port form", 2, _Builder.port_form),
    ("rename", 2, _Builder.rename),
    ("missing object", 2, _Builder.missing),
)

DAEMON_OPTIONS: tuple[tuple[str, object], ...] = (
    ("icc", False),
    ("userland-proxy", False),
    ("bip", "172.30.0.1/16"),
    ("default-address-pools", [{"base": "10.200.0.0/16", "size": 24}]),
)


def scenario_name(seed: int) -> str:
    """Return the name of the scenario a seed makes."""
    return f"fuzz-{seed}"


def generate(seed: int, steps: int = 20) -> Generated:
    """Return the scenario seed ``seed`` names, with ``steps`` steps.

    Raises:
        ValueError: ``steps`` is less than 1.
    """
    if steps < 1:
        raise ValueError(f"a scenario needs at least one step, not {steps}")
    rng = random.Random(f"netsim-fuzz-{seed}")
    daemon = tuple(option for option in DAEMON_OPTIONS if rng.random() < 0.15)
    builder = _Builder(rng, icc_off=("icc", False) in daemon)
    names = [name for name, _, _ in GRAMMAR]
    weights = [weight for _, weight, _ in GRAMMAR]
    actions = {name: action for name, _, action in GRAMMAR}
    used: list[str] = []
    # Start where people start: a container or a network.
    (builder.run if rng.random() < 0.7 else builder.network_create)()
    used.append("run")
    attempts = 0
    while len(builder.steps) < steps:
        attempts += 1
        if attempts > steps * 50:
            raise RuntimeError(f"seed {seed}: the grammar made no progress")  # pragma: no cover
        name = rng.choices(names, weights)[0]
        if actions[name](builder):
            used.append(name)
    comment = f"seed {seed}, {steps} steps: " + ", ".join(
        f"{name} x{used.count(name)}" for name in names if used.count(name)
    )
    return Generated(scenario_name(seed), daemon, tuple(builder.steps), comment)


def used_actions(seed: int, steps: int = 20) -> set[str]:
    """Return the grammar rules a seed's scenario used (for the coverage test)."""
    comment = generate(seed, steps).comment
    return {part.rsplit(" x", 1)[0] for part in comment.split(": ", 1)[1].split(", ")}
