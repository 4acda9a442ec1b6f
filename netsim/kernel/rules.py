"""Netfilter rules as values: matches, targets, and their iptables text forms.

Every text form here was observed with iptables 1.8.9 (nf_tables), the default
``iptables`` on Debian 12, run in a scratch network namespace:

* ``-S`` / ``iptables-save`` print a rule canonically as
  ``[! -s A] [! -d A] [! -i IF] [! -o IF] [! -p PROTO] (-m NAME OPTS)* [-c P B]
  (-j|-g) TARGET OPTS``; ``-s 10.1.2.3`` prints ``-s 10.1.2.3/32``, ``-p all``
  and ``-s 0/0`` vanish, ``-p 6`` prints ``-p tcp``, ``--dport 80`` after
  ``-p tcp`` loads an implicit ``-m tcp`` at that position.
* ``-L`` prints one line per rule: target ``%-9s``, a ``!`` or space, protocol
  ``%-5s`` (a number with ``-n``: ``0``/``6``/``17``, a name without), ``--``,
  optional ``in``/``out`` columns with ``-v`` (``*`` with ``-n``, ``any``
  without), source and destination ``%-19s`` each behind a ``!`` or space
  (``/32`` dropped; ``0.0.0.0/0`` or ``anywhere``), then ``[goto] `` and the
  matches' and target's own texts, each starting with a space.

The ``!`` that negates a match option is written before it (``! --dport 22``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from types import MappingProxyType

from netsim.kernel import netbase

# Names in the order iptables-nft 1.8.9 prints them (xt_conntrack bit order).
CT_STATES = ("INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT")
# libxt_addrtype bit order, which is also the print order.
ADDRESS_TYPES = (
    "UNSPEC",
    "UNICAST",
    "LOCAL",
    "BROADCAST",
    "ANYCAST",
    "MULTICAST",
    "BLACKHOLE",
    "UNREACHABLE",
    "PROHIBIT",
    "THROW",
    "NAT",
    "XRESOLVE",
)
# xtables_chain_protos: consulted before /etc/protocols, so 0 prints as "all".
CHAIN_PROTOCOLS = (
    ("tcp", 6),
    ("sctp", 132),
    ("udp", 17),
    ("udplite", 136),
    ("icmp", 1),
    ("icmpv6", 58),
    ("esp", 50),
    ("ah", 51),
    ("ipv6-mh", 135),
    ("mh", 135),
    ("all", 0),
)
# libxt_icmp's names: (name, type, code_min, code_max); first match wins when printing.
ICMP_CODES = (
    ("any", 0xFF, 0, 0xFF),
    ("echo-reply", 0, 0, 0xFF),
    ("destination-unreachable", 3, 0, 0xFF),
    ("network-unreachable", 3, 0, 0),
    ("host-unreachable", 3, 1, 1),
    ("protocol-unreachable", 3, 2, 2),
    ("port-unreachable", 3, 3, 3),
    ("fragmentation-needed", 3, 4, 4),
    ("source-route-failed", 3, 5, 5),
    ("network-unknown", 3, 6, 6),
    ("host-unknown", 3, 7, 7),
    ("network-prohibited", 3, 9, 9),
    ("host-prohibited", 3, 10, 10),
    ("TOS-network-unreachable", 3, 11, 11),
    ("TOS-host-unreachable", 3, 12, 12),
    ("communication-prohibited", 3, 13, 13),
    ("host-precedence-violation", 3, 14, 14),
    ("precedence-cutoff", 3, 15, 15),
    ("source-quench", 4, 0, 0xFF),
    ("redirect", 5, 0, 0xFF),
    ("network-redirect", 5, 0, 0),
    ("host-redirect", 5, 1, 1),
    ("TOS-network-redirect", 5, 2, 2),
    ("TOS-host-redirect", 5, 3, 3),
    ("echo-request", 8, 0, 0xFF),
    ("router-advertisement", 9, 0, 0xFF),
    ("router-solicitation", 10, 0, 0xFF),
    ("time-exceeded", 11, 0, 0xFF),
    ("ttl-zero-during-transit", 11, 0, 0),
    ("ttl-zero-during-reassembly", 11, 1, 1),
    ("parameter-problem", 12, 0, 0xFF),
    ("ip-header-bad", 12, 0, 0),
    ("required-option-missing", 12, 1, 1),
    ("timestamp-request", 13, 0, 0xFF),
    ("timestamp-reply", 14, 0, 0xFF),
    ("address-mask-request", 17, 0, 0xFF),
    ("address-mask-reply", 18, 0, 0xFF),
)
ICMP_ALIASES = (("ping", "echo-request"), ("pong", "echo-reply"), ("ttl-exceeded", "time-exceeded"))
REJECT_TYPES = (
    "icmp-net-unreachable",
    "icmp-host-unreachable",
    "icmp-port-unreachable",
    "icmp-proto-unreachable",
    "icmp-net-prohibited",
    "icmp-host-prohibited",
    "icmp-admin-prohibited",
    "tcp-reset",
)
REJECT_ALIASES = (
    ("net-unreach", "icmp-net-unreachable"),
    ("host-unreach", "icmp-host-unreachable"),
    ("port-unreach", "icmp-port-unreachable"),
    ("proto-unreach", "icmp-proto-unreachable"),
    ("net-prohib", "icmp-net-prohibited"),
    ("host-prohib", "icmp-host-prohibited"),
    ("admin-prohib", "icmp-admin-prohibited"),
    ("tcp-rst", "tcp-reset"),
)
# What ``-L`` prints for a LOG level without ``-n`` (nft log level names).
LOG_LEVEL_NAMES = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")
LOG_LEVEL_INPUT = (
    ("emerg", 0),
    ("panic", 0),
    ("alert", 1),
    ("crit", 2),
    ("err", 3),
    ("error", 3),
    ("warn", 4),
    ("warning", 4),
    ("notice", 5),
    ("info", 6),
    ("debug", 7),
)
# LOG --log-* flags: (option, bit, -L word), in the order -S and -L print them.
LOG_FLAGS = (
    ("--log-tcp-sequence", 0x01, "tcp-sequence"),
    ("--log-tcp-options", 0x02, "tcp-options"),
    ("--log-ip-options", 0x04, "ip-options"),
    ("--log-uid", 0x08, "uid"),
    ("--log-macdecode", 0x20, "macdecode"),
)
TCP_FLAG_BITS = (
    ("FIN", 0x01),
    ("SYN", 0x02),
    ("RST", 0x04),
    ("PSH", 0x08),
    ("ACK", 0x10),
    ("URG", 0x20),
)

ANY_NETWORK = IPv4Network("0.0.0.0/0")


def protocol_name(number: int) -> str | None:
    """Return the name iptables prints for protocol ``number``, or None."""
    for name, num in CHAIN_PROTOCOLS:
        if num == number:
            return name
    if number == 0:
        return None
    return netbase.PROTOCOL_NAMES.get(number)


def port_name(port: int, protocol: str) -> str:
    """Return the service name for ``port`` (``3306`` → ``mysql``), else the number."""
    table = netbase.UDP_PORT_NAMES if protocol == "udp" else netbase.TCP_PORT_NAMES
    if protocol not in ("tcp", "udp"):
        return str(port)
    return table.get(port, str(port))


def save_string(value: str) -> str:
    """Quote ``value`` as iptables' xtables_save_string does (leading space included)."""
    safe = set("_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if value and all(ch in safe for ch in value):
        return " " + value
    escaped = "".join("\\" + ch if ch in "\"\\'" else ch for ch in value)
    return f' "{escaped}"'


def _bang(invert: bool) -> str:
    return " !" if invert else ""


@dataclass(frozen=True, slots=True)
class PortRange:
    """An inclusive port range; ``first == last`` for a single port."""

    first: int
    last: int

    def contains(self, port: int | None) -> bool:
        """Return True when ``port`` lies in the range (None never does)."""
        return port is not None and self.first <= port <= self.last

    def save(self) -> str:
        """Return ``80`` or ``1024:65535`` as ``-S`` prints it."""
        return str(self.first) if self.first == self.last else f"{self.first}:{self.last}"

    def listing(self, protocol: str, numeric: bool) -> str:
        """Return the range for ``-L`` (service names without ``-n``)."""
        if numeric:
            return self.save()
        first = port_name(self.first, protocol)
        if self.first == self.last:
            return first
        return f"{first}:{port_name(self.last, protocol)}"


# --- matches -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PortMatch:
    """``-m tcp|udp|sctp`` with ``--sport``/``--dport`` (and ``--tcp-flags`` for tcp)."""

    protocol: str
    sport: PortRange | None = None
    sport_invert: bool = False
    dport: PortRange | None = None
    dport_invert: bool = False
    flags_mask: int | None = None
    flags_compare: int = 0
    flags_invert: bool = False

    @property
    def name(self) -> str:
        """The match module name."""
        return self.protocol

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        out = ""
        if self.sport is not None:
            out += f"{_bang(self.sport_invert)} --sport {self.sport.save()}"
        if self.dport is not None:
            out += f"{_bang(self.dport_invert)} --dport {self.dport.save()}"
        if self.flags_mask is not None:
            out += (
                f"{_bang(self.flags_invert)} --tcp-flags "
                f"{_flag_names(self.flags_mask)} {_flag_names(self.flags_compare)}"
            )
        return out

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``tcp spt:22 dpts:8000:8080``)."""
        out = f" {self.protocol}"
        for label, rng, inv in (
            ("spt", self.sport, self.sport_invert),
            ("dpt", self.dport, self.dport_invert),
        ):
            if rng is None:
                continue
            plural = "" if rng.first == rng.last else "s"
            out += f" {label}{plural}:{'!' if inv else ''}{rng.listing(self.protocol, numeric)}"
        if self.flags_mask is not None:
            bang = "!" if self.flags_invert else ""
            if numeric:
                out += f" flags:{bang}0x{self.flags_mask:02X}/0x{self.flags_compare:02X}"
            else:
                mask, comp = _flag_names(self.flags_mask), _flag_names(self.flags_compare)
                out += f" flags:{bang}{mask}/{comp}"
        return out


def _flag_names(bits: int) -> str:
    if bits == 0:
        return "NONE"
    if bits == 0x3F:
        return "ALL"
    return ",".join(name for name, bit in TCP_FLAG_BITS if bits & bit)


@dataclass(frozen=True, slots=True)
class IcmpMatch:
    """``-m icmp --icmp-type TYPE[/CODE]``; type 255 means any."""

    icmp_type: int
    code_min: int = 0
    code_max: int = 0xFF
    invert: bool = False
    name = "icmp"

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        if self.icmp_type == 0xFF:
            return f"{_bang(self.invert)} --icmp-type any"
        out = f"{_bang(self.invert)} --icmp-type {self.icmp_type}"
        if self.code_min != 0 or self.code_max != 0xFF:
            out += f"/{self.code_min}"
        return out

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``icmptype 8`` with -n, ``icmp echo-request`` without)."""
        if not numeric:
            for name, itype, cmin, cmax in ICMP_CODES:
                if (itype, cmin, cmax) == (self.icmp_type, self.code_min, self.code_max):
                    return f" icmp {'!' if self.invert else ''}{name}"
        out = " icmp" + (" !" if self.invert else "") + f"type {self.icmp_type}"
        if self.code_min == self.code_max:
            out += f" code {self.code_min}"
        elif self.code_min != 0 or self.code_max != 0xFF:
            out += f" codes {self.code_min}-{self.code_max}"
        return out

    def matches(self, icmp_type: int | None, icmp_code: int | None) -> bool:
        """Return True when an ICMP packet of this type/code matches (before inversion)."""
        if self.icmp_type == 0xFF:
            return True
        if icmp_type != self.icmp_type:
            return False
        code = icmp_code or 0
        return self.code_min <= code <= self.code_max


# libxt_conntrack's address and port options, in the order -S and -L print them.
CT_ADDRESS_OPTIONS = ("origsrc", "origdst", "replsrc", "repldst")
CT_PORT_OPTIONS = ("origsrcport", "origdstport", "replsrcport", "repldstport")
CT_DIRECTIONS = ("ORIGINAL", "REPLY")


@dataclass(frozen=True, slots=True)
class CtAddress:
    """``[!] --ctorigsrc|--ctorigdst|--ctreplsrc|--ctrepldst ADDRESS[/MASK]``.

    The address keeps its host bits (``10.0.0.1/8`` prints as given); the
    kernel compares ``(tuple ^ address) & mask``, so they never matter.
    """

    option: str  # one of CT_ADDRESS_OPTIONS
    address: IPv4Interface
    invert: bool = False

    def text(self, numeric: bool, resolver: Resolver | None) -> str:
        """Return the address as conntrack_dump_addr prints it (``anywhere``, ``loopback/8``)."""
        addr = self.address.ip
        mask = "" if self.address.network.prefixlen == 32 else f"/{self.address.network.prefixlen}"
        if numeric or resolver is None:
            return f"{addr}{mask}"
        if int(addr) == 0:
            return "anywhere"
        # xtables_ipaddr_to_anyname: a host name first, then a network name.
        name = resolver.hosts.get(addr) or resolver.networks.get(addr) or str(addr)
        return f"{name}{mask}"

    def contains(self, address: IPv4Address) -> bool:
        """Return True when ``address`` agrees with the option's address under its mask."""
        return address in self.address.network


@dataclass(frozen=True, slots=True)
class CtPorts:
    """``[!] --ctorigsrcport|... PORT[:PORT]`` (revision 3: a range, kept as given)."""

    option: str  # one of CT_PORT_OPTIONS
    first: int
    last: int
    invert: bool = False

    def text(self) -> str:
        """Return ``80`` or ``1000:2000`` (a zero upper end prints the lower alone)."""
        if self.last == 0 or self.first == self.last:
            return str(self.first)
        return f"{self.first}:{self.last}"

    def contains(self, port: int) -> bool:
        """Return True when ``port`` lies between the ends (never for a reversed range)."""
        return self.first <= port <= self.last


@dataclass(frozen=True, slots=True)
class ConntrackMatch:
    """``-m conntrack`` (or ``-m state --state`` when ``module`` is "state").

    ``states`` is empty when ``--ctstate`` was not given. The other options
    read the connection's tuples: ``proto`` its protocol, ``addresses`` and
    ``ports`` the original or reply tuple, ``direction`` which of the two the
    packet travels (xt_conntrack's conntrack_mt).
    """

    states: tuple[str, ...]
    invert: bool = False
    module: str = "conntrack"
    proto: int | None = None
    proto_invert: bool = False
    addresses: tuple[CtAddress, ...] = ()
    ports: tuple[CtPorts, ...] = ()
    direction: str | None = None  # "ORIGINAL" or "REPLY"

    @property
    def name(self) -> str:
        """The match module name."""
        return self.module

    @property
    def reads_tuples(self) -> bool:
        """True when an option reads the connection's tuples or direction, not its state."""
        return (
            self.proto is not None
            or bool(self.addresses)
            or bool(self.ports)
            or self.direction is not None
        )

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        if self.module == "state":
            return f"{_bang(self.invert)} --state {','.join(self.states)}"
        return self._dump("--ct", True, None)

    def listing(self, numeric: bool, resolver: Resolver | None = None) -> str:
        """Return the ``-L`` text (``ctstate RELATED,ESTABLISHED ctorigdstport 80``)."""
        if self.module == "state":
            return f"{' !' if self.invert else ''} state {','.join(self.states)}"
        return self._dump("ct", numeric, resolver)

    def _dump(self, prefix: str, numeric: bool, resolver: Resolver | None) -> str:
        # libxt_conntrack's conntrack_dump: one order for -S (prefix --ct) and -L (ct).
        out = ""
        if self.states:
            out += f"{_bang(self.invert)} {prefix}state {','.join(self.states)}"
        if self.proto is not None:
            out += f"{_bang(self.proto_invert)} {prefix}proto {self.proto}"
        for option in CT_ADDRESS_OPTIONS:
            for item in self.addresses:
                if item.option == option:
                    out += f"{_bang(item.invert)} {prefix}{option} {item.text(numeric, resolver)}"
        for option in CT_PORT_OPTIONS:
            for ports in self.ports:
                if ports.option == option:
                    out += f"{_bang(ports.invert)} {prefix}{option} {ports.text()}"
        if self.direction is not None:
            out += f" {prefix}dir {self.direction}"
        return out


@dataclass(frozen=True, slots=True)
class IprangeMatch:
    """``-m iprange [!] --src-range A[-B] [!] --dst-range A[-B]`` (inclusive, numeric only)."""

    src_range: tuple[IPv4Address, IPv4Address] | None = None
    src_invert: bool = False
    dst_range: tuple[IPv4Address, IPv4Address] | None = None
    dst_invert: bool = False
    name = "iprange"

    def save(self) -> str:
        """Return the ``-S`` text (``! --src-range 10.0.0.5-10.0.0.5``: one address twice)."""
        out = ""
        if self.src_range is not None:
            first, last = self.src_range
            out += f"{_bang(self.src_invert)} --src-range {first}-{last}"
        if self.dst_range is not None:
            first, last = self.dst_range
            out += f"{_bang(self.dst_invert)} --dst-range {first}-{last}"
        return out

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``source IP range ! 192.0.2.1-192.0.2.3``), never names."""
        out = ""
        if self.src_range is not None:
            first, last = self.src_range
            out += f" source IP range{_bang(self.src_invert)} {first}-{last}"
        if self.dst_range is not None:
            first, last = self.dst_range
            out += f" destination IP range{_bang(self.dst_invert)} {first}-{last}"
        return out

    def matches(self, src: IPv4Address, dst: IPv4Address) -> bool:
        """Return True when the packet's addresses fall in (or, inverted, out of) the ranges."""
        if self.src_range is not None:
            first, last = self.src_range
            if (first <= src <= last) == self.src_invert:
                return False
        if self.dst_range is not None:
            first, last = self.dst_range
            if (first <= dst <= last) == self.dst_invert:
                return False
        return True


@dataclass(frozen=True, slots=True)
class AddrtypeMatch:
    """``-m addrtype [!] --src-type T [!] --dst-type T [--limit-iface-in|out]``."""

    src_types: tuple[str, ...] = ()
    src_invert: bool = False
    dst_types: tuple[str, ...] = ()
    dst_invert: bool = False
    limit_iface_in: bool = False
    limit_iface_out: bool = False
    name = "addrtype"

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        out = ""
        if self.src_types:
            out += f"{_bang(self.src_invert)} --src-type {','.join(self.src_types)}"
        if self.dst_types:
            out += f"{_bang(self.dst_invert)} --dst-type {','.join(self.dst_types)}"
        if self.limit_iface_in:
            out += " --limit-iface-in"
        if self.limit_iface_out:
            out += " --limit-iface-out"
        return out

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``ADDRTYPE match dst-type LOCAL``)."""
        out = " ADDRTYPE match"
        if self.src_types:
            out += f" src-type {'!' if self.src_invert else ''}{','.join(self.src_types)}"
        if self.dst_types:
            out += f" dst-type {'!' if self.dst_invert else ''}{','.join(self.dst_types)}"
        if self.limit_iface_in:
            out += " limit-in"
        if self.limit_iface_out:
            out += " limit-out"
        return out


@dataclass(frozen=True, slots=True)
class MultiportMatch:
    """``-m multiport --dports|--sports|--ports LIST``."""

    direction: str  # "dports", "sports" or "ports"
    ports: tuple[PortRange, ...]
    protocol: str
    invert: bool = False
    name = "multiport"

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        return f"{_bang(self.invert)} --{self.direction} {','.join(p.save() for p in self.ports)}"

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``multiport dports 80,443``; note two spaces before ``!``)."""
        ports = ",".join(p.listing(self.protocol, numeric) for p in self.ports)
        return f" multiport {self.direction} {' !' if self.invert else ''}{ports}"

    def matches(self, sport: int | None, dport: int | None) -> bool:
        """Return True when the packet's ports match (before inversion)."""
        if self.direction == "dports":
            candidates: tuple[int | None, ...] = (dport,)
        elif self.direction == "sports":
            candidates = (sport,)
        else:
            candidates = (sport, dport)
        return any(p.contains(c) for p in self.ports for c in candidates)


@dataclass(frozen=True, slots=True)
class CommentMatch:
    """``-m comment --comment TEXT``; never affects matching."""

    comment: str
    name = "comment"

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        return " --comment" + save_string(self.comment)

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``/* TEXT */``)."""
        return f" /* {self.comment} */"


Match = (
    PortMatch
    | IcmpMatch
    | ConntrackMatch
    | AddrtypeMatch
    | MultiportMatch
    | CommentMatch
    | IprangeMatch
)


# --- targets -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """A target without options: ACCEPT, DROP, RETURN, a user chain, or none (``""``)."""

    name: str

    def save(self) -> str:
        """Return the target options for ``-S`` (none)."""
        return ""

    def listing(self, numeric: bool) -> str:
        """Return the target's ``-L`` text (none)."""
        return ""


@dataclass(frozen=True, slots=True)
class RejectTarget:
    """``-j REJECT --reject-with TYPE`` (default icmp-port-unreachable)."""

    reject_with: str = "icmp-port-unreachable"
    name = "REJECT"

    def save(self) -> str:
        """Return the ``-S`` text of the options; the type is always printed."""
        return f" --reject-with {self.reject_with}"

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text."""
        return f" reject-with {self.reject_with}"


@dataclass(frozen=True, slots=True)
class LogTarget:
    """``-j LOG [--log-prefix P] [--log-level N] [--log-* flags]``; does not end the walk."""

    prefix: str = ""
    level: int = 4
    flags: int = 0
    name = "LOG"

    def save(self) -> str:
        """Return the ``-S`` text of the options (level 4 is not printed)."""
        out = ""
        if self.prefix:
            out += " --log-prefix" + save_string(self.prefix)
        if self.level != 4:
            out += f" --log-level {self.level}"
        for option, bit, _ in LOG_FLAGS:
            if self.flags & bit:
                out += f" {option}"
        return out

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``LOG flags 0 level 4`` with -n, ``LOG level warn`` without)."""
        if numeric:
            out = f" LOG flags {self.flags} level {self.level}"
        else:
            out = f" LOG level {LOG_LEVEL_NAMES[self.level]}"
            for _, bit, word in LOG_FLAGS:
                if self.flags & bit:
                    out += f" {word}"
        if self.prefix:
            out += f' prefix "{self.prefix}"'
        return out


@dataclass(frozen=True, slots=True)
class NatTarget:
    """DNAT/SNAT ``--to-destination|--to-source [ADDR[-ADDR]][:PORT[-PORT]]``.

    ``address`` is None for the port-only form Docker's embedded DNS uses
    (``-j SNAT --to-source :53``).
    """

    name: str  # "DNAT" or "SNAT"
    address: IPv4Address | None
    address_last: IPv4Address | None = None
    ports: tuple[int, int] | None = None

    def spec(self) -> str:
        """Return ``172.17.0.2:3306`` as the rule was given, canonically."""
        out = "" if self.address is None else str(self.address)
        if self.address_last is not None and self.address_last != self.address:
            out += f"-{self.address_last}"
        if self.ports is not None:
            first, last = self.ports
            out += f":{first}" if first == last else f":{first}-{last}"
        return out

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        option = "--to-destination" if self.name == "DNAT" else "--to-source"
        return f" {option} {self.spec()}"

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``to:172.17.0.2:3306``)."""
        return f" to:{self.spec()}"


@dataclass(frozen=True, slots=True)
class PortsTarget:
    """MASQUERADE ``[--to-ports P[-P]]`` or REDIRECT ``[--to-ports P[-P]]``."""

    name: str  # "MASQUERADE" or "REDIRECT"
    ports: tuple[int, int] | None = None

    def _ports(self) -> str:
        assert self.ports is not None
        first, last = self.ports
        return str(first) if first == last else f"{first}-{last}"

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        return "" if self.ports is None else f" --to-ports {self._ports()}"

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text (``masq ports: 1024`` / ``redir ports 3128``)."""
        if self.ports is None:
            return ""
        word = "masq ports:" if self.name == "MASQUERADE" else "redir ports"
        return f" {word} {self._ports()}"


@dataclass(frozen=True, slots=True)
class ChecksumTarget:
    """``-j CHECKSUM --checksum-fill`` (mangle; Docker's SCTP rule)."""

    name = "CHECKSUM"

    def save(self) -> str:
        """Return the ``-S`` text of the options."""
        return " --checksum-fill"

    def listing(self, numeric: bool) -> str:
        """Return the ``-L`` text."""
        return " CHECKSUM fill"


AnyTarget = Target | RejectTarget | LogTarget | NatTarget | PortsTarget | ChecksumTarget

BUILTIN_VERDICTS = ("ACCEPT", "DROP", "RETURN", "QUEUE")
EXTENSION_TARGETS = ("REJECT", "LOG", "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "CHECKSUM")
# Every IPv4 target extension Debian 12's iptables 1.8.9 can load
# (/usr/lib/x86_64-linux-gnu/xtables/lib{xt,ipt}_NAME.so): `-N NAME` of any
# of them fails with "chain name may not clash with target name".
LOADABLE_TARGETS = (
    "AUDIT",
    "CHECKSUM",
    "CLASSIFY",
    "CLUSTERIP",
    "CONNMARK",
    "CONNSECMARK",
    "CT",
    "DNAT",
    "DSCP",
    "ECN",
    "HMARK",
    "IDLETIMER",
    "LED",
    "LOG",
    "MARK",
    "MASQUERADE",
    "NETMAP",
    "NFLOG",
    "NFQUEUE",
    "NOTRACK",
    "RATEEST",
    "REDIRECT",
    "REJECT",
    "SECMARK",
    "SET",
    "SNAT",
    "SYNPROXY",
    "TCPMSS",
    "TCPOPTSTRIP",
    "TEE",
    "TOS",
    "TPROXY",
    "TRACE",
    "TTL",
    "ULOG",
)


# --- the rule ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One netfilter rule: the IP header part, matches in order, and a target.

    Equal rules are the same rule for ``-D``/``-C`` (iptables compares the
    canonical form, so ``--dport 80`` equals ``-m tcp --dport 80``).
    """

    source: IPv4Network = ANY_NETWORK
    source_invert: bool = False
    destination: IPv4Network = ANY_NETWORK
    destination_invert: bool = False
    in_interface: str = ""
    in_invert: bool = False
    out_interface: str = ""
    out_invert: bool = False
    protocol: int = 0
    protocol_invert: bool = False
    matches: tuple[Match, ...] = ()
    target: AnyTarget = Target("")
    goto: bool = False
    # What a walk tests first, as integers (not a field of the rule's identity):
    # the source and destination as mask and network, and the destination
    # ports some match requires (``-1`` stands for a packet without ports).
    quick: tuple[int, int, int, int, int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        first, last = -1, 65535
        for match in self.matches:
            if isinstance(match, PortMatch) and match.dport is not None and not match.dport_invert:
                first, last = match.dport.first, match.dport.last
                break
        source, destination = self.source, self.destination
        object.__setattr__(
            self,
            "quick",
            (
                int(source.netmask),
                int(source.network_address),
                int(destination.netmask),
                int(destination.network_address),
                first,
                last,
            ),
        )

    def save(self, chain: str, counters: tuple[int, int] | None = None) -> str:
        """Return the ``-A CHAIN ...`` line as ``iptables -S`` and ``iptables-save`` print it."""
        out = f"-A {chain}"
        if self.source != ANY_NETWORK:
            out += f"{_bang(self.source_invert)} -s {self.source}"
        if self.destination != ANY_NETWORK:
            out += f"{_bang(self.destination_invert)} -d {self.destination}"
        if self.in_interface:
            out += f"{_bang(self.in_invert)} -i {self.in_interface}"
        if self.out_interface:
            out += f"{_bang(self.out_invert)} -o {self.out_interface}"
        if self.protocol or self.protocol_invert:
            name = protocol_name(self.protocol) or str(self.protocol)
            out += f"{_bang(self.protocol_invert)} -p {name}"
        for match in self.matches:
            out += f" -m {match.name}{match.save()}"
        if counters is not None:
            out += f" -c {counters[0]} {counters[1]}"
        if self.target.name:
            out += f" {'-g' if self.goto else '-j'} {self.target.name}{self.target.save()}"
        return out

    def protocol_label(self, numeric: bool) -> str:
        """Return the ``prot`` column value (``6`` with -n, ``tcp`` without)."""
        if numeric:
            return str(self.protocol)
        return protocol_name(self.protocol) or str(self.protocol)

    def listing_tail(self, numeric: bool, resolver: Resolver | None = None) -> str:
        """Return what follows the destination column: ``[goto] ``, matches, target text.

        ``resolver`` names the addresses of conntrack options without ``-n``.
        """
        out = "[goto] " if self.goto else ""
        for match in self.matches:
            if isinstance(match, ConntrackMatch):
                out += match.listing(numeric, resolver)
            else:
                out += match.listing(numeric)
        out += self.target.listing(numeric)
        return out

    @property
    def jump_target(self) -> str | None:
        """The user chain this rule jumps or goes to, if any."""
        name = self.target.name
        if isinstance(self.target, Target) and name and name not in BUILTIN_VERDICTS:
            return name
        return None


def network_listing(net: IPv4Network, numeric: bool, resolver: Resolver) -> str:
    """Return an address column value for ``-L``."""
    if net.prefixlen == 0:
        return "0.0.0.0/0" if numeric else "anywhere"
    if net.prefixlen == 32:
        addr = net.network_address
        return str(addr) if numeric else resolver.hosts.get(addr, str(addr))
    if numeric:
        return str(net)
    name = resolver.networks.get(net.network_address)
    return f"{name or net.network_address}/{net.prefixlen}"


@dataclass(frozen=True, slots=True)
class Resolver:
    """Names ``iptables -L`` without ``-n`` shows: /etc/hosts and /etc/networks entries.

    Addresses with no entry print numerically (a real host would also try DNS).
    The defaults are Debian 12's /etc/networks and a minimal /etc/hosts.
    """

    hosts: Mapping[IPv4Address, str]
    networks: Mapping[IPv4Address, str]

    @classmethod
    def default(cls) -> Resolver:
        """Return Debian 12's defaults: localhost, loopback and link-local."""
        return cls(
            hosts=MappingProxyType({IPv4Address("127.0.0.1"): "localhost"}),
            networks=MappingProxyType(
                {
                    IPv4Address("127.0.0.0"): "loopback",
                    IPv4Address("169.254.0.0"): "link-local",
                }
            ),
        )


def parse_network(text: str, resolver: Resolver | None = None) -> IPv4Network | None:
    """Parse ``-s``/``-d`` text (``10.0.0.1``, ``10/8``, ``10.0.0.1/255.255.255.0``).

    Returns None when the text is neither an address nor a known host name.
    The host part is masked off, as iptables does (``10.0.0.1/24`` → ``10.0.0.0/24``).
    """
    addr_text, _, mask_text = text.partition("/")
    try:
        addr = IPv4Address(_expand_short_ipv4(addr_text))
    except ValueError:
        found = None
        if resolver is not None:
            for known, name in resolver.hosts.items():
                if name == addr_text:
                    found = known
                    break
        if found is None:
            return None
        addr = found
    if not mask_text:
        prefix = 32
    elif mask_text.isdigit():
        prefix = int(mask_text)
        if prefix > 32:
            return None
    else:
        try:
            mask = IPv4Address(mask_text)
        except ValueError:
            return None
        bits = int(mask)
        prefix = bin(bits).count("1")
        if bits != (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF:
            return None  # non-contiguous masks are not modelled
    # From (int, prefix): the address is not parsed a second time from text.
    return IPv4Network((int(addr), prefix), strict=False)


def _expand_short_ipv4(text: str) -> str:
    """Accept iptables' short forms ``0`` and ``10.1`` (inet_aton style, dotted parts only)."""
    parts = text.split(".")
    if not text or len(parts) > 4 or not all(p.isdigit() for p in parts):
        return text
    if len(parts) == 4:
        return text
    # iptables pads missing trailing octets with zeros for "0/0", "10/8".
    return ".".join(parts + ["0"] * (4 - len(parts)))
