"""Command line of the real-engine harness (``python -m netsim.verify``).

setup                       install/unpack Docker 20.10 and 28.5 and Compose 2.26 as each CLI's
                            plugin (idempotent, quick when done)
status                      say whether each engine can run here, and why not
run FILE --engine V [--json OUT] [--twice]
                            replay one scenario on a fresh real daemon; --twice replays it
                            again and checks the two agree after normalisation
record (--all | FILE...) [--engine V] [--check-twice]
                            replay and write tests/conformance/recorded/<engine>/<name>.json
                            (a file outside scenarios/, such as found/, records beside it)
compare A.json B.json       compare two results step by step after normalisation
sim-diff [FILE...] [--engine V]
                            compare the simulator (netsim.session) with the recorded ground
                            truth and print the disagreements as known_differences.yaml
                            entries, for review (needs no root)
fuzz --count N --seed S [--engine 20.10,28.5] [--steps K] [--minimise] [--save DIR]
     [--keep DIR] [--recorded DIR]
                            differential fuzzing: N generated scenarios (seeds S..S+N-1)
                            replayed on the real engines and on netsim, compared step by
                            step; prints a table of disagreement classes, exits 1 on any
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netsim.docker.engines import engine_names
from netsim.errors import NetsimError, VerifyError
from netsim.session import load_scenario, replay
from netsim.verify.differential import format_table
from netsim.verify.engines import (
    compose_unavailable_reason,
    find_engine,
    setup_engines,
    unavailable_reason,
)
from netsim.verify.fuzzrun import FuzzOptions, run_fuzz
from netsim.verify.normalise import compare_results, format_disagreements
from netsim.verify.record import (
    FOUND_DIR,
    SCENARIO_DIR,
    load_recorded,
    provenance,
    read_result,
    recorded_path,
    recording_root,
    write_result,
)
from netsim.verify.replay import replay_scenario

ENGINES = engine_names()


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _write_json(result: dict[str, Any], out: str) -> None:
    text = json.dumps(result, indent=2) + "\n"
    if out == "-":
        sys.stdout.write(text)
        return
    try:
        Path(out).write_text(text)
    except OSError as error:
        raise VerifyError(f"cannot write {out}: {error.strerror or error}") from None


def _twice(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Print how two replays of one scenario agree; return True when they fully do."""
    comparison = compare_results(first, second)
    agreed = sum(1 for step in comparison if step.agrees)
    print(f"replay twice: {agreed}/{len(comparison)} steps agree after normalisation")
    if agreed != len(comparison):
        print(format_disagreements(comparison, "first", "second"))
    return agreed == len(comparison)


def _cmd_setup(args: argparse.Namespace) -> int:
    setup_engines(tuple(args.engine or ENGINES), progress=_progress)
    print("engines ready: " + ", ".join(args.engine or ENGINES))
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    missing = 0
    for version in args.engine or ENGINES:
        reason = unavailable_reason(version)
        print(f"Docker {version}: {'ready' if reason is None else reason}")
        missing += reason is not None
        if reason is None:
            # Compose is needed by the compose scenarios only; it does not fail status.
            compose = compose_unavailable_reason(version)
            print(f"  docker compose: {'ready' if compose is None else compose}")
    return 1 if missing else 0


def _cmd_run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    version = args.engine or scenario.engine
    start = time.monotonic()
    result = replay_scenario(scenario, version, progress=_progress)
    _progress(f"replayed in {time.monotonic() - start:.1f} s")
    if args.json:
        _write_json(result, args.json)
    status = 0 if result["passed"] else 1
    if args.twice:
        again = replay_scenario(scenario, version, progress=_progress)
        if not _twice(result, again):
            status = 3
    return status


def _cmd_record(args: argparse.Namespace) -> int:
    every = sorted(SCENARIO_DIR.glob("*.yaml")) + sorted(FOUND_DIR.glob("*.yaml"))
    files = every if args.all else [Path(f) for f in args.files]
    if not files:
        print("nothing to record: give scenario files or --all", file=sys.stderr)
        return 2
    status = 0
    for version in args.engine or ENGINES:
        for file in files:
            scenario = load_scenario(str(file))
            start = time.monotonic()
            result = replay_scenario(scenario, version, progress=_progress)
            took = time.monotonic() - start
            if args.check_twice:
                again = replay_scenario(scenario, version, progress=_progress)
                if not _twice(result, again):
                    status = 3
                    if not args.keep_unstable:
                        print(f"{scenario.name} on {version}: unstable, not recorded")
                        continue
                    print(f"{scenario.name} on {version}: unstable, recorded the first replay")
            result["recorded"] = provenance(file, find_engine(version))
            path = write_result(result, recorded_path(scenario.name, version, recording_root(file)))
            print(f"{scenario.name} on {version}: {took:.1f} s -> {path}")
    return status


def _cmd_compare(args: argparse.Namespace) -> int:
    first = read_result(args.first)
    second = read_result(args.second)
    comparison = compare_results(first, second)
    agreed = sum(1 for step in comparison if step.agrees)
    print(f"agreement: {agreed}/{len(comparison)} steps")
    if agreed != len(comparison):
        print(format_disagreements(comparison, args.first, args.second))
    return 0 if agreed == len(comparison) else 1


def _cmd_sim_diff(args: argparse.Namespace) -> int:
    files = [Path(f) for f in args.files] or (
        sorted(SCENARIO_DIR.glob("*.yaml")) + sorted(FOUND_DIR.glob("*.yaml"))
    )
    totals: dict[str, list[int]] = {}
    entries: list[str] = []
    for version in args.engine or ENGINES:
        for file in files:
            scenario = load_scenario(str(file))
            truth = load_recorded(scenario.name, version, recording_root(file))
            if truth is None:
                print(f"# {scenario.name} on {version}: no recording")
                continue
            comparison = compare_results(truth, replay(scenario, version).as_json())
            total = totals.setdefault(version, [0, 0])
            total[0] += sum(1 for step in comparison if step.agrees)
            total[1] += len(comparison)
            for step in comparison:
                if not step.agrees:
                    fields = ", ".join(name for name, _, _ in step.differences)
                    entries.append(
                        f'- scenario: {scenario.name}\n  engine: "{version}"\n'
                        f'  step: {step.index}\n  reason: "TODO review ({fields} differ): '
                        f'{step.label.replace(chr(34), chr(39))}"'
                    )
    print("\n".join(entries))
    for version, (agreed, total_steps) in totals.items():
        print(f"# Docker {version}: agreement: {agreed}/{total_steps} steps")
    return 0


def _engine_list(text: str) -> tuple[str, ...]:
    """Parse ``--engine 20.10,28.5``."""
    engines = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [engine for engine in engines if engine not in ENGINES]
    if unknown or not engines:
        raise argparse.ArgumentTypeError(
            f"unknown engine {', '.join(unknown) or repr(text)}: choose from {', '.join(ENGINES)}"
        )
    return engines


def _cmd_fuzz(args: argparse.Namespace) -> int:
    if args.count < 1 or args.steps < 1:
        print("fuzz: --count and --steps must be at least 1", file=sys.stderr)
        return 2
    if args.recorded and (args.minimise or args.save):
        print("fuzz: --minimise and --save need the live engines, not --recorded", file=sys.stderr)
        return 2
    options = FuzzOptions(
        count=args.count,
        seed=args.seed,
        engines=args.engine,
        steps=args.steps,
        minimise=args.minimise,
        save=Path(args.save) if args.save else None,
        keep=Path(args.keep) if args.keep else None,
        recorded=Path(args.recorded) if args.recorded else None,
    )
    if not options.recorded:
        for engine in options.engines:
            reason = unavailable_reason(engine)
            if reason:
                print(f"fuzz: Docker {engine} cannot run here: {reason}", file=sys.stderr)
                return 2
    report = run_fuzz(options, _progress)
    for engine in options.engines:
        agreed, total = report.steps.get(engine, [0, 0])
        print(
            f"Docker {engine}: {report.scenarios.get(engine, 0)} scenarios, "
            f"{report.disagreeing.get(engine, 0)} disagree; steps agree {agreed}/{total}"
            + (f"; {report.failed[engine]} not replayed" if report.failed.get(engine) else "")
        )
    if report.counts:
        print(format_table(report.counts))
    return 1 if report.counts or report.failed else 0


def build_parser() -> argparse.ArgumentParser:
    """Return the harness's argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m netsim.verify",
        description="Replay scenarios on real Docker engines (the ground truth).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser(
        "setup", help="install Docker 20.10, unpack Docker 28.5 and Compose 2.26 (CLI plugin)"
    )
    setup.add_argument("--engine", action="append", choices=ENGINES)
    setup.set_defaults(handler=_cmd_setup)
    status = commands.add_parser("status", help="say whether each engine can run here")
    status.add_argument("--engine", action="append", choices=ENGINES)
    status.set_defaults(handler=_cmd_status)
    run = commands.add_parser("run", help="replay one scenario on a real engine")
    run.add_argument("file")
    run.add_argument("--engine", choices=ENGINES)
    run.add_argument("--json", metavar="OUT")
    run.add_argument(
        "--twice", action="store_true", help="replay again and check both agree after normalisation"
    )
    run.set_defaults(handler=_cmd_run)
    record = commands.add_parser("record", help="re-record the ground truth")
    record.add_argument("files", nargs="*")
    record.add_argument(
        "--all",
        action="store_true",
        help="every scenarios/*.yaml and tests/conformance/found/*.yaml",
    )
    record.add_argument("--engine", action="append", choices=ENGINES)
    record.add_argument(
        "--check-twice", action="store_true", help="replay each twice; record only when both agree"
    )
    record.add_argument(
        "--keep-unstable",
        action="store_true",
        help="with --check-twice, record the first replay even when the two differ",
    )
    record.set_defaults(handler=_cmd_record)
    compare = commands.add_parser("compare", help="compare two JSON results")
    compare.add_argument("first")
    compare.add_argument("second")
    compare.set_defaults(handler=_cmd_compare)
    sim_diff = commands.add_parser("sim-diff", help="simulator vs recorded, as YAML entries")
    sim_diff.add_argument("files", nargs="*")
    sim_diff.add_argument("--engine", action="append", choices=ENGINES)
    sim_diff.set_defaults(handler=_cmd_sim_diff)
    fuzz = commands.add_parser("fuzz", help="differential fuzzing against the real engines")
    fuzz.add_argument("--count", type=int, default=10, help="how many scenarios (default 10)")
    fuzz.add_argument("--seed", type=int, default=0, help="the first seed (default 0)")
    fuzz.add_argument(
        "--engine", type=_engine_list, default=ENGINES, help="engines, comma-separated"
    )
    fuzz.add_argument("--steps", type=int, default=20, help="steps per scenario (default 20)")
    fuzz.add_argument(
        "--minimise", action="store_true", help="shrink each disagreeing scenario (with --save)"
    )
    fuzz.add_argument(
        "--save", metavar="DIR", help="save disagreeing scenarios and their recordings in DIR"
    )
    fuzz.add_argument(
        "--keep", metavar="DIR", help="keep every scenario with its real recordings in DIR"
    )
    fuzz.add_argument(
        "--recorded", metavar="DIR", help="compare with a --keep run's recordings, no engines"
    )
    fuzz.set_defaults(handler=_cmd_fuzz)
    return parser


def _terminate(signum: int, _frame: object) -> None:
    """Turn SIGTERM into KeyboardInterrupt, so replays tear their world down."""
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the harness command line; return the exit code."""
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.handler(args))
    except NetsimError as error:
        print(f"netsim.verify: {error}", file=sys.stderr)
        return 2
