"""Parse an ``iptables`` command line into a command and rules, as iptables 1.8.9 does.

The command line is read the way iptables' getopt loop reads it: short options
may be clustered (``-nvL``, ``-tnat``), ``!`` negates the option after it, a
command letter may be followed by a chain and a rule number, and options of a
match or target are only known once ``-m NAME``/``-p PROTO``/``-j NAME`` loaded
it. Errors carry iptables-nft 1.8.9's own texts and exit codes (observed in a
scratch network namespace on Debian 12): parameter problems exit 2 with
``iptables v1.8.9 (nf_tables): MSG`` and the ``Try `iptables -h'`` line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netsim.errors import IptablesError
from netsim.kernel import netbase
from netsim.kernel.rules import (
    ADDRESS_TYPES,
    ANY_NETWORK,
    BUILTIN_VERDICTS,
    CHAIN_PROTOCOLS,
    CT_ADDRESS_OPTIONS,
    CT_DIRECTIONS,
    CT_PORT_OPTIONS,
    CT_STATES,
    ICMP_ALIASES,
    ICMP_CODES,
    LOADABLE_TARGETS,
    LOG_FLAGS,
    LOG_LEVEL_INPUT,
    REJECT_ALIASES,
    REJECT_TYPES,
    TCP_FLAG_BITS,
    AddrtypeMatch,
    AnyTarget,
    ChecksumTarget,
    CommentMatch,
    ConntrackMatch,
    CtAddress,
    CtPorts,
    IcmpMatch,
    IprangeMatch,
    LogTarget,
    Match,
    MultiportMatch,
    NatTarget,
    PortMatch,
    PortRange,
    PortsTarget,
    RejectTarget,
    Resolver,
    Rule,
    Target,
    parse_network,
)

PROGRAM = "iptables v1.8.9 (nf_tables)"
TRY_HELP = "Try `iptables -h' or 'iptables --help' for more information."
IFNAMSIZ = 16
NOT_SIMULATED_EXIT_CODE = 69  # what netsim answers for a real option it does not model
MAX_CHAIN_NAME = 28  # "must be under 29 chars" (XT_EXTENSION_MAXNAMELEN - 1)


def parameter_problem(message: str) -> IptablesError:
    """Return the exit-2 error iptables prints for a bad command line."""
    return IptablesError(f"{PROGRAM}: {message}\n{TRY_HELP}", exit_code=2)


def resource_problem(message: str) -> IptablesError:
    """Return the exit-1 error iptables prints when the kernel refuses (``iptables: MSG``)."""
    return IptablesError(f"iptables: {message}", exit_code=1)


def no_chain() -> IptablesError:
    """Return ``iptables: No chain/target/match by that name.`` (exit 1)."""
    return resource_problem("No chain/target/match by that name.")


# Commands: letter -> long name. Options taking a required argument are listed separately.
COMMANDS = {
    "A": "append",
    "C": "check",
    "D": "delete",
    "I": "insert",
    "R": "replace",
    "L": "list",
    "S": "list-rules",
    "F": "flush",
    "Z": "zero",
    "N": "new-chain",
    "X": "delete-chain",
    "P": "policy",
    "E": "rename-chain",
    "h": "help",
    "V": "version",
}
LONG_TO_SHORT = {
    "append": "A",
    "check": "C",
    "delete": "D",
    "insert": "I",
    "replace": "R",
    "list": "L",
    "list-rules": "S",
    "flush": "F",
    "zero": "Z",
    "new-chain": "N",
    "new": "N",
    "delete-chain": "X",
    "policy": "P",
    "rename-chain": "E",
    "help": "h",
    "version": "V",
    "source": "s",
    "src": "s",
    "destination": "d",
    "dst": "d",
    "in-interface": "i",
    "out-interface": "o",
    "protocol": "p",
    "jump": "j",
    "goto": "g",
    "match": "m",
    "numeric": "n",
    "verbose": "v",
    "exact": "x",
    "table": "t",
    "wait": "w",
    "wait-interval": "W",
    "set-counters": "c",
    "ipv4": "4",
    "ipv6": "6",
    "fragment": "f",
}
REQUIRED_ARG = set("ACDIRNPEtsdiopjgmcW")
OPTIONAL_ARG = set("LSFZXhw")
FLAGS = set("nvxf46V")
# Which commands may be combined (iptables' inverse_for_options table, simplified).
ALLOWED_PAIRS = {frozenset("LZ")}


@dataclass(slots=True)
class _RuleSpec:
    """Rule fields gathered while reading the command line (mutable builder)."""

    source: list[IPv4Network] = field(default_factory=list)
    source_invert: bool = False
    destination: list[IPv4Network] = field(default_factory=list)
    destination_invert: bool = False
    in_interface: str = ""
    in_invert: bool = False
    out_interface: str = ""
    out_invert: bool = False
    protocol: int | None = None
    protocol_invert: bool = False
    matches: list[_MatchBuilder] = field(default_factory=list)
    target: _TargetBuilder | None = None
    goto: bool = False
    counters: tuple[int, int] | None = None
    seen: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Command:
    """A parsed ``iptables`` command line.

    ``command`` is the command letter (``A``, ``L``, ...); ``rules`` holds one
    rule per source×destination address pair given (iptables expands lists).
    """

    command: str
    table: str = "filter"
    chain: str | None = None
    rulenum: int | None = None
    extra: str | None = None  # policy for -P, new name for -E
    rules: list[Rule] = field(default_factory=list)
    counters: tuple[int, int] | None = None
    numeric: bool = False
    verbose: bool = False
    exact: bool = False
    line_numbers: bool = False
    zero_after_list: bool = False
    warnings: list[str] = field(default_factory=list)  # lines for stderr on success


def parse_command(argv: list[str], resolver: Resolver | None = None) -> Command:
    """Parse iptables arguments (without the program name) into a Command.

    Raises:
        IptablesError: with iptables' own message and exit code.
    """
    parser = _Parser(list(argv), resolver or Resolver.default())
    return parser.parse()


class _Parser:
    def __init__(self, argv: list[str], resolver: Resolver) -> None:
        self.argv = argv
        self.pos = 0
        self.resolver = resolver
        self.invert = False
        self.commands: list[str] = []
        self.cmd = Command(command="")
        self.spec = _RuleSpec()

    # -- token helpers --
    def _next_is_value(self) -> bool:
        return (
            self.pos < len(self.argv)
            and not self.argv[self.pos].startswith("-")
            and self.argv[self.pos] != "!"
        )

    def _take_required(self, option: str, attached: str | None) -> str:
        if attached:
            return attached
        if self.pos >= len(self.argv):
            raise parameter_problem(f'option "{option}" requires an argument')
        value = self.argv[self.pos]
        self.pos += 1
        return value

    def _add_command(self, letter: str) -> None:
        if self.invert:
            raise parameter_problem("unexpected '!' flag")
        for previous in self.commands:
            if frozenset((previous, letter)) not in ALLOWED_PAIRS:
                raise parameter_problem(f"Cannot use -{letter} with -{previous}")
        self.commands.append(letter)

    def _take_invert(self) -> bool:
        inv, self.invert = self.invert, False
        return inv

    # -- main loop --
    def parse(self) -> Command:
        while self.pos < len(self.argv):
            token = self.argv[self.pos]
            self.pos += 1
            if token == "!":
                if self.invert:
                    raise parameter_problem("multiple consecutive ! not allowed")
                self.invert = True
                continue
            if token.startswith("--") and len(token) > 2:
                name, eq, value = token[2:].partition("=")
                self._long(name, value if eq else None, token)
                continue
            if token.startswith("-") and len(token) > 1:
                cluster = token[1:]
                for index, letter in enumerate(cluster):
                    rest = cluster[index + 1 :]
                    if letter in REQUIRED_ARG:
                        self._short(letter, self._take_required(f"-{letter}", rest))
                        break
                    if letter in OPTIONAL_ARG:
                        self._short(letter, rest or None)
                        break
                    if letter in FLAGS:
                        self._short(letter, None)
                        continue
                    raise parameter_problem(f'unknown option "{token}"')
                continue
            raise IptablesError(f"Bad argument `{token}'\n{TRY_HELP}", exit_code=2)
        if self.invert:
            raise parameter_problem("no command specified")
        return self._finish()

    def _long(self, name: str, value: str | None, token: str) -> None:
        if name == "line-numbers":
            self.cmd.line_numbers = True
            return
        if name == "modprobe":
            return
        letter = LONG_TO_SHORT.get(name)
        if letter is not None:
            if letter in REQUIRED_ARG:
                self._short(letter, self._take_required(f"--{name}", value))
            else:
                self._short(letter, value)
            return
        # An option of a loaded target or match, or of the -p protocol's implicit match.
        if self.spec.target is not None and self.spec.target.accepts(name):
            self.spec.target.option(name, self, self._take_invert())
            return
        # The latest loaded match that knows the option takes it (a second
        # `-m conntrack` gets the options after it, as observed).
        for builder in reversed(self.spec.matches):
            if builder.accepts(name):
                builder.option(name, self, self._take_invert())
                return
        implicit = _implicit_match(self.spec.protocol)
        if implicit is not None and implicit.accepts(name):
            self.spec.matches.append(implicit)
            implicit.option(name, self, self._take_invert())
            return
        raise parameter_problem(f'unknown option "{token}"')

    def _short(self, letter: str, value: str | None) -> None:
        spec, cmd = self.spec, self.cmd
        if letter in COMMANDS and letter not in "hV":
            self._add_command(letter)
            self._command_args(letter, value)
            return
        if letter in "hV":
            self._add_command(letter)
            cmd.command = letter
            return
        if letter in "sdiopjgc" and letter in spec.seen and letter not in "c":
            raise parameter_problem(f"multiple -{letter} flags not allowed")
        if letter in "jg" and ({"j", "g"} & spec.seen):
            raise parameter_problem(f"multiple -{letter} flags not allowed")
        assert value is not None or letter not in REQUIRED_ARG
        if letter == "t":
            if self.invert:
                raise parameter_problem("unexpected ! flag before --table")
            cmd.table = value or ""
        elif letter in "sd":
            assert value is not None
            inv = self._take_invert()
            networks = []
            for part in value.split(","):
                mask = part.partition("/")[2]
                if (_digits(mask) or 0) > 32:
                    raise parameter_problem(f"invalid mask `{mask}' specified")
                net = parse_network(part, self.resolver)
                if net is None:
                    raise parameter_problem(f"host/network `{part}' not found")
                networks.append(net)
            if letter == "s":
                spec.source, spec.source_invert = networks, inv
            else:
                spec.destination, spec.destination_invert = networks, inv
        elif letter in "io":
            assert value is not None
            inv = self._take_invert()
            if len(value) >= IFNAMSIZ:
                raise parameter_problem(
                    f"interface name `{value}' must be shorter than IFNAMSIZ ({IFNAMSIZ - 1})"
                )
            if letter == "i":
                spec.in_interface, spec.in_invert = value, inv
            else:
                spec.out_interface, spec.out_invert = value, inv
        elif letter == "p":
            assert value is not None
            spec.protocol_invert = self._take_invert()
            spec.protocol = parse_protocol(value)
        elif letter in "jg":
            assert value is not None
            if self.invert:
                raise parameter_problem(f"cannot have ! before -{letter}")
            spec.goto = letter == "g"
            spec.target = _target_builder(value)
        elif letter == "m":
            assert value is not None
            if self.invert:
                raise parameter_problem("unexpected ! flag before --match")
            builder = _match_builder(value, spec.protocol, self.resolver)
            if isinstance(builder, _PortBuilder) and any(m.name == value for m in spec.matches):
                pass  # iptables 1.8.9 keeps a single tcp/udp match (observed)
            else:
                spec.matches.append(builder)
        elif letter == "c":
            assert value is not None
            pkts = value
            if self.pos >= len(self.argv):
                raise parameter_problem("-c requires packet and byte counter")
            bytes_ = self.argv[self.pos]
            self.pos += 1
            packets, size = _digits(pkts), _digits(bytes_)
            if packets is None or size is None:
                raise parameter_problem(f"invalid counters: `{pkts}' `{bytes_}'")
            spec.counters = (packets, size)
        elif letter == "n":
            cmd.numeric = True
        elif letter == "v":
            cmd.verbose = True
        elif letter == "x":
            cmd.exact = True
        elif letter == "w":
            if value is None and self.pos < len(self.argv) and self.argv[self.pos].isdigit():
                self.pos += 1
        elif letter == "W":
            pass
        elif letter == "4":
            pass
        elif letter == "6":
            raise IptablesError(TRY_HELP, exit_code=2)
        elif letter == "f":
            raise parameter_problem('unknown option "-f"')
        spec.seen.add(letter)

    def _command_args(self, letter: str, value: str | None) -> None:
        cmd = self.cmd
        cmd.command = letter
        if letter in "ACDIRNPE":
            assert value is not None
            cmd.chain = value
        elif value is not None:
            cmd.chain = value
        elif letter in "LSFZX" and self._next_is_value():
            cmd.chain = self.argv[self.pos]
            self.pos += 1
        if letter in "LSZ" and cmd.chain is not None and self._next_is_value():
            cmd.rulenum = parse_rulenum(self.argv[self.pos])
            self.pos += 1
        elif letter in "DI" and self._next_is_value():
            cmd.rulenum = parse_rulenum(self.argv[self.pos])
            self.pos += 1
        elif letter == "R":
            if not self._next_is_value():
                raise parameter_problem("-R requires a rule number")
            cmd.rulenum = parse_rulenum(self.argv[self.pos])
            self.pos += 1
        elif letter == "P":
            if not self._next_is_value():
                raise parameter_problem("-P requires a chain and a policy")
            cmd.extra = self.argv[self.pos]
            self.pos += 1
        elif letter == "E":
            if not self._next_is_value():
                raise parameter_problem("-E requires old-chain-name and new-chain-name")
            cmd.extra = self.argv[self.pos]
            self.pos += 1
        elif letter == "N":
            assert cmd.chain is not None
            check_new_chain_name(cmd.chain)

    def _finish(self) -> Command:
        cmd, spec = self.cmd, self.spec
        if not self.commands:
            raise parameter_problem("no command specified")
        if "L" in self.commands and "Z" in self.commands:
            cmd.command = "L"
            cmd.zero_after_list = True
        if cmd.command not in "ACDIR" or (cmd.command == "D" and cmd.rulenum is not None):
            return cmd
        chain = cmd.chain or ""
        if spec.in_interface and chain in ("OUTPUT", "POSTROUTING"):
            raise parameter_problem(f"Can't use -i with {chain}\n")
        if spec.out_interface and chain in ("INPUT", "PREROUTING"):
            raise parameter_problem(f"Can't use -o with {chain}\n")
        protocol = spec.protocol or 0
        matches = tuple(builder.build(protocol, spec.protocol_invert) for builder in spec.matches)
        target: AnyTarget = Target("")
        if spec.target is not None:
            target = spec.target.build(protocol)
        cmd.counters = spec.counters
        sources = spec.source or [ANY_NETWORK]
        destinations = spec.destination or [ANY_NETWORK]
        for src in sources:
            for dst in destinations:
                cmd.rules.append(
                    Rule(
                        source=src,
                        source_invert=spec.source_invert and src != ANY_NETWORK,
                        destination=dst,
                        destination_invert=spec.destination_invert and dst != ANY_NETWORK,
                        in_interface=spec.in_interface,
                        in_invert=spec.in_invert,
                        out_interface=spec.out_interface,
                        out_invert=spec.out_invert,
                        protocol=protocol,
                        protocol_invert=spec.protocol_invert,
                        matches=matches,
                        target=target,
                        goto=spec.goto,
                    )
                )
        return cmd


def _digits(text: str) -> int | None:
    """Return the value of ASCII digits (None otherwise); past 18 digits, 10**18.

    Every limit iptables checks is far below 10**18, and Python refuses to
    convert strings of thousands of digits.
    """
    if not text.isascii() or not text.isdigit():
        return None
    return int(text) if len(text) <= 18 else 10**18


def parse_rulenum(text: str) -> int:
    """Parse a rule number (1-based); 0 and non-numbers are refused as iptables does."""
    number = _digits(text)
    if number is None or number < 1:
        raise parameter_problem(f"Invalid rule number `{text}'")
    return number


def check_new_chain_name(name: str) -> None:
    """Refuse chain names iptables refuses for ``-N`` and ``-E``."""
    if len(name) > MAX_CHAIN_NAME:
        raise parameter_problem(
            f"chain name `{name}' too long (must be under {MAX_CHAIN_NAME + 1} chars)"
        )
    if name.startswith("-"):
        raise parameter_problem("chain name not allowed to start with `-'")
    if name in BUILTIN_VERDICTS or name in LOADABLE_TARGETS:
        raise parameter_problem("chain name may not clash with target name")


def parse_protocol(text: str) -> int:
    """Parse ``-p`` (``tcp``, ``6``, ``all``) into a protocol number."""
    lowered = text.lower()
    number = _digits(lowered)
    if number is not None:
        if number > 255:
            raise parameter_problem(f'unknown protocol "{text}" specified')
        return number
    for name, number in CHAIN_PROTOCOLS:
        if name == lowered:
            return number
    if lowered in netbase.PROTOCOL_NUMBERS:
        return netbase.PROTOCOL_NUMBERS[lowered]
    raise parameter_problem(f'unknown protocol "{text}" specified')


def parse_port(text: str, protocol: str) -> int:
    """Parse one port number or service name."""
    number = _digits(text)
    if number is not None and number <= 65535:
        return number
    services = netbase.UDP_SERVICES if protocol == "udp" else netbase.TCP_SERVICES
    if protocol in ("tcp", "udp") and text in services:
        return services[text]
    raise parameter_problem(f"invalid port/service `{text}' specified")


def parse_port_range(text: str, protocol: str) -> PortRange:
    """Parse ``80``, ``1024:65535``, ``:1023`` or ``1024:``."""
    if ":" not in text:
        port = parse_port(text, protocol)
        return PortRange(port, port)
    first_text, _, last_text = text.partition(":")
    first = parse_port(first_text, protocol) if first_text else 0
    last = parse_port(last_text, protocol) if last_text else 65535
    if first > last:
        raise parameter_problem("invalid portrange (min > max)")
    return PortRange(first, last)


def _parse_nat_ports(text: str) -> tuple[int, int]:
    first_text, _, last_text = text.partition("-")
    first_number = _digits(first_text)
    last_number = _digits(last_text) if last_text else first_number
    if first_number is None or last_number is None:
        raise parameter_problem(f"Port `{text}' not valid")
    first, last = first_number, last_number
    if first > 65535 or last > 65535 or first > last:
        raise parameter_problem(f"Port `{text}' not valid")
    return first, last


# --- match builders -------------------------------------------------------------


class _MatchBuilder:
    name = ""
    options: tuple[str, ...] = ()

    def accepts(self, option: str) -> bool:
        return option in self.options

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        raise NotImplementedError

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        raise NotImplementedError


PROTO_NUMBERS = {"tcp": 6, "udp": 17, "sctp": 132, "icmp": 1}


class _PortBuilder(_MatchBuilder):
    def __init__(self, protocol: str) -> None:
        self.name = protocol
        self.protocol = protocol
        opts = ["sport", "source-port", "dport", "destination-port"]
        if protocol == "tcp":
            opts += ["tcp-flags", "syn"]
        self.options = tuple(opts)
        self.sport: PortRange | None = None
        self.sport_invert = False
        self.dport: PortRange | None = None
        self.dport_invert = False
        self.flags: tuple[int, int] | None = None
        self.flags_invert = False

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        if option == "syn":
            self.flags, self.flags_invert = (0x17, 0x02), invert
            return
        value = parser._take_required(f"--{option}", None)
        if option in ("sport", "source-port"):
            self.sport, self.sport_invert = parse_port_range(value, self.protocol), invert
        elif option in ("dport", "destination-port"):
            self.dport, self.dport_invert = parse_port_range(value, self.protocol), invert
        else:
            compare = parser._take_required("--tcp-flags", None)
            self.flags = (_parse_tcp_flags(value), _parse_tcp_flags(compare))
            self.flags_invert = invert

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        if protocol != PROTO_NUMBERS[self.protocol] or protocol_invert:
            raise parameter_problem(f"{self.protocol.upper()} match requires '-p {self.protocol}'")
        mask, compare = self.flags if self.flags is not None else (None, 0)
        return PortMatch(
            protocol=self.protocol,
            sport=self.sport,
            sport_invert=self.sport_invert,
            dport=self.dport,
            dport_invert=self.dport_invert,
            flags_mask=mask,
            flags_compare=compare,
            flags_invert=self.flags_invert,
        )


def _parse_tcp_flags(text: str) -> int:
    bits = 0
    for part in text.split(","):
        upper = part.upper()
        if upper == "ALL":
            bits |= 0x3F
        elif upper == "NONE":
            continue
        else:
            for name, bit in TCP_FLAG_BITS:
                if name == upper:
                    bits |= bit
                    break
            else:
                raise parameter_problem(f"Unknown TCP flag `{part}'")
    return bits


class _IcmpBuilder(_MatchBuilder):
    name = "icmp"
    options = ("icmp-type",)

    def __init__(self) -> None:
        self.match: IcmpMatch | None = None

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        value = parser._take_required("--icmp-type", None)
        self.match = parse_icmp_type(value, invert)

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        # Without -p icmp iptables-nft 1.8.9 lets the kernel refuse it (RULE_APPEND
        # failed); the Netfilter checks that when the rule is added.
        return self.match or IcmpMatch(0xFF)


def parse_icmp_type(text: str, invert: bool = False) -> IcmpMatch:
    """Parse ``--icmp-type`` (``echo-request``, ``8``, ``3/3``, ``any``)."""
    lookup = dict(ICMP_ALIASES).get(text, text)
    for name, itype, cmin, cmax in ICMP_CODES:
        if name == lookup:
            return IcmpMatch(itype, cmin, cmax, invert)
    type_text, slash, code_text = text.partition("/")
    icmp_type = _digits(type_text)
    if icmp_type is not None and icmp_type <= 255:
        if slash:
            code = _digits(code_text)
            if code is None or code > 255:
                raise parameter_problem(f"Invalid ICMP code `{code_text}'")
            return IcmpMatch(icmp_type, code, code, invert)
        return IcmpMatch(icmp_type, 0, 0xFF, invert)
    raise parameter_problem(f"Unknown ICMP type `{text}'")


class _ConntrackBuilder(_MatchBuilder):
    """``-m conntrack`` (libxt_conntrack revision 3) or ``-m state``.

    ``--ctstatus`` and ``--ctexpire`` are not modelled: netsim says so rather
    than keep a rule it could not evaluate.
    """

    def __init__(self, module: str, resolver: Resolver) -> None:
        self.name = module
        self.resolver = resolver
        if module == "conntrack":
            self.options = (
                "ctstate",
                "ctproto",
                *(f"ct{o}" for o in CT_ADDRESS_OPTIONS),
                *(f"ct{o}" for o in CT_PORT_OPTIONS),
                "ctdir",
                "ctstatus",
                "ctexpire",
            )
        else:
            self.options = ("state",)
        self.states: tuple[str, ...] | None = None
        self.invert = False
        self.seen: set[str] = set()
        self.fields: dict[str, object] = {}
        self.addresses: list[CtAddress] = []
        self.ports: list[CtPorts] = []

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        if self.name == "conntrack":
            if option in ("ctstatus", "ctexpire"):
                raise IptablesError(
                    f"netsim: 'iptables -m conntrack --{option}' is not simulated",
                    exit_code=NOT_SIMULATED_EXIT_CODE,
                )
            if invert and option == "ctdir":
                raise parameter_problem('conntrack: option "--ctdir" cannot be inverted.\n')
            if option in self.seen:
                raise parameter_problem(f'conntrack: option "--{option}" can only be used once.\n')
            self.seen.add(option)
        value = parser._take_required(f"--{option}", None)
        if option in ("ctstate", "state"):
            self._states(value, invert)
        elif option == "ctproto":
            self.fields["proto"] = parse_protocol(value)
            self.fields["proto_invert"] = invert
        elif option == "ctdir":
            if value.upper() not in CT_DIRECTIONS:
                raise parameter_problem(f'conntrack: Bad value for "--ctdir" option: "{value}"')
            self.fields["direction"] = value.upper()
        elif option.endswith("port"):
            first, last = _parse_ct_ports(option, value)
            self.ports.append(CtPorts(option[2:], first, last, invert))
        else:
            address = _parse_ct_address(option, value, self.resolver)
            self.addresses.append(CtAddress(option[2:], address, invert))

    def _states(self, value: str, invert: bool) -> None:
        # libxt_conntrack and libxt_state take a state by any case-insensitive
        # prefix of its name (strncasecmp: "est" is ESTABLISHED, as observed);
        # a bad part is named with the rest of the list after it.
        names = CT_STATES if self.name == "conntrack" else CT_STATES[:5]
        word = "ctstate" if self.name == "conntrack" else "state"
        wanted = set()
        parts = value.split(",")
        for index, part in enumerate(parts):
            found = next((n for n in names if part and n.startswith(part.upper())), None)
            if found is None:
                raise parameter_problem(f'Bad {word} "{",".join(parts[index:])}"')
            wanted.add(found)
        self.states = tuple(state for state in CT_STATES if state in wanted)
        self.invert = invert

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        if self.states is None and not self.seen:
            if self.name == "state":
                raise parameter_problem('state: option "--state" must be specified\n')
            raise parameter_problem("conntrack: At least one option is required")
        addresses = tuple(
            sorted(self.addresses, key=lambda item: CT_ADDRESS_OPTIONS.index(item.option))
        )
        ports = tuple(sorted(self.ports, key=lambda item: CT_PORT_OPTIONS.index(item.option)))
        return ConntrackMatch(
            self.states or (),
            self.invert,
            self.name,
            addresses=addresses,
            ports=ports,
            **self.fields,  # type: ignore[arg-type]
        )


def _parse_ct_address(option: str, text: str, resolver: Resolver) -> IPv4Interface:
    """Parse a conntrack address option as libxtables' host/mask type does.

    The address goes through getaddrinfo (``10.1`` is 10.0.0.1, as inet_aton
    reads it; a name from /etc/hosts); the mask is a prefix length (above 32
    it means /32, as observed) or a dotted mask (a non-contiguous one came
    out as /32 on the real iptables too).
    """
    host, slash, mask_text = text.partition("/")
    address = _inet_aton(host)
    if address is None:
        for known, name in resolver.hosts.items():
            if name == host:
                address = known
                break
    if address is None:
        if host and all(ch.isalnum() or ch in "-._" for ch in host):
            reason = "Temporary failure in name resolution"  # no DNS server answers
        else:
            reason = "Name or service not known"
        raise parameter_problem(f"getaddrinfo: {reason}\n")
    prefix = 32
    if slash:
        number = _digits(mask_text)
        if number is not None:
            prefix = min(number, 32)
        else:
            try:
                bits = int(IPv4Address(mask_text))
            except ValueError:
                raise parameter_problem(
                    f'conntrack: bad value for option "--{option}", neither a valid network '
                    "mask nor valid CIDR (0-32).\n"
                ) from None
            ones = bin(bits).count("1")
            contiguous = bits == (0xFFFFFFFF << (32 - ones)) & 0xFFFFFFFF
            prefix = ones if contiguous else 32
    return IPv4Interface((int(address), prefix))


def _inet_aton(text: str) -> IPv4Address | None:
    """Read a dotted address as inet_aton does (``10.1`` is 10.0.0.1), decimal parts only."""
    parts = text.split(".")
    if not text or len(parts) > 4 or not all(p.isdigit() and p.isascii() for p in parts):
        return None
    numbers = [int(p) for p in parts]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 1 << (8 * (5 - len(parts))):
        return None
    value = 0
    for n in head:
        value = value << 8 | n
    return IPv4Address(value << (8 * (5 - len(parts))) | last)


def _parse_ct_ports(option: str, text: str) -> tuple[int, int]:
    """Parse ``PORT[:PORT]`` as libxtables' port-range type does for conntrack.

    A number goes through getaddrinfo's service lookup, which keeps its low 16
    bits (``70000`` is 4464, as observed); a name comes from /etc/services; an
    empty end is 0 or 65535.
    """
    parts = text.split(":")
    if len(parts) > 2:
        raise parameter_problem(
            f'conntrack: Too many components for option "--{option}" (max: 2)\n'
        )
    values = []
    for index, part in enumerate(parts):
        if not part:
            values.append(0 if index == 0 else 65535)
            continue
        number = _digits(part)
        if number is not None:
            values.append(number % 65536)
        elif part in netbase.TCP_SERVICES:
            values.append(netbase.TCP_SERVICES[part])
        elif part in netbase.UDP_SERVICES:
            values.append(netbase.UDP_SERVICES[part])
        else:
            raise parameter_problem(f'Port "{part}" does not resolve to anything.\n')
    return values[0], values[-1]


class _IprangeBuilder(_MatchBuilder):
    name = "iprange"
    options = ("src-range", "dst-range")

    def __init__(self) -> None:
        self.fields: dict[str, object] = {}
        self.warnings: list[str] = []

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        side = option[:3]
        if f"{side}_range" in self.fields:
            raise parameter_problem(f'iprange: option "--{option}" can only be used once.\n')
        value = parser._take_required(f"--{option}", None)
        first_text, dash, last_text = value.partition("-")
        ends = []
        for part in (first_text, last_text if dash else first_text):
            address = _numeric_address(part)
            if address is None:
                raise parameter_problem(f'iprange: Bad value for "--{option}" option: "{part}"')
            ends.append(address)
        if ends[0] > ends[1]:
            # libxt_iprange warns and keeps the rule (it never matches).
            shown = f"{first_text}-{last_text if dash else first_text}"
            parser.cmd.warnings.append(
                f"xt_iprange: range {shown} is reversed and will never match\n"
            )
        self.fields[f"{side}_range"] = (ends[0], ends[1])
        self.fields[f"{side}_invert"] = invert

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        if not self.fields:
            raise parameter_problem(
                "iprange match: You must specify `--src-range' or `--dst-range'"
            )
        return IprangeMatch(**self.fields)  # type: ignore[arg-type]


def _numeric_address(text: str) -> IPv4Address | None:
    """Read an address as xtables_numeric_to_ipaddr does (``10.1`` is 10.1.0.0; no names)."""
    network = parse_network(text) if "/" not in text else None
    return None if network is None else network.network_address


class _AddrtypeBuilder(_MatchBuilder):
    name = "addrtype"
    options = ("src-type", "dst-type", "limit-iface-in", "limit-iface-out")

    def __init__(self) -> None:
        self.fields: dict[str, object] = {}

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        if option.startswith("limit"):
            self.fields[option.replace("-", "_")] = True
            return
        value = parser._take_required(f"--{option}", None)
        wanted = set()
        for part in value.split(","):
            if part.upper() not in ADDRESS_TYPES:
                raise parameter_problem(f'addrtype: bad type "{part}"')
            wanted.add(part.upper())
        types = tuple(t for t in ADDRESS_TYPES if t in wanted)
        side = "src" if option == "src-type" else "dst"
        self.fields[f"{side}_types"] = types
        self.fields[f"{side}_invert"] = invert

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        if not self.fields:
            raise parameter_problem("addrtype: you must specify --src-type or --dst-type")
        return AddrtypeMatch(**self.fields)  # type: ignore[arg-type]


class _MultiportBuilder(_MatchBuilder):
    name = "multiport"
    options = ("source-ports", "sports", "destination-ports", "dports", "ports")

    def __init__(self, protocol: int | None) -> None:
        self.protocol = protocol
        self.match: MultiportMatch | None = None

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        proto = {6: "tcp", 17: "udp", 132: "sctp", 136: "udplite", 33: "dccp"}.get(
            self.protocol or 0
        )
        if proto is None:
            raise parameter_problem(
                "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'"
            )
        value = parser._take_required(f"--{option}", None)
        direction = {"source-ports": "sports", "destination-ports": "dports"}.get(option, option)
        if self.match is not None and self.match.direction != direction:
            names = {
                "sports": "--source-ports",
                "dports": "--destination-ports",
                "ports": "--ports",
            }
            raise parameter_problem(
                f'multiport: option "{names[direction]}" cannot be used together with '
                f'"{names[self.match.direction]}".\n'
            )
        ports = tuple(parse_port_range(part, proto) for part in value.split(","))
        if len(ports) > 15:
            raise parameter_problem("too many ports specified")
        self.match = MultiportMatch(direction, ports, proto, invert)

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        if self.match is None:
            raise parameter_problem("multiport expection an option")  # sic, iptables 1.8.9
        return self.match


class _CommentBuilder(_MatchBuilder):
    name = "comment"
    options = ("comment",)

    def __init__(self) -> None:
        self.comment: str | None = None

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        if invert:
            raise parameter_problem('comment: option "--comment" cannot be inverted.\n')
        value = parser._take_required("--comment", None)
        if len(value) > 255:
            raise parameter_problem("comment may not exceed 255 characters")
        self.comment = value

    def build(self, protocol: int, protocol_invert: bool) -> Match:
        if self.comment is None:
            raise parameter_problem('comment: option "--comment" must be specified\n')
        return CommentMatch(self.comment)


def _match_builder(name: str, protocol: int | None, resolver: Resolver) -> _MatchBuilder:
    if name in ("tcp", "udp", "sctp"):
        return _PortBuilder(name)
    if name == "icmp":
        return _IcmpBuilder()
    if name in ("conntrack", "state"):
        return _ConntrackBuilder(name, resolver)
    if name == "iprange":
        return _IprangeBuilder()
    if name == "addrtype":
        return _AddrtypeBuilder()
    if name == "multiport":
        return _MultiportBuilder(protocol)
    if name == "comment":
        return _CommentBuilder()
    raise parameter_problem(f"Couldn't load match `{name}':No such file or directory\n")


def _implicit_match(protocol: int | None) -> _MatchBuilder | None:
    if protocol == 6:
        return _PortBuilder("tcp")
    if protocol == 17:
        return _PortBuilder("udp")
    if protocol == 132:
        return _PortBuilder("sctp")
    if protocol == 1:
        return _IcmpBuilder()
    return None


# --- target builders -----------------------------------------------------------


class _TargetBuilder:
    options: tuple[str, ...] = ()

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[str, str | bool] = {}

    def accepts(self, option: str) -> bool:
        return option in self.options

    def option(self, option: str, parser: _Parser, invert: bool) -> None:
        if invert:
            raise parameter_problem(f'{self.name}: option "--{option}" cannot be inverted.\n')
        if option in _FLAG_OPTIONS:
            self.values[option] = True
        else:
            self.values[option] = parser._take_required(f"--{option}", None)

    def build(self, protocol: int) -> AnyTarget:
        return Target(self.name)


_FLAG_OPTIONS = {
    "checksum-fill",
    "random",
    "persistent",
    "random-fully",
    "log-tcp-sequence",
    "log-tcp-options",
    "log-ip-options",
    "log-uid",
    "log-macdecode",
}


class _RejectBuilder(_TargetBuilder):
    options = ("reject-with",)

    def build(self, protocol: int) -> AnyTarget:
        value = str(self.values.get("reject-with", "icmp-port-unreachable"))
        value = dict(REJECT_ALIASES).get(value, value)
        if value not in REJECT_TYPES:
            raise parameter_problem(f'unknown reject type "{value}"')
        return RejectTarget(value)


class _LogBuilder(_TargetBuilder):
    options = ("log-prefix", "log-level") + tuple(opt[2:] for opt, _, _ in LOG_FLAGS)

    def build(self, protocol: int) -> AnyTarget:
        level_text = str(self.values.get("log-level", "4"))
        levels = dict(LOG_LEVEL_INPUT)
        level_number = _digits(level_text)
        if level_number is not None and level_number <= 7:
            level = level_number
        elif level_text in levels:
            level = levels[level_text]
        else:
            raise parameter_problem(f'log level "{level_text}" unknown\n')
        flags = 0
        for option, bit, _ in LOG_FLAGS:
            if self.values.get(option[2:]):
                flags |= bit
        prefix = str(self.values.get("log-prefix", ""))
        if len(prefix) > 29:
            raise parameter_problem("Maximum prefix length 29 for --log-prefix")
        return LogTarget(prefix=prefix, level=level, flags=flags)


class _NatBuilder(_TargetBuilder):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        main = "to-destination" if name == "DNAT" else "to-source"
        self.main = main
        self.options = (main, "to", "random", "persistent", "random-fully")

    def build(self, protocol: int) -> AnyTarget:
        value = self.values.get(self.main, self.values.get("to"))
        if not isinstance(value, str):
            raise parameter_problem(f'{self.name}: option "--{self.main}" must be specified\n')
        addr_text, colon, port_text = value.partition(":")
        ports = None
        if colon:
            if protocol not in (6, 17, 132, 33):
                raise parameter_problem("Need TCP, UDP, SCTP or DCCP with port specification")
            ports = _parse_nat_ports(port_text)
        first: IPv4Address | None = None
        last: IPv4Address | None = None
        if addr_text:
            first_text, dash, last_text = addr_text.partition("-")
            try:
                first = IPv4Address(first_text)
                last = IPv4Address(last_text) if dash else None
            except ValueError:
                raise parameter_problem(f'Bad IP address "{addr_text}"') from None
        elif not colon:
            raise parameter_problem(f'Bad IP address "{value}"')
        return NatTarget(self.name, first, last, ports)


class _PortsTargetBuilder(_TargetBuilder):
    options = ("to-ports", "random", "random-fully")

    def build(self, protocol: int) -> AnyTarget:
        value = self.values.get("to-ports")
        if not isinstance(value, str):
            return PortsTarget(self.name)
        if protocol not in (6, 17, 132, 33):
            raise parameter_problem("Need TCP, UDP, SCTP or DCCP with port specification")
        return PortsTarget(self.name, _parse_nat_ports(value))


class _ChecksumBuilder(_TargetBuilder):
    options = ("checksum-fill",)

    def build(self, protocol: int) -> AnyTarget:
        if not self.values.get("checksum-fill"):
            raise parameter_problem('CHECKSUM: option "--checksum-fill" must be specified\n')
        return ChecksumTarget()


def _target_builder(name: str) -> _TargetBuilder:
    if name == "REJECT":
        return _RejectBuilder(name)
    if name == "LOG":
        return _LogBuilder(name)
    if name in ("DNAT", "SNAT"):
        return _NatBuilder(name)
    if name in ("MASQUERADE", "REDIRECT"):
        return _PortsTargetBuilder(name)
    if name == "CHECKSUM":
        return _ChecksumBuilder(name)
    return _TargetBuilder(name)
