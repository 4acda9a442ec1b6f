"""Unit tests for netsim.gotemplate.functions: Go's builtin template functions."""

from __future__ import annotations

import pytest
from gotemplate_support import render

from netsim.gotemplate.functions import BUILTINS


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{printf "%5d|%-5s|%q|%x|%t" 42 "ab" "hi" 255 true}}', '   42|ab   |"hi"|ff|true'),
        (
            '{{printf "%05d %+d %x %X %#x %o %b" 42 5 "hi" 255 255 8 5}}',
            "00042 +5 6869 FF 0xff 10 101",
        ),
        (
            '{{printf "%.2f|%5.1f|%e|%g|%g" 3.14159 3.14159 1234.5678 0.000012 100000.0}}',
            "3.14|  3.1|1.234568e+03|1.2e-05|100000",
        ),
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
        (
            '{{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} {{or 0 ""}} {{not 0}} {{not "a"}}',
            "0 2 x  true false",
        ),
        ("{{and false (index .List 99)}} {{or true (index .List 99)}}", "false true"),
        ('{{eq 1 2 3 1}} {{eq .Name "x" "/web"}} {{ne 1 2}} {{eq "a" "a"}}', "true true true true"),
        (
            '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}} {{lt 1.5 2.5}}',
            "true true true false true",
        ),
        (
            '{{html "<a&\'b\'>"}} {{js "a\'<b>"}} {{urlquery "a b&c"}}',
            "&lt;a&amp;&#39;b&#39;&gt; a\\'\\u003Cb\\u003E a+b%26c",
        ),
    ],
)
def test_builtin_functions_match_go(template: str, expected: str) -> None:
    assert render(template) == expected


def test_builtins_are_go_text_template_builtins() -> None:
    # text/template/funcs.go builtins(), Go 1.22.
    assert set(BUILTINS) == {
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
        "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
    }  # fmt: skip
