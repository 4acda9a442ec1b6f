"""Run many scenarios at once: on local processes, or on a Dask cluster given its address.

``netsim batch FILES... --out DIR`` turns every (file, engine) pair into a
``BatchJob`` and runs its task: ``run`` (the JSON result of ``netsim run
--json``), ``reach`` (the JSON of ``netsim reach --json``) or ``plot`` (the
pictures of ``netsim plot``). A job runs in a worker and hands back what it
wrote, as bytes, with one JSON line that says what happened; the caller
writes the files and the lines, in job order, so the output does not depend
on which worker ran what or when it finished: the same files on one process,
four processes or a cluster, byte for byte.

Dask distributed rather than Ray: Dask is pure Python and installs in
seconds with no daemon of its own (``pip install netsim[batch]``), a
``LocalCluster`` starts in-process for tests, and ``Client(ADDRESS)`` talks
to a scheduler a course or a docs site already runs (``dask scheduler`` +
``dask worker`` on each machine). Ray brings a compiled core, its own object
store and a much larger install for what is here a map over independent,
CPU-bound jobs with small results. Nothing in this module imports Dask
unless a scheduler address is given.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netsim.errors import NetsimError

TASKS = ("run", "reach", "plot")
# Told (jobs done, jobs in all) after each job.
BatchProgress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BatchJob:
    """One scenario file on one engine (None: the file's own), with the task to run."""

    index: int
    path: str
    engine: str | None
    task: str

    @property
    def stem(self) -> str:
        """Return the prefix of this job's output files: ``NNNN-FILESTEM-ENGINE``."""
        engine = self.engine or "default"
        return f"{self.index:04d}-{Path(self.path).stem}-{engine}"


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one job gave: its JSON line and the files it wrote (name relative to the output)."""

    job: BatchJob
    line: str
    files: tuple[tuple[str, bytes], ...]
    ok: bool
    passed: bool


def batch_jobs(
    paths: Sequence[str | Path], engines: Sequence[str | None], task: str
) -> tuple[BatchJob, ...]:
    """Return the jobs for every file on every engine, files first, in the order given.

    Raises:
        ValueError: an unknown task, or no file or engine.
    """
    if task not in TASKS:
        raise ValueError(f"batch: unknown task {task!r}, expected one of {', '.join(TASKS)}")
    if not paths or not engines:
        raise ValueError("batch: give at least one scenario file and one engine")
    jobs = [(str(path), engine) for path in paths for engine in engines]
    return tuple(BatchJob(i, path, engine, task) for i, (path, engine) in enumerate(jobs))


def run_job(job: BatchJob) -> BatchResult:
    """Run one job; a scenario that is invalid or fails is a result, never an exception."""
    # Imported here: a worker process loads what its task needs, and the
    # session and renderers load only when a job runs.
    from netsim.session import load_scenario

    line: dict[str, Any] = {"file": job.path, "engine": job.engine, "task": job.task}
    try:
        scenario = load_scenario(job.path)
        engine = job.engine or scenario.engine
        line.update(scenario=scenario.name, engine=engine)
        files, facts = _TASK_RUNNERS[job.task](scenario, engine, job.stem)
    except NetsimError as error:
        line.update(ok=False, error=str(error))
        return BatchResult(job, json.dumps(line, sort_keys=True), (), False, False)
    line.update(ok=True, **facts)
    line["outputs"] = {name: hashlib.sha256(data).hexdigest() for name, data in files}
    passed = bool(facts.get("passed", True))
    return BatchResult(job, json.dumps(line, sort_keys=True), files, True, passed)


def _run_task(
    scenario: Any, engine: str, stem: str
) -> tuple[tuple[tuple[str, bytes], ...], dict[str, Any]]:
    from netsim.render.transcript import format_json
    from netsim.session import replay

    run = replay(scenario, engine)
    data = format_json(run).encode("utf-8")
    facts = {"passed": run.passed, "steps": len(run.steps), "failed": len(run.failed)}
    return ((f"{stem}.run.json", data),), facts


def _reach_task(
    scenario: Any, engine: str, stem: str
) -> tuple[tuple[tuple[str, bytes], ...], dict[str, Any]]:
    from collections import Counter

    from netsim.render.reach import format_reach_json
    from netsim.session import reach

    _, matrix = reach(scenario, engine=engine)
    data = format_reach_json(matrix).encode("utf-8")
    # Counted from the matrix's codes (every row, in C): a large matrix's cells
    # are never built.
    classes, rows = matrix.coded()
    coded: Counter[int] = Counter()
    for row in rows:
        coded.update(row)
    counts: Counter[str] = Counter()
    for code, count in coded.items():
        counts[str(classes[code][0])] += count
    facts = {"cells": matrix.size, "results": dict(sorted(counts.items()))}
    return ((f"{stem}.reach.json", data),), facts


def _plot_task(
    scenario: Any, engine: str, stem: str
) -> tuple[tuple[tuple[str, bytes], ...], dict[str, Any]]:
    from netsim.render.plots import plot_all
    from netsim.session import pictures

    drawn = pictures(scenario, engine=engine)
    with tempfile.TemporaryDirectory(prefix="netsim-batch-") as scratch:
        written = plot_all(drawn, Path(scratch))
        files = tuple((f"{stem}/{path.name}", path.read_bytes()) for path in written)
    return files, {"pictures": len(files)}


_TASK_RUNNERS = {"run": _run_task, "reach": _reach_task, "plot": _plot_task}


def run_batch(
    jobs: Sequence[BatchJob],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: BatchProgress | None = None,
    connect_timeout: float = 30.0,  # Dask's own default; a loaded machine needs it
) -> Iterator[BatchResult]:
    """Yield every job's result in job order, running ``workers`` local processes or on Dask.

    ``workers`` 1 runs in this process. With ``scheduler`` (a Dask scheduler's
    address, or a ``distributed.Client``-compatible object's address such as
    a ``LocalCluster``'s), jobs go to that cluster's workers, which must be
    able to import netsim; ``workers`` is then ignored.
    """
    total = len(jobs)
    if scheduler is not None:
        yield from _on_dask(jobs, scheduler, progress, connect_timeout)
        return
    if workers <= 1:
        for done, job in enumerate(jobs, start=1):
            result = run_job(job)
            if progress is not None:
                progress(done, total)
            yield result
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_job, job) for job in jobs]
        yield from _in_order(futures, progress)


def _in_order(
    futures: Sequence[Future[BatchResult]], progress: BatchProgress | None
) -> Iterator[BatchResult]:
    """Yield results in submission order while telling progress as each one finishes."""
    done = 0
    total = len(futures)

    def finished(_future: Future[BatchResult]) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for future in futures:
        future.add_done_callback(finished)
    for future in futures:
        yield future.result()


def _on_dask(
    jobs: Sequence[BatchJob],
    scheduler: str,
    progress: BatchProgress | None,
    connect_timeout: float,
) -> Iterator[BatchResult]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise NetsimError(
            "netsim batch --scheduler needs Dask distributed: pip install 'netsim[batch]'"
        ) from None
    try:
        client = Client(scheduler, timeout=connect_timeout)  # type: ignore[no-untyped-call]
    except OSError as error:
        raise NetsimError(
            f"netsim batch: cannot reach the scheduler at {scheduler}: {error}"
        ) from None
    with client:
        futures = client.map(run_job, list(jobs), pure=False)
        results: dict[int, BatchResult] = {}
        finished = as_completed(futures)  # type: ignore[no-untyped-call]
        for done, future in enumerate(finished, start=1):
            result: BatchResult = future.result()
            results[result.job.index] = result
            if progress is not None:
                progress(done, len(jobs))
        for job in jobs:
            yield results[job.index]


def write_batch(
    results: Iterator[BatchResult], out_dir: Path, lines: Callable[[str], object]
) -> tuple[int, int, int]:
    """Write each result's files under ``out_dir`` and its line to ``results.jsonl`` and ``lines``.

    Returns (jobs, jobs that failed to run, runs whose expectations failed).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    count = errors = failed = 0
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as log:
        for result in results:
            for name, data in result.files:
                target = out_dir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            log.write(result.line + "\n")
            lines(result.line + "\n")
            count += 1
            errors += not result.ok
            failed += result.ok and not result.passed
    return count, errors, failed
