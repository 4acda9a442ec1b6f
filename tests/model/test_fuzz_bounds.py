"""Fuzzing under bounds: packets, templates, iptables and ip lines, whole scenarios.

Every generated input must end in a result or netsim's own error (never
another exception), within 2 s of CPU time and 500 MB more memory
(``bounds_support.within_limits``). A scenario that loads must replay to the
end. ``scripts/fuzz.py`` runs the same generators for 10^5 inputs.
"""

from __future__ import annotations

import random
from ipaddress import IPv4Address

import pytest
from bounds_support import OverLimit, within_limits
from fuzz_inputs import ip_argv, iptables_argv, packet_text, scenario_text, template_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsim.dataplane.packets import build, parse_layers
from netsim.errors import PacketSyntaxError, ScenarioError
from netsim.gotemplate import GoStruct, TemplateError, render_template
from netsim.kernel.commands import ip_command
from netsim.kernel.evaluate import EvalContext, PacketView
from netsim.kernel.namespace import NetworkNamespace
from netsim.kernel.netfilter import Netfilter
from netsim.scenario import yamlsource
from netsim.session import load_scenario_text, replay

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
RANDOMS = st.randoms(use_true_random=False)


def test_the_bounds_stop_a_loop_and_an_allocation() -> None:
    with pytest.raises(OverLimit, match="CPU time"), within_limits(cpu_seconds=0.2):
        while True:
            pass
    with pytest.raises(OverLimit, match="more memory"), within_limits(memory_bytes=50 * 2**20):
        blob = bytearray(400 * 2**20)
        del blob


@FUZZ
@given(RANDOMS)
def test_packet_notation(rng: random.Random) -> None:
    text = packet_text(rng)
    with within_limits():
        try:
            layers = parse_layers(text)
            build(layers, source=IPv4Address("10.0.0.1"), src_mac="02:00:00:00:00:01")
        except PacketSyntaxError:
            pass


@FUZZ
@given(RANDOMS)
def test_go_templates(rng: random.Random) -> None:
    template = template_text(rng)
    data = GoStruct({"Name": "web", "Names": ["web"]}, type_name="*formatter.ContainerContext")
    with within_limits():
        try:
            render_template(template, data)
        except TemplateError:
            pass


@FUZZ
@given(RANDOMS)
def test_iptables_command_lines_then_a_packet_through_every_chain(rng: random.Random) -> None:
    netfilter = Netfilter()
    packet = PacketView(
        src=IPv4Address("10.0.0.2"), dst=IPv4Address("10.0.0.1"), protocol=6, dport=80
    )
    with within_limits():
        for _ in range(rng.randrange(1, 12)):
            code, _, err = netfilter.execute(iptables_argv(rng))
            assert code == 0 or err
        for table, chain in (("filter", "INPUT"), ("filter", "FORWARD"), ("nat", "PREROUTING")):
            netfilter.evaluate(table, chain, packet, EvalContext())


@FUZZ
@given(RANDOMS)
def test_ip_command_lines(rng: random.Random) -> None:
    namespace = NetworkNamespace("fuzz")
    with within_limits():
        for _ in range(rng.randrange(1, 10)):
            code, _, err = ip_command(namespace, ip_argv(rng))
            assert code == 0 or err


@settings(FUZZ, max_examples=25)
@given(RANDOMS)
def test_whole_scenarios_end_to_end(rng: random.Random) -> None:
    text = scenario_text(rng)
    with within_limits(cpu_seconds=4.0):
        try:
            scenario = load_scenario_text(text)
        except ScenarioError:
            return
        # A scenario that loads is valid: it must replay to its end.
        run = replay(scenario, probes=True)
    assert [step.index for step in run.steps] == [step.index for step in scenario.steps]


def _read_both(text: str) -> tuple[str, str]:
    """Load ``text`` with libyaml's parser and with PyYAML's own: the result or the error."""
    answers = []
    for fast in (yamlsource._FAST_LOADER, None):
        saved = yamlsource._FAST_LOADER
        yamlsource._FAST_LOADER = fast
        try:
            answers.append(repr(load_scenario_text(text, "fuzz.yaml")))
        except ScenarioError as exc:
            answers.append(str(exc))
        finally:
            yamlsource._FAST_LOADER = saved
    return answers[0], answers[1]


@pytest.mark.skipif(yamlsource._FAST_LOADER is None, reason="this PyYAML has no libyaml")
@FUZZ
@given(RANDOMS)
def test_whole_scenarios_load_alike_with_libyaml_and_pyyaml(rng: random.Random) -> None:
    fast, pure = _read_both(scenario_text(rng))
    assert fast == pure
