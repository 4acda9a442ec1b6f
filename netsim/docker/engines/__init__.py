"""Engine profiles: what differs between Docker versions, in one place each.

A profile is the daemon and the docker CLI of one version together: the
iptables recipes libnetwork runs, IPAM and port-allocation rules, MAC
addresses, inspect layouts, and how the CLI prints bindings and errors. The
rest of netsim asks a profile named questions (``profile.brackets_ipv6_hosts``,
``profile.kill_error(...)``) and never compares version strings.
``PROFILES`` maps each engine's name to its profile class, ``engine_names()``
lists the names in order and ``profile_for`` returns a new profile by name.

To add an engine profile:

1. Write one new module in ``netsim/docker/engines/`` whose class subclasses
   ``EngineProfile`` (``base.py``): set every attribute the base declares and
   implement every method it leaves raising ``NotImplementedError`` (iptables
   recipes, messages, inspect layout). Start from the closer of
   ``classic.py`` (20.10) and ``modern.py`` (28.5) and change what the new
   version does differently, saying in each docstring which version does it.
   Where the version differs in a way no attribute covers yet, add a named
   attribute or method to the base (with a one-line docstring), set it in
   every profile and ask it at the call site; never compare version strings.
2. Register the class in ``PROFILES`` below, oldest first; ``engine_names()``
   and the CLI's ``--engine`` choices follow. ``pytest
   tests/unit/test_docker_engines.py`` checks that the profile defines
   everything the base declares and that no version check crept in.
3. Record the scenarios on the real engine, the ground truth:
   ``python -m netsim.verify setup`` then ``python -m netsim.verify record
   --all --engine NAME`` (as root; ``netsim/verify/engines.py`` must know how
   to install and find that engine).
4. Make the new engine's golden transcripts and JSON with
   ``NETSIM_REGENERATE=1 python -m pytest tests/scenario``, review them
   against the recorded runs, and check that no other engine's golden file
   changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from netsim.docker.engines.base import EngineProfile, RuleCommand
from netsim.docker.engines.classic import ClassicProfile
from netsim.docker.engines.modern import ModernProfile

PROFILES: Mapping[str, type[EngineProfile]] = MappingProxyType(
    {
        ClassicProfile.version: ClassicProfile,
        ModernProfile.version: ModernProfile,
    }
)
"""Every engine netsim models, by name, oldest first (read-only)."""


def engine_names() -> tuple[str, ...]:
    """Return the names of the engines netsim models, oldest first ("20.10", "28.5")."""
    return tuple(PROFILES)


def profile_for(name: str) -> EngineProfile:
    """Return a new profile of the engine called ``name``.

    Raises:
        ValueError: ``name`` is not one of ``engine_names()``.
    """
    profile_class = PROFILES.get(name)
    if profile_class is None:
        raise ValueError(f"unknown engine {name!r}: expected one of {', '.join(engine_names())}")
    return profile_class()


__all__ = ["PROFILES", "EngineProfile", "RuleCommand", "engine_names", "profile_for"]
