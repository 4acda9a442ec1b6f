"""Parse the probe syntax ``SRC -> DST:PORT[/PROTO]`` (or ``SRC -> DST`` for a ping)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import cast

from netsim.errors import ScenarioError
from netsim.scenario.spec import ProbeProtocol, ProbeStep, Protocol, Scenario
from netsim.scenario.yamlsource import quote

# Docker's own container-name rule (daemon/names.go): at least two characters.
CONTAINER_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
# A destination name: a node, a container, a link alias or a network alias.
DESTINATION_NAME = re.compile(r"[a-zA-Z0-9_][a-zA-Z0-9_.-]*")
_DIGITS_AND_DOTS = re.compile(r"[0-9.]+")
_DECIMAL = re.compile(r"[0-9]+")

SYNTAX = "SRC -> DST:PORT[/PROTO]"
EXAMPLE = "laptop -> 192.168.1.10:8080/tcp"

# The result table of the scenario contract: what a probe of each protocol can report.
RESULTS: dict[str, tuple[str, ...]] = {
    "tcp": ("open", "refused", "timeout", "unreachable", "unresolved"),
    "udp": ("open", "closed", "timeout", "unreachable", "unresolved"),
    "icmp": ("reply", "timeout", "unreachable", "unresolved"),
}


@dataclass(frozen=True, slots=True)
class ProbeText:
    """A probe as written: ``proto`` is ``None`` when the text names none."""

    src: str
    dst: str
    port: int | None
    proto: Protocol | None


def parse_probe(text: str, nodes: frozenset[str] = frozenset({"host"})) -> ProbeText:
    """Parse ``SRC -> DST[:PORT][/PROTO]``; ``nodes`` are host and machine names.

    Raises:
        ScenarioError: without a location; the loader adds file, line and key.
    """
    if "->" not in text:
        raise ScenarioError(f"expected {SYNTAX}, e.g. {EXAMPLE}; {quote(text)} has no '->'")
    if text.count("->") > 1:
        raise ScenarioError(f"expected one '->' in {SYNTAX}; {quote(text)} has several")
    left, right = (part.strip() for part in text.split("->"))
    if not left:
        raise ScenarioError(f"missing the source before '->' in {quote(text)}; expected {SYNTAX}")
    if not right:
        raise ScenarioError(
            f"missing the destination after '->' in {quote(text)}; expected {SYNTAX}"
        )
    _check_source(left, nodes)
    if any(c.isspace() for c in right):
        raise ScenarioError(
            f"unexpected space in the destination {quote(right)}; expected DST:PORT[/PROTO]"
        )
    target, proto = right, None
    if "/" in right:
        target, written = right.rsplit("/", 1)
        proto = _proto(written, right)
    dst, port = target, None
    if target.count(":") > 1:
        raise ScenarioError(f"{quote(target)} looks like an IPv6 address; only IPv4 is simulated")
    if ":" in target:
        dst, written_port = target.split(":")
        port = parse_port(written_port, what=f"the port in {quote(right)}")
    elif proto is not None:
        raise ScenarioError(
            f"missing :PORT before /{proto} in {quote(right)}; expected DST:PORT/{proto}"
        )
    _check_destination(dst)
    return ProbeText(src=left, dst=dst, port=port, proto=proto)


def parse_port(text: str, *, what: str = "the port") -> int:
    """Return ``text`` as a port number 1-65535."""
    if not text:
        raise ScenarioError(f"{what} is empty; expected a number 1-65535")
    if not _DECIMAL.fullmatch(text) or len(text) > 5 or not 1 <= int(text) <= 65535:
        raise ScenarioError(f"{what} is {quote(text)}; expected a number 1-65535")
    return int(text)


def _proto(written: str, right: str) -> Protocol:
    if written == "tcp":
        return "tcp"
    if written == "udp":
        return "udp"
    if written == "icmp":
        raise ScenarioError(
            "an icmp probe has no port or /icmp suffix; write 'SRC -> DST' with 'proto: icmp'"
        )
    raise ScenarioError(f"unknown protocol {quote(written)} in {quote(right)}; expected tcp or udp")


def _check_source(src: str, nodes: frozenset[str]) -> None:
    if src in nodes or CONTAINER_NAME.fullmatch(src):
        return
    known = ", ".join(sorted(nodes))
    raise ScenarioError(
        f"the source {quote(src)} is neither a node ({known}) nor a valid container name "
        "([a-zA-Z0-9][a-zA-Z0-9_.-]+)"
    )


def _check_destination(dst: str) -> None:
    if not dst:
        raise ScenarioError("the destination is empty; expected an IPv4 address or a name")
    if _DIGITS_AND_DOTS.fullmatch(dst):
        parts = dst.split(".")
        if len(parts) != 4 or not all(_DECIMAL.fullmatch(p) for p in parts):
            raise ScenarioError(
                f"the destination {quote(dst)} is not an IPv4 address (expected a.b.c.d)"
            )
        try:
            IPv4Address(dst)
        except ValueError:
            raise ScenarioError(
                f"the destination {quote(dst)} is not an IPv4 address "
                "(four numbers 0-255, no leading zeros)"
            ) from None
        return
    if not DESTINATION_NAME.fullmatch(dst):
        raise ScenarioError(
            f"the destination {quote(dst)} is neither an IPv4 address nor a name "
            "(letters, digits, '_', '.', '-')"
        )


def probe_step_from_text(
    text: str, scenario: Scenario, *, proto: str | None = None, key: str = "--probe"
) -> ProbeStep:
    """Return a ProbeStep for a probe typed on the command line (``netsim trace --probe``).

    Raises:
        ScenarioError: bad syntax, a port on an icmp probe or none on tcp/udp.
    """
    nodes = frozenset({"host", *(m.name for m in scenario.machines)})
    try:
        parsed = parse_probe(text, nodes)
    except ScenarioError as error:
        raise ScenarioError(error.message, file=scenario.path, key=key) from None
    chosen = parsed.proto or proto or ("tcp" if parsed.port is not None else "icmp")
    if proto is not None and parsed.proto is not None and proto != parsed.proto:
        raise ScenarioError(
            f"--proto {proto} contradicts /{parsed.proto} in {quote(text)}",
            file=scenario.path,
            key=key,
        )
    if chosen == "icmp" and parsed.port is not None:
        raise ScenarioError(
            f"an icmp probe has no port; write 'SRC -> DST', not {quote(text)}",
            file=scenario.path,
            key=key,
        )
    if chosen != "icmp" and parsed.port is None:
        raise ScenarioError(
            f"a {chosen} probe needs a port: 'SRC -> DST:PORT', not "
            f"{quote(text)} (or --proto icmp for a ping)",
            file=scenario.path,
            key=key,
        )
    return ProbeStep(
        index=len(scenario.steps),
        line=0,
        src=parsed.src,
        dst=parsed.dst,
        port=parsed.port,
        proto=cast(ProbeProtocol, chosen),
    )
