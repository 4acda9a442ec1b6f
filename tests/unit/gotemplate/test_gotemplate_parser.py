"""Unit tests for netsim.gotemplate.parser and nodes: parse trees and Go's parse errors."""

from __future__ import annotations

import pytest
from gotemplate_support import render

from netsim.errors import NetsimError
from netsim.gotemplate import (
    TemplateParseError,
    parse_template,
)
from netsim.gotemplate.lexer import Lexer
from netsim.gotemplate.nodes import ListNode
from netsim.gotemplate.parser import Parser


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{foo}}", 'template: :1: function "foo" not defined'),
        ("{{.Name", "template: :1: unclosed action"),
        ("{{.X\n", "template: :2: unclosed action started at :1"),
        ("{{.Name}", "template: :1: bad character U+007D '}'"),
        ("{{if}}", "template: :1: missing value for if"),
        ("{{range}}{{end}}", "template: :1: missing value for range"),
        ("{{end}}", "template: :1: unexpected {{end}}"),
        ("{{else}}", "template: :1: unexpected {{else}}"),
        ("{{range .X}}", "template: :1: unexpected EOF"),
        ("{{if 1}}{{else}}{{else}}{{end}}", "template: :1: expected end; found {{else}}"),
        ("{{$x}}", 'template: :1: undefined variable "$x"'),
        ("{{#}}", 'template: :1: unexpected "#" in command'),
        ('{{"abc}}', "template: :1: unterminated quoted string"),
        ("{{/* x }}", "template: :1: unclosed comment"),
        ("{{(1}}", "template: :1: unclosed left paren"),
        ("{{)}}", "template: :1: unexpected right paren"),
        ("{{1 | 2}}", "template: :1: non executable command in pipeline stage 2"),
        ("{{range $a, $b, $c := .}}{{end}}", "template: :1: too many declarations in range"),
        ("{{3.X}}", 'template: :1: bad number syntax: "3.X"'),
        ('{{"a".X}}', 'template: :1: unexpected . after term "\\"a\\""'),
        ("{{break}}", "template: :1: {{break}} outside {{range}}"),
        ("ok\n{{.A}}\n{{nope 1}}", 'template: :3: function "nope" not defined'),
        ('{{"\\q"}}', "template: :1: invalid syntax"),
        ("{{99999999999999999999}}", 'template: :1: integer overflow: "99999999999999999999"'),
    ],
)
def test_parse_errors_have_go_text(template: str, message: str) -> None:
    with pytest.raises(TemplateParseError) as caught:
        render(template)
    assert str(caught.value) == message
    assert isinstance(caught.value, NetsimError)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            '{{define "a"}}x{{end}}{{define "a"}}y{{end}}',
            'template: :1: template: multiple definition of template "a"',
        ),
        ("{{range $a, 1}}{{end}}", "template: :1: range can only initialize variables"),
        ("{{template .X}}", 'template: :1: unexpected ".X" in template clause'),
        ("{{define 1}}{{end}}", 'template: :1: unexpected "1" in define clause'),
        ("{{end 1}}", 'template: :1: unexpected "1" in end'),
        ("{{|}}", 'template: :1: unexpected "|" in command'),
        ("{{'ab'}}", "template: :1: malformed character constant: 'ab'"),
        ("{{0x}}", 'template: :1: illegal number syntax: "0x"'),
        ("{{nil.A}}", 'template: :1: unexpected . after term "nil"'),
        ("{{" + "(" * 101 + "1" + ")" * 101 + "}}", "template: :1: max expression depth exceeded"),
        ("{{if 1}}" * 3000, "template: : nesting too deep"),
    ],
)
def test_more_parse_errors_have_go_text(template: str, message: str) -> None:
    with pytest.raises(TemplateParseError) as caught:
        parse_template(template)
    assert str(caught.value) == message


def test_paren_depth_limit_is_inclusive() -> None:
    assert render("{{" + "(" * 100 + "1" + ")" * 100 + "}}") == "1"


@pytest.mark.parametrize(
    ("template", "printed"),
    [
        ("{{if .A}}x{{else}}y{{end}}", "{{if .A}}x{{else}}y{{end}}"),
        ("{{range $i, $e := .L}}{{$i}}{{end}}", "{{range $i, $e := .L}}{{$i}}{{end}}"),
        # "else with" is sugar for a nested with sharing one end, as in Go's tree.
        (
            "{{with .A}}{{.}}{{else with .B}}b{{end}}",
            "{{with .A}}{{.}}{{else}}{{with .B}}b{{end}}{{end}}",
        ),
        ('{{template "t" .}}', '{{template "t" .}}'),
        ('{{printf "%d" (len .L) | print}}', '{{printf "%d" (len .L) | print}}'),
        ("{{/* c */}}a{{- .X -}} b", "a{{.X}}b"),
        ("{{(index .M 0).A.B}}", "{{(index .M 0).A.B}}"),
        ("{{$x := 1}}{{$x.A}}", "{{$x := 1}}{{$x.A}}"),
    ],
)
def test_parse_tree_prints_back_as_go_does(template: str, printed: str) -> None:
    assert str(parse_template(template).trees[""]) == printed


def test_define_and_block_add_named_trees() -> None:
    trees = parse_template('{{define "a"}}x{{end}}{{block "b" .}}y{{end}}').trees
    assert sorted(trees) == ["", "a", "b"]
    assert (str(trees["a"]), str(trees["b"])) == ("x", "y")


def test_parser_knows_only_the_function_names_it_is_given() -> None:
    trees: dict[str, ListNode] = {}
    Parser(Lexer("{{shout .}}"), trees, {"shout"}).parse()
    assert str(trees[""]) == "{{shout .}}"
    with pytest.raises(TemplateParseError, match=r'^template: :1: function "upper" not defined$'):
        Parser(Lexer("{{upper .}}"), {}, {"shout"}).parse()
