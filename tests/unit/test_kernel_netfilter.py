"""Netfilter model: programmatic API, errors, evaluation and the -S round trip."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.errors import IptablesError
from netsim.kernel.evaluate import EvalContext, PacketView
from netsim.kernel.iptables import parse_command
from netsim.kernel.netfilter import Netfilter
from netsim.kernel.rules import NatTarget, PortsTarget, Resolver

LOCAL = EvalContext(
    local_networks=(
        IPv4Network("127.0.0.0/8"),
        IPv4Network("192.168.1.10/32"),
        IPv4Network("172.17.0.1/32"),
    )
)


def _docker_host() -> Netfilter:
    """The classic (20.10) rules for docker0 and one published port 12345 -> 172.17.0.2:3306."""
    nf = Netfilter()
    for argv in [
        ["-t", "nat", "-N", "DOCKER"],
        ["-N", "DOCKER"],
        ["-N", "DOCKER-ISOLATION-STAGE-1"],
        ["-N", "DOCKER-ISOLATION-STAGE-2"],
        ["-N", "DOCKER-USER"],
        ["-A", "DOCKER-ISOLATION-STAGE-1", "-j", "RETURN"],
        ["-A", "DOCKER-ISOLATION-STAGE-2", "-j", "RETURN"],
        ["-A", "DOCKER-USER", "-j", "RETURN"],
        ["-P", "FORWARD", "DROP"],
        ["-t", "nat", "-I", "POSTROUTING", "-s", "172.17.0.0/16", "!", "-o", "docker0", "-j",
         "MASQUERADE"],
        ["-t", "nat", "-I", "DOCKER", "-i", "docker0", "-j", "RETURN"],
        ["-I", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT"],
        ["-I", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"],
        ["-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"],
        ["-t", "nat", "-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER",
         "!", "--dst", "127.0.0.0/8"],
        ["-I", "FORWARD", "-o", "docker0", "-j", "DOCKER"],
        ["-I", "FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED",
         "-j", "ACCEPT"],
        ["-I", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1"],
        ["-I", "DOCKER-ISOLATION-STAGE-1", "-i", "docker0", "!", "-o", "docker0", "-j",
         "DOCKER-ISOLATION-STAGE-2"],
        ["-I", "DOCKER-ISOLATION-STAGE-2", "-o", "docker0", "-j", "DROP"],
        ["-I", "FORWARD", "-j", "DOCKER-USER"],
        ["-t", "nat", "-A", "DOCKER", "-p", "tcp", "-d", "0/0", "--dport", "12345", "-j", "DNAT",
         "--to-destination", "172.17.0.2:3306", "!", "-i", "docker0"],
        ["-t", "filter", "-A", "DOCKER", "!", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-d",
         "172.17.0.2", "--dport", "3306", "-j", "ACCEPT"],
    ]:  # fmt: skip
        nf.apply(argv)
    return nf


def test_apply_raises_iptables_error_with_real_text_and_exit_code():
    nf = Netfilter()
    with pytest.raises(
        IptablesError, match=r"^iptables: No chain/target/match by that name\.$"
    ) as err:
        nf.apply(["-A", "NOPE", "-j", "ACCEPT"])
    assert err.value.exit_code == 1
    with pytest.raises(IptablesError, match=r"Chain 'NOPE' does not exist") as err:
        nf.apply(["-A", "FORWARD", "-j", "NOPE"])
    assert err.value.exit_code == 2
    with pytest.raises(IptablesError, match=r"table 'bogus' does not exist") as err:
        nf.apply(["-t", "bogus", "-L"])
    assert err.value.exit_code == 3


def test_check_and_has_rule_find_rules_in_canonical_form():
    nf = _docker_host()
    assert nf.check(["-t", "nat", "-C", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL",
                     "-j", "DOCKER"])  # fmt: skip
    assert not nf.check(["-C", "FORWARD", "-j", "ACCEPT"])
    rule = parse_command(["-A", "DOCKER", "-d", "172.17.0.2/32", "!", "-i", "docker0", "-o",
                          "docker0", "-p", "tcp", "-m", "tcp", "--dport", "3306", "-j",
                          "ACCEPT"]).rules[0]  # fmt: skip
    assert nf.has_rule("filter", "DOCKER", rule)
    assert nf.chains("filter") == [
        "INPUT", "FORWARD", "OUTPUT", "DOCKER", "DOCKER-ISOLATION-STAGE-1",
        "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER",
    ]  # fmt: skip
    assert nf.policy("filter", "FORWARD") == "DROP"


def test_published_port_is_dnated_in_prerouting():
    nf = _docker_host()
    packet = PacketView(
        src=IPv4Address("192.168.1.20"),
        dst=IPv4Address("192.168.1.10"),
        protocol=6,
        sport=40000,
        dport=12345,
        in_interface="eth0",
    )
    verdict = nf.evaluate("nat", "PREROUTING", packet, LOCAL)
    assert verdict.action == "ACCEPT"
    assert verdict.nat == NatTarget("DNAT", IPv4Address("172.17.0.2"), None, (3306, 3306))
    assert [(s.chain, s.rulenum, s.kind) for s in verdict.trace] == [
        ("PREROUTING", 1, "rule"),
        ("DOCKER", 2, "rule"),
    ]


def test_dnat_is_skipped_for_traffic_from_the_bridge_and_non_local_destinations():
    nf = _docker_host()
    from_bridge = PacketView(IPv4Address("172.17.0.3"), IPv4Address("192.168.1.10"), 6,
                             40000, 12345, in_interface="docker0")  # fmt: skip
    verdict = nf.evaluate("nat", "PREROUTING", from_bridge, LOCAL)
    assert verdict.nat is None and verdict.by_policy
    assert [s.kind for s in verdict.trace] == ["rule", "rule", "policy"]  # jump, RETURN, policy
    elsewhere = PacketView(IPv4Address("192.168.1.20"), IPv4Address("8.8.8.8"), 6, 1, 12345,
                           in_interface="eth0")  # fmt: skip
    assert nf.evaluate("nat", "PREROUTING", elsewhere, LOCAL).trace[-1].kind == "policy"


def test_nat_output_skips_loopback_destinations():
    nf = _docker_host()
    to_lo = PacketView(IPv4Address("127.0.0.1"), IPv4Address("127.0.0.1"), 6, 1, 12345)
    assert nf.evaluate("nat", "OUTPUT", to_lo, LOCAL).nat is None
    to_host = PacketView(IPv4Address("192.168.1.10"), IPv4Address("192.168.1.10"), 6, 1, 12345)
    assert nf.evaluate("nat", "OUTPUT", to_host, LOCAL).nat is not None


def test_forward_accepts_published_port_and_drops_other_new_traffic_by_policy():
    nf = _docker_host()
    new = PacketView(IPv4Address("192.168.1.20"), IPv4Address("172.17.0.2"), 6, 40000, 3306,
                     in_interface="eth0", out_interface="docker0")  # fmt: skip
    verdict = nf.evaluate("filter", "FORWARD", new, LOCAL)
    assert verdict.action == "ACCEPT"
    assert (verdict.trace[-1].chain, verdict.trace[-1].rulenum) == ("DOCKER", 1)
    other = PacketView(IPv4Address("192.168.1.20"), IPv4Address("172.17.0.2"), 6, 40000, 22,
                       in_interface="eth0", out_interface="docker0")  # fmt: skip
    verdict = nf.evaluate("filter", "FORWARD", other, LOCAL)
    assert verdict.action == "DROP" and verdict.by_policy
    reply = PacketView(IPv4Address("192.168.1.20"), IPv4Address("172.17.0.2"), 6, 40000, 22,
                       in_interface="eth0", out_interface="docker0",
                       ct_state="ESTABLISHED")  # fmt: skip
    assert nf.evaluate("filter", "FORWARD", reply, LOCAL).action == "ACCEPT"


def test_masquerade_fires_for_bridge_traffic_leaving_by_another_interface():
    nf = _docker_host()
    out = PacketView(IPv4Address("172.17.0.2"), IPv4Address("192.168.1.20"), 17, 5353, 53,
                     in_interface="docker0", out_interface="eth0")  # fmt: skip
    assert nf.evaluate("nat", "POSTROUTING", out, LOCAL).nat == PortsTarget("MASQUERADE")
    same = PacketView(IPv4Address("172.17.0.2"), IPv4Address("172.17.0.3"), 17, 5353, 53,
                      out_interface="docker0")  # fmt: skip
    assert nf.evaluate("nat", "POSTROUTING", same, LOCAL).nat is None


def test_goto_returns_to_the_last_jump_and_reject_and_log():
    nf = Netfilter()
    for argv in (
        ["-N", "A"],
        ["-N", "B"],
        ["-A", "INPUT", "-j", "A"],
        ["-A", "INPUT", "-j", "REJECT", "--reject-with", "icmp-host-prohibited"],
        ["-A", "A", "-j", "LOG", "--log-prefix", "seen: "],
        ["-A", "A", "-g", "B"],
        ["-A", "A", "-j", "DROP"],
        ["-A", "B", "-p", "udp", "-j", "RETURN"],
        ["-A", "B", "-j", "ACCEPT"],
    ):
        nf.apply(argv)
    udp = PacketView(IPv4Address("10.0.0.1"), IPv4Address("10.0.0.2"), 17, 1, 2)
    verdict = nf.evaluate("filter", "INPUT", udp, LOCAL)
    # RETURN in B (reached by goto) goes back to INPUT, skipping A's DROP.
    assert verdict.action == "REJECT" and verdict.reject_with == "icmp-host-prohibited"
    assert [(s.chain, s.rulenum) for s in verdict.trace] == [
        ("INPUT", 1), ("A", 1), ("A", 2), ("B", 1), ("INPUT", 2),
    ]  # fmt: skip
    tcp = PacketView(IPv4Address("10.0.0.1"), IPv4Address("10.0.0.2"), 6, 1, 2)
    assert nf.evaluate("filter", "INPUT", tcp, LOCAL).action == "ACCEPT"


def test_negations_wildcards_and_multiport():
    nf = Netfilter()
    nf.apply(["-A", "FORWARD", "!", "-s", "10.0.0.0/8", "-i", "veth+", "-p", "tcp", "-m",
              "multiport", "--dports", "80,8000:8080", "-j", "DROP"])  # fmt: skip
    hit = PacketView(IPv4Address("192.0.2.1"), IPv4Address("10.0.0.2"), 6, 1, 8001,
                     in_interface="veth12")  # fmt: skip
    assert nf.evaluate("filter", "FORWARD", hit, LOCAL).action == "DROP"
    for miss in (
        PacketView(
            IPv4Address("10.1.2.3"), IPv4Address("10.0.0.2"), 6, 1, 80, in_interface="veth1"
        ),
        PacketView(
            IPv4Address("192.0.2.1"), IPv4Address("10.0.0.2"), 6, 1, 80, in_interface="eth0"
        ),
        PacketView(
            IPv4Address("192.0.2.1"), IPv4Address("10.0.0.2"), 6, 1, 81, in_interface="veth1"
        ),
        PacketView(
            IPv4Address("192.0.2.1"), IPv4Address("10.0.0.2"), 17, 1, 80, in_interface="veth1"
        ),
    ):
        assert nf.evaluate("filter", "FORWARD", miss, LOCAL).action == "ACCEPT"


def test_account_counts_matched_rules_and_policies_and_verbose_listing_shows_them():
    nf = _docker_host()
    packet = PacketView(IPv4Address("192.168.1.20"), IPv4Address("192.168.1.10"), 6, 4, 12345,
                        in_interface="eth0")  # fmt: skip
    for _ in range(3):
        nf.account(nf.evaluate("nat", "PREROUTING", packet, LOCAL), 60)
    _, out, _ = nf.execute(["-t", "nat", "-nvL", "PREROUTING"])
    assert out.splitlines()[2].startswith("    3   180 DOCKER ")
    nf.apply(["-t", "nat", "-Z"])
    assert (
        nf.execute(["-t", "nat", "-S", "PREROUTING", "-v"])[1]
        .splitlines()[1]
        .endswith("-c 0 0 -j DOCKER")
    )


def test_save_is_deterministic_and_only_lists_written_tables():
    nf = Netfilter()
    assert nf.save() == ""
    nf.apply(["-t", "nat", "-N", "DOCKER"])
    first = nf.save()
    assert first == nf.save()
    assert first.startswith("# Generated by iptables-save v1.8.9 (nf_tables) on Thu Jan  1 ")
    assert "*nat\n:PREROUTING ACCEPT [0:0]\n" in first and "*filter" not in first


def test_execute_never_raises_for_bad_input():
    code, out, err = Netfilter().execute(["-A", "FORWARD", "-p", "tcp", "--dport", "abc"])
    assert (code, out) == (2, "")
    assert err.startswith("iptables v1.8.9 (nf_tables): invalid port/service `abc' specified\n")


# --- property: parse -> print (-S) -> parse is stable -----------------------------------

_addresses = st.sampled_from(["10.0.0.0/8", "172.17.0.2", "192.168.1.0/24", "127.0.0.0/8"])
_ifaces = st.sampled_from(["docker0", "eth0", "br-0123456789ab", "veth+"])


@st.composite
def _rule_argv(draw) -> list[str]:
    argv: list[str] = []
    for flag, values in (("-s", _addresses), ("-d", _addresses), ("-i", _ifaces), ("-o", _ifaces)):
        if draw(st.booleans()):
            if draw(st.booleans()):
                argv.append("!")
            argv += [flag, draw(values)]
    proto = draw(st.sampled_from([None, "tcp", "udp", "icmp"]))
    if proto:
        argv += ["-p", proto]
    if proto in ("tcp", "udp") and draw(st.booleans()):
        if draw(st.booleans()):
            argv.append("!")
        argv += ["--dport", str(draw(st.integers(1, 65535)))]
    if proto in ("tcp", "udp") and draw(st.booleans()):
        argv += ["-m", "multiport", "--sports", "1000:2000,53"]
    if proto == "icmp" and draw(st.booleans()):
        argv += ["--icmp-type", draw(st.sampled_from(["echo-request", "3/3", "any", "0"]))]
    if draw(st.booleans()):
        argv += [
            "-m",
            "conntrack",
            "--ctstate",
            draw(st.sampled_from(["NEW", "ESTABLISHED,RELATED"])),
        ]
    if draw(st.booleans()):
        argv += ["-m", "addrtype", "--dst-type", "LOCAL"]
    if draw(st.booleans()):
        # Not "it's": iptables prints it as "it\'s", which a POSIX shell does not read back
        # (iptables-restore's own parser does); a shell is what scenarios use.
        comment = draw(st.sampled_from(["docker", "a b", 'say "hi"']))
        argv += ["-m", "comment", "--comment", comment]
    target = draw(st.sampled_from(["ACCEPT", "DROP", "RETURN", "REJECT", "LOG", "DOCKER"]))
    argv += ["-j", target]
    if target == "LOG" and draw(st.booleans()):
        argv += ["--log-prefix", "x: "]
    return argv


@settings(max_examples=200, deadline=None)
@given(_rule_argv())
def test_minus_s_output_parses_back_to_the_same_rule(argv):
    import shlex

    nf = Netfilter()
    nf.apply(["-N", "DOCKER"])
    nf.apply(["-A", "FORWARD", *argv])
    line = nf.execute(["-S", "FORWARD"])[1].splitlines()[-1]
    again = Netfilter()
    again.apply(["-N", "DOCKER"])
    again.apply(shlex.split(line))
    assert again.rules("filter", "FORWARD") == nf.rules("filter", "FORWARD")
    assert again.execute(["-S", "FORWARD"])[1].splitlines()[-1] == line


def test_netfilters_sharing_parsed_command_lines_keep_their_own_rules() -> None:
    from netsim.kernel.parsecache import ParsedCommands

    shared = ParsedCommands(Resolver.default())
    first = Netfilter(parsed=shared)
    second = Netfilter(parsed=shared)
    rule = ["-t", "nat", "-A", "OUTPUT", "-o", "lo", "-j", "ACCEPT"]
    first.apply(rule)
    second.apply(rule)
    second.apply(rule)
    assert len(shared) == 1
    assert first.apply(["-t", "nat", "-S", "OUTPUT"]).count("-A OUTPUT") == 1
    assert second.apply(["-t", "nat", "-S", "OUTPUT"]).count("-A OUTPUT") == 2
    for _ in range(2):  # a bad line is refused every time, never remembered
        with pytest.raises(IptablesError, match="Bad argument `bogus'"):
            first.apply(["-t", "nat", "-A", "OUTPUT", "bogus"])


def test_lines_applied_later_run_in_order_before_the_tables_are_next_used() -> None:
    nf = Netfilter()
    nf.apply_later(["-t", "nat", "-N", "X"])
    nf.apply_later(["-t", "nat", "-A", "OUTPUT", "-j", "X"])
    nf.apply(["-t", "nat", "-I", "OUTPUT", "-j", "ACCEPT"])  # after the queued lines
    assert nf.apply(["-t", "nat", "-S", "OUTPUT"]) == (
        "-P OUTPUT ACCEPT\n-A OUTPUT -j ACCEPT\n-A OUTPUT -j X\n"
    )
    assert "*nat" in nf.save() and "*filter" not in nf.save()


def test_a_line_applied_later_that_fails_raises_to_its_first_reader() -> None:
    nf = Netfilter()
    nf.apply_later(["-t", "nat", "-A", "OUTPUT", "-j", "MISSING"])
    with pytest.raises(IptablesError, match="Chain 'MISSING' does not exist"):
        nf.save()
    assert nf.save() == ""  # the failed line changed nothing and is not run again
