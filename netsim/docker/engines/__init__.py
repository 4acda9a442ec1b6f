"""Engine profiles: what differs between Docker 20.10 and 28.5, in one place each.

A profile is the daemon and the docker CLI of one version together: the
iptables recipes libnetwork runs, IPAM and port-allocation rules, MAC
addresses, and how the CLI prints bindings and errors. ``profile_for``
returns the profile of a version string.
"""

from __future__ import annotations

from netsim.docker.engines.base import EngineProfile, RuleCommand
from netsim.docker.engines.classic import ClassicProfile
from netsim.docker.engines.modern import ModernProfile


def profile_for(version: str) -> EngineProfile:
    """Return the engine profile for ``"20.10"`` or ``"28.5"``."""
    if version == "20.10":
        return ClassicProfile()
    if version == "28.5":
        return ModernProfile()
    raise ValueError(f"unknown engine {version!r}: expected 20.10 or 28.5")


__all__ = ["EngineProfile", "RuleCommand", "profile_for"]
