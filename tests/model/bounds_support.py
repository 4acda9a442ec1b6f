"""Run a piece of code under the issue's bounds: 2 s of CPU and 500 MB more memory.

``within_limits()`` arms a CPU-time timer (SIGPROF, so a busy machine does
not make a fast input look slow) and lowers the address-space limit to what
the process holds now plus the allowance; past either, the code stops with
``OverLimit``. Both are put back afterwards.
"""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

CPU_SECONDS = 2.0
MEMORY_BYTES = 500 * 2**20


class OverLimit(Exception):
    """The code ran past its CPU time or memory allowance."""


def _address_space_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def within_limits(
    cpu_seconds: float = CPU_SECONDS, memory_bytes: int = MEMORY_BYTES
) -> Iterator[None]:
    """Fail the block with OverLimit past ``cpu_seconds`` of CPU or ``memory_bytes`` more."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise OverLimit(f"over {cpu_seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = _address_space_bytes() + memory_bytes
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    try:
        yield
    except MemoryError:
        raise OverLimit(f"over {memory_bytes // 2**20} MB more memory") from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
