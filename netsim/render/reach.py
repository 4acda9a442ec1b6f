"""Write the reachability matrix: the JSON of ``netsim reach --json`` in either form."""

from __future__ import annotations

import json

from netsim.results.reach import ReachMatrix


def format_reach_json(matrix: ReachMatrix, *, compact: bool | None = None) -> str:
    """Return the JSON document of ``netsim reach --json``.

    The contract's form (a ``cells`` list) is indented as it always was. The
    compact form (above ``COMPACT_CELLS`` cells, or when ``compact``) puts
    each source's row of codes on one line, so a 10,000-source matrix is
    10,000 lines that tools and ``diff`` can still read.
    """
    data = matrix.as_json(compact=compact)
    if "codes" not in data:
        return json.dumps(data, indent=2) + "\n"
    codes = data.pop("codes")
    head = json.dumps(data, indent=2)
    rows = ",\n".join("    " + json.dumps(row, separators=(",", ":")) for row in codes)
    body = f',\n  "codes": [\n{rows}\n  ]\n}}\n' if codes else ',\n  "codes": []\n}\n'
    return head[: head.rindex("\n}")] + body
