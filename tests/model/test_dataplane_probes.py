"""Probes in small simulated worlds: what a user of Docker would see on a real host."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from netsim.dataplane.probe import simulate_probe
from netsim.dataplane.trace import ChainWalk, DropEvent, NatEvent
from netsim.scenario.spec import ProbeStep
from netsim.session import load_scenario_text, open_world, replay_world
from netsim.session.replay import probe_record
from netsim.world import World

LAN = """
machines:
  laptop: {address: 192.168.1.20/24}
  desktop: {address: 192.168.1.30/24}
"""


def world_of(body: str, *, engine: str = "28.5", daemon: str = "", host: str = "") -> World:
    """Build a world and run its command steps (the body is a YAML list of steps)."""
    text = f"name: t\n{LAN}{daemon}{host}steps:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    world = open_world(load_scenario_text(text), engine=engine)
    replay_world(world)
    return world


def probe(
    world: World, src: str, dst: str, port: int | None = None, proto: str = "tcp"
) -> dict[str, Any]:
    """Run one probe step against the world as it is now."""
    step = ProbeStep(index=99, line=1, src=src, dst=dst, port=port, proto=proto)  # type: ignore[arg-type]
    return probe_record(step, simulate_probe(world, step)).outcome_json()


def peer_address(result: dict[str, Any]) -> str:
    """Return the peer address without the (random) port."""
    return str(result["peer"]).rsplit(":", 1)[0]


ENGINES = ("20.10", "28.5")


@pytest.mark.parametrize("engine", ENGINES)
def test_published_port_is_reached_through_dnat_and_the_container_sees_the_laptop(engine: str):
    world = world_of("- docker run -d --name db -p 12345:3306 mysql\n", engine=engine)
    result = probe(world, "laptop", "192.168.1.10", 12345)
    assert result["result"] == "open"
    assert result["served_by"] == "db"
    assert result["local"] == "172.17.0.2:3306"
    assert peer_address(result) == "192.168.1.20"


@pytest.mark.parametrize("engine", ENGINES)
def test_loopback_connection_goes_through_docker_proxy_and_arrives_from_the_gateway(engine: str):
    world = world_of("- docker run -d --name db -p 12345:3306 mysql\n", engine=engine)
    result = probe(world, "host", "127.0.0.1", 12345)
    assert (result["result"], result["served_by"], result["local"]) == (
        "open",
        "db",
        "172.17.0.2:3306",
    )
    assert peer_address(result) == "172.17.0.1"


def test_unpublished_port_on_the_host_is_refused():
    world = world_of("- docker run -d --name db -p 12345:3306 mysql\n")
    assert probe(world, "laptop", "192.168.1.10", 3306) == {"result": "refused"}


def test_published_port_without_a_listener_in_the_container_is_refused_by_the_container():
    world = world_of("- docker run -d --name web -p 8001:8001 nginx\n")
    outcome = simulate_probe(world, ProbeStep(0, 1, "laptop", "192.168.1.10", 8001))
    assert outcome.result == "refused"
    assert any(isinstance(e, NatEvent) and e.kind == "DNAT" for e in outcome.events)


@pytest.mark.parametrize("engine", ENGINES)
def test_icc_false_blocks_containers_except_over_links(engine: str):
    world = world_of(
        """
        - docker run -d --name db mysql
        - docker run -d --name cache redis
        - docker run -d --name web --link db:database tomcat
        """,
        engine=engine,
        daemon="daemon: {icc: false}\n",
    )
    linked = probe(world, "web", "database", 3306)
    assert (linked["result"], linked["served_by"], peer_address(linked)) == (
        "open",
        "db",
        "172.17.0.4",
    )
    assert probe(world, "web", "172.17.0.3", 6379)["result"] == "timeout"
    assert probe(world, "cache", "172.17.0.2", 3306)["result"] == "timeout"
    assert probe(world, "host", "172.17.0.3", 6379)["result"] == "open"


def test_icc_false_drop_is_the_bridged_packet_going_through_filter_forward():
    world = world_of(
        "- docker run -d --name db mysql\n- docker run -d --name web tomcat\n",
        daemon="daemon: {icc: false}\n",
    )
    outcome = simulate_probe(world, ProbeStep(0, 1, "web", "172.17.0.2", 3306))
    walks = [e for e in outcome.events if isinstance(e, ChainWalk) and e.verdict == "DROP"]
    assert walks and walks[0].hook == "FORWARD"
    assert walks[0].in_interface == walks[0].out_interface == "docker0"


@pytest.mark.parametrize("engine", ENGINES)
def test_docker_user_drop_filters_a_published_port_for_one_source(engine: str):
    world = world_of(
        """
        - docker run -d --name web -p 80:80 nginx
        - iptables -I DOCKER-USER -s 192.168.1.20 -j DROP
        """,
        engine=engine,
    )
    assert probe(world, "laptop", "192.168.1.10", 80)["result"] == "timeout"
    assert probe(world, "desktop", "192.168.1.10", 80)["result"] == "open"


def test_docker_user_reject_with_tcp_reset_refuses():
    world = world_of(
        """
        - docker run -d --name web -p 80:80 nginx
        - iptables -I DOCKER-USER -s 192.168.1.20 -p tcp -j REJECT --reject-with tcp-reset
        """
    )
    assert probe(world, "laptop", "192.168.1.10", 80)["result"] == "refused"


def test_docker_user_match_is_numbered_as_line_numbers_shows_it():
    world = world_of(
        """
        - docker run -d --name web -p 80:80 nginx
        - iptables -I DOCKER-USER -s 192.168.1.30 -j ACCEPT
        - iptables -I DOCKER-USER 2 -s 192.168.1.20 -j DROP
        """
    )
    outcome = simulate_probe(world, ProbeStep(0, 1, "laptop", "192.168.1.10", 80))
    steps = [
        s
        for e in outcome.events
        if isinstance(e, ChainWalk)
        for s in e.steps
        if s.chain == "DOCKER-USER" and s.kind == "rule"
    ]
    assert steps and steps[0].rulenum == 2


@pytest.mark.parametrize(("engine", "expected"), [("20.10", "timeout"), ("28.5", "unreachable")])
def test_internal_network_reaches_its_members_but_not_the_lan(engine: str, expected: str):
    world = world_of(
        """
        - docker network create --internal vault
        - docker run -d --name secret --network vault -p 6380:6379 redis
        - docker run -d --name reader --network vault busybox sleep 3600
        """,
        engine=engine,
    )
    assert probe(world, "reader", "secret", 6379)["result"] == "open"
    assert probe(world, "laptop", "192.168.1.10", 6380)["result"] == "refused"
    # 20.10 keeps a default route (filter drops the packet); 28.5 has none (ENETUNREACH).
    assert probe(world, "reader", "192.168.1.20", 22)["result"] == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_userland_proxy_off_hairpins_with_masquerade(engine: str):
    world = world_of(
        """
        - docker run -d --name web -p 8080:80 nginx
        - docker run -d --name client busybox sleep 3600
        """,
        engine=engine,
        daemon="daemon: {userland-proxy: false}\n",
    )
    own = probe(world, "web", "192.168.1.10", 8080)
    assert (own["result"], own["served_by"], peer_address(own)) == ("open", "web", "172.17.0.1")
    other = probe(world, "client", "192.168.1.10", 8080)
    assert (other["result"], peer_address(other)) == ("open", "172.17.0.3")
    local = probe(world, "host", "127.0.0.1", 8080)
    assert (local["result"], peer_address(local)) == ("open", "172.17.0.1")
    assert probe(world, "laptop", "192.168.1.10", 8080)["result"] == "open"


def test_userland_proxy_on_serves_a_container_reaching_a_published_port_from_the_gateway():
    world = world_of(
        """
        - docker run -d --name web -p 8080:80 nginx
        - docker run -d --name client busybox sleep 3600
        """
    )
    result = probe(world, "client", "192.168.1.10", 8080)
    assert (result["result"], result["served_by"], peer_address(result)) == (
        "open",
        "web",
        "172.17.0.1",
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_loopback_published_port_is_not_served_on_the_lan_address(engine: str):
    world = world_of(
        """
        - docker run -d --name db1 -p 127.0.0.1:12345:3306 mysql
        """,
        engine=engine,
    )
    assert probe(world, "host", "127.0.0.1", 12345)["served_by"] == "db1"
    assert probe(world, "laptop", "192.168.1.10", 12345)["result"] == "refused"
    assert probe(world, "host", "192.168.1.10", 12345)["result"] == "refused"


@pytest.mark.parametrize("engine", ENGINES)
def test_containers_on_different_networks_are_isolated(engine: str):
    world = world_of(
        """
        - docker network create front
        - docker network create back
        - docker run -d --name web --network front nginx
        - docker run -d --name db --network back postgres
        - docker run -d --name lonely redis
        """,
        engine=engine,
    )
    assert probe(world, "web", "db", 5432)["result"] == "unresolved"
    assert probe(world, "web", "172.19.0.2", 5432)["result"] == "timeout"
    assert probe(world, "lonely", "172.18.0.2", 80)["result"] == "timeout"
    assert probe(world, "host", "172.19.0.2", 5432)["result"] == "open"


def test_raw_prerouting_drop_of_28_5_is_what_stops_a_cross_network_packet():
    world = world_of(
        """
        - docker network create front
        - docker run -d --name web --network front nginx
        - docker run -d --name lonely redis
        """
    )
    outcome = simulate_probe(world, ProbeStep(0, 1, "lonely", "172.18.0.2", 80))
    assert any(isinstance(e, DropEvent) and "raw PREROUTING" in e.reason for e in outcome.events)


def test_embedded_dns_answers_names_and_aliases_only_on_shared_networks():
    world = world_of(
        """
        - docker network create appnet
        - docker run -d --name db --network appnet --network-alias database mysql
        - docker run -d --name web --net appnet nginx
        - docker run -d --name lonely redis
        """
    )
    by_name = probe(world, "web", "db", 3306)
    assert (by_name["result"], by_name["local"]) == ("open", "172.18.0.2:3306")
    assert probe(world, "web", "database", 3306)["result"] == "open"
    assert probe(world, "web", "DB.appnet", 3306)["result"] == "open"
    assert probe(world, "lonely", "db", 3306)["result"] == "unresolved"
    assert probe(world, "web", "laptop", 22)["result"] == "unresolved"


def test_stopped_container_has_no_dns_record():
    world = world_of(
        """
        - docker network create appnet
        - docker run -d --name db --network appnet mysql
        - docker run -d --name web --net appnet nginx
        - docker stop db
        """
    )
    assert probe(world, "web", "db", 3306)["result"] == "unresolved"


def test_network_alias_disappears_with_disconnect():
    world = world_of(
        """
        - docker network create --subnet 10.10.0.0/24 --gateway 10.10.0.254 front
        - docker network create back
        - docker run -d --name api --network back redis
        - docker run -d --name proxy --network front nginx
        - docker network connect --alias cache --ip 10.10.0.50 front api
        """
    )
    assert probe(world, "proxy", "cache", 6379)["local"] == "10.10.0.50:6379"
    world.client.run(["docker", "network", "disconnect", "front", "api"])
    assert probe(world, "proxy", "cache", 6379)["result"] == "unresolved"


def test_links_resolve_through_etc_hosts_and_the_host_knows_machine_names():
    world = world_of(
        """
        - docker run -d --name mysqldb mysql
        - docker run -d --name tomcatApp --link mysqldb:MySQL tomcat
        """
    )
    assert probe(world, "tomcatApp", "MySQL", 3306)["served_by"] == "mysqldb"
    assert probe(world, "tomcatApp", "mysqldb", 3306)["served_by"] == "mysqldb"
    assert probe(world, "mysqldb", "tomcatApp", 8080)["result"] == "unresolved"
    assert probe(world, "host", "mysqldb", 3306)["result"] == "unresolved"
    assert probe(world, "laptop", "host", 22)["result"] == "refused"


def test_host_network_and_shared_namespaces_serve_on_loopback():
    world = world_of(
        """
        - docker run -d --name web nginx
        - docker run -d --name hosty --network host redis
        - docker run -d --name sidecar --network container:web busybox sleep 3600
        """
    )
    hosty = probe(world, "host", "127.0.0.1", 6379)
    assert (hosty["served_by"], hosty["local"]) == ("hosty", "127.0.0.1:6379")
    assert probe(world, "sidecar", "127.0.0.1", 80)["served_by"] == "web"
    assert probe(world, "laptop", "192.168.1.10", 6379)["served_by"] == "hosty"


def test_host_and_machine_listeners_answer_with_what_they_saw():
    world = world_of(
        "- docker run -d --name box busybox sleep 3600\n",
        host="host: {address: 192.168.1.10/24, listen: [22/tcp]}\n",
    )
    result = probe(world, "laptop", "host", 22)
    assert (result["served_by"], result["local"]) == ("host", "192.168.1.10:22")
    masqueraded = probe(world, "box", "192.168.1.10", 22)
    assert peer_address(masqueraded) == "172.17.0.2"


def test_a_container_reaching_the_lan_is_masqueraded():
    text = (
        "name: t\nmachines:\n  laptop: {address: 192.168.1.20/24, listen: [22/tcp]}\n"
        "steps:\n  - docker run -d --name box busybox sleep 3600\n"
    )
    world = open_world(load_scenario_text(text))
    replay_world(world)
    result = probe(world, "box", "laptop", 22)
    assert result["result"] == "unresolved"  # containers do not get the LAN's names
    result = probe(world, "box", "192.168.1.20", 22)
    assert (result["served_by"], peer_address(result)) == ("laptop", "192.168.1.10")


def test_udp_open_closed_and_icmp_reply():
    text = (
        "name: t\nmachines:\n  laptop: {address: 192.168.1.20/24, listen: [53/udp]}\n"
        "images:\n  dnsapp:1.0: {expose: [53/udp], listen: [53/udp]}\n"
        "steps:\n  - docker run -d --name dns -p 5353:53/udp dnsapp:1.0\n"
    )
    world = open_world(load_scenario_text(text))
    replay_world(world)
    udp = probe(world, "laptop", "192.168.1.10", 5353, "udp")
    assert (udp["result"], udp["served_by"], udp["local"]) == ("open", "dns", "172.17.0.2:53")
    assert peer_address(udp) == "192.168.1.20"
    assert probe(world, "laptop", "192.168.1.10", 5354, "udp") == {"result": "closed"}
    assert probe(world, "host", "laptop", 53, "udp")["served_by"] == "laptop"
    assert probe(world, "laptop", "192.168.1.10", None, "icmp") == {"result": "reply"}
    assert probe(world, "dns", "192.168.1.20", None, "icmp") == {"result": "reply"}


def test_nobody_answering_arp_is_unreachable_for_tcp_and_icmp_but_silent_for_udp():
    world = world_of("- docker run -d --name box busybox sleep 3600\n")
    assert probe(world, "laptop", "192.168.1.99", 22)["result"] == "unreachable"
    assert probe(world, "laptop", "192.168.1.99", None, "icmp")["result"] == "unreachable"
    assert probe(world, "laptop", "192.168.1.99", 53, "udp")["result"] == "timeout"
    # Forwarded by the host, which gives up on ARP and says host unreachable.
    assert probe(world, "box", "192.168.1.99", 22)["result"] == "unreachable"


def test_no_route_is_unreachable():
    world = world_of("- docker run -d --name box busybox sleep 3600\n")
    assert probe(world, "laptop", "10.1.2.3", 80)["result"] == "unreachable"
    assert probe(world, "host", "10.1.2.3", 80)["result"] == "unreachable"


def test_probe_from_a_stopped_container_is_an_error_not_a_crash():
    world = world_of("- docker run -d --name box busybox sleep 3600\n- docker stop box\n")
    result = probe(world, "box", "192.168.1.10", 22)
    assert result["result"] is None and "not running" in result["error"]


def test_probes_are_deterministic():
    body = "- docker run -d --name db -p 12345:3306 mysql\n"
    first = simulate_probe(world_of(body), ProbeStep(0, 1, "laptop", "192.168.1.10", 12345))
    second = simulate_probe(world_of(body), ProbeStep(0, 1, "laptop", "192.168.1.10", 12345))
    assert first.peer == second.peer
    assert first.events == second.events


@pytest.mark.parametrize(("engine", "reached"), [("20.10", True), ("28.5", False)])
def test_loopback_published_port_from_the_lan_20_10_exposes_it_28_5_drops_in_raw(
    engine: str, reached: bool
):
    """A LAN machine that sends to 127.0.0.1 through the host's MAC (moby#45610)."""
    import random

    from netsim.dataplane.apps import install
    from netsim.dataplane.engine import Simulation
    from netsim.dataplane.frames import SYN, Frame, IPv4Packet, TcpSegment
    from netsim.dataplane.trace import SocketEvent

    world = world_of("- docker run -d --name db1 -p 127.0.0.1:12345:3306 mysql\n", engine=engine)
    sim = Simulation(world, rng=random.Random(1))
    install(sim)
    laptop = sim.machines["laptop"].interface("eth0")
    host = sim.host.interface("eth0")
    assert laptop is not None and host is not None
    from ipaddress import IPv4Address

    syn = IPv4Packet(
        IPv4Address("192.168.1.20"), IPv4Address("127.0.0.1"), TcpSegment(40000, 12345, 1, 0, SYN)
    )
    sim.transmit(laptop, Frame(laptop.mac, host.mac, syn))
    sim.run()
    answered = any(
        isinstance(e, SocketEvent) and e.owner == "db1" and e.action == "SYN-ACK"
        for e in sim.events
    )
    assert answered is reached
    dropped_in_raw = any(
        isinstance(e, DropEvent) and "raw PREROUTING" in e.reason for e in sim.events
    )
    assert dropped_in_raw is not reached
