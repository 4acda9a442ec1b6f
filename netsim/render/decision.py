"""Find the event of a probe's trace that decided its outcome, and say it in one line.

A probe record carries its ``why`` (the data plane's ``explain``): its text is
the line, and when it names a rule (table, chain, number) the chain walk of
the trace that ended on that rule is the deciding event; an open probe whose
why says DNAT (or hairpin NAT) was decided by the nat walk that ended on the
DNAT rule. Without a why (a
record made elsewhere), or when the why names no rule, the trace is read:
a probe that did not open stopped somewhere: a chain walk whose verdict was
DROP or REJECT (its last rule is the one that decided, numbered as
``iptables -L --line-numbers`` numbers it), a drop (no route, no neighbour),
or an answer that was not the one hoped for (the kernel's RST when nothing
listens, the embedded DNS server with no answer). An open probe was let
through by the first filter rule that accepted it, or answered straight by
the socket that served it. ``netsim report`` marks the hop of that event and
``netsim shell``'s ``why`` prints it.
"""

from __future__ import annotations

from netsim.dataplane.trace import ChainWalk, DropEvent, SocketEvent, TraceEvent, describe
from netsim.results.run import ProbeRecord

PROBE_OWNER = "probe"  # the owner name of the probe's own socket in socket events
STOPPING_VERDICTS = ("DROP", "REJECT")
TRANSLATED = ("dnat", "hairpin")  # why kinds of a probe let in by a DNAT rule
VERBS = {"ACCEPT": "accepted", "DROP": "dropped", "REJECT": "rejected"}


def deciding_index(record: ProbeRecord) -> int | None:
    """Return the index in ``record.events`` of the event that decided the outcome, if any."""
    events = record.events
    why = record.why
    if why is not None and why.table and why.rulenum:
        for index, event in enumerate(events):
            if (
                isinstance(event, ChainWalk)
                and event.node == why.node
                and event.table == why.table
                and event.steps
                and event.steps[-1].chain == why.chain
                and event.steps[-1].rulenum == why.rulenum
            ):
                return index
    if why is not None and why.kind in TRANSLATED:
        for index, event in enumerate(events):
            if isinstance(event, ChainWalk) and event.table == "nat" and _ends_in_dnat(event):
                return index
    if record.result == "open":
        for index, event in enumerate(events):
            if (
                isinstance(event, ChainWalk)
                and event.table == "filter"
                and event.verdict == "ACCEPT"
                and event.steps
                and event.steps[-1].kind == "rule"
            ):
                return index
        return _first_answer(events)
    for index, event in enumerate(events):
        if isinstance(event, ChainWalk) and event.verdict in STOPPING_VERDICTS:
            return index
        if isinstance(event, DropEvent):
            return index
    last = None
    for index, event in enumerate(events):
        if isinstance(event, SocketEvent) and event.owner != PROBE_OWNER:
            last = index
    if last is not None:
        return last
    return len(events) - 1 if events else None


def _ends_in_dnat(walk: ChainWalk) -> bool:
    step = walk.steps[-1] if walk.steps else None
    return step is not None and step.rule is not None and "-j DNAT" in step.rule.save(step.chain)


def _first_answer(events: tuple[TraceEvent, ...]) -> int | None:
    for index, event in enumerate(events):
        if isinstance(event, SocketEvent) and event.owner != PROBE_OWNER:
            return index
    return None


def rule_text(walk: ChainWalk) -> str:
    """Return the step of a chain walk that gave its verdict: ``CHAIN#N -A ...`` or a policy."""
    if not walk.steps:
        return f"{walk.chain}: no rule matched"
    step = walk.steps[-1]
    if step.kind == "rule" and step.rule is not None:
        return f"{step.chain}#{step.rulenum} {step.rule.save(step.chain)}"
    return f"{step.chain} {step.kind}"


def event_text(event: TraceEvent) -> str:
    """Return an event as ``describe`` reads it, without the time and node columns."""
    head = f"{event.time:9.6f} {event.node:>12} "
    text = describe(event)
    return text[len(head) :] if text.startswith(head) else text


def decision_text(record: ProbeRecord) -> str:
    """Return one line saying what decided a probe's outcome (or why it did not run)."""
    if record.why is not None:
        return record.why.text
    if record.result is None:
        return f"not run: {record.error or 'no reason given'}"
    index = deciding_index(record)
    if index is None:
        return f"{record.result}: the trace holds no event"
    event = record.events[index]
    if isinstance(event, ChainWalk):
        verb = VERBS.get(event.verdict, event.verdict)
        return (
            f"{record.result}: {verb} at {event.node} by {event.table}/{event.hook} "
            f"{rule_text(event)}"
        )
    return f"{record.result}: at {event.node}: {event_text(event)}"
