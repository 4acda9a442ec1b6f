"""Write one probe's trace as text: what ``netsim trace`` prints."""

from __future__ import annotations

from netsim.dataplane.trace import (
    BridgeDecision,
    ChainWalk,
    DropEvent,
    FrameEvent,
    NatEvent,
    RouteDecision,
    SocketEvent,
    TraceEvent,
    describe,
    flow_text,
)
from netsim.dataplane.why import rule_text
from netsim.results.run import ProbeRecord
from netsim.results.topology import LAN_NODE

# Socket steps worth a line of their own in the brief view.
BRIEF_SOCKET_ACTIONS = frozenset(
    {
        "connect",
        "connect failed",
        "connected",
        "connection refused",
        "SYN-ACK",
        "accept",
        "RST",
        "port unreachable",
        "resolved",
        "unresolved",
        "timeout",
        "datagram",
        "echo reply",
        "error",
        "backend failed",
    }
)


def format_trace(record: ProbeRecord, *, frames: bool = False) -> str:
    """Return the trace as text, one event a line (frame events only with ``frames``)."""
    lines = [describe(e) for e in record.events if frames or not isinstance(e, FrameEvent)]
    result = f"result: {record.result}"
    if record.result == "open":
        result += f" (served by {record.served_by}, local {record.local}, peer {record.peer})"
    if record.error:
        result += f" ({record.error})"
    lines.append(result)
    if record.why is not None:
        lines.append(f"why: {record.why.text}")
    return "\n".join(lines) + "\n"


def _decision(event: TraceEvent) -> str | None:
    """Return what mattered in ``event`` for the brief view (None: an internal step)."""
    if isinstance(event, ChainWalk):
        last = event.steps[-1] if event.steps else None
        if event.verdict in ("DROP", "REJECT"):
            if last is not None and last.kind == "rule":
                return (
                    f"{event.table}/{event.chain} {event.verdict} by {last.chain} "
                    f"#{last.rulenum} `{rule_text(last)}`"
                )
            return f"{event.table}/{event.chain} {event.verdict} by policy"
        if event.table != "filter" or last is None or last.kind != "rule":
            return None
        return f"{event.chain} ACCEPT by {last.chain} #{last.rulenum} `{rule_text(last)}`"
    if isinstance(event, NatEvent):
        return f"{event.kind} {flow_text(event.before)} => {flow_text(event.after)}"
    if isinstance(event, RouteDecision):
        return f"no route to {event.destination}" if event.result == "unreachable" else None
    if isinstance(event, SocketEvent):
        if event.action not in BRIEF_SOCKET_ACTIONS:
            return None
        detail = f" {event.detail}" if event.detail else ""
        return f"{event.owner}: {event.action}{detail}"
    if isinstance(event, DropEvent):
        return f"drop: {event.reason}"
    if isinstance(event, BridgeDecision) and event.action == "drop":
        return f"bridge {event.bridge} drop ({event.reason})"
    return None


def brief_lines(record: ProbeRecord) -> list[str]:
    """Return one line per device crossed, in order, with the decisions that mattered there.

    Consecutive events on one node make one crossing; the LAN switch's
    learning and flooding, ARP, conntrack and frames are left out. A crossing
    the same as an earlier one (a retransmitted SYN meeting the same rule)
    is counted on the first line instead of printed again.
    """
    crossings: list[tuple[float, str, list[str]]] = []
    for event in record.events:
        if isinstance(event, FrameEvent):
            continue
        decision = _decision(event)
        if event.node == LAN_NODE and not isinstance(event, DropEvent):
            continue
        if crossings and crossings[-1][1] == event.node:
            if decision is not None:
                crossings[-1][2].append(decision)
            continue
        crossings.append((event.time, event.node, [decision] if decision is not None else []))
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    lines: list[str] = []
    repeats: list[int] = []
    for time, node, decisions in crossings:
        if not decisions:
            continue
        key = (node, tuple(decisions))
        if key in seen:
            repeats[seen[key]] += 1
            continue
        seen[key] = len(lines)
        lines.append(f"{time:9.6f} {node:>12}  " + "; ".join(decisions))
        repeats.append(1)
    return [
        line if count == 1 else f"{line} (x{count})"
        for line, count in zip(lines, repeats, strict=True)
    ]


def format_brief(record: ProbeRecord) -> str:
    """Return the brief trace: a line per device crossed, then the result and why."""
    result = f"result: {record.result}"
    if record.result == "open":
        result += f" (served by {record.served_by}, local {record.local}, peer {record.peer})"
    if record.error:
        result += f" ({record.error})"
    lines = [*brief_lines(record), result]
    if record.why is not None:
        lines.append(f"why: {record.why.text}")
    return "\n".join(lines) + "\n"
