"""Hostile and clumsy command lines in a scenario: the real tools' answers, promptly.

Each expected text here was observed on the real engines (Docker 20.10 and
28.5 on this project's reference host, replayed with ``python -m netsim.verify
run``) or on the real tools (iptables 1.8.9 nf_tables, iproute2 6.1) in a
throwaway network namespace.
"""

from __future__ import annotations

import json

import pytest

from netsim.results.run import CommandRecord
from netsim.session import load_scenario_text, replay

ENGINES = ("20.10", "28.5")


def _records(steps: list[str], engine: str = "28.5") -> list[CommandRecord]:
    lines = "".join(f"  - {json.dumps(step)}\n" for step in steps)
    scenario = load_scenario_text(f"name: hostile\nsteps:\n{lines}")
    run = replay(scenario, engine, probes=False)
    records = [step for step in run.steps if isinstance(step, CommandRecord)]
    assert len(records) == len(steps)
    return records


# -- Go templates in --format and -f -------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_printf_widths_past_gos_limit_print_gos_markers(engine: str) -> None:
    records = _records(
        [
            "docker run -d --name web nginx",
            """docker inspect -f '{{printf "%999999999d" 1}}' web""",
            """docker inspect -f '{{printf "%*d" 999999999 1}}|{{printf "%.999999999f" 1.5}}|"""
            """{{printf "%5." 1}}' web""",
            """docker inspect -f '{{printf "%10000010d" 1}}' web""",
            """docker inspect -f '{{pad .Name -1 2}}' web""",
        ],
        engine,
    )
    assert records[1].stdout == "%!(NOVERB)%!(EXTRA int=1)\n"
    assert records[2].stdout == "%!(BADWIDTH)1|%!(NOVERB)%!(EXTRA float64=1.5)|%!.(int=    1)\n"
    assert records[3].stdout == "%!(NOVERB)%!(EXTRA int=1)\n"
    assert (records[4].exit_code, records[4].stdout, records[4].stderr) == (
        1,
        "\n",
        'template parsing error: template: :1:2: executing "" at <pad .Name -1 2>: '
        "error calling pad: strings: negative Repeat count\n",
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_ps_format_with_an_unknown_field_or_bad_syntax_fails_as_the_cli(engine: str) -> None:
    records = _records(
        [
            "docker ps -a --format 'table {{.Nope}}'",
            "docker ps -a --format '{{.Nope}}'",
            "docker run -d --name web nginx",
            "docker ps --format '{{.Names'",
            "docker ps --format '{{.Names}} {{end}}'",
            "docker network ls --format '{{.Nope}}'",
            "docker network ls --format '{{.Name'",
            "docker ps --format 'table {{.Names}}\\t{{upper .State}}\\t{{json .Names}}'",
            "docker ps --format '{{.Names}}\\t{{.State}}'",
            "docker ps --format 'tablex {{.Names}}'",
            "docker network ls --format 'table {{.Name}}\\t{{.IPv6}}\\t{{.Internal}}'",
        ],
        engine,
    )
    field = "can't evaluate field Nope in type"
    assert [(r.exit_code, r.stdout, r.stderr) for r in records[:2] + records[3:7]] == [
        (
            1,
            "",
            'failed to execute template: template: :1:8: executing "" at <.Nope>: '
            f"{field} *formatter.ContainerContext\n",
        ),
        (
            1,
            "",
            'failed to execute template: template: :1:2: executing "" at <.Nope>: '
            f"{field} *formatter.ContainerContext\n",
        ),
        (1, "", "failed to parse template: template: :1: unclosed action\n"),
        (1, "", "failed to parse template: template: :1: unexpected {{end}}\n"),
        (
            1,
            "",
            'template parsing error: template: :1:2: executing "" at <.Nope>: '
            f"{field} *network.networkContext\n",
        ),
        (1, "", "template parsing error: template: :1: unclosed action\n"),
    ]
    assert records[7].stdout == 'NAMES     STATE     NAMES\nweb       RUNNING   "web"\n'
    assert records[8].stdout == "web\trunning\n"
    assert records[9].stdout == "x NAMES\nx web\n"
    assert records[10].stdout == (
        "NAME      IPV6      INTERNAL\n"
        "bridge    false     false\n"
        "host      false     false\n"
        "none      false     false\n"
    )


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ("20.10", "failed to check bridge interface existence: numerical result out of range"),
        ("28.5", "numerical result out of range"),
    ],
)
def test_a_bridge_name_over_15_characters_gets_dockers_error(engine: str, message: str) -> None:
    records = _records(
        [
            "docker network create -o com.docker.network.bridge.name=abcdefghijklmnop longbr",
            "docker network create -o com.docker.network.bridge.name=abcdefghijklmno okbr",
            "docker network ls --format '{{.Name}}'",
        ],
        engine,
    )
    assert (records[0].exit_code, records[0].stderr) == (
        1,
        f"Error response from daemon: {message}\n",
    )
    assert records[1].exit_code == 0
    assert records[2].stdout == "bridge\nhost\nnone\nokbr\n"
