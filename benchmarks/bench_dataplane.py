"""Benchmark the data plane and print a table (issue 3, "Speed").

    python benchmarks/bench_dataplane.py [--ports 100] [--segments 40] [--quick]

Rows:
* raw simpy event rate on this machine (timeouts with a callback): the ceiling;
* steady TCP traffic from a LAN machine to N published ports through Docker's
  DNAT and filter chains: frame-hops per second (a frame-hop is one frame
  sent out of one interface: a veth end, a bridge port, the LAN);
* ``netsim run`` on the port-mapping example, cold process start to exit.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import simpy  # noqa: E402

from netsim.dataplane.apps import install  # noqa: E402
from netsim.dataplane.engine import Simulation  # noqa: E402
from netsim.runner import run_world  # noqa: E402
from netsim.scenario.loader import load_scenario_text  # noqa: E402
from netsim.world import World, build_world  # noqa: E402


def simpy_event_rate(events: int = 300_000) -> float:
    """Return simpy timeouts-with-callback processed per second."""
    env = simpy.Environment()

    def nothing(_event: simpy.Event) -> None:
        return None

    started = time.perf_counter()
    for i in range(events):
        env.timeout(i * 1e-6).callbacks.append(nothing)
    env.run()
    return events / (time.perf_counter() - started)


def published_world(ports: int) -> World:
    """Return a world with ``ports`` nginx containers, each published on its own host port."""
    steps = "".join(
        f"  - docker run -d --name web{i} -p {20000 + i}:80 nginx\n" for i in range(ports)
    )
    text = f"name: bench\nmachines:\n  laptop: {{address: 192.168.1.20/24}}\nsteps:\n{steps}"
    world = build_world(load_scenario_text(text))
    run_world(world)
    return world


def steady_traffic(world: World, ports: int, segments: int) -> tuple[int, float, float]:
    """Open one connection per published port and push data; return (hops, seconds, sim s)."""
    sim = Simulation(world, rng=random.Random(7), record=False, capture=False)
    install(sim)
    laptop = sim.machines["laptop"]
    transport = sim.transport
    from ipaddress import IPv4Address

    host = IPv4Address("192.168.1.10")

    def client(port: int) -> Generator[simpy.Event, Any, None]:
        conn = transport.connect(laptop, host, port, "bench")
        assert not isinstance(conn, str)
        outcome = yield conn.outcome
        assert outcome == "open", outcome
        for _ in range(segments):
            transport.send(conn, b"x" * 100)
            yield sim.env.timeout(0.001)

    for i in range(ports):
        sim.env.process(client(20000 + i))
    started = time.perf_counter()
    sim.env.run()
    return sim.frames_sent, time.perf_counter() - started, sim.env.now


def cold_run() -> float:
    """Return the wall time of ``python -m netsim run scenarios/port-mapping.yaml``."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "netsim", "run", "scenarios/port-mapping.yaml"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", type=int, default=100)
    parser.add_argument("--segments", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="fewer ports and segments")
    args = parser.parse_args()
    ports, segments = (10, 10) if args.quick else (args.ports, args.segments)
    rows: list[tuple[str, str, str]] = []
    rate = simpy_event_rate()
    rows.append(("raw simpy events (ceiling)", f"{rate:,.0f} events/s", ""))
    started = time.perf_counter()
    world = published_world(ports)
    build = time.perf_counter() - started
    hops, seconds, simulated = steady_traffic(world, ports, segments)
    target = "target >= 100,000"
    rows.append(
        (
            f"steady TCP, {ports} published ports",
            f"{hops / seconds:,.0f} frame-hops/s",
            f"{hops:,} hops in {seconds:.2f} s ({hops / seconds / rate:.0%} of ceiling); {target}",
        )
    )
    rows.append(("  world build (docker run x N)", f"{build:.2f} s", ""))
    cold = cold_run()
    rows.append(("netsim run port-mapping (cold)", f"{cold:.3f} s", "target < 0.5 s"))
    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    print(f"{'benchmark':<{width}}  {'result':>{value}}  notes")
    print(f"{'-' * width}  {'-' * value}  -----")
    for name, result, note in rows:
        print(f"{name:<{width}}  {result:>{value}}  {note}")
    del simulated
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
