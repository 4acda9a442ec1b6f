"""The data plane: a simpy engine that moves frames through the kernel model.

Frames (``frames``) are compact frozen header views; ``wire`` renders them to
real bytes with scapy, imported only there. ``engine`` is the kernel's
forwarding path (veths, bridges, ARP, routing, netfilter hooks, conntrack and
NAT, sockets); ``apps`` are the programs (listeners, docker-proxy, Docker's
embedded DNS, probe clients); ``probe.run_probe`` answers a scenario's
``probe:`` step and ``trace`` holds what happened, hop by hop.
"""
