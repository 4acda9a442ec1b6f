"""Unit tests for netsim.gotemplate.docker_functions: the functions docker/cli adds."""

from __future__ import annotations

import pytest
from gotemplate_support import render

from netsim.gotemplate import (
    TemplateExecError,
)
from netsim.gotemplate.docker_functions import DOCKER_FUNCS
from netsim.gotemplate.functions import BUILTINS
from netsim.gotemplate.template import FUNCS


@pytest.mark.parametrize(
    ("template", "expected"),
    [
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
        (
            "{{json .NetworkSettings.Ports}}",
            '{"3306/tcp":[{"HostIp":"0.0.0.0","HostPort":"12345"},{"HostIp":"::","HostPort":"12345"}]}',
        ),
    ],
)
def test_docker_functions(template: str, expected: str) -> None:
    assert render(template) == expected


def test_docker_functions_are_docker_cli_basic_functions() -> None:
    # docker/cli templates/templates.go basicFunctions.
    assert set(DOCKER_FUNCS) == {
        "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
    }  # fmt: skip
    assert not set(DOCKER_FUNCS) & set(BUILTINS)
    assert set(FUNCS) == set(BUILTINS) | set(DOCKER_FUNCS)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            '{{truncate "abc" -1}}',
            r"error calling truncate: runtime error: slice bounds out of range \[:-1\]",
        ),
        ("{{split 1 2}}", r"<1>: expected string; found 1$"),
        ('{{join "a" ","}}', r'<"a">: can\'t handle "a" for arg of type \[\]string$'),
    ],
)
def test_docker_function_errors(template: str, message: str) -> None:
    with pytest.raises(TemplateExecError, match=message):
        render(template)
