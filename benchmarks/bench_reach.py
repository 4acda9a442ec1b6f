"""Benchmark the reachability matrix at scale and check it against packet-level probes.

    python benchmarks/bench_reach.py [--containers 1000] [--networks 10] [--sample 10000]
                                     [--engine 28.5] [--jobs N] [--seed 0]

Builds a world through the Docker client API (``docker network create`` and
``docker run -d --name cN --network netK -p PORT:80 nginx``, no YAML): N
nginx containers spread over the user-defined networks, each publishing one
host port, and a LAN machine listening on 22/tcp. Prints two tables (timings
are printed, not asserted; tests check correctness):

1. the matrix by the flow evaluator: containers, networks, published ports,
   sources, destinations, pairs, seconds, pairs/s;
2. a random sample of cells answered one by one by packet-level probes
   (``probe.simulate_probe``, the seed the packet-level matrix would give the
   cell) against the flow matrix: result and served_by agree or not.
   Packet probes are slow on a world this size, so the sample runs in
   ``--jobs`` processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netsim.dataplane.probe import simulate_probe  # noqa: E402
from netsim.dataplane.reach import ReachCell, ReachMatrix, reach_matrix  # noqa: E402
from netsim.scenario.spec import ProbeProtocol, ProbeStep  # noqa: E402
from netsim.session import load_scenario_text, open_world  # noqa: E402
from netsim.world import World  # noqa: E402

BASE = """
name: bench-reach
machines:
  laptop: {address: 192.168.1.20/24, listen: [22/tcp]}
steps:
  - docker network ls
"""

_WORLD: World | None = None


def large_world(containers: int, networks: int, engine: str) -> World:
    """Return a world with ``containers`` nginx containers over ``networks`` networks."""
    world = open_world(load_scenario_text(BASE), engine=engine)  # the steps are not run
    client = world.client
    for k in range(networks):
        out = client.run(["docker", "network", "create", f"net{k}"])
        assert out.exit_code == 0, out.stderr
    for i in range(containers):
        argv = [
            "docker",
            "run",
            "-d",
            "--name",
            f"c{i}",
            "--network",
            f"net{i % networks}",
            "-p",
            f"{20000 + i}:80",
            "nginx",
        ]
        out = client.run(argv)
        assert out.exit_code == 0, out.stderr
    return world


def _packet_cell(job: tuple[int, str, str, int, str, int]) -> tuple[int, str | None, str | None]:
    """Answer one sampled cell by a packet-level probe (in a worker process)."""
    index, source, address, port, proto, seed = job
    assert _WORLD is not None
    step = ProbeStep(0, 0, source, address, port, cast(ProbeProtocol, proto))
    outcome = simulate_probe(_WORLD, step, record=False, rng=random.Random(seed))
    return index, outcome.result, outcome.served_by


def sample_jobs(
    matrix: ReachMatrix, size: int, seed: int, matrix_seed: int
) -> list[tuple[int, str, str, int, str, int]]:
    """Pick ``size`` cells at random, with the per-cell seeds ``reach_matrix`` draws."""
    rng = random.Random(matrix_seed)
    seeds = [rng.getrandbits(64) for _ in matrix.cells]
    picked = sorted(
        random.Random(seed).sample(range(len(matrix.cells)), min(size, len(matrix.cells)))
    )
    jobs = []
    for index in picked:
        cell = matrix.cells[index]
        destination = cell.destination
        jobs.append(
            (
                index,
                cell.source,
                str(destination.address),
                destination.port,
                destination.proto,
                seeds[index],
            )
        )
    return jobs


def table(rows: list[tuple[str, ...]]) -> str:
    """Return rows as an aligned text table (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build the world, time the matrix, compare a sample with packet probes; print tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=1000)
    parser.add_argument("--networks", type=int, default=10)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--engine", default="28.5")
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    global _WORLD
    started = time.perf_counter()
    world = large_world(args.containers, args.networks, args.engine)
    built = time.perf_counter() - started
    started = time.perf_counter()
    matrix = reach_matrix(world, seed=args.seed)
    seconds = time.perf_counter() - started
    pairs = len(matrix.cells)
    print(
        f"reachability matrix by the flow evaluator (engine {args.engine}; "
        f"world built in {built:.1f} s)"
    )
    print(
        table(
            [
                (
                    "containers",
                    "networks",
                    "published",
                    "sources",
                    "destinations",
                    "pairs",
                    "seconds",
                    "pairs/s",
                ),
                (
                    str(args.containers),
                    str(args.networks),
                    str(args.containers),
                    str(len(matrix.sources)),
                    str(len(matrix.destinations)),
                    str(pairs),
                    f"{seconds:.2f}",
                    f"{pairs / seconds:,.0f}",
                ),
            ]
        )
    )
    results: dict[str, int] = {}
    for cell in matrix.cells:
        results[str(cell.result)] = results.get(str(cell.result), 0) + 1
    print("cells by result: " + ", ".join(f"{k} {v}" for k, v in sorted(results.items())))
    print()

    jobs = sample_jobs(matrix, args.sample, args.seed + 1, args.seed)
    _WORLD = world
    started = time.perf_counter()
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            answers = pool.map(_packet_cell, jobs, chunksize=50)
    else:
        answers = [_packet_cell(job) for job in jobs]
    packet_seconds = time.perf_counter() - started
    agree = 0
    disagreements: list[tuple[ReachCell, str | None, str | None]] = []
    for index, result, served_by in answers:
        cell = matrix.cells[index]
        if (cell.result, cell.served_by) == (result, served_by):
            agree += 1
        else:
            disagreements.append((cell, result, served_by))
    sampled = len(answers)
    print(
        f"sample: {sampled} random cells answered by packet-level probes "
        f"({args.jobs} processes, {packet_seconds:.0f} s)"
    )
    print(
        table(
            [
                ("sampled", "agree", "disagree", "agreement"),
                (str(sampled), str(agree), str(sampled - agree), f"{100 * agree / sampled:.2f}%"),
            ]
        )
    )
    for cell, result, served_by in disagreements[:20]:
        print(
            f"  {cell.source} -> {cell.destination.target}: flow {cell.result}/"
            f"{cell.served_by}, packets {result}/{served_by}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
