"""The ``netsim`` command line: a thin layer over the library; the only place that exits."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from netsim.errors import NetsimError, ScenarioError

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
"""

EXIT_OK, EXIT_EXPECTATION, EXIT_INVALID = 0, 1, 2


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
        "scenario is invalid.",
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
        "--json", metavar="OUT", help="also write the JSON result to OUT ('-' for standard output)"
    )
    run.add_argument("--quiet", "-q", action="store_true", help="do not print the transcript")
    run.add_argument(
        "--seed", type=int, default=0, help="seed of the random choices (IDs, MACs); default 0"
    )
    run.add_argument(
        "--pcap",
        metavar="DIR",
        type=Path,
        help="write the probes' traffic to DIR, one pcap per interface",
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
    trace.add_argument("--engine", choices=engines, help="Docker version to reproduce")
    trace.add_argument("--seed", type=int, default=0, help="seed of the random choices")

    reach = commands.add_parser(
        "reach",
        help="print who reaches what after a scenario's steps",
        description="Replay a scenario, then probe every destination (container ports, "
        "published host ports, machine ports) from every source (host, machines, "
        "containers) and print the matrix.",
        epilog="examples:\n  netsim reach scenarios/two-networks.yaml\n"
        "  netsim reach scenarios/icc-disabled.yaml --json reach.json\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reach.add_argument("file", type=Path, help="the scenario YAML file")
    reach.add_argument("--json", metavar="OUT", help="write the matrix as JSON ('-': stdout)")
    reach.add_argument("--engine", choices=engines, help="Docker version to reproduce")
    reach.add_argument("--seed", type=int, default=0, help="seed of the random choices")

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
    plot.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures")
    plot.add_argument("--format", choices=("png", "svg"), default="png", help="image format")
    plot.add_argument(
        "--probe",
        action="append",
        default=[],
        metavar="'SRC -> DST:PORT'",
        help="also draw this probe's path (repeatable)",
    )
    plot.add_argument("--engine", choices=engines, help="Docker version to reproduce")
    plot.add_argument("--seed", type=int, default=0, help="seed of the random choices")

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
        "--out", type=Path, help="output file (mermaid and dot go to standard output without it)"
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
    return parser


def _write(path: str, text: str, stdout: TextIO) -> None:
    if path == "-":
        stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")


def _cmd_run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.pcap import write_run_pcaps
    from netsim.render.transcript import format_header, format_json, format_step
    from netsim.results.run import StepRecord
    from netsim.session import load_scenario, replay

    scenario = load_scenario(args.file)
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
    from netsim.render.trace import format_trace
    from netsim.session import load_scenario, trace

    scenario = load_scenario(args.file)
    run, record = trace(scenario, args.probe, engine=args.engine, seed=args.seed, proto=args.proto)
    if record.result is None:
        # The probe could not be sent at all (its source is not running): nothing to trace.
        stderr.write(f"netsim trace: {record.error}\n")
        return EXIT_EXPECTATION
    stdout.write(
        f"# trace {record.probe} after the steps of {scenario.name} "
        f"(Docker {run.engine}, simulated)\n"
    )
    stdout.write(format_trace(record, frames=args.frames))
    return EXIT_OK


def _cmd_reach(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import json

    from netsim.session import load_scenario, reach

    scenario = load_scenario(args.file)
    _, matrix = reach(scenario, engine=args.engine, seed=args.seed)
    if args.json != "-":
        stdout.write(matrix.table())
    if args.json:
        _write(args.json, json.dumps(matrix.as_json(), indent=2) + "\n", stdout)
    return EXIT_OK


def _cmd_plot(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.plots import plot_all
    from netsim.session import load_scenario, pictures

    scenario = load_scenario(args.file)
    drawn = pictures(scenario, engine=args.engine, seed=args.seed, probes=tuple(args.probe))
    args.out.mkdir(parents=True, exist_ok=True)
    for path in plot_all(drawn, args.out, args.format):
        stdout.write(f"wrote {path}\n")
    return EXIT_OK


def _cmd_diagram(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from netsim.render.diagram import write_diagram
    from netsim.session import load_scenario, replay

    scenario = load_scenario(args.file)
    if args.format in ("svg", "png") and args.out is None:
        stderr.write(f"netsim: diagram --format {args.format} needs --out FILE\n")
        return EXIT_INVALID
    run = replay(scenario, args.engine, probes=False)
    data = write_diagram(run.topology, args.format, args.out)
    if args.out is None:
        stdout.write(data.decode("utf-8"))
    else:
        stdout.write(f"wrote {args.out}\n")
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the netsim command line; return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
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
    }
    try:
        return handlers[args.command](args, out, err)
    except ScenarioError as error:
        err.write(f"netsim: {error}\n")
        return EXIT_INVALID
    except NetsimError as error:
        err.write(f"netsim: error: {error}\n")
        return EXIT_INVALID
    except OSError as error:
        err.write(f"netsim: {error.filename or ''}: {error.strerror}\n")
        return EXIT_INVALID
