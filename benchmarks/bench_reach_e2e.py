"""Benchmark ``netsim reach FILE --json OUT`` end to end and check a sample against packet probes.

    python benchmarks/bench_reach_e2e.py [--sizes 1000] [--networks 10] [--sample 100] [--shards N]

For each size, writes the scale scenario (``benchmarks/scale_scenario.py``),
runs ``python -m netsim reach FILE --json OUT`` as a user would (process
start to exit, replay included; with ``--shards N``, N worker processes
that each replay) and prints wall seconds, the CPU seconds of the child and
its workers, the cells, the JSON form and its size. Then it reads the JSON back
(``read_reach_json``; a compact document's rows only where a sampled cell
is), replays the file once more in this process and sends ``--sample``
random cells as packet-level probes, each with the seed the packet-level
matrix gives that cell, and prints how many agree with the flow answer
(result and served_by).
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
from collections.abc import Callable
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale_scenario import scale_scenario  # noqa: E402

from netsim.dataplane.probe import simulate_probe  # noqa: E402
from netsim.results.reach import Destination, read_reach_json  # noqa: E402
from netsim.scenario.spec import ProbeProtocol, ProbeStep  # noqa: E402
from netsim.session import Session, load_scenario  # noqa: E402

TARGETS = {1000: 5.0, 10000: 60.0}


def children_cpu() -> float:
    """Return the CPU seconds the finished child processes used so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_cells(
    text: str,
) -> tuple[str, list[str], list[Destination], Callable[[int], tuple[str | None, str | None]]]:
    """Return the form, sources, destinations and a cell's (result, served_by) by row-major index.

    The contract's form is read with ``read_reach_json``. The compact form's
    rows are read only where a sampled cell is: at 10,000 containers its 200
    million codes as Python lists would not fit in memory. Each row of codes
    is one line of the document (``format_reach_json``).
    """
    marker = ',\n  "codes": [\n'
    if marker not in text:
        matrix = read_reach_json(json.loads(text))
        cells = matrix.cells
        return (
            "compact" if '"codes"' in text else "cells",
            list(matrix.sources),
            list(matrix.destinations),
            lambda index: (cells[index].result, cells[index].served_by),
        )
    head_end = text.index(marker)
    head = json.loads(text[:head_end] + "\n}")
    sources = head["sources"]
    destinations = [Destination.from_target(d["label"], d["target"]) for d in head["destinations"]]
    classes = [(c["result"], c["served_by"]) for c in head["classes"]]
    lines = text[head_end + len(marker) :].split("\n")
    width = len(destinations)

    def answer(index: int) -> tuple[str | None, str | None]:
        row = json.loads(lines[index // width].strip().rstrip(","))
        return classes[row[index % width]]

    return "compact", sources, destinations, answer


def cell_seeds(chosen: list[int], width: int) -> list[int]:
    """Return the packet-level matrix's seed of each chosen cell (sorted row-major indexes).

    Seed 0's generator gives every cell 64 bits in row-major order; a row's
    bits are drawn at once (the same numbers, as the flow evaluator draws
    them) and only the chosen cells' are read.
    """
    rng = random.Random(0)
    seeds: list[int] = []
    row_number = -1
    bits = b""
    for index in chosen:
        row, column = divmod(index, width)
        while row_number < row:
            bits = rng.getrandbits(width * 64).to_bytes(width * 8, "little")
            row_number += 1
        seeds.append(int.from_bytes(bits[column * 8 : column * 8 + 8], "little"))
    return seeds


def main() -> int:
    """Run the sizes and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--networks", type=int, default=10)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument(
        "--shards", type=int, default=1, help="pass --shards N to netsim reach (N processes)"
    )
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
                [sys.executable, "-m", "netsim", "reach", str(path), "--json", str(out)]
                + (["--shards", str(args.shards)] if args.shards > 1 else []),
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            wall = time.perf_counter() - started
            cpu = children_cpu() - cpu
            megabytes = out.stat().st_size / 1e6
            text = out.read_text()
            form, sources, destinations, answer = read_cells(text)
            cells = len(sources) * len(destinations)
            agree = sampled = 0
            if args.sample:
                session = Session(load_scenario(path))
                session.replay(probes=False)
                chosen = sorted(random.Random(1).sample(range(cells), min(args.sample, cells)))
                for index, seed in zip(chosen, cell_seeds(chosen, len(destinations)), strict=True):
                    source = sources[index // len(destinations)]
                    d = destinations[index % len(destinations)]
                    step = ProbeStep(
                        0, 0, source, str(d.address), d.port, cast(ProbeProtocol, d.proto)
                    )
                    outcome = simulate_probe(
                        session.world, step, record=False, rng=random.Random(seed)
                    )
                    sampled += 1
                    agree += (outcome.result, outcome.served_by) == answer(index)
        target = TARGETS.get(size)
        verdict = (
            ""
            if target is None
            else f"<= {target:g} s: {'met' if wall <= target else 'NOT met'} "
            f"(CPU: {'met' if cpu <= target else 'NOT met'})"
        )
        print(
            f"{size:>10,}  {wall:>7.1f}  {cpu:>6.1f}  {cells:>12,}  {form:<8}  "
            f"{megabytes:>6.1f}  {f'{agree}/{sampled}':>13}  {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
