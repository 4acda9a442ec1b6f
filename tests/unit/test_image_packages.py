"""Declared images with ``packages:``: loading, their toolset, and the harness's root filesystem."""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from netsim.docker.images import image_toolset
from netsim.docker.toolsets import PACKAGE_ALTERNATIVES, PACKAGE_PROGRAMS, PATH_DIRECTORIES
from netsim.errors import ScenarioError
from netsim.scenario.spec import INSTALLABLE_PACKAGES, ImageSpec
from netsim.session import load_scenario_text


def _load(packages: str) -> tuple[ImageSpec, ...]:
    text = f"name: n\nimages:\n  netbox: {{packages: {packages}}}\nsteps: [ls]\n"
    return load_scenario_text(text, "t.yaml").images


def test_packages_are_read_in_order() -> None:
    assert _load("[iptables, iproute2]") == (
        ImageSpec(
            "netbox",
            entrypoint=("docker-entrypoint.sh",),
            command=("serve",),
            packages=("iptables", "iproute2"),
        ),
    )


@pytest.mark.parametrize(
    ("value", "key", "fragment"),
    [
        (
            "[iptable]",
            "images.netbox.packages[0]",
            'unknown package "iptable"; did you mean "iptables"?',
        ),
        (
            "[curl]",
            "images.netbox.packages[0]",
            'unknown package "curl"; expected one of: iproute2, iptables',
        ),
        ("[iptables, iptables]", "images.netbox.packages[1]", 'package "iptables" is listed twice'),
        ("iptables", "images.netbox.packages", "expected a list of Debian packages"),
    ],
)
def test_bad_packages_are_load_errors_with_file_line_and_key(
    value: str, key: str, fragment: str
) -> None:
    with pytest.raises(
        ScenarioError, match=re.escape(f"t.yaml:3: {key}: ") + ".*" + re.escape(fragment)
    ):
        _load(value)


def test_the_installable_packages_are_the_toolsets() -> None:
    assert set(INSTALLABLE_PACKAGES) == set(PACKAGE_PROGRAMS)


def test_an_image_with_packages_is_debian_with_their_programs() -> None:
    toolset = image_toolset(ImageSpec("netbox", packages=("iptables", "iproute2")))
    assert not toolset.busybox
    for program in ("bash", "iptables", "iptables-save", "ip", "/usr/sbin/iptables", "ss"):
        assert toolset.has(program), program
    assert not toolset.has("ping")
    only_iproute2 = image_toolset(ImageSpec("netbox", packages=("iproute2",)))
    assert only_iproute2.has("ip") and not only_iproute2.has("iptables")
    # Without packages a declared image stays a busybox stand-in.
    assert image_toolset(ImageSpec("netbox")).busybox


def _installed(package: str) -> bool:
    done = subprocess.run(["dpkg", "-s", package], capture_output=True, text=True)
    return done.returncode == 0


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs a Debian host's dpkg")
@pytest.mark.parametrize("package", sorted(PACKAGE_PROGRAMS))
def test_package_programs_are_what_dpkg_lists_with_the_dependencies(package: str) -> None:
    from netsim.verify.images import package_closure

    if not _installed(package):
        pytest.skip(f"this host lacks {package}")
    listing = subprocess.run(
        ["dpkg", "-L", *package_closure((package,))], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    names = {p.rsplit("/", 1)[1] for p in listing if p.rsplit("/", 1)[0] in PATH_DIRECTORIES}
    links = {path.rsplit("/", 1)[1] for path in PACKAGE_ALTERNATIVES.get(package, {})}
    assert names | links == PACKAGE_PROGRAMS[package]


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs a Debian host's dpkg")
def test_the_harness_image_has_the_real_iptables_as_the_nft_variant(tmp_path: Path) -> None:
    from netsim.verify.images import build_debian_rootfs

    if not (_installed("iptables") and _installed("iproute2")):
        pytest.skip("this host lacks iptables or iproute2")
    image = ImageSpec("netbox", packages=("iptables", "iproute2"))
    tar_path = build_debian_rootfs(tmp_path / "rootfs.tar", [image], image.packages)
    with tarfile.open(tar_path) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["usr/sbin/iptables"].linkname == "/usr/sbin/iptables-nft"
    assert members["usr/sbin/iptables-nft"].issym()
    assert members["usr/sbin/xtables-nft-multi"].isfile()
    assert members["usr/bin/ip"].isfile()
    # A dependency apt would install with it: the library the nft variant needs.
    assert any(name.startswith("usr/lib/x86_64-linux-gnu/libnftnl.so") for name in members) or any(
        "libnftnl.so" in name for name in members
    )
