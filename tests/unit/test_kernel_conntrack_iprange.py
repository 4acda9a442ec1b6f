# ruff: noqa: E501  (expected texts are real tool output, kept verbatim)
"""``-m conntrack``'s tuple options and ``-m iprange``: parsing, printing and matching.

The texts were printed by iptables 1.8.9 (nf_tables) on the real-engine
harness's Docker host (the recordings of tests/conformance/found/
iptables-match-edges.yaml hold them all); the matching follows the kernel's
xt_conntrack (conntrack_mt) and xt_iprange (iprange_mt4).
"""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from netsim.errors import IptablesError
from netsim.kernel.evaluate import EvalContext, PacketView, rule_matches
from netsim.kernel.netfilter import Netfilter
from netsim.kernel.rules import Resolver

LAPTOP = IPv4Address("192.168.1.20")
HOST = IPv4Address("192.168.1.10")
WEB = IPv4Address("172.17.0.2")
HOSTS = Resolver(
    hosts={IPv4Address("127.0.0.1"): "localhost", LAPTOP: "laptop"},
    networks=Resolver.default().networks,
)


def run(netfilter: Netfilter, line: str) -> tuple[int, str, str]:
    """Run one ``iptables`` command line (without the program name)."""
    return netfilter.execute(line.split())


# (arguments after `-A T`, what `-S T` prints for the rule, what `-L T` prints after the columns)
PRINTED = [
    (
        "-p tcp -m conntrack --ctorigdst 198.51.100.2 --ctorigdstport 80 -j ACCEPT",
        "-A T -p tcp -m conntrack --ctorigdst 198.51.100.2 --ctorigdstport 80 -j ACCEPT",
        "ctorigdst 198.51.100.2 ctorigdstport 80",
    ),
    (
        "-m conntrack ! --ctorigdstport 80 ! --ctreplsrcport 8000:8080 --ctstate NEW,DNAT -j RETURN",
        "-A T -m conntrack --ctstate NEW,DNAT ! --ctorigdstport 80 ! --ctreplsrcport 8000:8080 -j RETURN",
        "ctstate NEW,DNAT ! ctorigdstport 80 ! ctreplsrcport 8000:8080",
    ),
    (
        "-m conntrack ! --ctproto udp ! --ctorigsrc 10.0.0.1/8 ! --ctorigdst 10.1.0.0/255.255.0.0 --ctreplsrc 172.17.0.2 ! --ctrepldst 192.168.1.20/24 -j RETURN",
        "-A T -m conntrack ! --ctproto 17 ! --ctorigsrc 10.0.0.1/8 ! --ctorigdst 10.1.0.0/16 --ctreplsrc 172.17.0.2 ! --ctrepldst 192.168.1.20/24 -j RETURN",
        "! ctproto 17 ! ctorigsrc 10.0.0.1/8 ! ctorigdst 10.1.0.0/16 ctreplsrc 172.17.0.2 ! ctrepldst laptop/24",
    ),
    (
        "-m conntrack --ctorigsrc localhost --ctorigdstport http --ctdir original -j RETURN",
        "-A T -m conntrack --ctorigsrc 127.0.0.1 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN",
        "ctorigsrc localhost ctorigdstport 80 ctdir ORIGINAL",
    ),
    (
        "-m conntrack --ctorigsrc 192.168.1.20 --ctorigdst 127.0.0.0/8 --ctreplsrc 127.0.0.1/32 -j RETURN",
        "-A T -m conntrack --ctorigsrc 192.168.1.20 --ctorigdst 127.0.0.0/8 --ctreplsrc 127.0.0.1 -j RETURN",
        "ctorigsrc laptop ctorigdst loopback/8 ctreplsrc localhost",
    ),
    (
        "-m conntrack --ctorigdst 0.0.0.0/0 --ctreplsrc 0.0.0.0 --ctorigsrcport 70000 -j RETURN",
        "-A T -m conntrack --ctorigdst 0.0.0.0/0 --ctreplsrc 0.0.0.0 --ctorigsrcport 4464 -j RETURN",
        "ctorigdst anywhere ctreplsrc anywhere ctorigsrcport 4464",
    ),
    (
        "-m conntrack --ctorigsrc 10.1 --ctorigdst 10.0.0.0/40 --ctorigdstport :80 --ctreplsrcport 80: -j RETURN",
        "-A T -m conntrack --ctorigsrc 10.0.0.1 --ctorigdst 10.0.0.0 --ctorigdstport 0:80 --ctreplsrcport 80:65535 -j RETURN",
        "ctorigsrc 10.0.0.1 ctorigdst 10.0.0.0 ctorigdstport 0:80 ctreplsrcport 80:65535",
    ),
    (
        "-m conntrack --ctproto 6 --ctorigdstport 80 --ctstate NEW -m conntrack --ctdir ORIGINAL -j RETURN",
        "-A T -m conntrack --ctstate NEW --ctproto 6 --ctorigdstport 80 -m conntrack --ctdir ORIGINAL -j RETURN",
        "ctstate NEW ctproto 6 ctorigdstport 80 ctdir ORIGINAL",
    ),
    (
        "-m state --state new,Established -m conntrack --ctstate est,N -j RETURN",
        "-A T -m state --state NEW,ESTABLISHED -m conntrack --ctstate NEW,ESTABLISHED -j RETURN",
        "state NEW,ESTABLISHED ctstate NEW,ESTABLISHED",
    ),
    (
        "-m iprange -i eth0 ! --src-range 192.0.2.1-192.0.2.3 -j DROP",
        "-A T -i eth0 -m iprange ! --src-range 192.0.2.1-192.0.2.3 -j DROP",
        "source IP range ! 192.0.2.1-192.0.2.3",
    ),
    (
        "-m iprange --dst-range 172.17.0.2-172.17.0.9 ! --src-range 10.1 -j RETURN",
        "-A T -m iprange ! --src-range 10.1.0.0-10.1.0.0 --dst-range 172.17.0.2-172.17.0.9 -j RETURN",
        "source IP range ! 10.1.0.0-10.1.0.0 destination IP range 172.17.0.2-172.17.0.9",
    ),
]


@pytest.mark.parametrize(("args", "saved", "listed"), PRINTED)
def test_rule_prints_like_real_iptables(args: str, saved: str, listed: str) -> None:
    netfilter = Netfilter(HOSTS)
    run(netfilter, "-N T")
    assert run(netfilter, f"-A T {args}") == (0, "", "")
    assert netfilter.apply(["-S", "T"]).splitlines()[1] == saved
    line = netfilter.apply(["-L", "T"]).splitlines()[2]
    assert line.endswith(" " + listed)
    # -C finds the rule from its own -S text, whatever the order options were given in.
    assert run(netfilter, "-C " + saved[3:]) == (0, "", "")


def test_a_reversed_range_warns_and_is_kept() -> None:
    netfilter = Netfilter()
    run(netfilter, "-N T")
    assert run(netfilter, "-A T -m iprange ! --dst-range 10.0.0.9-10.0.0.1 -j RETURN") == (
        0,
        "",
        "xt_iprange: range 10.0.0.9-10.0.0.1 is reversed and will never match\n",
    )
    assert netfilter.apply(["-S", "T"]).splitlines()[1] == (
        "-A T -m iprange ! --dst-range 10.0.0.9-10.0.0.1 -j RETURN"
    )


REFUSED = [
    ("-m conntrack ! --ctdir ORIGINAL", 'conntrack: option "--ctdir" cannot be inverted.\n\n'),
    ("-m conntrack --ctdir sideways", 'conntrack: Bad value for "--ctdir" option: "sideways"\n'),
    (
        "-m conntrack --ctdir ORIGINAL --ctdir REPLY",
        'conntrack: option "--ctdir" can only be used once.\n\n',
    ),
    (
        "-m conntrack --ctstate NEW --ctstate ESTABLISHED",
        'conntrack: option "--ctstate" can only be used once.\n\n',
    ),
    ("-m conntrack --ctorigdst bogus", "getaddrinfo: Temporary failure in name resolution\n\n"),
    ("-m conntrack --ctorigsrc 1.2.3.4,5.6.7.8", "getaddrinfo: Name or service not known\n\n"),
    (
        "-m conntrack --ctorigsrc 10.0.0.0/abc",
        'conntrack: bad value for option "--ctorigsrc", neither a valid network mask nor valid CIDR (0-32).\n\n',
    ),
    ("-m conntrack --ctproto 256", 'unknown protocol "256" specified\n'),
    ("-m conntrack --ctstate newx", 'Bad ctstate "newx"\n'),
    ("-m conntrack --ctstate NEW,", 'Bad ctstate ""\n'),
    ("-m conntrack --ctstate NEW,bogus,EST", 'Bad ctstate "bogus,EST"\n'),
    ("-m state --state snat", 'Bad state "snat"\n'),
    ("-m conntrack --ctdir orig", 'conntrack: Bad value for "--ctdir" option: "orig"\n'),
    ("-m conntrack --ctorigdstport 80-90", 'Port "80-90" does not resolve to anything.\n\n'),
    ("-m conntrack --ctorigdstport 0x50", 'Port "0x50" does not resolve to anything.\n\n'),
    (
        "-m conntrack --ctorigdstport 1:2:3",
        'conntrack: Too many components for option "--ctorigdstport" (max: 2)\n\n',
    ),
    ("-m iprange", "iprange match: You must specify `--src-range' or `--dst-range'\n"),
    (
        "-m iprange --src-range 10.0.0.1/24",
        'iprange: Bad value for "--src-range" option: "10.0.0.1/24"\n',
    ),
    ("-m iprange --src-range 1.2.3.4-", 'iprange: Bad value for "--src-range" option: ""\n'),
    (
        "-m iprange --src-range 10.0.0.1-10.0.0.2-10.0.0.3",
        'iprange: Bad value for "--src-range" option: "10.0.0.2-10.0.0.3"\n',
    ),
    (
        "-m iprange --src-range localhost",
        'iprange: Bad value for "--src-range" option: "localhost"\n',
    ),
    (
        "-m iprange --src-range 10.0.0.1 --src-range 10.0.0.2",
        'iprange: option "--src-range" can only be used once.\n\n',
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_refused_as_real_iptables_refuses(args: str, message: str) -> None:
    netfilter = Netfilter()
    run(netfilter, "-N T")
    code, out, err = run(netfilter, f"-A T {args} -j RETURN")
    assert (code, out) == (2, "")
    assert err == (
        f"iptables v1.8.9 (nf_tables): {message}"
        "Try `iptables -h' or 'iptables --help' for more information.\n"
    )
    with pytest.raises(IptablesError, match="nf_tables"):
        netfilter.apply(["-A", "T", *args.split(), "-j", "RETURN"])


@pytest.mark.parametrize("option", ["--ctstatus ASSURED", "--ctexpire 10:20"])
def test_status_and_expiry_are_not_simulated(option: str) -> None:
    netfilter = Netfilter()
    with pytest.raises(IptablesError, match="is not simulated") as raised:
        netfilter.apply(["-A", "INPUT", "-m", "conntrack", *option.split(), "-j", "DROP"])
    assert raised.value.exit_code == 69


# -- matching ---------------------------------------------------------------------------

TCP = 6
ORIGINAL = (TCP, LAPTOP, 40000, HOST, 8080)
REPLY = (TCP, WEB, 80, LAPTOP, 40000)  # the reply tuple after DNAT to web:80


def packet(direction: str = "ORIGINAL", state: str = "NEW", **fields: object) -> PacketView:
    """Return a packet of the laptop's connection to port 8080, DNATed to web:80."""
    src, dst = (LAPTOP, WEB) if direction == "ORIGINAL" else (WEB, LAPTOP)
    sport, dport = (40000, 80) if direction == "ORIGINAL" else (80, 40000)
    values: dict[str, object] = {
        "src": src,
        "dst": dst,
        "protocol": TCP,
        "sport": sport,
        "dport": dport,
        "ct_state": state,
        "ct_dnat": True,
        "ct_direction": direction,
        "ct_original": ORIGINAL,
        "ct_reply": REPLY,
    }
    values.update(fields)
    return PacketView(**values)  # type: ignore[arg-type]


def matches(args: str, view: PacketView) -> bool:
    """Return whether a rule ``-A FORWARD ARGS -j DROP`` matches ``view``."""
    netfilter = Netfilter()
    netfilter.apply(["-A", "FORWARD", *args.split(), "-j", "DROP"])
    rule = netfilter.tables["filter"].chains["FORWARD"].entries[0].rule
    return rule_matches(rule, view, EvalContext())


NO_CONNECTION = {"ct_direction": "", "ct_original": None, "ct_reply": None}


@pytest.mark.parametrize(
    ("args", "view", "expected"),
    [
        # DOCKER-USER sees the DNATed port; the original tuple keeps the one asked for.
        ("-p tcp --dport 8080", packet(), False),
        ("-m conntrack --ctorigdstport 8080", packet(), True),
        ("-m conntrack --ctorigdstport 8080", packet("REPLY"), True),
        ("-m conntrack --ctorigdstport 8080 --ctdir ORIGINAL", packet("REPLY"), False),
        ("-m conntrack --ctdir REPLY", packet("REPLY"), True),
        ("-m conntrack --ctorigdst 192.168.1.10 --ctreplsrc 172.17.0.2", packet(), True),
        # The mask decides; the host bits given with it do not.
        ("-m conntrack --ctorigsrc 192.168.1.99/24", packet(), True),
        ("-m conntrack ! --ctorigsrc 192.168.1.0/24", packet(), False),
        ("-m conntrack --ctreplsrcport 80 --ctrepldstport 40000", packet(), True),
        ("-m conntrack --ctorigdstport 9000:8000", packet(), False),
        ("-m conntrack ! --ctorigdstport 9000:8000", packet(), True),
        ("-m conntrack --ctproto tcp", packet(), True),
        ("-m conntrack --ctproto 0", packet(), False),
        ("-m conntrack ! --ctproto 0", packet(), True),
        # Without a connection only the state can match (conntrack_mt's early return).
        ("-m conntrack ! --ctorigdstport 1", packet(state="INVALID", **NO_CONNECTION), False),
        (
            "-m conntrack --ctstate INVALID --ctorigdstport 1",
            packet(state="INVALID", **NO_CONNECTION),
            True,
        ),
        ("-m conntrack --ctstate NEW --ctorigdstport 1", packet(), False),
        # iprange: both ends inside; a reversed range never matches.
        ("-m iprange --src-range 192.168.1.20-192.168.1.29", packet(), True),
        ("-m iprange --src-range 192.168.1.21-192.168.1.29", packet(), False),
        ("-m iprange ! --dst-range 172.17.0.1-172.17.0.2", packet(), False),
        ("-m iprange --dst-range 172.17.0.9-172.17.0.1", packet(), False),
        ("-m iprange ! --dst-range 172.17.0.9-172.17.0.1", packet(), True),
    ],
)
def test_matches_as_the_kernel_does(args: str, view: PacketView, expected: bool) -> None:
    assert matches(args, view) is expected
