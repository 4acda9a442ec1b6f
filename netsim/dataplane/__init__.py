"""The data plane: what the kernel model does with packets, by frames or by flows.

The decisions are made once and shared by both paths: ``nodes`` (the routing
decision, local addresses, sysctls), ``stack`` (the IPv4 path: netfilter hooks
in the kernel's order, conntrack and NAT bindings from ``conntrack``, REJECT
and ICMP errors), ``sockets`` (who accepts a SYN or a datagram, what a closed
port answers, errno mapping), ``matches`` (what each iptables match and target
reads and does) and ``apps`` (the programs: listeners, docker-proxy, Docker's
embedded DNS).

The packet engine (``engine``) moves frames (``frames``, compact frozen header
views; ``wire`` renders them with scapy, imported only there) across veths,
bridges and ARP on simpy; ``probe.simulate_probe`` answers a scenario's ``probe:``
step with it and ``trace`` holds what happened, hop by hop. The flow evaluator
(``flow``) walks the same decisions without simpy or frames, with its caches
and grouping on top, so ``reach`` can answer millions of cells.
"""
