"""Write the scale benchmark's scenario: N ``docker run -p`` lines over K networks.

    python benchmarks/scale_scenario.py --containers 1000 [--networks 10] > scale-1000.yaml

The file is what a user would write by hand to ask "who reaches what" of a big
host: ``docker network create netK`` for each network, then
``docker run -d --name cN --network netK -p PORT:80 nginx`` for each
container (round robin over the networks, host ports from 20000), and a LAN
machine listening on 22/tcp. ``benchmarks/bench_replay.py`` and
``benchmarks/bench_reach.py`` build their worlds from this text.
"""

from __future__ import annotations

import argparse
import sys

FIRST_PORT = 20000


def scale_scenario(containers: int, networks: int = 10, *, name: str = "scale") -> str:
    """Return the YAML text of the scale scenario."""
    if networks < 1 or containers < 0 or FIRST_PORT + containers > 65536:
        raise ValueError(
            f"scale scenario: need 1 or more networks and at most {65536 - FIRST_PORT} "
            f"containers, got {networks} networks and {containers} containers"
        )
    lines = [
        f"name: {name}",
        "machines:",
        "  laptop: {address: 192.168.1.20/24, listen: [22/tcp]}",
        "steps:",
    ]
    lines += [f"  - docker network create net{k}" for k in range(networks)]
    lines += [
        f"  - docker run -d --name c{i} --network net{i % networks} -p {FIRST_PORT + i}:80 nginx"
        for i in range(containers)
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Print the scenario."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--containers", type=int, default=1000)
    parser.add_argument("--networks", type=int, default=10)
    args = parser.parse_args()
    sys.stdout.write(scale_scenario(args.containers, args.networks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
