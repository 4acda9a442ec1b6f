"""Read scenario files into validated, frozen specs: ``load_scenario(path)``.

The checks that need the layers above (engine names, the image catalog,
packet notation) are handed in as ``ScenarioChecks``; ``netsim.session``'s
``load_scenario`` passes the full set. Importing this package (or
``netsim.scenario.spec``, which the docker and kernel models use) does not
import the YAML reader; the loader is imported when a file is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from netsim.scenario.loader import ScenarioChecks


def load_scenario(path: str | Path, *, checks: ScenarioChecks) -> Scenario:
    """Load and validate a scenario file (see ``netsim.scenario.loader``)."""
    from netsim.scenario.loader import load_scenario as load

    return load(path, checks=checks)


def load_scenario_text(text: str, path: str = "<string>", *, checks: ScenarioChecks) -> Scenario:
    """Load and validate a scenario given as text (see ``netsim.scenario.loader``)."""
    from netsim.scenario.loader import load_scenario_text as load

    return load(text, path, checks=checks)


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
