"""Unit tests of the scenario loader: valid files become specs, invalid ones say why."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest

from netsim.errors import ScenarioError
from netsim.scenario import (
    AddressPoolSpec,
    CommandStep,
    DaemonSpec,
    HostSpec,
    ImageSpec,
    MachineSpec,
    PortSpec,
    ProbeStep,
)
from netsim.session import load_scenario, load_scenario_text

FILE = "t.yaml"
REPO = Path(__file__).resolve().parents[2]


def load(text: str):
    return load_scenario_text(textwrap.dedent(text), FILE)


def assert_error(text: str, line: int | None, key: str, fragment: str) -> ScenarioError:
    """Load ``text`` and check the error names the file, line, key path and fragment."""
    where = f"{FILE}:{line}: " if line is not None else f"{FILE}: "
    prefix = f"{where}{key}: " if key else where
    with pytest.raises(ScenarioError, match=re.escape(prefix) + ".*" + re.escape(fragment)) as info:
        load(text)
    error = info.value
    assert error.file == FILE
    assert error.line == line
    assert error.key == key
    return error


# ---- valid scenarios ----------------------------------------------------

FULL = """\
name: port-mapping
description: >
  Publish MySQL's 3306 on host port 12345
  and reach it from a laptop.
engine: "20.10"
daemon:
  icc: false
  userland-proxy: false
  ip-forward: true
  bip: 172.18.0.1/16
  default-address-pools:
    - {base: 172.17.0.0/12, size: 16}
    - {base: 192.168.0.0/16, size: 20}
host:
  address: 10.0.0.2/24
  listen: [22/tcp, 53/udp, 8080]
machines:
  laptop: {address: 10.0.0.20/24, listen: [22/tcp, 53/udp]}
  printer: {address: 10.0.0.30/24}
images:
  myapp:1.0: {expose: [8000/tcp], listen: [8000/tcp]}
  localhost:5000/tools/worker: {entrypoint: [], command: [sleep, 3600]}
steps:
  - docker run --name docker_mysql -p 12345:3306 -d mysql:5.6.35
  - on: laptop
    run: cat /etc/hosts
  - run: docker run -d --name app myapp:2.0
  - probe: laptop -> 10.0.0.2:12345/tcp
    expect: open
  - probe: laptop->printer:53/udp
    expect: closed
  - probe: docker_mysql -> laptop
    proto: icmp
    expect: reply
  - probe: app -> db:5432
  - on: docker_mysql
    run: env
"""


def test_full_scenario_becomes_specs() -> None:
    scenario = load(FULL)
    assert scenario.path == FILE
    assert scenario.name == "port-mapping"
    assert (
        scenario.description
        == "Publish MySQL's 3306 on host port 12345 and reach it from a laptop."
    )
    assert scenario.engine == "20.10"
    assert scenario.daemon == DaemonSpec(
        icc=False,
        userland_proxy=False,
        ip_forward=True,
        bip=IPv4Interface("172.18.0.1/16"),
        default_address_pools=(
            AddressPoolSpec(IPv4Network("172.16.0.0/12"), 16),
            AddressPoolSpec(IPv4Network("192.168.0.0/16"), 20),
        ),
    )
    assert scenario.host == HostSpec(
        IPv4Interface("10.0.0.2/24"), (PortSpec(22), PortSpec(53, "udp"), PortSpec(8080))
    )
    assert scenario.machines == (
        MachineSpec("laptop", IPv4Interface("10.0.0.20/24"), (PortSpec(22), PortSpec(53, "udp"))),
        MachineSpec("printer", IPv4Interface("10.0.0.30/24")),
    )
    assert scenario.images == (
        ImageSpec(
            "myapp",
            expose=(PortSpec(8000),),
            listen=(PortSpec(8000),),
            entrypoint=("docker-entrypoint.sh",),
            command=("serve",),
        ),
        ImageSpec("localhost:5000/tools/worker", entrypoint=None, command=("sleep", "3600")),
    )
    assert scenario.lan == IPv4Network("10.0.0.0/24")
    assert scenario.nameserver == IPv4Address("10.0.0.1")


def test_full_scenario_steps_keep_index_line_and_fields() -> None:
    steps = load(FULL).steps
    assert steps == (
        CommandStep(0, 24, "docker run --name docker_mysql -p 12345:3306 -d mysql:5.6.35"),
        CommandStep(1, 25, "cat /etc/hosts", on="laptop"),
        CommandStep(2, 27, "docker run -d --name app myapp:2.0"),
        ProbeStep(3, 28, "laptop", "10.0.0.2", 12345, "tcp", "open"),
        ProbeStep(4, 30, "laptop", "printer", 53, "udp", "closed"),
        ProbeStep(5, 32, "docker_mysql", "laptop", None, "icmp", "reply"),
        ProbeStep(6, 35, "app", "db", 5432, "tcp", None),
        CommandStep(7, 36, "env", on="docker_mysql"),
    )
    assert steps[3].target == "10.0.0.2:12345/tcp"
    assert steps[5].target == "laptop"


def test_minimal_scenario_gets_the_contract_defaults() -> None:
    scenario = load("name: tiny\nsteps: [docker ps]\n")
    assert scenario.description == ""
    assert scenario.engine == "28.5"
    assert scenario.daemon == DaemonSpec()
    assert scenario.daemon.icc is None and scenario.daemon.default_address_pools is None
    assert scenario.host.address == IPv4Interface("192.168.1.10/24")
    assert isinstance(scenario.host.address, IPv4Interface)
    assert scenario.host.listen == ()
    assert scenario.machines == () and scenario.images == ()
    assert scenario.steps == (CommandStep(0, 2, "docker ps"),)
    assert scenario.nameserver == IPv4Address("192.168.1.1")


@pytest.mark.parametrize(
    ("typed", "engine"),
    [("20.10", "20.10"), ('"20.10"', "20.10"), ("28.5", "28.5"), ("'28.5'", "28.5")],
)
def test_engine_is_read_as_typed(typed: str, engine: str) -> None:
    # Unquoted 20.10 is the float 20.1 to YAML; the loader reads the text.
    assert load(f"name: e\nengine: {typed}\nsteps: [docker ps]\n").engine == engine


def test_null_sections_mean_defaults() -> None:
    scenario = load("name: n\ndescription:\ndaemon:\nhost:\nmachines:\nimages:\nsteps: [ls]\n")
    assert scenario.daemon == DaemonSpec() and scenario.host == HostSpec()
    assert scenario.description == ""


def test_on_key_is_read_as_typed_not_as_yaml_boolean() -> None:
    # YAML 1.1 reads a plain `on` as true; a step key is a name.
    step = load("name: n\nsteps:\n  - on: host\n    run: ip addr\n").steps[0]
    assert step == CommandStep(0, 3, "ip addr", on="host")


def test_image_with_only_a_command_has_no_entrypoint() -> None:
    scenario = load(
        "name: n\nimages:\n  tool: {command: [serve, --port, 80]}\n"
        "  ep: {entrypoint: [/run.sh]}\nsteps: [ls]\n"
    )
    assert scenario.images == (
        ImageSpec("tool", entrypoint=None, command=("serve", "--port", "80")),
        ImageSpec("ep", entrypoint=("/run.sh",), command=None),
    )


def test_declared_image_is_accepted_by_docker_run_and_create() -> None:
    scenario = load(
        "name: n\nimages:\n  myapp: null\nsteps:\n"
        "  - docker create --name a myapp:3\n  - docker container run -d myapp\n"
    )
    assert [step.index for step in scenario.steps] == [0, 1]


def test_merge_keys_and_aliases_are_allowed() -> None:
    scenario = load(
        """\
        name: n
        host: {address: 10.1.0.1/16}
        machines:
          a: &m {address: 10.1.0.2/16, listen: &ports [22/tcp]}
          b: {<<: *m, address: 10.1.0.3/16}
          c: {address: 10.1.0.4/16, listen: *ports}
        steps: [ls]
        """
    )
    assert [m.listen for m in scenario.machines] == [(PortSpec(22),)] * 3
    assert scenario.machines[1].address == IPv4Interface("10.1.0.3/16")


def test_specs_are_frozen() -> None:
    scenario = load("name: n\nsteps: [ls]\n")
    with pytest.raises(AttributeError):
        scenario.name = "other"  # type: ignore[misc]


def test_load_scenario_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(FULL, encoding="utf-8")
    assert load_scenario(path).path == str(path)
    assert load_scenario(str(path)).name == "port-mapping"


@pytest.mark.parametrize("path", sorted((REPO / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_example_scenarios_load(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.steps and scenario.name == path.stem


def test_importing_the_loader_stays_light() -> None:
    code = (
        "import sys, netsim.scenario\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = {'scapy', 'matplotlib', 'simpy', 'networkx'} & loaded\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- errors ---------------------------------------------------------------

S = "steps: [ls]\n"  # a valid tail for documents testing other sections

ERRORS = [
    # top level
    ("nmae: x\n" + S, 1, "nmae", 'unknown key "nmae"; did you mean "name"?'),
    ("name: x\nhots: {}\n" + S, 2, "hots", 'did you mean "host"?'),
    ("name: x\nzzz: 1\n" + S, 2, "zzz", "expected one of: name, description"),
    ("description: d\n" + S, 1, "name", 'missing required key "name"'),
    ("name: x\n", 1, "steps", 'missing required key "steps"'),
    (
        "name: [a]\n" + S,
        1,
        "name",
        "expected a name of lowercase letters, digits and '-', got a list",
    ),
    ("name: 123\n" + S, 1, "name", 'got the integer 123 (quote it: "123")'),
    ("name: Port_Mapping\n" + S, 1, "name", '"Port_Mapping" is not a valid name'),
    ("name: ''\n" + S, 1, "name", "expected lowercase letters, digits and '-'"),
    ("name: x\ndescription: [a]\n" + S, 2, "description", "expected a string, got a list"),
    ("name: x\nsteps: []\n", 2, "steps", "expected at least one step"),
    (
        "name: x\nsteps: docker ps\n",
        2,
        "steps",
        'expected a list of steps, got the string "docker ps"',
    ),
    # engine
    (
        "name: x\nengine: '19.03'\n" + S,
        2,
        "engine",
        'unknown engine "19.03"; expected "20.10" or "28.5"',
    ),
    ("name: x\nengine: 20.1\n" + S, 2, "engine", 'unknown engine "20.1"'),
    ("name: x\nengine: true\n" + S, 2, "engine", 'unknown engine "true"'),
    ("name: x\nengine: [28.5]\n" + S, 2, "engine", "expected an engine version"),
    # daemon
    (
        "name: x\ndaemon:\n  userland_proxy: false\n" + S,
        3,
        "daemon.userland_proxy",
        'did you mean "userland-proxy"?',
    ),
    (
        "name: x\ndaemon: {icc: 'no'}\n" + S,
        2,
        "daemon.icc",
        'expected true or false, got the string "no"',
    ),
    (
        "name: x\ndaemon: [icc]\n" + S,
        2,
        "daemon",
        "expected a mapping of dockerd settings, got a list",
    ),
    (
        "name: x\ndaemon: {bip: 172.17.0.1}\n" + S,
        2,
        "daemon.bip",
        '"172.17.0.1" has no prefix length',
    ),
    (
        "name: x\ndaemon: {bip: 172.17.0.0/16}\n" + S,
        2,
        "daemon.bip",
        "172.17.0.0/16 is the network address of 172.17.0.0/16",
    ),
    ("name: x\ndaemon: {bip: 'fd00::1/64'}\n" + S, 2, "daemon.bip", "IPv6 is not simulated"),
    (
        "name: x\ndaemon: {bip: 172.17.0.1/40}\n" + S,
        2,
        "daemon.bip",
        "not a valid IPv4 address with prefix",
    ),
    (
        "name: x\ndaemon:\n  insecure-registries: ['http://reg:5000']\n" + S,
        3,
        "daemon.insecure-registries[0]",
        "expected a registry such as 192.168.1.20:5000 or a subnet such as 192.168.1.0/24, "
        'got "http://reg:5000"',
    ),
    (
        "name: x\ndaemon:\n  default-address-pools:\n    - {base: 10.0.0.0/8, size: 4}\n" + S,
        4,
        "daemon.default-address-pools[0].size",
        "size 4 is out of range for base 10.0.0.0/8; expected a prefix length 8-32",
    ),
    (
        "name: x\ndaemon:\n  default-address-pools:\n    - {base: 10.0.0.0/8, size: 33}\n" + S,
        4,
        "daemon.default-address-pools[0].size",
        "out of range",
    ),
    (
        "name: x\ndaemon:\n  default-address-pools:\n    - {base: 10.0.0.0/8, size: '24'}\n" + S,
        4,
        "daemon.default-address-pools[0].size",
        'expected a prefix length, got the string "24"',
    ),
    (
        "name: x\ndaemon:\n  default-address-pools:\n    - {base: 10.0.0.0/8}\n" + S,
        4,
        "daemon.default-address-pools[0].size",
        'missing required key "size"',
    ),
    (
        "name: x\ndaemon:\n  default-address-pools:\n    - {base: banana, size: 16}\n" + S,
        4,
        "daemon.default-address-pools[0].base",
        '"banana" is not an IPv4 subnet',
    ),
    (
        "name: x\ndaemon:\n  default-address-pools:\n    - {base: 10.0.0.0, size: 16}\n" + S,
        4,
        "daemon.default-address-pools[0].base",
        "has no prefix length",
    ),
    (
        "name: x\ndaemon:\n  default-address-pools: []\n" + S,
        3,
        "daemon.default-address-pools",
        "expected at least one",
    ),
    (
        "name: x\ndaemon:\n  default-address-pools:\n    - {base: 10.0.0.0/8, size: 16, sise: 1}\n"
        + S,
        4,
        "daemon.default-address-pools[0].sise",
        'did you mean "size"?',
    ),
    # host
    (
        "name: x\nhost: {address: 192.168.1.10}\n" + S,
        2,
        "host.address",
        "has no prefix length; expected an address with prefix, e.g. 192.168.1.10/24",
    ),
    (
        "name: x\nhost: {address: 192.168.1.300/24}\n" + S,
        2,
        "host.address",
        "not a valid IPv4 address",
    ),
    (
        "name: x\nhost: {address: 192.168.1.255/24}\n" + S,
        2,
        "host.address",
        "is the broadcast address of 192.168.1.0/24",
    ),
    ("name: x\nhost: {address: 10}\n" + S, 2, "host.address", "got the integer 10"),
    (
        "name: x\nhost:\n  listen: [22/tcp, 70000/tcp]\n" + S,
        3,
        "host.listen[1]",
        'port 70000 in "70000/tcp" is out of range; expected 1-65535',
    ),
    ("name: x\nhost:\n  listen: [0]\n" + S, 3, "host.listen[0]", "out of range"),
    (
        "name: x\nhost:\n  listen: [22/sctp]\n" + S,
        3,
        "host.listen[0]",
        'unknown protocol "sctp" in "22/sctp"; expected tcp or udp',
    ),
    ("name: x\nhost:\n  listen: [ssh]\n" + S, 3, "host.listen[0]", '"ssh" is not a port spec'),
    ("name: x\nhost:\n  listen: [22:22]\n" + S, 3, "host.listen[0]", '"22:22" is not a port spec'),
    ("name: x\nhost:\n  listen: [true]\n" + S, 3, "host.listen[0]", "got the boolean true"),
    ("name: x\nhost:\n  listen: 22/tcp\n" + S, 3, "host.listen", "expected a list of ports"),
    (
        "name: x\nhost:\n  listen:\n    - 22/tcp\n    - 22\n" + S,
        5,
        "host.listen[1]",
        "22/tcp is listed twice (also at line 4)",
    ),
    # machines
    (
        "name: x\nmachines:\n  host: {address: 192.168.1.20/24}\n" + S,
        3,
        "machines.host",
        'a machine cannot be named "host"',
    ),
    (
        "name: x\nmachines:\n  Laptop_1: {address: 192.168.1.20/24}\n" + S,
        3,
        "machines.Laptop_1",
        '"Laptop_1" is not a valid machine name',
    ),
    (
        "name: x\nmachines:\n  laptop: {listen: [22]}\n" + S,
        3,
        "machines.laptop.address",
        'missing required key "address" (e.g. 192.168.1.20/24)',
    ),
    (
        "name: x\nmachines:\n  laptop: {adress: 192.168.1.20/24}\n" + S,
        3,
        "machines.laptop.adress",
        'did you mean "address"?',
    ),
    (
        "name: x\nmachines:\n  laptop: {address: 10.0.0.5/24}\n" + S,
        3,
        "machines.laptop.address",
        "10.0.0.5/24 is not on the LAN 192.168.1.0/24",
    ),
    (
        "name: x\nmachines:\n  laptop: {address: 192.168.1.20/16}\n" + S,
        3,
        "machines.laptop.address",
        "expected an address in 192.168.1.0/24 with prefix /24",
    ),
    (
        "name: x\nmachines:\n  laptop: {address: 192.168.1.20}\n" + S,
        3,
        "machines.laptop.address",
        "e.g. 192.168.1.20/24",
    ),
    (
        "name: x\nmachines:\n  laptop: {address: 192.168.1.10/24}\n" + S,
        3,
        "machines.laptop.address",
        "192.168.1.10 is already host's address",
    ),
    (
        "name: x\nmachines:\n  a: {address: 192.168.1.20/24}\n  b: {address: 192.168.1.20/24}\n"
        + S,
        4,
        "machines.b.address",
        "192.168.1.20 is already a's address (line 3)",
    ),
    (
        "name: x\nmachines:\n  a: {address: 192.168.1.0/24}\n" + S,
        3,
        "machines.a.address",
        "is the network address of 192.168.1.0/24; a machine must be a host address",
    ),
    (
        "name: x\nmachines:\n  a: {address: 192.168.1.20/24}\n  a: {address: 192.168.1.21/24}\n"
        + S,
        4,
        "machines.a",
        'duplicate key "a": also at line 3',
    ),
    ("name: x\nmachines: [laptop]\n" + S, 2, "machines", "expected a mapping of machine names"),
    (
        "name: x\nmachines:\n  laptop: 192.168.1.20/24\n" + S,
        3,
        "machines.laptop",
        "expected a mapping {address: ..., listen: [...]}",
    ),
    # images
    ("name: x\nimages:\n  MyApp:1.0: {}\n" + S, 3, "images.MyApp:1.0", "(it must be lowercase)"),
    (
        "name: x\nimages:\n  myapp:1.0: {}\n  myapp:2.0: {}\n" + S,
        4,
        "images.myapp:2.0",
        'image "myapp" is already declared as "myapp:1.0" at line 3',
    ),
    (
        "name: x\nimages:\n  myapp: {exposes: [80]}\n" + S,
        3,
        "images.myapp.exposes",
        'unknown key "exposes"; did you mean "expose"?',
    ),
    (
        "name: x\nimages:\n  myapp: {ports: [80]}\n" + S,
        3,
        "images.myapp.ports",
        'unknown key "ports"; expected one of: expose, listen, entrypoint, command',
    ),
    (
        "name: x\nimages:\n  myapp: {command: serve}\n" + S,
        3,
        "images.myapp.command",
        "expected a list of strings",
    ),
    (
        "name: x\nimages:\n  myapp: {expose: [http]}\n" + S,
        3,
        "images.myapp.expose[0]",
        '"http" is not a port spec',
    ),
    (
        "name: x\nimages:\n  myapp: {entrypoint: [[a]]}\n" + S,
        3,
        "images.myapp.entrypoint[0]",
        "expected a string, got a list",
    ),
    (
        "name: x\nimages:\n  'myapp@sha256:abc': {}\n" + S,
        3,
        "images.myapp@sha256:abc",
        "digests are not supported",
    ),
    (
        "name: x\nimages:\n  'myapp:-bad': {}\n" + S,
        3,
        "images.myapp:-bad",
        '"-bad" is not a valid tag',
    ),
    ("name: x\nimages: [myapp]\n" + S, 2, "images", "expected a mapping of image names"),
    # steps: shapes
    (
        "name: x\nsteps:\n  - ls\n  - 42\n",
        4,
        "steps[1]",
        "expected a command string, {on: NODE, run: COMMAND}, {probe: SRC -> DST:PORT[/PROTO]} "
        "or {packet: 'IP(...)/TCP(...)', from: NODE}, "
        "got the integer 42",
    ),
    ("name: x\nsteps:\n  -\n", 3, "steps[0]", "got nothing (null)"),
    ("name: x\nsteps:\n  - [docker, ps]\n", 3, "steps[0]", "got a list"),
    ("name: x\nsteps:\n  - '  '\n", 3, "steps[0]", "the command is empty"),
    (
        "name: x\nsteps:\n  - |\n    docker ps\n    docker ps -a\n",
        3,
        "steps[0]",
        "a command must be one line",
    ),
    ('name: x\nsteps:\n  - echo "hi\n', 3, "steps[0]", "the shell cannot split"),
    (
        "name: x\nsteps:\n  - on: host\n    run: ls\n    expect: open\n",
        5,
        "steps[0].expect",
        'unknown key "expect"',
    ),
    ("name: x\nsteps:\n  - on: host\n", 3, "steps[0].run", 'missing required key "run"'),
    (
        "name: x\nsteps:\n  - on: host\n    run: [ls]\n",
        4,
        "steps[0].run",
        "expected a command string, got a list",
    ),
    (
        "name: x\nsteps:\n  - on: bad name!\n    run: ls\n",
        3,
        "steps[0].on",
        '"bad name!" is neither host, a machine (none declared) nor a valid container name',
    ),
    ("name: x\nsteps:\n  - on: x\n    run: ls\n", 3, "steps[0].on", '"x" is neither host'),
    (
        "name: x\nsteps:\n  - on: 5\n    run: ls\n",
        3,
        "steps[0].on",
        'got the integer 5 (quote it: "5")',
    ),
    ("name: x\nsteps:\n  - prob: a1 -> b1:80\n", 3, "steps[0].prob", 'did you mean "probe"?'),
    (
        "name: x\nsteps:\n  - expect: open\n",
        3,
        "steps[0]",
        "expected {on: NODE, run: COMMAND}, {probe: SRC -> DST:PORT[/PROTO]} or "
        "{packet: 'IP(...)/TCP(...)', from: NODE}; found only expect",
    ),
    ("name: x\nsteps:\n  - probe: a1 -> b1:80\n    run: ls\n", 3, "steps[0]", "not both"),
    ("name: x\nsteps:\n  - {}\n", 3, "steps[0]", "; found an empty mapping {}"),
    # steps: probes
    ("name: x\nsteps:\n  - probe: a1 b1:80\n", 3, "steps[0].probe", "has no '->'"),
    ("name: x\nsteps:\n  - probe: a1 -> b1 -> c1:80\n", 3, "steps[0].probe", "several"),
    ("name: x\nsteps:\n  - probe: ' -> b1:80'\n", 3, "steps[0].probe", "missing the source"),
    ("name: x\nsteps:\n  - probe: 'a1 -> '\n", 3, "steps[0].probe", "missing the destination"),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:0\n",
        3,
        "steps[0].probe",
        'the port in "b1:0" is "0"; expected a number 1-65535',
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:65536/udp\n",
        3,
        "steps[0].probe",
        "expected a number 1-65535",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:http\n",
        3,
        "steps[0].probe",
        '"http"; expected a number',
    ),
    (
        "name: x\nsteps:\n  - probe: 'a1 -> b1:'\n",
        3,
        "steps[0].probe",
        "is empty; expected a number",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80/sctp\n",
        3,
        "steps[0].probe",
        'unknown protocol "sctp" in "b1:80/sctp"; expected tcp or udp',
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1\n",
        3,
        "steps[0].probe",
        'missing :PORT in "a1 -> b1"; expected SRC -> DST:PORT[/PROTO] '
        "(for a ping, write SRC -> DST with proto: icmp)",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1/udp\n",
        3,
        "steps[0].probe",
        "missing :PORT before /udp",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80/icmp\n",
        3,
        "steps[0].probe",
        "an icmp probe has no port",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80\n    proto: icmp\n",
        3,
        "steps[0].probe",
        'an icmp probe has no port; write "a1 -> b1" with proto: icmp',
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80/udp\n    proto: tcp\n",
        4,
        "steps[0].proto",
        "proto: tcp contradicts /udp",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80\n    proto: sctp\n",
        4,
        "steps[0].proto",
        'unknown protocol "sctp"; expected tcp, udp or icmp',
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> 192.168.1.300:80\n",
        3,
        "steps[0].probe",
        'the destination "192.168.1.300" is not an IPv4 address',
    ),
    ("name: x\nsteps:\n  - probe: a1 -> 10.1.2:80\n", 3, "steps[0].probe", "expected a.b.c.d"),
    (
        "name: x\nsteps:\n  - probe: a1 -> '[fd00::1]:80'\n",
        3,
        "steps[0].probe",
        "only IPv4 is simulated",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b$1:80\n",
        3,
        "steps[0].probe",
        "is neither an IPv4 address nor a name",
    ),
    ("name: x\nsteps:\n  - probe: a1 -> b 1:80\n", 3, "steps[0].probe", "unexpected space"),
    (
        "name: x\nsteps:\n  - probe: x -> b1:80\n",
        3,
        "steps[0].probe",
        'the source "x" is neither a node (host) nor a valid container name',
    ),
    ("name: x\nsteps:\n  - probe: 80\n", 3, "steps[0].probe", "got the integer 80"),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80\n    expect: closed\n",
        4,
        "steps[0].expect",
        '"closed" is not a tcp probe result; '
        "expected one of open, refused, timeout, unreachable, unresolved",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:53/udp\n    expect: refused\n",
        4,
        "steps[0].expect",
        "not a udp probe result; expected one of open, closed, timeout",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1\n    proto: icmp\n    expect: open\n",
        5,
        "steps[0].expect",
        "not an icmp probe result; expected one of reply, timeout, unreachable, unresolved",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80\n    expect: true\n",
        4,
        "steps[0].expect",
        "got the boolean true",
    ),
    (
        "name: x\nsteps:\n  - probe: a1 -> b1:80\n    expect:\n",
        4,
        "steps[0].expect",
        "got nothing (null)",
    ),
    # steps: images
    (
        "name: x\nsteps:\n  - docker ps\n  - docker run -d --name a foo:1.0\n",
        4,
        "steps[1]",
        'unknown image "foo:1.0"; use a catalog image (mysql, mariadb',
    ),
    (
        "name: x\nsteps:\n  - docker create --name a myapp\n",
        3,
        "steps[0]",
        "or declare it under images:, "
        "e.g. images: {myapp: {expose: [8000/tcp], listen: [8000/tcp]}}",
    ),
    (
        "name: x\nsteps:\n  - run: docker run -d nosuch\n",
        3,
        "steps[0].run",
        'unknown image "nosuch"',
    ),
    (
        "name: x\nimages: {myapp: {}}\nsteps:\n  - docker run -d myapp2\n",
        4,
        "steps[0]",
        'unknown image "myapp2"',
    ),
]


@pytest.mark.parametrize(("text", "line", "key", "fragment"), ERRORS, ids=lambda v: str(v)[:40])
def test_invalid_scenario_names_line_key_and_problem(
    text: str, line: int, key: str, fragment: str
) -> None:
    assert_error(text, line, key, fragment)


def test_error_render_is_file_line_key_message() -> None:
    error = assert_error("name: x\nengine: '1'\n" + S, 2, "engine", "unknown engine")
    assert str(error) == 't.yaml:2: engine: unknown engine "1"; expected "20.10" or "28.5"'


def test_image_not_checked_on_machines_or_containers() -> None:
    # `docker run` typed on another machine is that machine's business, not the daemon's.
    scenario = load(
        "name: x\nmachines: {m1: {address: 192.168.1.2/24}}\n"
        "steps:\n  - on: m1\n    run: docker run nosuch\n"
    )
    assert scenario.steps[0].on == "m1"


def test_unparsable_docker_command_is_left_to_the_cli() -> None:
    # The CLI prints Docker's usage error when the step runs; the loader checks images only.
    assert load("name: x\nsteps: [docker run --bogus-flag nosuch]\n").steps


def test_single_letter_machine_can_be_a_probe_source_and_on_target() -> None:
    scenario = load(
        "name: x\nmachines: {m: {address: 192.168.1.2/24}}\nsteps:\n"
        "  - probe: m -> host:22\n  - on: m\n    run: ip addr\n"
    )
    assert scenario.steps[0].src == "m" and scenario.steps[1].on == "m"
