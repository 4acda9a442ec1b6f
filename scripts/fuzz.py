"""A long fuzz run (not in CI): generated packets, templates, iptables/ip lines and scenarios.

Usage (from the repository root, about an hour for the default 100,000 inputs
on one core):

    PYTHONPATH=. python scripts/fuzz.py [--count 100000] [--seed 0] [--kinds ...]
        [--failures DIR]

It uses the generators of the hypothesis tests (tests/model/fuzz_inputs.py)
and runs each input under the issue's bounds (tests/model/bounds_support.py:
2 s of CPU, 4 s for a whole scenario, 500 MB more memory). It counts, per
kind: inputs, netsim's own errors (clear refusals), tracebacks (any other
exception), runs over the limits, and, for scenarios, the valid ones (they
loaded) and those aborted (they loaded but did not replay to the end). Every
failing input is written to DIR (default fuzz-failures/) with its traceback.
Exit status: 0 when there were no tracebacks, no runs over the limits and no
aborted scenarios, 1 otherwise.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from ipaddress import IPv4Address
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "model"))
sys.path.insert(0, str(ROOT))

from bounds_support import OverLimit, within_limits  # noqa: E402
from fuzz_inputs import (  # noqa: E402
    ip_argv,
    iptables_argv,
    packet_text,
    scenario_text,
    template_text,
)

from netsim.dataplane.packets import build, parse_layers  # noqa: E402
from netsim.errors import NetsimError, ScenarioError  # noqa: E402
from netsim.gotemplate import GoStruct, render_template  # noqa: E402
from netsim.kernel.commands import ip_command  # noqa: E402
from netsim.kernel.evaluate import EvalContext, PacketView  # noqa: E402
from netsim.kernel.namespace import NetworkNamespace  # noqa: E402
from netsim.kernel.netfilter import Netfilter  # noqa: E402
from netsim.session import load_scenario_text, replay  # noqa: E402


class Aborted(Exception):
    """A scenario that loaded did not replay to its end."""


def _packet(rng: random.Random) -> str:
    text = packet_text(rng)
    with within_limits():
        layers = parse_layers(text)
        build(layers, source=IPv4Address("10.0.0.1"), src_mac="02:00:00:00:00:01")
    return text


def _template(rng: random.Random) -> str:
    text = template_text(rng)
    with within_limits():
        render_template(text, GoStruct({"Name": "web", "Names": ["web"]}))
    return text


def _iptables(rng: random.Random) -> str:
    lines = [iptables_argv(rng) for _ in range(rng.randrange(1, 12))]
    netfilter = Netfilter()
    packet = PacketView(IPv4Address("10.0.0.2"), IPv4Address("10.0.0.1"), 6, dport=80)
    with within_limits():
        for argv in lines:
            netfilter.execute(argv)
        for table, chain in (("filter", "INPUT"), ("filter", "FORWARD"), ("nat", "PREROUTING")):
            netfilter.evaluate(table, chain, packet, EvalContext())
    return "\n".join(" ".join(argv) for argv in lines)


def _ip(rng: random.Random) -> str:
    lines = [ip_argv(rng) for _ in range(rng.randrange(1, 10))]
    namespace = NetworkNamespace("fuzz")
    with within_limits():
        for argv in lines:
            ip_command(namespace, argv)
    return "\n".join(" ".join(argv) for argv in lines)


def _scenario(rng: random.Random, stats: Counter[str]) -> str:
    text = scenario_text(rng)
    with within_limits(cpu_seconds=4.0):
        try:
            scenario = load_scenario_text(text)
        except ScenarioError:
            raise
        stats["scenario valid"] += 1
        try:
            run = replay(scenario, probes=True)
        except Exception as error:  # noqa: BLE001 - counted and written out
            raise Aborted(f"{type(error).__name__}: {error}") from error
        if len(run.steps) != len(scenario.steps):
            raise Aborted(f"{len(run.steps)} of {len(scenario.steps)} steps replayed")
    return text


KINDS: dict[str, Callable[[random.Random, Counter[str]], str]] = {
    "packet": lambda rng, stats: _packet(rng),
    "template": lambda rng, stats: _template(rng),
    "iptables": lambda rng, stats: _iptables(rng),
    "ip": lambda rng, stats: _ip(rng),
    "scenario": _scenario,
}


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz loop; print the figures; return 0 when nothing failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="inputs in all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", nargs="+", choices=tuple(KINDS), default=list(KINDS))
    parser.add_argument("--failures", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args(argv)
    stats: Counter[str] = Counter()
    start = time.monotonic()
    for number in range(args.count):
        kind = args.kinds[number % len(args.kinds)]
        rng = random.Random(f"{args.seed}-{number}")
        stats[f"{kind} inputs"] += 1
        outcome = ""
        try:
            KINDS[kind](rng, stats)
            stats[f"{kind} accepted"] += 1
        except NetsimError:
            stats[f"{kind} refused"] += 1
        except OverLimit as error:
            outcome = f"over the limits: {error}"
            stats["over limits"] += 1
        except Aborted as error:
            outcome = f"valid scenario aborted: {error}"
            stats["aborted"] += 1
        except Exception:  # noqa: BLE001 - a traceback is what the fuzz looks for
            outcome = traceback.format_exc()
            stats["tracebacks"] += 1
        if outcome:
            args.failures.mkdir(parents=True, exist_ok=True)
            # Regenerate the input from the same seed to write it down.
            again = random.Random(f"{args.seed}-{number}")
            text = {"packet": packet_text, "template": template_text, "scenario": scenario_text}
            shown = text[kind](again) if kind in text else f"(seed {args.seed}-{number})"
            (args.failures / f"{kind}-{number}.txt").write_text(
                f"{shown}\n---\n{outcome}\n", encoding="utf-8", errors="backslashreplace"
            )
        if (number + 1) % 1000 == 0:
            print(
                f"{number + 1} inputs, {time.monotonic() - start:.0f} s: {dict(stats)}", flush=True
            )
    took = time.monotonic() - start
    print(f"done: {args.count} inputs in {took:.0f} s (seed {args.seed})")
    for key in sorted(stats):
        print(f"  {key}: {stats[key]}")
    failed = stats["tracebacks"] + stats["over limits"] + stats["aborted"]
    print(
        f"tracebacks {stats['tracebacks']}, over the limits {stats['over limits']}, "
        f"valid scenarios aborted {stats['aborted']}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
