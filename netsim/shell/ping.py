"""``ping`` inside a container (BusyBox's applet), answered by the data plane.

Each echo request is a probe through the simulated network; the output
follows BusyBox 1.35's format. Round-trip times come from the simulation
clock (real ones differ run to run and are normalised by the conformance
comparison).
"""

from __future__ import annotations

from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from netsim.docker.client import CommandOutput
from netsim.scenario.spec import ProbeStep

if TYPE_CHECKING:
    from netsim.dataplane.probe import ProbeOutcome
    from netsim.world import World

USAGE = "BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n"
# netsim's limit on echo requests per ping (each one is a probe through the
# data plane); past it, and for -c 0 (ping until stopped), ping says it is
# not simulated. Documented in docs/scenario-format.md.
MAX_COUNT = 100
_INT_MAX = 2**31 - 1


class _CountError(Exception):
    """BusyBox's xatou_range refusal of a -c value (exit 1)."""


def _count(text: str) -> int:
    """Read -c as BusyBox's xatou_range(0, INT_MAX) does, with its messages."""
    shown = text if len(text) <= 40 else text[:40] + "..."
    if not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > 2**32 - 1:
        raise _CountError(f"ping: invalid number '{shown}'\n")
    if int(text) > _INT_MAX:
        raise _CountError(f"ping: number {text} is not in 0..{_INT_MAX} range\n")
    return int(text)


def _parse(argv: list[str]) -> tuple[int, str] | None:
    count = 4
    host = ""
    args = iter(argv[1:])
    for word in args:
        if word == "-c":
            value = next(args, None)
            if value is None:
                return None
            count = _count(value)
        elif word.startswith("-c"):
            count = _count(word[2:])
        elif word.startswith("-"):
            return None
        else:
            host = word
    return (count, host) if host else None


def _no_route(world: World, source: str, address: IPv4Address) -> bool:
    """Return True when the source has no route to ``address`` (nor holds it)."""
    namespace = world.namespace_of(source)
    if namespace is None or namespace.is_local(address):
        return False
    return namespace.route_lookup(address) is None


def _ttl(world: World, source: str, address: IPv4Address) -> int:
    """Return the TTL a reply arrives with: 64, less one per router on the way."""
    namespace = world.namespace_of(source)
    if namespace is None or namespace.is_local(address):
        return 64
    route = namespace.route_lookup(address)
    if route is None or route.gateway is None:
        return 64
    gateway_ns = world.host
    return 64 if gateway_ns.is_local(address) else 63


def run_ping(world: World, source: str, argv: list[str]) -> CommandOutput:
    """Run ``ping [-c N] HOST`` from a container."""
    from netsim.dataplane.probe import simulate_probe

    try:
        parsed = _parse(argv)
    except _CountError as error:
        return CommandOutput(1, "", str(error))
    if parsed is None:
        return CommandOutput(1, "", USAGE)
    count, host = parsed
    if count == 0 or count > MAX_COUNT:
        asked = "-c 0 (until stopped)" if count == 0 else f"-c {count}"
        return CommandOutput(
            2,
            "",
            f"netsim: ping {asked} is not simulated; netsim sends at most {MAX_COUNT} "
            "echo requests\n",
        )
    received = 0
    lines: list[str] = []
    address: IPv4Address | None = None
    times: list[float] = []
    for seq in range(count):
        step = ProbeStep(index=0, line=0, src=source, dst=host, port=None, proto="icmp")
        outcome = simulate_probe(world, step, record=True)
        if outcome.result == "unresolved":
            return CommandOutput(1, "", f"ping: bad address '{host}'\n")
        address = outcome.address or address
        if address is not None and not lines:
            lines.append(f"PING {host} ({address}): 56 data bytes")
            if _no_route(world, source, address):
                # sendto() fails with ENETUNREACH and busybox dies at once
                # (xsendto), as both engines showed from a --network none
                # container and from 28.5's --internal network.
                return CommandOutput(1, lines[0] + "\n", "ping: sendto: Network is unreachable\n")
        if outcome.result == "reply" and address is not None:
            received += 1
            rtt_ms = _round_trip_ms(outcome)
            times.append(rtt_ms)
            lines.append(
                f"64 bytes from {address}: seq={seq} ttl={_ttl(world, source, address)}"
                f" time={rtt_ms:.3f} ms"
            )
    if not lines:
        lines.append(f"PING {host} ({host}): 56 data bytes")
    loss = round(100 * (count - received) / count) if count else 0
    lines += [
        "",
        f"--- {host} ping statistics ---",
        f"{count} packets transmitted, {received} packets received, {loss}% packet loss",
    ]
    if times:
        average = sum(times) / len(times)
        lines.append(f"round-trip min/avg/max = {min(times):.3f}/{average:.3f}/{max(times):.3f} ms")
    return CommandOutput(0 if received else 1, "".join(line + "\n" for line in lines))


def _round_trip_ms(outcome: ProbeOutcome) -> float:
    """Return the simulated round trip of an echo (first to last event), in milliseconds."""
    events = outcome.events
    if len(events) >= 2:
        return max(0.001, (events[-1].time - events[0].time) * 1000)
    return 0.050
