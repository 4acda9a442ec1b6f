"""Tables the docker CLI prints: ``docker ps`` and ``docker network ls``.

Columns are laid out as Go's text/tabwriter does with docker's settings
(minimum width 10, padding 3, the last column unpadded); PORTS follows
docker/cli's ``DisplayablePorts`` (ports grouped into ranges, mappings whose
host port differs listed last).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from netsim.docker.daemon import Daemon
from netsim.docker.engines import EngineProfile
from netsim.docker.model import Container, Network


def tabwrite(rows: list[list[str]], *, min_width: int = 10, padding: int = 3) -> str:
    """Lay out rows like Go's tabwriter (cells joined by tabs, last cell free)."""
    if not rows:
        return ""
    columns = max(len(r) for r in rows) - 1
    widths = [0] * max(columns, 0)
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], len(cell) + padding, min_width)
    lines: list[str] = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("".join(cells) + row[-1])
    return "".join(line + "\n" for line in lines)


def human_duration(seconds: float) -> str:
    """Return go-units' HumanDuration (``Less than a second``, ``5 seconds``...)."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = s // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = round(s / 3600)
    if hours == 1:
        return "About an hour"
    return f"{hours} hours"


def _ellipsis(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class _Port:
    private: int
    proto: str
    ip: str = ""
    public: int = 0


def displayable_ports(
    container: Container, profile: EngineProfile, join: Callable[[str, str], str] | None = None
) -> str:
    """Return the PORTS column for a container, host addresses written as the CLI does.

    ``join`` overrides how the profile's CLI writes ``host:port``.
    """
    ports: list[_Port] = []
    listed = container.listed_ports
    if container.shows_ports or listed is not None:
        mappings = container.ports if listed is None else listed
        published = {(m.container_port, m.proto) for m in mappings}
        for number, proto in container.exposed if container.exposes_ports else ():
            if (number, proto) not in published:
                ports.append(_Port(number, proto))
        for m in mappings:
            ports.append(_Port(m.container_port, m.proto, str(m.host_ip), m.host_port))
    ports.sort(key=lambda p: (p.private, p.ip, p.public, p.proto))
    join = join or profile.join_host_port

    groups: dict[str, list[int]] = {}
    order: list[str] = []
    result: list[str] = []
    host_mappings: list[str] = []

    def form(key: str, first: int, last: int) -> str:
        ip, _, proto = key.rpartition("/")
        text = str(first) if first == last else f"{first}-{last}"
        if ip:
            text = f"{join(ip, text)}->{text}"
        return f"{text}/{proto}"

    for port in ports:
        key = port.proto
        if port.ip:
            if port.public != port.private:
                host_mappings.append(
                    f"{join(port.ip, str(port.public))}->{port.private}/{port.proto}"
                )
                continue
            key = f"{port.ip}/{port.proto}"
        group = groups.get(key)
        if group is None:
            groups[key] = [port.private, port.private]
            order.append(key)
            continue
        if port.private == group[1] + 1:
            group[1] = port.private
            continue
        result.append(form(key, group[0], group[1]))
        groups[key] = [port.private, port.private]
    for key in order:
        result.append(form(key, groups[key][0], groups[key][1]))
    return ", ".join(result + host_mappings)


def _status(container: Container, now: float) -> str:
    if container.running:
        return "Up " + human_duration(now - container.started_at)
    if container.state == "created":
        return "Created"
    return f"Exited ({container.exit_code}) {human_duration(now - container.finished_at)} ago"


def _command(container: Container) -> str:
    return '"' + _ellipsis(" ".join(container.command_line), 20) + '"'


def _ps_fields(container: Container, daemon: Daemon) -> dict[str, str]:
    created = _created_seconds(container)
    return {
        "ID": container.short_id,
        "Image": container.image_ref,
        "Command": _command(container),
        "RunningFor": human_duration(daemon.clock - created) + " ago",
        "Status": _status(container, daemon.clock),
        "Ports": displayable_ports(container, daemon.profile),
        "Names": container.name,
        "State": container.state,
        "Networks": ",".join(sorted(container.networks)),
    }


def _created_seconds(container: Container) -> float:
    """Return when the container was created (a Created one ages too)."""
    return container.created_at


_PS_HEADERS = (
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("RunningFor", "CREATED"),
    ("Status", "STATUS"),
    ("Ports", "PORTS"),
    ("Names", "NAMES"),
)


class FormatError(Exception):
    """A ``--format`` template failed; ``str()`` is the CLI's whole message."""


# docker/cli's header names for `table` formats (formatter.ContainerContext
# and network's networkContext); fields netsim does not model head nothing.
PS_HEADERS = {
    "ID": "CONTAINER ID",
    "Names": "NAMES",
    "Image": "IMAGE",
    "Command": "COMMAND",
    "CreatedAt": "CREATED AT",
    "RunningFor": "CREATED",
    "Ports": "PORTS",
    "State": "STATE",
    "Status": "STATUS",
    "Size": "SIZE",
    "Labels": "LABELS",
    "Mounts": "MOUNTS",
    "LocalVolumes": "LOCAL VOLUMES",
    "Networks": "NETWORKS",
}
NETWORK_HEADERS = {
    "ID": "NETWORK ID",
    "Name": "NAME",
    "Driver": "DRIVER",
    "Scope": "SCOPE",
    "IPv6": "IPV6",
    "Internal": "INTERNAL",
    "Labels": "LABELS",
    "CreatedAt": "CREATED AT",
}


@dataclass(frozen=True, slots=True)
class FormatKind:
    """How one listing command runs its ``--format`` (docker/cli, 20.10 and 28.5 alike)."""

    type_name: str  # the Go type named in "can't evaluate field X in type T"
    headers: dict[str, str]
    parse_prefix: str
    execute_prefix: str
    # `docker ps` runs the raw format once over an empty container before
    # listing, so a bad field fails even when no container is listed.
    pre_pass: bool


PS_FORMAT = FormatKind(
    "*formatter.ContainerContext",
    PS_HEADERS,
    "failed to parse template: ",
    "failed to execute template: ",
    pre_pass=True,
)
NETWORK_FORMAT = FormatKind(
    "*network.networkContext",
    NETWORK_HEADERS,
    "template parsing error: ",
    "template parsing error: ",
    pre_pass=False,
)


def render_format(
    template: str, rows: list[dict[str, str]], kind: FormatKind, *, range_over_int: bool = True
) -> str:
    """Run a listing's ``--format`` as docker/cli's formatter.Context does.

    A ``table`` prefix (any text starting with "table") is cut off and the
    rest prints under a header line made by the same template over the
    header names; literal ``\\t`` and ``\\n`` become a tab and a newline.

    Raises:
        FormatError: the CLI's message for a template that does not parse or run.
    """
    from netsim.gotemplate import GoMap, GoStruct, TemplateError, parse_template

    fields = {name: "" for name in kind.headers}
    if kind.pre_pass:
        try:
            raw = parse_template(template)
        except TemplateError as error:
            raise FormatError(f"{kind.parse_prefix}{error}") from None
        try:
            raw.execute(GoStruct(fields, type_name=kind.type_name), range_over_int=range_over_int)
        except TemplateError as error:
            raise FormatError(f"{kind.execute_prefix}{error}") from None
    table = template.startswith("table")
    text = template[len("table") :] if table else template
    text = text.strip(" ").replace("\\t", "\t").replace("\\n", "\n")
    try:
        parsed = parse_template(text)
    except TemplateError as error:
        raise FormatError(f"{kind.parse_prefix}{error}") from None
    body: list[str] = []
    try:
        for row in rows:
            row_data = GoStruct({**fields, **row}, type_name=kind.type_name)
            body.append(parsed.execute(row_data, range_over_int=range_over_int))
        header = (
            parsed.execute(GoMap(kind.headers), header=True, range_over_int=range_over_int)
            if table
            else ""
        )
    except TemplateError as error:
        raise FormatError(f"{kind.execute_prefix}{error}") from None
    if not table:
        return "".join(line + "\n" for line in body)
    lines = (header + "\n" + "".join(line + "\n" for line in body)).split("\n")[:-1]
    return tabwrite([line.split("\t") for line in lines])


def format_ps(containers: list[Container], daemon: Daemon, template: str | None) -> str:
    """Return ``docker ps``'s output for the containers (newest first).

    Raises:
        FormatError: a ``--format`` template that does not parse or run.
    """
    rows = [_ps_fields(c, daemon) for c in containers]
    if template and template != "table":
        return render_format(
            template, rows, PS_FORMAT, range_over_int=daemon.profile.template_range_over_int
        )
    table = [[header for _, header in _PS_HEADERS]]
    for row in rows:
        table.append([row[key] for key, _ in _PS_HEADERS])
    return tabwrite(table)


def format_network_ls(
    networks: list[Network],
    template: str | None,
    no_trunc: bool,
    *,
    range_over_int: bool = True,
) -> str:
    """Return ``docker network ls``'s output (networks sorted by name).

    Raises:
        FormatError: a ``--format`` template that does not parse or run.
    """
    rows = []
    for network in networks:
        rows.append(
            {
                "ID": network.id if no_trunc else network.short_id,
                "Name": network.name,
                "Driver": network.driver,
                "Scope": "local",
                "IPv6": "false",
                "Internal": str(network.internal).lower(),
            }
        )
    if template and template != "table":
        return render_format(template, rows, NETWORK_FORMAT, range_over_int=range_over_int)
    table = [["NETWORK ID", "NAME", "DRIVER", "SCOPE"]]
    table += [[r["ID"], r["Name"], r["Driver"], r["Scope"]] for r in rows]
    return tabwrite(table)


def compose_join_host_port(host: str, port: str) -> str:
    """Join an address and port as Compose 2.26's docker/cli library does (``:::80``).

    Compose is built with its own copy of the CLI code, so its ``ps`` writes
    IPv6 bindings the old way on every engine.
    """
    return f"{host}:{port}"


def format_compose_ps(containers: list[Container], services: dict[str, str], daemon: Daemon) -> str:
    """Return ``docker compose ps``'s table (containers sorted by name)."""
    table = [["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]]
    for container in containers:
        row = _ps_fields(container, daemon)
        ports = displayable_ports(container, daemon.profile, compose_join_host_port)
        table.append(
            [
                container.name,
                row["Image"],
                row["Command"],
                services.get(container.id, ""),
                row["RunningFor"],
                row["Status"],
                ports,
            ]
        )
    return tabwrite(table)
