"""The Linux kernel model: namespaces, links, routes, sysctls and netfilter.

Knows nothing about Docker. Public API (see each module):

* netfilter: :class:`Netfilter` (``execute``/``apply``/``check``/``save``/
  ``save_command``/``evaluate``/``account``), :class:`Rule` and its match and
  target values, :func:`parse_command`.
* evaluation: :class:`PacketView`, :class:`EvalContext`, :class:`Verdict`,
  :class:`TraceStep`, :func:`evaluate`.
"""
