"""The fuzzer's generator, differential classes and minimiser, without real engines."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest

from netsim.errors import VerifyError
from netsim.scenario.spec import Scenario
from netsim.session import load_scenario, load_scenario_text, replay
from netsim.verify.differential import (
    command_family,
    disagreements,
    format_table,
    minimise,
    without,
)
from netsim.verify.fuzz import (
    ARGUMENT_COUNTS,
    BRIDGE_CHANGES,
    CARRIER_LISTINGS,
    CLI_REFUSALS,
    DAEMON_OPTIONS,
    GRAMMAR,
    MISSING_CONTAINER,
    MISSING_NETWORK,
    SETTLE_STEPS,
    Generated,
    GeneratedStep,
    _Builder,
    generate,
)
from netsim.verify.fuzzrun import FuzzOptions, run_fuzz
from netsim.verify.record import load_recorded

SEEDS = range(150)


def test_a_seed_names_one_scenario_forever() -> None:
    first = generate(7, 20)
    assert first.text == generate(7, 20).text
    assert first.name == "fuzz-7"
    assert generate(8, 20).text != first.text
    # Longer scenarios of a seed start as the shorter ones do.
    assert generate(7, 30).steps[:20] == first.steps


def test_the_grammar_does_not_drift() -> None:
    """Seed 1000 (20 steps) is pinned: changing the grammar renames every seed's scenario.

    Give a changed grammar a new seed space instead (say, seeds from 10**6).
    Changed once, when the service images lost `ip` (they never had it; the
    toolsets came later): `docker exec SERVICE ip ...` became `docker run --rm
    --network container:SERVICE busybox ip ...`, which lists the same thing.
    Changed again when the mistakes (refused create/run, argument counts,
    several or missing containers, port forms, rename, missing objects) joined
    the grammar: the old actions keep their weights, but every seed's choices
    moved (docs/fuzzing.md says so). Changed a third time when containers
    could be given exposed-only ports (`--expose 9000/sctp`, ranges, `81/`).
    """
    digest = hashlib.sha256(generate(1000, 20).text.encode()).hexdigest()
    assert digest == "4eeca2373199c78d5705954c4dc96f79b7bd1d142db5520f7759d5dbe87a4a86"


def test_generated_scenarios_are_valid_and_long_enough() -> None:
    for seed in SEEDS:
        generated = generate(seed, 20)
        scenario = load_scenario_text(generated.text, f"<seed {seed}>")
        assert scenario.name == f"fuzz-{seed}"
        assert len(scenario.steps) == 20


def test_every_step_needs_only_what_an_earlier_step_made() -> None:
    for seed in SEEDS:
        made: set[str] = set()
        for step in generate(seed, 25).steps:
            assert step.needs <= made, (seed, step)
            made |= step.makes


def test_the_weights_cover_the_whole_grammar_and_the_daemon_options() -> None:
    rules: set[str] = set()
    options: set[str] = set()
    for seed in SEEDS:
        generated = generate(seed, 20)
        comment = generated.comment.split(": ", 1)[1]
        rules |= {part.rsplit(" x", 1)[0] for part in comment.split(", ")}
        options |= {name for name, _ in generated.daemon}
    assert rules == {name for name, _, _ in GRAMMAR}
    assert options == {name for name, _ in DAEMON_OPTIONS}
    text = "\n".join(generate(seed, 20).text for seed in SEEDS)
    for form in ("--link", "--network-alias", "--ip ", "--internal", "-P", "/udp", "127.0.0.1:"):
        assert form in text, form
    for form in ("network disconnect", "docker restart", "proto: icmp", "DOCKER-USER"):
        assert form in text, form


def test_a_scenario_needs_a_step() -> None:
    with pytest.raises(ValueError, match="at least one step, not 0"):
        generate(1, 0)


def test_command_families_name_what_differs() -> None:
    assert command_family("docker port c1") == "docker port"
    assert command_family("docker ps -a") == "docker ps -a"
    assert command_family("docker inspect -f '{{.Name}}' c1") == "docker inspect -f"
    assert command_family("docker network inspect -f '{{.Name}}' n") == "docker network inspect -f"
    assert command_family("iptables -t nat -S DOCKER") == "iptables -t nat -S"
    assert command_family("docker exec c1 ip route") == "exec ip route"
    assert command_family("ip route", on="c1") == "exec ip route"


def _steps(*specs: tuple[str, set[str], set[str]]) -> tuple[GeneratedStep, ...]:
    return tuple(GeneratedStep(text, frozenset(m), frozenset(n)) for text, m, n in specs)


def test_dropping_a_step_drops_what_needs_it() -> None:
    steps = _steps(
        ("docker network create n", {"n"}, set()),
        ("docker run -d --name a --network n redis", {"a"}, {"n"}),
        ("docker run -d --name b redis", {"b"}, set()),
        ("docker port a", set(), {"a"}),
    )
    assert [s.value for s in without(steps, [0])] == ["docker run -d --name b redis"]
    assert [s.value for s in without(steps, [2])] == [
        "docker network create n",
        "docker run -d --name a --network n redis",
        "docker port a",
    ]


def test_the_minimiser_keeps_only_the_culprit_and_what_it_needs() -> None:
    steps = _steps(
        ("docker run -d --name a redis", {"a"}, set()),
        ("docker network create n", {"n"}, set()),
        ("docker ps", set(), set()),
        ("docker run -d --name b --network n redis", {"b"}, {"n"}),
        ("iptables -S", set(), set()),
        ("docker network connect n a", set(), {"a", "n"}),
        ("docker port b", set(), {"b"}),
        ("docker exec a ip route", set(), {"a"}),
        ("docker ps -a", set(), set()),
    )
    scenario = Generated("fuzz-1", (), steps)
    asked: list[int] = []

    def oracle(candidate: Generated) -> bool:
        asked.append(len(candidate.steps))
        values = [s.value for s in candidate.steps]
        # The "bug": ip route in a container after a connect.
        return "docker exec a ip route" in values and "docker network connect n a" in values

    smallest = minimise(scenario, oracle)
    assert [s.value for s in smallest.steps] == [
        "docker run -d --name a redis",
        "docker network create n",
        "docker network connect n a",
        "docker exec a ip route",
    ]
    assert 0 not in asked
    load_scenario_text(smallest.text)  # still a valid scenario


def _simulated(scenario: Scenario, engine: str) -> dict[str, Any]:
    return replay(scenario, engine).as_json()


def _stamp(path: Path, engine: str) -> dict[str, str]:
    return {"scenario_sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "dockerd": engine}


def test_fuzz_agrees_with_itself_and_reports_nothing() -> None:
    lines: list[str] = []
    options = FuzzOptions(count=2, seed=3, engines=("20.10", "28.5"), steps=12)
    report = run_fuzz(options, lines.append, real=_simulated, stamp=_stamp)
    assert report.counts == {}
    assert report.scenarios == {"20.10": 2, "28.5": 2}
    assert report.steps["28.5"] == [24, 24]
    assert lines[0] == "[1/2] fuzz-3 on 20.10: 12/12 steps agree"


def test_fuzz_classifies_minimises_and_saves_a_disagreement(tmp_path: Path) -> None:
    def lying_engine(scenario: Scenario, engine: str) -> dict[str, Any]:
        result = _simulated(scenario, engine)
        for step in result["steps"]:
            if step["kind"] == "command" and step["command"].startswith("docker ps"):
                step["stdout"] += "extra\n"
        return result

    lines: list[str] = []
    seed = next(s for s in range(50) if "docker ps" in generate(s, 15).text)
    options = FuzzOptions(
        count=1, seed=seed, engines=("28.5",), steps=15, minimise=True, save=tmp_path
    )
    report = run_fuzz(options, lines.append, real=lying_engine, stamp=_stamp)
    assert {cls for (_, cls) in report.counts} <= {
        ("docker ps", "stdout"),
        ("docker ps -a", "stdout"),
    }
    saved_text = (tmp_path / f"fuzz-{seed}.yaml").read_text()
    assert saved_text.splitlines()[0].endswith("; minimised to 1 steps")
    saved = load_scenario(str(tmp_path / f"fuzz-{seed}.yaml"))
    assert [str(getattr(s, "command", "")) for s in saved.steps] in (
        ["docker ps"],
        ["docker ps -a"],
    )
    recorded = load_recorded(saved.name, "28.5", tmp_path / "recorded")
    assert recorded is not None and recorded["recorded"]["dockerd"] == "28.5"
    assert "differ: docker ps" in "\n".join(lines)
    table = format_table(report.counts)
    assert table.splitlines()[0].split() == ["engine", "command", "field", "scenarios"]


def test_kept_runs_are_rechecked_without_engines(tmp_path: Path) -> None:
    options = FuzzOptions(count=1, seed=5, engines=("20.10",), steps=10, keep=tmp_path)
    run_fuzz(options, lambda _: None, real=_simulated, stamp=_stamp)
    kept = json.loads((tmp_path / "recorded" / "20.10" / "fuzz-5.json").read_text())
    assert kept["scenario"] == "fuzz-5"
    again = FuzzOptions(count=1, seed=5, engines=("20.10",), steps=10, recorded=tmp_path)
    assert run_fuzz(again, lambda _: None).counts == {}
    kept_file = tmp_path / "fuzz-5.yaml"
    kept_file.write_text(kept_file.read_text() + "# replayed before the grammar changed\n")
    notes: list[str] = []
    assert run_fuzz(again, notes.append).counts == {}
    assert "the kept scenario differs from seed 5's; using it" in notes[0]
    missing = FuzzOptions(count=1, seed=6, engines=("20.10",), steps=10, recorded=tmp_path)
    lines: list[str] = []
    assert run_fuzz(missing, lines.append).scenarios == {}
    assert lines[0].endswith("fuzz-6.json: not kept, skipped")


def test_a_live_run_goes_on_past_a_failed_replay_and_resumes_from_what_it_kept(
    tmp_path: Path,
) -> None:
    asked: list[tuple[str, str]] = []

    def flaky_engine(scenario: Scenario, engine: str) -> dict[str, Any]:
        asked.append((scenario.name, engine))
        if scenario.name == "fuzz-5" and engine == "28.5":
            raise VerifyError("command did not finish in 60 s: docker ps")
        return _simulated(scenario, engine)

    options = FuzzOptions(count=2, seed=4, engines=("20.10", "28.5"), steps=8, keep=tmp_path)
    lines: list[str] = []
    report = run_fuzz(options, lines.append, real=flaky_engine, stamp=_stamp)
    assert report.failed == {"28.5": 1}
    assert report.scenarios == {"20.10": 2, "28.5": 1}
    assert "fuzz-5 on 28.5: not replayed: command did not finish in 60 s" in "\n".join(lines)
    assert not (tmp_path / "recorded" / "28.5" / "fuzz-5.json").exists()
    asked.clear()
    again = run_fuzz(options, lambda _: None, real=flaky_engine, stamp=_stamp)
    assert asked == [("fuzz-5", "28.5")]  # only what was not kept is replayed again
    assert again.scenarios == {"20.10": 2, "28.5": 1}
    # A recording made from another text of the scenario (a parallel run
    # rewrote the file) is replayed, not reused.
    stale = tmp_path / "recorded" / "20.10" / "fuzz-5.json"
    data = json.loads(stale.read_text())
    data["recorded"]["scenario_sha256"] = "0" * 64
    stale.write_text(json.dumps(data))
    asked.clear()
    run_fuzz(options, lambda _: None, real=flaky_engine, stamp=_stamp)
    assert ("fuzz-5", "20.10") in asked and ("fuzz-4", "20.10") not in asked
    stale.write_text(json.dumps(data))
    recheck = FuzzOptions(count=1, seed=5, engines=("20.10",), steps=8, recorded=tmp_path)
    notes: list[str] = []
    assert run_fuzz(recheck, notes.append).scenarios == {}
    assert notes[0].endswith("recorded from another version of the scenario, skipped")
    # A kept scenario the generator no longer makes is replayed, not reused.
    (tmp_path / "fuzz-4.yaml").write_text("# an older grammar's scenario\n")
    asked.clear()
    run_fuzz(options, lambda _: None, real=flaky_engine, stamp=_stamp)
    assert ("fuzz-4", "20.10") in asked


def test_host_links_are_not_listed_right_after_a_bridge_changes() -> None:
    listed = 0
    for seed in SEEDS:
        steps = [s.value for s in generate(seed, 30).steps]
        for index, value in enumerate(steps):
            if value in CARRIER_LISTINGS:
                listed += 1
                before = steps[max(0, index - SETTLE_STEPS) : index]
                assert not any(isinstance(v, str) and v.startswith(BRIDGE_CHANGES) for v in before)
    assert listed > 15  # 19 since the mistakes joined the grammar


def test_host_links_are_not_listed_once_a_bridge_has_emptied() -> None:
    builder = _Builder(random.Random(0))
    builder.run()
    (only,) = builder.containers.values()
    builder.add("docker ps", set(), set())
    builder.add("docker ps", set(), set())
    builder.add("docker ps", set(), set())
    assert only.mode == "bridge" and builder.link_settled()
    builder.leaving(only, only.networks)  # docker0 empties: never settled again
    builder.add("docker ps", set(), set())
    builder.add("docker ps", set(), set())
    builder.add("docker ps", set(), set())
    assert not builder.link_settled()


def test_disagreements_name_the_field() -> None:
    scenario = load_scenario_text(generate(2, 10).text)
    simulated = _simulated(scenario, "28.5")
    truth = json.loads(json.dumps(simulated))
    command = next(s for s in truth["steps"] if s["kind"] == "command")
    command["exit_code"] = 99
    difference = disagreements(truth, simulated, "28.5")
    assert difference.first_disagreement == command["index"]
    assert {field for _, field in difference.classes} == {"exit_code"}


def test_the_fuzz_command_refuses_what_needs_live_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from netsim.verify.cli import main

    code = main(["fuzz", "--count", "1", "--recorded", str(tmp_path), "--minimise"])
    assert code == 2
    assert "need the live engines, not --recorded" in capsys.readouterr().err
    assert main(["fuzz", "--count", "0"]) == 2
    assert "--count and --steps must be at least 1" in capsys.readouterr().err


def test_the_fuzz_command_refuses_an_unknown_engine(capsys: pytest.CaptureFixture[str]) -> None:
    from netsim.verify.cli import main

    with pytest.raises(SystemExit, match="2"):
        main(["fuzz", "--engine", "19.03"])
    assert "unknown engine 19.03: choose from 20.10, 28.5" in capsys.readouterr().err


# ------------------------------------------------------------------ mistakes


def _texts(steps: int = 25) -> list[str]:
    return [
        step.value
        for seed in SEEDS
        for step in generate(seed, steps).steps
        if isinstance(step.value, str)
    ]


def test_the_mistakes_grammar_types_every_form() -> None:
    text = "\n".join(_texts())
    for form in (
        "--link nosuch:db",
        "--name 'a b'",
        "-p 99999:80",
        "--expose 5-3",
        "--nosuchflag",
        "docker network inspect nosuchnet",
        "docker exec nosuch hostname",
        "docker rename nosuch ",
        "docker port nosuch 80",
        "/tcp\n",
    ):
        assert form in text, form
    lines = text.splitlines()
    for count_form in ARGUMENT_COUNTS:
        bare = count_form.split(" {", 1)[0]
        assert any(line == bare or line.startswith(bare + " ") for line in lines), count_form
    # Partial failures: a missing name among existing ones, for every verb.
    for verb in ("start", "stop", "restart", "rm -f"):
        assert any(
            line.startswith(f"docker {verb} ")
            and "nosuch" in line.split()
            and len(line.split()) > 3
            for line in lines
        ), verb


def test_a_refused_create_makes_nothing_and_no_step_needs_it() -> None:
    seen = 0
    for seed in SEEDS:
        steps = generate(seed, 25).steps
        for index, step in enumerate(steps):
            value = step.value
            if not isinstance(value, str) or not value.startswith(("docker run", "docker create")):
                continue
            refused = (
                any(
                    form in value for form in (*CLI_REFUSALS, "--link nosuch:db", "'a b'", "'web!'")
                )
                or " --name _c " in value
            )
            if not refused:
                continue
            seen += 1
            assert step.makes == frozenset(), value
            name = value.split("--name ", 1)[1].split()[0]
            later = [s.value for s in steps[index + 1 :] if name in s.needs]
            assert later == [], (seed, value, later)
    assert seen > 20


def test_a_name_in_use_is_refused_and_the_missing_names_are_never_made() -> None:
    in_use = 0
    for seed in SEEDS:
        made: set[str] = set()
        for step in generate(seed, 25).steps:
            assert MISSING_CONTAINER not in step.makes and MISSING_NETWORK not in step.makes
            value = step.value
            if isinstance(value, str) and value.startswith(("docker run -d", "docker create ")):
                name = value.split("--name ", 1)[1].split()[0]
                if name in made:
                    in_use += 1
                    assert step.makes == frozenset() and name in step.needs
            made |= step.makes
    assert in_use > 5


def test_several_containers_are_acted_on_and_the_model_follows() -> None:
    builder = _Builder(random.Random(4))
    for _ in range(3):
        builder.run()
    names = list(builder.containers)
    for seed in range(200):
        builder.rng = random.Random(seed)
        before = {name: c.running for name, c in builder.containers.items()}
        assert builder.several()
        words = str(builder.steps[-1].value).split()
        verb = words[1] if words[1] != "rm" else "rm -f"
        acted = [w for w in words[2:] if w not in ("-f",) and w != MISSING_CONTAINER]
        assert set(acted) == builder.steps[-1].needs
        for name in acted:
            if verb == "rm -f":
                assert name not in builder.containers
            else:
                assert builder.containers[name].running == (verb != "stop"), words
                if verb == "start":
                    assert not before[name]
        if not builder.containers:
            break
    assert set(names) - set(builder.containers), "rm -f never removed a container"


def test_a_rename_renames_the_model_but_never_a_namespace_target() -> None:
    renamed = 0
    for seed in SEEDS:
        steps = generate(seed, 30).steps
        makers = {name: step for step in steps for name in step.makes}
        for index, step in enumerate(steps):
            value = step.value
            if not (isinstance(value, str) and value.startswith("docker rename ")):
                continue
            words = value.split()
            if len(words) != 4 or not step.makes:
                continue
            renamed += 1
            old, new = words[2], words[3]
            assert step.makes == {new} and step.needs == {old}
            joined = [
                s
                for s in steps[:index]
                if isinstance(s.value, str)
                and not s.value.startswith("docker run --rm")  # gone when it has listed
                and f"--network container:{old} " in s.value
            ]
            assert joined == [], (seed, value)
            # After the rename nothing uses the old name, except another refusal.
            for later in steps[index + 1 :]:
                assert old not in later.needs, (seed, later.value)
            assert makers[new] is step
    assert renamed > 10
