"""Replay many scenarios on the real engines, several at once, in worker processes.

Each replay builds its own world (namespaces named by the worker's pid, its
own dockerd, containerd and work folder; netsim/verify/world.py), so replays
in different processes do not see each other. Most of a replay's time is
spent waiting (a daemon starting, a probe timing out), so a few workers
finish a long list far sooner than one process replaying in turn.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from netsim.errors import NetsimError, VerifyError
from netsim.session import load_scenario
from netsim.verify.replay import replay_scenario

# Two cores: three replays at once keep them busy while others wait.
DEFAULT_JOBS = 3


def _worker_start() -> None:
    """Make SIGTERM unwind a worker's replay, so its world is torn down (World.close)."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def _replay_file(path: str, engine: str) -> tuple[bool, Any]:
    """Replay one scenario file in a worker; return (ok, result or error text)."""
    try:
        return True, replay_scenario(load_scenario(path), engine)
    except NetsimError as error:
        return False, str(error)


class ReplayPool:
    """Replays submitted (scenario file, engine) pairs in worker processes.

    ``submit`` queues a replay; ``result`` waits for it and returns the raw
    result (as ``replay_scenario``), or raises ``VerifyError`` with the
    worker's message. ``close`` cancels what has not started.
    """

    def __init__(self, jobs: int = DEFAULT_JOBS) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self._executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
        )
        self._futures: dict[tuple[str, str, int], Future[tuple[bool, Any]]] = {}

    def submit(self, path: Path, engine: str, attempt: int = 1) -> None:
        """Queue replay number ATTEMPT of PATH on ENGINE (once; a second submit is a no-op)."""
        key = (str(path), engine, attempt)
        if key not in self._futures:
            self._futures[key] = self._executor.submit(_replay_file, str(path), engine)

    def result(self, path: Path, engine: str, attempt: int = 1) -> dict[str, Any]:
        """Return replay number ATTEMPT of PATH on ENGINE, submitting it first if needed.

        Each attempt is its own replay on a fresh daemon; asking for the same
        attempt again gives the same result.

        Raises:
            VerifyError: the replay failed (the worker's message).
        """
        self.submit(path, engine, attempt)
        ok, value = self._futures[(str(path), engine, attempt)].result()
        if not ok:
            raise VerifyError(str(value))
        result: dict[str, Any] = value
        return result

    def close(self) -> None:
        """Cancel the replays not yet started and wait for the running ones."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ReplayPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
