"""Docker's control plane: the daemon model that turns docker commands into state.

The daemon owns containers and networks, allocates addresses and host ports,
and configures the kernel model (bridges, veths, addresses, routes, iptables
rules) as libnetwork configures Linux. Rule recipes differ per engine version
and live in one module per version.
"""
