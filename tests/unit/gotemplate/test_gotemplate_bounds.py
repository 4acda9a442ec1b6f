"""What a template can ask for is bounded: Go's own fmt limits, then netsim's documented ones.

Go's fmt refuses widths and precisions past 10^6 as it reads them
(``%!(NOVERB)``, ``%!(BADWIDTH)``, ``%!(BADPREC)``; the same text on the
Docker 20.10 and 28.5 CLIs). Go has no bound on ``range`` counts, ``pad``
widths or output size; netsim stops a template past MAX_STEPS walked nodes,
MAX_TEXT characters in one value, MAX_ITEMS split parts or MAX_OUTPUT
characters in all, with a message naming the limit.
"""

from __future__ import annotations

import time

import pytest

from netsim.gotemplate import TemplateExecError, parse_template, render_template
from netsim.gotemplate.docker_functions import MAX_ITEMS
from netsim.gotemplate.executor import MAX_OUTPUT, MAX_STEPS
from netsim.gotemplate.printing import MAX_TEXT


def _fast(template: str) -> str:
    start = time.process_time()
    try:
        return render_template(template, {"Name": "web"})
    finally:
        assert time.process_time() - start < 2.0


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{printf "%999999999d" 1}}', "%!(NOVERB)%!(EXTRA int=1)"),
        ('{{printf "%.999999999f" 1.5}}', "%!(NOVERB)%!(EXTRA float64=1.5)"),
        ('{{printf "%*d" 999999999 1}}', "%!(BADWIDTH)1"),
        ('{{printf "%.*d" 999999999 1}}', "%!(BADPREC)1"),
        ('{{printf "%*d" -999999999 1}}', "%!(BADWIDTH)1"),
        ('{{printf "%10000010d" 1}}', "%!(NOVERB)%!(EXTRA int=1)"),
        ('{{printf "%5." 1}}', "%!.(int=    1)"),
    ],
)
def test_widths_past_gos_limit_give_gos_markers(template: str, expected: str) -> None:
    assert _fast(template) == expected


def test_the_widest_width_go_reads_is_printed() -> None:
    assert len(_fast('{{printf "%10000009d" 1}}')) == 10_000_009


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{{pad .Name 999999999 999999999}}",
            rf"error calling pad: netsim: text longer than {MAX_TEXT} characters",
        ),
        (
            '{{$x := printf "%9999999d" 1}}{{range 30}}{{$x = printf "%s%s" $x $x}}{{end}}',
            rf"error calling printf: netsim: text longer than {MAX_TEXT} characters",
        ),
        (
            '{{$x := printf "%9999999d" 1}}{{print $x $x $x}}',
            rf"error calling print: netsim: text longer than {MAX_TEXT} characters",
        ),
        (
            '{{join (split (printf "%999d" 1) "") (printf "%99999d" 1)}}',
            rf"error calling join: netsim: text longer than {MAX_TEXT} characters",
        ),
        (
            '{{split (printf "%9999999d" 1) ""}}',
            rf"error calling split: netsim: more than {MAX_ITEMS} parts",
        ),
        ("{{range 1000000000}}{{end}}", rf"template took more than {MAX_STEPS} steps"),
        (
            "{{range 100000}}{{range 100000}}x{{end}}{{end}}",
            rf"template took more than {MAX_STEPS} steps",
        ),
        (
            "".join(f'{{{{$v{i} := printf "%9999999d" 1}}}}' for i in range(8)),
            rf"template made more than {MAX_OUTPUT} characters",
        ),
    ],
)
def test_what_go_would_build_without_bound_stops_at_a_named_limit(
    template: str, message: str
) -> None:
    with pytest.raises(TemplateExecError, match=message):
        _fast(template)


def test_a_template_under_the_limits_runs_whole() -> None:
    assert _fast("{{range 1000}}{{.}}{{end}}").endswith("998999")
    assert _fast("{{pad .Name 3 2}}") == "   web  "


def test_before_go_1_22_an_integer_is_not_rangeable() -> None:
    parsed = parse_template("{{range 3}}{{.}}{{end}}")
    assert parsed.execute({}) == "012"
    with pytest.raises(TemplateExecError, match=r"at <3>: range can't iterate over 3$"):
        parsed.execute({}, range_over_int=False)
