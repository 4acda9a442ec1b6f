"""Unit tests for netsim.gotemplate.template: parse once, render, the inspect fallback."""

from __future__ import annotations

import pytest
from gotemplate_support import container
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.errors import NetsimError
from netsim.gotemplate import (
    NIL_SLICE,
    GoMap,
    GoStruct,
    TemplateError,
    TemplateExecError,
    TemplateParseError,
    parse_template,
    render_inspect,
    render_template,
)


def test_parse_once_execute_many() -> None:
    template = parse_template("{{.Name}};")
    assert [template.execute({"Name": n}) for n in "ab"] == ["a;", "b;"]


def test_inspect_reports_missing_key_as_the_cli_does() -> None:
    # Observed on Docker 28/29: docker inspect -f '{{.NetworkSettings.IPAddress}}' web
    data = {"NetworkSettings": {"Networks": GoMap()}}
    with pytest.raises(TemplateExecError) as caught:
        render_inspect("{{.NetworkSettings.IPAddress}}", data)
    assert str(caught.value) == (
        'template: :1:18: executing "" at <.NetworkSettings.IPAddress>: '
        'map has no entry for key "IPAddress"'
    )
    with pytest.raises(TemplateExecError, match=r"^template: :1:22: executing"):
        render_inspect("IP: {{.NetworkSettings.IPAddress}}", data)


def test_inspect_fallback_sees_json_numbers_and_sorted_keys() -> None:
    data = {"State": {"Running": True, "Pid": 42}}
    assert render_inspect("{{.State.Pid}} {{json .State}}", data) == '42 {"Running":true,"Pid":42}'
    # Typed execution fails (int vs string); the raw retry compares json.Number as a string.
    assert (
        render_inspect('{{eq .State.Pid "42"}} {{json .State}}', data)
        == 'true {"Pid":42,"Running":true}'
    )


def test_inspect_go_field_names_work_through_fallback() -> None:
    data = GoStruct({"Id": "abc"}, aliases={"ID": "Id"})
    assert render_inspect("{{.ID}}", data) == "abc"
    assert render_inspect("{{.Id}}", data) == "abc"


def test_inspect_nil_in_raw_data() -> None:
    data = {"HostConfig": {"Links": NIL_SLICE}}
    assert render_inspect("{{.HostConfig.Links}}", data) == "[]"
    with pytest.raises(TemplateExecError) as caught:
        render_inspect("{{.HostConfig.Links.Foo}}", data)
    assert str(caught.value) == (
        'template: :1:13: executing "" at <.HostConfig.Links.Foo>: '
        "nil pointer evaluating interface {}.Foo"
    )


_FRAGMENTS = [
    "{{",
    "}}",
    "{{- ",
    " -}}",
    "{{/*",
    "*/}}",
    " ",
    "\n",
    "x",
    ".Name",
    ".List",
    ".State.Pid",
    ".Config.Labels",
    ".Nil",
    ".",
    "$",
    "$x",
    "$y",
    ":=",
    "=",
    ",",
    "|",
    "(",
    ")",
    "if",
    "else",
    "end",
    "range",
    "with",
    "break",
    "continue",
    "define",
    "template",
    "block",
    '"t"',
    "nil",
    "true",
    "1",
    "-2",
    "2.5",
    "1e3",
    "'a'",
    '"s"',
    "`r`",
    '"%d %s %v"',
    "printf",
    "print",
    "println",
    "index",
    "len",
    "slice",
    "eq",
    "ne",
    "lt",
    "and",
    "or",
    "not",
    "json",
    "join",
    "split",
    "title",
    "upper",
    "pad",
    "truncate",
    "html",
    "js",
    "urlquery",
    "call",
    "0x1",
    "_",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25))
def test_rendering_fragments_only_raises_template_error(parts: list[str]) -> None:
    template = "".join(parts)
    for run in (render_template, render_inspect):
        try:
            assert isinstance(run(template, container()), str)
        except TemplateError:
            pass


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_rendering_arbitrary_text_only_raises_template_error(text: str) -> None:
    try:
        render_template("{{" + text + "}}" + text, container())
    except TemplateError:
        pass


def test_template_errors_are_netsim_errors() -> None:
    assert issubclass(TemplateParseError, TemplateError)
    assert issubclass(TemplateExecError, TemplateError)
    assert issubclass(TemplateError, NetsimError)
