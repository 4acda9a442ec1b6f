"""Unit tests for netsim.gotemplate.json_encoding: Go's encoding/json and the raw view."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.gotemplate import (
    NIL_SLICE,
    GoMap,
    JsonNumber,
    marshal_json,
    render_template,
    to_raw,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1"),
        (1.5, "1.5"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (-2.5e-10, "-2.5e-10"),
        (0.0, "0"),
        ('a"b\\c\n\t\x01\u2028é', '"a\\"b\\\\c\\n\\t\\u0001\\u2028é"'),
        (GoMap({"b": 1, "a": [True, None]}), '{"a":[true,null],"b":1}'),
        ({"b": 1, "a": 2}, '{"b":1,"a":2}'),
        (JsonNumber("12"), "12"),
        (float("nan"), ""),
    ],
)
def test_marshal_json_encodes_like_go(value: object, expected: str) -> None:
    assert marshal_json(value) == expected


def test_to_raw_decodes_like_json_with_use_number() -> None:
    raw = to_raw({"B": 1, "A": [1.5, None, NIL_SLICE], "C": GoMap()})
    assert raw == {"A": ["1.5", None, None], "B": "1", "C": {}}
    assert render_template("{{.}}", raw) == "map[A:[1.5 <nil> <nil>] B:1 C:map[]]"
    assert render_template("{{json .}}", raw) == '{"A":[1.5,null,null],"B":1,"C":{}}'


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4).map(GoMap)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(_json_values)
def test_json_function_round_trips(value: object) -> None:
    encoded = render_template("{{json .}}", value)
    assert json.loads(encoded, parse_int=float) == value  # Go writes 4.6e16 as 46342351240585460
    assert "\n" not in encoded
