"""Write one probe's trace as text: what ``netsim trace`` prints."""

from __future__ import annotations

from netsim.dataplane.trace import FrameEvent, describe
from netsim.results.run import ProbeRecord


def format_trace(record: ProbeRecord, *, frames: bool = False) -> str:
    """Return the trace as text, one event a line (frame events only with ``frames``)."""
    lines = [describe(e) for e in record.events if frames or not isinstance(e, FrameEvent)]
    result = f"result: {record.result}"
    if record.result == "open":
        result += f" (served by {record.served_by}, local {record.local}, peer {record.peer})"
    if record.error:
        result += f" ({record.error})"
    lines.append(result)
    if record.why is not None:
        lines.append(f"why: {record.why.text}")
    return "\n".join(lines) + "\n"
