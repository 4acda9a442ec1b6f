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
    if not (compact if compact is not None else matrix.compact):
        return json.dumps(matrix.as_json(compact=False), indent=2) + "\n"
    data, codes = matrix.compact_parts()
    head = json.dumps(data, indent=2)
    # One row at a time, from its array: the whole matrix as lists of Python
    # ints would be gigabytes at 10,000 containers.
    text = [str(code) for code in range(len(data["classes"]))]
    rows = ",\n".join("    [" + ",".join(map(text.__getitem__, row)) + "]" for row in codes)
    body = f',\n  "codes": [\n{rows}\n  ]\n}}\n' if codes else ',\n  "codes": []\n}\n'
    return head[: head.rindex("\n}")] + body
