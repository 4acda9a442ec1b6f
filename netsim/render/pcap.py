"""Write the frames a run captured as pcap files, one per node and interface.

Like ``tcpdump -i IFACE`` on each interface: a file holds both directions of
that interface (``NODE-IFACE.pcap``, Ethernet link type). Loopback traffic
is written with zero MACs, as Linux's ``lo`` shows it. Timestamps are the
simulated time after a fixed epoch, so the same scenario gives the same
bytes. scapy is imported only here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from netsim.dataplane.wire import to_scapy
from netsim.results.run import Run

if TYPE_CHECKING:
    from netsim.dataplane.engine import Capture

EPOCH = 1_767_225_600.0  # 2026-01-01T00:00:00Z, the daemon model's epoch
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def pcap_name(node: str, interface: str) -> str:
    """Return the file name for one node's interface."""
    return f"{_UNSAFE.sub('_', node)}-{_UNSAFE.sub('_', interface)}.pcap"


def write_pcaps(
    directory: str | Path, captures: Iterable[Capture], *, start: float = 0.0
) -> list[Path]:
    """Write one pcap per (node, interface) under ``directory``; return the paths written."""
    from scapy.utils import PcapWriter

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    grouped: dict[tuple[str, str], list[Capture]] = {}
    for capture in captures:
        grouped.setdefault((capture.node, capture.interface), []).append(capture)
    written = []
    for (node, interface), frames in sorted(grouped.items()):
        path = out / pcap_name(node, interface)
        writer = PcapWriter(str(path), linktype=1, sync=False)
        try:
            for capture in frames:
                packet = to_scapy(capture.frame)
                packet.time = EPOCH + start + capture.time
                writer.write(packet)
        finally:
            writer.close()
        written.append(path)
    return written


def write_run_pcaps(directory: str | Path, run: Run) -> list[Path]:
    """Write every frame the run put on the wire, timed from the run's start.

    That is the probes' frames and those of the connections commands made
    (a push or pull to a registry container).
    """
    captures = (replace(c, time=c.time + start) for start, frames in run.captured for c in frames)
    return write_pcaps(directory, captures)
