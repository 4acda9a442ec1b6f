"""The Linux kernel model: namespaces, links, routes, sysctls and netfilter.

Knows nothing about Docker. Formats and behaviours are copied from Debian 12
(iptables 1.8.9 nf_tables, iproute2 6.1, procps-ng 4.0.2, busybox 1.35) on
Linux 6.18, observed in scratch network namespaces.

Public API:

* :class:`NetworkNamespace` (``netsim.kernel.namespace``): interfaces
  (``add_bridge``, ``add_veth``, ``add_ether``, ``move_link``, ``rename_link``,
  ``delete_link``, ``set_up``/``set_down``, ``set_master``, ``set_mac``),
  addresses (``add_address``/``delete_address``), routes (``add_route``,
  ``delete_route``, ``sorted_routes``, ``local_table``, ``route_lookup``,
  ``is_local``), ``sysctls`` (:class:`Sysctls`), ``netfilter``
  (:class:`Netfilter`), ``eval_context()``. Values: :class:`Route`,
  :class:`VethPair`; runtime objects: :class:`Interface`, :class:`Bridge`.
* :class:`Netfilter` (``netsim.kernel.netfilter``): ``apply(argv)`` /
  ``execute(argv)`` run iptables command lines, ``check``, ``has_rule``,
  ``chains``, ``rules``, ``policy``, ``save``/``save_command``
  (iptables-save), ``evaluate`` and ``account`` for the data plane.
* Rules as values (``netsim.kernel.rules``): :class:`Rule`, matches
  (``PortMatch``, ``IcmpMatch``, ``ConntrackMatch``, ``AddrtypeMatch``,
  ``MultiportMatch``, ``CommentMatch``) and targets (``Target``,
  ``RejectTarget``, ``LogTarget``, ``NatTarget``, ``PortsTarget``,
  ``ChecksumTarget``); :func:`parse_command` reads an iptables argv.
* Evaluation (``netsim.kernel.evaluate``): :class:`PacketView`,
  :class:`EvalContext`, :class:`Verdict`, :class:`TraceStep`,
  :func:`evaluate`.
* Commands (``netsim.kernel.commands``): :func:`ip_command` (iproute2 or
  busybox flavor) and :func:`sysctl_command`, each returning
  ``(exit_code, stdout, stderr)``.
"""

from netsim.kernel.commands import ip_command, sysctl_command
from netsim.kernel.evaluate import EvalContext, PacketView, TraceStep, Verdict, evaluate
from netsim.kernel.iptables import parse_command
from netsim.kernel.namespace import (
    Bridge,
    Interface,
    NetworkNamespace,
    Route,
    Sysctls,
    VethPair,
)
from netsim.kernel.netfilter import Netfilter
from netsim.kernel.rules import Rule

__all__ = [
    "Bridge",
    "EvalContext",
    "Interface",
    "Netfilter",
    "NetworkNamespace",
    "PacketView",
    "Route",
    "Rule",
    "Sysctls",
    "TraceStep",
    "Verdict",
    "VethPair",
    "evaluate",
    "ip_command",
    "parse_command",
    "sysctl_command",
]
