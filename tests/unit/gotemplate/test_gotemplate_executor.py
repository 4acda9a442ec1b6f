"""Unit tests for netsim.gotemplate.executor: actions, variables, methods, exec errors."""

from __future__ import annotations

import pytest
from gotemplate_support import render

from netsim.gotemplate import (
    GoMap,
    GoStruct,
    TemplateError,
    TemplateExecError,
    render_template,
)
from netsim.gotemplate.executor import Executor
from netsim.gotemplate.functions import Func
from netsim.gotemplate.lexer import Lexer
from netsim.gotemplate.nodes import ListNode
from netsim.gotemplate.parser import Parser


def test_range_over_slice_map_int_and_else() -> None:
    assert render("{{range $i, $e := .List}}{{$i}}:{{$e}},{{end}}") == "0:a,1:b,2:c,"
    assert render("{{range .List}}[{{.}}]{{end}}") == "[a][b][c]"
    assert render("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}") == "a=1;b=2;"
    assert render("{{range .Empty}}x{{else}}empty{{end}}") == "empty"
    assert render("{{range .Nil}}x{{else}}nil{{end}}") == "nil"
    assert render("{{range .Config.Labels.nope}}x{{else}}none{{end}}") == "none"
    assert render("{{range 3}}{{.}}{{end}}") == "012"
    assert render("{{range $n := 2}}<{{$n}}>{{end}}") == "<0><1>"


def test_range_break_and_continue() -> None:
    assert render('{{range .List}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}') == "a"
    assert render('{{range .List}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}}') == "ac"


def test_range_over_network_inspect_containers() -> None:
    network = {"Containers": GoMap({"ff": {"Name": "b"}, "aa": {"Name": "a"}})}
    template = "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}};{{end}}"
    assert render(template, network) == "aa a;ff b;"


def test_if_else_if_with() -> None:
    template = "{{if eq .A 1}}one{{else if eq .A 2}}two{{else}}many{{end}}"
    assert [render(template, {"A": n}) for n in (1, 2, 3)] == ["one", "two", "many"]
    assert render("{{with .Name}}<{{.}}>{{end}}") == "</web>"
    assert render("{{with .Config.Labels.nope}}x{{else}}y{{end}}") == "y"
    assert render("{{with $x := .State.Pid}}{{$x}}{{end}}") == "42"
    assert render("{{if .Empty}}a{{else}}b{{end}}{{if .State}}c{{end}}") == "bc"
    assert render("{{if and .State.Running (not .Empty)}}up{{end}}") == "up"


def test_variables_declare_assign_and_scope() -> None:
    assert render("{{$x := 1}}{{$x = 2}}{{$x}}") == "2"
    assert render("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}") == "2"
    assert render("{{$x := 1}}{{if true}}{{$x := 2}}{{end}}{{$x}}") == "1"
    assert render("{{range .List}}{{$.Name}}{{end}}") == "/web/web/web"


def test_pipelines_and_parentheses() -> None:
    assert render('{{"a" | printf "%s-%s" "b"}}') == "b-a"
    assert render("{{.Name | len}}") == "4"
    assert render("{{(index .List 0) | upper}}") == "A"
    assert render('{{(index .NetworkSettings.Networks "app").IPAddress}}') == "10.0.0.5"
    template = (
        "{{range $p, $c := .NetworkSettings.Ports}}{{$p}} -> {{(index $c 0).HostPort}}{{end}}"
    )
    assert render(template) == "3306/tcp -> 12345"


def test_define_template_and_block() -> None:
    assert render('{{define "t"}}[{{.}}]{{end}}{{template "t" .Name}}') == "[/web]"
    assert render('{{block "b" .Name}}<{{.}}>{{end}}') == "</web>"


def test_go_struct_methods_and_aliases() -> None:
    row = GoStruct(
        {"Id": "abc", "Label": lambda key: {"com.x": "1"}.get(key, "")},
        type_name="*formatter.ContainerContext",
        aliases={"ID": "Id"},
    )
    assert render_template('{{.ID}} {{.Label "com.x"}}|{{.Label "nope"}}', row) == "abc 1|"
    with pytest.raises(
        TemplateExecError,
        match=r"can't evaluate field Id in type "
        r"\*formatter\.ContainerContext",
    ):
        render_template("{{.Id}}", row)
    with pytest.raises(TemplateExecError, match="wrong number of args for Label: want 1 got 0"):
        render_template("{{.Label}}", row)


def test_method_value_error_is_reported_like_go() -> None:
    def fails() -> str:
        raise ValueError("boom")

    with pytest.raises(TemplateExecError, match="error calling Fails: boom"):
        render_template("{{.Fails}}", {"Fails": fails})


def test_missing_key_options() -> None:
    data = {"M": GoMap({"a": "x"}, zero="")}
    assert render_template("[{{.M.b}}]", data, missing_key="zero") == "[]"
    with pytest.raises(TemplateExecError, match=r'<\.M\.b>: map has no entry for key "b"'):
        render_template("{{.M.b}}", data, missing_key="error")
    with pytest.raises(TemplateError, match="unrecognized option: missingkey=bogus"):
        render_template("x", data, missing_key="bogus")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{{.Name.Foo}}",
            'template: :1:7: executing "" at <.Name.Foo>: can\'t evaluate field Foo in type string',
        ),
        (
            "{{.Nope}}",
            'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type struct',
        ),
        (
            '{{eq "a" 1}}',
            'template: :1:2: executing "" at <eq "a" 1>: '
            "error calling eq: incompatible types for comparison: string and int",
        ),
        (
            "{{lt 1 2.0}}",
            'template: :1:2: executing "" at <lt 1 2.0>: '
            "error calling lt: incompatible types for comparison: int and float64",
        ),
        (
            "{{eq .List .List}}",
            'template: :1:2: executing "" at <eq .List .List>: '
            "error calling eq: non-comparable type [a b c]: []string",
        ),
        (
            "{{index .List 5}}",
            'template: :1:2: executing "" at <index .List 5>: '
            "error calling index: index out of range: 5",
        ),
        (
            "{{index .List 3}}",
            'template: :1:2: executing "" at <index .List 3>: '
            "error calling index: reflect: slice index out of range",
        ),
        (
            '{{index .List "a"}}',
            'template: :1:2: executing "" at <index .List "a">: '
            "error calling index: cannot index slice/array with type string",
        ),
        (
            "{{index .Config.Labels 1}}",
            'template: :1:2: executing "" at <index .Config.Labels 1>: '
            "error calling index: value has type int; should be string",
        ),
        (
            "{{len 3}}",
            'template: :1:2: executing "" at <len 3>: error calling len: len of type int',
        ),
        (
            "{{len}}",
            'template: :1:2: executing "" at <len>: wrong number of args for len: want 1 got 0',
        ),
        ("{{upper 3}}", 'template: :1:8: executing "" at <3>: expected string; found 3'),
        (
            "{{upper .State.Pid}}",
            'template: :1:14: executing "" at <.State.Pid>: '
            "wrong type for value; expected string; got int",
        ),
        (
            "{{.Name 1}}",
            'template: :1:2: executing "" at <.Name>: '
            "Name has arguments but cannot be invoked as function",
        ),
        ("{{1 2}}", 'template: :1:2: executing "" at <1>: can\'t give argument to non-function 1'),
        ("{{nil}}", 'template: :1:2: executing "" at <nil>: nil is not a command'),
        (
            "{{range .Name}}{{end}}",
            'template: :1:8: executing "" at <.Name>: range can\'t iterate over /web',
        ),
        (
            '{{template "nope"}}',
            'template: :1:11: executing "" at <{{template "nope"}}>: template "nope" not defined',
        ),
        (
            "{{$x := .Name}}{{$x.Foo}}",
            'template: :1:19: executing "" at <$x.Foo>: can\'t evaluate field Foo in type string',
        ),
        (
            '{{define "t"}}{{.Foo}}{{end}}{{template "t" 1}}',
            'template: :1:16: executing "t" at <.Foo>: can\'t evaluate field Foo in type int',
        ),
        (
            '{{slice "abc" 2 1}}',
            'template: :1:2: executing "" at <slice "abc" 2 1>: '
            "error calling slice: invalid slice index: 2 > 1",
        ),
        (
            '{{pad "x" -1 0}}',
            'template: :1:2: executing "" at <pad "x" -1 0>: '
            "error calling pad: strings: negative Repeat count",
        ),
        (
            "\n  {{.Name.Foo}}",
            'template: :2:9: executing "" at <.Name.Foo>: can\'t evaluate field Foo in type string',
        ),
    ],
)
def test_exec_errors_have_go_text(template: str, message: str) -> None:
    with pytest.raises(TemplateExecError) as caught:
        render(template)
    assert str(caught.value) == message


def test_exec_error_column_counts_utf8_bytes() -> None:
    with pytest.raises(TemplateExecError, match=r"^template: :1:5: executing"):  # 4 in characters
        render("é {{.Nope}}")


def test_nil_data_and_nil_pointers() -> None:
    assert render_template("{{.A}}", None) == "<no value>"
    with pytest.raises(TemplateExecError, match=r'<\.A>: nil data; no entry for key "A"$'):
        render_template("{{.A}}", None, missing_key="error")
    with pytest.raises(
        TemplateExecError, match=r"<\.A\.B>: nil pointer evaluating interface \{\}\.B$"
    ):
        render_template("{{.A.B}}", {"A": None})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"Name": "x"}, "error calling call: non-function .Name of type string"),
        ({"Name": 1}, "error calling call: non-function .Name of type int"),
    ],
)
def test_call_refuses_non_functions(data: dict[str, object], message: str) -> None:
    with pytest.raises(TemplateExecError, match=message):
        render_template("{{call .Name}}", data)


def test_variadic_method_takes_any_number_of_arguments() -> None:
    assert render_template("{{.F 1 2}} {{.F}}", {"F": lambda *a: len(a)}) == "2 0"


def test_executor_runs_with_the_functions_it_is_given() -> None:
    text = '{{shout "hi"}}'
    trees: dict[str, ListNode] = {}
    Parser(Lexer(text), trees, {"shout"}).parse()
    shout = Func(("string",), None, lambda a: str(a[0]).upper() + "!", builtin=False)
    assert Executor(text, trees, {"shout": shout}, "default").run(None) == "HI!"


def test_recursive_template_stops_with_an_exec_error() -> None:
    with pytest.raises(TemplateExecError, match=r"^template: : nesting too deep$"):
        render_template('{{define "t"}}{{template "t"}}{{end}}{{template "t"}}', None)
