"""Model tests: what the daemon sets up it also takes down (rules, ports, addresses, links).

After any mix of runs, connects, disconnects, restarts and removals, removing
every container and user network must leave the host exactly as a fresh
daemon left it: the same iptables rules, no host port or address held, no
veth or bridge left behind.
"""

from __future__ import annotations

import pytest

from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text, open_world
from netsim.session.replay import run_command
from netsim.world import World

SCENARIO = """
name: state
machines:
  laptop: {address: 192.168.1.20/24}
steps:
  - docker ps
"""

SESSION = [
    "docker network create n1",
    "docker network create --subnet 10.50.0.0/24 n2",
    "docker network create --internal n3",
    "docker run -d --name web -p 8080:80 -p 127.0.0.1::443 nginx",
    "docker run -d --name db --network n1 --network-alias database -P mysql:5.6.35",
    "docker run -d --name cache --network n2 --ip 10.50.0.9 redis",
    "docker run -d --name vault --network n3 -p 7000:6379 redis",
    "docker run -d --name app --link web:front tomcat",
    "docker network connect n2 db",
    "docker network connect n1 web",
    "docker network disconnect bridge web",
    "docker run -d --rm --name temp -p 9000:80 nginx",
    "docker restart temp",
    "docker restart db",
    "docker stop cache",
    "docker start cache",
    "docker kill temp",
]
TEARDOWN = [
    "docker rm -f web db cache vault app",
    "docker network rm n1 n2 n3",
]


def _state(world: World) -> dict[str, object]:
    daemon = world.daemon
    return {
        # Rules chain by chain (a table once written stays listed by
        # iptables-save even when empty again, as on a real host).
        "iptables": {
            (table, chain): [rule.save(chain) for rule in world.host.netfilter.rules(table, chain)]
            for table in ("raw", "nat", "filter")
            for chain in world.host.netfilter.chains(table)
        },
        "links": sorted(link.name for link in world.host.interfaces()),
        "routes": sorted(str(route) for route in world.host.routes),
        "ports": {key: sorted(used.used) for key, used in daemon.ports.maps.items() if used.used},
        "addresses": {
            n.name: sorted(map(str, n.pool.allocated))
            for n in daemon.networks
            if n.pool is not None
        },
        "networks": sorted(n.name for n in daemon.networks),
        "sandboxes": sorted(world.container_namespaces),
    }


def _run(world: World, lines: list[str]) -> list[str]:
    failed = []
    for index, line in enumerate(lines):
        output = run_command(world, CommandStep(index=index, line=1, command=line))
        if output.exit_code != 0:
            failed.append(f"{line}: {output.stderr.strip()}")
    return failed


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_removing_everything_restores_a_fresh_daemons_host(engine: str) -> None:
    world = open_world(load_scenario_text(SCENARIO), engine=engine)
    fresh = _state(world)
    assert _run(world, SESSION) == []
    busy = _state(world)
    assert busy["iptables"] != fresh["iptables"] and busy["ports"]
    assert _run(world, TEARDOWN) == []
    assert _state(world) == fresh


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_stopping_releases_ports_and_addresses_at_once(engine: str) -> None:
    world = open_world(load_scenario_text(SCENARIO), engine=engine)
    assert (
        _run(
            world,
            [
                "docker run -d --name a1 -p 8080:80 nginx",
                "docker stop a1",
                "docker run -d --name a2 -p 8080:80 nginx",
            ],
        )
        == []
    )
    a2 = world.container("a2")
    assert a2 is not None
    assert str(a2.endpoints["bridge"].address.ip) == "172.17.0.2"
    assert [m.host_port for m in a2.ports] == [8080, 8080]
