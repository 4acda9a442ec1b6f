"""Each catalog image's toolset: what exec finds in it, checked against its sources."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from netsim.docker.busybox import BUSYBOX_APPLETS
from netsim.docker.images import CATALOG, image_toolset
from netsim.docker.toolsets import (
    DEBIAN_ALTERNATIVES,
    DEBIAN_IMAGES,
    DEBIAN_PACKAGES,
    DEBIAN_PROGRAMS,
    IMAGE_PROGRAMS,
    PATH_DIRECTORIES,
)
from netsim.scenario.spec import ImageSpec

NETWORK_TOOLS = ("ip", "ping", "iptables", "nslookup", "nc", "ps")


def _image(name: str) -> ImageSpec:
    return next(spec for spec in CATALOG if spec.name == name)


@pytest.mark.parametrize("name", sorted(DEBIAN_IMAGES))
def test_a_debian_based_image_has_bash_and_coreutils_and_no_network_tools(name: str) -> None:
    toolset = image_toolset(_image(name))
    assert not toolset.busybox
    for program in ("bash", "sh", "dash", "cat", "env", "hostname", "grep", "/bin/bash"):
        assert toolset.has(program), program
    for program in NETWORK_TOOLS:
        assert not toolset.has(program), program


@pytest.mark.parametrize("name", ["busybox", "alpine"])
def test_busybox_and_alpine_have_the_applets_and_no_bash(name: str) -> None:
    toolset = image_toolset(_image(name))
    assert toolset.busybox
    for program in ("sh", "ip", "ping", "nslookup", "wget", "nc", "hostname"):
        assert toolset.has(program), program
    assert not toolset.has("bash")
    assert not toolset.has("iptables")


def test_service_images_have_their_own_programs_and_their_service() -> None:
    assert image_toolset(_image("nginx")).has("curl")
    assert image_toolset(_image("tomcat")).has("wget")
    assert not image_toolset(_image("debian")).has("curl")
    assert image_toolset(_image("redis")).has("redis-cli")
    # The program an image starts is always there: its entrypoint, else its command.
    for spec in CATALOG:
        first = spec.entrypoint or spec.command
        if first:
            assert image_toolset(spec).has(first[0]), spec.name
    assert set(IMAGE_PROGRAMS) <= DEBIAN_IMAGES | {"registry"}


def test_the_registry_image_is_alpine_with_the_registry_binary() -> None:
    toolset = image_toolset(_image("registry"))
    assert toolset.busybox
    assert toolset.has("/bin/registry") and toolset.has("/entrypoint.sh") and toolset.has("ip")
    # Its command is the configuration file that /entrypoint.sh is given.
    assert not toolset.has("config.yml")
    assert not toolset.has("bash")


def test_an_image_netsim_does_not_know_is_a_busybox_standin() -> None:
    toolset = image_toolset(ImageSpec(name="myapp"))
    assert toolset.busybox
    assert toolset.programs >= BUSYBOX_APPLETS


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs a Debian host's dpkg")
def test_the_debian_program_list_is_what_dpkg_lists_for_the_packages() -> None:
    done = subprocess.run(["dpkg", "-L", *DEBIAN_PACKAGES], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this host lacks a package of debian:bookworm-slim: {done.stderr.strip()}")
    names = {
        path.rsplit("/", 1)[1]
        for path in done.stdout.splitlines()
        if path.rsplit("/", 1)[0] in PATH_DIRECTORIES
    }
    assert names | set(DEBIAN_ALTERNATIVES) == DEBIAN_PROGRAMS


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs a Debian host's dpkg")
def test_the_harness_debian_image_has_exactly_the_toolsets_programs(tmp_path: object) -> None:
    import tarfile
    from pathlib import Path

    from netsim.verify.images import build_debian_rootfs

    assert isinstance(tmp_path, Path)
    done = subprocess.run(["dpkg", "-L", *DEBIAN_PACKAGES], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip("this host lacks a package of debian:bookworm-slim")
    nginx = _image("nginx")
    with tarfile.open(build_debian_rootfs(tmp_path / "rootfs.tar", [nginx])) as tar:
        members = {m.name: m for m in tar.getmembers()}
    # bookworm merges /bin into /usr/bin.
    assert members["bin"].issym() and members["bin"].linkname == "usr/bin"
    on_path = {
        name.rsplit("/", 1)[1]
        for name in members
        if name.rsplit("/", 1)[0] in ("usr/bin", "usr/sbin", "usr/local/bin")
    }
    # The stand-in services (the entrypoint is at /) are the only additions.
    assert on_path == DEBIAN_PROGRAMS | {"nginx"}
    assert "docker-entrypoint.sh" in members
