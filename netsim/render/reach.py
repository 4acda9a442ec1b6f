"""Write the reachability matrix: the JSON of ``netsim reach --json`` in either form."""

from __future__ import annotations

import json
from array import array

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
    rows = ",\n".join(_row_texts(codes, len(data["classes"])))
    body = f',\n  "codes": [\n{rows}\n  ]\n}}\n' if codes else ',\n  "codes": []\n}\n'
    return head[: head.rindex("\n}")] + body


def _row_texts(codes: tuple[array[int], ...], classes: int) -> list[str]:
    """Return each row of codes as its JSON line, ``    [3,0,12]``.

    One row at a time, from its array: the whole matrix as lists of Python
    ints would be gigabytes at 10,000 containers. Each row's text is laid out
    by numpy: every code's decimal digits and a comma go at the offsets the
    codes' lengths give, one pass per digit place, so 200 million codes do
    not go through a Python loop one by one.
    """
    import numpy as np

    places = len(str(max(classes - 1, 0)))
    numbers = np.arange(max(classes, 1), dtype=np.int64)
    lengths = np.ones(len(numbers), dtype=np.int64)
    for place in range(1, places):
        lengths += numbers >= 10**place
    # digits[c, k]: the k-th character of code c's text (ASCII), left-aligned.
    digits = np.zeros((len(numbers), places), dtype=np.uint8)
    for k in range(places):
        power = 10 ** np.maximum(lengths - 1 - k, 0)
        digit = (numbers // power) % 10 + ord("0")
        digits[:, k] = np.where(k < lengths, digit, 0)
    widths = lengths + 1  # a code and the comma after it
    columns = [np.ascontiguousarray(digits[:, k]) for k in range(places)]
    texts: list[str] = []
    for row in codes:
        if not len(row):
            texts.append("    []")
            continue
        view = np.frombuffer(row, dtype=np.uint32)
        ends = np.cumsum(widths[view])  # each code's comma
        starts = ends - widths[view]
        out = np.empty(int(ends[-1]) + places, dtype=np.uint8)
        # Place k of every code, the last place first: where a code is shorter,
        # the stray byte lands on its comma or on an earlier place of a later
        # code, which a later pass (or the commas) writes over.
        for k in range(places - 1, -1, -1):
            out[starts + k] = columns[k][view]
        out[ends - 1] = ord(",")
        texts.append("    [" + out[: int(ends[-1]) - 1].tobytes().decode("ascii") + "]")
    return texts
