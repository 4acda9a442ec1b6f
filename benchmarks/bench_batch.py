"""Benchmark ``netsim batch`` over many scenario files on 1, 2 and 4 local workers; print a table.

    python benchmarks/bench_batch.py [--files 300] [--task run] [--workers 1,2,4] [--cluster]

The files are copies of the scenarios in scenarios/ (round robin), as a
course grading 300 submissions would have. Each row runs the whole batch
with that many local processes and prints wall seconds, files per second
and the speed-up over one worker; every row must give the same results.jsonl
(checked, printed as "same"). ``--cluster`` adds a row on a Dask
LocalCluster of two worker processes.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netsim.batch import batch_jobs, run_batch, write_batch  # noqa: E402


def make_files(count: int, into: Path) -> list[Path]:
    """Copy the example scenarios into ``into`` until there are ``count`` files."""
    sources = sorted((ROOT / "scenarios").glob("*.yaml"))
    files = []
    for i in range(count):
        target = into / f"sub{i:04d}-{sources[i % len(sources)].name}"
        shutil.copyfile(sources[i % len(sources)], target)
        files.append(target)
    return files


def timed(
    files: list[Path], task: str, workers: int, out: Path, scheduler: str | None = None
) -> tuple[float, str]:
    """Return (wall seconds, sha256 of results.jsonl) of one batch."""
    jobs = batch_jobs(files, [None], task)
    started = time.perf_counter()
    write_batch(run_batch(jobs, workers=workers, scheduler=scheduler), out, lambda _: None)
    seconds = time.perf_counter() - started
    return seconds, hashlib.sha256((out / "results.jsonl").read_bytes()).hexdigest()


def main() -> int:
    """Run the batches and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--task", default="run", choices=("run", "reach", "plot"))
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--cluster", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        files = make_files(args.files, Path(scratch))
        rows = []
        for workers in (int(w) for w in args.workers.split(",")):
            seconds, digest = timed(files, args.task, workers, Path(scratch) / f"out{workers}")
            rows.append((f"{workers} local worker(s)", seconds, digest))
        if args.cluster:
            from dask.distributed import LocalCluster

            with LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                seconds, digest = timed(
                    files, args.task, 1, Path(scratch) / "cluster", cluster.scheduler_address
                )
            rows.append(("Dask LocalCluster, 2 workers", seconds, digest))
    base = rows[0][1]
    print(f"netsim batch --task {args.task} over {args.files} files")
    print(f"{'workers':<30}  {'wall s':>7}  {'files/s':>7}  {'speed-up':>8}  results.jsonl")
    for name, seconds, digest in rows:
        same = "same" if digest == rows[0][2] else "DIFFERENT"
        print(
            f"{name:<30}  {seconds:>7.2f}  {args.files / seconds:>7.1f}  "
            f"{base / seconds:>8.2f}  {same}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
