"""The flow evaluator answers as the packet path does: every scenario, generated worlds.

* every scenario in scenarios/, on both engines: the reachability matrix by
  flows equals the matrix by packet-level probes, cell by cell;
* every probe step of every scenario: result, served_by and the local and
  peer addresses agree (peer ports are random per probe, so not compared);
* generated worlds (user networks with and without icc, internal networks,
  multi-homed containers, published ports on all addresses, on the loopback
  and for UDP, the userland proxy on and off, user iptables rules naming
  single containers): random probes agree, and the grouped matrix equals the
  matrix answered cell by cell.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, cast

import pytest

from netsim.dataplane.flow import FlowPlane, flow_probe, port_classes, symmetry_of
from netsim.dataplane.probe import ProbeOutcome, simulate_probe
from netsim.dataplane.reach import destinations_of, flow_cells, reach_matrix, sources_of
from netsim.scenario.spec import ProbeProtocol, ProbeStep
from netsim.session import load_scenario, load_scenario_text, open_world, replay_world
from netsim.session.replay import probe_record
from netsim.world import World

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
ENGINES = ("20.10", "28.5")


def _address(endpoint: str | None) -> str | None:
    return None if endpoint is None else endpoint.rsplit(":", 1)[0]


def _seen(outcome: Any) -> tuple[object, ...]:
    """Return what a user compares: result, served_by, local and peer addresses."""
    return (outcome.result, outcome.served_by, _address(outcome.local), _address(outcome.peer))


def _cells(matrix: Any) -> list[tuple[str, str, str | None, str | None]]:
    return [(c.source, c.destination.target, c.result, c.served_by) for c in matrix.cells]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_matrix_by_flows_equals_matrix_by_packets(path: Path, engine: str) -> None:
    scenario = load_scenario(path)
    world = open_world(scenario, engine=engine)
    replay_world(world, probes=False)
    flows = reach_matrix(world)
    packets = reach_matrix(world, method="packets")
    assert flows.sources == packets.sources
    assert flows.destinations == packets.destinations
    assert _cells(flows) == _cells(packets)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_probe_step_agrees(path: Path, engine: str) -> None:
    world = open_world(load_scenario(path), engine=engine)
    compared: list[tuple[str, tuple[object, ...], tuple[object, ...]]] = []

    def both(world: World, step: ProbeStep) -> ProbeOutcome:
        seed = random.Random(f"{step.index}/{step.src}/{step.dst}").getrandbits(64)
        packets = simulate_probe(world, step, record=False, rng=random.Random(seed))
        flows = flow_probe(world, step, rng=random.Random(seed))
        compared.append((f"{step.src} -> {step.dst}", _seen(packets), _seen(flows)))
        return packets

    replay_world(world, probe=both)
    for label, packets, flows in compared:
        assert flows == packets, label


def test_flow_probe_resolves_names_and_reports_what_the_listener_saw() -> None:
    world = open_world(load_scenario_text(USER_DNS))
    replay_world(world, probes=False)
    open_ = flow_probe(world, ProbeStep(0, 0, "client", "web", 80))
    assert (open_.result, open_.served_by) == ("open", "web")
    client = world.container("client")
    assert client is not None
    assert _address(open_.peer) == str(client.endpoints["front"].address.ip)
    assert flow_probe(world, ProbeStep(0, 0, "client", "nowhere", 80)).result == "unresolved"
    assert flow_probe(world, ProbeStep(0, 0, "ghost", "web", 80)).error == (
        "probe source ghost is not running"
    )
    proxied = flow_probe(world, ProbeStep(0, 0, "laptop", "192.168.1.10", 8080))
    assert probe_record(
        ProbeStep(0, 0, "laptop", "192.168.1.10", 8080), proxied
    ).outcome_json() == {
        "result": "open",
        "served_by": "web",
        "local": proxied.local,
        "peer": proxied.peer,
    }
    assert _address(proxied.peer) == "192.168.1.20"  # DNAT keeps the client's address
    loopback = flow_probe(world, ProbeStep(0, 0, "host", "127.0.0.1", 8080))
    assert (loopback.served_by, _address(loopback.peer)) == ("web", "172.18.0.1")  # docker-proxy
    assert flow_probe(world, ProbeStep(0, 0, "laptop", "192.168.1.10", 9)).result == "refused"
    assert flow_probe(world, ProbeStep(0, 0, "laptop", "192.168.1.10", 9, "udp")).result == (
        "closed"
    )
    assert flow_probe(world, ProbeStep(0, 0, "laptop", "192.168.1.99", None, "icmp")).result == (
        "unreachable"
    )


def test_an_unknown_method_is_refused() -> None:
    world = open_world(load_scenario_text(USER_DNS))
    with pytest.raises(ValueError, match="unknown reach method 'guess'"):
        reach_matrix(world, method="guess")


USER_DNS = """
name: flow-dns
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker network create front
  - docker run -d --name web --network front -p 8080:80 nginx
  - docker run -d --name client --network front busybox sleep 3600
"""


# -- generated worlds --------------------------------------------------------------------

IMAGES = ("nginx", "redis", "mysql:5.6.35", "busybox sleep 3600", "tomcat")


def generated_scenario(seed: int) -> str:
    """Return a random but valid scenario: networks, containers, ports, rules."""
    rng = random.Random(seed)
    proxy = rng.random() < 0.5
    icc = rng.random() < 0.8
    lines = [
        f"name: generated-{seed}",
        "daemon:",
        f"  userland-proxy: {'true' if proxy else 'false'}",
        f"  icc: {'true' if icc else 'false'}",
        "host:",
        "  listen: [22/tcp, 5353/udp]",
        "machines:",
        "  laptop: {address: 192.168.1.20/24, listen: [22/tcp, 53/udp]}",
        "steps:",
    ]
    networks = ["bridge"]
    for k in range(rng.randint(1, 3)):
        options = rng.choice(["", " --internal", " -o com.docker.network.bridge.enable_icc=false"])
        lines.append(f"  - docker network create{options} n{k}")
        networks.append(f"n{k}")
    port = 8000
    names = []
    for i in range(rng.randint(4, 9)):
        network = rng.choice(networks)
        publish = ""
        for _ in range(rng.choice((0, 1, 1, 2))):
            port += 1
            form = rng.choice(
                ("{p}:80", "{p}:80", "127.0.0.1:{p}:80", "{p}:53/udp", "192.168.1.10:{p}:6379")
            )
            publish += " -p " + form.format(p=port)
        image = rng.choice(IMAGES)
        lines.append(f"  - docker run -d --name c{i} --network {network}{publish} {image}")
        names.append(f"c{i}")
    for _ in range(rng.randint(0, 2)):
        lines.append(
            f"  - docker network connect {rng.choice(networks[1:] or ['bridge'])} "
            f"{rng.choice(names)}"
        )
    rules = [
        "iptables -I DOCKER-USER -s 172.18.0.3 -j DROP",
        "iptables -I DOCKER-USER -d 172.17.0.2 -p tcp --dport 80 -j REJECT",
        "iptables -I INPUT -p tcp --dport 22 -s 172.17.0.0/16 -j REJECT --reject-with tcp-reset",
        "iptables -I DOCKER-USER -i eth0 ! -s 192.168.1.0/24 -j DROP",
        "iptables -I DOCKER-USER -p udp -j REJECT --reject-with icmp-admin-prohibited",
        "iptables -t nat -I PREROUTING -p tcp --dport 9999 -j DNAT --to-destination 172.17.0.2:80",
    ]
    for rule in rng.sample(rules, rng.randint(0, 3)):
        lines.append(f"  - {rule}")
    return "\n".join(lines) + "\n"


def generated_world(seed: int, engine: str) -> World:
    world = open_world(load_scenario_text(generated_scenario(seed)), engine=engine)
    replay_world(world, probes=False)
    return world


def addresses_of(world: World) -> list[str]:
    """Return every IPv4 address in the world, and one nobody holds."""
    found = {"192.168.1.99"}
    for namespace in [world.host, *world.machines.values(), *world.container_namespaces.values()]:
        for link in namespace.interfaces():
            for address in link.addresses:
                if address.interface.version == 4:
                    found.add(str(address.interface.ip))
    return sorted(found)


@pytest.mark.parametrize("seed", range(8))
def test_random_probes_in_generated_worlds_agree(seed: int) -> None:
    engine = ENGINES[seed % 2]
    world = generated_world(seed, engine)
    rng = random.Random(seed)
    sources = list(sources_of(world))
    addresses = addresses_of(world)
    ports = sorted({d.port for d in destinations_of(world)} | {9, 22, 53, 80, 9999})
    plane = FlowPlane(world)
    for _ in range(40):
        proto = cast(ProbeProtocol, rng.choice(("tcp", "tcp", "udp", "icmp")))
        step = ProbeStep(
            0,
            0,
            rng.choice(sources),
            rng.choice(addresses),
            None if proto == "icmp" else rng.choice(ports),
            proto,
        )
        seed_ = rng.getrandbits(64)
        packets: ProbeOutcome = simulate_probe(world, step, record=False, rng=random.Random(seed_))
        flows = plane.probe(step.src, step.dst, step.port, step.proto, rng=random.Random(seed_))
        assert _seen(flows) == _seen(packets), (step, generated_scenario(seed))


@pytest.mark.parametrize("seed", range(8, 14))
def test_grouped_matrix_equals_matrix_cell_by_cell(seed: int) -> None:
    world = generated_world(seed, ENGINES[seed % 2])
    sources, destinations = sources_of(world), destinations_of(world)
    grouped = flow_cells(world, sources, destinations, 0)
    alone = flow_cells(world, sources, destinations, 0, group=False)
    assert [(c.source, c.destination, c.result, c.served_by) for c in grouped] == [
        (c.source, c.destination, c.result, c.served_by) for c in alone
    ]


def test_containers_alike_on_one_network_share_a_class() -> None:
    steps = "".join(
        f"  - docker run -d --name c{i} --network n -p {9000 + i}:80 nginx\n" for i in range(4)
    )
    text = f"name: alike\nsteps:\n  - docker network create n\n{steps}"
    for engine in ENGINES:
        world = open_world(load_scenario_text(text), engine=engine)
        replay_world(world, probes=False)
        plane = FlowPlane(world)
        symmetry = symmetry_of(plane)
        namespaces = [id(world.container_namespaces[c.id]) for c in world.daemon.containers]
        assert len({symmetry.classes[n] for n in namespaces}) == 1
        assert len(set(map(repr, port_classes(plane, symmetry).values()))) == 1


def test_grouped_matrix_equals_packets_in_a_world_with_many_alike_containers() -> None:
    steps = "".join(f"  - docker network create n{k}\n" for k in range(3))
    steps += "".join(
        f"  - docker run -d --name c{i} --network n{i % 3} -p {9000 + i}:80 nginx\n"
        for i in range(12)
    )
    steps += "  - iptables -I DOCKER-USER -s 172.19.0.3 -j DROP\n"
    text = f"name: alike\nmachines:\n  laptop: {{address: 192.168.1.20/24}}\nsteps:\n{steps}"
    for engine in ENGINES:
        world = open_world(load_scenario_text(text), engine=engine)
        replay_world(world, probes=False)
        assert _cells(reach_matrix(world)) == _cells(reach_matrix(world, method="packets"))


def test_rules_on_address_ranges_and_connection_tuples_split_the_classes() -> None:
    # -m iprange naming two of the alike containers, -m conntrack naming one
    # published port and one container's replies: grouping must still answer
    # every cell as packets do.
    steps = "".join(f"  - docker network create n{k}\n" for k in range(3))
    steps += "".join(
        f"  - docker run -d --name c{i} --network n{i % 3} -p {9000 + i}:80 nginx\n"
        for i in range(12)
    )
    steps += (
        "  - iptables -I DOCKER-USER -m iprange --dst-range 172.19.0.3-172.19.0.4 -j DROP\n"
        "  - iptables -I DOCKER-USER -p tcp -m conntrack --ctorigdstport 9004 --ctdir ORIGINAL"
        " -j DROP\n"
        "  - iptables -I DOCKER-USER -m conntrack --ctdir REPLY --ctreplsrc 172.20.0.2 -j DROP\n"
    )
    text = f"name: ranges\nmachines:\n  laptop: {{address: 192.168.1.20/24}}\nsteps:\n{steps}"
    for engine in ENGINES:
        world = open_world(load_scenario_text(text), engine=engine)
        replay_world(world, probes=False)
        cells = _cells(reach_matrix(world))
        assert cells == _cells(reach_matrix(world, method="packets"))
        assert {c[2] for c in cells if c[0] == "laptop"} >= {"open", "timeout"}


def test_cells_of_a_source_with_itself_are_answered_once_per_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 12 containers in 3 classes, each publishing a port: the host's published
    # cells (at its own address) and each container's cells to its own address
    # and own published port are answered once per group, and still equal the
    # cells answered one by one.
    steps = "".join(f"  - docker network create n{k}\n" for k in range(3))
    steps += "".join(
        f"  - docker run -d --name c{i} --network n{i % 3} -p {9000 + i}:80 nginx\n"
        for i in range(12)
    )
    text = f"name: alike\nmachines:\n  laptop: {{address: 192.168.1.20/24}}\nsteps:\n{steps}"
    for engine in ENGINES:
        world = open_world(load_scenario_text(text), engine=engine)
        replay_world(world, probes=False)
        sources, destinations = sources_of(world), destinations_of(world)
        asked: list[str] = []
        probe = FlowPlane.probe

        def counted(
            plane: FlowPlane,
            source: str,
            *args: Any,
            asked: list[str] = asked,
            probe: Any = probe,
            **kwargs: Any,
        ) -> Any:
            asked.append(source)
            return probe(plane, source, *args, **kwargs)

        monkeypatch.setattr(FlowPlane, "probe", counted)
        grouped = flow_cells(world, sources, destinations, 0)
        per_source = {s: asked.count(s) for s in sources}
        monkeypatch.setattr(FlowPlane, "probe", probe)
        alone = flow_cells(world, sources, destinations, 0, group=False)
        assert grouped == alone
        # The host asks each group of published ports once, not each port; the
        # first container of a class asks everything, the second asks the
        # first's two cells (a new representative), the rest ask nothing: not
        # even their own address or own published port.
        assert per_source["host"] < len(destinations) - 12
        assert [per_source[f"c{i}"] for i in range(3, 12)] == [2] * 3 + [0] * 6
