"""Run many scenarios at once: on local processes, or on a Dask cluster given its address.

``netsim batch FILES... --out DIR`` turns every (file, engine) pair into a
``BatchJob`` and runs its task: ``run`` (the JSON result of ``netsim run
--json``), ``reach`` (the JSON of ``netsim reach --json``), ``plot`` (the
pictures of ``netsim plot``) or ``grade`` (each file graded against one
reference, the text and JSON of ``netsim grade REFERENCE FILE``). A job runs
in a worker and hands back what it wrote, as bytes, with one JSON line that
says what happened; the caller writes the files and the lines, in job order,
so the output does not depend on which worker ran what or when it finished:
the same files on one process, four processes or a cluster, byte for byte.

Dask distributed rather than Ray: Dask is pure Python and installs in
seconds with no daemon of its own (``pip install netsim[batch]``), a
``LocalCluster`` starts in-process for tests, and ``Client(ADDRESS)`` talks
to a scheduler a course or a docs site already runs (``dask scheduler`` +
``dask worker`` on each machine). Ray brings a compiled core, its own object
store and a much larger install for what is here a map over independent,
CPU-bound jobs with small results. Nothing in this module imports Dask
unless a scheduler address is given.

A large ``netsim reach`` shards its sources the same way
(``reach_sharded``): each shard replays the scenario in its worker, answers
its slice of the sources (``reach_matrix(rows=...)``) and hands back its
rows of codes; the caller joins them in order (``ReachMatrix.joined``), and
the matrix, its text and its JSON are the unsharded run's, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from netsim.errors import NetsimError

if TYPE_CHECKING:
    from netsim.results.reach import Answer, Destination, ReachMatrix

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

TASKS = ("run", "reach", "plot", "grade")
# Told (jobs done, jobs in all) after each job.
BatchProgress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BatchJob:
    """One scenario file on one engine (None: the file's own), with the task to run.

    ``reference`` is the scenario a ``grade`` job grades the file against.
    """

    index: int
    path: str
    engine: str | None
    task: str
    reference: str | None = None

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
    paths: Sequence[str | Path],
    engines: Sequence[str | None],
    task: str,
    reference: str | Path | None = None,
) -> tuple[BatchJob, ...]:
    """Return the jobs for every file on every engine, files first, in the order given.

    Raises:
        ValueError: an unknown task, no file or engine, or a reference missing
            for ``grade`` or given for another task.
    """
    if task not in TASKS:
        raise ValueError(f"batch: unknown task {task!r}, expected one of {', '.join(TASKS)}")
    if not paths or not engines:
        raise ValueError("batch: give at least one scenario file and one engine")
    if (task == "grade") != (reference is not None):
        raise ValueError("batch: --reference REFERENCE goes with --task grade, and only with it")
    jobs = [(str(path), engine) for path in paths for engine in engines]
    against = None if reference is None else str(reference)
    return tuple(BatchJob(i, path, engine, task, against) for i, (path, engine) in enumerate(jobs))


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
        files, facts = _TASK_RUNNERS[job.task](scenario, engine, job)
    except NetsimError as error:
        line.update(ok=False, error=str(error))
        return BatchResult(job, json.dumps(line, sort_keys=True), (), False, False)
    line.update(ok=True, **facts)
    line["outputs"] = {name: hashlib.sha256(data).hexdigest() for name, data in files}
    passed = bool(facts.get("passed", True))
    return BatchResult(job, json.dumps(line, sort_keys=True), files, True, passed)


def _run_task(
    scenario: Any, engine: str, job: BatchJob
) -> tuple[tuple[tuple[str, bytes], ...], dict[str, Any]]:
    from netsim.render.transcript import format_json
    from netsim.session import replay

    run = replay(scenario, engine)
    data = format_json(run).encode("utf-8")
    facts = {"passed": run.passed, "steps": len(run.steps), "failed": len(run.failed)}
    return ((f"{job.stem}.run.json", data),), facts


def _reach_task(
    scenario: Any, engine: str, job: BatchJob
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
    return ((f"{job.stem}.reach.json", data),), facts


def _plot_task(
    scenario: Any, engine: str, job: BatchJob
) -> tuple[tuple[tuple[str, bytes], ...], dict[str, Any]]:
    from netsim.render.plots import plot_all
    from netsim.session import pictures

    drawn = pictures(scenario, engine=engine)
    with tempfile.TemporaryDirectory(prefix="netsim-batch-") as scratch:
        written = plot_all(drawn, Path(scratch))
        files = tuple((f"{job.stem}/{path.name}", path.read_bytes()) for path in written)
    return files, {"pictures": len(files)}


def _grade_task(
    scenario: Any, engine: str, job: BatchJob
) -> tuple[tuple[tuple[str, bytes], ...], dict[str, Any]]:
    from netsim.render.grade import format_comparison, format_comparison_json
    from netsim.session import load_scenario
    from netsim.session.grade import compare

    assert job.reference is not None  # batch_jobs gives every grade job its reference
    reference = load_scenario(job.reference)
    comparison = compare(reference, scenario, engine=engine)
    text = format_comparison(comparison, ("reference", "student")).encode("utf-8")
    data = format_comparison_json(comparison).encode("utf-8")
    facts = {
        "passed": comparison.passed,
        "differences": comparison.differences,
        "reference": reference.name,
    }
    return ((f"{job.stem}.grade.txt", text), (f"{job.stem}.grade.json", data)), facts


_TASK_RUNNERS = {"run": _run_task, "reach": _reach_task, "plot": _plot_task, "grade": _grade_task}


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
    yield from _map_in_order(run_job, jobs, workers, scheduler, progress, connect_timeout)


@dataclass(frozen=True, slots=True)
class ReachShard:
    """One slice of a ``reach``'s sources: shard ``index`` of ``shards``, on one engine."""

    path: str
    engine: str | None
    seed: int
    index: int
    shards: int


# What a shard hands back: its sources, the destinations, its distinct answers
# and its rows of codes as bytes (unsigned 32-bit, native order).
ShardRows = tuple[
    tuple[str, ...], tuple["Destination", ...], tuple["Answer", ...], tuple[bytes, ...]
]


def run_reach_shard(shard: ReachShard) -> ShardRows:
    """Replay the scenario and answer this shard's slice of the sources.

    The sources (as many as the replay leaves) are cut into ``shards``
    slices of nearly equal size, in order; shard ``index`` answers slice
    ``index``.
    """
    from netsim.dataplane.reach import sources_of
    from netsim.session import Session, load_scenario

    session = Session(load_scenario(shard.path), engine=shard.engine, seed=shard.seed)
    session.replay(probes=False)
    count = len(sources_of(session.world))
    start = count * shard.index // shard.shards
    stop = count * (shard.index + 1) // shard.shards
    matrix = session.reach(rows=range(start, stop))
    classes, rows = matrix.coded()
    return matrix.sources, matrix.destinations, classes, tuple(row.tobytes() for row in rows)


def reach_sharded(
    path: str | Path,
    shards: int,
    *,
    engine: str | None = None,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    progress: BatchProgress | None = None,
    connect_timeout: float = 30.0,
) -> ReachMatrix:
    """Return a scenario's reachability matrix answered in ``shards`` slices of its sources.

    The slices run on ``workers`` local processes (1: this process, one
    after another) or on the Dask cluster at ``scheduler``; each worker
    replays the scenario itself. The matrix equals ``netsim.session.reach``'s.

    Raises:
        ValueError: ``shards`` below 1.
        NetsimError: the scenario is invalid, or the scheduler cannot be reached.
    """
    from array import array

    from netsim.results.reach import ReachMatrix

    if shards < 1:
        raise ValueError(f"reach: shards must be 1 or more, got {shards}")
    jobs = [ReachShard(str(path), engine, seed, index, shards) for index in range(shards)]
    parts = []
    for sources, destinations, classes, rows in _map_in_order(
        run_reach_shard, jobs, workers, scheduler, progress, connect_timeout
    ):
        codes = []
        for data in rows:
            row = array("I")
            row.frombytes(data)
            codes.append(row)
        parts.append(ReachMatrix.from_codes(sources, destinations, classes, codes))
    return ReachMatrix.joined(parts)


def _map_in_order(
    function: Callable[[_Item], _Result],
    items: Sequence[_Item],
    workers: int,
    scheduler: str | None,
    progress: BatchProgress | None,
    connect_timeout: float,
) -> Iterator[_Result]:
    """Yield ``function(item)`` for every item, in order, on this process, a pool or Dask."""
    total = len(items)
    if scheduler is not None:
        yield from _on_dask(function, items, scheduler, progress, connect_timeout)
        return
    if workers <= 1:
        for done, item in enumerate(items, start=1):
            result = function(item)
            if progress is not None:
                progress(done, total)
            yield result
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(function, item) for item in items]
        yield from _in_order(futures, progress)


def _in_order(
    futures: Sequence[Future[_Result]], progress: BatchProgress | None
) -> Iterator[_Result]:
    """Yield results in submission order while telling progress as each one finishes."""
    done = 0
    total = len(futures)

    def finished(_future: Future[_Result]) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for future in futures:
        future.add_done_callback(finished)
    for future in futures:
        yield future.result()


def _on_dask(
    function: Callable[[_Item], _Result],
    items: Sequence[_Item],
    scheduler: str,
    progress: BatchProgress | None,
    connect_timeout: float,
) -> Iterator[_Result]:
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
        futures = client.map(function, list(items), pure=False)
        position = {future.key: index for index, future in enumerate(futures)}
        results: dict[int, _Result] = {}
        finished = as_completed(futures)  # type: ignore[no-untyped-call]
        for done, future in enumerate(finished, start=1):
            results[position[future.key]] = future.result()
            if progress is not None:
                progress(done, len(items))
        for index in range(len(items)):
            yield results[index]


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
