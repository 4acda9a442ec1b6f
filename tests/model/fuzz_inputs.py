"""Hostile and clumsy inputs for fuzzing, drawn from a ``random.Random``.

Shared by the hypothesis tests (``st.randoms()`` hands them a seeded random)
and by ``scripts/fuzz.py`` (a long run of 10^5 inputs). Each generator mixes
what a student or a careless script writes with what an attacker tries:
huge numbers, huge widths and counts, loops, wrong types, stray quotes,
lone surrogates.
"""

from __future__ import annotations

import json
import random

HUGE = (0, 1, -1, 15, 16, 255, 256, 65535, 65536, 2**31, 2**32, 10**20, 10**60)
NAMES = ("web", "db", "cache", "n1", "n2", "bb", "laptop", "host", "nosuch")
TEXTS = ("", "x", "http", "DF", "SA", "\ud800", "a" * 3000, "1.2.3.4", "02:42:ac:11:00:02")


def _number(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return "9" * 5000  # past Python's 4300-digit int conversion limit
    value = rng.choice(HUGE) if rng.random() < 0.6 else rng.randrange(-5, 70000)
    return str(value)


def _literal(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return _number(rng)
    if roll < 0.75:
        return json.dumps(rng.choice(TEXTS))
    if roll < 0.85:
        return "b" + json.dumps(rng.choice(("", "GET /", "\\x00")))
    if roll < 0.92:
        return "-" * rng.randrange(1, 40) + "1"
    return rng.choice(("10**20", "None", "True", "[1]", "x", "__import__('os')", "1.5", "(1,)"))


FIELDS = {
    "Ether": ("src", "dst"),
    "ARP": ("op", "hwsrc", "psrc", "hwdst", "pdst"),
    "IP": ("src", "dst", "ttl", "id", "tos", "flags"),
    "TCP": ("sport", "dport", "seq", "ack", "flags", "window"),
    "UDP": ("sport", "dport"),
    "ICMP": ("type", "code", "id", "seq"),
    "DNS": ("id", "rd", "qd"),
    "DNSQR": ("qname",),
    "Raw": ("load",),
    "Evil": ("x",),
}


def _valid_packet(rng: random.Random) -> str:
    dst = rng.choice(("192.168.1.10", "172.17.0.2", "127.0.0.1", "192.168.1.20"))
    top = rng.choice(
        (
            f"TCP(dport={rng.randrange(1, 65536)}, flags={rng.choice(('S', 'SA', 'R'))!r})",
            f"UDP(sport={rng.randrange(1024, 65536)}, dport=53)/DNS(qd=DNSQR(qname='web'))",
            f"ICMP(type={rng.choice((0, 8, 3))})",
            "TCP()/Raw(load=b'GET / HTTP/1.0')",
        )
    )
    ether = "Ether()/" if rng.random() < 0.2 else ""
    return f'{ether}IP(dst="{dst}", ttl={rng.randrange(0, 256)})/{top}'


def packet_text(rng: random.Random) -> str:
    """Return a packet in (mostly) scapy's notation."""
    if rng.random() < 0.4:
        return _valid_packet(rng)
    if rng.random() < 0.05:
        return "".join(rng.choice("()/=,\"' IPTCP0123-+~") for _ in range(rng.randrange(40)))
    layers = []
    for _ in range(rng.randrange(1, 5)):
        name = rng.choice(tuple(FIELDS))
        fields = []
        for _ in range(rng.randrange(0, 4)):
            field = rng.choice(FIELDS[name] + ("bogus",))
            if field == "dst" and name == "IP" and rng.random() < 0.7:
                fields.append('dst="192.168.1.10"')
            elif field == "qd":
                fields.append(f"qd=DNSQR(qname={_literal(rng)})")
            else:
                fields.append(f"{field}={_literal(rng)}")
        layers.append(f"{name}({', '.join(fields)})")
    return "/".join(layers)


TEMPLATE_PIECES = (
    "{{.Name}}",
    "{{.Nope}}",
    "{{json .}}",
    '{{printf "%{n}d" 1}}',
    '{{printf "%.{n}f" 1.5}}',
    '{{printf "%*d" {n} 1}}',
    "{{pad .Name {n} {n}}}",
    "{{range {n}}}x{{end}}",
    "{{range {n}}}{{range {n}}}y{{end}}{{end}}",
    '{{split .Name ""}}',
    '{{join (split .Name "") "{t}"}}',
    "{{truncate .Name {n}}}",
    "{{index .Names {n}}}",
    "{{slice .Name {n}}}",
    '{{define "a"}}{{template "a"}}{{end}}{{template "a"}}',
    "{{",
    "}}",
    "{{end}}",
    "{{if}}",
    "{{(((((((1)))))))}}",
    "{{$x := .Name}}{{$x}}",
    "text \\t more",
)


def template_text(rng: random.Random) -> str:
    """Return a Go template a docker --format or -f might be given."""
    prefix = "table " if rng.random() < 0.2 else ""
    pieces = []
    for _ in range(rng.randrange(1, 5)):
        piece = rng.choice(TEMPLATE_PIECES)
        piece = piece.replace("{n}", _number(rng).lstrip("-") if rng.random() < 0.8 else "-3")
        pieces.append(piece.replace("{t}", rng.choice(("", ",", "x" * 50))))
    return prefix + "".join(pieces)


CHAINS = ("INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING", "DOCKER", "A", "B", "C")
IPTABLES_WORDS = (
    "-A", "-I", "-D", "-R", "-N", "-X", "-F", "-P", "-E", "-S", "-L", "-C", "-Z",
    "-t", "nat", "filter", "raw", "mangle", "-j", "-g", "ACCEPT", "DROP", "RETURN",
    "DNAT", "MASQUERADE", "REJECT", "-p", "tcp", "udp", "icmp", "--dport", "--sport",
    "-s", "-d", "-i", "-o", "!", "-m", "conntrack", "--ctstate", "NEW", "multiport",
    "--dports", "--to-destination", "1.2.3.4:80", "172.17.0.0/16", "docker0", "eth0",
    "--line-numbers", "-n", "-v", "1", "99999999999", "",
)  # fmt: skip


def iptables_argv(rng: random.Random) -> list[str]:
    """Return an iptables argv (without the program name)."""
    words: list[str] = []
    if rng.random() < 0.8:
        words += [rng.choice(("-A", "-I", "-N", "-X", "-F", "-S", "-D")), rng.choice(CHAINS)]
        if words[0] in ("-A", "-I") and rng.random() < 0.6:
            words += [rng.choice(("-j", "-g")), rng.choice(CHAINS)]
    for _ in range(rng.randrange(0, 6)):
        words.append(rng.choice(IPTABLES_WORDS + CHAINS + (_number(rng),)))
    return words


IP_WORDS = (
    "link", "addr", "address", "route", "neigh", "set", "add", "del", "show", "dev",
    "master", "nomaster", "up", "down", "via", "src", "metric", "broadcast", "brd", "+",
    "-", "on", "lo", "eth0", "docker0", "br0", "10.9.0.0/24", "192.168.1.1", "default",
    "type", "bridge", "veth", "peer", "name", "-br", "-4", "-6", "get", "table", "scope",
    "proto", "address", "02:42:ac:11:00:02", "mtu", "mtu", "netns", "x" * 100,
)  # fmt: skip


def ip_argv(rng: random.Random) -> list[str]:
    """Return an ip argv (without the program name)."""
    words = [rng.choice(("link", "addr", "route", "neigh", "r", "a", "l", "-br", "bogus"))]
    for _ in range(rng.randrange(0, 8)):
        words.append(rng.choice(IP_WORDS + (_number(rng),)))
    return words


def _docker_line(rng: random.Random) -> str:
    name = rng.choice(NAMES)
    roll = rng.random()
    if roll < 0.25:
        publish = f" -p {rng.choice(('8080:80', '80', '127.0.0.1::443', '1-3:80', '99999:80'))}"
        network = f" --network {rng.choice(NAMES)}" if rng.random() < 0.3 else ""
        image = rng.choice(("nginx", "redis", "busybox sleep 1000", "nosuchimage"))
        return (
            f"docker run -d --name {name}{publish if rng.random() < 0.5 else ''}{network} {image}"
        )
    if roll < 0.4:
        options = rng.choice(
            ("", "--internal ", "--subnet 10.9.0.0/24 ", "-o com.docker.network.bridge.name=x" * 2)
        )
        return f"docker network create {options}{name}"
    if roll < 0.55:
        return f"docker ps -a --format '{template_text(rng)}'"
    if roll < 0.7:
        return f"docker inspect -f '{template_text(rng)}' {name}"
    if roll < 0.8:
        return f"docker exec {name} ping -c {_number(rng)} 127.0.0.1"
    return rng.choice(
        (
            f"docker rm -f {name}",
            f"docker stop {name}",
            f"docker network rm {name}",
            f"docker network connect {rng.choice(NAMES)} {name}",
            f"docker port {name}",
        )
    )


def _step(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return json.dumps(_docker_line(rng))
    if roll < 0.6:
        return json.dumps("iptables " + " ".join(iptables_argv(rng)))
    if roll < 0.7:
        return json.dumps("ip " + " ".join(ip_argv(rng)))
    if roll < 0.8:
        dst = rng.choice(NAMES + ("192.168.1.10", "172.17.0.2", "127.0.0.1"))
        port = rng.choice((":80", ":8080", ":99999", "", ":53/udp"))
        return "{probe: " + json.dumps(f"{rng.choice(NAMES)} -> {dst}{port}") + "}"
    if roll < 0.88:
        return "{packet: " + json.dumps(packet_text(rng)) + "}"
    return json.dumps(rng.choice(("", 'echo "unclosed', "a" * 5000, "\ud800", "ls /nope")))


def scenario_text(rng: random.Random) -> str:
    """Return a whole scenario file: mostly valid, sometimes not."""
    engine = rng.choice(("20.10", "28.5", "20.10", "28.5", "99"))
    lines = ["name: fuzz", f"engine: {json.dumps(engine)}"]
    if rng.random() < 0.5:
        lines += ["machines:", "  laptop: {address: 192.168.1.20/24, listen: [80]}"]
    lines.append("steps:")
    if rng.random() < 0.6:
        lines.append("  - docker run -d --name bb -p 8080:80 busybox sleep 1000")
        lines.append("  - docker run -d --name web nginx")
    for _ in range(rng.randrange(1, 7)):
        lines.append(f"  - {_step(rng)}")
    return "\n".join(lines) + "\n"
