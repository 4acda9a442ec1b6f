"""Benchmark the data plane and print a table (issue 3, "Speed").

    python benchmarks/bench_dataplane.py [--ports 100] [--segments 40] [--repeat 5] [--quick]

Rows:
* raw simpy event rate on this machine (timeouts with a callback): the ceiling
  a one-event-per-hop engine could reach;
* steady TCP traffic from a LAN machine to N published ports through Docker's
  DNAT and filter chains, in frame-hops per second of wall time on one core;
* ``netsim run`` on the port-mapping example, cold process start to exit: as
  the environment runs it (here PYTHONDONTWRITEBYTECODE=1, so every module is
  compiled on every start) and with a bytecode cache, as an installed package
  runs (the cache goes to a temporary PYTHONPYCACHEPREFIX, not the tree).

A *frame-hop* is one frame sent out of one interface toward the next device:
one crossing of a veth (either end), one bridge port the bridge sends it out
of (each port of a flood counts), the host writing it to a bridge device, or
the LAN. It is ``Simulation.frames_sent``: every call of ``transmit``, ARP
included, counted before any drop. Connection set-up (ARP, handshakes) is
part of the run, as in real traffic.

Each timed row runs ``--repeat`` times (a fresh simulation each time, after a
``gc.collect()``) and shows the median, with the best in the notes: this
machine is shared, so single runs swing by tens of percent. The simpy ceiling
and the TCP traffic are measured in turns (ceiling, traffic, ceiling,
traffic, ...) in this one process, and the share of the ceiling is the median
of each turn's own ratio: a burst of load from other processes then slows
both sides of the same ratio instead of one row alone (issue 12 asks for at
least ``TARGET_SHARE`` of the ceiling). The same share is also shown in CPU
time (``time.process_time`` on both sides), which other processes disturb less.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Generator
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import simpy  # noqa: E402

from netsim.dataplane.apps import install  # noqa: E402
from netsim.dataplane.engine import Simulation  # noqa: E402
from netsim.session import load_scenario_text, open_world, replay_world  # noqa: E402
from netsim.world import World  # noqa: E402

TARGET_HOPS = 100_000
TARGET_SHARE = 0.15
TARGET_COLD = 0.5


def simpy_event_rate(events: int = 300_000, in_flight: int = 1_000) -> tuple[float, float]:
    """Return simpy timeouts-with-callback processed per wall and per CPU second, steadily.

    ``in_flight`` timeouts are pending at any time (each one's callback
    schedules the next), as in a running simulation: queueing all ``events``
    at once would measure a 300,000-entry heap instead (about half the rate).
    """
    env = simpy.Environment()
    left = events - in_flight

    def again(_event: simpy.Event) -> None:
        nonlocal left
        if left > 0:
            left -= 1
            env.timeout(1e-6).callbacks.append(again)

    gc.collect()
    started = time.perf_counter()
    cpu = time.process_time()
    for i in range(in_flight):
        env.timeout(i * 1e-9).callbacks.append(again)
    env.run()
    return events / (time.perf_counter() - started), events / (time.process_time() - cpu)


def published_world(ports: int) -> World:
    """Return a world with ``ports`` nginx containers, each published on its own host port."""
    steps = "".join(
        f"  - docker run -d --name web{i} -p {20000 + i}:80 nginx\n" for i in range(ports)
    )
    text = f"name: bench\nmachines:\n  laptop: {{address: 192.168.1.20/24}}\nsteps:\n{steps}"
    world = open_world(load_scenario_text(text))
    replay_world(world)
    return world


def steady_traffic(world: World, ports: int, segments: int) -> tuple[int, float, float]:
    """Open one connection per published port and push data; return (hops, seconds, sim s)."""
    hops, seconds, simulated, _, _ = _traffic(world, ports, segments)
    return hops, seconds, simulated


def _traffic(
    world: World, ports: int, segments: int
) -> tuple[int, float, float, Simulation, float]:
    """Return (hops, wall seconds, simulated seconds, the simulation, CPU seconds)."""
    sim = Simulation(world, rng=random.Random(7), record=False, capture=False)
    install(sim)
    laptop = sim.machines["laptop"]
    transport = sim.transport
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
    gc.collect()
    started = time.perf_counter()
    cpu = time.process_time()
    sim.env.run()
    cpu = time.process_time() - cpu
    return sim.frames_sent, time.perf_counter() - started, sim.env.now, sim, cpu


def cold_run(runs: int = 10, *, bytecode_cache: str | None = None) -> list[float]:
    """Return the wall times of ``python -m netsim run scenarios/port-mapping.yaml``.

    With ``bytecode_cache`` (a directory), compiled modules are kept there, as an
    installed package has them, and a first untimed run fills it; without, the
    environment decides (``PYTHONDONTWRITEBYTECODE`` makes every run compile).
    """
    env = dict(os.environ)
    command = [sys.executable, "-m", "netsim", "run", "scenarios/port-mapping.yaml"]
    if bytecode_cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode_cache
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"netsim run failed: {done.stderr.decode(errors='replace')}")
    return times


def main() -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", type=int, default=100)
    parser.add_argument("--segments", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per row")
    parser.add_argument("--cold-runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="fewer ports and segments")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start rows")
    args = parser.parse_args()
    ports, segments = (10, 10) if args.quick else (args.ports, args.segments)
    repeat = max(1, args.repeat)
    rows: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    world = published_world(ports)
    build = time.perf_counter() - started
    # Interleaved: each turn measures the ceiling, then the traffic, and keeps
    # their ratio; one warm-up turn first (caches, the allocator) is not kept.
    simpy_event_rate(30_000)
    _traffic(world, ports, 2)
    rates: list[float] = []
    runs = []
    shares: list[float] = []
    cpu_shares: list[float] = []
    for _ in range(repeat):
        wall_rate, cpu_rate = simpy_event_rate()
        rates.append(wall_rate)
        runs.append(_traffic(world, ports, segments))
        hops, seconds, _, _, cpu = runs[-1]
        shares.append(hops / seconds / wall_rate)
        cpu_shares.append(hops / cpu / cpu_rate)
    ceiling = statistics.median(rates)
    rows.append(
        (
            "raw simpy events (ceiling)",
            f"{ceiling:,.0f} events/s",
            f"one event per hop could reach this; best {max(rates):,.0f}",
        )
    )
    hop_rates = [hops / seconds for hops, seconds, _, _, _ in runs]
    hops, _, simulated, sim, _ = runs[0]
    rate = statistics.median(hop_rates)
    verdict = "met" if rate >= TARGET_HOPS else "NOT met"
    share = statistics.median(shares)
    rows.append(
        (
            f"steady TCP, {ports} published ports",
            f"{rate:,.0f} frame-hops/s",
            f"target >= {TARGET_HOPS:,}: {verdict}; best {max(hop_rates):,.0f}",
        )
    )
    rows.append(
        (
            "  share of the simpy ceiling",
            f"{share:.1%}",
            f"target >= {TARGET_SHARE:.0%}: {'met' if share >= TARGET_SHARE else 'NOT met'}; "
            f"median of {repeat} interleaved turns, each its own ratio "
            f"({min(shares):.1%}-{max(shares):.1%})",
        )
    )
    rows.append(
        (
            "  the same in CPU time",
            f"{statistics.median(cpu_shares):.1%}",
            "each side's time.process_time (other processes on the machine count less); "
            f"{min(cpu_shares):.1%}-{max(cpu_shares):.1%}",
        )
    )
    env = sim.env
    rows.append(
        (
            "  per run",
            f"{hops:,} frame-hops",
            f"{simulated:.3f} simulated s; {env.arrivals:,} link arrivals "
            f"in {env.batches:,} simpy events",
        )
    )
    rows.append(("  world build (docker run x N)", f"{build:.2f} s", ""))
    compiled = "no .pyc" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "as configured"
    with tempfile.TemporaryDirectory() as cache:
        for label, times in (
            ()
            if args.no_cold
            else (
                (f"netsim run port-mapping (cold, {compiled})", cold_run(args.cold_runs)),
                (
                    "netsim run port-mapping (cold, .pyc)",
                    cold_run(args.cold_runs, bytecode_cache=cache),
                ),
            )
        ):
            cold = statistics.median(times)
            verdict = "met" if cold < TARGET_COLD else "NOT met"
            rows.append(
                (
                    label,
                    f"{cold:.3f} s",
                    f"target < {TARGET_COLD} s: {verdict}; median of {len(times)}, "
                    f"best {min(times):.3f}, worst {max(times):.3f}",
                )
            )
    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    print(f"{'benchmark':<{width}}  {'result':>{value}}  notes")
    print(f"{'-' * width}  {'-' * value}  -----")
    for name, result, note in rows:
        print(f"{name:<{width}}  {result:>{value}}  {note}")
    print(
        "\nframe-hop: one frame sent out of one interface (a veth end, each port a bridge "
        "sends it out of,\nthe host writing to a bridge, the LAN); ARP and handshakes included."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
