"""Benchmark replaying ``docker run -p`` lines and print a table (issue 12, "Linear replay").

    python benchmarks/bench_replay.py [--sizes 1000,5000,10000] [--networks 10] [--profile N]

For each size N, replays the scale scenario (``benchmarks/scale_scenario.py``:
N ``docker run -d --network netK -p PORT:80 nginx`` lines on 10 networks)
with ``replay_world(probes=False)`` and prints the total, the seconds per
1,000 runs over the whole file and over its last 1,000 lines (flat when
the per-command work does not grow with the world). A second table times
``docker run -p 1-65535:80`` style requests with dynamic host ports on a
fresh world. ``--profile N`` prints the top of a cProfile of size N instead.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale_scenario import scale_scenario  # noqa: E402

from netsim.session import load_scenario_text, open_world, replay_world  # noqa: E402

TARGETS = {1000: 1.0, 10000: 10.0}
DYNAMIC = (
    "docker run -d --name wide -p 1-65535 nginx",
    "docker run -d --name wide -p 80 -p 1-65535:80 nginx",
    "docker run -d --name wide -p 0.0.0.0::80 -p 1-28300 nginx",
)


def replay_times(containers: int, networks: int) -> tuple[float, float, float]:
    """Return (wall s of the whole replay, wall s of its last 1,000 runs, CPU s of the whole)."""
    world = open_world(load_scenario_text(scale_scenario(containers, networks)))
    marks: dict[int, float] = {}
    last = networks + containers - 1
    tail_start = max(networks, last - 999)

    def progress(index: int, _total: int, _record: object) -> None:
        if index in (tail_start - 1, last):
            marks[index] = time.perf_counter()

    gc.collect()
    started = time.perf_counter()
    cpu = time.process_time()
    replay_world(world, probes=False, progress=progress)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu
    tail = marks[last] - marks.get(tail_start - 1, started)
    return total, tail, cpu


def dynamic_time(command: str) -> tuple[float, float, int, str]:
    """Return (wall s, CPU s, exit code, first line of output) of one dynamic-port command."""
    text = f"name: wide\nsteps:\n  - {command}\n"
    world = open_world(load_scenario_text(text))
    gc.collect()  # the replays before leave garbage whose collection is not this command's
    started = time.perf_counter()
    cpu = time.process_time()
    out = world.client.run(command.split())
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    first = (out.stderr if out.exit_code else out.stdout).strip().splitlines()
    return seconds, cpu, out.exit_code, (first[0][-70:] if first else "")


def main() -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--networks", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, help="profile a replay of this size")
    args = parser.parse_args()
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        replay_times(args.profile, args.networks)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return 0
    print(
        f"{'containers':>10}  {'replay s':>9}  {'CPU s':>7}  {'s/1k (all)':>10}  "
        f"{'s/1k (last)':>11}  target (wall; CPU where the machine is shared)"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        total, tail, cpu = replay_times(size, args.networks)
        target = TARGETS.get(size)
        verdict = (
            ""
            if target is None
            else f"<= {target:g} s: {'met' if total <= target else 'NOT met'} "
            f"(CPU: {'met' if cpu <= target else 'NOT met'})"
        )
        print(
            f"{size:>10,}  {total:>9.2f}  {cpu:>7.2f}  {total / size * 1000:>10.3f}  "
            f"{tail:>11.3f}  {verdict}"
        )
    print()
    print(f"{'dynamic host ports':<58}  {'wall s':>6}  {'CPU s':>6}  exit  output")
    for command in DYNAMIC:
        seconds, cpu, code, first = dynamic_time(command)
        print(f"{command:<58}  {seconds:>6.3f}  {cpu:>6.3f}  {code:>4}  {first}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
