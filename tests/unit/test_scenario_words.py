"""netsim's word splitter gives shlex's words and errors, in linear time."""

from __future__ import annotations

import shlex
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.scenario.words import split_words

ALPHABET = st.sampled_from(list(" \t\n\r'\"\\ab$#;|é\x0b"))


def _shlex(line: str) -> list[str] | str:
    try:
        return shlex.split(line)
    except ValueError as error:
        return str(error)


def _ours(line: str) -> list[str] | str:
    try:
        return split_words(line)
    except ValueError as error:
        return str(error)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_same_words_and_errors_as_shlex(line: str) -> None:
    assert _ours(line) == _shlex(line)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("echo 'a", "No closing quotation"),
        ('echo "a\\', "No escaped character"),
        ("a\\", "No escaped character"),
    ],
)
def test_errors_are_shlexs(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_words(line)


@pytest.mark.parametrize(
    "line",
    [
        "echo " + "a" * 1_000_000,
        'echo "' + "a" * 1_000_000 + '"',
        'echo "' + "\\a" * 300_000,
        "\\ " * 300_000,
    ],
)
def test_a_million_characters_take_well_under_a_second(line: str) -> None:
    start = time.process_time()
    _ours(line)
    assert time.process_time() - start < 1.5
