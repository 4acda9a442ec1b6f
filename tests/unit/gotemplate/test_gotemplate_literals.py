"""Unit tests for netsim.gotemplate.literals: Go's quoting and number literals."""

from __future__ import annotations

import pytest

from netsim.gotemplate.literals import go_quote, go_unquote, parse_go_float, parse_go_int


def test_go_quote_escapes_as_strconv_quote() -> None:
    assert go_quote('a"\n\x01é\u2028\U0001f600') == '"a\\"\\n\\x01é\\u2028\U0001f600"'
    assert go_quote("é\U0001f600", ascii_only=True) == '"\\u00e9\\U0001f600"'
    assert go_quote("'", quote="'") == "'\\''"


def test_go_unquote_decodes_escapes_and_raw_strings() -> None:
    assert go_unquote('"\\x41\\u00e9\\101\\n"') == "AéA\n"
    assert go_unquote("`a\r\nb`") == "a\nb"  # raw strings drop carriage returns


@pytest.mark.parametrize("quoted", ['"\\q"', '"abc', "`a`b`", '"\\400"', '"\\ud800"', "'a'"])
def test_go_unquote_refuses_invalid_literals(quoted: str) -> None:
    with pytest.raises(ValueError, match="^invalid syntax$"):
        go_unquote(quoted)


@pytest.mark.parametrize(
    ("text", "signed", "value"),
    [
        ("0x_1F", True, 31),
        ("017", True, 15),
        ("0o17", True, 15),
        ("1__0", True, None),
        ("_1", True, None),
        ("1_", True, None),
        ("0b102", True, None),
        ("9223372036854775807", True, 2**63 - 1),
        ("9223372036854775808", True, None),
        ("-9223372036854775808", True, -(2**63)),
        ("9223372036854775808", False, 2**63),
        ("18446744073709551616", False, None),
        ("-1", False, None),
    ],
)
def test_parse_go_int_follows_strconv_base_zero(text: str, signed: bool, value: int | None) -> None:
    assert parse_go_int(text, signed=signed) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.5", 1.5), ("1_000.5", 1000.5), ("0x1p-2", 0.25), ("1e400", None), ("inf", None)],
)
def test_parse_go_float_accepts_go_literals_only(text: str, value: float | None) -> None:
    assert parse_go_float(text) == value
