"""Replay scenarios on real Docker engines (20.10 and 28.5): the simulator's ground truth.

``python -m netsim.verify setup`` installs the engines; ``run`` replays one
scenario and writes the same JSON result ``netsim run --json`` writes;
``record --all`` re-records tests/conformance/recorded/. Comparisons go through
``netsim.verify.normalise``, which replaces only what is random.
"""

from netsim.verify.engines import find_engine, setup_engines, unavailable_reason
from netsim.verify.normalise import compare_results, normalise_result

__all__ = [
    "compare_results",
    "find_engine",
    "normalise_result",
    "setup_engines",
    "unavailable_reason",
]
