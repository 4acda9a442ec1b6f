"""Netfilter tables of one network namespace, and the iptables/iptables-save commands.

Behaviour copied from iptables 1.8.9 (nf_tables backend, Debian 12's default
``iptables`` alternative), observed in a scratch network namespace:

* A table exists for ``iptables-save`` only once something was written to it
  (nft creates tables lazily); ``iptables-save -t T`` and ``iptables -L`` show
  an untouched table as its built-in chains with policy ACCEPT. Tables are
  saved in the order mangle, raw, filter, nat.
* User chains are listed sorted by name (strcmp), after the built-in chains.
* ``-X`` of a chain that has rules or references fails with
  ``CHAIN_DEL failed (Device or resource busy)`` (exit 4), not ENOTEMPTY.
* ``-L``/``-S`` of a missing chain prints nft's
  ``chain `X' in table `filter' is incompatible, use 'nft' tool.`` (exit 1).
* Policy counters are always printed by iptables-save (``:FORWARD DROP [0:0]``);
  rule counters only with ``-c`` (``[5:300] -A ...``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from netsim.errors import IptablesError
from netsim.kernel.evaluate import EvalContext, PacketView, Verdict, evaluate
from netsim.kernel.iptables import (
    PROGRAM,
    Command,
    no_chain,
    parameter_problem,
    resource_problem,
)
from netsim.kernel.parsecache import ParsedCommands
from netsim.kernel.rules import (
    BUILTIN_VERDICTS,
    IcmpMatch,
    Resolver,
    Rule,
    Target,
    network_listing,
)

BUILTIN_CHAINS: dict[str, tuple[str, ...]] = {
    "mangle": ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
    "raw": ("PREROUTING", "OUTPUT"),
    "filter": ("INPUT", "FORWARD", "OUTPUT"),
    "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
}
SAVE_ORDER = ("mangle", "raw", "filter", "nat")
# Where the kernel accepts each extension target: (tables, hooks of built-in chains).
TARGET_PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "DNAT": (("nat",), ("PREROUTING", "OUTPUT")),
    "REDIRECT": (("nat",), ("PREROUTING", "OUTPUT")),
    "SNAT": (("nat",), ("POSTROUTING", "INPUT")),
    "MASQUERADE": (("nat",), ("POSTROUTING",)),
    "CHECKSUM": (("mangle",), BUILTIN_CHAINS["mangle"]),
    "REJECT": (("filter", "mangle", "raw", "nat"), ("INPUT", "FORWARD", "OUTPUT")),
}
# iptables-save's header date when the caller gives none: a fixed instant keeps
# outputs reproducible; comparisons with a real host normalise these two lines.
DEFAULT_SAVE_TIME = datetime(2026, 1, 1, 0, 0, 0)
SAVE_PROGRAM = "iptables-save v1.8.9 (nf_tables)"


@dataclass(slots=True)
class RuleEntry:
    """A rule in a chain with the counters the data plane increments."""

    rule: Rule
    packets: int = 0
    bytes: int = 0


@dataclass(slots=True)
class Chain:
    """A chain: built-in ones have a policy, user chains have None."""

    name: str
    policy: str | None = None
    entries: list[RuleEntry] = field(default_factory=list)
    packets: int = 0
    bytes: int = 0

    @property
    def builtin(self) -> bool:
        """True for a built-in chain (it has a policy)."""
        return self.policy is not None

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules in order."""
        return tuple(entry.rule for entry in self.entries)


@dataclass(slots=True)
class Table:
    """One table (filter, nat, raw, mangle) with its chains."""

    name: str
    chains: dict[str, Chain] = field(default_factory=dict)
    initialized: bool = False

    @classmethod
    def fresh(cls, name: str) -> Table:
        """Return the table with its built-in chains, policy ACCEPT."""
        chains = {chain: Chain(chain, "ACCEPT") for chain in BUILTIN_CHAINS[name]}
        return cls(name, chains)

    def ordered_chains(self) -> list[Chain]:
        """Built-in chains in hook order, then user chains sorted by name."""
        builtin = [self.chains[name] for name in BUILTIN_CHAINS[self.name]]
        user = sorted((c for c in self.chains.values() if not c.builtin), key=lambda c: c.name)
        return builtin + user

    def references(self, chain: str) -> int:
        """Count the rules that jump or go to ``chain``."""
        return sum(
            1 for c in self.chains.values() for e in c.entries if e.rule.jump_target == chain
        )


# The kernel's NFT_JUMP_STACK_SIZE: a chain reached at this many jumps or
# gotos from a base chain makes the table invalid (EMLINK).
JUMP_STACK_SIZE = 16


def jump_height(table: Table) -> int:
    """Return the longest jump/goto path from a built-in chain of ``table``.

    A loop reachable from a built-in chain counts as JUMP_STACK_SIZE (the
    kernel's walk would hit its limit); the walk stops there, so it is bounded
    by the number of rules whatever the table holds.
    """
    heights: dict[str, int] = {}
    on_path: set[str] = set()

    def height(name: str, level: int) -> int:
        # Exact heights are remembered; a walk that reaches the limit returns
        # JUMP_STACK_SIZE at once, so the recursion is never deeper than it.
        if level >= JUMP_STACK_SIZE or name in on_path:
            return JUMP_STACK_SIZE
        known = heights.get(name)
        if known is not None:
            return known
        on_path.add(name)
        best = 0
        for entry in table.chains[name].entries:
            target = entry.rule.jump_target
            if target is not None and target in table.chains:
                best = max(best, 1 + height(target, level + 1))
                if level + best >= JUMP_STACK_SIZE:
                    best = JUMP_STACK_SIZE
                    break
        on_path.discard(name)
        if best < JUMP_STACK_SIZE:
            heights[name] = best
        return best

    return max(
        (height(chain.name, 0) for chain in table.chains.values() if chain.builtin), default=0
    )


def _jumps(rules: Sequence[Rule]) -> bool:
    """True when one of ``rules`` jumps or goes to a user chain (a change the depth check reads)."""
    return any(rule.jump_target is not None for rule in rules)


class Netfilter:
    """The netfilter tables of one namespace, driven by iptables command lines.

    The control plane calls :meth:`apply` with the argv libnetwork passes to
    iptables; the shell calls :meth:`execute` and :meth:`save_command`; the data
    plane calls :meth:`evaluate` and :meth:`account`.
    """

    def __init__(
        self,
        resolver: Resolver | None = None,
        *,
        parsed: ParsedCommands | None = None,
    ) -> None:
        # Command lines already parsed, shared by netfilters with the same (default)
        # resolver: every container's sandbox gets the same few embedded-DNS rules,
        # and parsing is most of what a rule costs.
        if parsed is None:
            parsed = ParsedCommands(resolver or Resolver.default())
        elif resolver is not None and parsed.resolver != resolver:
            raise ValueError("netfilters sharing parsed command lines need the same resolver")
        self.resolver = parsed.resolver
        self._parsed = parsed
        # Made at the first look (see ``tables``): most container sandboxes only
        # ever get the embedded DNS's rules, and many are never looked at.
        self._tables: dict[str, Table] | None = None
        self._later: list[Sequence[str]] = []

    @property
    def tables(self) -> dict[str, Table]:
        """The tables by name, after the lines ``apply_later`` queued have run."""
        tables = self._tables
        if tables is None:
            tables = self._tables = {name: Table.fresh(name) for name in SAVE_ORDER}
        if self._later:
            later, self._later = self._later, []
            for argv in later:
                self.apply(argv)
        return tables

    def apply_later(self, argv: Sequence[str]) -> None:
        """Queue ``iptables ARGV`` to run, in order, before the tables are next read or written.

        For lines that cannot fail on the tables they will meet, such as
        Docker's embedded-DNS rules in a sandbox it has just made: a replay of
        thousands of ``docker run`` lines then writes the rules of the
        sandboxes that something looks at (a probe, ``iptables`` in the
        container, a matrix), when it first looks. A queued line that does
        fail raises its IptablesError to that first reader.
        """
        self._later.append(argv)

    # -- queries -------------------------------------------------------------

    def table(self, name: str) -> Table:
        """Return table ``name``; raises IptablesError (exit 3) for an unknown table."""
        try:
            return self.tables[name]
        except KeyError:
            raise IptablesError(
                f"{PROGRAM}: table '{name}' does not exist\n"
                "Perhaps iptables or your kernel needs to be upgraded.",
                exit_code=3,
            ) from None

    def chains(self, table: str) -> list[str]:
        """Return the chain names of ``table`` in listing order."""
        return [chain.name for chain in self.table(table).ordered_chains()]

    def rules(self, table: str, chain: str) -> tuple[Rule, ...]:
        """Return the rules of ``chain`` in order."""
        return self._chain(self.table(table), chain).rules

    def policy(self, table: str, chain: str) -> str | None:
        """Return the policy of a built-in chain (None for a user chain)."""
        return self._chain(self.table(table), chain).policy

    def has_chain(self, table: str, chain: str) -> bool:
        """Return True when ``chain`` exists in ``table``."""
        return chain in self.table(table).chains

    def has_rule(self, table: str, chain: str, rule: Rule) -> bool:
        """Return True when ``chain`` holds a rule equal to ``rule``."""
        found = self.table(table).chains.get(chain)
        return found is not None and rule in found.rules

    def check(self, argv: list[str]) -> bool:
        """Run ``iptables ARGV`` with a -C command; return whether the rule exists."""
        try:
            self.apply(argv)
        except IptablesError as err:
            if err.exit_code == 1 and "Bad rule" in str(err):
                return False
            raise
        return True

    @staticmethod
    def _chain(table: Table, name: str) -> Chain:
        try:
            return table.chains[name]
        except KeyError:
            raise no_chain() from None

    # -- the command line ----------------------------------------------------

    def execute(self, argv: list[str]) -> tuple[int, str, str]:
        """Run ``iptables ARGV`` (argv without the program name).

        Returns:
            (exit code, stdout, stderr) exactly as iptables 1.8.9 prints them.
        """
        try:
            cmd = self._parsed.parse(argv)
            return 0, self._run(cmd), "".join(cmd.warnings)
        except IptablesError as err:
            return err.exit_code, "", str(err) + "\n"

    def apply(self, argv: Sequence[str]) -> str:
        """Run ``iptables ARGV`` and return its stdout.

        The control plane's door: lines of a shape seen before (Docker's
        rules, differing in an address or a port) are not parsed from text
        again (``netsim.kernel.parsecache``).

        Raises:
            IptablesError: iptables' message and exit code when it fails.
        """
        return self._run(self._parsed.parse_shaped(argv))

    def _run(self, cmd: Command) -> str:
        if cmd.command == "h":
            return HELP_TEXT
        if cmd.command == "V":
            return f"{PROGRAM}\n"
        table = self.table(cmd.table)
        handler = getattr(self, f"_cmd_{cmd.command}")
        result: str = handler(table, cmd)
        return result

    def _writable_chain(self, table: Table, cmd: Command) -> Chain:
        assert cmd.chain is not None
        chain = self._chain(table, cmd.chain)
        return chain

    def _validate(self, table: Table, chain: Chain, rule: Rule, op: str) -> None:
        target = rule.target.name
        if rule.jump_target is not None and rule.jump_target not in table.chains:
            raise parameter_problem(f"Chain '{rule.jump_target}' does not exist")
        if rule.goto and target in BUILTIN_VERDICTS:
            raise parameter_problem(f"goto '{target}' is not a chain")
        refused = False
        if target in TARGET_PLACES:
            tables, hooks = TARGET_PLACES[target]
            refused = table.name not in tables or (chain.builtin and chain.name not in hooks)
        if target == "REJECT" and getattr(rule.target, "reject_with", "") == "tcp-reset":
            refused = refused or rule.protocol != 6
        if any(isinstance(m, IcmpMatch) for m in rule.matches) and rule.protocol != 1:
            refused = True
        if refused:
            raise IptablesError(
                f"{PROGRAM}:  RULE_{op} failed (Invalid argument): rule in chain {chain.name}",
                exit_code=4,
            )

    @staticmethod
    def _check_jump_depth(table: Table, chain: Chain, before: list[RuleEntry], op: str) -> None:
        """Refuse a change that lets a built-in chain reach a loop or jump too deep.

        The kernel (nf_tables, checked on Linux 6.18 with iptables 1.8.9)
        validates a table on every commit: from each base chain it follows
        jumps and gotos, and a chain reached at level 16 (its jump stack size)
        fails with EMLINK. A loop no built-in chain reaches is accepted;
        the rule that would make one reachable is refused and rolled back.
        Every change is checked, so the table was valid before this one: rules
        that jump nowhere add no path, and callers skip the walk (which reads
        every rule of the table) and the copy of the chain for them (see
        ``_jumps``), as replaying Docker's thousands of ACCEPT and DNAT rules
        would otherwise grow with the square of their number.
        """
        if jump_height(table) < JUMP_STACK_SIZE:
            return
        chain.entries[:] = before
        raise IptablesError(
            f"{PROGRAM}:  RULE_{op} failed (Too many links): rule in chain {chain.name}",
            exit_code=4,
        )

    def _cmd_A(self, table: Table, cmd: Command) -> str:
        chain = self._writable_chain(table, cmd)
        for rule in cmd.rules:
            self._validate(table, chain, rule, "APPEND")
        jumps = _jumps(cmd.rules)
        before = list(chain.entries) if jumps else []
        for rule in cmd.rules:
            packets, bytes_ = cmd.counters or (0, 0)
            chain.entries.append(RuleEntry(rule, packets, bytes_))
        if jumps:
            self._check_jump_depth(table, chain, before, "APPEND")
        table.initialized = True
        return ""

    def _cmd_I(self, table: Table, cmd: Command) -> str:
        chain = self._writable_chain(table, cmd)
        position = (cmd.rulenum or 1) - 1
        if position > len(chain.entries):
            raise resource_problem("Index of insertion too big.")
        for rule in cmd.rules:
            self._validate(table, chain, rule, "INSERT")
        packets, bytes_ = cmd.counters or (0, 0)
        jumps = _jumps(cmd.rules)
        before = list(chain.entries) if jumps else []
        for offset, rule in enumerate(cmd.rules):
            chain.entries.insert(position + offset, RuleEntry(rule, packets, bytes_))
        if jumps:
            self._check_jump_depth(table, chain, before, "INSERT")
        table.initialized = True
        return ""

    def _cmd_R(self, table: Table, cmd: Command) -> str:
        chain = self._writable_chain(table, cmd)
        assert cmd.rulenum is not None
        if len(cmd.rules) != 1:
            raise parameter_problem("-R requires a single source and destination")
        if cmd.rulenum > len(chain.entries):
            raise resource_problem("Index of replacement too big.")
        self._validate(table, chain, cmd.rules[0], "REPLACE")
        packets, bytes_ = cmd.counters or (0, 0)
        jumps = _jumps(cmd.rules)
        before = list(chain.entries) if jumps else []
        chain.entries[cmd.rulenum - 1] = RuleEntry(cmd.rules[0], packets, bytes_)
        if jumps:
            self._check_jump_depth(table, chain, before, "REPLACE")
        table.initialized = True
        return ""

    def _cmd_D(self, table: Table, cmd: Command) -> str:
        chain = self._writable_chain(table, cmd)
        if cmd.rulenum is not None:
            if cmd.rulenum > len(chain.entries):
                raise resource_problem("Index of deletion too big.")
            del chain.entries[cmd.rulenum - 1]
            return ""
        for rule in cmd.rules:
            self._validate_jump(table, rule)
            for index, entry in enumerate(chain.entries):
                if entry.rule == rule:
                    del chain.entries[index]
                    break
            else:
                raise resource_problem("Bad rule (does a matching rule exist in that chain?).")
        return ""

    def _cmd_C(self, table: Table, cmd: Command) -> str:
        chain = self._writable_chain(table, cmd)
        for rule in cmd.rules:
            self._validate_jump(table, rule)
            if rule not in chain.rules:
                raise resource_problem("Bad rule (does a matching rule exist in that chain?).")
        return ""

    @staticmethod
    def _validate_jump(table: Table, rule: Rule) -> None:
        if rule.jump_target is not None and rule.jump_target not in table.chains:
            raise parameter_problem(f"Chain '{rule.jump_target}' does not exist")

    def _cmd_N(self, table: Table, cmd: Command) -> str:
        assert cmd.chain is not None
        if cmd.chain in table.chains:
            raise resource_problem("Chain already exists.")
        table.chains[cmd.chain] = Chain(cmd.chain)
        table.initialized = True
        return ""

    def _cmd_X(self, table: Table, cmd: Command) -> str:
        if cmd.chain is None:
            # iptables-nft flushes every user chain, then deletes them in one
            # batch: only references from built-in chains can make it fail,
            # and then nothing changes (observed with 1.8.9).
            user = [c for c in table.ordered_chains() if not c.builtin]
            for chain in user:
                referenced = any(
                    e.rule.jump_target == chain.name
                    for b in table.ordered_chains()
                    if b.builtin
                    for e in b.entries
                )
                if referenced:
                    raise IptablesError(
                        f"{PROGRAM}:  CHAIN_DEL failed (Device or resource busy): "
                        f"chain {chain.name}",
                        exit_code=4,
                    )
            for chain in user:
                del table.chains[chain.name]
            return ""
        names = [cmd.chain]
        for name in names:
            chain = self._chain(table, name)
            if chain.builtin:
                if chain.entries or chain.policy != "ACCEPT":
                    raise resource_problem("Directory not empty.")
                chain.packets = chain.bytes = 0
                continue
            if chain.entries or table.references(name):
                raise IptablesError(
                    f"{PROGRAM}:  CHAIN_DEL failed (Device or resource busy): chain {name}",
                    exit_code=4,
                )
        for name in names:
            if not table.chains[name].builtin:
                del table.chains[name]
        return ""

    def _cmd_F(self, table: Table, cmd: Command) -> str:
        chains = table.ordered_chains() if cmd.chain is None else [self._chain(table, cmd.chain)]
        for chain in chains:
            chain.entries.clear()
        return ""

    def _cmd_Z(self, table: Table, cmd: Command) -> str:
        chains = table.ordered_chains() if cmd.chain is None else [self._chain(table, cmd.chain)]
        for chain in chains:
            entries = chain.entries
            if cmd.rulenum is not None:
                entries = entries[cmd.rulenum - 1 : cmd.rulenum]
            else:
                chain.packets = chain.bytes = 0
            for entry in entries:
                entry.packets = entry.bytes = 0
        return ""

    def _cmd_P(self, table: Table, cmd: Command) -> str:
        assert cmd.chain is not None
        chain = table.chains.get(cmd.chain)
        if chain is None or not chain.builtin:
            raise resource_problem("Bad built-in chain name.")
        if cmd.extra not in ("ACCEPT", "DROP"):
            raise resource_problem("Bad policy name. Run `dmesg' for more information.")
        chain.policy = cmd.extra
        if cmd.counters is not None:
            chain.packets, chain.bytes = cmd.counters
        table.initialized = True
        return ""

    def _cmd_E(self, table: Table, cmd: Command) -> str:
        assert cmd.chain is not None and cmd.extra is not None
        chain = table.chains.get(cmd.chain)
        if chain is None or chain.builtin:
            raise no_chain()
        if cmd.extra in table.chains:
            raise resource_problem("File exists.")
        table.chains = {
            (cmd.extra if name == cmd.chain else name): c for name, c in table.chains.items()
        }
        chain.name = cmd.extra
        for other in table.chains.values():
            for entry in other.entries:
                if entry.rule.jump_target == cmd.chain:
                    entry.rule = replace(entry.rule, target=Target(cmd.extra))
        return ""

    def _listed_chains(self, table: Table, cmd: Command) -> list[Chain]:
        if cmd.chain is None:
            return table.ordered_chains()
        chain = table.chains.get(cmd.chain)
        if chain is None:
            raise IptablesError(
                f"{PROGRAM}: chain `{cmd.chain}' in table `{table.name}' is incompatible, "
                "use 'nft' tool.",
                exit_code=1,
            )
        return [chain]

    def _cmd_S(self, table: Table, cmd: Command) -> str:
        lines: list[str] = []
        chains = self._listed_chains(table, cmd)
        if cmd.rulenum is not None:
            chain = chains[0]
            if cmd.rulenum <= len(chain.entries):
                entry = chain.entries[cmd.rulenum - 1]
                counters = (entry.packets, entry.bytes) if cmd.verbose else None
                lines.append(entry.rule.save(chain.name, counters))
            return "".join(line + "\n" for line in lines)
        for chain in chains:
            if chain.builtin:
                line = f"-P {chain.name} {chain.policy}"
                if cmd.verbose:
                    line += f" -c {chain.packets} {chain.bytes}"
                lines.append(line)
            else:
                lines.append(f"-N {chain.name}")
        for chain in chains:
            for entry in chain.entries:
                counters = (entry.packets, entry.bytes) if cmd.verbose else None
                lines.append(entry.rule.save(chain.name, counters))
        return "".join(line + "\n" for line in lines)

    def _cmd_L(self, table: Table, cmd: Command) -> str:
        chains = self._listed_chains(table, cmd)
        fmt = _ListFormat(cmd.numeric, cmd.verbose, cmd.exact, cmd.line_numbers)
        if cmd.rulenum is not None:
            chain = chains[0]
            out = ""
            if cmd.rulenum <= len(chain.entries):
                out = self._rule_line(chain.entries[cmd.rulenum - 1], cmd.rulenum, fmt) + "\n"
        else:
            blocks = []
            for chain in chains:
                lines = [self._chain_header(table, chain, fmt), fmt.column_header()]
                for number, entry in enumerate(chain.entries, start=1):
                    lines.append(self._rule_line(entry, number, fmt))
                blocks.append("".join(line + "\n" for line in lines))
            out = "\n".join(blocks)
        if cmd.zero_after_list:
            self._cmd_Z(table, Command("Z", chain=cmd.chain))
        return out

    @staticmethod
    def _chain_header(table: Table, chain: Chain, fmt: _ListFormat) -> str:
        if not chain.builtin:
            return f"Chain {chain.name} ({table.references(chain.name)} references)"
        if not fmt.verbose:
            return f"Chain {chain.name} (policy {chain.policy})"
        packets = fmt.number(chain.packets, table=False)
        bytes_ = fmt.number(chain.bytes, table=False)
        return f"Chain {chain.name} (policy {chain.policy} {packets}packets, {bytes_}bytes)"

    def _rule_line(self, entry: RuleEntry, number: int, fmt: _ListFormat) -> str:
        rule = entry.rule
        out = f"{number:<4} " if fmt.line_numbers else ""
        if fmt.verbose:
            out += fmt.number(entry.packets) + fmt.number(entry.bytes)
        out += f"{rule.target.name:<9} "
        out += "!" if rule.protocol_invert else " "
        out += f"{rule.protocol_label(fmt.numeric):<5}"
        out += "-- "
        if fmt.verbose:
            anyname = "*" if fmt.numeric else "any"
            in_name = ("!" if rule.in_invert else "") + (rule.in_interface or anyname)
            out_name = ("!" if rule.out_invert else "") + (rule.out_interface or anyname)
            out += f" {in_name:<6} {out_name:<6} "
        out += "!" if rule.source_invert else " "
        out += f"{network_listing(rule.source, fmt.numeric, self.resolver):<19} "
        out += "!" if rule.destination_invert else " "
        out += f"{network_listing(rule.destination, fmt.numeric, self.resolver):<19} "
        return out + rule.listing_tail(fmt.numeric, self.resolver)

    # -- iptables-save ---------------------------------------------------------

    def save(
        self, table: str | None = None, *, counters: bool = False, when: datetime | None = None
    ) -> str:
        """Return ``iptables-save`` output (all written tables, or just ``table``).

        ``when`` is the wall-clock time printed in the two header comments
        (default: a fixed instant, so output is reproducible).
        """
        stamp = (when or DEFAULT_SAVE_TIME).strftime("%a %b %e %H:%M:%S %Y")
        names = (
            [table] if table is not None else [n for n in SAVE_ORDER if self.tables[n].initialized]
        )
        out = ""
        for name in names:
            tab = self.table(name)
            out += f"# Generated by {SAVE_PROGRAM} on {stamp}\n*{name}\n"
            chains = tab.ordered_chains()
            for chain in chains:
                policy = chain.policy or "-"
                out += f":{chain.name} {policy} [{chain.packets}:{chain.bytes}]\n"
            for chain in chains:
                for entry in chain.entries:
                    prefix = f"[{entry.packets}:{entry.bytes}] " if counters else ""
                    out += prefix + entry.rule.save(chain.name) + "\n"
            out += f"COMMIT\n# Completed on {stamp}\n"
        return out

    def save_command(
        self, argv: list[str], *, when: datetime | None = None
    ) -> tuple[int, str, str]:
        """Run ``iptables-save ARGV`` (``-t TABLE``, ``-c``); returns (code, stdout, stderr)."""
        table: str | None = None
        counters = False
        args = list(argv)
        while args:
            arg = args.pop(0)
            if arg in ("-c", "--counters"):
                counters = True
            elif arg in ("-t", "--table"):
                if not args:
                    return 2, "", "iptables-save: option requires an argument -- 't'\n"
                table = args.pop(0)
            elif arg.startswith("-t") and len(arg) > 2:
                table = arg[2:]
            else:
                return (
                    2,
                    "",
                    f"iptables-save: unrecognized option '{arg}'\n"
                    "Look at manual page `iptables-save.8' for more information.\n",
                )
        if table is not None and table not in self.tables:
            return 1, "", f"Table `{table}' does not exist\n"
        return 0, self.save(table, counters=counters, when=when), ""

    # -- the data plane ------------------------------------------------------

    def evaluate(self, table: str, chain: str, packet: PacketView, context: EvalContext) -> Verdict:
        """Walk ``chain`` of ``table`` for ``packet``; pure (counters untouched)."""
        return evaluate(self, table, chain, packet, context)

    def account(self, verdict: Verdict, size_bytes: int) -> None:
        """Add one packet of ``size_bytes`` to every rule and policy the verdict went through."""
        for step in verdict.trace:
            chain = self.tables[step.table].chains.get(step.chain)
            if chain is None:
                continue
            if step.kind == "policy":
                chain.packets += 1
                chain.bytes += size_bytes
            elif step.kind == "rule" and 0 < step.rulenum <= len(chain.entries):
                entry = chain.entries[step.rulenum - 1]
                entry.packets += 1
                entry.bytes += size_bytes


@dataclass(frozen=True, slots=True)
class _ListFormat:
    numeric: bool
    verbose: bool
    exact: bool
    line_numbers: bool

    def number(self, value: int, *, table: bool = True) -> str:
        """Format a counter as xtables_print_num does (K/M/G/T unless -x)."""
        if self.exact:
            return f"{value:8d} " if table else f"{value} "
        if value <= 99999:
            return f"{value:5d} " if table else f"{value} "
        for suffix in "KMGT":
            value = (value + 500) // 1000
            if value <= 9999 or suffix == "T":
                return f"{value:4d}{suffix} " if table else f"{value}{suffix} "
        raise AssertionError("unreachable")

    def column_header(self) -> str:
        out = "num  " if self.line_numbers else ""
        if self.verbose:
            out += "    pkts      bytes " if self.exact else " pkts bytes "
        out += "target     prot opt "
        if self.verbose:
            out += "in     out     "
        return out + "source               destination         "


HELP_TEXT = """\
iptables v1.8.9 (nf_tables)

Usage: iptables -[ACD] chain rule-specification [options]
       iptables -I chain [rulenum] rule-specification [options]
       iptables -R chain rulenum rule-specification [options]
       iptables -D chain rulenum [options]
       iptables -[LS] [chain [rulenum]] [options]
       iptables -[FZ] [chain] [options]
       iptables -[NX] chain
       iptables -E old-chain-name new-chain-name
       iptables -P chain target [options]
       iptables -h (print this help information)

Commands:
Either long or short options are allowed.
  --append  -A chain\t\tAppend to chain
  --check   -C chain\t\tCheck for the existence of a rule
  --delete  -D chain\t\tDelete matching rule from chain
  --delete  -D chain rulenum
\t\t\t\tDelete rule rulenum (1 = first) from chain
  --insert  -I chain [rulenum]
\t\t\t\tInsert in chain as rulenum (default 1=first)
  --replace -R chain rulenum
\t\t\t\tReplace rule rulenum (1 = first) in chain
  --list    -L [chain [rulenum]]
\t\t\t\tList the rules in a chain or all chains
  --list-rules -S [chain [rulenum]]
\t\t\t\tPrint the rules in a chain or all chains
  --flush   -F [chain]\t\tDelete all rules in  chain or all chains
  --zero    -Z [chain [rulenum]]
\t\t\t\tZero counters in chain or all chains
  --new     -N chain\t\tCreate a new user-defined chain
  --delete-chain
            -X [chain]\t\tDelete a user-defined chain
  --policy  -P chain target
\t\t\t\tChange policy on chain to target
  --rename-chain
            -E old-chain new-chain
\t\t\t\tChange chain name, (moving any references)

Options:
    --ipv4\t-4\t\tNothing (line is ignored by ip6tables-restore)
    --ipv6\t-6\t\tError (line is ignored by iptables-restore)
[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'
[!] --source\t-s address[/mask][...]
\t\t\t\tsource specification
[!] --destination -d address[/mask][...]
\t\t\t\tdestination specification
[!] --in-interface -i input name[+]
\t\t\t\tnetwork interface name ([+] for wildcard)
 --jump\t-j target
\t\t\t\ttarget for rule (may load target extension)
  --goto      -g chain
\t\t\t       jump to chain with no return
  --match\t-m match
\t\t\t\textended match (may load extension)
  --numeric\t-n\t\tnumeric output of addresses and ports
[!] --out-interface -o output name[+]
\t\t\t\tnetwork interface name ([+] for wildcard)
  --table\t-t table\ttable to manipulate (default: `filter')
  --verbose\t-v\t\tverbose mode
  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up
  --line-numbers\t\tprint line numbers when listing
  --exact\t-x\t\texpand numbers (display exact values)
[!] --fragment\t-f\t\tmatch second or further fragments only
  --modprobe=<command>\t\ttry to insert modules using this command
  --set-counters -c PKTS BYTES\tset the counter during insert/append
[!] --version\t-V\t\tprint package version.
"""
