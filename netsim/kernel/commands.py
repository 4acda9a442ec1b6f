"""The ``ip`` and ``sysctl`` commands on a namespace, in iproute2 6.1 or BusyBox form.

Formats observed on Debian 12 (iproute2 6.1.0, procps-ng 4.0.2, busybox-static
1.35.0) in scratch namespaces on Linux 6.18:

* iproute2 ``ip addr``: ``5: eth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu
  1500 qdisc noqueue state UP group default qlen 1000`` then ``link/ether MAC
  brd ff:ff:ff:ff:ff:ff link-netnsid 0`` (``link-netns NAME`` when the peer
  namespace is visible to ``ip netns``), then ``inet A/P brd B scope global
  eth0`` (``brd`` only when set) and ``inet6 fe80::…/64 scope link `` (note the
  trailing space), each with ``valid_lft forever preferred_lft forever``.
  ``ip link`` adds ``mode DEFAULT`` after the state. The peer prints as
  ``@ifN`` when it lives in another namespace, else by name; ``M-DOWN`` follows
  the flags when a same-namespace peer is down. ``ip -4 addr`` moves
  ``link-netnsid`` onto the first line; ``ip -6 addr`` drops qdisc/group/master
  and (an iproute2 6.1 quirk) names a foreign peer by the local interface
  holding that ifindex.
* ``ip route`` lines end with a space; ``proto boot``, ``scope global`` and
  ``metric 0`` are not printed; ``linkdown`` marks routes on links without
  carrier.
* BusyBox ``ip addr`` omits state/group, always names the peer by a local
  lookup of its ifindex (``eth0@if6`` only when no local link has index 6) and
  prints ``M-DOWN`` when that lookup finds no up link; BusyBox ``ip route``
  omits ``proto kernel`` and prints ``dev eth0 scope link  src 172.17.0.2 ``.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netsim.errors import KernelError
from netsim.kernel.namespace import Interface, NetworkNamespace, Route

VALID_LFT = "       valid_lft forever preferred_lft forever"
BUSYBOX_IP_USAGE = """BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.

Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]

OPTIONS := -f[amily] inet|inet6|link | -o[neline]

ip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]
ip route list|flush|add|del|change|append|replace|test ROUTE
ip link set IFACE [up|down] [arp on|off] [multicast on|off]
\t[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MAC]
\t[master IFACE | nomaster] [netns PID]
ip tunnel add|change|del|show [NAME]
\t[mode ipip|gre|sit] [remote ADDR] [local ADDR] [ttl TTL]
ip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]
ip rule [list] | add|del SELECTOR ACTION
"""
OBJECTS = ("address", "addrlabel", "maddress", "route", "rule", "neighbor", "neighbour", "link")


class _Fail(Exception):
    def __init__(self, code: int, stderr: str) -> None:
        super().__init__(stderr)
        self.code = code
        self.stderr = stderr


def _incomplete() -> _Fail:
    """iproute2's NEXT_ARG() at the end of the line (exit -1, so 255)."""
    return _Fail(255, 'Command line is not complete. Try option "help"\n')


def _inet_address(text: str) -> IPv4Address:
    """Read an IPv4 address as iproute2's get_addr does, with its error (exit 1)."""
    try:
        return IPv4Address(text)
    except ValueError:
        raise _Fail(1, f'Error: inet address is expected rather than "{_cut(text)}".\n') from None


def _metric(text: str) -> int:
    """Read a route metric as iproute2's get_u32 (strtoul base 0) does."""
    number: int | None = None
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        number = int(text, 16)
    elif re.fullmatch(r"0[0-7]*", text):
        number = int(text, 8)
    elif re.fullmatch(r"[1-9][0-9]*", text) and len(text) <= 10:
        number = int(text)
    if number is None or number > 0xFFFFFFFF:
        raise _Fail(255, f'Error: argument "{_cut(text)}" is wrong: "metric" value is invalid\n\n')
    return number


def _mtu(text: str) -> int:
    """Read ``mtu N`` as iproute2's get_integer does (invarg, exit 255, on anything else)."""
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > 2**31 - 1:
        raise _Fail(255, f'Error: argument "{_cut(text)}" is wrong: Invalid "mtu" value\n\n')
    return int(text)


def _cut(text: str, limit: int = 40) -> str:
    """Cut a word short for a message (iproute2 prints it whole; a scenario may be huge)."""
    return text if len(text) <= limit else f"{text[:limit]}..."


def ip_command(
    namespace: NetworkNamespace,
    argv: list[str],
    *,
    flavor: str = "iproute2",
    netns_names: bool = True,
) -> tuple[int, str, str]:
    """Run ``ip ARGV`` (without the program name) on ``namespace``.

    ``flavor`` is ``iproute2`` (Debian's ``ip``) or ``busybox`` (what
    ``docker exec c ip ...`` runs in a busybox image). ``netns_names`` says
    whether the caller sees /var/run/netns (the host does; a container does
    not): registered namespaces then print as ``link-netns NAME``.

    Returns:
        (exit code, stdout, stderr).
    """
    try:
        ip = _Ip(namespace, flavor)
        ip.netns_names = netns_names
        return 0, ip.run(list(argv)), ""
    except _Fail as fail:
        return fail.code, "", fail.stderr
    except KernelError as err:
        return 2, "", str(err) + "\n"


class _Ip:
    def __init__(self, namespace: NetworkNamespace, flavor: str) -> None:
        if flavor not in ("iproute2", "busybox"):
            raise ValueError(f"unknown ip flavor {flavor!r}; expected 'iproute2' or 'busybox'")
        self.ns = namespace
        self.busybox = flavor == "busybox"
        self.family: int | None = None
        self.brief = False
        self.netns_names = True

    def run(self, args: list[str]) -> str:
        while args and args[0].startswith("-"):
            option = args.pop(0)
            if option in ("-4",):
                self.family = 4
            elif option in ("-6",):
                self.family = 6
            elif option in ("-br", "-brief") and not self.busybox:
                self.brief = True
            elif option in ("-0",):
                self.family = 0
            else:
                if self.busybox:
                    raise _Fail(1, BUSYBOX_IP_USAGE)
                raise _Fail(255, f'Option "{option}" is unknown, try "ip -help".\n')
        if not args:
            if self.busybox:
                raise _Fail(1, BUSYBOX_IP_USAGE)
            raise _Fail(255, "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n")
        word = args.pop(0)
        obj = next((o for o in OBJECTS if o.startswith(word)), None)
        if obj == "address":
            return self.address(args)
        if obj == "link":
            return self.link(args)
        if obj == "route":
            return self.route(args)
        if obj in ("neighbor", "neighbour"):
            return self.neigh(args)
        if self.busybox:
            raise _Fail(1, BUSYBOX_IP_USAGE)
        raise _Fail(255, f'Object "{word}" is unknown, try "ip help".\n')

    # -- helpers --------------------------------------------------------------

    def _unknown(self, obj: str, word: str) -> _Fail:
        if self.busybox:
            return _Fail(1, BUSYBOX_IP_USAGE)
        return _Fail(255, f'Command "{word}" is unknown, try "ip {obj} help".\n')

    def _device(self, name: str, *, show: bool = False) -> Interface:
        link = self.ns.find(name)
        if link is None:
            if self.busybox:
                raise _Fail(1, f"ip: can't find device '{name}'\n")
            if show:
                raise _Fail(1, f'Device "{name}" does not exist.\n')
            raise _Fail(1, f'Cannot find device "{name}"\n')
        return link

    def _peer_label(self, link: Interface, *, local_lookup: bool) -> tuple[str, bool]:
        """Return (``@peer`` text, M-DOWN) for a veth end."""
        peer = link.peer
        if peer is None:
            return "", False
        if not local_lookup and peer.namespace is not self.ns:
            return f"@if{peer.ifindex}", False
        local = self.ns.by_index(peer.ifindex)
        if local is None:
            # BusyBox reads the missing link's flags as 0 (M-DOWN); iproute2 -6 does not.
            return f"@if{peer.ifindex}", self.busybox
        return f"@{local.name}", not local.admin_up

    def _netns_suffix(self, link: Interface) -> str:
        peer = link.peer
        if peer is None or peer.namespace is self.ns:
            return ""
        if self.netns_names and peer.namespace.registered_name:
            return f" link-netns {peer.namespace.registered_name}"
        return f" link-netnsid {self.ns.netnsid_of(peer.namespace)}"

    def _head(self, link: Interface, *, mode: bool) -> str:
        if self.busybox or self.family == 6:
            label, mdown = self._peer_label(link, local_lookup=True)
        else:
            label, mdown = self._peer_label(link, local_lookup=False)
        flags = ",".join(link.flags() + (["M-DOWN"] if mdown else []))
        head = f"{link.ifindex}: {link.name}{label}: <{flags}> mtu {link.mtu} "
        if self.busybox:
            master = f"master {link.master} " if link.master else ""
            # BusyBox prints the queue length only when it is not zero.
            return (
                head + f"qdisc {link.qdisc} {master}" + (f"qlen {link.qlen}" if link.qlen else "")
            )
        if self.family == 6:
            return head + f"state {link.operstate} qlen {link.qlen}"
        master = f"master {link.master} " if link.master else ""
        out = head + f"qdisc {link.qdisc} {master}state {link.operstate} "
        if mode:
            out += "mode DEFAULT "
        # iproute2's print_queuelen prints nothing for a zero queue length.
        return out + "group default " + (f"qlen {link.qlen}" if link.qlen else "")

    def _link_line(self, link: Interface) -> str:
        if link.kind == "loopback":
            return "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00"
        suffix = "" if self.busybox else self._netns_suffix(link)
        return f"    link/ether {link.mac} brd ff:ff:ff:ff:ff:ff{suffix}"

    def _name_field(self, link: Interface) -> str:
        label, _ = self._peer_label(link, local_lookup=False)
        return link.name + label

    def _select(self, args: list[str], obj: str) -> list[Interface]:
        links = self.ns.interfaces()
        while args:
            word = args.pop(0)
            if word == "dev":
                if not args:
                    raise _Fail(255, 'Command line is not complete. Try option "help"\n')
                word = args.pop(0)
                links = [self._device(word, show=True)]
            elif word == "master":
                name = args.pop(0) if args else ""
                self._device(name, show=True)
                links = [link for link in links if link.master == name]
            elif word == "up":
                links = [link for link in links if link.admin_up]
            elif word in ("type",) and args:
                kind = args.pop(0)
                links = [link for link in links if link.kind == kind]
            else:
                links = [self._device(word, show=True)]
        return links

    # -- ip addr --------------------------------------------------------------

    def address(self, args: list[str]) -> str:
        sub = args.pop(0) if args else "show"
        if "show".startswith(sub) or sub in ("list", "lst"):
            return self.show_addresses(self._select(args, "address"))
        if sub == "add":
            return self.change_address(args, add=True)
        if sub in ("del", "delete"):
            return self.change_address(args, add=False)
        raise self._unknown("address", sub)

    def show_addresses(self, links: list[Interface]) -> str:
        out = []
        for link in links:
            v4 = link.addresses if self.family in (None, 4) else []
            v6 = link.ipv6 if self.family in (None, 6) else []
            if self.family is not None and not v4 and not v6:
                continue
            if self.brief:
                addrs = [f"{a.interface.ip}/{a.interface.network.prefixlen}" for a in v4]
                addrs += [str(addr) for addr, _ in v6]
                out.append(
                    f"{self._name_field(link):<16} {link.operstate:<14} "
                    + "".join(a + " " for a in addrs)
                )
                continue
            head = self._head(link, mode=False)
            if self.family is None:
                out.append(head)
                out.append(self._link_line(link))
            else:
                out.append(
                    head + ("" if self.busybox or self.family == 6 else self._netns_suffix(link))
                )
            for address in v4:
                line = f"    inet {address.interface.ip}/{address.interface.network.prefixlen}"
                if address.broadcast is not None:
                    line += f" brd {address.broadcast}"
                line += f" scope {address.scope}"
                if address.secondary:
                    line += " secondary"
                out.append(line + f" {address.label}")
                out.append(VALID_LFT)
            for addr, scope in v6:
                out.append(f"    inet6 {addr} scope {scope} ")
                out.append(VALID_LFT)
        return "".join(line + "\n" for line in out)

    def change_address(self, args: list[str], *, add: bool) -> str:
        address: IPv4Interface | None = None
        dev: str | None = None
        broadcast: IPv4Address | bool | str = False
        while args:
            word = args.pop(0)
            if word in ("dev", "brd", "broadcast", "label", "scope") and not args:
                raise _incomplete()
            if word == "dev":
                dev = args.pop(0)
            elif word in ("brd", "broadcast"):
                value = args.pop(0)
                # iproute2: "+" sets the host bits, "-" clears them.
                broadcast = value if value in ("+", "-") else _inet_address(value)
            elif word in ("label", "scope"):
                args.pop(0)
            elif address is None:
                try:
                    address = IPv4Interface(word)
                except ValueError:
                    raise _Fail(
                        1, f'Error: any valid prefix is expected rather than "{word}".\n'
                    ) from None
        if dev is None or address is None:
            raise _Fail(1, 'Not enough information: "dev" argument is required.\n')
        self._device(dev)
        brd: IPv4Address | bool = False
        if isinstance(broadcast, IPv4Address):
            brd = broadcast
        elif broadcast == "+":
            brd = True
        elif broadcast == "-" and address.network.prefixlen <= 30:
            brd = address.network.network_address
        if add:
            self.ns.add_address(dev, address, broadcast=brd)
        else:
            self.ns.delete_address(dev, address)
        return ""

    # -- ip link --------------------------------------------------------------

    def link(self, args: list[str]) -> str:
        sub = args.pop(0) if args else "show"
        if "show".startswith(sub) or sub in ("list", "lst"):
            links = self._select(args, "link")
            if self.brief:
                return "".join(
                    f"{self._name_field(link):<16} {link.operstate:<14} {link.mac} "
                    f"<{','.join(link.flags())}> \n"
                    for link in links
                )
            return "".join(
                self._head(link, mode=not self.busybox) + "\n" + self._link_line(link) + "\n"
                for link in links
            )
        if sub == "set":
            return self.link_set(args)
        if sub in ("del", "delete"):
            if args and args[0] == "dev":
                args.pop(0)
            name = args.pop(0) if args else ""
            self._device(name)
            self.ns.delete_link(name)
            return ""
        if sub == "add":
            return self.link_add(args)
        raise self._unknown("link", sub)

    def link_set(self, args: list[str]) -> str:
        if args and args[0] == "dev":
            args.pop(0)
        name = args.pop(0) if args else ""
        self._device(name)
        while args:
            word = args.pop(0)
            if word == "up":
                self.ns.set_up(name)
            elif word == "down":
                self.ns.set_down(name)
            elif word == "master" and args:
                master = args.pop(0)
                self._device(master)
                self.ns.set_master(name, master)
            elif word == "nomaster":
                self.ns.set_master(name, None)
            elif word in ("address", "addr") and args:
                self.ns.set_mac(name, args.pop(0))
            elif word == "mtu" and args:
                self.ns.set_mtu(name, _mtu(args.pop(0)))
            elif word == "name" and args:
                new = args.pop(0)
                self.ns.rename_link(name, new)
                name = new
            else:
                raise self._unknown("link", word)
        return ""

    def link_add(self, args: list[str]) -> str:
        name = ""
        kind = ""
        peer = ""
        while args:
            word = args.pop(0)
            if word == "name" and args:
                name = args.pop(0)
            elif word == "type" and args:
                kind = args.pop(0)
            elif word == "peer" and args:
                if args[0] == "name":
                    args.pop(0)
                peer = args.pop(0) if args else ""
            elif not name:
                name = word
        counter = len(self.ns.interfaces())
        mac = f"02:00:00:00:{counter // 256:02x}:{counter % 256:02x}"
        if kind == "bridge":
            self.ns.add_bridge(name, mac=mac, mac_explicit=False)
        elif kind == "veth":
            peer_mac = f"02:00:00:01:{counter // 256:02x}:{counter % 256:02x}"
            self.ns.add_veth(name, peer or f"veth{counter}", mac=mac, peer_mac=peer_mac)
        else:
            raise _Fail(2, "Error: Unknown device type.\n")
        return ""

    # -- ip route -------------------------------------------------------------

    def route(self, args: list[str]) -> str:
        sub = args.pop(0) if args else "show"
        if "show".startswith(sub) or sub in ("list", "lst"):
            return self.show_routes(args)
        if sub == "add":
            self.ns.add_route(self._route_spec(args))
            return ""
        if sub in ("del", "delete"):
            spec = self._route_spec(args, need_dev=False)
            dev = spec.dev or None
            self.ns.delete_route(spec.destination, dev=dev)
            return ""
        if sub == "get" and not self.busybox:
            return self.route_get(args)
        raise self._unknown("route", sub)

    def _route_spec(self, args: list[str], *, need_dev: bool = True) -> Route:
        fields: dict[str, str] = {}
        destination: IPv4Network | None = None
        while args:
            word = args.pop(0)
            if word in ("via", "dev", "metric", "proto", "scope", "src", "table"):
                if not args:
                    raise _incomplete()
                fields[word] = args.pop(0)
                if word in ("via", "src"):
                    _inet_address(fields[word])
                elif word == "metric":
                    _metric(fields[word])
            elif destination is None:
                text = "0.0.0.0/0" if word == "default" else word
                try:
                    destination = IPv4Network(text)
                except ValueError:
                    raise _Fail(
                        1, f'Error: inet prefix is expected rather than "{word}".\n'
                    ) from None
        if destination is None:
            raise _Fail(255, 'Command line is not complete. Try option "help"\n')
        gateway = IPv4Address(fields["via"]) if "via" in fields else None
        dev = fields.get("dev", "")
        if not dev and gateway is not None:
            for route in self.ns.sorted_routes():
                if route.gateway is None and gateway in route.destination:
                    dev = route.dev
                    break
        if not dev and need_dev:
            raise _Fail(2, "Error: Nexthop has invalid gateway.\n")
        if dev:
            self._device(dev)
        source = IPv4Address(fields["src"]) if "src" in fields else None
        if source is not None and not self.ns.is_local(source):
            raise _Fail(2, "Error: Invalid prefsrc address.\n")
        scope = fields.get("scope", "global" if gateway is not None else "link")
        return Route(
            destination=destination,
            dev=dev,
            gateway=gateway,
            protocol=fields.get("proto", "boot"),
            scope=scope,
            source=source,
            metric=_metric(fields.get("metric", "0")),
        )

    def show_routes(self, args: list[str]) -> str:
        table = "main"
        dev: str | None = None
        prefix: IPv4Network | None = None
        while args:
            word = args.pop(0)
            if word == "table" and args:
                table = args.pop(0)
            elif word == "dev" and args:
                dev = args.pop(0)
                self._device(dev, show=True)
            else:
                try:
                    prefix = IPv4Network("0.0.0.0/0" if word == "default" else word)
                except ValueError:
                    raise self._unknown("route", word) from None
        if table == "local":
            routes = self.ns.local_table()
        elif table == "main":
            routes = self.ns.sorted_routes()
        else:
            routes = self.ns.sorted_routes() + self.ns.local_table()
        if dev is not None:
            routes = [r for r in routes if r.dev == dev]
        if prefix is not None:
            routes = [r for r in routes if r.destination == prefix]
        return "".join(self._route_line(r, hide_dev=dev is not None) + "\n" for r in routes)

    def _route_line(self, route: Route, *, hide_dev: bool = False) -> str:
        net = route.destination
        if net.prefixlen == 0:
            dst = "default"
        elif net.prefixlen == 32:
            dst = str(net.network_address)
        else:
            dst = str(net)
        if self.busybox:
            out = f"{dst} "
            if route.gateway is not None:
                out += f"via {route.gateway} "
            out += f"dev {route.dev} "
            if route.scope != "global":
                out += f"scope {route.scope} "
            if route.source is not None:
                out += f" src {route.source} "
            if route.metric:
                out += f" metric {route.metric} "
            return out
        parts = [] if route.type == "unicast" else [route.type]
        parts.append(dst)
        if route.gateway is not None:
            parts.append(f"via {route.gateway}")
        if not hide_dev:
            parts.append(f"dev {route.dev}")
        if route.protocol != "boot":
            parts.append(f"proto {route.protocol}")
        if route.scope != "global":
            parts.append(f"scope {route.scope}")
        if route.source is not None:
            parts.append(f"src {route.source}")
        if route.metric:
            parts.append(f"metric {route.metric}")
        link = self.ns.find(route.dev)
        if link is not None and link.admin_up and not link.carrier:
            parts.append("linkdown")
        return " ".join(parts) + " "

    def route_get(self, args: list[str]) -> str:
        if not args:
            raise _Fail(255, 'Command line is not complete. Try option "help"\n')
        try:
            destination = IPv4Address(args[0])
        except ValueError:
            raise _Fail(1, f'Error: inet prefix is expected rather than "{args[0]}".\n') from None
        route = self.ns.route_lookup(destination)
        if route is None:
            raise _Fail(2, "RTNETLINK answers: Network is unreachable\n")
        if route.type == "local":
            return f"local {destination} dev lo src {destination} uid 0 \n    cache <local> \n"
        source = route.source or _source_for(
            self.ns.interface(route.dev), route.gateway or destination
        )
        via = f"via {route.gateway} " if route.gateway is not None else ""
        return f"{destination} {via}dev {route.dev} src {source} uid 0 \n    cache \n"

    # -- ip neigh -------------------------------------------------------------

    def neigh(self, args: list[str]) -> str:
        return ""


def _source_for(link: Interface, towards: IPv4Address) -> IPv4Address | str:
    for address in link.addresses:
        if towards in address.interface.network:
            return address.interface.ip
    return link.addresses[0].interface.ip if link.addresses else "0.0.0.0"


# --- sysctl -------------------------------------------------------------------

SYSCTL_USAGE = """
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
"""


def sysctl_command(
    namespace: NetworkNamespace, argv: list[str], *, flavor: str = "procps"
) -> tuple[int, str, str]:
    """Run ``sysctl ARGV`` on ``namespace`` (procps-ng 4.0.2 or BusyBox texts).

    ``KEY`` prints ``KEY = VALUE``; ``KEY=VALUE`` (with or without ``-w``)
    writes and echoes it unless ``-q``; ``-n`` prints values only.
    """
    values_only = quiet = ignore = False
    keys: list[str] = []
    for arg in argv:
        if arg.startswith("-") and len(arg) > 1:
            for letter in arg[1:]:
                values_only |= letter == "n"
                quiet |= letter == "q"
                ignore |= letter == "e"
        else:
            keys.append(arg)
    if not keys:
        return 1, "", SYSCTL_USAGE if flavor == "procps" else ""
    out, err, code = "", "", 0
    for item in keys:
        key, eq, value = item.partition("=")
        key = key.replace("/", ".")
        if key not in namespace.sysctls:
            if ignore:
                continue
            code = 1
            if flavor == "busybox":
                err += f"sysctl: error: '{key}' is an unknown key\n"
            else:
                path = key.replace(".", "/")
                err += f"sysctl: cannot stat /proc/sys/{path}: No such file or directory\n"
            continue
        if eq:
            try:
                namespace.sysctls.set(key, value)
            except KernelError:
                code = 1
                err += f'sysctl: setting key "{key}": Invalid argument\n'
                continue
            namespace.refresh()
            if quiet:
                continue
        current = namespace.sysctls.get(key)
        out += f"{current}\n" if values_only else f"{key} = {current}\n"
    return code, out, err
