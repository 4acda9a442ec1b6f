"""Model tests: the variables a legacy link gives, laid out as each engine's links.go does.

The facts come from the recordings of scenarios/expose-forms.yaml and
scenarios/link-env-ranges.yaml (the real engines' own order, before the
conformance normaliser sorts a container's env).
"""

from __future__ import annotations

import textwrap

import pytest

from netsim.results.run import CommandRecord
from netsim.session import load_scenario_text, replay

STEPS = """\
- docker run -d --name ranged --expose 8000-8002/udp --expose 9000/sctp busybox sleep 600
- docker run --rm --name reader --link ranged:svc busybox env
"""


def _link_env(engine: str) -> str:
    text = "name: t\nsteps:\n" + textwrap.indent(STEPS, "  ")
    step = replay(load_scenario_text(text, "t.yaml"), engine).steps[-1]
    assert isinstance(step, CommandRecord) and step.exit_code == 0
    return step.stdout


def _link_keys(engine: str) -> list[str]:
    env = _link_env(engine)
    return [line.split("=", 1)[0] for line in env.splitlines() if line.startswith("SVC_")]


def _port(number: int, proto: str) -> list[str]:
    prefix = f"SVC_PORT_{number}_{proto}"
    return [prefix, f"{prefix}_ADDR", f"{prefix}_PORT", f"{prefix}_PROTO"]


def test_28_5_orders_by_protocol_and_names_a_run_after_its_ports() -> None:
    run = "SVC_PORT_8000_UDP"
    assert _link_keys("28.5") == [
        "SVC_PORT",
        *_port(9000, "SCTP"),
        *_port(8000, "UDP"),
        *_port(8001, "UDP"),
        *_port(8002, "UDP"),
        f"{run}_START",
        f"{run}_PORT_START",
        f"{run}_END",
        f"{run}_PORT_END",
        "SVC_NAME",
    ]


def test_20_10_orders_by_number_and_names_a_run_before_the_ports() -> None:
    run = "SVC_PORT_8000_UDP"
    assert _link_keys("20.10") == [
        "SVC_PORT",
        f"{run}_START",
        f"{run}_ADDR",
        f"{run}_PROTO",
        f"{run}_PORT_START",
        f"{run}_END",
        f"{run}_PORT_END",
        run,  # its _ADDR and _PROTO were written with the run
        f"{run}_PORT",
        *_port(8001, "UDP"),
        *_port(8002, "UDP"),
        *_port(9000, "SCTP"),
        "SVC_NAME",
    ]


@pytest.mark.parametrize(("engine", "first"), [("20.10", "udp://"), ("28.5", "sctp://")])
def test_the_first_port_in_the_engine_s_order_is_the_link_s_port(engine: str, first: str) -> None:
    port = next(line for line in _link_env(engine).splitlines() if line.startswith("SVC_PORT="))
    assert port.split("=", 1)[1].startswith(first)


def test_20_10_counts_a_run_by_places_whatever_the_protocols() -> None:
    # scenarios/link-env-mixed: one run from 80/tcp to 85/sctp on 20.10, its
    # end named after the first port's number and the last port's protocol.
    steps = (
        "- docker run -d --name kid --expose 80/tcp --expose 80/udp --expose 81/tcp"
        " --expose 82/udp --expose 83/tcp --expose 84/tcp --expose 85/sctp busybox sleep 600\n"
        "- docker run --rm --name p1 --link kid:k busybox env\n"
    )
    text = "name: t\nsteps:\n" + textwrap.indent(steps, "  ")
    runs = {}
    for engine in ("20.10", "28.5"):
        step = replay(load_scenario_text(text, "t.yaml"), engine).steps[-1]
        assert isinstance(step, CommandRecord)
        runs[engine] = [
            line for line in step.stdout.splitlines() if "_END=" in line and "_PORT_END" not in line
        ]
    assert runs["20.10"] == ["K_PORT_80_SCTP_END=sctp://172.17.0.2:85"]
    assert runs["28.5"] == [
        "K_PORT_80_TCP_END=tcp://172.17.0.2:81",
        "K_PORT_83_TCP_END=tcp://172.17.0.2:84",
    ]
