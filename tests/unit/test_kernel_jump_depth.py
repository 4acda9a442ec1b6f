"""Jump and goto loops in iptables chains are refused as nf_tables refuses them.

Checked on this project's reference host (Linux 6.18, iptables 1.8.9 nf_tables,
in a throwaway network namespace): a loop nothing reaches is accepted; the rule
that makes a built-in chain reach it, or reach a chain 16 jumps deep, fails
with ``RULE_<OP> failed (Too many links)``, exit 4, and is not kept.
"""

from __future__ import annotations

import time

import pytest

from netsim.errors import IptablesError
from netsim.kernel.netfilter import JUMP_STACK_SIZE, Netfilter, jump_height

TOO_MANY = r"RULE_{op} failed \(Too many links\): rule in chain {chain}$"


def _run(nf: Netfilter, *lines: str) -> None:
    for line in lines:
        nf.apply(line.split())


def test_a_loop_nothing_reaches_is_accepted():
    nf = Netfilter()
    _run(nf, "-N A", "-A A -g A", "-N B", "-A B -j B")
    assert nf.rules("filter", "A")[0].jump_target == "A"
    assert jump_height(nf.table("filter")) == 0


@pytest.mark.parametrize("verb", ["-j", "-g"])
def test_the_rule_that_reaches_a_loop_from_a_builtin_chain_is_refused(verb):
    nf = Netfilter()
    _run(nf, "-N A", "-A A -g A")
    with pytest.raises(IptablesError, match=TOO_MANY.format(op="APPEND", chain="INPUT")) as err:
        nf.apply(["-A", "INPUT", verb, "A"])
    assert err.value.exit_code == 4
    assert str(err.value).startswith("iptables v1.8.9 (nf_tables):  RULE_APPEND")
    assert nf.rules("filter", "INPUT") == ()


def test_closing_a_loop_under_a_builtin_chain_is_refused_in_the_user_chain():
    nf = Netfilter()
    _run(nf, "-N B", "-N C", "-A B -j C", "-A FORWARD -j B")
    with pytest.raises(IptablesError, match=TOO_MANY.format(op="APPEND", chain="C")):
        nf.apply(["-A", "C", "-j", "B"])
    # A RETURN in front does not help: the check is on the jump graph.
    _run(nf, "-I C -j RETURN")
    with pytest.raises(IptablesError, match=TOO_MANY.format(op="APPEND", chain="C")):
        nf.apply(["-A", "C", "-j", "B"])
    assert [rule.target.name for rule in nf.rules("filter", "C")] == ["RETURN"]


def _ladder(nf: Netfilter, count: int) -> None:
    for index in range(1, count + 1):
        nf.apply(["-N", f"c{index}"])
    for index in range(1, count):
        nf.apply(["-A", f"c{index}", "-j", f"c{index + 1}"])


def test_fifteen_chains_below_a_builtin_chain_are_allowed_sixteen_are_not():
    nf = Netfilter()
    _ladder(nf, 20)
    nf.apply(["-A", "INPUT", "-j", "c6"])  # c6 .. c20: 15 chains deep
    with pytest.raises(IptablesError, match=TOO_MANY.format(op="APPEND", chain="INPUT")):
        nf.apply(["-A", "INPUT", "-j", "c5"])
    with pytest.raises(IptablesError, match=TOO_MANY.format(op="INSERT", chain="INPUT")):
        nf.apply(["-I", "INPUT", "-g", "c5"])
    nf.apply(["-A", "OUTPUT", "-j", "c7"])
    with pytest.raises(IptablesError, match=TOO_MANY.format(op="REPLACE", chain="OUTPUT")):
        nf.apply(["-R", "OUTPUT", "1", "-j", "c1"])
    assert [rule.jump_target for rule in nf.rules("filter", "OUTPUT")] == ["c7"]
    assert jump_height(nf.table("filter")) == 15 == JUMP_STACK_SIZE - 1


def test_the_check_is_per_table():
    nf = Netfilter()
    _run(nf, "-t nat -N X", "-t nat -A X -j X", "-A INPUT -j ACCEPT")
    with pytest.raises(IptablesError, match=TOO_MANY.format(op="APPEND", chain="OUTPUT")):
        nf.apply(["-t", "nat", "-A", "OUTPUT", "-j", "X"])


def test_a_long_unreachable_ladder_is_checked_quickly_and_without_deep_recursion():
    nf = Netfilter()
    _ladder(nf, 3000)
    start = time.process_time()
    with pytest.raises(IptablesError, match="Too many links"):
        nf.apply(["-A", "INPUT", "-j", "c1"])
    assert time.process_time() - start < 2.0
