# ruff: noqa: E501  (expected texts are real tool output, kept verbatim)
"""iptables 1.8.9 (nf_tables) behaviour, checked against output of the real tool.

Every expected string in this file was printed by the real ``iptables`` /
``iptables-save`` of Debian 12 (iptables 1.8.9, nf_tables backend, the default
alternative) run as root in a scratch network namespace (``ip netns add``,
``ip netns exec NS iptables ...``), then pasted here unchanged. To re-check,
run the same argv there; ``iptables-save``'s two date lines are the only
normalised text.
"""

from __future__ import annotations

import re
import shlex

import pytest

from netsim.kernel.netfilter import Netfilter

# (table, chain, args, exit code, stderr, {view: line}) for one rule appended to an empty
# chain. Views: S = last line of ``-S CHAIN``; L_n = the rule line of ``-L CHAIN -n``;
# L_nv = ``-n -v``; L_v = ``-v``; L = plain ``-L``; L_n_num = ``-n --line-numbers``.
RULE_CASES = [
    (
        "filter",
        "FORWARD",
        "-j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     all  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-s 10.0.0.0/8 -j DROP",
        0,
        "",
        {
            "S": "-A FORWARD -s 10.0.0.0/8 -j DROP",
            "L_n": "DROP       0    --  10.0.0.0/8           0.0.0.0/0           ",
            "L_nv": "    0     0 DROP       0    --  *      *       10.0.0.0/8           "
            "0.0.0.0/0           ",
            "L_v": "    0     0 DROP       all  --  any    any     10.0.0.0/8           "
            "anywhere            ",
            "L": "DROP       all  --  10.0.0.0/8           anywhere            ",
            "L_n_num": "1    DROP       0    --  10.0.0.0/8           0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "! -s 10.1.2.3 -j DROP",
        0,
        "",
        {
            "S": "-A FORWARD ! -s 10.1.2.3/32 -j DROP",
            "L_n": "DROP       0    -- !10.1.2.3             0.0.0.0/0           ",
            "L_nv": "    0     0 DROP       0    --  *      *      !10.1.2.3             "
            "0.0.0.0/0           ",
            "L_v": "    0     0 DROP       all  --  any    any    !10.1.2.3             "
            "anywhere            ",
            "L": "DROP       all  -- !10.1.2.3             anywhere            ",
            "L_n_num": "1    DROP       0    -- !10.1.2.3             0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-d 192.168.1.0/24 ! -s 10.0.0.0/16 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD ! -s 10.0.0.0/16 -d 192.168.1.0/24 -j ACCEPT",
            "L_n": "ACCEPT     0    -- !10.0.0.0/16          192.168.1.0/24      ",
            "L_nv": "    0     0 ACCEPT     0    --  *      *      !10.0.0.0/16          "
            "192.168.1.0/24      ",
            "L_v": "    0     0 ACCEPT     all  --  any    any    !10.0.0.0/16          "
            "192.168.1.0/24      ",
            "L": "ACCEPT     all  -- !10.0.0.0/16          192.168.1.0/24      ",
            "L_n_num": "1    ACCEPT     0    -- !10.0.0.0/16          192.168.1.0/24      ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-s 10.0.0.1/255.255.255.0 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -s 10.0.0.0/24 -j ACCEPT",
            "L_n": "ACCEPT     0    --  10.0.0.0/24          0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       10.0.0.0/24          "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  any    any     10.0.0.0/24          "
            "anywhere            ",
            "L": "ACCEPT     all  --  10.0.0.0/24          anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  10.0.0.0/24          0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-i eth0 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -i eth0 -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  eth0   *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  eth0   any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     all  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "! -i eth0 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD ! -i eth0 -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  !eth0  *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  !eth0  any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     all  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-i veth+ -o br-+ -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -i veth+ -o br-+ -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  veth+  br-+    0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  veth+  br-+    anywhere             "
            "anywhere            ",
            "L": "ACCEPT     all  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "! -o docker0 -i verylonginterfac -j ACCEPT",
        2,
        "iptables v1.8.9 (nf_tables): interface name `verylonginterfac' must be shorter than IFNAMSIZ "
        "(15)\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
        None,
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     tcp  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p udp -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p udp -j ACCEPT",
            "L_n": "ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     udp  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     udp  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p icmp -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p icmp -j ACCEPT",
            "L_n": "ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     icmp --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     icmp --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p all -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     all  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p 6 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     tcp  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p 47 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p gre -j ACCEPT",
            "L_n": "ACCEPT     47   --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     47   --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     gre  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     gre  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     47   --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "! -p tcp -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD ! -p tcp -j ACCEPT",
            "L_n": "ACCEPT    !6    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT    !6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT    !tcp  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT    !tcp  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT    !6    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p sctp -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p sctp -j ACCEPT",
            "L_n": "ACCEPT     132  --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     132  --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     sctp --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     sctp --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     132  --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --dport 80 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --dport 80 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:80",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:80",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:http",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:http",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:80",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -m tcp --dport 3306 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --dport 3306 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:3306",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:3306",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:mysql",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:mysql",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:3306",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --sport 1024:65535 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --sport 1024:65535 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp spts:1024:65535",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp spts:1024:65535",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp spts:1024:65535",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp spts:1024:65535",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp "
            "spts:1024:65535",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --dport 8000:8080 --sport 22 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --sport 22 --dport 8000:8080 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp spt:22 dpts:8000:8080",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp spt:22 dpts:8000:8080",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp spt:ssh dpts:8000:http-alt",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp spt:ssh "
            "dpts:8000:http-alt",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp spt:22 "
            "dpts:8000:8080",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp ! --dport 22 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp ! --dport 22 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:!22",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:!22",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:!ssh",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:!ssh",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:!22",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --dport :1023 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --dport 0:1023 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpts:0:1023",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpts:0:1023",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpts:0:1023",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpts:0:1023",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp "
            "dpts:0:1023",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --dport 1024: -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --dport 1024:65535 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpts:1024:65535",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpts:1024:65535",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpts:1024:65535",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpts:1024:65535",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp "
            "dpts:1024:65535",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --dport ssh -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --dport 22 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:22",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:22",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:ssh",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:ssh",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:22",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --syn -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp flags:0x17/0x02",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp flags:0x17/0x02",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp flags:FIN,SYN,RST,ACK/SYN",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp "
            "flags:FIN,SYN,RST,ACK/SYN",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp "
            "flags:0x17/0x02",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --tcp-flags SYN,ACK SYN -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --tcp-flags SYN,ACK SYN -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp flags:0x12/0x02",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp flags:0x12/0x02",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp flags:SYN,ACK/SYN",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp flags:SYN,ACK/SYN",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp "
            "flags:0x12/0x02",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p udp --dport 53 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p udp -m udp --dport 53 -j ACCEPT",
            "L_n": "ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0            udp dpt:53",
            "L_nv": "    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            udp dpt:53",
            "L_v": "    0     0 ACCEPT     udp  --  any    any     anywhere             "
            "anywhere             udp dpt:domain",
            "L": "ACCEPT     udp  --  anywhere             anywhere             udp dpt:domain",
            "L_n_num": "1    ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0            udp dpt:53",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p udp -m udp --sport 53 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p udp -m udp --sport 53 -j ACCEPT",
            "L_n": "ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0            udp spt:53",
            "L_nv": "    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            udp spt:53",
            "L_v": "    0     0 ACCEPT     udp  --  any    any     anywhere             "
            "anywhere             udp spt:domain",
            "L": "ACCEPT     udp  --  anywhere             anywhere             udp spt:domain",
            "L_n_num": "1    ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0            udp spt:53",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p icmp --icmp-type echo-request -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p icmp -m icmp --icmp-type 8 -j ACCEPT",
            "L_n": "ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 8",
            "L_nv": "    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            icmptype 8",
            "L_v": "    0     0 ACCEPT     icmp --  any    any     anywhere             "
            "anywhere             icmp echo-request",
            "L": "ACCEPT     icmp --  anywhere             anywhere             icmp echo-request",
            "L_n_num": "1    ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 8",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p icmp --icmp-type 3/3 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p icmp -m icmp --icmp-type 3/3 -j ACCEPT",
            "L_n": "ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 3 code 3",
            "L_nv": "    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            icmptype 3 code 3",
            "L_v": "    0     0 ACCEPT     icmp --  any    any     anywhere             "
            "anywhere             icmp port-unreachable",
            "L": "ACCEPT     icmp --  anywhere             anywhere             icmp port-unreachable",
            "L_n_num": "1    ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 3 code "
            "3",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p icmp --icmp-type any -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p icmp -m icmp --icmp-type any -j ACCEPT",
            "L_n": "ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 255",
            "L_nv": "    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            icmptype 255",
            "L_v": "    0     0 ACCEPT     icmp --  any    any     anywhere             "
            "anywhere             icmp any",
            "L": "ACCEPT     icmp --  anywhere             anywhere             icmp any",
            "L_n_num": "1    ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 255",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p icmp ! --icmp-type 8 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p icmp -m icmp ! --icmp-type 8 -j ACCEPT",
            "L_n": "ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmp !type 8",
            "L_nv": "    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            icmp !type 8",
            "L_v": "    0     0 ACCEPT     icmp --  any    any     anywhere             "
            "anywhere             icmp !echo-request",
            "L": "ACCEPT     icmp --  anywhere             anywhere             icmp !echo-request",
            "L_n_num": "1    ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmp !type 8",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
            "RELATED,ESTABLISHED",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ctstate RELATED,ESTABLISHED",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ctstate RELATED,ESTABLISHED",
            "L": "ACCEPT     all  --  anywhere             anywhere             ctstate RELATED,ESTABLISHED",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
            "RELATED,ESTABLISHED",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m conntrack --ctstate NEW -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m conntrack --ctstate NEW -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate NEW",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ctstate NEW",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ctstate NEW",
            "L": "ACCEPT     all  --  anywhere             anywhere             ctstate NEW",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate NEW",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m conntrack ! --ctstate INVALID -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m conntrack ! --ctstate INVALID -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ! ctstate INVALID",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ! ctstate INVALID",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ! ctstate INVALID",
            "L": "ACCEPT     all  --  anywhere             anywhere             ! ctstate INVALID",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ! ctstate "
            "INVALID",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m conntrack --ctstate ESTABLISHED,RELATED,NEW,INVALID,UNTRACKED,SNAT,DNAT -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m conntrack --ctstate INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT -j "
            "ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
            "INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ctstate INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ctstate INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT",
            "L": "ACCEPT     all  --  anywhere             anywhere             ctstate "
            "INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
            "INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m state --state RELATED,ESTABLISHED -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            state RELATED,ESTABLISHED",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            state RELATED,ESTABLISHED",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             state RELATED,ESTABLISHED",
            "L": "ACCEPT     all  --  anywhere             anywhere             state RELATED,ESTABLISHED",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            state "
            "RELATED,ESTABLISHED",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m state --state NEW -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m state --state NEW -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            state NEW",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            state NEW",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             state NEW",
            "L": "ACCEPT     all  --  anywhere             anywhere             state NEW",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            state NEW",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m addrtype --dst-type LOCAL -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m addrtype --dst-type LOCAL -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type "
            "LOCAL",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ADDRTYPE match dst-type LOCAL",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ADDRTYPE match dst-type LOCAL",
            "L": "ACCEPT     all  --  anywhere             anywhere             ADDRTYPE match dst-type "
            "LOCAL",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match "
            "dst-type LOCAL",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m addrtype --src-type LOCAL -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m addrtype --src-type LOCAL -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type "
            "LOCAL",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ADDRTYPE match src-type LOCAL",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ADDRTYPE match src-type LOCAL",
            "L": "ACCEPT     all  --  anywhere             anywhere             ADDRTYPE match src-type "
            "LOCAL",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match "
            "src-type LOCAL",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m addrtype ! --dst-type LOCAL -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m addrtype ! --dst-type LOCAL -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type "
            "!LOCAL",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ADDRTYPE match dst-type !LOCAL",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ADDRTYPE match dst-type !LOCAL",
            "L": "ACCEPT     all  --  anywhere             anywhere             ADDRTYPE match dst-type "
            "!LOCAL",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match "
            "dst-type !LOCAL",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m addrtype --src-type LOCAL --dst-type UNICAST -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m addrtype --src-type LOCAL --dst-type UNICAST -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type "
            "LOCAL dst-type UNICAST",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ADDRTYPE match src-type LOCAL dst-type UNICAST",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             ADDRTYPE match src-type LOCAL dst-type UNICAST",
            "L": "ACCEPT     all  --  anywhere             anywhere             ADDRTYPE match src-type "
            "LOCAL dst-type UNICAST",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match "
            "src-type LOCAL dst-type UNICAST",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -m multiport --dports 80,443 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m multiport --dports 80,443 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            multiport dports 80,443",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            multiport dports 80,443",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             multiport dports http,https",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             multiport dports http,https",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            multiport dports "
            "80,443",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -m multiport --sports 1000:2000,3000 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m multiport --sports 1000:2000,3000 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            multiport sports "
            "1000:2000,3000",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            multiport sports 1000:2000,3000",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             multiport sports 1000:cisco-sccp,3000",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             multiport sports "
            "1000:cisco-sccp,3000",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            multiport sports "
            "1000:2000,3000",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p udp -m multiport --ports 53,5353 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p udp -m multiport --ports 53,5353 -j ACCEPT",
            "L_n": "ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0            multiport ports 53,5353",
            "L_nv": "    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            multiport ports 53,5353",
            "L_v": "    0     0 ACCEPT     udp  --  any    any     anywhere             "
            "anywhere             multiport ports domain,mdns",
            "L": "ACCEPT     udp  --  anywhere             anywhere             multiport ports domain,mdns",
            "L_n_num": "1    ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0            multiport ports "
            "53,5353",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -m multiport ! --dports 80,443 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m multiport ! --dports 80,443 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            multiport dports  !80,443",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            multiport dports  !80,443",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             multiport dports  !http,https",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             multiport dports  "
            "!http,https",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            multiport "
            "dports  !80,443",
        },
    ),
    (
        "filter",
        "FORWARD",
        '-m comment --comment "hello world" -j ACCEPT',
        0,
        "",
        {
            "S": '-A FORWARD -m comment --comment "hello world" -j ACCEPT',
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            /* hello world */",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            /* hello world */",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             /* hello world */",
            "L": "ACCEPT     all  --  anywhere             anywhere             /* hello world */",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            /* hello world "
            "*/",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m comment --comment docker -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -m comment --comment docker -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            /* docker */",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            /* docker */",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere             /* docker */",
            "L": "ACCEPT     all  --  anywhere             anywhere             /* docker */",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            /* docker */",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-j REJECT",
        0,
        "",
        {
            "S": "-A FORWARD -j REJECT --reject-with icmp-port-unreachable",
            "L_n": "REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-port-unreachable",
            "L_nv": "    0     0 REJECT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            reject-with icmp-port-unreachable",
            "L_v": "    0     0 REJECT     all  --  any    any     anywhere             "
            "anywhere             reject-with icmp-port-unreachable",
            "L": "REJECT     all  --  anywhere             anywhere             reject-with "
            "icmp-port-unreachable",
            "L_n_num": "1    REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-port-unreachable",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-j REJECT --reject-with icmp-host-prohibited",
        0,
        "",
        {
            "S": "-A FORWARD -j REJECT --reject-with icmp-host-prohibited",
            "L_n": "REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-host-prohibited",
            "L_nv": "    0     0 REJECT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            reject-with icmp-host-prohibited",
            "L_v": "    0     0 REJECT     all  --  any    any     anywhere             "
            "anywhere             reject-with icmp-host-prohibited",
            "L": "REJECT     all  --  anywhere             anywhere             reject-with "
            "icmp-host-prohibited",
            "L_n_num": "1    REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-host-prohibited",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -j REJECT --reject-with tcp-reset",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -j REJECT --reject-with tcp-reset",
            "L_n": "REJECT     6    --  0.0.0.0/0            0.0.0.0/0            reject-with tcp-reset",
            "L_nv": "    0     0 REJECT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            reject-with tcp-reset",
            "L_v": "    0     0 REJECT     tcp  --  any    any     anywhere             "
            "anywhere             reject-with tcp-reset",
            "L": "REJECT     tcp  --  anywhere             anywhere             reject-with tcp-reset",
            "L_n_num": "1    REJECT     6    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "tcp-reset",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-j REJECT --reject-with icmp-port-unreachable",
        0,
        "",
        {
            "S": "-A FORWARD -j REJECT --reject-with icmp-port-unreachable",
            "L_n": "REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-port-unreachable",
            "L_nv": "    0     0 REJECT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            reject-with icmp-port-unreachable",
            "L_v": "    0     0 REJECT     all  --  any    any     anywhere             "
            "anywhere             reject-with icmp-port-unreachable",
            "L": "REJECT     all  --  anywhere             anywhere             reject-with "
            "icmp-port-unreachable",
            "L_n_num": "1    REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-port-unreachable",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-j REJECT --reject-with icmp-net-unreachable",
        0,
        "",
        {
            "S": "-A FORWARD -j REJECT --reject-with icmp-net-unreachable",
            "L_n": "REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-net-unreachable",
            "L_nv": "    0     0 REJECT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            reject-with icmp-net-unreachable",
            "L_v": "    0     0 REJECT     all  --  any    any     anywhere             "
            "anywhere             reject-with icmp-net-unreachable",
            "L": "REJECT     all  --  anywhere             anywhere             reject-with "
            "icmp-net-unreachable",
            "L_n_num": "1    REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with "
            "icmp-net-unreachable",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-j LOG",
        0,
        "",
        {
            "S": "-A FORWARD -j LOG",
            "L_n": "LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 4",
            "L_nv": "    0     0 LOG        0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            LOG flags 0 level 4",
            "L_v": "    0     0 LOG        all  --  any    any     anywhere             "
            "anywhere             LOG level warn",
            "L": "LOG        all  --  anywhere             anywhere             LOG level warn",
            "L_n_num": "1    LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 "
            "level 4",
        },
    ),
    (
        "filter",
        "FORWARD",
        '-j LOG --log-prefix "DROP: " --log-level 4',
        0,
        "",
        {
            "S": '-A FORWARD -j LOG --log-prefix "DROP: "',
            "L_n": "LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 4 "
            'prefix "DROP: "',
            "L_nv": "    0     0 LOG        0    --  *      *       0.0.0.0/0            "
            '0.0.0.0/0            LOG flags 0 level 4 prefix "DROP: "',
            "L_v": "    0     0 LOG        all  --  any    any     anywhere             "
            'anywhere             LOG level warn prefix "DROP: "',
            "L": "LOG        all  --  anywhere             anywhere             LOG level warn prefix "
            '"DROP: "',
            "L_n_num": "1    LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 "
            'level 4 prefix "DROP: "',
        },
    ),
    (
        "filter",
        "FORWARD",
        "-j LOG --log-prefix x --log-level debug",
        0,
        "",
        {
            "S": "-A FORWARD -j LOG --log-prefix x --log-level 7",
            "L_n": "LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 7 "
            'prefix "x"',
            "L_nv": "    0     0 LOG        0    --  *      *       0.0.0.0/0            "
            '0.0.0.0/0            LOG flags 0 level 7 prefix "x"',
            "L_v": "    0     0 LOG        all  --  any    any     anywhere             "
            'anywhere             LOG level debug prefix "x"',
            "L": 'LOG        all  --  anywhere             anywhere             LOG level debug prefix "x"',
            "L_n_num": "1    LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 "
            'level 7 prefix "x"',
        },
    ),
    (
        "filter",
        "FORWARD",
        "-j RETURN",
        0,
        "",
        {
            "S": "-A FORWARD -j RETURN",
            "L_n": "RETURN     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 RETURN     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 RETURN     all  --  any    any     anywhere             "
            "anywhere            ",
            "L": "RETURN     all  --  anywhere             anywhere            ",
            "L_n_num": "1    RETURN     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -d 172.17.0.2 --dport 3306 -i docker0 ! -o docker0 -s 1.2.3.4 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -s 1.2.3.4/32 -d 172.17.0.2/32 -i docker0 ! -o docker0 -p tcp -m tcp --dport "
            "3306 -j ACCEPT",
            "L_n": "ACCEPT     6    --  1.2.3.4              172.17.0.2           tcp dpt:3306",
            "L_nv": "    0     0 ACCEPT     6    --  docker0 !docker0  1.2.3.4              "
            "172.17.0.2           tcp dpt:3306",
            "L_v": "    0     0 ACCEPT     tcp  --  docker0 !docker0  1.2.3.4              "
            "172.17.0.2           tcp dpt:mysql",
            "L": "ACCEPT     tcp  --  1.2.3.4              172.17.0.2           tcp dpt:mysql",
            "L_n_num": "1    ACCEPT     6    --  1.2.3.4              172.17.0.2           tcp dpt:3306",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m conntrack --ctstate RELATED,ESTABLISHED -o docker0 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
            "RELATED,ESTABLISHED",
            "L_nv": "    0     0 ACCEPT     0    --  *      docker0  0.0.0.0/0            "
            "0.0.0.0/0            ctstate RELATED,ESTABLISHED",
            "L_v": "    0     0 ACCEPT     all  --  any    docker0  anywhere             "
            "anywhere             ctstate RELATED,ESTABLISHED",
            "L": "ACCEPT     all  --  anywhere             anywhere             ctstate RELATED,ESTABLISHED",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
            "RELATED,ESTABLISHED",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-m tcp -p tcp --dport 1 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --dport 1 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:1",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:1",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:tcpmux",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:tcpmux",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:1",
        },
    ),
    (
        "nat",
        "PREROUTING",
        "-p tcp --dport 12345 -j DNAT --to-destination 172.17.0.2:3306",
        0,
        "",
        {
            "S": "-A PREROUTING -p tcp -m tcp --dport 12345 -j DNAT --to-destination 172.17.0.2:3306",
            "L_n": "DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2:3306",
            "L_nv": "    0     0 DNAT       6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:12345 to:172.17.0.2:3306",
            "L_v": "    0     0 DNAT       tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:12345 to:172.17.0.2:3306",
            "L": "DNAT       tcp  --  anywhere             anywhere             tcp dpt:12345 "
            "to:172.17.0.2:3306",
            "L_n_num": "1    DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2:3306",
        },
    ),
    (
        "nat",
        "PREROUTING",
        "-p tcp --dport 12345 -j DNAT --to-destination 172.17.0.2",
        0,
        "",
        {
            "S": "-A PREROUTING -p tcp -m tcp --dport 12345 -j DNAT --to-destination 172.17.0.2",
            "L_n": "DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2",
            "L_nv": "    0     0 DNAT       6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:12345 to:172.17.0.2",
            "L_v": "    0     0 DNAT       tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:12345 to:172.17.0.2",
            "L": "DNAT       tcp  --  anywhere             anywhere             tcp dpt:12345 to:172.17.0.2",
            "L_n_num": "1    DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2",
        },
    ),
    (
        "nat",
        "PREROUTING",
        "-p tcp --dport 12345 -j DNAT --to 172.17.0.2:80-90",
        0,
        "",
        {
            "S": "-A PREROUTING -p tcp -m tcp --dport 12345 -j DNAT --to-destination 172.17.0.2:80-90",
            "L_n": "DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2:80-90",
            "L_nv": "    0     0 DNAT       6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:12345 to:172.17.0.2:80-90",
            "L_v": "    0     0 DNAT       tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:12345 to:172.17.0.2:80-90",
            "L": "DNAT       tcp  --  anywhere             anywhere             tcp dpt:12345 "
            "to:172.17.0.2:80-90",
            "L_n_num": "1    DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2:80-90",
        },
    ),
    (
        "nat",
        "PREROUTING",
        "-p udp --dport 53 -j DNAT --to-destination 127.0.0.11:35071",
        0,
        "",
        {
            "S": "-A PREROUTING -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:35071",
            "L_n": "DNAT       17   --  0.0.0.0/0            0.0.0.0/0            udp dpt:53 "
            "to:127.0.0.11:35071",
            "L_nv": "    0     0 DNAT       17   --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            udp dpt:53 to:127.0.0.11:35071",
            "L_v": "    0     0 DNAT       udp  --  any    any     anywhere             "
            "anywhere             udp dpt:domain to:127.0.0.11:35071",
            "L": "DNAT       udp  --  anywhere             anywhere             udp dpt:domain "
            "to:127.0.0.11:35071",
            "L_n_num": "1    DNAT       17   --  0.0.0.0/0            0.0.0.0/0            udp dpt:53 "
            "to:127.0.0.11:35071",
        },
    ),
    (
        "nat",
        "PREROUTING",
        "-p tcp --dport 8080 -j REDIRECT --to-ports 3128",
        0,
        "",
        {
            "S": "-A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 3128",
            "L_n": "REDIRECT   6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 redir ports "
            "3128",
            "L_nv": "    0     0 REDIRECT   6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:8080 redir ports 3128",
            "L_v": "    0     0 REDIRECT   tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:http-alt redir ports 3128",
            "L": "REDIRECT   tcp  --  anywhere             anywhere             tcp dpt:http-alt redir "
            "ports 3128",
            "L_n_num": "1    REDIRECT   6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 "
            "redir ports 3128",
        },
    ),
    (
        "nat",
        "PREROUTING",
        "-p tcp --dport 8080 -j REDIRECT",
        0,
        "",
        {
            "S": "-A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT",
            "L_n": "REDIRECT   6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8080",
            "L_nv": "    0     0 REDIRECT   6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:8080",
            "L_v": "    0     0 REDIRECT   tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:http-alt",
            "L": "REDIRECT   tcp  --  anywhere             anywhere             tcp dpt:http-alt",
            "L_n_num": "1    REDIRECT   6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8080",
        },
    ),
    (
        "nat",
        "PREROUTING",
        "-m addrtype --dst-type LOCAL -j DOCKER",
        0,
        "",
        {
            "S": "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
            "L_n": "DOCKER     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type "
            "LOCAL",
            "L_nv": "    0     0 DOCKER     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ADDRTYPE match dst-type LOCAL",
            "L_v": "    0     0 DOCKER     all  --  any    any     anywhere             "
            "anywhere             ADDRTYPE match dst-type LOCAL",
            "L": "DOCKER     all  --  anywhere             anywhere             ADDRTYPE match dst-type "
            "LOCAL",
            "L_n_num": "1    DOCKER     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match "
            "dst-type LOCAL",
        },
    ),
    (
        "nat",
        "OUTPUT",
        "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
        0,
        "",
        {
            "S": "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
            "L_n": "DOCKER     0    --  0.0.0.0/0           !127.0.0.0/8          ADDRTYPE match dst-type "
            "LOCAL",
            "L_nv": "    0     0 DOCKER     0    --  *      *       0.0.0.0/0           "
            "!127.0.0.0/8          ADDRTYPE match dst-type LOCAL",
            "L_v": "    0     0 DOCKER     all  --  any    any     anywhere            "
            "!loopback/8           ADDRTYPE match dst-type LOCAL",
            "L": "DOCKER     all  --  anywhere            !loopback/8           ADDRTYPE match dst-type "
            "LOCAL",
            "L_n_num": "1    DOCKER     0    --  0.0.0.0/0           !127.0.0.0/8          ADDRTYPE match "
            "dst-type LOCAL",
        },
    ),
    (
        "nat",
        "OUTPUT",
        "-d 127.0.0.11/32 -j DOCKER_OUTPUT",
        0,
        "",
        {
            "S": "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT",
            "L_n": "DOCKER_OUTPUT  0    --  0.0.0.0/0            127.0.0.11          ",
            "L_nv": "    0     0 DOCKER_OUTPUT  0    --  *      *       0.0.0.0/0            "
            "127.0.0.11          ",
            "L_v": "    0     0 DOCKER_OUTPUT  all  --  any    any     anywhere             "
            "127.0.0.11          ",
            "L": "DOCKER_OUTPUT  all  --  anywhere             127.0.0.11          ",
            "L_n_num": "1    DOCKER_OUTPUT  0    --  0.0.0.0/0            127.0.0.11          ",
        },
    ),
    (
        "nat",
        "POSTROUTING",
        "-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
        0,
        "",
        {
            "S": "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
            "L_n": "MASQUERADE  0    --  172.17.0.0/16        0.0.0.0/0           ",
            "L_nv": "    0     0 MASQUERADE  0    --  *      !docker0  172.17.0.0/16        "
            "0.0.0.0/0           ",
            "L_v": "    0     0 MASQUERADE  all  --  any    !docker0  172.17.0.0/16        "
            "anywhere            ",
            "L": "MASQUERADE  all  --  172.17.0.0/16        anywhere            ",
            "L_n_num": "1    MASQUERADE  0    --  172.17.0.0/16        0.0.0.0/0           ",
        },
    ),
    (
        "nat",
        "POSTROUTING",
        "-o eth0 -j MASQUERADE --to-ports 1024-65535",
        2,
        "iptables v1.8.9 (nf_tables): Need TCP, UDP, SCTP or DCCP with port specification\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
        None,
    ),
    (
        "nat",
        "POSTROUTING",
        "-p tcp -o eth0 -j MASQUERADE --to-ports 1024",
        0,
        "",
        {
            "S": "-A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 1024",
            "L_n": "MASQUERADE  6    --  0.0.0.0/0            0.0.0.0/0            masq ports: 1024",
            "L_nv": "    0     0 MASQUERADE  6    --  *      eth0    0.0.0.0/0            "
            "0.0.0.0/0            masq ports: 1024",
            "L_v": "    0     0 MASQUERADE  tcp  --  any    eth0    anywhere             "
            "anywhere             masq ports: 1024",
            "L": "MASQUERADE  tcp  --  anywhere             anywhere             masq ports: 1024",
            "L_n_num": "1    MASQUERADE  6    --  0.0.0.0/0            0.0.0.0/0            masq ports: "
            "1024",
        },
    ),
    (
        "nat",
        "POSTROUTING",
        "-s 127.0.0.11/32 -p udp -m udp --sport 35071 -j SNAT --to-source :53",
        0,
        "",
        {
            "S": "-A POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 35071 -j SNAT --to-source :53",
            "L_n": "SNAT       17   --  127.0.0.11           0.0.0.0/0            udp spt:35071 to::53",
            "L_nv": "    0     0 SNAT       17   --  *      *       127.0.0.11           "
            "0.0.0.0/0            udp spt:35071 to::53",
            "L_v": "    0     0 SNAT       udp  --  any    any     127.0.0.11           "
            "anywhere             udp spt:35071 to::53",
            "L": "SNAT       udp  --  127.0.0.11           anywhere             udp spt:35071 to::53",
            "L_n_num": "1    SNAT       17   --  127.0.0.11           0.0.0.0/0            udp spt:35071 "
            "to::53",
        },
    ),
    (
        "nat",
        "POSTROUTING",
        "-s 10.0.0.0/8 -j SNAT --to-source 192.168.1.10",
        0,
        "",
        {
            "S": "-A POSTROUTING -s 10.0.0.0/8 -j SNAT --to-source 192.168.1.10",
            "L_n": "SNAT       0    --  10.0.0.0/8           0.0.0.0/0            to:192.168.1.10",
            "L_nv": "    0     0 SNAT       0    --  *      *       10.0.0.0/8           "
            "0.0.0.0/0            to:192.168.1.10",
            "L_v": "    0     0 SNAT       all  --  any    any     10.0.0.0/8           "
            "anywhere             to:192.168.1.10",
            "L": "SNAT       all  --  10.0.0.0/8           anywhere             to:192.168.1.10",
            "L_n_num": "1    SNAT       0    --  10.0.0.0/8           0.0.0.0/0            "
            "to:192.168.1.10",
        },
    ),
    (
        "nat",
        "POSTROUTING",
        "-p tcp -s 10.0.0.0/8 -j SNAT --to-source 192.168.1.10:1000-2000",
        0,
        "",
        {
            "S": "-A POSTROUTING -s 10.0.0.0/8 -p tcp -j SNAT --to-source 192.168.1.10:1000-2000",
            "L_n": "SNAT       6    --  10.0.0.0/8           0.0.0.0/0            to:192.168.1.10:1000-2000",
            "L_nv": "    0     0 SNAT       6    --  *      *       10.0.0.0/8           "
            "0.0.0.0/0            to:192.168.1.10:1000-2000",
            "L_v": "    0     0 SNAT       tcp  --  any    any     10.0.0.0/8           "
            "anywhere             to:192.168.1.10:1000-2000",
            "L": "SNAT       tcp  --  10.0.0.0/8           anywhere             to:192.168.1.10:1000-2000",
            "L_n_num": "1    SNAT       6    --  10.0.0.0/8           0.0.0.0/0            "
            "to:192.168.1.10:1000-2000",
        },
    ),
    (
        "nat",
        "POSTROUTING",
        "-o docker0 -m addrtype --src-type LOCAL -j MASQUERADE",
        0,
        "",
        {
            "S": "-A POSTROUTING -o docker0 -m addrtype --src-type LOCAL -j MASQUERADE",
            "L_n": "MASQUERADE  0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type "
            "LOCAL",
            "L_nv": "    0     0 MASQUERADE  0    --  *      docker0  0.0.0.0/0            "
            "0.0.0.0/0            ADDRTYPE match src-type LOCAL",
            "L_v": "    0     0 MASQUERADE  all  --  any    docker0  anywhere             "
            "anywhere             ADDRTYPE match src-type LOCAL",
            "L": "MASQUERADE  all  --  anywhere             anywhere             ADDRTYPE match src-type "
            "LOCAL",
            "L_n_num": "1    MASQUERADE  0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match "
            "src-type LOCAL",
        },
    ),
    (
        "nat",
        "DOCKER",
        "-i docker0 -j RETURN",
        0,
        "",
        {
            "S": "-A DOCKER -i docker0 -j RETURN",
            "L_n": "RETURN     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 RETURN     0    --  docker0 *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 RETURN     all  --  docker0 any     anywhere             "
            "anywhere            ",
            "L": "RETURN     all  --  anywhere             anywhere            ",
            "L_n_num": "1    RETURN     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "nat",
        "DOCKER",
        "! -i docker0 -p tcp -m tcp --dport 12345 -j DNAT --to-destination 172.17.0.2:3306",
        0,
        "",
        {
            "S": "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 12345 -j DNAT --to-destination "
            "172.17.0.2:3306",
            "L_n": "DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2:3306",
            "L_nv": "    0     0 DNAT       6    --  !docker0 *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:12345 to:172.17.0.2:3306",
            "L_v": "    0     0 DNAT       tcp  --  !docker0 any     anywhere             "
            "anywhere             tcp dpt:12345 to:172.17.0.2:3306",
            "L": "DNAT       tcp  --  anywhere             anywhere             tcp dpt:12345 "
            "to:172.17.0.2:3306",
            "L_n_num": "1    DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
            "to:172.17.0.2:3306",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-g DOCKER",
        0,
        "",
        {
            "S": "-A FORWARD -g DOCKER",
            "L_n": "DOCKER     0    --  0.0.0.0/0            0.0.0.0/0           [goto] ",
            "L_nv": "    0     0 DOCKER     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           [goto] ",
            "L_v": "    0     0 DOCKER     all  --  any    any     anywhere             anywhere            "
            "[goto] ",
            "L": "DOCKER     all  --  anywhere             anywhere            [goto] ",
            "L_n_num": "1    DOCKER     0    --  0.0.0.0/0            0.0.0.0/0           [goto] ",
        },
    ),
    (
        "mangle",
        "POSTROUTING",
        "-p sctp --sport 5000 -j CHECKSUM --checksum-fill",
        0,
        "",
        {
            "S": "-A POSTROUTING -p sctp -m sctp --sport 5000 -j CHECKSUM --checksum-fill",
            "L_n": "CHECKSUM   132  --  0.0.0.0/0            0.0.0.0/0            sctp spt:5000 CHECKSUM "
            "fill",
            "L_nv": "    0     0 CHECKSUM   132  --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            sctp spt:5000 CHECKSUM fill",
            "L_v": "    0     0 CHECKSUM   sctp --  any    any     anywhere             "
            "anywhere             sctp spt:5000 CHECKSUM fill",
            "L": "CHECKSUM   sctp --  anywhere             anywhere             sctp spt:5000 CHECKSUM fill",
            "L_n_num": "1    CHECKSUM   132  --  0.0.0.0/0            0.0.0.0/0            sctp spt:5000 "
            "CHECKSUM fill",
        },
    ),
    (
        "raw",
        "PREROUTING",
        "-d 172.17.0.2/32 ! -i docker0 -j DROP",
        0,
        "",
        {
            "S": "-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP",
            "L_n": "DROP       0    --  0.0.0.0/0            172.17.0.2          ",
            "L_nv": "    0     0 DROP       0    --  !docker0 *       0.0.0.0/0            "
            "172.17.0.2          ",
            "L_v": "    0     0 DROP       all  --  !docker0 any     anywhere             "
            "172.17.0.2          ",
            "L": "DROP       all  --  anywhere             172.17.0.2          ",
            "L_n_num": "1    DROP       0    --  0.0.0.0/0            172.17.0.2          ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-s 172.17.0.3 -d 172.17.0.2 -i docker0 -o docker0 -p tcp --dport 3306 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -s 172.17.0.3/32 -d 172.17.0.2/32 -i docker0 -o docker0 -p tcp -m tcp --dport "
            "3306 -j ACCEPT",
            "L_n": "ACCEPT     6    --  172.17.0.3           172.17.0.2           tcp dpt:3306",
            "L_nv": "    0     0 ACCEPT     6    --  docker0 docker0  172.17.0.3           "
            "172.17.0.2           tcp dpt:3306",
            "L_v": "    0     0 ACCEPT     tcp  --  docker0 docker0  172.17.0.3           "
            "172.17.0.2           tcp dpt:mysql",
            "L": "ACCEPT     tcp  --  172.17.0.3           172.17.0.2           tcp dpt:mysql",
            "L_n_num": "1    ACCEPT     6    --  172.17.0.3           172.17.0.2           tcp dpt:3306",
        },
    ),
    (
        "filter",
        "FORWARD",
        '-p tcp -m tcp --dport 3306 -m comment --comment "a b" -m conntrack --ctstate NEW -j ACCEPT',
        0,
        "",
        {
            "S": '-A FORWARD -p tcp -m tcp --dport 3306 -m comment --comment "a b" -m conntrack --ctstate '
            "NEW -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:3306 /* a b */ "
            "ctstate NEW",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:3306 /* a b */ ctstate NEW",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:mysql /* a b */ ctstate NEW",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:mysql /* a b */ "
            "ctstate NEW",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:3306 /* "
            "a b */ ctstate NEW",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp -m conntrack --ctstate NEW --dport 3306 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m conntrack --ctstate NEW -m tcp --dport 3306 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            ctstate NEW tcp dpt:3306",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            ctstate NEW tcp dpt:3306",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             ctstate NEW tcp dpt:mysql",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             ctstate NEW tcp dpt:mysql",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            ctstate NEW tcp "
            "dpt:3306",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-s 0.0.0.0/0 -d 0/0 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     all  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-s 1.2.3.4/0 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -j ACCEPT",
            "L_n": "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
            "L_nv": "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0           ",
            "L_v": "    0     0 ACCEPT     all  --  any    any     anywhere             "
            "anywhere            ",
            "L": "ACCEPT     all  --  anywhere             anywhere            ",
            "L_n_num": "1    ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           ",
        },
    ),
    (
        "filter",
        "FORWARD",
        "-p tcp --dport 80 -m multiport --dports 1,2 -j ACCEPT",
        0,
        "",
        {
            "S": "-A FORWARD -p tcp -m tcp --dport 80 -m multiport --dports 1,2 -j ACCEPT",
            "L_n": "ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:80 multiport "
            "dports 1,2",
            "L_nv": "    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            "
            "0.0.0.0/0            tcp dpt:80 multiport dports 1,2",
            "L_v": "    0     0 ACCEPT     tcp  --  any    any     anywhere             "
            "anywhere             tcp dpt:http multiport dports tcpmux,2",
            "L": "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:http multiport "
            "dports tcpmux,2",
            "L_n_num": "1    ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:80 "
            "multiport dports 1,2",
        },
    ),
]

VIEWS = {
    "S": ["-S"],
    "L_n": ["-L", "-n"],
    "L_nv": ["-L", "-n", "-v"],
    "L_v": ["-L", "-v"],
    "L": ["-L"],
    "L_n_num": ["-L", "-n", "--line-numbers"],
}


def _fresh() -> Netfilter:
    netfilter = Netfilter()
    netfilter.apply(["-N", "DOCKER"])
    netfilter.apply(["-t", "nat", "-N", "DOCKER"])
    netfilter.apply(["-t", "nat", "-N", "DOCKER_OUTPUT"])
    return netfilter


@pytest.mark.parametrize(
    ("table", "chain", "args", "code", "stderr", "views"),
    RULE_CASES,
    ids=[f"{c[0]}:{c[2]}" for c in RULE_CASES],
)
def test_rule_prints_like_real_iptables(table, chain, args, code, stderr, views):
    netfilter = _fresh()
    result = netfilter.execute(["-t", table, "-A", chain, *shlex.split(args)])
    assert result == (code, "", stderr)
    if views is None:
        return
    for view, expected in views.items():
        _, out, _ = netfilter.execute(["-t", table, *VIEWS[view][:1], chain, *VIEWS[view][1:]])
        lines = out.splitlines()
        assert (lines[-1] if view == "S" else lines[2]) == expected, view


# One session in one namespace, in order: (command line, exit code, stdout, stderr).
SEQUENCE = [
    (
        "iptables -L NOPE",
        1,
        "",
        "iptables v1.8.9 (nf_tables): chain `NOPE' in table `filter' is incompatible, use 'nft' tool.\n",
    ),
    (
        "iptables -S NOPE",
        1,
        "",
        "iptables v1.8.9 (nf_tables): chain `NOPE' in table `filter' is incompatible, use 'nft' tool.\n",
    ),
    ("iptables -F NOPE", 1, "", "iptables: No chain/target/match by that name.\n"),
    ("iptables -Z NOPE", 1, "", "iptables: No chain/target/match by that name.\n"),
    ("iptables -X NOPE", 1, "", "iptables: No chain/target/match by that name.\n"),
    ("iptables -N DOCKER", 0, "", ""),
    ("iptables -N DOCKER", 1, "", "iptables: Chain already exists.\n"),
    ("iptables -N A", 0, "", ""),
    ("iptables -A A -j ACCEPT", 0, "", ""),
    (
        "iptables -X A",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain A\n",
    ),
    ("iptables -A FORWARD -j DOCKER", 0, "", ""),
    (
        "iptables -X DOCKER",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain DOCKER\n",
    ),
    (
        "iptables -X",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain DOCKER\n",
    ),
    (
        "iptables -D FORWARD -j NOPE",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Chain 'NOPE' does not exist\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -D FORWARD -j ACCEPT",
        1,
        "",
        "iptables: Bad rule (does a matching rule exist in that chain?).\n",
    ),
    ("iptables -D FORWARD 9", 1, "", "iptables: Index of deletion too big.\n"),
    (
        "iptables -D FORWARD 0",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Invalid rule number `0'\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    ("iptables -D NOPE 1", 1, "", "iptables: No chain/target/match by that name.\n"),
    ("iptables -I FORWARD 9 -j ACCEPT", 1, "", "iptables: Index of insertion too big.\n"),
    (
        "iptables -I FORWARD 0 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Invalid rule number `0'\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    ("iptables -R FORWARD 9 -j ACCEPT", 1, "", "iptables: Index of replacement too big.\n"),
    (
        "iptables -A FORWARD -j NOPE",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Chain 'NOPE' does not exist\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    ("iptables -A NOPE -j ACCEPT", 1, "", "iptables: No chain/target/match by that name.\n"),
    (
        "iptables -t bogus -L",
        3,
        "",
        "iptables v1.8.9 (nf_tables): table 'bogus' does not exist\n"
        "Perhaps iptables or your kernel needs to be upgraded.\n",
    ),
    ("iptables -P DOCKER ACCEPT", 1, "", "iptables: Bad built-in chain name.\n"),
    (
        "iptables -P FORWARD BOGUS",
        1,
        "",
        "iptables: Bad policy name. Run `dmesg' for more information.\n",
    ),
    (
        "iptables -P FORWARD RETURN",
        1,
        "",
        "iptables: Bad policy name. Run `dmesg' for more information.\n",
    ),
    ("iptables -P NOPE DROP", 1, "", "iptables: Bad built-in chain name.\n"),
    (
        "iptables -Q",
        2,
        "",
        'iptables v1.8.9 (nf_tables): unknown option "-Q"\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables --bogus",
        2,
        "",
        'iptables v1.8.9 (nf_tables): unknown option "--bogus"\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -L -A FORWARD",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Cannot use -A with -L\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -s 1.2.3.400 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): host/network `1.2.3.400' not found\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -p bogus -j ACCEPT",
        2,
        "",
        'iptables v1.8.9 (nf_tables): unknown protocol "bogus" specified\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD --dport 80 -j ACCEPT",
        2,
        "",
        'iptables v1.8.9 (nf_tables): unknown option "--dport"\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -p tcp --dport 99999 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): invalid port/service `99999' specified\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -p tcp --dport abc -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): invalid port/service `abc' specified\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -p tcp --dport 5:3 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): invalid portrange (min > max)\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m bogus -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Couldn't load match `bogus':No such file or directory\n"
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -j DNAT --to-destination 1.2.3.4",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain FORWARD\n",
    ),
    (
        "iptables -t nat -A POSTROUTING -j DNAT --to-destination 1.2.3.4",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain "
        "POSTROUTING\n",
    ),
    (
        "iptables -t nat -A PREROUTING -j DNAT",
        2,
        "",
        'iptables v1.8.9 (nf_tables): DNAT: option "--to-destination" must be specified\n'
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -t nat -A PREROUTING -j MASQUERADE",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain "
        "PREROUTING\n",
    ),
    (
        "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE --to-ports 1024-65535",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Need TCP, UDP, SCTP or DCCP with port specification\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A INPUT -o eth0 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Can't use -o with INPUT\n"
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A OUTPUT -i eth0 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Can't use -i with OUTPUT\n"
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -t nat -A POSTROUTING -i eth0 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Can't use -i with POSTROUTING\n"
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A",
        2,
        "",
        'iptables v1.8.9 (nf_tables): option "-A" requires an argument\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -j ACCEPT extra",
        2,
        "",
        "Bad argument `extra'\nTry `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m conntrack --ctstate BOGUS -j ACCEPT",
        2,
        "",
        'iptables v1.8.9 (nf_tables): Bad ctstate "BOGUS"\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m addrtype --dst-type BOGUS -j ACCEPT",
        2,
        "",
        'iptables v1.8.9 (nf_tables): addrtype: bad type "BOGUS"\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m udp --dport 53",
        2,
        "",
        "iptables v1.8.9 (nf_tables): UDP match requires '-p udp'\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m tcp --dport 80 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): TCP match requires '-p tcp'\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m icmp --icmp-type 8",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain FORWARD\n",
    ),
    (
        "iptables -A FORWARD -p icmp --icmp-type bogus -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Unknown ICMP type `bogus'\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m comment -j ACCEPT",
        2,
        "",
        'iptables v1.8.9 (nf_tables): comment: option "--comment" must be specified\n'
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m state",
        2,
        "",
        'iptables v1.8.9 (nf_tables): state: option "--state" must be specified\n'
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m conntrack",
        2,
        "",
        "iptables v1.8.9 (nf_tables): conntrack: At least one option is required\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m addrtype",
        2,
        "",
        "iptables v1.8.9 (nf_tables): addrtype: you must specify --src-type or --dst-type\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m multiport --dports 80 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p "
        "dccp'\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -m multiport -p tcp",
        2,
        "",
        "iptables v1.8.9 (nf_tables): multiport expection an option\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -j REJECT --reject-with bogus",
        2,
        "",
        'iptables v1.8.9 (nf_tables): unknown reject type "bogus"\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -p udp -j REJECT --reject-with tcp-reset",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain FORWARD\n",
    ),
    (
        "iptables -t nat -A POSTROUTING -j SNAT",
        2,
        "",
        'iptables v1.8.9 (nf_tables): SNAT: option "--to-source" must be specified\n'
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3",
        2,
        "",
        'iptables v1.8.9 (nf_tables): Bad IP address "1.2.3"\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:x",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Port `x' not valid\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -t mangle -A FORWARD -j CHECKSUM",
        2,
        "",
        'iptables v1.8.9 (nf_tables): CHECKSUM: option "--checksum-fill" must be specified\n'
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -j CHECKSUM --checksum-fill",
        4,
        "",
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain FORWARD\n",
    ),
    (
        "iptables -A FORWARD -j LOG --log-level 9",
        2,
        "",
        'iptables v1.8.9 (nf_tables): log level "9" unknown\n'
        "\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -i eth0 -i eth1 -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): multiple -i flags not allowed\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -j ACCEPT -j DROP",
        2,
        "",
        "iptables v1.8.9 (nf_tables): multiple -j flags not allowed\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -p tcp -p udp -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): multiple -p flags not allowed\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -I FORWARD -j ACCEPT -p",
        2,
        "",
        'iptables v1.8.9 (nf_tables): option "-p" requires an argument\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD ! -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): cannot have ! before -j\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables ! -A FORWARD",
        2,
        "",
        "iptables v1.8.9 (nf_tables): unexpected '!' flag\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -s 10.0.0.0/33",
        2,
        "",
        "iptables v1.8.9 (nf_tables): invalid mask `33' specified\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -A FORWARD -i verylonginterfac -j ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): interface name `verylonginterfac' must be shorter than IFNAMSIZ "
        "(15)\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -N",
        2,
        "",
        'iptables v1.8.9 (nf_tables): option "-N" requires an argument\n'
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -N DOCKER-ISOLATION-STAGE-1-TOO-LONG-NAME-XXXXXXXXXXXX",
        2,
        "",
        "iptables v1.8.9 (nf_tables): chain name `DOCKER-ISOLATION-STAGE-1-TOO-LONG-NAME-XXXXXXXXXXXX' "
        "too long (must be under 29 chars)\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -N -bad",
        2,
        "",
        "iptables v1.8.9 (nf_tables): chain name not allowed to start with `-'\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -N ACCEPT",
        2,
        "",
        "iptables v1.8.9 (nf_tables): chain name may not clash with target name\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -t nat -F -X",
        2,
        "",
        "iptables v1.8.9 (nf_tables): Cannot use -X with -F\n"
        "Try `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -F FORWARD INPUT",
        2,
        "",
        "Bad argument `INPUT'\nTry `iptables -h' or 'iptables --help' for more information.\n",
    ),
    (
        "iptables -C FORWARD -j ACCEPT",
        1,
        "",
        "iptables: Bad rule (does a matching rule exist in that chain?).\n",
    ),
    ("iptables -C FORWARD -j DOCKER", 0, "", ""),
    ("iptables -A FORWARD -p tcp -m tcp --dport 80 -j ACCEPT", 0, "", ""),
    ("iptables -C FORWARD -p tcp --dport 80 -j ACCEPT", 0, "", ""),
    ("iptables -A FORWARD -s 1.1.1.1,2.2.2.2 -d 3.3.3.3,4.4.4.4 -j ACCEPT", 0, "", ""),
    (
        "iptables -S FORWARD",
        0,
        "-P FORWARD ACCEPT\n"
        "-A FORWARD -j DOCKER\n"
        "-A FORWARD -p tcp -m tcp --dport 80 -j ACCEPT\n"
        "-A FORWARD -s 1.1.1.1/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 1.1.1.1/32 -d 4.4.4.4/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 4.4.4.4/32 -j ACCEPT\n",
        "",
    ),
    ("iptables -R FORWARD 2 -j DROP", 0, "", ""),
    (
        "iptables -D FORWARD -p tcp --dport 80 -j ACCEPT",
        1,
        "",
        "iptables: Bad rule (does a matching rule exist in that chain?).\n",
    ),
    ("iptables -S FORWARD 1", 0, "-A FORWARD -j DOCKER\n", ""),
    ("iptables -S FORWARD 9", 0, "", ""),
    (
        "iptables -L FORWARD 1",
        0,
        "DOCKER     all  --  anywhere             anywhere            \n",
        "",
    ),
    (
        "iptables -L FORWARD 2 -n",
        0,
        "DROP       0    --  0.0.0.0/0            0.0.0.0/0           \n",
        "",
    ),
    (
        "iptables -nL FORWARD",
        0,
        "Chain FORWARD (policy ACCEPT)\n"
        "target     prot opt source               destination         \n"
        "DOCKER     0    --  0.0.0.0/0            0.0.0.0/0           \n"
        "DROP       0    --  0.0.0.0/0            0.0.0.0/0           \n"
        "ACCEPT     0    --  1.1.1.1              3.3.3.3             \n"
        "ACCEPT     0    --  1.1.1.1              4.4.4.4             \n"
        "ACCEPT     0    --  2.2.2.2              3.3.3.3             \n"
        "ACCEPT     0    --  2.2.2.2              4.4.4.4             \n",
        "",
    ),
    (
        "iptables -vnL FORWARD --line-numbers",
        0,
        "Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)\n"
        "num   pkts bytes target     prot opt in     out     source               destination         \n"
        "1        0     0 DOCKER     0    --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
        "2        0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
        "3        0     0 ACCEPT     0    --  *      *       1.1.1.1              3.3.3.3             \n"
        "4        0     0 ACCEPT     0    --  *      *       1.1.1.1              4.4.4.4             \n"
        "5        0     0 ACCEPT     0    --  *      *       2.2.2.2              3.3.3.3             \n"
        "6        0     0 ACCEPT     0    --  *      *       2.2.2.2              4.4.4.4             \n",
        "",
    ),
    ("iptables -D FORWARD 1", 0, "", ""),
    (
        "iptables -S",
        0,
        "-P INPUT ACCEPT\n"
        "-P FORWARD ACCEPT\n"
        "-P OUTPUT ACCEPT\n"
        "-N A\n"
        "-N DOCKER\n"
        "-A FORWARD -j DROP\n"
        "-A FORWARD -s 1.1.1.1/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 1.1.1.1/32 -d 4.4.4.4/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 4.4.4.4/32 -j ACCEPT\n"
        "-A A -j ACCEPT\n",
        "",
    ),
    ("iptables -N B", 0, "", ""),
    ("iptables -E B C", 0, "", ""),
    ("iptables -E NOPE X", 1, "", "iptables: No chain/target/match by that name.\n"),
    ("iptables -E C DOCKER", 1, "", "iptables: File exists.\n"),
    ("iptables -A FORWARD -j C", 0, "", ""),
    (
        "iptables -S",
        0,
        "-P INPUT ACCEPT\n"
        "-P FORWARD ACCEPT\n"
        "-P OUTPUT ACCEPT\n"
        "-N A\n"
        "-N C\n"
        "-N DOCKER\n"
        "-A FORWARD -j DROP\n"
        "-A FORWARD -s 1.1.1.1/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 1.1.1.1/32 -d 4.4.4.4/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 4.4.4.4/32 -j ACCEPT\n"
        "-A FORWARD -j C\n"
        "-A A -j ACCEPT\n",
        "",
    ),
    (
        "iptables -t nat -nvL",
        0,
        "Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
        " pkts bytes target     prot opt in     out     source               destination         \n"
        "\n"
        "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
        " pkts bytes target     prot opt in     out     source               destination         \n"
        "\n"
        "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
        " pkts bytes target     prot opt in     out     source               destination         \n"
        "\n"
        "Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
        " pkts bytes target     prot opt in     out     source               destination         \n",
        "",
    ),
    ("iptables -t nat -S POSTROUTING", 0, "-P POSTROUTING ACCEPT\n", ""),
    (
        "iptables -t raw -L -n",
        0,
        "Chain PREROUTING (policy ACCEPT)\n"
        "target     prot opt source               destination         \n"
        "\n"
        "Chain OUTPUT (policy ACCEPT)\n"
        "target     prot opt source               destination         \n",
        "",
    ),
    (
        "iptables-save",
        0,
        "# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 28 03:36:49 2026\n"
        "*filter\n"
        ":INPUT ACCEPT [0:0]\n"
        ":FORWARD ACCEPT [0:0]\n"
        ":OUTPUT ACCEPT [0:0]\n"
        ":A - [0:0]\n"
        ":C - [0:0]\n"
        ":DOCKER - [0:0]\n"
        "-A FORWARD -j DROP\n"
        "-A FORWARD -s 1.1.1.1/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 1.1.1.1/32 -d 4.4.4.4/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 3.3.3.3/32 -j ACCEPT\n"
        "-A FORWARD -s 2.2.2.2/32 -d 4.4.4.4/32 -j ACCEPT\n"
        "-A FORWARD -j C\n"
        "-A A -j ACCEPT\n"
        "COMMIT\n"
        "# Completed on Sat Nov 28 03:36:49 2026\n",
        "",
    ),
    (
        "iptables-save -t mangle",
        0,
        "# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 28 03:36:49 2026\n"
        "*mangle\n"
        ":PREROUTING ACCEPT [0:0]\n"
        ":INPUT ACCEPT [0:0]\n"
        ":FORWARD ACCEPT [0:0]\n"
        ":OUTPUT ACCEPT [0:0]\n"
        ":POSTROUTING ACCEPT [0:0]\n"
        "COMMIT\n"
        "# Completed on Sat Nov 28 03:36:49 2026\n",
        "",
    ),
    ("iptables-save -t bogus", 1, "", "Table `bogus' does not exist\n"),
    ("iptables -F", 0, "", ""),
    ("iptables -X", 0, "", ""),
    ("iptables -S", 0, "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n", ""),
    ("iptables -V", 0, "iptables v1.8.9 (nf_tables)\n", ""),
]


def _normalise_dates(text: str) -> str:
    return re.sub(r" on .*", " on DATE", text)


def test_command_sequence_matches_real_iptables():
    netfilter = Netfilter()
    for line, code, stdout, stderr in SEQUENCE:
        argv = shlex.split(line)
        if argv[0] == "iptables-save":
            got = netfilter.save_command(argv[1:])
        else:
            got = netfilter.execute(argv[1:])
        assert (got[0], _normalise_dates(got[1]), got[2]) == (
            code,
            _normalise_dates(stdout),
            stderr,
        ), line


# The argv Docker 20.10's libnetwork runs for docker0 plus a user network
# br-0123456789ab and two published ports (docker-reference.md 2.1/2.4), plus 28.x raw
# rules; ``-C`` lines are followed by the ``-A`` Docker runs when the check fails.
CLASSIC_COMMANDS = [
    "-t nat -N DOCKER",
    "-N DOCKER",
    "-N DOCKER-ISOLATION-STAGE-1",
    "-N DOCKER-ISOLATION-STAGE-2",
    "-N DOCKER-USER",
    "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
    "-A DOCKER-ISOLATION-STAGE-2 -j RETURN",
    "-A DOCKER-USER -j RETURN",
    "-P FORWARD DROP",
    "-t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    "-t nat -I DOCKER -i docker0 -j RETURN",
    "-I FORWARD -i docker0 -o docker0 -j ACCEPT",
    "-I FORWARD -i docker0 ! -o docker0 -j ACCEPT",
    "-t nat -C PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    "-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    "-t nat -C OUTPUT -m addrtype --dst-type LOCAL -j DOCKER ! --dst 127.0.0.0/8",
    "-t nat -A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER ! --dst 127.0.0.0/8",
    "-I FORWARD -o docker0 -j DOCKER",
    "-I FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-D FORWARD -j DOCKER-ISOLATION-STAGE-1",
    "-I FORWARD -j DOCKER-ISOLATION-STAGE-1",
    "-I DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
    "-I DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
    "-D FORWARD -j DOCKER-USER",
    "-I FORWARD -j DOCKER-USER",
    "-t nat -I POSTROUTING -s 172.18.0.0/16 ! -o br-0123456789ab -j MASQUERADE",
    "-t nat -I DOCKER -i br-0123456789ab -j RETURN",
    "-I FORWARD -i br-0123456789ab -o br-0123456789ab -j ACCEPT",
    "-I FORWARD -i br-0123456789ab ! -o br-0123456789ab -j ACCEPT",
    "-t nat -C PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    "-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    "-t nat -C OUTPUT -m addrtype --dst-type LOCAL -j DOCKER ! --dst 127.0.0.0/8",
    "-t nat -A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER ! --dst 127.0.0.0/8",
    "-I FORWARD -o br-0123456789ab -j DOCKER",
    "-I FORWARD -o br-0123456789ab -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-D FORWARD -j DOCKER-ISOLATION-STAGE-1",
    "-I FORWARD -j DOCKER-ISOLATION-STAGE-1",
    "-I DOCKER-ISOLATION-STAGE-1 -i br-0123456789ab ! -o br-0123456789ab -j DOCKER-ISOLATION-STAGE-2",
    "-I DOCKER-ISOLATION-STAGE-2 -o br-0123456789ab -j DROP",
    "-D FORWARD -j DOCKER-USER",
    "-I FORWARD -j DOCKER-USER",
    "-t nat -A DOCKER -p tcp -d 0/0 --dport 12345 -j DNAT --to-destination 172.17.0.2:3306 ! -i "
    "docker0",
    "-t filter -A DOCKER -i docker0 ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 3306 -j "
    "ACCEPT",
    "-t filter -A DOCKER ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 3306 -j ACCEPT",
    "-t nat -A POSTROUTING -p tcp -s 172.17.0.2 -d 172.17.0.2 --dport 3306 -j MASQUERADE",
    "-t nat -A DOCKER -p tcp -d 127.0.0.1 --dport 32768 -j DNAT --to-destination 172.18.0.2:80 ! -i "
    "br-0123456789ab",
    "-t filter -A DOCKER ! -i br-0123456789ab -o br-0123456789ab -p tcp -d 172.18.0.2 --dport 80 -j "
    "ACCEPT",
    "-t nat -A POSTROUTING -p udp -s 172.18.0.2 -d 172.18.0.2 --dport 53 -j MASQUERADE",
    "-t raw -A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP",
    "-t raw -A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 32768 -j DROP",
]

CLASSIC_EXPECTED = {
    "filter Ln": "Chain INPUT (policy ACCEPT)\n"
    "target     prot opt source               destination         \n"
    "\n"
    "Chain FORWARD (policy DROP)\n"
    "target     prot opt source               destination         \n"
    "DOCKER-USER  0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "DOCKER-ISOLATION-STAGE-1  0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
    "RELATED,ESTABLISHED\n"
    "DOCKER     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate "
    "RELATED,ESTABLISHED\n"
    "DOCKER     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "\n"
    "Chain OUTPUT (policy ACCEPT)\n"
    "target     prot opt source               destination         \n"
    "\n"
    "Chain DOCKER (2 references)\n"
    "target     prot opt source               destination         \n"
    "ACCEPT     6    --  0.0.0.0/0            172.17.0.2           tcp dpt:3306\n"
    "ACCEPT     6    --  0.0.0.0/0            172.18.0.2           tcp dpt:80\n"
    "\n"
    "Chain DOCKER-ISOLATION-STAGE-1 (1 references)\n"
    "target     prot opt source               destination         \n"
    "DOCKER-ISOLATION-STAGE-2  0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "DOCKER-ISOLATION-STAGE-2  0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "RETURN     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "\n"
    "Chain DOCKER-ISOLATION-STAGE-2 (2 references)\n"
    "target     prot opt source               destination         \n"
    "DROP       0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "DROP       0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "RETURN     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "\n"
    "Chain DOCKER-USER (1 references)\n"
    "target     prot opt source               destination         \n"
    "RETURN     0    --  0.0.0.0/0            0.0.0.0/0           \n",
    "filter Lv": "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "\n"
    "Chain FORWARD (policy DROP 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 DOCKER-USER  all  --  any    any     anywhere             "
    "anywhere            \n"
    "    0     0 DOCKER-ISOLATION-STAGE-1  all  --  any    any     anywhere             "
    "anywhere            \n"
    "    0     0 ACCEPT     all  --  any    br-0123456789ab  anywhere             "
    "anywhere             ctstate RELATED,ESTABLISHED\n"
    "    0     0 DOCKER     all  --  any    br-0123456789ab  anywhere             "
    "anywhere            \n"
    "    0     0 ACCEPT     all  --  br-0123456789ab !br-0123456789ab  "
    "anywhere             anywhere            \n"
    "    0     0 ACCEPT     all  --  br-0123456789ab br-0123456789ab  "
    "anywhere             anywhere            \n"
    "    0     0 ACCEPT     all  --  any    docker0  anywhere             "
    "anywhere             ctstate RELATED,ESTABLISHED\n"
    "    0     0 DOCKER     all  --  any    docker0  anywhere             "
    "anywhere            \n"
    "    0     0 ACCEPT     all  --  docker0 !docker0  anywhere             "
    "anywhere            \n"
    "    0     0 ACCEPT     all  --  docker0 docker0  anywhere             "
    "anywhere            \n"
    "\n"
    "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "\n"
    "Chain DOCKER (2 references)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 ACCEPT     tcp  --  !docker0 docker0  anywhere             "
    "172.17.0.2           tcp dpt:mysql\n"
    "    0     0 ACCEPT     tcp  --  !br-0123456789ab br-0123456789ab  "
    "anywhere             172.18.0.2           tcp dpt:http\n"
    "\n"
    "Chain DOCKER-ISOLATION-STAGE-1 (1 references)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 DOCKER-ISOLATION-STAGE-2  all  --  br-0123456789ab !br-0123456789ab  "
    "anywhere             anywhere            \n"
    "    0     0 DOCKER-ISOLATION-STAGE-2  all  --  docker0 !docker0  "
    "anywhere             anywhere            \n"
    "    0     0 RETURN     all  --  any    any     anywhere             "
    "anywhere            \n"
    "\n"
    "Chain DOCKER-ISOLATION-STAGE-2 (2 references)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 DROP       all  --  any    br-0123456789ab  anywhere             "
    "anywhere            \n"
    "    0     0 DROP       all  --  any    docker0  anywhere             "
    "anywhere            \n"
    "    0     0 RETURN     all  --  any    any     anywhere             "
    "anywhere            \n"
    "\n"
    "Chain DOCKER-USER (1 references)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 RETURN     all  --  any    any     anywhere             "
    "anywhere            \n",
    "filter S": "-P INPUT ACCEPT\n"
    "-P FORWARD DROP\n"
    "-P OUTPUT ACCEPT\n"
    "-N DOCKER\n"
    "-N DOCKER-ISOLATION-STAGE-1\n"
    "-N DOCKER-ISOLATION-STAGE-2\n"
    "-N DOCKER-USER\n"
    "-A FORWARD -j DOCKER-USER\n"
    "-A FORWARD -j DOCKER-ISOLATION-STAGE-1\n"
    "-A FORWARD -o br-0123456789ab -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
    "-A FORWARD -o br-0123456789ab -j DOCKER\n"
    "-A FORWARD -i br-0123456789ab ! -o br-0123456789ab -j ACCEPT\n"
    "-A FORWARD -i br-0123456789ab -o br-0123456789ab -j ACCEPT\n"
    "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
    "-A FORWARD -o docker0 -j DOCKER\n"
    "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT\n"
    "-A FORWARD -i docker0 -o docker0 -j ACCEPT\n"
    "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 3306 -j "
    "ACCEPT\n"
    "-A DOCKER -d 172.18.0.2/32 ! -i br-0123456789ab -o br-0123456789ab -p tcp -m tcp "
    "--dport 80 -j ACCEPT\n"
    "-A DOCKER-ISOLATION-STAGE-1 -i br-0123456789ab ! -o br-0123456789ab -j "
    "DOCKER-ISOLATION-STAGE-2\n"
    "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2\n"
    "-A DOCKER-ISOLATION-STAGE-1 -j RETURN\n"
    "-A DOCKER-ISOLATION-STAGE-2 -o br-0123456789ab -j DROP\n"
    "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP\n"
    "-A DOCKER-ISOLATION-STAGE-2 -j RETURN\n"
    "-A DOCKER-USER -j RETURN\n",
    "filter Lnvl": "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "\n"
    "Chain FORWARD (policy DROP 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 DOCKER-USER  0    --  *      *       0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "2        0     0 DOCKER-ISOLATION-STAGE-1  0    --  *      *       "
    "0.0.0.0/0            0.0.0.0/0           \n"
    "3        0     0 ACCEPT     0    --  *      br-0123456789ab  0.0.0.0/0            "
    "0.0.0.0/0            ctstate RELATED,ESTABLISHED\n"
    "4        0     0 DOCKER     0    --  *      br-0123456789ab  0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "5        0     0 ACCEPT     0    --  br-0123456789ab !br-0123456789ab  "
    "0.0.0.0/0            0.0.0.0/0           \n"
    "6        0     0 ACCEPT     0    --  br-0123456789ab br-0123456789ab  "
    "0.0.0.0/0            0.0.0.0/0           \n"
    "7        0     0 ACCEPT     0    --  *      docker0  0.0.0.0/0            "
    "0.0.0.0/0            ctstate RELATED,ESTABLISHED\n"
    "8        0     0 DOCKER     0    --  *      docker0  0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "9        0     0 ACCEPT     0    --  docker0 !docker0  0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "10       0     0 ACCEPT     0    --  docker0 docker0  0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "\n"
    "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "\n"
    "Chain DOCKER (2 references)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 ACCEPT     6    --  !docker0 docker0  0.0.0.0/0            "
    "172.17.0.2           tcp dpt:3306\n"
    "2        0     0 ACCEPT     6    --  !br-0123456789ab br-0123456789ab  "
    "0.0.0.0/0            172.18.0.2           tcp dpt:80\n"
    "\n"
    "Chain DOCKER-ISOLATION-STAGE-1 (1 references)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 DOCKER-ISOLATION-STAGE-2  0    --  br-0123456789ab "
    "!br-0123456789ab  0.0.0.0/0            0.0.0.0/0           \n"
    "2        0     0 DOCKER-ISOLATION-STAGE-2  0    --  docker0 !docker0  "
    "0.0.0.0/0            0.0.0.0/0           \n"
    "3        0     0 RETURN     0    --  *      *       0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "\n"
    "Chain DOCKER-ISOLATION-STAGE-2 (2 references)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 DROP       0    --  *      br-0123456789ab  0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "2        0     0 DROP       0    --  *      docker0  0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "3        0     0 RETURN     0    --  *      *       0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "\n"
    "Chain DOCKER-USER (1 references)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 RETURN     0    --  *      *       0.0.0.0/0            "
    "0.0.0.0/0           \n",
    "nat Ln": "Chain PREROUTING (policy ACCEPT)\n"
    "target     prot opt source               destination         \n"
    "DOCKER     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type "
    "LOCAL\n"
    "\n"
    "Chain INPUT (policy ACCEPT)\n"
    "target     prot opt source               destination         \n"
    "\n"
    "Chain OUTPUT (policy ACCEPT)\n"
    "target     prot opt source               destination         \n"
    "DOCKER     0    --  0.0.0.0/0           !127.0.0.0/8          ADDRTYPE match dst-type "
    "LOCAL\n"
    "\n"
    "Chain POSTROUTING (policy ACCEPT)\n"
    "target     prot opt source               destination         \n"
    "MASQUERADE  0    --  172.18.0.0/16        0.0.0.0/0           \n"
    "MASQUERADE  0    --  172.17.0.0/16        0.0.0.0/0           \n"
    "MASQUERADE  6    --  172.17.0.2           172.17.0.2           tcp dpt:3306\n"
    "MASQUERADE  17   --  172.18.0.2           172.18.0.2           udp dpt:53\n"
    "\n"
    "Chain DOCKER (2 references)\n"
    "target     prot opt source               destination         \n"
    "RETURN     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "RETURN     0    --  0.0.0.0/0            0.0.0.0/0           \n"
    "DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
    "to:172.17.0.2:3306\n"
    "DNAT       6    --  0.0.0.0/0            127.0.0.1            tcp dpt:32768 "
    "to:172.18.0.2:80\n",
    "nat Lv": "Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 DOCKER     all  --  any    any     anywhere             "
    "anywhere             ADDRTYPE match dst-type LOCAL\n"
    "\n"
    "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "\n"
    "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 DOCKER     all  --  any    any     anywhere            "
    "!loopback/8           ADDRTYPE match dst-type LOCAL\n"
    "\n"
    "Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 MASQUERADE  all  --  any    !br-0123456789ab  172.18.0.0/16        "
    "anywhere            \n"
    "    0     0 MASQUERADE  all  --  any    !docker0  172.17.0.0/16        "
    "anywhere            \n"
    "    0     0 MASQUERADE  tcp  --  any    any     172.17.0.2           "
    "172.17.0.2           tcp dpt:mysql\n"
    "    0     0 MASQUERADE  udp  --  any    any     172.18.0.2           "
    "172.18.0.2           udp dpt:domain\n"
    "\n"
    "Chain DOCKER (2 references)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 RETURN     all  --  br-0123456789ab any     anywhere             "
    "anywhere            \n"
    "    0     0 RETURN     all  --  docker0 any     anywhere             "
    "anywhere            \n"
    "    0     0 DNAT       tcp  --  !docker0 any     anywhere             "
    "anywhere             tcp dpt:12345 to:172.17.0.2:3306\n"
    "    0     0 DNAT       tcp  --  !br-0123456789ab any     anywhere             "
    "localhost            tcp dpt:32768 to:172.18.0.2:80\n",
    "nat S": "-P PREROUTING ACCEPT\n"
    "-P INPUT ACCEPT\n"
    "-P OUTPUT ACCEPT\n"
    "-P POSTROUTING ACCEPT\n"
    "-N DOCKER\n"
    "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n"
    "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER\n"
    "-A POSTROUTING -s 172.18.0.0/16 ! -o br-0123456789ab -j MASQUERADE\n"
    "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n"
    "-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 3306 -j "
    "MASQUERADE\n"
    "-A POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p udp -m udp --dport 53 -j "
    "MASQUERADE\n"
    "-A DOCKER -i br-0123456789ab -j RETURN\n"
    "-A DOCKER -i docker0 -j RETURN\n"
    "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 12345 -j DNAT --to-destination "
    "172.17.0.2:3306\n"
    "-A DOCKER -d 127.0.0.1/32 ! -i br-0123456789ab -p tcp -m tcp --dport 32768 -j DNAT "
    "--to-destination 172.18.0.2:80\n",
    "nat Lnvl": "Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 DOCKER     0    --  *      *       0.0.0.0/0            "
    "0.0.0.0/0            ADDRTYPE match dst-type LOCAL\n"
    "\n"
    "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "\n"
    "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 DOCKER     0    --  *      *       0.0.0.0/0           "
    "!127.0.0.0/8          ADDRTYPE match dst-type LOCAL\n"
    "\n"
    "Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 MASQUERADE  0    --  *      !br-0123456789ab  172.18.0.0/16        "
    "0.0.0.0/0           \n"
    "2        0     0 MASQUERADE  0    --  *      !docker0  172.17.0.0/16        "
    "0.0.0.0/0           \n"
    "3        0     0 MASQUERADE  6    --  *      *       172.17.0.2           "
    "172.17.0.2           tcp dpt:3306\n"
    "4        0     0 MASQUERADE  17   --  *      *       172.18.0.2           "
    "172.18.0.2           udp dpt:53\n"
    "\n"
    "Chain DOCKER (2 references)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 RETURN     0    --  br-0123456789ab *       0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "2        0     0 RETURN     0    --  docker0 *       0.0.0.0/0            "
    "0.0.0.0/0           \n"
    "3        0     0 DNAT       6    --  !docker0 *       0.0.0.0/0            "
    "0.0.0.0/0            tcp dpt:12345 to:172.17.0.2:3306\n"
    "4        0     0 DNAT       6    --  !br-0123456789ab *       0.0.0.0/0            "
    "127.0.0.1            tcp dpt:32768 to:172.18.0.2:80\n",
    "raw Ln": "Chain PREROUTING (policy ACCEPT)\n"
    "target     prot opt source               destination         \n"
    "DROP       0    --  0.0.0.0/0            172.17.0.2          \n"
    "DROP       6    --  0.0.0.0/0            127.0.0.1            tcp dpt:32768\n"
    "\n"
    "Chain OUTPUT (policy ACCEPT)\n"
    "target     prot opt source               destination         \n",
    "raw Lv": "Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "    0     0 DROP       all  --  !docker0 any     anywhere             "
    "172.17.0.2          \n"
    "    0     0 DROP       tcp  --  !lo    any     anywhere             "
    "localhost            tcp dpt:32768\n"
    "\n"
    "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               "
    "destination         \n",
    "raw S": "-P PREROUTING ACCEPT\n"
    "-P OUTPUT ACCEPT\n"
    "-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP\n"
    "-A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 32768 -j DROP\n",
    "raw Lnvl": "Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n"
    "1        0     0 DROP       0    --  !docker0 *       0.0.0.0/0            "
    "172.17.0.2          \n"
    "2        0     0 DROP       6    --  !lo    *       0.0.0.0/0            "
    "127.0.0.1            tcp dpt:32768\n"
    "\n"
    "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    "num   pkts bytes target     prot opt in     out     source               "
    "destination         \n",
}

CLASSIC_SAVE = (
    "# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 28 03:31:44 2026\n"
    "*raw\n"
    ":PREROUTING ACCEPT [0:0]\n"
    ":OUTPUT ACCEPT [0:0]\n"
    "-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP\n"
    "-A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 32768 -j DROP\n"
    "COMMIT\n"
    "# Completed on Sat Nov 28 03:31:44 2026\n"
    "# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 28 03:31:44 2026\n"
    "*filter\n"
    ":INPUT ACCEPT [0:0]\n"
    ":FORWARD DROP [0:0]\n"
    ":OUTPUT ACCEPT [0:0]\n"
    ":DOCKER - [0:0]\n"
    ":DOCKER-ISOLATION-STAGE-1 - [0:0]\n"
    ":DOCKER-ISOLATION-STAGE-2 - [0:0]\n"
    ":DOCKER-USER - [0:0]\n"
    "-A FORWARD -j DOCKER-USER\n"
    "-A FORWARD -j DOCKER-ISOLATION-STAGE-1\n"
    "-A FORWARD -o br-0123456789ab -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
    "-A FORWARD -o br-0123456789ab -j DOCKER\n"
    "-A FORWARD -i br-0123456789ab ! -o br-0123456789ab -j ACCEPT\n"
    "-A FORWARD -i br-0123456789ab -o br-0123456789ab -j ACCEPT\n"
    "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
    "-A FORWARD -o docker0 -j DOCKER\n"
    "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT\n"
    "-A FORWARD -i docker0 -o docker0 -j ACCEPT\n"
    "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 3306 -j ACCEPT\n"
    "-A DOCKER -d 172.18.0.2/32 ! -i br-0123456789ab -o br-0123456789ab -p tcp -m tcp --dport 80 -j "
    "ACCEPT\n"
    "-A DOCKER-ISOLATION-STAGE-1 -i br-0123456789ab ! -o br-0123456789ab -j DOCKER-ISOLATION-STAGE-2\n"
    "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2\n"
    "-A DOCKER-ISOLATION-STAGE-1 -j RETURN\n"
    "-A DOCKER-ISOLATION-STAGE-2 -o br-0123456789ab -j DROP\n"
    "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP\n"
    "-A DOCKER-ISOLATION-STAGE-2 -j RETURN\n"
    "-A DOCKER-USER -j RETURN\n"
    "COMMIT\n"
    "# Completed on Sat Nov 28 03:31:44 2026\n"
    "# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 28 03:31:44 2026\n"
    "*nat\n"
    ":PREROUTING ACCEPT [0:0]\n"
    ":INPUT ACCEPT [0:0]\n"
    ":OUTPUT ACCEPT [0:0]\n"
    ":POSTROUTING ACCEPT [0:0]\n"
    ":DOCKER - [0:0]\n"
    "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n"
    "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER\n"
    "-A POSTROUTING -s 172.18.0.0/16 ! -o br-0123456789ab -j MASQUERADE\n"
    "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n"
    "-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 3306 -j MASQUERADE\n"
    "-A POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p udp -m udp --dport 53 -j MASQUERADE\n"
    "-A DOCKER -i br-0123456789ab -j RETURN\n"
    "-A DOCKER -i docker0 -j RETURN\n"
    "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 12345 -j DNAT --to-destination 172.17.0.2:3306\n"
    "-A DOCKER -d 127.0.0.1/32 ! -i br-0123456789ab -p tcp -m tcp --dport 32768 -j DNAT "
    "--to-destination 172.18.0.2:80\n"
    "COMMIT\n"
    "# Completed on Sat Nov 28 03:31:44 2026\n"
)

CLASSIC_VIEWS = {
    "Ln": ["-L", "-n"],
    "Lv": ["-L", "-v"],
    "S": ["-S"],
    "Lnvl": ["-L", "-n", "-v", "--line-numbers"],
}


def _classic() -> Netfilter:
    netfilter = Netfilter()
    skip_next = False
    for line in CLASSIC_COMMANDS:
        argv = shlex.split(line)
        if skip_next:
            skip_next = False
            continue
        code, _, _ = netfilter.execute(argv)
        if "-C" in argv and code == 0:
            skip_next = True
    return netfilter


@pytest.mark.parametrize("key", list(CLASSIC_EXPECTED))
def test_docker_ruleset_lists_like_real_iptables(key):
    table, view = key.split()
    _, out, _ = _classic().execute(["-t", table, *CLASSIC_VIEWS[view]])
    assert out == CLASSIC_EXPECTED[key]


def test_docker_ruleset_saves_like_real_iptables_save():
    assert _normalise_dates(_classic().save()) == _normalise_dates(CLASSIC_SAVE)
