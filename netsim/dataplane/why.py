"""Find the event that decided a probe's result in its trace, and say it in words.

A probe's trace holds every decision its packets met; ``explain`` picks the
one that mattered and returns a ``Why``:

* dropped or rejected: the last netfilter walk that ended in DROP or REJECT
  before the probe's packet was dropped, its deciding rule numbered as
  ``iptables -L --line-numbers`` numbers it, and what put that rule there,
  read from the rule's chain and shape (Docker's network isolation, an
  ``--internal`` network, ``icc=false``, direct access to a container,
  DOCKER-USER, which only an administrator fills);
* refused or closed: the kernel that answered with a RST or an ICMP port
  unreachable because nothing listens on the address and port;
* unresolved: whether there was an embedded DNS to ask at all;
* unreachable: no route, or no ARP answer for the next hop;
* timeout: the drop, when one is in the trace, else silence;
* open (or an echo reply): how it got through: direct, DNAT, docker-proxy or
  hairpin NAT.

Nothing here guesses from the world: a ``Why`` is read from trace events only.
"""

from __future__ import annotations

from collections.abc import Sequence

from netsim.dataplane.trace import (
    ChainWalk,
    DropEvent,
    Endpoints,
    NatEvent,
    NeighbourEvent,
    RouteDecision,
    SocketEvent,
    TraceEvent,
    flow_text,
)
from netsim.kernel.evaluate import TraceStep
from netsim.results.run import Why

EMBEDDED_DNS_TEXT = "127.0.0.11"
PROXY_OWNER = "docker-proxy"
PROBE_OWNER = "probe"
OPEN_RESULTS = frozenset({"open", "reply"})


def explain(result: str | None, events: Sequence[TraceEvent]) -> Why | None:
    """Return why a probe ended with ``result``, read from its trace (None when it never ran)."""
    if result is None:
        return None
    if result in OPEN_RESULTS:
        return _how(result, events)
    if result == "unresolved":
        return _unresolved(events)
    verdict = _deciding_walk(events)
    if verdict is not None:
        return _netfilter(result, *verdict)
    if result in ("refused", "closed"):
        refused = _nothing_listens(result, events)
        if refused is not None:
            return refused
    if result == "unreachable":
        return _unreachable(events)
    drop = _last_drop(events)
    if drop is not None:
        return Why(result, f"{result}: {drop.reason} on {drop.node}", node=drop.node)
    relayed = _proxy_failed(result, events)
    if relayed is not None:
        return relayed
    return Why(
        result,
        f"{result}: no answer within 5 s; the packets met no drop, nothing answered",
    )


def _proxy_failed(result: str, events: Sequence[TraceEvent]) -> Why | None:
    """Return why a datagram docker-proxy took got no answer: its own one failed.

    The userland proxy relays UDP datagrams, not the ICMP errors its own
    datagram meets, so the sender hears nothing (a timeout).
    """
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if (
            isinstance(event, SocketEvent)
            and event.owner == PROXY_OWNER
            and event.action == "error"
        ):
            answer = next(
                (
                    e.detail
                    for e in reversed(events[:index])
                    if isinstance(e, SocketEvent) and e.owner == "kernel" and e.detail
                ),
                event.detail,
            )
            return Why(
                result,
                f"{result}: docker-proxy on {event.node} took it and relayed it, and its own "
                f"datagram was answered: {answer} ({event.detail}); the proxy passes no error "
                "back, so the sender hears nothing",
                node=event.node,
            )
    return None


# -- dropped and rejected --------------------------------------------------------------


def _counts(event: TraceEvent) -> bool:
    """Return whether ``event`` is a drop of the probe's packets, not of a flooded copy."""
    return isinstance(event, DropEvent) and "frame for another host" not in event.reason


def _last_drop(events: Sequence[TraceEvent]) -> DropEvent | None:
    for event in reversed(events):
        if isinstance(event, DropEvent) and _counts(event):
            return event
    return None


def _deciding_walk(events: Sequence[TraceEvent]) -> tuple[ChainWalk, TraceStep] | None:
    """Return the walk that dropped or rejected the probe's last dropped packet, and its step.

    The drop that counts is the last one in the trace (a TCP probe's SYN is
    retransmitted, each copy meets the same rule); the walk is the chain walk
    just before it on the same node.
    """
    last = len(events)
    for position in range(len(events) - 1, -1, -1):
        if _counts(events[position]):
            last = position
            break
    else:
        return None
    drop = events[last]
    for event in reversed(events[:last]):
        if event.node != drop.node:
            continue
        if isinstance(event, ChainWalk):
            if event.verdict in ("DROP", "REJECT") and event.steps:
                return event, event.steps[-1]
            return None
    return None


def rule_text(step: TraceStep) -> str:
    """Return a deciding step's rule as ``iptables -S`` prints it, without ``-A CHAIN``."""
    if step.rule is None:
        return f"policy of {step.chain}"
    return step.rule.save(step.chain).removeprefix(f"-A {step.chain} ")


def _netfilter(result: str, walk: ChainWalk, step: TraceStep) -> Why:
    action = "rejected" if walk.verdict == "REJECT" else "dropped"
    where = "" if walk.table == "filter" else f"{walk.table} "
    if step.kind == "policy" or step.rule is None:
        head = (
            f"{action} by the policy {walk.verdict} of {where}{step.chain} "
            f"(no rule accepted it) on {walk.node}"
        )
        reason = _policy_reason(walk, step)
    else:
        head = f"{action} by {where}{step.chain} #{step.rulenum} `{rule_text(step)}` on {walk.node}"
        reason = _rule_reason(walk, step)
    return Why(
        action,
        f"{head}: {reason}",
        node=walk.node,
        table=walk.table,
        chain=step.chain,
        rulenum=step.rulenum if step.kind == "rule" else 0,
        rule=rule_text(step) if step.kind == "rule" else "",
        cause=_cause(walk, step),
    )


def _cause(walk: ChainWalk, step: TraceStep) -> str:
    """Return a short name for what put the deciding rule there (grading compares it)."""
    rule = step.rule
    if step.kind != "rule" or rule is None:
        return "policy"
    if step.chain == "DOCKER-USER":
        return "docker-user"
    if step.chain.startswith("DOCKER-ISOLATION"):
        return "internal" if rule.destination_invert else "isolation"
    if (
        rule.in_interface
        and rule.in_interface == rule.out_interface
        and not rule.in_invert
        and not rule.out_invert
    ):
        return "icc"
    if walk.table == "raw":
        return "direct-access"
    if step.chain == "DOCKER" and rule.out_interface and rule.in_invert:
        return "not-published"
    return "rule"


def _rule_reason(walk: ChainWalk, step: TraceStep) -> str:
    rule = step.rule
    assert rule is not None
    cause = _cause(walk, step)
    if cause == "docker-user":
        return (
            "a rule an administrator added to DOCKER-USER (Docker creates the chain and "
            "leaves it empty; it is consulted before any of Docker's own rules)"
        )
    if cause == "internal":
        return (
            f"the network on {rule.in_interface or rule.out_interface} is --internal: "
            "Docker drops what would leave its subnet"
        )
    if cause == "isolation":
        return (
            f"Docker's network isolation: the packet would cross from bridge "
            f"{walk.in_interface} to bridge {walk.out_interface}, and containers on "
            "different networks do not reach each other"
        )
    if cause == "icc":
        if rule.in_interface == "docker0":
            setting = "the daemon runs with --icc=false"
        else:
            setting = "the network was created with -o com.docker.network.bridge.enable_icc=false"
        return (
            f"inter-container communication is off on {rule.in_interface} ({setting}); "
            "only --link or published ports open a way"
        )
    if cause == "direct-access":
        came = walk.in_interface or "another interface"
        # Docker names its bridges docker0 and br-<network id>.
        if came == "docker0" or came.startswith("br-"):
            tail = (
                "another Docker network: containers on different networks do not reach each other"
            )
        else:
            tail = "outside Docker's networks: from there only published ports are reachable"
        return (
            f"Docker accepts packets for a container's address only from its own bridge "
            f"({rule.in_interface}); this one came in on {came}, from {tail}"
        )
    if cause == "not-published":
        return (
            f"no port is published for this destination on {rule.out_interface}: Docker drops "
            "traffic from outside the network unless a port is published"
        )
    return f"the rule in {walk.table} {step.chain} that matched first"


def _policy_reason(walk: ChainWalk, step: TraceStep) -> str:
    return (
        f"no rule in {walk.table} {step.chain} accepted the packet "
        f"(in {walk.in_interface or '-'}, out {walk.out_interface or '-'})"
    )


# -- refused, unresolved, unreachable -------------------------------------------------


def _nothing_listens(result: str, events: Sequence[TraceEvent]) -> Why | None:
    for event in reversed(events):
        if (
            isinstance(event, SocketEvent)
            and event.owner == "kernel"
            and event.action in ("RST", "port unreachable")
        ):
            detail = event.detail.removeprefix("nothing listens on ")
            nat = _connection_nat(events, "DNAT")
            via = ""
            if nat is not None:
                via = f" (after DNAT on {nat.node} from {_destination(nat.before)})"
            elif _visited(events, event.node, "nat", "DOCKER"):
                via = (
                    " (no rule in the nat table's DOCKER chain matched: nothing is published there)"
                )
            return Why(
                "refused",
                f"{result}: nothing listens on {detail} in {event.node}{via}",
                node=event.node,
            )
    return None


def _destination(flow: Endpoints) -> str:
    return flow_text(flow).split(" -> ")[1]


def _visited(events: Sequence[TraceEvent], node: str, table: str, chain: str) -> bool:
    """Return whether a ``table`` walk on ``node`` went through ``chain``."""
    return any(
        isinstance(e, ChainWalk)
        and e.node == node
        and e.table == table
        and any(step.chain == chain for step in e.steps)
        for e in events
    )


def _unresolved(events: Sequence[TraceEvent]) -> Why:
    name = ""
    source = ""
    asked = False
    for event in events:
        if isinstance(event, SocketEvent) and event.owner == PROBE_OWNER:
            if event.action == "unresolved":
                name, source = event.detail, event.node
            elif event.action == "DNS query":
                asked = True
    if asked:
        text = (
            f"unresolved: {name} is not a container, alias or link on any network of "
            f"{source}; the embedded DNS (127.0.0.11) forwarded it upstream, which did not "
            "answer (names resolve only within a user-defined network)"
        )
    else:
        text = (
            f"unresolved: {name} is not in {source}'s /etc/hosts, and {source} is on no "
            "user-defined network, so there is no embedded DNS to ask (on the default "
            "bridge only --link names resolve)"
        )
    return Why("unresolved", text, node=source)


def _unreachable(events: Sequence[TraceEvent]) -> Why:
    for event in reversed(events):
        if isinstance(event, NeighbourEvent) and event.action == "failed":
            return Why(
                "unreachable",
                f"unreachable: no ARP answer for {event.address} on {event.node} "
                f"{event.interface} (nothing on that link has the address)",
                node=event.node,
            )
        if isinstance(event, RouteDecision) and event.result == "unreachable":
            return Why(
                "no-route",
                f"unreachable: {event.node} has no route to {event.destination}",
                node=event.node,
            )
        if isinstance(event, SocketEvent) and event.action == "error":
            return Why(
                "unreachable",
                f"unreachable: an ICMP error ({event.detail}) came back to {event.node}",
                node=event.node,
            )
    for event in events:
        if isinstance(event, SocketEvent) and event.action == "connect failed":
            return Why(
                "no-route",
                f"unreachable: {event.node} has no route to the destination "
                f"(connect failed with {event.detail.split()[0]})",
                node=event.node,
            )
    drop = _last_drop(events)
    if drop is not None:
        return Why("unreachable", f"unreachable: {drop.reason} on {drop.node}", node=drop.node)
    return Why("unreachable", "unreachable: the destination could not be reached")


# -- open ------------------------------------------------------------------------------


def _connection_nat(events: Sequence[TraceEvent], kind: str) -> NatEvent | None:
    """Return the first ``kind`` translation of the probe's own connection (not its DNS)."""
    for event in events:
        if (
            isinstance(event, NatEvent)
            and event.kind == kind
            and str(event.before[3]) != EMBEDDED_DNS_TEXT
        ):
            return event
    return None


def _nat_rule(events: Sequence[TraceEvent], nat: NatEvent) -> str:
    """Return ``CHAIN #N `rule``` of the nat walk that made ``nat`` (empty when unseen)."""
    position = events.index(nat)
    for event in reversed(events[:position]):
        if isinstance(event, ChainWalk) and event.node == nat.node and event.table == "nat":
            step = event.steps[-1] if event.steps else None
            if step is not None and step.kind == "rule":
                return f"nat {step.chain} #{step.rulenum} `{rule_text(step)}`"
            return ""
    return ""


def _how(result: str, events: Sequence[TraceEvent]) -> Why:
    proxy = next(
        (
            e
            for e in events
            if isinstance(e, SocketEvent) and e.owner == PROXY_OWNER and e.action == "connect"
        ),
        None,
    )
    dnat = _connection_nat(events, "DNAT")
    snat = _connection_nat(events, "MASQUERADE") or _connection_nat(events, "SNAT")
    if proxy is not None:
        backend = proxy.detail.split(" -> ")[-1]
        return Why(
            "docker-proxy",
            f"{result} through docker-proxy on {proxy.node}: it accepted the connection and "
            f"opened its own to {backend}",
            node=proxy.node,
        )
    if dnat is not None:
        rule = _nat_rule(events, dnat)
        by = f" by {rule}" if rule else ""
        moved = f"{_destination(dnat.before)} -> {_destination(dnat.after)}"
        if snat is not None and dnat.before[1].is_loopback:
            return Why(
                "dnat",
                f"{result} by DNAT on {dnat.node}{by} ({moved}) from a loopback address, then "
                f"{snat.kind} so the container answers an address it can reach",
                node=dnat.node,
            )
        if snat is not None:
            return Why(
                "hairpin",
                f"{result} by hairpin NAT on {dnat.node}: DNAT{by} ({moved}), then "
                f"{snat.kind} so the answer comes back the same way",
                node=dnat.node,
            )
        return Why("dnat", f"{result} by DNAT on {dnat.node}{by} ({moved})", node=dnat.node)
    return Why("direct", f"{result} directly, no address translation on the way")
