"""``docker compose config``: the project's model as Compose 2.26 prints it.

Compose prints its normalised model as YAML (go-yaml): keys of a service in
alphabetical order, ports in long syntax with ranges expanded, the
environment as a mapping, ``extra_hosts`` as ``host=address``, implicit
dependencies (``links``, ``network_mode: service:``) as ``depends_on`` with
``restart: true``, and only the networks that services use, each with its
Engine name. Seen on Compose 2.26 with Docker 28.5.
"""

from __future__ import annotations

import re

from netsim.scenario.compose import ComposeFile, ComposeNetwork, ComposeService

# Plain scalars go-yaml would read back as something other than that string.
_NOT_PLAIN = re.compile(
    r"^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO"
    r"|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.[0-9]+|0x[0-9a-fA-F]+|0o?[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_INDICATORS = tuple("?:,[]{}#&*!|>'\"%@`")


def scalar(text: str) -> str:
    """Return a string as go-yaml writes it: plain when it reads back the same, else quoted."""
    needs_quotes = (
        _NOT_PLAIN.match(text) is not None
        or text != text.strip()
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\n" in text
        or text.startswith(_INDICATORS)
        or text == "-"
        or text.startswith("- ")
    )
    if not needs_quotes:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _port_entries(form: str) -> list[list[tuple[str, str]]]:
    """Expand a ``-p`` form into Compose's long-syntax entries (one per port)."""
    spec, _, protocol = form.partition("/")
    parts = spec.rsplit(":", 2)
    target = parts[-1]
    published = parts[-2] if len(parts) >= 2 else ""
    host_ip = parts[0] if len(parts) == 3 else ""
    first, _, last = target.partition("-")
    targets = list(range(int(first), int(last or first) + 1))
    if published and "-" in published:
        low, _, high = published.partition("-")
        publisheds = [str(p) for p in range(int(low), int(high) + 1)]
    else:
        publisheds = [published] * len(targets)
    entries = []
    for number, public in zip(targets, publisheds, strict=False):
        entry = [("mode", "ingress")]
        if host_ip:
            entry.append(("host_ip", host_ip))
        entry.append(("target", str(number)))
        if public:
            entry.append(("published", f'"{public}"'))
        entry.append(("protocol", protocol or "tcp"))
        entries.append(entry)
    return entries


def _dependencies(service: ComposeService) -> list[tuple[str, bool, bool]]:
    """Return (service, restart, required): as written, then links and network_mode."""
    found = {name: (restart, required) for name, restart, required in service.depends_flags}
    implicit = [link.split(":", 1)[0] for link in service.links]
    mode = service.network_mode or ""
    if mode.startswith("service:"):
        implicit.append(mode.split(":", 1)[1])
    for name in implicit:
        found.setdefault(name, (True, True))
    return sorted((name, restart, required) for name, (restart, required) in found.items())


def _service(service: ComposeService) -> list[str]:
    lines: list[str] = []
    fields: dict[str, list[str]] = {}
    if service.cap_add:
        fields["cap_add"] = [f"  - {scalar(c)}" for c in service.cap_add]
    if service.cap_drop:
        fields["cap_drop"] = [f"  - {scalar(c)}" for c in service.cap_drop]
    if service.command is not None:
        fields["command"] = [f"  - {scalar(w)}" for w in service.command]
    if service.container_name:
        fields["container_name"] = [scalar(service.container_name)]
    if service.replicas_key == "deploy":
        fields["deploy"] = [f"  replicas: {service.replicas}"]
    dependencies = _dependencies(service)
    if dependencies:
        rows = []
        for name, restart, required in dependencies:
            rows += [f"  {scalar(name)}:", "    condition: service_started"]
            if restart:
                rows.append("    restart: true")
            rows.append(f"    required: {'true' if required else 'false'}")
        fields["depends_on"] = rows
    if service.dns:
        fields["dns"] = [f"  - {scalar(s)}" for s in service.dns]
    if service.entrypoint is not None:
        fields["entrypoint"] = [f"  - {scalar(w)}" for w in service.entrypoint]
    if service.environment:
        rows = []
        for item in service.environment:
            key, equals, value = item.partition("=")
            rows.append(f"  {scalar(key)}: {scalar(value) if equals else 'null'}")
        fields["environment"] = rows
    if service.expose:
        fields["expose"] = [f'  - "{e}"' for e in service.expose]
    if service.extra_hosts:
        fields["extra_hosts"] = [
            f"  - {scalar(item.replace(':', '=', 1))}" for item in service.extra_hosts
        ]
    if service.hostname:
        fields["hostname"] = [scalar(service.hostname)]
    fields["image"] = [scalar(service.image)]
    if service.links:
        fields["links"] = [f"  - {scalar(link)}" for link in service.links]
    if service.network_mode:
        fields["network_mode"] = [scalar(service.network_mode)]
    if service.networks:
        rows = []
        for network in service.networks:
            if not network.configured:
                rows.append(f"  {scalar(network.key)}: null")
                continue
            rows.append(f"  {scalar(network.key)}:")
            if network.aliases:
                rows += ["    aliases:"] + [f"      - {scalar(a)}" for a in network.aliases]
            if network.ipv4_address is not None:
                rows.append(f"    ipv4_address: {network.ipv4_address}")
            if not network.aliases and network.ipv4_address is None:
                rows[-1] += " {}"
        fields["networks"] = rows
    if service.privileged:
        fields["privileged"] = ["true"]
    if service.ports:
        rows = []
        for form in service.ports:
            for entry in _port_entries(form):
                first, *rest = entry
                rows.append(f"  - {first[0]}: {first[1]}")
                rows += [f"    {key}: {value}" for key, value in rest]
        fields["ports"] = rows
    if service.replicas_key == "scale":
        fields["scale"] = [str(service.replicas)]
    for key in sorted(fields):
        rows = fields[key]
        if len(rows) == 1 and not rows[0].startswith("  "):
            lines.append(f"    {key}: {rows[0]}")
        else:
            lines.append(f"    {key}:")
            lines += [f"    {row}" for row in rows]
    return lines


def _network(network: ComposeNetwork, name: str) -> list[str]:
    lines = [f"    name: {scalar(name)}"]
    if network.external:
        return lines + ["    external: true"]
    if network.driver_given:
        lines.append(f"    driver: {scalar(network.driver)}")
    if network.driver_opts:
        lines.append("    driver_opts:")
        lines += [f"      {scalar(k)}: {scalar(v)}" for k, v in network.driver_opts]
    if network.subnet or network.gateway or network.ip_range:
        lines += ["    ipam:", "      config:"]
        pool = []
        if network.subnet:
            pool.append(f"subnet: {network.subnet}")
        if network.gateway:
            pool.append(f"gateway: {network.gateway}")
        if network.ip_range:
            pool.append(f"ip_range: {network.ip_range}")
        lines.append(f"        - {pool[0]}")
        lines += [f"          {item}" for item in pool[1:]]
    if network.internal:
        lines.append("    internal: true")
    if network.attachable:
        lines.append("    attachable: true")
    if network.labels:
        lines.append("    labels:")
        lines += [f"      {scalar(k)}: {scalar(v)}" for k, v in network.labels]
    return lines


def format_config(spec: ComposeFile, project: str) -> str:
    """Return what ``docker compose config`` prints for ``spec`` under ``project``."""
    lines = [f"name: {scalar(project)}", "services:"]
    for service in sorted(spec.services, key=lambda s: s.name):
        lines.append(f"  {scalar(service.name)}:")
        lines += _service(service)
    used = {n.key for s in spec.services for n in s.networks}
    networks = [n for n in spec.networks if n.key in used]
    if networks:
        lines.append("networks:")
        for network in networks:
            name = network.name
            if not network.external and name == f"{spec.project}_{network.key}":
                name = f"{project}_{network.key}"
            lines.append(f"  {scalar(network.key)}:")
            lines += _network(network, name)
    return "\n".join(lines) + "\n"
