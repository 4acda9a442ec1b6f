"""``ip`` command lines that iproute2 refuses, with its own message and exit status.

Observed with iproute2 6.1 on Linux 6.18 in a throwaway network namespace
(a bridge, a veth pair eth0/eth1 with 10.1.0.2/24, lo up).
"""

from __future__ import annotations

import pytest

from netsim.kernel.commands import ip_command
from netsim.kernel.namespace import NetworkNamespace

INCOMPLETE = 'Command line is not complete. Try option "help"\n'


@pytest.fixture
def ns() -> NetworkNamespace:
    namespace = NetworkNamespace("h")
    for argv in (
        "link add br0 type bridge",
        "link add br1 type bridge",
        "link add eth0 type veth peer name eth1",
        "addr add 10.1.0.2/24 dev eth0",
        "link set eth0 up",
        "link set eth1 up",
        "link set lo up",
    ):
        code, _, err = ip_command(namespace, argv.split())
        assert code == 0, err
    return namespace


@pytest.mark.parametrize(
    ("line", "code", "stderr"),
    [
        ("link set br0 master br0", 2, "Error: Can not enslave a bridge to a bridge.\n"),
        ("link set br0 master br1", 2, "Error: Can not enslave a bridge to a bridge.\n"),
        ("link set eth0 master eth0", 2, "RTNETLINK answers: Operation not supported\n"),
        ("link set lo master br0", 2, "RTNETLINK answers: Invalid argument\n"),
        (
            "route add 10.9.0.0/24 via lo",
            1,
            'Error: inet address is expected rather than "lo".\n',
        ),
        (
            "route add 10.9.0.0/24 via 10.1.0.1 src eth0",
            1,
            'Error: inet address is expected rather than "eth0".\n',
        ),
        ("route add 10.8.0.0/24 via 10.1.0.1 src 10.7.0.2", 2, "Error: Invalid prefsrc address.\n"),
        ("route add 10.9.0.0/24 dev eth0 metric", 255, INCOMPLETE),
        ("route add 10.9.0.0/24 via", 255, INCOMPLETE),
        (
            "route add 10.9.0.0/24 via 10.1.0.1 metric abc",
            255,
            'Error: argument "abc" is wrong: "metric" value is invalid\n\n',
        ),
        (
            "route add 10.9.0.0/24 via 10.1.0.1 metric 4294967296",
            255,
            'Error: argument "4294967296" is wrong: "metric" value is invalid\n\n',
        ),
        (
            "route add 10.9.0.0/24 via 10.1.0.1 metric -1",
            255,
            'Error: argument "-1" is wrong: "metric" value is invalid\n\n',
        ),
        (
            "addr add 10.2.0.1/24 broadcast on dev eth0",
            1,
            'Error: inet address is expected rather than "on".\n',
        ),
        (
            "addr add 10.4.0.1/24 brd dev eth0",
            1,
            'Error: inet address is expected rather than "dev".\n',
        ),
        ("addr add 10.5.0.1/24 dev", 255, INCOMPLETE),
        ("addr add 10.6.0.1/24 brd", 255, INCOMPLETE),
    ],
)
def test_iproute2_refuses_with_its_own_text(
    ns: NetworkNamespace, line: str, code: int, stderr: str
) -> None:
    assert ip_command(ns, line.split()) == (code, "", stderr)


def test_a_huge_word_is_cut_short_in_the_message(ns: NetworkNamespace) -> None:
    code, _, err = ip_command(ns, ["route", "add", "10.9.0.0/24", "via", "x" * 1_000_000])
    assert code == 1
    assert len(err) < 200


def test_accepted_forms_give_the_kernels_state(ns: NetworkNamespace) -> None:
    for line in (
        "addr add 10.3.0.1/24 broadcast - dev eth0",
        "addr add 10.4.0.1/24 brd + dev eth0",
        "route add 10.9.0.0/24 via 10.1.0.1 metric 0x10",
        "route add 10.19.0.0/24 via 10.1.0.1 metric 010",
        "route add 10.10.0.0/24 via 10.1.0.1 metric 4294967295",
        "route add 10.11.0.0/24 via 10.1.0.1 src 10.1.0.2",
    ):
        assert ip_command(ns, line.split())[0] == 0, line
    _, addr, _ = ip_command(ns, ["addr", "show", "eth0"])
    assert "inet 10.3.0.1/24 brd 10.3.0.0 scope global eth0" in addr
    assert "inet 10.4.0.1/24 brd 10.4.0.255 scope global eth0" in addr
    _, routes, _ = ip_command(ns, ["route"])
    assert "10.9.0.0/24 via 10.1.0.1 dev eth0 metric 16 \n" in routes
    assert "10.19.0.0/24 via 10.1.0.1 dev eth0 metric 8 \n" in routes
    assert "10.10.0.0/24 via 10.1.0.1 dev eth0 metric 4294967295 \n" in routes
