"""Unit tests for netsim.docker.gotemplate: Go text/template as the docker CLI runs it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.docker.gotemplate import (
    NIL_SLICE,
    GoMap,
    GoStruct,
    JsonNumber,
    TemplateError,
    TemplateExecError,
    TemplateParseError,
    marshal_json,
    parse_template,
    render_inspect,
    render_template,
    to_raw,
)
from netsim.errors import NetsimError


def container() -> dict[str, Any]:
    """Return a small docker-inspect-like container object."""
    return {
        "Id": "abc123",
        "Name": "/web",
        "State": {"Running": True, "Pid": 42, "ExitCode": 0},
        "HostConfig": {"Links": ["/db:/web/db"], "NetworkMode": "bridge"},
        "Config": {
            "ExposedPorts": GoMap({"3306/tcp": {}}),
            "Labels": GoMap({"b": "2", "a": "1"}, zero=""),
            "Env": ["A=1", "B=2"],
        },
        "NetworkSettings": {
            "Ports": GoMap({"3306/tcp": [{"HostIp": "0.0.0.0", "HostPort": "12345"},
                                         {"HostIp": "::", "HostPort": "12345"}]}),
            "Networks": GoMap({"bridge": {"IPAddress": "172.17.0.2", "IPAMConfig": None},
                               "app": {"IPAddress": "10.0.0.5", "Aliases": ["web"]}}),
        },
        "List": ["a", "b", "c"],
        "Ints": [1, 2],
        "Empty": [],
        "Nil": NIL_SLICE,
    }


def render(template: str, data: object | None = None) -> str:
    return render_template(template, container() if data is None else data)


# ----------------------------------------------------------------------------- printing


@pytest.mark.parametrize(("template", "expected"), [
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
    ("{{1.5}} {{1e6}} {{100000.0}} {{0.00001}} {{0.0001}} {{-0.0}}",
     "1.5 1e+06 100000 1e-05 0.0001 -0"),
    ("{{1234567.0}}", "1.234567e+06"),
    ("{{'a'}} {{0x1F}} {{0o17}} {{0b101}} {{1_000}} {{017}}", "97 31 15 5 1000 15"),
    ("{{true}} {{false}} {{\"s\"}} {{`raw\\n`}}", "true false s raw\\n"),
    ("{{.}}", None),
])
def test_default_printing_matches_go(template: str, expected: str | None) -> None:
    if expected is None:
        assert render(template, {"A": 1, "B": ["x"], "C": GoMap({"k": "v"})}) == "{1 [x] map[k:v]}"
    else:
        assert render(template) == expected


def test_text_trim_markers_and_comments() -> None:
    assert render("a  {{- .Name -}}  b") == "a/webb"
    assert render("a \n\t{{- /* note */ -}}\n b") == "ab"
    assert render("x {{/* c */}} y") == "x  y"
    assert render("{{-3}}") == "-3"  # no space after '-': a number, not a trim marker
    assert render("{{ .Name }}\n") == "/web\n"


# ----------------------------------------------------------------------------- actions


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
    template = '{{if eq .A 1}}one{{else if eq .A 2}}two{{else}}many{{end}}'
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
    assert render("{{(index .NetworkSettings.Networks \"app\").IPAddress}}") == "10.0.0.5"
    template = ("{{range $p, $c := .NetworkSettings.Ports}}"
                "{{$p}} -> {{(index $c 0).HostPort}}{{end}}")
    assert render(template) == "3306/tcp -> 12345"


def test_define_template_and_block() -> None:
    assert render('{{define "t"}}[{{.}}]{{end}}{{template "t" .Name}}') == "[/web]"
    assert render('{{block "b" .Name}}<{{.}}>{{end}}') == "</web>"


# ----------------------------------------------------------------------------- functions


@pytest.mark.parametrize(("template", "expected"), [
    ('{{printf "%5d|%-5s|%q|%x|%t" 42 "ab" "hi" 255 true}}', '   42|ab   |"hi"|ff|true'),
    ('{{printf "%05d %+d %x %X %#x %o %b" 42 5 "hi" 255 255 8 5}}', "00042 +5 6869 FF 0xff 10 101"),
    ('{{printf "%.2f|%5.1f|%e|%g|%g" 3.14159 3.14159 1234.5678 0.000012 100000.0}}',
     "3.14|  3.1|1.234568e+03|1.2e-05|100000"),
    ('{{printf "%T %T %T" 1 "s" .List}}', "int string []string"),
    ('{{printf "%c %q %U" 65 65 65}}', "A 'A' U+0041"),
    ('{{printf "%v|%s" nil nil}}', "<nil>|%!s(<nil>)"),
    ('{{printf "%d %d" 1}}', "1 %!d(MISSING)"),
    ('{{printf "%d" 1 2}}', "1%!(EXTRA int=2)"),
    ('{{printf "%d" "x"}}', "%!d(string=x)"),
    ('{{printf "%t" 1}}', "%!t(int=1)"),
    ('{{printf "%z" 1}}', "%!z(int=1)"),
    ('{{printf "100%%"}}', "100%"),
    ('{{printf "%"}}', "%!(NOVERB)"),
    ('{{printf "%v %q %d" .List .List .Ints}}', '[a b c] ["a" "b" "c"] [1 2]'),
    ('{{printf "%+v" .State}}', "{Running:true Pid:42 ExitCode:0}"),
    ('{{printf "%s" .Config.Labels}}', "map[a:1 b:2]"),
    ('{{printf "%q" "tab\\there"}}', '"tab\\there"'),
    ('{{print 1 2 "a" "b" 3}}', "1 2ab3"),
    ("{{print nil}}", "<nil>"),
    ('{{println "a" 1}}', "a 1\n"),
    ('{{len "héllo"}} {{len .List}} {{len .Config.Labels}} {{len .Nil}}', "6 3 2 0"),
    ('{{index .List 1}} {{index "abc" 1}} {{index .Config.Labels "a"}}', "b 98 1"),
    ('{{index .Config.Labels "zz"}}|{{index .NetworkSettings.Networks "zz"}}', "|<nil>"),
    ('{{slice "abcdef" 1 3}} {{slice .List 1}} {{slice .List 0 1}}', "bc [b c] [a]"),
    ('{{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} {{or 0 ""}} {{not 0}} {{not "a"}}',
     "0 2 x  true false"),
    ('{{and false (index .List 99)}} {{or true (index .List 99)}}', "false true"),
    ('{{eq 1 2 3 1}} {{eq .Name "x" "/web"}} {{ne 1 2}} {{eq "a" "a"}}', "true true true true"),
    ('{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}} {{lt 1.5 2.5}}', "true true true false true"),
    ('{{html "<a&\'b\'>"}} {{js "a\'<b>"}} {{urlquery "a b&c"}}',
     "&lt;a&amp;&#39;b&#39;&gt; a\\'\\u003Cb\\u003E a+b%26c"),
])
def test_builtin_functions_match_go(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(("template", "expected"), [
    ('{{join .List ","}}', "a,b,c"),
    ('{{join .Nil ","}}', ""),
    ('{{split "a:b:c" ":"}}', "[a b c]"),
    ('{{split "ab" ""}}', "[a b]"),
    ('{{join (split "a:b" ":") "-"}}', "a-b"),
    ('{{title "hello world-x _y"}}', "Hello World-X _y"),
    ('{{upper "abc"}} {{lower "ABC"}}', "ABC abc"),
    ('[{{pad "x" 2 1}}][{{pad "" 2 1}}]', "[  x ][]"),
    ('{{truncate "abcdef" 3}} {{truncate "ab" 3}} {{truncate "abc" 3}}', "abc ab abc"),
    ("{{json .List}}", '["a","b","c"]'),
    ("{{json .Config.Labels}}", '{"a":"1","b":"2"}'),
    ("{{json .State}}", '{"Running":true,"Pid":42,"ExitCode":0}'),
    ("{{json .Nil}} {{json nil}} {{json .Config.Labels.zz}}", "null null null"),
    ('{{json "<a&b>"}}', '"<a&b>"'),
    ("{{json .NetworkSettings.Ports}}",
     '{"3306/tcp":[{"HostIp":"0.0.0.0","HostPort":"12345"},{"HostIp":"::","HostPort":"12345"}]}'),
])
def test_docker_functions(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, "1"), (1.5, "1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
    (0.000001, "0.000001"), (1e-7, "1e-7"), (-2.5e-10, "-2.5e-10"), (0.0, "0"),
    ("a\"b\\c\n\t\x01\u2028é", '"a\\"b\\\\c\\n\\t\\u0001\\u2028é"'),
    (GoMap({"b": 1, "a": [True, None]}), '{"a":[true,null],"b":1}'),
    ({"b": 1, "a": 2}, '{"b":1,"a":2}'),
    (JsonNumber("12"), "12"),
    (float("nan"), ""),
])
def test_marshal_json_encodes_like_go(value: object, expected: str) -> None:
    assert marshal_json(value) == expected


# ----------------------------------------------------------------------------- data model


def test_go_struct_methods_and_aliases() -> None:
    row = GoStruct({"Id": "abc", "Label": lambda key: {"com.x": "1"}.get(key, "")},
                   type_name="*formatter.ContainerContext", aliases={"ID": "Id"})
    assert render_template('{{.ID}} {{.Label "com.x"}}|{{.Label "nope"}}', row) == "abc 1|"
    with pytest.raises(TemplateExecError, match=r"can't evaluate field Id in type "
                                                r"\*formatter\.ContainerContext"):
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


def test_to_raw_decodes_like_json_with_use_number() -> None:
    raw = to_raw({"B": 1, "A": [1.5, None, NIL_SLICE], "C": GoMap()})
    assert raw == {"A": ["1.5", None, None], "B": "1", "C": {}}
    assert render_template("{{.}}", raw) == "map[A:[1.5 <nil> <nil>] B:1 C:map[]]"
    assert render_template("{{json .}}", raw) == '{"A":[1.5,null,null],"B":1,"C":{}}'


def test_parse_once_execute_many() -> None:
    template = parse_template("{{.Name}};")
    assert [template.execute({"Name": n}) for n in "ab"] == ["a;", "b;"]


# ----------------------------------------------------------------------------- inspect fallback


def test_inspect_reports_missing_key_as_the_cli_does() -> None:
    # Observed on Docker 28/29: docker inspect -f '{{.NetworkSettings.IPAddress}}' web
    data = {"NetworkSettings": {"Networks": GoMap()}}
    with pytest.raises(TemplateExecError) as caught:
        render_inspect("{{.NetworkSettings.IPAddress}}", data)
    assert str(caught.value) == ('template: :1:18: executing "" at <.NetworkSettings.IPAddress>: '
                                 'map has no entry for key "IPAddress"')
    with pytest.raises(TemplateExecError, match=r"^template: :1:22: executing"):
        render_inspect("IP: {{.NetworkSettings.IPAddress}}", data)


def test_inspect_fallback_sees_json_numbers_and_sorted_keys() -> None:
    data = {"State": {"Running": True, "Pid": 42}}
    assert render_inspect("{{.State.Pid}} {{json .State}}", data) == '42 {"Running":true,"Pid":42}'
    # Typed execution fails (int vs string); the raw retry compares json.Number as a string.
    assert render_inspect('{{eq .State.Pid "42"}} {{json .State}}', data) == \
        'true {"Pid":42,"Running":true}'


def test_inspect_go_field_names_work_through_fallback() -> None:
    data = GoStruct({"Id": "abc"}, aliases={"ID": "Id"})
    assert render_inspect("{{.ID}}", data) == "abc"
    assert render_inspect("{{.Id}}", data) == "abc"


def test_inspect_nil_in_raw_data() -> None:
    data = {"HostConfig": {"Links": NIL_SLICE}}
    assert render_inspect("{{.HostConfig.Links}}", data) == "[]"
    with pytest.raises(TemplateExecError) as caught:
        render_inspect("{{.HostConfig.Links.Foo}}", data)
    assert str(caught.value) == ('template: :1:13: executing "" at <.HostConfig.Links.Foo>: '
                                 "nil pointer evaluating interface {}.Foo")


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("template", "message"), [
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
])
def test_parse_errors_have_go_text(template: str, message: str) -> None:
    with pytest.raises(TemplateParseError) as caught:
        render(template)
    assert str(caught.value) == message
    assert isinstance(caught.value, NetsimError)


@pytest.mark.parametrize(("template", "message"), [
    ("{{.Name.Foo}}", "template: :1:7: executing \"\" at <.Name.Foo>: "
                      "can't evaluate field Foo in type string"),
    ("{{.Nope}}", 'template: :1:2: executing "" at <.Nope>: '
                  "can't evaluate field Nope in type struct"),
    ('{{eq "a" 1}}', 'template: :1:2: executing "" at <eq "a" 1>: '
                     "error calling eq: incompatible types for comparison: string and int"),
    ("{{lt 1 2.0}}", 'template: :1:2: executing "" at <lt 1 2.0>: '
                     "error calling lt: incompatible types for comparison: int and float64"),
    ("{{eq .List .List}}", 'template: :1:2: executing "" at <eq .List .List>: '
                           "error calling eq: non-comparable type [a b c]: []string"),
    ("{{index .List 5}}", 'template: :1:2: executing "" at <index .List 5>: '
                          "error calling index: index out of range: 5"),
    ("{{index .List 3}}", 'template: :1:2: executing "" at <index .List 3>: '
                          "error calling index: reflect: slice index out of range"),
    ('{{index .List "a"}}', 'template: :1:2: executing "" at <index .List "a">: '
                            "error calling index: cannot index slice/array with type string"),
    ("{{index .Config.Labels 1}}", 'template: :1:2: executing "" at <index .Config.Labels 1>: '
                                   "error calling index: value has type int; should be string"),
    ("{{len 3}}", 'template: :1:2: executing "" at <len 3>: error calling len: len of type int'),
    ("{{len}}", 'template: :1:2: executing "" at <len>: '
                "wrong number of args for len: want 1 got 0"),
    ("{{upper 3}}", 'template: :1:8: executing "" at <3>: expected string; found 3'),
    ("{{upper .State.Pid}}", 'template: :1:14: executing "" at <.State.Pid>: '
                             "wrong type for value; expected string; got int"),
    ("{{.Name 1}}", 'template: :1:2: executing "" at <.Name>: '
                    "Name has arguments but cannot be invoked as function"),
    ("{{1 2}}", 'template: :1:2: executing "" at <1>: can\'t give argument to non-function 1'),
    ("{{nil}}", 'template: :1:2: executing "" at <nil>: nil is not a command'),
    ("{{range .Name}}{{end}}", 'template: :1:8: executing "" at <.Name>: '
                               "range can't iterate over /web"),
    ('{{template "nope"}}', 'template: :1:11: executing "" at <{{template "nope"}}>: '
                            'template "nope" not defined'),
    ("{{$x := .Name}}{{$x.Foo}}", 'template: :1:19: executing "" at <$x.Foo>: '
                                  "can't evaluate field Foo in type string"),
    ('{{define "t"}}{{.Foo}}{{end}}{{template "t" 1}}',
     'template: :1:16: executing "t" at <.Foo>: can\'t evaluate field Foo in type int'),
    ('{{slice "abc" 2 1}}', 'template: :1:2: executing "" at <slice "abc" 2 1>: '
                            "error calling slice: invalid slice index: 2 > 1"),
    ('{{pad "x" -1 0}}', 'template: :1:2: executing "" at <pad "x" -1 0>: '
                         "error calling pad: strings: negative Repeat count"),
    ("\n  {{.Name.Foo}}", 'template: :2:9: executing "" at <.Name.Foo>: '
                          "can't evaluate field Foo in type string"),
])
def test_exec_errors_have_go_text(template: str, message: str) -> None:
    with pytest.raises(TemplateExecError) as caught:
        render(template)
    assert str(caught.value) == message


def test_exec_error_column_counts_utf8_bytes() -> None:
    with pytest.raises(TemplateExecError, match=r"^template: :1:5: executing"):  # 4 in characters
        render("é {{.Nope}}")


# ----------------------------------------------------------------------------- properties


_FRAGMENTS = [
    "{{", "}}", "{{- ", " -}}", "{{/*", "*/}}", " ", "\n", "x", ".Name", ".List", ".State.Pid",
    ".Config.Labels", ".Nil", ".", "$", "$x", "$y", ":=", "=", ",", "|", "(", ")", "if", "else",
    "end", "range", "with", "break", "continue", "define", "template", "block", '"t"', "nil",
    "true", "1", "-2", "2.5", "1e3", "'a'", '"s"', "`r`", '"%d %s %v"', "printf", "print",
    "println", "index", "len", "slice", "eq", "ne", "lt", "and", "or", "not", "json", "join",
    "split", "title", "upper", "pad", "truncate", "html", "js", "urlquery", "call", "0x1", "_",
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


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4).map(GoMap),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(_json_values)
def test_json_function_round_trips(value: object) -> None:
    encoded = render_template("{{json .}}", value)
    assert json.loads(encoded, parse_int=float) == value  # Go writes 4.6e16 as 46342351240585460
    assert "\n" not in encoded
