"""Unit tests for netsim.gotemplate.lexer: items, positions, trim markers, lexer errors."""

from __future__ import annotations

import pytest
from gotemplate_support import render

from netsim.gotemplate import (
    TemplateParseError,
    parse_template,
)
from netsim.gotemplate.lexer import ItemType, Lexer, Token


def test_text_trim_markers_and_comments() -> None:
    assert render("a  {{- .Name -}}  b") == "a/webb"
    assert render("a \n\t{{- /* note */ -}}\n b") == "ab"
    assert render("x {{/* c */}} y") == "x  y"
    assert render("{{-3}}") == "-3"  # no space after '-': a number, not a trim marker
    assert render("{{ .Name }}\n") == "/web\n"


def items(text: str) -> list[tuple[str, int, str, int]]:
    """Lex text up to EOF or the first error: (type name, position, text, line) per item."""
    lexer = Lexer(text)
    out: list[tuple[str, int, str, int]] = []
    while True:
        item = lexer.next_item()
        out.append((item.typ.name, item.pos, item.val, item.line))
        if item.typ in (ItemType.EOF, ItemType.ERROR):
            return out


def test_lexer_items_carry_type_position_and_line() -> None:
    assert items("a {{.B | c}}") == [
        ("TEXT", 0, "a ", 1),
        ("LEFT_DELIM", 2, "{{", 1),
        ("FIELD", 4, ".B", 1),
        ("SPACE", 6, " ", 1),
        ("PIPE", 7, "|", 1),
        ("SPACE", 8, " ", 1),
        ("IDENTIFIER", 9, "c", 1),
        ("RIGHT_DELIM", 10, "}}", 1),
        ("EOF", 12, "", 1),
    ]


def test_lexer_trim_markers_drop_spaces_but_lines_still_count() -> None:
    assert items("{{$x := 1}}\n{{- 2 -}}  z") == [
        ("LEFT_DELIM", 0, "{{", 1),
        ("VARIABLE", 2, "$x", 1),
        ("SPACE", 4, " ", 1),
        ("DECLARE", 5, ":=", 1),
        ("SPACE", 7, " ", 1),
        ("NUMBER", 8, "1", 1),
        ("RIGHT_DELIM", 9, "}}", 1),
        ("LEFT_DELIM", 12, "{{", 2),
        ("NUMBER", 16, "2", 2),
        ("RIGHT_DELIM", 19, "}}", 2),
        ("TEXT", 23, "z", 2),
        ("EOF", 24, "", 2),
    ]


def test_lexer_error_item_has_the_position_and_line_of_the_bad_item() -> None:
    assert items('x\n{{"abc') == [
        ("TEXT", 0, "x\n", 1),
        ("LEFT_DELIM", 2, "{{", 2),
        ("ERROR", 4, "unterminated quoted string", 2),
    ]
    with pytest.raises(TemplateParseError, match=r"^template: :2: unterminated quoted string$"):
        parse_template('x\n{{"abc')


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{/* c */ }}", r"^template: :1: comment ends before closing delimiter$"),
        ("{{\x01}}", r"^template: :1: unrecognized character in action: U\+0001$"),
        ("{{.X!}}", r"^template: :1: bad character U\+0021 '!'$"),
        ('{{if 1}}\n{{"a}}', r"^template: :2: unterminated quoted string$"),
    ],
)
def test_lexer_errors_become_parse_errors_at_their_line(template: str, message: str) -> None:
    with pytest.raises(TemplateParseError, match=message):
        parse_template(template)


def test_tokens_print_as_go_prints_items_in_messages() -> None:
    assert str(Token(ItemType.EOF, 0, "", 1)) == "EOF"
    assert str(Token(ItemType.ERROR, 0, "boom", 1)) == "boom"
    assert str(Token(ItemType.IF, 0, "if", 1)) == "<if>"
    assert str(Token(ItemType.FIELD, 0, ".A", 1)) == '".A"'
    assert str(Token(ItemType.STRING, 0, '"0123456789abc"', 1)) == '"\\"012345678"...'
