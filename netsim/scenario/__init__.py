"""Read scenario files into validated, frozen specs: ``load_scenario(path)``."""

from netsim.scenario.loader import load_scenario, load_scenario_text
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
