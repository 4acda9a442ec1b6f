"""The session: one place that replays a scenario and hands back values."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from netsim.errors import ScenarioError
from netsim.results.run import CommandRecord, ProbeRecord
from netsim.session import Session, load_scenario, pictures, reach, replay, trace

ROOT = Path(__file__).resolve().parents[2]
PORT_MAPPING = ROOT / "scenarios/port-mapping.yaml"


def test_a_run_without_probes_leaves_the_same_world_as_a_full_run() -> None:
    scenario = load_scenario(PORT_MAPPING)
    full, quiet = replay(scenario), replay(scenario, probes=False)
    assert full.topology == quiet.topology
    commands = [s for s in full.steps if isinstance(s, CommandRecord)]
    assert commands == list(quiet.steps)
    assert quiet.probes == () and len(full.probes) == 3


def test_the_run_is_a_value_with_the_contracts_json() -> None:
    run = replay(load_scenario(PORT_MAPPING), "20.10")
    result = run.as_json()
    assert (result["scenario"], result["engine"], result["passed"]) == (
        "port-mapping",
        "20.10",
        True,
    )
    assert [s["kind"] for s in result["steps"]][:3] == ["command"] * 3
    probe = run.probes[0]
    assert (probe.probe, probe.result, probe.passed) == (
        "laptop -> 192.168.1.10:12345/tcp",
        "open",
        True,
    )
    assert probe.events and probe.captures == ()
    with pytest.raises(AttributeError):
        probe.result = "timeout"  # type: ignore[misc]


def test_a_failed_expectation_makes_the_run_fail() -> None:
    scenario = load_scenario(PORT_MAPPING)
    record = ProbeRecord(9, "laptop", "x:1/tcp", "timeout", expect="open")
    run = replay(scenario)
    failing = type(run)(run.scenario, run.engine, run.seed, (*run.steps, record), run.topology)
    assert not failing.passed and failing.failed == (record,)
    assert failing.as_json()["steps"][-1]["passed"] is False


def test_a_session_replays_once_then_answers_questions() -> None:
    session = Session(load_scenario(PORT_MAPPING), engine="28.5")
    session.replay(probes=False)
    with pytest.raises(RuntimeError, match="already replayed"):
        session.replay()
    record = session.probe_text("laptop -> 192.168.1.10:12345")
    assert (record.result, record.served_by) == ("open", "docker_mysql")
    with pytest.raises(ScenarioError, match="an icmp probe has no port"):
        session.probe_text("laptop -> 192.168.1.10:80", proto="icmp")
    assert session.probe_text("laptop -> 192.168.1.10").result == "reply"


def test_trace_reach_and_pictures_go_through_the_same_replay() -> None:
    scenario = load_scenario(PORT_MAPPING)
    run, record = trace(scenario, "laptop -> 192.168.1.10:3306")
    assert run.probes == () and record.result == "refused"
    _, matrix = reach(scenario)
    cell = next(
        c
        for c in matrix.cells
        if c.source == "laptop" and c.destination.target == "192.168.1.10:12345/tcp"
    )
    assert cell.result == "open"
    drawn = pictures(
        scenario, probes=("laptop -> 192.168.1.10:12345/tcp", "host -> 127.0.0.1:12345")
    )
    assert drawn.paths[0] is drawn.run.probes[0]  # the run's own record, frames and all
    assert drawn.paths[0].captures
    assert drawn.paths[1].probe == "host -> 127.0.0.1:12345/tcp"
    assert drawn.paths[1].result == "open" and drawn.paths[1].captures


def test_command_expectations_fail_the_run_and_show_in_the_transcript_and_json() -> None:
    from netsim.render.transcript import format_transcript
    from netsim.session import load_scenario_text, replay

    text = (
        "name: t\nsteps:\n"
        "  - run: docker network ls --format '{{.Name}}'\n"
        "    expect_contains: bridge\n"
        "    expect_exit: 0\n"
        "  - run: docker inspect nope\n"
        "    expect_exit: 0\n"
    )
    run = replay(load_scenario_text(text))
    assert not run.passed
    assert [step.index for step in run.failed] == [1]
    first, second = run.as_json()["steps"]
    assert first["passed"] is True
    assert first["expect"] == [
        {"kind": "exit", "value": 0, "passed": True},
        {"kind": "contains", "value": "bridge", "passed": True},
    ]
    assert second["expect"] == [{"kind": "exit", "value": 0, "passed": False, "actual": "exit 1"}]
    transcript = format_transcript(run)
    assert '# expect_contains: "bridge" [ok]\n' in transcript
    assert "# expect_exit: 0 [FAILED, exit 1]\n" in transcript


@pytest.mark.parametrize("enabled", [True, False])
def test_a_replay_leaves_the_cyclic_collector_as_it_found_it(enabled: bool) -> None:
    from netsim.session import load_scenario_text, open_world, replay_world

    world = open_world(load_scenario_text("name: gc\nsteps:\n  - docker run -d nginx\n"))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        run = replay_world(world, probes=False)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    step = run.steps[0]
    assert isinstance(step, CommandRecord) and step.exit_code == 0
