"""Benchmark ``netsim reach FILE --json OUT`` end to end and check a sample against packet probes.

    python benchmarks/bench_reach_e2e.py [--sizes 1000] [--networks 10] [--sample 100]

For each size, writes the scale scenario (``benchmarks/scale_scenario.py``),
runs ``python -m netsim reach FILE --json OUT`` as a user would (process
start to exit, replay included) and prints wall seconds, the child's CPU
seconds, the cells, the JSON form and its size. Then it reads the JSON back
(``read_reach_json``), replays the file once more in this process and sends
``--sample`` random cells as packet-level probes, each with the seed the
packet-level matrix gives that cell, and prints how many agree with the
flow answer (result and served_by).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale_scenario import scale_scenario  # noqa: E402

from netsim.dataplane.probe import simulate_probe  # noqa: E402
from netsim.results.reach import read_reach_json  # noqa: E402
from netsim.scenario.spec import ProbeProtocol, ProbeStep  # noqa: E402
from netsim.session import Session, load_scenario  # noqa: E402

TARGETS = {1000: 5.0, 10000: 60.0}


def children_cpu() -> float:
    """Return the CPU seconds the finished child processes used so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    """Run the sizes and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--networks", type=int, default=10)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    print(
        f"{'containers':>10}  {'wall s':>7}  {'CPU s':>6}  {'cells':>12}  {'form':<8}  "
        f"{'MB':>6}  {'sample agrees':>13}  target"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / f"scale-{size}.yaml"
            path.write_text(scale_scenario(size, args.networks))
            out = Path(scratch) / "reach.json"
            cpu = children_cpu()
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "netsim", "reach", str(path), "--json", str(out)],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            wall = time.perf_counter() - started
            cpu = children_cpu() - cpu
            data = json.loads(out.read_text())
            megabytes = out.stat().st_size / 1e6
            matrix = read_reach_json(data)
            agree = sampled = 0
            if args.sample:
                session = Session(load_scenario(path))
                session.replay(probes=False)
                rng = random.Random(0)
                seeds = [rng.getrandbits(64) for _ in matrix.cells]
                for index in random.Random(1).sample(range(len(matrix.cells)), args.sample):
                    cell = matrix.cells[index]
                    d = cell.destination
                    step = ProbeStep(
                        0, 0, cell.source, str(d.address), d.port, cast(ProbeProtocol, d.proto)
                    )
                    outcome = simulate_probe(
                        session.world, step, record=False, rng=random.Random(seeds[index])
                    )
                    sampled += 1
                    agree += (outcome.result, outcome.served_by) == (cell.result, cell.served_by)
        target = TARGETS.get(size)
        verdict = (
            "" if target is None else f"<= {target:g} s: {'met' if wall <= target else 'NOT met'}"
        )
        form = "compact" if "codes" in data else "cells"
        print(
            f"{size:>10,}  {wall:>7.1f}  {cpu:>6.1f}  {len(matrix.cells):>12,}  {form:<8}  "
            f"{megabytes:>6.1f}  {f'{agree}/{sampled}':>13}  {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
