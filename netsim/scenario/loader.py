"""Load a scenario file into validated, frozen spec values (scenario-format.md).

The loader returns a :class:`Scenario` or raises :class:`ScenarioError`
naming the file, the line, the key path (``steps[3].probe``,
``machines.laptop.address``) and what was expected; it never returns
anything half-checked.

Decisions the contract leaves open, made here:
- ``engine`` is read as typed, so an unquoted ``20.10`` (YAML's float 20.1)
  and ``28.5`` both work; ``20.1`` is refused as an unknown engine.
- Keys are read as typed too, so ``on:`` is the key "on", not YAML 1.1's ``true``.
- ``description`` is stripped of surrounding blank space (a ``>`` block ends with a newline).
- A ``listen``/``expose`` entry may be ``22`` (meaning ``22/tcp``) or ``22/tcp``.
- A machine's address, like the host's, must carry its prefix, and must be on
  the host's LAN with the LAN's prefix.
- ``run:`` without ``on:`` runs on the host. A command must be one line that a
  shell can split (balanced quotes).
- A probe's ``proto:`` may be ``tcp``/``udp`` too when the text names no
  protocol; it must agree with a ``/PROTO`` the text names.
- A pool ``base`` may have host bits set (``172.17.0.0/12``, as the contract
  writes it); they are dropped, as dockerd's ``net.ParseCIDR`` drops them.
- Declared images: ``entrypoint``/``command`` of ``[]`` mean none; with neither
  key given, the image runs ``docker-entrypoint.sh serve``.
- ``compose:`` (an extension) is a Compose file inline, or the path of one
  relative to the scenario's folder. Its project folder on the host is
  ``/root/<scenario name>``, the file is ``compose.yaml`` there. A list of
  ``{project: NAME, file: FILE-OR-PATH}`` puts several projects in
  ``/root/<NAME>``; the host's shell works in the first one's folder.
- A file with ``services:`` and no ``steps:`` is a plain Compose file: it
  reads as a scenario whose one step is ``docker compose up -d``, named after
  the project (its folder's name, or the file's ``name:``).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import shlex
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netsim.errors import PacketSyntaxError, ScenarioError
from netsim.scenario.compose import ComposeFile, normalize_project_name, read_compose
from netsim.scenario.probe import CONTAINER_NAME, RESULTS, SYNTAX, parse_probe
from netsim.scenario.spec import (
    DEFAULT_ENGINE,
    DEFAULT_HOST_ADDRESS,
    INSTALLABLE_PACKAGES,
    AddressPoolSpec,
    CommandExpectation,
    CommandStep,
    DaemonSpec,
    HostSpec,
    ImageSpec,
    MachineSpec,
    PacketStep,
    PortSpec,
    ProbeProtocol,
    ProbeStep,
    Protocol,
    Scenario,
    Step,
)
from netsim.scenario.words import split_words
from netsim.scenario.yamlsource import (
    MAX_BYTES,
    Document,
    compose,
    cut,
    decode,
    join_key,
    line_of,
    quote,
)

# netsim's limit on machines in one scenario (documented in
# docs/scenario-format.md): building the LAN costs time with every machine.
MAX_MACHINES = 1000
TOP_KEYS = (
    "name",
    "description",
    "engine",
    "daemon",
    "host",
    "machines",
    "images",
    "compose",
    "local-images",
    "steps",
)
COMPOSE_HOME = "/root"
# A reference as `local-images:` takes it: [registry/]name[:tag], lowercase.
LOCAL_IMAGE = re.compile(r"[a-z0-9][a-z0-9._/-]*(?::[0-9]+/[a-z0-9._/-]+)?(?::[\w][\w.-]*)?")
DAEMON_KEYS = (
    "icc",
    "userland-proxy",
    "ip-forward",
    "bip",
    "default-address-pools",
    "insecure-registries",
)
# An --insecure-registry entry: HOST[:PORT] (a name or an IPv4 address) or a CIDR subnet.
INSECURE_REGISTRY = re.compile(
    r"(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?|[0-9]{1,3}(?:\.[0-9]{1,3}){3}/[0-9]{1,2})"
)
POOL_KEYS = ("base", "size")
HOST_KEYS = ("address", "listen")
MACHINE_KEYS = ("address", "listen")
IMAGE_KEYS = ("expose", "listen", "entrypoint", "command", "packages")
COMMAND_EXPECT_KEYS = ("expect_exit", "expect_stdout", "expect_contains", "expect_match")
COMMAND_STEP_KEYS = ("on", "run", "session", *COMMAND_EXPECT_KEYS)
PACKET_STEP_KEYS = ("packet", "from")
PROBE_STEP_KEYS = ("probe", "expect", "proto")

DEFAULT_IMAGE_ENTRYPOINT = ("docker-entrypoint.sh",)
DEFAULT_IMAGE_COMMAND = ("serve",)

SCENARIO_NAME = re.compile(r"[a-z0-9-]+")
MACHINE_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_DOTTED_QUAD = r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}"
_INTERFACE = re.compile(_DOTTED_QUAD + r"/[0-9]{1,2}")
_PORT_SPEC = re.compile(r"([0-9]+)(?:/(.*))?")
# Docker's reference grammar (distribution/reference), simplified: an optional
# registry host[:port]/ and lowercase path components separated by / ._ __ or -.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_DOMAIN = rf"(?:{_LABEL}(?:\.{_LABEL})*(?::[0-9]+)?/)"
_REPOSITORY = re.compile(rf"{_DOMAIN}?{_COMPONENT}(?:/{_COMPONENT})*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


@dataclass(frozen=True, slots=True)
class ScenarioChecks:
    """What the loader checks with knowledge of the layers above it, handed in by them.

    ``engines`` are the engine profiles' names; ``image_problem(command,
    images, earlier)`` returns why a ``docker run``/``create`` line names an
    image netsim cannot run (``None`` when it can; ``earlier`` are the host's
    commands before it, which may make the image); ``packet_syntax(text)`` raises
    ``PacketSyntaxError`` for a packet that scapy's notation cannot build.
    ``netsim.session.SCENARIO_CHECKS`` is the full set.
    """

    engines: tuple[str, ...]
    image_problem: Callable[[str, tuple[ImageSpec, ...], tuple[str, ...]], str | None]
    packet_syntax: Callable[[str], object]
    session_problem: Callable[[str], str | None] = lambda command: None
    """Why a ``session:`` cannot follow this ``run:`` command (None when it can)."""


def load_scenario(path: str | os.PathLike[str], *, checks: ScenarioChecks) -> Scenario:
    """Load and validate the scenario file at ``path``."""
    file = os.fspath(path)
    try:
        # A FIFO, socket or device would block or never end: read regular files only.
        mode = os.stat(file).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            kind = (
                "a FIFO"
                if stat.S_ISFIFO(mode)
                else "a socket"
                if stat.S_ISSOCK(mode)
                else "a device"
            )
            raise ScenarioError(f"not a regular file ({kind}); give a scenario file", file=file)
        with open(file, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    return _load(decode(data, file), file, checks)


def load_scenario_text(text: str, path: str = "<string>", *, checks: ScenarioChecks) -> Scenario:
    """Validate scenario YAML given as text; ``path`` names it in messages."""
    return _load(text, path, checks)


def _load(text: str, file: str, checks: ScenarioChecks) -> Scenario:
    document = compose(text, file)
    if _is_compose_file(document):
        return _compose_scenario(document, text, file, checks)
    return _ScenarioReader(document, checks, text).read()


def _node_text(text: str, node: Node) -> str:
    """Return the YAML text of ``node`` (a mapping inside a scenario), dedented.

    It starts at the node's first character and runs until the first line
    indented less than that (the next key or list item of the scenario).
    """
    lines = text.splitlines()
    column = node.start_mark.column
    taken = [lines[node.start_mark.line][column:]]
    for line in lines[node.start_mark.line + 1 : node.end_mark.line + 1]:
        if line.strip() and len(line) - len(line.lstrip(" ")) < column:
            break
        taken.append(line[column:])
    return "\n".join(taken).rstrip() + "\n"


def _is_compose_file(document: Document) -> bool:
    """Return whether a document is a plain Compose file (``services:``, no ``steps:``)."""
    root = document.root
    if not isinstance(root, MappingNode):
        return False
    keys = {k.value for k, _ in root.value if isinstance(k, ScalarNode)}
    return "services" in keys and "steps" not in keys


def _compose_scenario(document: Document, text: str, file: str, checks: ScenarioChecks) -> Scenario:
    """Read a plain Compose file as a scenario that runs ``docker compose up -d``."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(file))) if file != "<string>" else ""
    project = normalize_project_name(folder) or "project"
    assert document.root is not None
    spec = read_compose(
        document,
        document.root,
        text=text,
        project=project,
        directory=f"{COMPOSE_HOME}/{folder or project}",
        filename=os.path.basename(file) if file != "<string>" else "compose.yaml",
    )
    images, notes = _assumed_images(spec, checks)
    spec = dataclasses.replace(spec, notes=spec.notes + notes)
    _check_compose_images(document, spec, checks, images)
    name = spec.project.replace("_", "-")
    return Scenario(
        path=file,
        name=name,
        steps=(CommandStep(index=0, line=1, command="docker compose up -d"),),
        description=f"The Compose project {spec.project}, started with docker compose up -d.",
        compose=(spec,),
        images=images,
    )


def _assumed_images(
    spec: ComposeFile, checks: ScenarioChecks
) -> tuple[tuple[ImageSpec, ...], tuple[str, ...]]:
    """Declare the images of a plain Compose file that netsim's catalog does not know.

    Such an image is assumed to listen on the container ports its services
    publish or expose, which is what a Compose file says about it; the
    file's notes say so.
    """
    listens: dict[str, set[tuple[int, str]]] = {}
    for service in spec.services:
        if checks.image_problem(f"docker run {shlex.quote(service.image)}", (), ()) is None:
            continue
        ports = listens.setdefault(_repository_of(service.image), set())
        for text in (*service.ports, *service.expose):
            ports.update(_container_ports(text))
    images = []
    notes = []
    for repository, ports in sorted(listens.items()):
        listen = tuple(PortSpec(port, proto) for port, proto in sorted(ports))  # type: ignore[arg-type]
        images.append(
            ImageSpec(
                name=repository,
                listen=listen,
                entrypoint=DEFAULT_IMAGE_ENTRYPOINT,
                command=DEFAULT_IMAGE_COMMAND,
            )
        )
        shown = ", ".join(str(p) for p in listen) or "nothing"
        notes.append(f"image {repository} is not in netsim's catalog: assumed to listen on {shown}")
    return tuple(images), tuple(notes)


def _repository_of(reference: str) -> str:
    """Return an image reference without its tag or digest."""
    reference = reference.split("@", 1)[0]
    head, _, last = reference.rpartition("/")
    last = last.split(":", 1)[0]
    return f"{head}/{last}" if head else last


def _container_ports(text: str) -> set[tuple[int, str]]:
    """Return the container ports of a ``-p``/``expose`` form (``8000:80/tcp`` -> 80/tcp)."""
    spec, _, proto = text.partition("/")
    target = spec.rsplit(":", 1)[-1]
    first, _, last = target.partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        return set()
    end = int(last) if last else int(first)
    return {(port, proto or "tcp") for port in range(int(first), min(end, int(first) + 100) + 1)}


def _check_compose_images(
    document: Document,
    spec: ComposeFile,
    checks: ScenarioChecks,
    images: tuple[ImageSpec, ...],
    prefix: str = "",
) -> None:
    """Refuse a Compose service whose image netsim cannot run."""
    for service in spec.services:
        problem = checks.image_problem(f"docker run {shlex.quote(service.image)}", images, ())
        if problem is not None:
            raise ScenarioError(
                problem,
                file=spec.file,
                line=service.line_of("image"),
                key=join_key(prefix, f"services.{service.name}.image"),
            )


class _ScenarioReader:
    """Walk one composed document and build the Scenario it describes."""

    def __init__(self, document: Document, checks: ScenarioChecks, text: str = "") -> None:
        self.source_text = text
        self.doc = document
        self.file = document.file
        self.checks = checks
        # The host's commands so far: an image a step runs may come from one (commit, tag).
        self.host_commands: list[str] = []

    # ---- generic shapes ------------------------------------------------

    def error(self, node: Node | None, key: str, message: str) -> ScenarioError:
        """Return a ScenarioError at ``node`` for key path ``key``."""
        return self.doc.error(node, key, message)

    def mapping(
        self, node: Node, key: str, allowed: tuple[str, ...], what: str
    ) -> dict[str, tuple[ScalarNode, Node]]:
        """Return a mapping's keys (known ones only) with their key and value nodes."""
        if not isinstance(node, MappingNode):
            raise self.error(node, key, f"expected {what}, got {self.doc.describe(node, key)}")
        found: dict[str, tuple[ScalarNode, Node]] = {}
        for name, key_node, value_node in self.doc.pairs(node, key):
            if name not in allowed:
                raise self.unknown_key(key_node, join_key(key, name), name, allowed)
            found[name] = (key_node, value_node)
        return found

    def unknown_key(self, node: Node, key: str, name: str, allowed: Iterable[str]) -> ScenarioError:
        """Return the error for an unknown key, suggesting the closest allowed one."""
        allowed = tuple(allowed)
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if not close:  # userland_proxy -> userland-proxy, Name -> name
            close = difflib.get_close_matches(
                name.lower().replace("_", "-"), allowed, n=1, cutoff=0.6
            )
        hint = f'did you mean "{close[0]}"? ' if close else ""
        return self.error(
            node, key, f"unknown key {quote(name)}; {hint}expected one of: {', '.join(allowed)}"
        )

    def missing(self, node: Node, key: str, name: str, what: str) -> ScenarioError:
        """Return the error for a required key missing from the mapping at ``node``."""
        return self.error(node, join_key(key, name), f"missing required key {quote(name)} ({what})")

    def is_null(self, node: Node, key: str) -> bool:
        """Return whether ``node`` is YAML null (an empty value, ``~`` or ``null``)."""
        return isinstance(node, ScalarNode) and self.doc.value(node, key) is None

    def string(self, node: Node, key: str, what: str = "a string") -> str:
        """Return a string value; numbers and booleans are refused, with a hint to quote."""
        if isinstance(node, ScalarNode):
            value = self.doc.value(node, key)
            if isinstance(value, str):
                return value
            if value is not None:
                hint = f' (quote it: "{node.value}")'
                raise self.error(
                    node, key, f"expected {what}, got {self.doc.describe(node, key)}{hint}"
                )
        raise self.error(node, key, f"expected {what}, got {self.doc.describe(node, key)}")

    def text(self, node: Node, key: str, what: str) -> str:
        """Return a scalar as typed (``3600`` stays "3600"); null and collections are refused."""
        if isinstance(node, ScalarNode) and self.doc.value(node, key) is not None:
            return str(node.value)
        raise self.error(node, key, f"expected {what}, got {self.doc.describe(node, key)}")

    def boolean(self, node: Node, key: str) -> bool:
        if isinstance(node, ScalarNode):
            value = self.doc.value(node, key)
            if isinstance(value, bool):
                return value
        raise self.error(node, key, f"expected true or false, got {self.doc.describe(node, key)}")

    def integer(self, node: Node, key: str, what: str) -> int:
        if isinstance(node, ScalarNode):
            value = self.doc.value(node, key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        raise self.error(node, key, f"expected {what}, got {self.doc.describe(node, key)}")

    def sequence(self, node: Node, key: str, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.error(node, key, f"expected {what}, got {self.doc.describe(node, key)}")
        return self.doc.items(node, key)

    def interface(self, node: Node, key: str, example: str) -> IPv4Interface:
        """Return an IPv4 address with prefix, such as ``192.168.1.10/24``."""
        text = self.string(node, key, f"an IPv4 address with prefix, e.g. {example}").strip()
        if ":" in text:
            raise self.error(
                node,
                key,
                f"{quote(text)} is not IPv4 (IPv6 is not simulated); "
                f"expected an IPv4 address with prefix, e.g. {example}",
            )
        if re.fullmatch(_DOTTED_QUAD, text):
            raise self.error(
                node,
                key,
                f"{quote(text)} has no prefix length; "
                f"expected an address with prefix, e.g. {text}/{example.split('/')[1]}",
            )
        if not _INTERFACE.fullmatch(text):
            raise self.error(
                node,
                key,
                f"{quote(text)} is not an IPv4 address with prefix; expected e.g. {example}",
            )
        try:
            return IPv4Interface(text)
        except ValueError as exc:
            raise self.error(
                node,
                key,
                f"{quote(text)} is not a valid IPv4 address with prefix ({exc}); "
                f"expected e.g. {example}",
            ) from None

    def network(self, node: Node, key: str, example: str) -> IPv4Network:
        """Return an IPv4 subnet such as ``172.16.0.0/12``.

        Host bits are dropped, as Go's ``net.ParseCIDR`` does for dockerd's
        ``--default-address-pool base=172.17.0.0/12`` (the contract's own example).
        """
        text = self.string(node, key, f"an IPv4 subnet, e.g. {example}").strip()
        if re.fullmatch(_DOTTED_QUAD, text):
            raise self.error(
                node, key, f"{quote(text)} has no prefix length; expected a subnet, e.g. {example}"
            )
        if not _INTERFACE.fullmatch(text):
            raise self.error(
                node, key, f"{quote(text)} is not an IPv4 subnet; expected e.g. {example}"
            )
        try:
            interface = IPv4Interface(text)
        except ValueError as exc:
            raise self.error(
                node,
                key,
                f"{quote(text)} is not a valid IPv4 subnet ({exc}); expected e.g. {example}",
            ) from None
        return interface.network

    def port_spec(self, node: Node, key: str) -> PortSpec:
        """Return ``22/tcp``, ``53/udp`` or ``22`` (tcp) as a PortSpec."""
        what = "a port like 22/tcp or 53/udp"
        value = self.doc.value(node, key) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise self.error(node, key, f"expected {what}, got {self.doc.describe(node, key)}")
        text = str(node.value).strip()
        match = _PORT_SPEC.fullmatch(text)
        if match is None:
            raise self.error(node, key, f"{quote(text)} is not a port spec; expected {what}")
        number, proto = match.groups()
        if len(number) > 5 or not 1 <= int(number) <= 65535:
            raise self.error(
                node, key, f"port {cut(number)} in {quote(text)} is out of range; expected 1-65535"
            )
        if proto is None or proto == "tcp":
            return PortSpec(int(number), "tcp")
        if proto == "udp":
            return PortSpec(int(number), "udp")
        raise self.error(
            node, key, f"unknown protocol {quote(proto)} in {quote(text)}; expected tcp or udp"
        )

    def port_list(self, node: Node, key: str) -> tuple[PortSpec, ...]:
        if self.is_null(node, key):
            return ()
        ports: list[PortSpec] = []
        where: dict[PortSpec, int] = {}
        for i, item in enumerate(self.sequence(node, key, "a list of ports, e.g. [22/tcp]")):
            item_key = f"{key}[{i}]"
            port = self.port_spec(item, item_key)
            if port in where:
                raise self.error(
                    item, item_key, f"{port} is listed twice (also at line {where[port]})"
                )
            where[port] = line_of(item)
            ports.append(port)
        return tuple(ports)

    def word_list(self, node: Node, key: str) -> tuple[str, ...]:
        what = 'a list of strings, e.g. ["serve", "--port", "8000"]'
        items = self.sequence(node, key, what)
        return tuple(self.text(item, f"{key}[{i}]", "a string") for i, item in enumerate(items))

    # ---- sections ------------------------------------------------------

    def read(self) -> Scenario:
        root = self.doc.root
        if root is None or (
            isinstance(root, ScalarNode) and root.value == "" and root.tag.endswith(":null")
        ):
            raise ScenarioError(
                "the scenario is empty; expected a mapping with at least name: and steps:",
                file=self.file,
                line=1,
            )
        if not isinstance(root, MappingNode):
            raise self.error(
                root,
                "",
                f"expected a mapping at the top level (name:, steps:, ...), "
                f"got {self.doc.describe(root, '')}",
            )
        top = self.mapping(root, "", TOP_KEYS, "a mapping")
        if "name" not in top:
            raise self.missing(root, "", "name", "the scenario's name, [a-z0-9-]+")
        if "steps" not in top:
            raise self.missing(root, "", "steps", "a list of at least one step")
        name = self.name(top["name"][1])
        description = ""
        if "description" in top:
            node = top["description"][1]
            if not self.is_null(node, "description"):
                description = self.string(node, "description").strip()
        engine = self.engine(top["engine"][1]) if "engine" in top else DEFAULT_ENGINE
        daemon = self.daemon(top["daemon"][1]) if "daemon" in top else DaemonSpec()
        host = self.host(top["host"][1]) if "host" in top else HostSpec()
        machines = self.machines(top["machines"][1], host) if "machines" in top else ()
        images = self.images(top["images"][1]) if "images" in top else ()
        compose_files = (
            self.compose_files(top["compose"][1], name, images) if "compose" in top else ()
        )
        local_images = (
            self.local_images(top["local-images"][1], images) if "local-images" in top else None
        )
        steps = self.steps(top["steps"][1], machines, images)
        return Scenario(
            path=self.file,
            name=name,
            steps=steps,
            description=description,
            engine=engine,
            daemon=daemon,
            host=host,
            machines=machines,
            images=images,
            compose=compose_files,
            local_images=local_images,
        )

    def compose_files(
        self, node: Node, name: str, images: tuple[ImageSpec, ...]
    ) -> tuple[ComposeFile, ...]:
        """Read ``compose:``: one Compose file, or a list of ``{project:, file:}``."""
        if not isinstance(node, SequenceNode):
            return (self.compose(node, "compose", name, images),)
        found: list[ComposeFile] = []
        items = self.sequence(node, "compose", "a list of {project: NAME, file: ...}")
        if not items:
            raise self.error(node, "compose", "expected at least one {project: NAME, file: ...}")
        for index, item in enumerate(items):
            key = f"compose[{index}]"
            keys = self.mapping(item, key, ("project", "file"), "a mapping {project:, file:}")
            for needed in ("project", "file"):
                if needed not in keys:
                    raise self.missing(item, key, needed, "a project folder name and its file")
            project = self.string(keys["project"][1], f"{key}.project")
            if normalize_project_name(project) != project or not project:
                raise self.error(
                    keys["project"][1],
                    f"{key}.project",
                    f"invalid project name {quote(project)}: use lowercase letters, digits, "
                    "'-' and '_', starting with a letter or digit",
                )
            if any(f.directory == f"{COMPOSE_HOME}/{project}" for f in found):
                raise self.error(
                    keys["project"][1], f"{key}.project", f"project {quote(project)} is given twice"
                )
            found.append(self.compose(keys["file"][1], f"{key}.file", project, images))
        return tuple(found)

    def compose(
        self, node: Node, key: str, name: str, images: tuple[ImageSpec, ...]
    ) -> ComposeFile:
        """Read one Compose file: inline, or the path of one next to the scenario."""
        directory = f"{COMPOSE_HOME}/{name}"
        prefix = ""
        if isinstance(node, MappingNode):
            prefix = key
            text = _node_text(self.source_text, node)
            spec = read_compose(
                self.doc, node, text=text, project=name, directory=directory, key=key
            )
        else:
            relative = self.string(node, key, "a Compose file (a mapping) or its path")
            base = os.path.dirname(self.file) if self.file != "<string>" else "."
            path = os.path.join(base, relative)
            try:
                with open(path, "rb") as stream:
                    data = stream.read(MAX_BYTES + 1)
            except OSError as exc:
                raise self.error(
                    node, key, f"cannot read the Compose file {path}: {exc.strerror or exc}"
                ) from None
            text = decode(data, path)
            document = compose(text, path)
            if document.root is None:
                raise ScenarioError("empty compose file", file=path, line=1)
            spec = read_compose(
                document, document.root, text=text, project=name, directory=directory
            )
        _check_compose_images(self.doc, spec, self.checks, images, prefix)
        return spec

    def local_images(self, node: Node, images: tuple[ImageSpec, ...]) -> tuple[str, ...]:
        """Read ``local-images:``: the images the host has before step 0."""
        if self.is_null(node, "local-images"):
            return ()
        found: list[str] = []
        for index, item in enumerate(
            self.sequence(node, "local-images", "a list of image references")
        ):
            key = f"local-images[{index}]"
            reference = self.string(item, key, "an image reference such as busybox:latest")
            if not LOCAL_IMAGE.fullmatch(reference):
                raise self.error(
                    item,
                    key,
                    f"expected an image reference such as busybox:latest, got {quote(reference)}",
                )
            problem = self.checks.image_problem(f"docker run {reference}", images, ())
            if problem is not None:
                raise self.error(item, key, problem)
            found.append(reference)
        return tuple(found)

    def name(self, node: Node) -> str:
        name = self.string(node, "name", "a name of lowercase letters, digits and '-'")
        if not SCENARIO_NAME.fullmatch(name):
            raise self.error(
                node,
                "name",
                f"{quote(name)} is not a valid name; "
                "expected lowercase letters, digits and '-' ([a-z0-9-]+)",
            )
        return name

    def engine(self, node: Node) -> str:
        engines = self.checks.engines
        expected = " or ".join(f'"{e}"' for e in engines)
        # Read as typed: unquoted 20.10 is the float 20.1 to YAML, but the text is "20.10".
        text = self.text(node, "engine", f"an engine version, {expected}").strip()
        if text not in engines:
            raise self.error(node, "engine", f"unknown engine {quote(text)}; expected {expected}")
        return text

    def daemon(self, node: Node) -> DaemonSpec:
        if self.is_null(node, "daemon"):
            return DaemonSpec()
        keys = self.mapping(node, "daemon", DAEMON_KEYS, "a mapping of dockerd settings")
        values: dict[str, object] = {}
        for name in ("icc", "userland-proxy", "ip-forward"):
            if name in keys:
                values[name.replace("-", "_")] = self.boolean(keys[name][1], f"daemon.{name}")
        if "bip" in keys:
            bip = self.interface(keys["bip"][1], "daemon.bip", "172.17.0.1/16")
            self.check_host_address(keys["bip"][1], "daemon.bip", bip, "the bridge IP")
            values["bip"] = bip
        if "default-address-pools" in keys:
            values["default_address_pools"] = self.pools(keys["default-address-pools"][1])
        if "insecure-registries" in keys:
            values["insecure_registries"] = self.insecure_registries(keys["insecure-registries"][1])
        return DaemonSpec(**values)  # type: ignore[arg-type]

    def insecure_registries(self, node: Node) -> tuple[str, ...]:
        key = "daemon.insecure-registries"
        found = []
        for index, item in enumerate(
            self.sequence(node, key, "a list of HOST:PORT or CIDR subnets")
        ):
            item_key = f"{key}[{index}]"
            text = self.string(item, item_key, "a registry HOST:PORT or a CIDR subnet")
            if not INSECURE_REGISTRY.fullmatch(text):
                raise self.error(
                    item,
                    item_key,
                    f"expected a registry such as 192.168.1.20:5000 or a subnet such as "
                    f"192.168.1.0/24, got {quote(text)}",
                )
            found.append(text)
        return tuple(found)

    def pools(self, node: Node) -> tuple[AddressPoolSpec, ...]:
        key = "daemon.default-address-pools"
        items = self.sequence(node, key, "a list of {base: SUBNET, size: PREFIX}")
        if not items:
            raise self.error(node, key, "expected at least one {base: SUBNET, size: PREFIX}")
        pools = []
        for i, item in enumerate(items):
            item_key = f"{key}[{i}]"
            keys = self.mapping(item, item_key, POOL_KEYS, "a mapping {base: SUBNET, size: PREFIX}")
            for required in POOL_KEYS:
                if required not in keys:
                    raise self.missing(
                        item, item_key, required, "e.g. {base: 172.17.0.0/12, size: 16}"
                    )
            base_node, size_node = keys["base"][1], keys["size"][1]
            base = self.network(base_node, f"{item_key}.base", "172.17.0.0/12")
            size = self.integer(size_node, f"{item_key}.size", "a prefix length")
            if not base.prefixlen <= size <= 32:
                raise self.error(
                    size_node,
                    f"{item_key}.size",
                    f"size {cut(str(size))} is out of range for base {base}; "
                    f"expected a prefix length {base.prefixlen}-32",
                )
            pools.append(AddressPoolSpec(base=base, size=size))
        return tuple(pools)

    def check_host_address(self, node: Node, key: str, interface: IPv4Interface, what: str) -> None:
        """Refuse an interface address that is its subnet's network or broadcast address."""
        subnet = interface.network
        if subnet.prefixlen >= 31:  # point-to-point and host routes have no such addresses
            return
        example = f"{subnet.network_address + 1}/{subnet.prefixlen}"
        for special, address in (
            ("network", subnet.network_address),
            ("broadcast", subnet.broadcast_address),
        ):
            if interface.ip == address:
                raise self.error(
                    node,
                    key,
                    f"{interface} is the {special} address of {subnet}; "
                    f"{what} must be a host address, e.g. {example}",
                )

    def host(self, node: Node) -> HostSpec:
        if self.is_null(node, "host"):
            return HostSpec()
        keys = self.mapping(node, "host", HOST_KEYS, "a mapping {address: ..., listen: [...]}")
        address = DEFAULT_HOST_ADDRESS
        if "address" in keys:
            address = self.interface(keys["address"][1], "host.address", "192.168.1.10/24")
            self.check_host_address(keys["address"][1], "host.address", address, "the host")
        listen = self.port_list(keys["listen"][1], "host.listen") if "listen" in keys else ()
        return HostSpec(address=address, listen=listen)

    def machines(self, node: Node, host: HostSpec) -> tuple[MachineSpec, ...]:
        if self.is_null(node, "machines"):
            return ()
        if not isinstance(node, MappingNode):
            raise self.error(
                node,
                "machines",
                "expected a mapping of machine names to "
                f"{{address: ..., listen: [...]}}, got {self.doc.describe(node, 'machines')}",
            )
        if len(node.value) > MAX_MACHINES:
            raise self.error(
                node,
                "machines",
                f"{len(node.value)} machines; netsim simulates at most {MAX_MACHINES} "
                "(each is a namespace on the simulated LAN)",
            )
        lan = host.address.network
        owners: dict[IPv4Address, tuple[str, int | None]] = {host.address.ip: ("host", None)}
        machines = []
        for name, key_node, value_node in self.doc.pairs(node, "machines"):
            key = f"machines.{name}"
            if name == "host":
                raise self.error(
                    key_node, key, 'a machine cannot be named "host": that is the Docker host'
                )
            if not MACHINE_NAME.fullmatch(name):
                raise self.error(
                    key_node,
                    key,
                    f"{quote(name)} is not a valid machine name; expected a "
                    "hostname: lowercase letters, digits and '-', not starting or ending with '-'",
                )
            keys = self.mapping(
                value_node, key, MACHINE_KEYS, "a mapping {address: ..., listen: [...]}"
            )
            if "address" not in keys:
                raise self.missing(
                    value_node, key, "address", f"e.g. {lan.network_address + 20}/{lan.prefixlen}"
                )
            address_node = keys["address"][1]
            address_key = f"{key}.address"
            example = f"{lan.network_address + 20}/{lan.prefixlen}"
            address = self.interface(address_node, address_key, example)
            if address.ip not in lan or address.network != lan:
                raise self.error(
                    address_node,
                    address_key,
                    f"{address} is not on the LAN {lan} (the host's subnet, from host.address); "
                    f"expected an address in {lan} with prefix /{lan.prefixlen}",
                )
            self.check_host_address(address_node, address_key, address, "a machine")
            if address.ip in owners:
                owner, owner_line = owners[address.ip]
                where = "" if owner_line is None else f" (line {owner_line})"
                raise self.error(
                    address_node,
                    address_key,
                    f"{address.ip} is already {owner}'s address{where}; "
                    "every node on the LAN needs its own address",
                )
            owners[address.ip] = (name, line_of(address_node))
            listen = self.port_list(keys["listen"][1], f"{key}.listen") if "listen" in keys else ()
            machines.append(MachineSpec(name=name, address=address, listen=listen))
        return tuple(machines)

    def images(self, node: Node) -> tuple[ImageSpec, ...]:
        if self.is_null(node, "images"):
            return ()
        if not isinstance(node, MappingNode):
            raise self.error(
                node,
                "images",
                "expected a mapping of image names to {expose: [...], "
                f"listen: [...]}}, got {self.doc.describe(node, 'images')}",
            )
        images = []
        declared: dict[str, tuple[str, int]] = {}
        for reference, key_node, value_node in self.doc.pairs(node, "images"):
            key = f"images.{reference}"
            repository = self.repository(key_node, key, reference)
            if repository in declared:
                other, other_line = declared[repository]
                raise self.error(
                    key_node,
                    key,
                    f"image {quote(repository)} is already declared as "
                    f"{quote(other)} at line {other_line}; the repository decides the image, "
                    "so declare it once",
                )
            declared[repository] = (reference, line_of(key_node))
            images.append(self.image(value_node, key, repository))
        return tuple(images)

    def repository(self, node: Node, key: str, reference: str) -> str:
        """Return the repository part of an image reference, checking its grammar."""
        if "@" in reference:
            raise self.error(
                node,
                key,
                f"{quote(reference)}: digests are not supported; "
                "declare the image as repo or repo:tag",
            )
        repository, tag = reference, None
        head, sep, tail = reference.rpartition(":")
        if sep and "/" not in tail:
            repository, tag = head, tail
        if tag is not None and not _TAG.fullmatch(tag):
            raise self.error(
                node,
                key,
                f"{quote(tag)} is not a valid tag; expected "
                "letters, digits, '_', '.', '-' (at most 128)",
            )
        if not _REPOSITORY.fullmatch(repository):
            hint = " (it must be lowercase)" if repository != repository.lower() else ""
            raise self.error(
                node,
                key,
                f"{quote(repository)} is not a valid image "
                f"repository name{hint}; expected e.g. myapp or myapp:1.0",
            )
        return repository

    def image(self, node: Node, key: str, repository: str) -> ImageSpec:
        if self.is_null(node, key):
            keys: dict[str, tuple[ScalarNode, Node]] = {}
        else:
            keys = self.mapping(node, key, IMAGE_KEYS, "a mapping {expose: [...], listen: [...]}")
        expose = self.port_list(keys["expose"][1], f"{key}.expose") if "expose" in keys else ()
        listen = self.port_list(keys["listen"][1], f"{key}.listen") if "listen" in keys else ()
        given = {
            name: keys[name][1]
            for name in ("entrypoint", "command")
            if name in keys and not self.is_null(keys[name][1], f"{key}.{name}")
        }
        entrypoint: tuple[str, ...] | None = None
        command: tuple[str, ...] | None = None
        if not given:
            entrypoint, command = DEFAULT_IMAGE_ENTRYPOINT, DEFAULT_IMAGE_COMMAND
        if "entrypoint" in given:
            entrypoint = self.word_list(given["entrypoint"], f"{key}.entrypoint") or None
        if "command" in given:
            command = self.word_list(given["command"], f"{key}.command") or None
        packages = (
            self.packages(keys["packages"][1], f"{key}.packages") if "packages" in keys else ()
        )
        return ImageSpec(
            name=repository,
            expose=expose,
            listen=listen,
            entrypoint=entrypoint,
            command=command,
            packages=packages,
        )

    def packages(self, node: Node, key: str) -> tuple[str, ...]:
        """Read an image's ``packages:``: Debian packages netsim knows, each once."""
        items = self.sequence(node, key, "a list of Debian packages, e.g. [iptables, iproute2]")
        names: list[str] = []
        for index, item in enumerate(items):
            item_key = f"{key}[{index}]"
            name = self.text(item, item_key, "a Debian package name")
            if name not in INSTALLABLE_PACKAGES:
                close = difflib.get_close_matches(name, INSTALLABLE_PACKAGES, n=1, cutoff=0.6)
                hint = f'did you mean "{close[0]}"? ' if close else ""
                raise self.error(
                    item,
                    item_key,
                    f"unknown package {quote(name)}; {hint}"
                    f"expected one of: {', '.join(INSTALLABLE_PACKAGES)}",
                )
            if name in names:
                raise self.error(item, item_key, f"package {quote(name)} is listed twice")
            names.append(name)
        return tuple(names)

    # ---- steps ---------------------------------------------------------

    def steps(
        self, node: Node, machines: tuple[MachineSpec, ...], images: tuple[ImageSpec, ...]
    ) -> tuple[Step, ...]:
        items = self.sequence(node, "steps", "a list of steps")
        if not items:
            raise self.error(node, "steps", "expected at least one step")
        nodes = frozenset({"host"} | {m.name for m in machines})
        steps: list[Step] = []
        for index, item in enumerate(items):
            key = f"steps[{index}]"
            line = line_of(item)
            if isinstance(item, ScalarNode) and isinstance(self.doc.value(item, key), str):
                command = self.command(item, key)
                self.check_image(item, key, command, images)
                steps.append(CommandStep(index=index, line=line, command=command))
            elif isinstance(item, MappingNode):
                steps.append(self.mapping_step(item, key, index, nodes, images))
            else:
                raise self.error(
                    item,
                    key,
                    "expected a command string, {on: NODE, run: COMMAND}, "
                    f"{{probe: {SYNTAX}}} or {{packet: 'IP(...)/TCP(...)', from: NODE}}, "
                    f"got {self.doc.describe(item, key)}",
                )
        return tuple(steps)

    def command(self, node: Node, key: str) -> str:
        """Return a one-line command a shell can split."""
        command = self.string(node, key, "a command string").strip()
        if not command:
            raise self.error(node, key, "the command is empty; expected a command line")
        if "\n" in command or "\r" in command:
            raise self.error(
                node,
                key,
                "a command must be one line; split it into several steps or fold it with '>-'",
            )
        try:
            split_words(command)
        except ValueError as exc:
            raise self.error(
                node, key, f"the shell cannot split {quote(command)}: {exc} (unbalanced quotes?)"
            ) from None
        return command

    def check_image(
        self, node: Node, key: str, command: str, images: tuple[ImageSpec, ...]
    ) -> None:
        """Refuse ``docker run``/``create`` of an image netsim cannot run."""
        problem = self.checks.image_problem(command, images, tuple(self.host_commands))
        if problem is not None:
            raise self.error(node, key, problem)
        self.host_commands.append(command)

    def mapping_step(
        self,
        node: MappingNode,
        key: str,
        index: int,
        nodes: frozenset[str],
        images: tuple[ImageSpec, ...],
    ) -> Step:
        names = [name for name, _, _ in self.doc.pairs(node, key)]
        line = line_of(node)
        if "packet" in names:
            return self.packet_step(node, key, index, line, nodes)
        if "probe" in names:
            if "run" in names or "on" in names:
                raise self.error(
                    node,
                    key,
                    f"a step is either {{on: NODE, run: COMMAND}} or {{probe: {SYNTAX}}}, not both",
                )
            return self.probe_step(node, key, index, line, nodes)
        if "run" not in names and "on" not in names:
            allowed = COMMAND_STEP_KEYS + PROBE_STEP_KEYS
            for name, key_node, _ in self.doc.pairs(node, key):
                if name not in allowed:
                    raise self.unknown_key(key_node, join_key(key, name), name, allowed)
            found = f"found only {', '.join(names)}" if names else "found an empty mapping {}"
            raise self.error(
                node,
                key,
                f"expected {{on: NODE, run: COMMAND}}, {{probe: {SYNTAX}}} or "
                f"{{packet: 'IP(...)/TCP(...)', from: NODE}}; {found}",
            )
        keys = self.mapping(node, key, COMMAND_STEP_KEYS, "a mapping {on: NODE, run: COMMAND}")
        if "run" not in keys:
            raise self.missing(node, key, "run", "the command to run on that node")
        on = "host"
        if "on" in keys:
            on_node = keys["on"][1]
            on = self.string(on_node, f"{key}.on", "host, a machine or a container name").strip()
            if on not in nodes and not CONTAINER_NAME.fullmatch(on):
                raise self.error(
                    on_node,
                    f"{key}.on",
                    f"{quote(on)} is neither host, a machine "
                    f"({', '.join(sorted(nodes - {'host'})) or 'none declared'}) "
                    "nor a valid container name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)",
                )
        run_node = keys["run"][1]
        command = self.command(run_node, f"{key}.run")
        if on == "host":  # the same as a string step
            self.check_image(run_node, f"{key}.run", command, images)
        expectations = self.command_expectations(keys, key)
        session = None
        if "session" in keys:
            session = self.session(keys["session"][1], f"{key}.session", run_node, command, on)
        return CommandStep(
            index=index,
            line=line,
            command=command,
            on=on,
            expectations=expectations,
            session=session,
        )

    def session(
        self, node: Node, key: str, run_node: Node, command: str, on: str
    ) -> tuple[str, ...]:
        """Read ``session:``, the lines typed in the shell an ``-it`` command starts."""
        if on != "host":
            raise self.error(
                node,
                key,
                f"a session is typed into `docker exec -it`/`docker run -it` on the host, "
                f"not on {quote(on)}; remove on: and write run: docker exec -it {on} sh",
            )
        problem = self.checks.session_problem(command)
        if problem is not None:
            raise self.error(run_node, key.rsplit(".", 1)[0] + ".run", problem)
        items = self.sequence(node, key, "a list of command lines typed in the shell")
        if not items:
            raise self.error(
                node,
                key,
                "expected at least one typed line (to type nothing, remove session:)",
            )
        typed: list[str] = []
        for i, item in enumerate(items):
            where = f"{key}[{i}]"
            if typed and _is_exit(typed[-1]):
                raise self.error(
                    item,
                    where,
                    f"the session ended at {quote(typed[-1])} (line {line_of(items[i - 1])}); "
                    "move this line before it or into a later step",
                )
            typed.append(self.command(item, where))
        return tuple(typed)

    def command_expectations(
        self, keys: dict[str, tuple[ScalarNode, Node]], key: str
    ) -> tuple[CommandExpectation, ...]:
        """Read ``expect_exit``, ``expect_stdout``, ``expect_contains``, ``expect_match``."""
        found: list[CommandExpectation] = []
        for name in COMMAND_EXPECT_KEYS:
            if name not in keys:
                continue
            node = keys[name][1]
            where = f"{key}.{name}"
            line = line_of(node)
            if name == "expect_exit":
                code = self.integer(node, where, "an exit code, 0-255")
                if not 0 <= code <= 255:
                    raise self.error(
                        node, where, f"exit code {code} is out of range; expected 0-255"
                    )
                found.append(CommandExpectation("exit", str(code), line))
            elif name == "expect_stdout":
                found.append(
                    CommandExpectation("stdout", self.string(node, where, "the exact output"), line)
                )
            elif name == "expect_contains":
                items = (
                    self.sequence(node, where, "text or a list of texts")
                    if isinstance(node, SequenceNode)
                    else [node]
                )
                if not items:
                    raise self.error(
                        node, where, "expected text or a list of texts, got an empty list"
                    )
                for i, item in enumerate(items):
                    item_key = where if item is node else f"{where}[{i}]"
                    text = self.string(item, item_key, "text the output must contain")
                    if not text:
                        raise self.error(
                            item, item_key, "the text is empty; every output contains it"
                        )
                    found.append(CommandExpectation("contains", text, line_of(item)))
            else:
                pattern = self.string(node, where, "a regular expression")
                try:
                    re.compile(pattern, re.MULTILINE)
                except re.error as exc:
                    raise self.error(
                        node, where, f"{quote(pattern)} is not a valid regular expression: {exc}"
                    ) from None
                found.append(CommandExpectation("match", pattern, line))
        return tuple(found)

    def probe_step(
        self, node: MappingNode, key: str, index: int, line: int, nodes: frozenset[str]
    ) -> ProbeStep:
        keys = self.mapping(node, key, PROBE_STEP_KEYS, f"a mapping {{probe: {SYNTAX}}}")
        probe_node = keys["probe"][1]
        probe_key = f"{key}.probe"
        text = self.string(probe_node, probe_key, f"a probe, {SYNTAX}")
        try:
            parsed = parse_probe(text, nodes)
        except ScenarioError as exc:
            raise self.error(probe_node, probe_key, exc.message) from None
        proto: ProbeProtocol = parsed.proto or "tcp"
        if "proto" in keys:
            proto_node = keys["proto"][1]
            proto_key = f"{key}.proto"
            written = self.string(proto_node, proto_key, "tcp, udp or icmp")
            if written == "icmp":
                if parsed.port is not None or parsed.proto is not None:
                    raise self.error(
                        probe_node,
                        probe_key,
                        "an icmp probe has no port; write "
                        f"{quote(f'{parsed.src} -> {parsed.dst}')} with proto: icmp",
                    )
                proto = "icmp"
            elif written in ("tcp", "udp"):
                if parsed.proto is not None and parsed.proto != written:
                    raise self.error(
                        proto_node,
                        proto_key,
                        f"proto: {written} contradicts /{parsed.proto} in the probe {quote(text)}",
                    )
                proto = _protocol(written)
            else:
                raise self.error(
                    proto_node,
                    proto_key,
                    f"unknown protocol {quote(written)}; expected tcp, udp or icmp",
                )
        if proto != "icmp" and parsed.port is None:
            raise self.error(
                probe_node,
                probe_key,
                f"missing :PORT in {quote(text)}; expected {SYNTAX} "
                "(for a ping, write SRC -> DST with proto: icmp)",
            )
        expect = None
        if "expect" in keys:
            expect_node = keys["expect"][1]
            expect_key = f"{key}.expect"
            results = RESULTS[proto]
            article = "an" if proto == "icmp" else "a"
            expected = ", ".join(results)
            expect = self.string(expect_node, expect_key, f"a {proto} result: {expected}")
            if expect not in results:
                raise self.error(
                    expect_node,
                    expect_key,
                    f"{quote(expect)} is not {article} {proto} probe result; "
                    f"expected one of {expected}",
                )
        return ProbeStep(
            index=index,
            line=line,
            src=parsed.src,
            dst=parsed.dst,
            port=parsed.port,
            proto=proto,
            expect=expect,
        )

    def packet_step(
        self, node: MappingNode, key: str, index: int, line: int, nodes: frozenset[str]
    ) -> PacketStep:
        """Read ``{packet: SCAPY_TEXT, from: NODE}`` and check the packet's notation now."""
        keys = self.mapping(
            node, key, PACKET_STEP_KEYS, "a mapping {packet: 'IP(dst=...)/TCP(...)', from: NODE}"
        )
        packet_node = keys["packet"][1]
        packet_key = f"{key}.packet"
        text = self.string(packet_node, packet_key, "a packet in scapy's notation").strip()
        try:
            self.checks.packet_syntax(text)
        except PacketSyntaxError as exc:
            raise self.error(packet_node, packet_key, str(exc)) from None
        src = "host"
        if "from" in keys:
            from_node = keys["from"][1]
            src = self.string(from_node, f"{key}.from", "host, a machine or a container").strip()
            if src not in nodes and not CONTAINER_NAME.fullmatch(src):
                raise self.error(
                    from_node,
                    f"{key}.from",
                    f"{quote(src)} is neither host, a machine nor a valid container name",
                )
        return PacketStep(index=index, line=line, src=src, packet=text)


def _is_exit(line: str) -> bool:
    """Return whether a typed line is the shell's ``exit [N]``, which ends a session.

    ``exit x`` does not: an interactive shell says ``Illegal number`` and stays.
    """
    try:
        words = split_words(line)
    except ValueError:
        return False
    return bool(words) and words[0] == "exit" and (len(words) == 1 or words[1].isdigit())


def _protocol(text: str) -> Protocol:
    return "udp" if text == "udp" else "tcp"
