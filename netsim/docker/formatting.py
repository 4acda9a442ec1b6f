"""Tables the docker CLI prints: ``docker ps`` and ``docker network ls``.

Columns are laid out as Go's text/tabwriter does with docker's settings
(minimum width 10, padding 3, the last column unpadded); PORTS follows
docker/cli's ``DisplayablePorts`` (ports grouped into ranges, mappings whose
host port differs listed last).
"""

from __future__ import annotations

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


def displayable_ports(container: Container, profile: EngineProfile) -> str:
    """Return the PORTS column for a container, host addresses written as the CLI does."""
    ports: list[_Port] = []
    if container.shows_ports:
        published = {(m.container_port, m.proto) for m in container.ports}
        for number, proto in container.exposed:
            if (number, proto) not in published:
                ports.append(_Port(number, proto))
        for m in container.ports:
            ports.append(_Port(m.container_port, m.proto, str(m.host_ip), m.host_port))
    ports.sort(key=lambda p: (p.private, p.ip, p.public, p.proto))
    join = profile.join_host_port

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


def format_ps(containers: list[Container], daemon: Daemon, template: str | None) -> str:
    """Return ``docker ps``'s output for the containers (newest first)."""
    rows = [_ps_fields(c, daemon) for c in containers]
    return format_listing(rows, template, PS_HEADERS, [key for key, _ in _PS_HEADERS])


# The header of each field in a `table` format, as the docker CLI names them.
PS_HEADERS = dict(_PS_HEADERS) | {
    "CreatedAt": "CREATED AT",
    "State": "STATE",
    "Networks": "NETWORKS",
    "Size": "SIZE",
    "Labels": "LABELS",
    "Mounts": "MOUNTS",
}
NETWORK_HEADERS = {
    "ID": "NETWORK ID",
    "Name": "NAME",
    "Driver": "DRIVER",
    "Scope": "SCOPE",
    "IPv6": "IPV6",
    "Internal": "INTERNAL",
    "CreatedAt": "CREATED AT",
    "Labels": "LABELS",
}


def format_listing(
    rows: list[dict[str, str]],
    template: str | None,
    headers: dict[str, str],
    default: list[str],
) -> str:
    """Return a listing (``ps``, ``network ls``) as the docker CLI's formatter prints it.

    Without ``--format`` (or with a bare ``table``) the default columns; with
    ``table TEMPLATE`` a header row (each field's header) and a row per item,
    laid out by tabwriter; otherwise one rendered line per item. As the CLI
    does, the template is trimmed of spaces and its ``\\t`` and ``\\n`` become a
    tab and a newline.
    """
    text = template or "table"
    table = text.startswith("table")
    if table:
        text = text[len("table") :]
    text = text.strip(" ").replace("\\t", "\t").replace("\\n", "\n")
    if table and not text:
        grid = [[headers[key] for key in default]]
        grid += [[row[key] for key in default] for row in rows]
        return tabwrite(grid)
    from netsim.gotemplate import render_template  # only for --format

    if not table:
        return "".join(render_template(text, row) + "\n" for row in rows)
    header = {key: headers.get(key, key.upper()) for key in (rows[0] if rows else headers)}
    lines = [render_template(text, header)] + [render_template(text, row) for row in rows]
    return tabwrite([line.split("\t") for line in "\n".join(lines).split("\n")])


def format_network_ls(networks: list[Network], template: str | None, no_trunc: bool) -> str:
    """Return ``docker network ls``'s output (networks sorted by name)."""
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
    return format_listing(rows, template, NETWORK_HEADERS, ["ID", "Name", "Driver", "Scope"])
