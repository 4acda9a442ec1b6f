"""The ``netsim`` command line: a thin layer over the library; the only place that exits."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from netsim.errors import NetsimError, ScenarioError

if TYPE_CHECKING:
    from netsim.scenario.spec import Scenario

EXAMPLES = """\
examples:
  netsim run scenarios/port-mapping.yaml
  netsim trace scenarios/port-mapping.yaml --probe 'laptop -> 192.168.1.10:12345'
  netsim reach scenarios/two-networks.yaml
  netsim plot scenarios/icc-disabled.yaml --out pictures
  netsim diagram scenarios/link-tomcat-mysql.yaml --format mermaid
  netsim run scenarios/link-tomcat-mysql.yaml --engine 28.5 --json result.json
  netsim run scenarios/port-mapping.yaml --json - --quiet
  netsim check scenarios/*.yaml
  netsim report scenarios/port-mapping.yaml --out report.html
  netsim shell scenarios/port-mapping.yaml
  netsim grade reference.yaml answer.yaml
  netsim diff scenarios/port-mapping.yaml scenarios/publish-forms.yaml
"""

# Exit codes (also in README.md): 0 every expectation held, 1 one failed,
# 2 the scenario or the command line is invalid, 3 an output could not be
# written (no space, no such folder, no permission).
EXIT_OK, EXIT_EXPECTATION, EXIT_INVALID, EXIT_OUTPUT = 0, 1, 2, 3


class OutputError(Exception):
    """An output file or folder could not be written; names it and says why."""


def _output_name(text: str) -> str:
    """Check an output name given on the command line (argparse type)."""
    if text == "":
        raise argparse.ArgumentTypeError("an empty name; give a file name ('-': standard output)")
    return text


def _output_folder(text: str) -> Path:
    """Check an output folder given on the command line (argparse type)."""
    if text == "":
        raise argparse.ArgumentTypeError("an empty name; give a folder")
    return Path(text)


class _SafeStream:
    """A text stream that writes lone surrogates as ``\\udXXX`` escapes instead of failing.

    A scenario may carry them (YAML's "\\ud800" escape) into commands and
    output; a UTF-8 terminal or file cannot take them as they are.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(safe_text(text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


def safe_text(text: str) -> str:
    """Return ``text`` with lone surrogates written as backslash escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _engines() -> tuple[str, ...]:
    """Return the engine names the profile registry knows (the ``--engine`` choices)."""
    from netsim.docker.engines import engine_names

    return engine_names()


def _parser() -> argparse.ArgumentParser:
    engines = _engines()
    parser = argparse.ArgumentParser(
        prog="netsim",
        description="Replay Docker networking commands on a simulated host, as Docker 20.10 "
        "and 28.5 do them.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from netsim import __version__

    parser.add_argument("--version", action="version", version=f"netsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="replay a scenario and print the transcript",
        description="Replay a scenario's steps on a simulated Docker host and print what a real "
        "host prints. Exit code: 0 every expectation held, 1 one failed, 2 the "
        "scenario (or the command line) is invalid, 3 an output could not be written.",
        epilog="examples:\n  netsim run scenarios/port-mapping.yaml\n"
        "  netsim run scenarios/icc-disabled.yaml --engine 20.10 --json out.json\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("file", type=Path, help="the scenario YAML file")
    run.add_argument(
        "--engine",
        choices=engines,
        help="Docker version to reproduce (overrides the file's engine:)",
    )
    run.add_argument(
        "--json",
        metavar="OUT",
        type=_output_name,
        help="also write the JSON result to OUT ('-' for standard output)",
    )
    run.add_argument("--quiet", "-q", action="store_true", help="do not print the transcript")
    run.add_argument(
        "--seed", type=int, default=0, help="seed of the random choices (IDs, MACs); default 0"
    )
    run.add_argument(
        "--pcap",
        metavar="DIR",
        type=_output_folder,
        help=(
            "write the frames of the probes and of registry pushes and pulls to DIR, "
            "one pcap per interface"
        ),
    )

    trace = commands.add_parser(
        "trace",
        help="explain one probe hop by hop",
        description="Replay a scenario, then send one probe and print its path hop by hop: "
        "interfaces, bridge decisions, each table and chain visited with the rule "
        "that matched (numbered as iptables -L --line-numbers), conntrack, NAT, "
        "routing, and the socket or drop at the end.",
        epilog="examples:\n  netsim trace scenarios/port-mapping.yaml "
        "--probe 'laptop -> 192.168.1.10:12345'\n"
        "  netsim trace scenarios/icc-disabled.yaml --probe 'cache -> 172.17.0.2:3306' "
        "--frames\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    trace.add_argument("file", type=Path, help="the scenario YAML file")
    trace.add_argument(
        "--probe",
        required=True,
        metavar="'SRC -> DST:PORT[/PROTO]'",
        help="the probe to explain (as a scenario's probe: step)",
    )
    trace.add_argument(
        "--proto",
        choices=("tcp", "udp", "icmp"),
        help="protocol, when the probe text does not say (icmp for a ping)",
    )
    trace.add_argument("--frames", action="store_true", help="also list every frame on the wire")
    trace.add_argument(
        "--brief",
        action="store_true",
        help="one line per device crossed with the decision that mattered there "
        "(NAT, the accepting or dropping rule, the socket), then the result and why",
    )
    _add_world_options(trace, engines)

    reach = commands.add_parser(
        "reach",
        help="print who reaches what after a scenario's steps",
        description="Replay a scenario, then probe every destination (container ports, "
        "published host ports, machine ports) from every source (host, machines, "
        "containers) and print the matrix.",
        epilog="examples:\n  netsim reach scenarios/two-networks.yaml\n"
        "  netsim reach scenarios/icc-disabled.yaml --json reach.json\n"
        "  netsim reach big.yaml --json reach.json --form compact --progress\n"
        "  netsim reach big.yaml --json reach.json --shards 4 --jobs 2\n\n"
        "Above 100,000 cells the JSON is the compact form (docs/scenario-format.md) and\n"
        "the text a summary; netsim.results.reach.read_reach_json reads either form.\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reach.add_argument("file", type=Path, help="the scenario YAML file")
    reach.add_argument(
        "--json", metavar="OUT", type=_output_name, help="write the matrix as JSON ('-': stdout)"
    )
    reach.add_argument(
        "--form",
        choices=("auto", "cells", "compact"),
        default="auto",
        help="JSON form: the contract's cells, the compact form, or by size (default)",
    )
    reach.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on standard error even when it is not a terminal",
    )
    _add_world_options(reach, engines)
    reach.add_argument(
        "--shards",
        type=int,
        default=1,
        help="answer the sources in this many slices, each replaying the scenario in its "
        "own worker; the output is the same (default 1: no slices)",
    )
    reach.add_argument(
        "--jobs",
        type=int,
        help="local worker processes for the shards (default: one per shard)",
    )
    reach.add_argument(
        "--scheduler", metavar="ADDRESS", help="a Dask scheduler to run the shards on"
    )

    plot = commands.add_parser(
        "plot",
        help="draw the topology, reachability matrix and traffic of a scenario",
        description="Replay a scenario and draw pictures of the state after its steps: the "
        "topology, the reachability matrix, the traffic each link carried, and "
        "the path of each --probe.",
        epilog="examples:\n  netsim plot scenarios/port-mapping.yaml --out pictures\n"
        "  netsim plot scenarios/icc-disabled.yaml --format svg "
        "--probe 'web -> database:3306'\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plot.add_argument("file", type=Path, help="the scenario YAML file")
    plot.add_argument(
        "--out", type=_output_folder, default=Path("."), help="folder for the pictures"
    )
    plot.add_argument("--format", choices=("png", "svg"), default="png", help="image format")
    plot.add_argument(
        "--probe",
        action="append",
        default=[],
        metavar="'SRC -> DST:PORT'",
        help="also draw this probe's path (repeatable)",
    )
    _add_world_options(plot, engines)

    diagram = commands.add_parser(
        "diagram",
        help="write a diagram of a scenario's networks for documentation",
        description="Write the networks, containers, published ports and links after a "
        "scenario's steps as Mermaid, Graphviz DOT, SVG or PNG (no probes run).",
        epilog="examples:\n  netsim diagram scenarios/link-tomcat-mysql.yaml --format mermaid\n"
        "  netsim diagram scenarios/two-networks.yaml --format svg --out net.svg\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diagram.add_argument("file", type=Path, help="the scenario YAML file")
    diagram.add_argument(
        "--format",
        choices=("mermaid", "dot", "svg", "png"),
        default="mermaid",
        help="output format (svg and png need Graphviz's dot)",
    )
    diagram.add_argument(
        "--out",
        type=_output_folder,
        help="output file (mermaid and dot go to standard output without it)",
    )
    diagram.add_argument("--engine", choices=engines, help="Docker version to reproduce")

    check = commands.add_parser(
        "check",
        help="validate scenario files without running them",
        description="Validate scenario files; exit 2 with a message naming the file and line "
        "of the first problem.",
        epilog="example:\n  netsim check scenarios/*.yaml\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("files", type=Path, nargs="+", help="scenario YAML files")
    _add_report_parser(commands, engines)
    _add_shell_parser(commands, engines)
    _add_comparison_parsers(commands, engines)

    batch = commands.add_parser(
        "batch",
        help="run many scenarios in parallel (local processes or a Dask cluster)",
        description="Run a task on every scenario file, on every engine given: 'run' writes "
        "each JSON result, 'reach' each matrix, 'plot' each scenario's pictures, 'grade' "
        "each file's grade against --reference (text and JSON, as netsim grade). Writes "
        "the files and DIR/results.jsonl (one JSON line per file and engine, in the order "
        "given, also printed); the output is the same whatever the workers.",
        epilog="examples:\n  netsim batch scenarios/*.yaml --engine 20.10,28.5 --jobs 4 --out out\n"
        "  netsim batch submissions/*.yaml --task reach --scheduler tcp://10.0.0.5:8786 "
        "--out out\n  netsim batch submissions/*.yaml --task grade --reference "
        "docs/exercises/publish-a-port.yaml --jobs 2 --out grades\n\nexit code: 0 all ran "
        "and every expectation held (every grade passed), 1 an expectation failed, 2 a "
        "file was invalid.\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    batch.add_argument("files", type=Path, nargs="+", help="scenario YAML files")
    batch.add_argument("--out", type=Path, required=True, help="directory for the results")
    batch.add_argument(
        "--engine",
        help=f"comma-separated Docker versions ({', '.join(engines)}); default: each file's own",
    )
    batch.add_argument("--task", choices=("run", "reach", "plot", "grade"), default="run")
    batch.add_argument(
        "--reference",
        type=Path,
        metavar="REFERENCE",
        help="with --task grade: the reference scenario every file is graded against",
    )
    batch.add_argument(
        "--jobs", type=int, default=1, help="local worker processes (default 1: this process)"
    )
    batch.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler to run on")
    batch.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on standard error even when it is not a terminal",
    )
    return parser


def _add_world_options(parser: argparse.ArgumentParser, engines: tuple[str, ...]) -> None:
    """Add --engine and --seed, which every command that builds a world takes."""
    parser.add_argument("--engine", choices=engines, help="Docker version to reproduce")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random choices")


def _add_report_parser(commands: argparse._SubParsersAction[Any], engines: tuple[str, ...]) -> None:
    report = commands.add_parser(
        "report",
        help="write a self-contained HTML report to click through",
        description="Replay a scenario and write one HTML file that needs nothing else to open "
        "(no network): the transcript, the topology and reachability pictures, and "
        "every probe's hops to step through, with the packet's headers before and after "
        "each NAT and the rule that decided, highlighted on the topology.",
        epilog="examples:\n  netsim report scenarios/port-mapping.yaml --out report.html\n"
        "  netsim report scenarios/icc-disabled.yaml --engine 20.10 --out icc.html\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("file", type=Path, help="the scenario YAML file")
    report.add_argument(
        "--out", type=Path, required=True, help="the HTML file to write (folders are made)"
    )
    _add_world_options(report, engines)


def _add_comparison_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], engines: tuple[str, ...]
) -> None:
    """Add ``grade`` and ``diff``: two scenarios' worlds compared probe by probe."""
    grade = commands.add_parser(
        "grade",
        help="check a student's scenario against a reference",
        description="Replay a reference scenario and a student's, then ask both worlds the "
        "reference's probes, check the reference's expect_* outputs against the student's, "
        "and compare the reachability matrices; every difference comes with each side's "
        "reason. Exit code: 0 the student's world does what the reference's does, 1 it "
        "differs, 2 a scenario is invalid.",
        epilog="examples:\n  netsim grade docs/exercises/publish-a-port.yaml answer.yaml\n"
        "  netsim grade reference.yaml answer.yaml --json -\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff = commands.add_parser(
        "diff",
        help="show where two scenarios' worlds reach differently",
        description="Replay two scenarios (or two versions of one), ask both worlds the probes "
        "of either, and compare the reachability matrices; every difference comes with each "
        "side's reason. Exit code: 0 no difference, 1 some, 2 a scenario is invalid.",
        epilog="example:\n  netsim diff scenarios/port-mapping.yaml scenarios/publish-forms.yaml\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for parser, first, second in ((grade, "reference", "student"), (diff, "a", "b")):
        parser.add_argument(first, type=Path, help=f"the {first} scenario YAML file")
        parser.add_argument(second, type=Path, help=f"the {second} scenario YAML file")
        parser.add_argument(
            "--json", metavar="OUT", help="also write the comparison as JSON ('-': stdout only)"
        )
        _add_world_options(parser, engines)


def _cmd_compare(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.grade import format_comparison, format_comparison_json
    from netsim.session import load_scenario
    from netsim.session.grade import compare

    grading = args.command == "grade"
    paths = (args.reference, args.student) if grading else (args.a, args.b)
    names = ("reference", "student") if grading else ("A", "B")
    first, second = (load_scenario(path) for path in paths)
    comparison = compare(first, second, engine=args.engine, seed=args.seed, grade=grading)
    if args.json != "-":
        stdout.write(format_comparison(comparison, names))
    if args.json:
        _write(args.json, format_comparison_json(comparison), stdout)
    return EXIT_OK if comparison.passed else EXIT_EXPECTATION


def _write(path: str, text: str, stdout: TextIO) -> None:
    if path == "-":
        stdout.write(text)
        return
    with _writing(path):
        Path(path).write_text(safe_text(text), encoding="utf-8")


@contextmanager
def _writing(path: str | Path) -> Iterator[None]:
    """Turn an OSError while writing ``path`` into an OutputError naming it."""
    try:
        yield
    except OSError as error:
        where = error.filename or path
        raise OutputError(f"cannot write {where}: {error.strerror or error}") from None


def _refuse_overwriting_input(output: str | None, scenario: Path) -> None:
    """Refuse an output file that is the scenario file itself (before running anything)."""
    if output is None or output == "-":
        return
    if Path(output).resolve() == scenario.resolve():
        raise OutputError(
            f"--json {output} would overwrite the scenario {scenario}; name another file"
        )


def _compose_notes(scenario: Scenario, stderr: TextIO) -> None:
    """Print, once, the Compose keys netsim does not simulate or ignores."""
    for compose in scenario.compose:
        if compose.notes:
            stderr.write(f"netsim: {compose.file}: compose keys netsim does not act on:\n")
            stderr.write("".join(f"  {note}\n" for note in compose.notes))


def _cmd_run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.pcap import write_run_pcaps
    from netsim.render.transcript import format_header, format_json, format_step
    from netsim.results.run import StepRecord
    from netsim.session import load_scenario, replay

    _refuse_overwriting_input(args.json, args.file)
    scenario = load_scenario(args.file)
    _compose_notes(scenario, stderr)
    show = not args.quiet and args.json != "-"

    def progress(index: int, total: int, step: StepRecord) -> None:
        if show:
            stdout.write(format_step(step))
            stdout.flush()

    if show:
        stdout.write(format_header(scenario.name, args.engine or scenario.engine))
    run = replay(
        scenario, args.engine, seed=args.seed, progress=progress, capture=args.pcap is not None
    )
    if args.pcap is not None:
        with _writing(args.pcap):
            write_run_pcaps(args.pcap, run)
        if show:
            stdout.write(f"# pcaps written to {args.pcap}\n")
    if args.json:
        _write(args.json, format_json(run), stdout)
    if not run.passed:
        stderr.write(f"netsim: {len(run.failed)} expectation(s) failed in {args.file}\n")
        return EXIT_EXPECTATION
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.session import load_scenario

    for file in args.files:
        scenario = load_scenario(file)
        stdout.write(f"{file}: ok ({scenario.name}, {len(scenario.steps)} steps)\n")
    return EXIT_OK


def _cmd_trace(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.trace import format_brief, format_trace
    from netsim.session import load_scenario, trace

    scenario = load_scenario(args.file)
    _compose_notes(scenario, stderr)
    run, record = trace(scenario, args.probe, engine=args.engine, seed=args.seed, proto=args.proto)
    if record.result is None:
        # The probe could not be sent at all (its source is not running): nothing to trace.
        stderr.write(f"netsim trace: {record.error}\n")
        return EXIT_EXPECTATION
    stdout.write(
        f"# trace {record.probe} after the steps of {scenario.name} "
        f"(Docker {run.engine}, simulated)\n"
    )
    stdout.write(format_brief(record) if args.brief else format_trace(record, frames=args.frames))
    return EXIT_OK


def _cmd_reach(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.reach import format_reach_json
    from netsim.session import load_scenario, reach

    _refuse_overwriting_input(args.json, args.file)
    for option, value in (("--shards", args.shards), ("--jobs", args.jobs)):
        if value is not None and value < 1:
            stderr.write(f"netsim: reach {option}: expected 1 or more, got {value}\n")
            return EXIT_INVALID
    scenario = load_scenario(args.file)
    _compose_notes(scenario, stderr)
    with _progress_bars(stderr, shown=args.progress) as bar:
        if args.shards > 1 or args.scheduler:
            from netsim.batch import reach_sharded

            matrix = reach_sharded(
                args.file,
                args.shards,
                engine=args.engine,
                seed=args.seed,
                workers=args.shards if args.jobs is None else args.jobs,
                scheduler=args.scheduler,
                progress=bar("shards"),
            )
        else:
            steps = bar("steps")
            _, matrix = reach(
                scenario,
                engine=args.engine,
                seed=args.seed,
                progress=bar("sources"),
                replay_progress=None if steps is None else lambda i, n, _: steps(i + 1, n),
            )
    if args.json != "-":
        stdout.write(matrix.text())
    if args.json:
        compact = {"auto": None, "cells": False, "compact": True}[args.form]
        _write(args.json, format_reach_json(matrix, compact=compact), stdout)
    return EXIT_OK


@contextlib.contextmanager
def _progress_bars(
    stderr: TextIO, *, shown: bool
) -> Iterator[Callable[[str], Callable[[int, int], None] | None]]:
    """Yield ``bar(unit)``: a progress callback (done, total) drawing on ``stderr``, or None.

    Bars are drawn when ``stderr`` is a terminal or when asked (``shown``),
    one stage after another (a new bar closes the one before), each from its
    first call on; they never go to standard output, which may carry JSON.
    """
    bars: list[Any] = []

    def bar(unit: str) -> Callable[[int, int], None] | None:
        if not (shown or stderr.isatty()):
            return None
        from tqdm import tqdm

        def progress(done: int, total: int) -> None:
            if not bars or bars[-1].unit != unit:
                for old in bars:
                    old.close()
                bars.append(tqdm(total=total, file=stderr, unit=unit, mininterval=0.5))
            bars[-1].update(done - bars[-1].n)

        return progress

    try:
        yield bar
    finally:
        for old in bars:
            old.close()


def _cmd_batch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.batch import batch_jobs, run_batch, write_batch
    from netsim.session import load_scenario

    engines: list[str | None] = [None]
    if args.engine:
        engines = [name.strip() for name in args.engine.split(",")]
        unknown = [name for name in engines if name not in _engines()]
        if unknown:
            stderr.write(
                f"netsim: batch --engine: unknown engine {unknown[0]!r}, "
                f"expected a comma-separated list of {', '.join(_engines())}\n"
            )
            return EXIT_INVALID
    if args.jobs < 1:
        stderr.write(f"netsim: batch --jobs: expected 1 or more, got {args.jobs}\n")
        return EXIT_INVALID
    if (args.task == "grade") != (args.reference is not None):
        stderr.write(
            "netsim: batch: --reference REFERENCE goes with --task grade, and only with it\n"
        )
        return EXIT_INVALID
    missing = [path for path in [*args.files, args.reference] if path and not path.is_file()]
    if missing:
        stderr.write(f"netsim: batch: no such file: {missing[0]}\n")
        return EXIT_INVALID
    if args.reference is not None:
        load_scenario(args.reference)  # an invalid reference is one error, not one per file
    jobs = batch_jobs(args.files, engines, args.task, args.reference)
    with _progress_bars(stderr, shown=args.progress) as bar:
        results = run_batch(
            jobs, workers=args.jobs, scheduler=args.scheduler, progress=bar("scenarios")
        )
        _, errors, failed = write_batch(results, args.out, stdout.write)
    if errors:
        return EXIT_INVALID
    return EXIT_EXPECTATION if failed else EXIT_OK


def _cmd_plot(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.plots import plot_all
    from netsim.session import load_scenario, pictures

    scenario = load_scenario(args.file)
    _compose_notes(scenario, stderr)
    drawn = pictures(scenario, engine=args.engine, seed=args.seed, probes=tuple(args.probe))
    with _writing(args.out):
        args.out.mkdir(parents=True, exist_ok=True)
        written = plot_all(drawn, args.out, args.format)
    for path in written:
        stdout.write(f"wrote {path}\n")
    return EXIT_OK


def _cmd_diagram(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.diagram import write_diagram
    from netsim.session import load_scenario, replay

    scenario = load_scenario(args.file)
    _compose_notes(scenario, stderr)
    if args.format in ("svg", "png") and args.out is None:
        stderr.write(f"netsim: diagram --format {args.format} needs --out FILE\n")
        return EXIT_INVALID
    run = replay(scenario, args.engine, probes=False)
    with _writing(args.out or "-"):
        data = write_diagram(run.topology, args.format, args.out)
    if args.out is None:
        stdout.write(data.decode("utf-8"))
    else:
        stdout.write(f"wrote {args.out}\n")
    return EXIT_OK


def _add_shell_parser(commands: argparse._SubParsersAction[Any], engines: tuple[str, ...]) -> None:
    shell = commands.add_parser(
        "shell",
        help="explore a simulated host at an interactive prompt",
        description="Replay a scenario's steps (none without FILE), then read commands typed "
        "as on the Docker host (docker, iptables, ip, ...) and netsim's own: probe, "
        "trace, why, reach, transcript, save FILE, help, exit. With a terminal it has "
        "history and completion; otherwise it reads lines from standard input.",
        epilog="examples:\n  netsim shell scenarios/port-mapping.yaml\n"
        "  netsim shell --engine 20.10\n"
        "  printf 'docker run -d --name web -p 8080:80 nginx\\nprobe host -> 127.0.0.1:8080\\n"
        "save web.yaml\\n' | netsim shell\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    shell.add_argument("file", type=Path, nargs="?", help="the scenario YAML file to start from")
    _add_world_options(shell, engines)


def _cmd_shell(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.console import Console, empty_scenario, prompt_lines, read_lines, run_lines
    from netsim.session import load_scenario

    if args.file is not None:
        scenario = load_scenario(args.file)
        source: str | None = args.file.read_text(encoding="utf-8")
    else:
        scenario, source = empty_scenario(args.engine), None
    console = Console(scenario, engine=args.engine, seed=args.seed, source=source)
    stdout.write(console.banner)
    real_stdout = stdout.stream if isinstance(stdout, _SafeStream) else stdout
    interactive = sys.stdin.isatty() and real_stdout is sys.stdout and stdout.isatty()
    lines = prompt_lines(console) if interactive else read_lines(sys.stdin)
    run_lines(console, lines, stdout, stderr)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.report import write_report
    from netsim.session import load_scenario, pictures

    scenario = load_scenario(args.file)
    drawn = pictures(scenario, engine=args.engine, seed=args.seed)
    write_report(drawn, args.out, description=scenario.description)
    stdout.write(f"wrote {args.out}\n")
    if not drawn.run.passed:
        stderr.write(f"netsim: {len(drawn.run.failed)} expectation(s) failed in {args.file}\n")
        return EXIT_EXPECTATION
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the netsim command line; return the exit code."""
    out: TextIO = _SafeStream(stdout or sys.stdout)  # type: ignore[assignment]
    err: TextIO = _SafeStream(stderr or sys.stderr)  # type: ignore[assignment]
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_help(out)
        return EXIT_INVALID
    handlers = {
        "run": _cmd_run,
        "check": _cmd_check,
        "plot": _cmd_plot,
        "diagram": _cmd_diagram,
        "trace": _cmd_trace,
        "reach": _cmd_reach,
        "report": _cmd_report,
        "shell": _cmd_shell,
        "grade": _cmd_compare,
        "diff": _cmd_compare,
        "batch": _cmd_batch,
    }
    try:
        return handlers[args.command](args, out, err)
    except OutputError as error:
        err.write(f"netsim: {error}\n")
        return EXIT_OUTPUT
    except ScenarioError as error:
        err.write(f"netsim: {error}\n")
        return EXIT_INVALID
    except NetsimError as error:
        err.write(f"netsim: error: {error}\n")
        return EXIT_INVALID
    except OSError as error:
        err.write(f"netsim: {error.filename or ''}: {error.strerror}\n")
        return EXIT_INVALID
