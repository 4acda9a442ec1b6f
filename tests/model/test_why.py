"""A probe's ``why``: the deciding event of its trace, named as a reader of the trace would."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from netsim.dataplane.trace import ChainWalk, DropEvent, SocketEvent
from netsim.dataplane.why import explain
from netsim.results.run import ProbeRecord, Run, Why
from netsim.session import load_scenario, load_scenario_text, replay

SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))
ENGINES = ("20.10", "28.5")
OPEN = ("open", "reply")

LAN = """
machines:
  laptop: {address: 192.168.1.20/24}
  desktop: {address: 192.168.1.30/24}
"""


def run_of(body: str, *, engine: str = "28.5", daemon: str = "") -> Run:
    text = f"name: t\n{LAN}{daemon}steps:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    return replay(load_scenario_text(text), engine)


def why_of(run: Run, index: int = -1) -> Why:
    why = run.probes[index].why
    assert why is not None
    return why


def deciding_rule(record: ProbeRecord) -> tuple[str, str, int, str] | None:
    """Read the trace as a reviewer does: the DROP/REJECT walk before the last drop."""
    drops = [
        i
        for i, e in enumerate(record.events)
        if isinstance(e, DropEvent) and "frame for another host" not in e.reason
    ]
    if not drops:
        return None
    drop = record.events[drops[-1]]
    walks = [
        e for e in record.events[: drops[-1]] if isinstance(e, ChainWalk) and e.node == drop.node
    ]
    if not walks or walks[-1].verdict not in ("DROP", "REJECT"):
        return None
    step = walks[-1].steps[-1]
    assert step.rule is not None
    return walks[-1].node, step.chain, step.rulenum, step.rule.save(step.chain)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_probe_that_did_not_get_through_names_what_the_trace_shows_deciding(
    path: Path, engine: str
) -> None:
    run = replay(load_scenario(path), engine)
    for record in run.probes:
        if record.result is None:
            assert record.why is None
            continue
        why = record.why
        assert why is not None, record.probe
        if record.result in OPEN:
            assert why.kind in ("direct", "dnat", "docker-proxy", "hairpin"), why
            continue
        rule = deciding_rule(record)
        if rule is not None:
            node, chain, number, text = rule
            assert why.kind in ("dropped", "rejected"), why.text
            assert (why.node, why.chain, why.rulenum) == (node, chain, number), why.text
            assert f"{chain} #{number} `{text.removeprefix(f'-A {chain} ')}`" in why.text
            assert why.cause != "rule", f"no cause named for {text}: {why.text}"
        elif record.result == "refused":
            resets = [
                e
                for e in record.events
                if isinstance(e, SocketEvent) and e.owner == "kernel" and e.action == "RST"
            ]
            assert resets, record.probe
            assert why.text.startswith(f"refused: {resets[-1].detail}"), why.text
            assert why.node == resets[-1].node
        elif record.result == "unresolved":
            assert why.text.startswith(f"unresolved: {record.target.split(':')[0]} is not")
        elif record.result == "timeout":
            # No drop: silence, or docker-proxy relayed a datagram whose error
            # it does not pass back (reject-dnat's container-to-published UDP).
            assert why.kind == "timeout", why.text
            proxy = [e for e in record.events if isinstance(e, SocketEvent) and e.action == "error"]
            if proxy:
                assert why.text.startswith(f"timeout: docker-proxy on {proxy[-1].node}"), why.text
        else:
            assert why.kind == "no-route", why.text


def test_icc_false_names_the_forward_drop_and_the_daemon_setting_on_each_engine() -> None:
    scenario = load_scenario(Path(__file__).parents[2] / "scenarios" / "icc-disabled.yaml")
    classic = why_of(replay(scenario, "20.10"), 1)
    modern = why_of(replay(scenario, "28.5"), 1)
    assert (classic.rule_ref, classic.rule, classic.cause) == (
        "FORWARD #6",
        "-i docker0 -o docker0 -j DROP",
        "icc",
    )
    assert modern.rule_ref == "DOCKER-FORWARD #4"
    assert "--icc=false" in modern.text


def test_isolation_between_networks_names_stage_two_on_20_10_and_the_raw_guard_on_28_5() -> None:
    body = """\
    - docker network create front
    - docker network create back
    - docker run -d --name web --network front nginx
    - docker run -d --name db --network back redis
    - probe: web -> 172.19.0.2:6379
    """
    classic = why_of(run_of(body, engine="20.10"))
    assert (classic.chain, classic.rulenum, classic.cause) == (
        "DOCKER-ISOLATION-STAGE-2",
        1,
        "isolation",
    )
    assert "different networks" in classic.text
    modern = why_of(run_of(body, engine="28.5"))
    assert (modern.table, modern.chain, modern.cause) == ("raw", "PREROUTING", "direct-access")
    assert modern.rule.startswith("-d 172.19.0.2/32 ! -i br-")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_docker_user_drop_names_the_rule_and_the_command_that_added_it(engine: str) -> None:
    run = run_of(
        """\
        - docker run -d --name web -p 80:80 nginx
        - iptables -I DOCKER-USER -s 192.168.1.20 -j DROP
        - probe: laptop -> 192.168.1.10:80
        """,
        engine=engine,
    )
    why = why_of(run)
    assert (why.rule_ref, why.cause) == ("DOCKER-USER #1", "docker-user")
    assert why.command == "iptables -I DOCKER-USER -s 192.168.1.20 -j DROP"
    assert "step 1 added it" in why.text


def test_a_reject_rule_is_named_as_rejecting_and_the_probe_is_refused() -> None:
    run = run_of(
        """\
        - docker run -d --name web -p 80:80 nginx
        - iptables -I DOCKER-USER -p tcp --dport 80 -j REJECT --reject-with tcp-reset
        - probe: laptop -> 192.168.1.10:80
        """
    )
    record = run.probes[-1]
    assert record.result == "refused"
    why = why_of(run)
    assert why.kind == "rejected"
    assert why.text.startswith("rejected by DOCKER-USER #1 `-p tcp -m tcp --dport 80 -j REJECT")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_icmp_reject_of_published_traffic_reaches_its_sender_translated_back(
    engine: str,
) -> None:
    # scenarios/reject-dnat.yaml, recorded on both engines: "closed" and
    # "refused", where a quoted header left DNATed would make them timeouts.
    run = run_of(
        """\
        - docker run -d --name dns -p 5353:53/udp nginx
        - docker run -d --name web -p 8080:80 nginx
        - iptables -I DOCKER-USER -p udp -j REJECT
        - iptables -I DOCKER-USER -p tcp --dport 80 -j REJECT
        - probe: laptop -> 192.168.1.10:5353/udp
        - probe: laptop -> 192.168.1.10:8080/tcp
        """,
        engine=engine,
    )
    udp, tcp = run.probes
    assert (udp.result, tcp.result) == ("closed", "refused")
    assert udp.why is not None and tcp.why is not None
    # Each rule is credited to the step that added it, not to the last one
    # that names the same chain and target.
    assert udp.why.command == "iptables -I DOCKER-USER -p udp -j REJECT"
    assert tcp.why.command == "iptables -I DOCKER-USER -p tcp --dport 80 -j REJECT"


def test_refused_names_the_address_nothing_listens_on() -> None:
    run = run_of(
        "- docker run -d --name web -p 8001:8001 nginx\n- probe: laptop -> 192.168.1.10:8001\n"
    )
    why = why_of(run)
    assert why.text.startswith("refused: nothing listens on 172.17.0.2:8001/tcp in web")
    assert "after DNAT on host from 192.168.1.10:8001/tcp" in why.text


def test_unresolved_says_whether_there_was_an_embedded_dns_to_ask() -> None:
    run = run_of(
        """\
        - docker network create app
        - docker run -d --name web --network app nginx
        - docker run -d --name lonely nginx
        - probe: lonely -> web:80
        - probe: web -> nowhere:80
        """
    )
    assert "no embedded DNS to ask" in why_of(run, 0).text
    assert why_of(run, 1).text.startswith(
        "unresolved: nowhere is not a container, alias or link on any network of web"
    )


def test_no_route_and_no_arp_answer_are_told_apart() -> None:
    run = run_of(
        """\
        - docker network create --internal quiet
        - docker run -d --name reader --network quiet redis
        - probe: reader -> 192.168.1.20:22
        - probe: host -> 192.168.1.99:22
        """
    )
    no_route = why_of(run, 0)
    assert (run.probes[0].result, no_route.kind) == ("unreachable", "no-route")
    assert no_route.text.startswith("unreachable: reader has no route")
    arp = why_of(run, 1)
    assert arp.text.startswith("unreachable: no ARP answer for 192.168.1.99")


@pytest.mark.parametrize(
    ("body", "kind", "words"),
    [
        ("- probe: laptop -> 192.168.1.10:12345", "dnat", "by DNAT on host by nat DOCKER #2"),
        ("- probe: host -> 127.0.0.1:12345", "docker-proxy", "opened its own to 172.17.0.2:3306"),
        ("- probe: host -> 172.17.0.2:3306", "direct", "no address translation"),
    ],
)
def test_an_open_probe_says_how_it_got_through(body: str, kind: str, words: str) -> None:
    run = run_of(f"- docker run -d --name db -p 12345:3306 mysql\n{body}\n")
    why = why_of(run)
    assert why.kind == kind
    assert words in why.text


def test_hairpin_nat_is_named_when_the_proxy_is_off() -> None:
    run = run_of(
        "- docker run -d --name web -p 8080:80 nginx\n- probe: web -> 192.168.1.10:8080\n",
        daemon="daemon: {userland-proxy: false}\n",
    )
    why = why_of(run)
    assert why.kind == "hairpin"
    assert "then MASQUERADE" in why.text


def test_a_probe_that_never_ran_or_met_silence_gets_a_plain_reason() -> None:
    assert explain(None, ()) is None
    silent = explain("timeout", ())
    assert silent is not None and silent.text.startswith("timeout: no answer within 5 s")


def test_the_json_result_and_the_transcript_carry_the_why() -> None:
    from netsim.render.transcript import format_transcript

    run = run_of("- docker run -d --name db mysql\n- probe: laptop -> 192.168.1.10:3306\n")
    step = run.as_json()["steps"][-1]
    assert step["why"].startswith("refused: nothing listens on 192.168.1.10:3306/tcp in host")
    assert f"#   why: {step['why']}\n" in format_transcript(run)


def test_a_dropped_probe_picture_marks_the_node_where_it_was_stopped() -> None:
    from netsim.render.traffic import probe_path
    from netsim.session import pictures

    scenario = load_scenario(Path(__file__).parents[2] / "scenarios" / "icc-disabled.yaml")
    drawn = pictures(scenario, probes=("cache -> 172.17.0.2:3306", "host -> 172.17.0.3:6379"))
    dropped, through = (probe_path(record) for record in drawn.paths)
    assert dropped.died_at == "host"
    assert dropped.why.startswith("dropped by DOCKER-FORWARD #4")
    assert (through.died_at, through.result) == ("", "open")
