"""Unit tests for netsim.gotemplate.printing: values printed as Go's fmt prints them."""

from __future__ import annotations

import pytest
from gotemplate_support import render

from netsim.gotemplate import (
    NIL_MAP,
    NIL_SLICE,
    GoMap,
    GoStruct,
    JsonNumber,
)
from netsim.gotemplate.printing import PLAIN, Spec, format_value, sprintf
from netsim.gotemplate.values import go_type_name


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{.Name}}", "/web"),
        ("{{.HostConfig.Links}}", "[/db:/web/db]"),
        ("{{.NetworkSettings.Ports}}", "map[3306/tcp:[{0.0.0.0 12345} {:: 12345}]]"),
        ("{{.Config.ExposedPorts}}", "map[3306/tcp:{}]"),
        ("{{.Config.Labels}}", "map[a:1 b:2]"),
        ("{{.State}}", "{true 42 0}"),
        ("{{.State.Running}} {{.State.Pid}}", "true 42"),
        ("{{.Empty}}", "[]"),
        ("{{.Nil}}", "[]"),
        ("{{.NetworkSettings.Networks.bridge.IPAMConfig}}", "<nil>"),  # a nil *EndpointIPAMConfig
        ("{{.Config.Labels.missing}}", "<no value>"),
        ("{{.NetworkSettings.Networks.none.IPAddress}}", "<no value>"),
        ("{{.NetworkSettings.Networks.app.IPAddress}}", "10.0.0.5"),
        (
            "{{1.5}} {{1e6}} {{100000.0}} {{0.00001}} {{0.0001}} {{-0.0}}",
            "1.5 1e+06 100000 1e-05 0.0001 -0",
        ),
        ("{{1234567.0}}", "1.234567e+06"),
        ("{{'a'}} {{0x1F}} {{0o17}} {{0b101}} {{1_000}} {{017}}", "97 31 15 5 1000 15"),
        ('{{true}} {{false}} {{"s"}} {{`raw\\n`}}', "true false s raw\\n"),
        ("{{.}}", None),
    ],
)
def test_default_printing_matches_go(template: str, expected: str | None) -> None:
    if expected is None:
        assert render(template, {"A": 1, "B": ["x"], "C": GoMap({"k": "v"})}) == "{1 [x] map[k:v]}"
    else:
        assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{printf "%#v|%#v" .Nil .NilMap}}', "[]string(nil)|map[string]string(nil)"),
        ('{{printf "%x" 1.5}}', "%!x(float64=1.5)"),
        ('{{printf "%*d|%-*d|" 5 42 3 7}}', "   42|7  |"),
        ('{{printf "%.*f|%8.3e|%06.2f" 2 3.14159 1234.5 -3.14159}}', "3.14|1.234e+03|-03.14"),
        ('{{printf "%+q|%#q|% x" "é" "a`b" "hi"}}', '"\\u00e9"|"a`b"|68 69'),
    ],
)
def test_printf_flags_widths_and_typed_nils(template: str, expected: str) -> None:
    assert render(template, {"Nil": NIL_SLICE, "NilMap": NIL_MAP}) == expected


def test_sprintf_reports_bad_width_and_precision_arguments() -> None:
    assert sprintf("%*d", ["x", 1]) == "%!(BADWIDTH)1"
    assert sprintf("%.*d", ["x", 1]) == "%!(BADPREC)1"


def test_format_value_plain_and_go_syntax() -> None:
    labels = GoMap({"b": "2", "a": "1"})
    assert format_value(labels, "v", PLAIN, 0) == "map[a:1 b:2]"
    assert format_value({"A": 1, "B": None}, "v", Spec(plus_v=True), 0) == "{A:1 B:<nil>}"
    assert format_value(NIL_MAP, "v", Spec(sharp_v=True), 0) == "map[string]string(nil)"


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (True, "bool"),
        (1, "int"),
        (1.5, "float64"),
        (JsonNumber("1"), "json.Number"),
        ("s", "string"),
        (["a"], "[]string"),
        ([1], "[]interface {}"),
        (GoMap(), "map[string]interface {}"),
        (GoStruct(type_name="types.Container"), "types.Container"),
        ({}, "struct"),
        (NIL_SLICE, "[]string"),
        (None, "interface {}"),
    ],
)
def test_go_type_names_of_python_values(value: object, name: str) -> None:
    assert go_type_name(value) == name
