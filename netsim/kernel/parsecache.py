"""Parse iptables command lines once: by their words, and by shape for the control plane.

Docker writes the same few rules again and again, differing only in an
address or a port (``-d 172.18.0.5/32``, ``--dport 8080``,
``--to-destination 172.18.0.5:80``); parsing each line from text was about a
third of what replaying thousands of ``docker run -p`` cost. A *shape* is a
command line with those words left open. The first line of a shape is parsed
in full and becomes its template; later lines of the shape copy the
template's rule with their own addresses and ports, which gives the same
``Command`` the parser gives (checked when the template is made, and by
tests/unit/test_kernel_parsecache.py).

Only words in the canonical form Docker writes are left open: a dotted-quad
``/32`` host, a decimal port without leading zeros, ``ADDRESS:PORT``. Any other
spelling stays part of the shape and is parsed. A line the parser refuses is
never remembered, so its error is raised every time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from netsim.errors import IptablesError
from netsim.kernel.iptables import Command, parse_command
from netsim.kernel.rules import NatTarget, PortMatch, PortRange, Resolver, Rule

PARSED_LIMIT = 4096  # command lines (and shapes) a cache keeps
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_ADDRESS = rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}"
_PORT = r"(0|[1-9][0-9]{0,4})"
_HOST = re.compile(rf"{_ADDRESS}/32")
_ADDRESS_PORT = re.compile(rf"{_ADDRESS}:{_PORT}")
_PORT_WORD = re.compile(_PORT)
# The options whose canonical word a shape leaves open.
_HOST_OPTIONS = frozenset({"-s", "-d"})
_PORT_OPTIONS = frozenset({"--sport", "--dport"})
_NAT_OPTIONS = frozenset({"--to-destination", "--to-source"})
_OPEN_OPTIONS = _HOST_OPTIONS | _PORT_OPTIONS | _NAT_OPTIONS

# An open word's value: a host network, a port, or a NAT address and port.
OpenValue = IPv4Network | int | tuple[IPv4Address, int]


def _number(octets: Sequence[str]) -> int:
    """Return the number of four decimal octets (already checked by the pattern)."""
    a, b, c, d = octets
    return (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)


def _open_value(option: str, word: str) -> OpenValue | None:
    """Return the value of ``word`` after ``option`` when a shape leaves it open."""
    if option in _HOST_OPTIONS:
        host = _HOST.fullmatch(word)
        return None if host is None else IPv4Network((_number(host.groups()), 32))
    if option in _PORT_OPTIONS:
        if _PORT_WORD.fullmatch(word) is None or int(word) > 65535:
            return None
        return int(word)
    found = _ADDRESS_PORT.fullmatch(word)
    if found is None or int(found.group(5)) > 65535:
        return None
    return IPv4Address(_number(found.groups()[:4])), int(found.group(5))


# A shape: the words of a command line, None where a word is left open.
Shape = tuple[str | None, ...]
OpenValues = tuple[tuple[str, OpenValue], ...]


def command_shape(
    argv: Sequence[str], known: dict[tuple[str, str], OpenValue | None] | None = None
) -> tuple[Shape, OpenValues]:
    """Return a command line's shape and the (option, value) of each open word, in order.

    ``known`` remembers the values of words read before (a container's
    address is in three of its rules; port 80 and 127.0.0.11 in thousands).
    """
    words: list[str | None] = list(argv)
    values: list[tuple[str, OpenValue]] = []
    for index in range(1, len(argv)):
        option = argv[index - 1]
        if option not in _OPEN_OPTIONS:
            continue
        if known is None:
            value = _open_value(option, argv[index])
        elif (option, argv[index]) in known:
            value = known[option, argv[index]]
        else:
            value = _open_value(option, argv[index])
            if len(known) >= PARSED_LIMIT:
                # Start again rather than stop remembering: the words of the
                # latest lines are the ones read again (an endpoint's address).
                known.clear()
            known[option, argv[index]] = value
        if value is not None:
            words[index] = None
            values.append((option, value))
    return tuple(words), tuple(values)


def spell(shape: Shape, values: OpenValues) -> list[str]:
    """Return the command line of ``shape`` with ``values`` written into its open words."""
    pending = iter(values)
    words: list[str] = []
    for word in shape:
        if word is not None:
            words.append(word)
            continue
        _, value = next(pending)
        if isinstance(value, tuple):
            words.append(f"{value[0]}:{value[1]}")
        else:
            words.append(str(value))
    return words


def _field_values(value: object) -> list[Any]:
    """Return a dataclass value's fields in declaration order (its constructor's positions)."""
    return [getattr(value, f.name) for f in fields(value) if f.init]  # type: ignore[arg-type]


def _position(cls: type, name: str) -> int:
    """Return the position of field NAME in dataclass CLS's constructor."""
    return [f.name for f in fields(cls) if f.init].index(name)


_SOURCE = _position(Rule, "source")
_DESTINATION = _position(Rule, "destination")
_MATCHES = _position(Rule, "matches")
_TARGET = _position(Rule, "target")
_PORT_FIELDS = {"--sport": _position(PortMatch, "sport"), "--dport": _position(PortMatch, "dport")}
_NAT_ADDRESS = _position(NatTarget, "address")
_NAT_PORTS = _position(NatTarget, "ports")
_RULES = _position(Command, "rules")
_WARNINGS = _position(Command, "warnings")


class _Template:
    """The parse of a shape's first line, ready to take other addresses and ports.

    It keeps the field values of its command, rule, port match and target in
    constructor order, and makes a line's values from them with that line's
    addresses and ports (what ``dataclasses.replace`` does, without looking
    the fields up again on every line: Docker writes thousands of these).
    """

    __slots__ = ("_command", "_rule", "_port_match", "_port_index", "_target")

    def __init__(self, command: Command) -> None:
        rule = command.rules[0]
        self._command = _field_values(command)
        self._rule = _field_values(rule)
        ports = [i for i, m in enumerate(rule.matches) if isinstance(m, PortMatch)]
        self._port_index = ports[0] if ports else -1
        self._port_match = _field_values(rule.matches[ports[0]]) if ports else []
        self._target = _field_values(rule.target) if isinstance(rule.target, NatTarget) else []

    def fill(self, values: OpenValues) -> Command:
        """Return the command with the template's open words set to ``values``."""
        rule = self._rule.copy()
        port_match: list[Any] | None = None
        for option, value in values:
            if isinstance(value, IPv4Network):
                rule[_SOURCE if option == "-s" else _DESTINATION] = value
            elif isinstance(value, int):
                if port_match is None:
                    port_match = self._port_match.copy()
                port_match[_PORT_FIELDS[option]] = PortRange(value, value)
            else:
                target = self._target.copy()
                target[_NAT_ADDRESS], target[_NAT_PORTS] = value[0], (value[1], value[1])
                rule[_TARGET] = NatTarget(*target)
        if port_match is not None:
            matches = list(rule[_MATCHES])
            matches[self._port_index] = PortMatch(*port_match)
            rule[_MATCHES] = tuple(matches)
        command = self._command.copy()
        command[_RULES] = [Rule(*rule)]
        command[_WARNINGS] = list(command[_WARNINGS])
        return Command(*command)

    @staticmethod
    def fits(command: Command, values: OpenValues) -> bool:
        """Return whether the open words of a line land where ``fill`` puts them.

        One rule (no address lists), one port match for port words, a NAT
        target for ``ADDRESS:PORT``, and each option open once.
        """
        if len(command.rules) != 1:
            return False
        options = [option for option, _ in values]
        if len(set(options)) != len(options):
            return False
        rule = command.rules[0]
        if any(o in _PORT_OPTIONS for o in options):
            if sum(isinstance(m, PortMatch) for m in rule.matches) != 1:
                return False
        if any(o in _NAT_OPTIONS for o in options):
            return isinstance(rule.target, NatTarget) and rule.target.address_last is None
        return True


def _other_values(values: OpenValues) -> OpenValues:
    """Return different values of the same kinds (to check a new template with)."""
    other: list[tuple[str, OpenValue]] = []
    for option, value in values:
        if isinstance(value, IPv4Network):
            other.append((option, IPv4Network(int(value.network_address) ^ 1)))
        elif isinstance(value, int):
            other.append((option, value ^ 1))
        else:
            address, port = value
            other.append((option, (IPv4Address(int(address) ^ 1), port ^ 1)))
    return tuple(other)


class ParsedCommands:
    """iptables command lines parsed once, shared by netfilters with the same resolver.

    ``parse`` remembers whole lines (every container's sandbox gets the same
    embedded-DNS chains); ``parse_shaped`` remembers shapes, for the
    control plane's lines. Commands are never changed after parsing.
    """

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._lines: dict[tuple[str, ...], Command] = {}
        self._templates: dict[Shape, _Template | None] = {}
        self._words: dict[tuple[str, str], OpenValue | None] = {}

    def __len__(self) -> int:
        """Return how many whole lines are remembered."""
        return len(self._lines)

    def parse(self, argv: Sequence[str]) -> Command:
        """Return the parse of ``argv``, parsing it only the first time.

        Raises:
            IptablesError: iptables' message, every time the line is given.
        """
        key = tuple(argv)
        command = self._lines.get(key)
        if command is None:
            command = parse_command(list(argv), self.resolver)
            if len(self._lines) < PARSED_LIMIT:
                self._lines[key] = command
        return command

    def parse_shaped(self, argv: Sequence[str]) -> Command:
        """Return the parse of ``argv``, parsing its shape only the first time.

        Raises:
            IptablesError: iptables' message, every time the line is given.
        """
        key = tuple(argv)
        command = self._lines.get(key)
        if command is not None:
            return command
        shape, values = command_shape(argv, self._words)
        if not values:
            return self.parse(argv)
        template = self._templates.get(shape)
        if template is not None:
            return template.fill(values)
        command = parse_command(list(argv), self.resolver)
        if shape not in self._templates and len(self._templates) < PARSED_LIMIT:
            self._templates[shape] = self._template(shape, values, command)
            # The first line of a shape is often written again as it is (the
            # embedded DNS's jumps in every sandbox): remember it whole too.
            self._lines[key] = command
        return command

    def _template(self, shape: Shape, values: OpenValues, command: Command) -> _Template | None:
        """Return the shape's template, or None where filling would not give the parser's answer.

        Beyond ``fits``, the template must give the parser's own command for
        this line and for one with every open value changed.
        """
        if not command.rules or not _Template.fits(command, values):
            return None
        template = _Template(command)
        if template.fill(values) != command:
            return None
        other = _other_values(values)
        try:
            expected = parse_command(spell(shape, other), self.resolver)
        except IptablesError:  # the other values are refused: parse this shape every time
            return None
        return template if template.fill(other) == expected else None
