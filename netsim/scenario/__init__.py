"""Read scenario files into validated, frozen specs: ``load_scenario(path)``.

Importing this package (or ``netsim.scenario.spec``, which the docker and
kernel models use) does not import the YAML reader; the loader is imported
when a file is loaded.
"""

from __future__ import annotations

from pathlib import Path

from netsim.scenario.spec import (
    AddressPoolSpec,
    CommandStep,
    DaemonSpec,
    HostSpec,
    ImageSpec,
    MachineSpec,
    PortSpec,
    ProbeStep,
    Scenario,
    Step,
)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (see ``netsim.scenario.loader``)."""
    from netsim.scenario.loader import load_scenario as load

    return load(path)


def load_scenario_text(text: str, path: str = "<string>") -> Scenario:
    """Load and validate a scenario given as text (see ``netsim.scenario.loader``)."""
    from netsim.scenario.loader import load_scenario_text as load

    return load(text, path)


__all__ = [
    "AddressPoolSpec",
    "CommandStep",
    "DaemonSpec",
    "HostSpec",
    "ImageSpec",
    "MachineSpec",
    "PortSpec",
    "ProbeStep",
    "Scenario",
    "Step",
    "load_scenario",
    "load_scenario_text",
]
