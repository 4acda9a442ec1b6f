"""Engine profiles: the registry, every profile answering every question, no version checks.

Every difference between engine versions lives in ``netsim/docker/engines/``;
the control plane (the rest of ``netsim/docker`` and ``netsim/shell``) asks a
profile and never compares version strings.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import get_origin, get_type_hints

import pytest

from netsim.docker.engines import PROFILES, EngineProfile, engine_names, profile_for

NETSIM = Path(__file__).resolve().parents[2] / "netsim"
CONTROL_PLANE = sorted(
    path
    for root in (NETSIM / "docker", NETSIM / "shell")
    for path in root.rglob("*.py")
    if (NETSIM / "docker" / "engines") not in path.parents
)


def test_engine_names_are_the_registry_oldest_first() -> None:
    assert engine_names() == ("20.10", "28.5")
    assert engine_names() == tuple(PROFILES)


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        PROFILES["99.0"] = EngineProfile  # type: ignore[index]


@pytest.mark.parametrize("name", engine_names())
def test_profile_for_returns_a_new_profile_of_that_engine(name: str) -> None:
    profile = profile_for(name)
    assert isinstance(profile, PROFILES[name])
    assert profile.version == name
    assert profile_for(name) is not profile


def test_profile_for_refuses_an_unknown_engine() -> None:
    with pytest.raises(ValueError, match=r"unknown engine '19\.03': expected one of 20\.10, 28\.5"):
        profile_for("19.03")


def _declared(cls: type) -> set[str]:
    """Return the names a class or its bases other than EngineProfile define."""
    return {
        name
        for klass in cls.__mro__
        if klass not in (EngineProfile, object)
        for name in vars(klass)
    }


@pytest.mark.parametrize("name", engine_names())
def test_profile_sets_every_attribute_with_its_type(name: str) -> None:
    cls = PROFILES[name]
    assert issubclass(cls, EngineProfile)
    hints = get_type_hints(EngineProfile)
    assert hints, "EngineProfile declares no attributes"
    missing = sorted(set(hints) - _declared(cls))
    assert not missing, f"{cls.__name__} does not set {', '.join(missing)}"
    for attribute, hint in hints.items():
        value = getattr(cls, attribute)
        assert isinstance(value, get_origin(hint) or hint), f"{cls.__name__}.{attribute}"


def _abstract_methods() -> list[str]:
    return [
        name
        for name, member in vars(EngineProfile).items()
        if inspect.isfunction(member) and "raise NotImplementedError" in inspect.getsource(member)
    ]


@pytest.mark.parametrize("name", engine_names())
def test_profile_implements_every_method_the_base_leaves_open(name: str) -> None:
    cls = PROFILES[name]
    methods = _abstract_methods()
    assert "kill_error" in methods and "port_rules" in methods
    missing = sorted(set(methods) - _declared(cls))
    assert not missing, f"{cls.__name__} does not implement {', '.join(missing)}"


def test_ipv6_bindings_print_as_each_cli_prints_them() -> None:
    assert profile_for("20.10").join_host_port("::", "80") == ":::80"
    assert profile_for("28.5").join_host_port("::", "80") == "[::]:80"
    assert profile_for("28.5").join_host_port("0.0.0.0", "80") == "0.0.0.0:80"


def _is_engine_version(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "version":
        return ast.unparse(node.value).endswith("profile")
    return isinstance(node, ast.Name) and node.id in ("version", "engine")


def version_checks(source: str) -> list[int]:
    """Return the lines of ``source`` that ask which engine this is instead of asking a profile.

    Flags an engine name as a string literal, a comparison with a profile's
    ``.version`` or a variable called ``version`` or ``engine`` (an IP
    address's ``.version`` is fine), and a profile class named directly.
    """
    names = set(engine_names())
    classes = {cls.__name__ for cls in PROFILES.values()}
    lines: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in names:
            lines.append(node.lineno)
        elif isinstance(node, ast.Compare):
            if any(_is_engine_version(o) for o in (node.left, *node.comparators)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id in classes:
            lines.append(node.lineno)
        elif isinstance(node, ast.alias) and node.name in classes:
            lines.append(node.lineno)
    return sorted(set(lines))


def test_version_checks_finds_each_kind_of_check() -> None:
    source = (
        'if self.profile.version == "20.10":\n'
        "    pass\n"
        "modern = version != OTHER\n"
        'word = "Cannot" if engine in ("28.5",) else "cannot"\n'
        "from netsim.docker.engines.classic import ClassicProfile\n"
        "if host_ip.version == 4 or family != address.version:\n"
        "    print(profile.version)\n"
        "if daemon.profile.version in NAMES:\n"
        "    pass\n"
    )
    assert version_checks(source) == [1, 3, 4, 5, 8]


@pytest.mark.parametrize("path", CONTROL_PLANE, ids=lambda p: str(p.relative_to(NETSIM)))
def test_control_plane_asks_the_profile_not_the_version(path: Path) -> None:
    lines = version_checks(path.read_text(encoding="utf-8"))
    assert not lines, (
        f"{path.relative_to(NETSIM.parent)} checks the engine version on lines "
        f"{lines}: ask an EngineProfile attribute or method instead"
    )
