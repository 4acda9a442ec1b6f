"""Property tests: whatever the input, the loader returns a Scenario or raises ScenarioError."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsim.errors import ScenarioError
from netsim.scenario import Scenario
from netsim.session import load_scenario, load_scenario_text

VALID = """\
name: port-mapping
description: Publish a port.
engine: "28.5"
daemon:
  icc: true
  userland-proxy: false
  bip: 172.17.0.1/16
  default-address-pools:
    - {base: 172.17.0.0/12, size: 16}
host:
  address: 192.168.1.10/24
  listen: [22/tcp]
machines:
  laptop: {address: 192.168.1.20/24, listen: [22/tcp, 53/udp]}
images:
  myapp:1.0: {expose: [8000/tcp], listen: [8000/tcp], command: [serve]}
steps:
  - docker run --name db -p 12345:3306 -d mysql:5.6.35
  - docker run -d --name app myapp
  - on: laptop
    run: cat /etc/hosts
  - probe: laptop -> 192.168.1.10:12345/tcp
    expect: open
  - probe: app -> db
    proto: icmp
    expect: reply
"""
VALID_DATA = yaml.safe_load(VALID)
VOCABULARY = [
    "name",
    "description",
    "engine",
    "daemon",
    "host",
    "machines",
    "images",
    "steps",
    "icc",
    "userland-proxy",
    "ip-forward",
    "bip",
    "default-address-pools",
    "base",
    "size",
    "address",
    "listen",
    "expose",
    "entrypoint",
    "command",
    "on",
    "run",
    "probe",
    "expect",
    "proto",
    "laptop",
    "host",
    "<<",
]
WORDS = VOCABULARY + [
    "20.10",
    "28.5",
    "22/tcp",
    "53/udp",
    "70000/tcp",
    "192.168.1.20/24",
    "10.0.0.1/8",
    "a -> b:80",
    "laptop -> host",
    "docker run -d mysql",
    "docker run -d nosuch",
    "open",
    "closed",
    "reply",
    "tcp",
    "udp",
    "icmp",
    "",
    "'",
    '"',
]

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.sampled_from(WORDS),
    st.text(max_size=20),
)
keys = st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=10))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=30,
)


def check(load: Any, text_lines: int | None = None) -> None:
    """Call ``load()``; only a Scenario or a located ScenarioError may come out."""
    try:
        result = load()
    except ScenarioError as error:
        assert error.file
        assert str(error).startswith(error.file)
        if error.line is not None:
            assert error.line >= 1
            if text_lines is not None:
                assert error.line <= text_lines + 1
        return
    assert isinstance(result, Scenario)


def _lines(text: str) -> int:
    return text.count("\n") + 1


@PROPERTY
@given(documents)
def test_random_yaml_documents(document: object) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    check(lambda: load_scenario_text(text, "r.yaml"), _lines(text))


@PROPERTY
@given(st.dictionaries(st.sampled_from(VOCABULARY), documents, max_size=8))
def test_random_top_level_mappings(document: dict[str, object]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    check(lambda: load_scenario_text(text, "r.yaml"), _lines(text))


@PROPERTY
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(lambda: load_scenario_text(text, "r.yaml"))


@PROPERTY
@given(
    st.lists(
        st.sampled_from(
            [
                "{",
                "}",
                "[",
                "]",
                ":",
                "-",
                "&a",
                "*a",
                "<<",
                "!!",
                "\n",
                "  ",
                "#",
                "?",
                "|",
                ">",
                ",",
                "'",
                '"',
                "x",
                "1",
                "%YAML",
            ]
        ),
        max_size=60,
    )
)
def test_random_yaml_punctuation(parts: list[str]) -> None:
    text = "".join(parts)
    check(lambda: load_scenario_text(text, "r.yaml"))


@PROPERTY
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bytes.yaml"
        path.write_bytes(data)
        check(lambda: load_scenario(path))


@PROPERTY
@given(st.data())
def test_text_mutations_of_a_valid_scenario(data: st.DataObject) -> None:
    lines = VALID.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["delete", "duplicate", "swap", "edit", "insert"]))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "edit" and lines[i]:
            at = data.draw(st.integers(0, len(lines[i]) - 1))
            end = data.draw(st.integers(at, len(lines[i])))
            lines[i] = lines[i][:at] + data.draw(st.text(max_size=4)) + lines[i][end:]
        else:
            lines.insert(i, data.draw(st.sampled_from(WORDS)) + "\n")
    text = "".join(lines)
    check(lambda: load_scenario_text(text, "m.yaml"), _lines(text))


def _paths(value: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@PROPERTY
@given(st.data())
def test_structural_mutations_of_a_valid_scenario(data: st.DataObject) -> None:
    document = copy.deepcopy(VALID_DATA)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)[1:]))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        kind = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if kind == "replace":
            parent[path[-1]] = data.draw(documents)
        elif kind == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(keys)] = data.draw(documents)
        else:
            parent.insert(path[-1], data.draw(documents))
    text = yaml.safe_dump(document, allow_unicode=True)
    check(lambda: load_scenario_text(text, "m.yaml"), _lines(text))


def test_the_valid_scenario_is_valid() -> None:
    assert load_scenario_text(VALID).name == "port-mapping"
