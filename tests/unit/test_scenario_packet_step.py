"""Unit tests: `packet:` steps (an extension of the contract) load and fail with their line."""

from __future__ import annotations

import pytest

from netsim.errors import ScenarioError
from netsim.scenario.spec import PacketStep
from netsim.session import load_scenario_text

HEAD = """name: p
machines:
  laptop: {address: 192.168.1.20/24}
steps:
"""


def test_packet_step_loads_with_its_source_and_text() -> None:
    scenario = load_scenario_text(
        HEAD
        + """  - packet: 'IP(dst="192.168.1.10")/TCP(dport=80)'
    from: laptop
"""
    )
    (step,) = scenario.steps
    assert isinstance(step, PacketStep)
    assert (step.src, step.line) == ("laptop", 5)
    assert step.packet == 'IP(dst="192.168.1.10")/TCP(dport=80)'


def test_packet_step_defaults_to_the_host() -> None:
    scenario = load_scenario_text(HEAD + "  - packet: 'IP(dst=\"1.2.3.4\")/ICMP()'\n")
    assert scenario.steps[0].src == "host"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os').system('x')", "steps[0].packet"),
        ('IP(dst="1.2.3.4")/Bogus()', "steps[0].packet"),
        ("IP(dst=some_name)", "steps[0].packet"),
    ],
)
def test_unsupported_packet_text_is_refused_at_its_line(text: str, fragment: str) -> None:
    with pytest.raises(ScenarioError, match=r"<string>:5: ") as caught:
        load_scenario_text(HEAD + f"  - packet: {text!r}\n")
    assert fragment in str(caught.value)


def test_packet_step_rejects_unknown_keys_and_bad_sources() -> None:
    with pytest.raises(ScenarioError, match=r":6: steps\[0\]\.expect: unknown key"):
        load_scenario_text(HEAD + "  - packet: 'IP(dst=\"1.2.3.4\")/ICMP()'\n    expect: open\n")
    with pytest.raises(ScenarioError, match=r'steps\[0\]\.from: "\?!" is neither'):
        load_scenario_text(HEAD + "  - packet: 'IP(dst=\"1.2.3.4\")/ICMP()'\n    from: '?!'\n")
