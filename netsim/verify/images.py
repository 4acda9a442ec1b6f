"""Make the images a scenario uses, without a registry: stand-in root filesystems.

Each image is one of two root filesystems (netsim/docker/toolsets.py says
which image gets which, and where the facts come from): busybox-static with
a link per applet, as the busybox image has, for busybox, alpine and the
images a scenario declares; and, for the Debian-based catalog images
(mysql, nginx, ubuntu...), the files of debian:bookworm-slim's packages
copied from this Debian 12 host (``dpkg -L``), so bash, dash and coreutils
are the real ones and ``ip``, ``ping`` or ``iptables`` are missing as they
are in the official images. Each is imported with ``docker import`` and the
catalog's configuration (EXPOSE, ENTRYPOINT, CMD and ``Env`` PATH), so that
``docker inspect``, ``docker ps`` and ``docker run`` without a command see what
they would see with the official images. Each catalog service (``mysqld``,
``docker-entrypoint.sh``, ``catalina.sh``...) is a tiny script that stays up
until it is stopped and exits 0 on SIGTERM, as the real servers do; the
harness serves the image's ports from outside (agent.py).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
from collections.abc import Iterable
from pathlib import Path

from netsim.docker.images import CATALOG, IMAGE_PATH_ENV, image_repository, image_toolset
from netsim.docker.imagestore import scenario_image_references
from netsim.docker.toolsets import DEBIAN_ALTERNATIVES, DEBIAN_PACKAGES, PACKAGE_ALTERNATIVES
from netsim.scenario.spec import ImageSpec, Scenario

BUSYBOX = Path("/bin/busybox")
SERVICE_SCRIPT = b"""#!/bin/sh
# netsim stand-in for an image's service: stay up until stopped, exit 0 on SIGTERM.
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
"""
# Shells the images run that need no stand-in script: busybox has ash as sh,
# the Debian root filesystem has bash and dash.
SHELL_ALIASES = frozenset({"sh", "bash"})
# Package files a container never reads; leaving them out keeps the image small.
DEBIAN_SKIPPED = (
    "/usr/share/doc/",
    "/usr/share/man/",
    "/usr/share/info/",
    "/usr/share/locale/",
    "/usr/share/lintian/",
    "/usr/share/zoneinfo/",
)
DEFAULT_DECLARED_ENTRYPOINT = ("docker-entrypoint.sh",)
DEFAULT_DECLARED_COMMAND = ("serve",)


def image_config(image: ImageSpec) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Return the (entrypoint, command) an image runs, with the declared images' defaults."""
    if image in CATALOG:
        return image.entrypoint, image.command
    if image.entrypoint is None and image.command is None:
        return DEFAULT_DECLARED_ENTRYPOINT, DEFAULT_DECLARED_COMMAND
    return image.entrypoint, image.command


def image_references(scenario: Scenario) -> dict[str, ImageSpec]:
    """Return every image reference the scenario's docker run/create steps name, with its spec.

    The simulator's image store starts with exactly these (``scenario_image_references``).
    """
    return scenario_image_references(scenario)


def _add(
    tar: tarfile.TarFile,
    name: str,
    *,
    data: bytes | None = None,
    mode: int = 0o755,
    link: str | None = None,
    directory: bool = False,
) -> None:
    """Add one file, symlink or directory owned by root to ``tar``."""
    info = tarfile.TarInfo(name)
    info.mode = mode
    info.mtime = 0
    if directory:
        info.type = tarfile.DIRTYPE
        tar.addfile(info)
    elif link is not None:
        info.type = tarfile.SYMTYPE
        info.linkname = link
        tar.addfile(info)
    else:
        payload = data or b""
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))


def _service_paths(images: Iterable[ImageSpec], applets: set[str]) -> set[str]:
    """Return the paths of the stand-in executables the images' entrypoints and commands need."""
    paths: set[str] = set()
    for image in images:
        for part in image_config(image):
            if not part:
                continue
            name = part[0]
            base = name.rsplit("/", 1)[-1]
            if base in applets or base in SHELL_ALIASES:
                continue
            paths.add(name.lstrip("/") if name.startswith("/") else f"usr/local/bin/{name}")
    return paths


def build_rootfs(destination: Path, images: Iterable[ImageSpec]) -> Path:
    """Write the images' root filesystem as a tar file at ``destination`` and return it."""
    listing = subprocess.run(
        [str(BUSYBOX), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    applets = set(listing)
    with tarfile.open(destination, "w") as tar:
        for directory in (
            "bin",
            "dev",
            "etc",
            "proc",
            "root",
            "sys",
            "tmp",
            "usr",
            "usr/bin",
            "usr/local",
            "usr/local/bin",
            "usr/sbin",
            "sbin",
            "var",
        ):
            _add(tar, directory, directory=True, mode=0o1777 if directory == "tmp" else 0o755)
        _add(tar, "bin/busybox", data=BUSYBOX.read_bytes())
        for applet in sorted(applets - {"busybox"}):
            _add(tar, f"bin/{applet}", link="busybox")
        for path in sorted(_service_paths(images, applets)):
            _add(tar, path, data=SERVICE_SCRIPT)
        _add(tar, "etc/passwd", data=b"root:x:0:0:root:/root:/bin/sh\n", mode=0o644)
        _add(tar, "etc/group", data=b"root:x:0:\n", mode=0o644)
        for empty in ("etc/hosts", "etc/resolv.conf", "etc/hostname"):
            _add(tar, empty, data=b"", mode=0o644)
    return destination


def is_debian(image: ImageSpec) -> bool:
    """Return whether IMAGE gets the Debian root filesystem (else the busybox one)."""
    return not image_toolset(image).busybox


def _installed(package: str) -> bool:
    """Return whether PACKAGE is installed on this host."""
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return done.returncode == 0 and done.stdout.endswith(" installed")


def package_closure(packages: Iterable[str]) -> tuple[str, ...]:
    """Return PACKAGES and the dependencies apt installs with them beyond the base, sorted.

    Reads Pre-Depends and Depends as this host's dpkg has them; of
    alternatives (``a | b``) the first installed one counts, as apt would
    keep it.
    """
    seen = set(DEBIAN_PACKAGES)
    todo = list(packages)
    added: set[str] = set()
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        added.add(package)
        fields = subprocess.run(
            ["dpkg-query", "-W", "-f=${Pre-Depends},${Depends}", package],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for group in filter(None, (g.strip() for g in fields.split(","))):
            choices = [re.split(r"[ (:]", c.strip())[0] for c in group.split("|")]
            todo.append(next((c for c in choices if _installed(c)), choices[0]))
    return tuple(sorted(added))


def _debian_paths(packages: tuple[str, ...] = ()) -> list[str]:
    """Return the paths of debian:bookworm-slim's package files on this host, sorted.

    PACKAGES (and what they depend on) are installed on top, as apt-get would.
    """
    listing = subprocess.run(
        ["dpkg", "-L", *DEBIAN_PACKAGES, *package_closure(packages)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return sorted(
        {p for p in listing if p.startswith("/") and p != "/." and not p.startswith(DEBIAN_SKIPPED)}
    )


def build_debian_rootfs(
    destination: Path, images: Iterable[ImageSpec], packages: tuple[str, ...] = ()
) -> Path:
    """Write the Debian-based images' root filesystem as a tar file at ``destination``.

    /bin, /sbin and /lib are links into /usr, as in bookworm (usr-is-merged).
    PACKAGES (a declared image's ``packages:``) are copied in with their
    dependencies, so the container runs this host's real programs.
    """
    own = {"etc/passwd", "etc/group", "etc/hosts", "etc/resolv.conf", "etc/hostname"}
    added: set[str] = {"bin", "sbin", "lib", "lib64", "tmp", *own}
    with tarfile.open(destination, "w") as tar:
        for directory in ("dev", "proc", "sys", "tmp", "root", "run", "var", "etc", "usr"):
            added.add(directory)
            _add(tar, directory, directory=True, mode=0o1777 if directory == "tmp" else 0o755)
        for merged in ("bin", "sbin", "lib", "lib64"):
            _add(tar, merged, link=f"usr/{merged}")
        for path in _debian_paths(packages):
            source = Path(path)
            name = str(source.resolve().relative_to("/")) if source.is_dir() else None
            if name is not None:
                # Directories: add the real one (a merged /bin is /usr/bin).
                if name not in added:
                    added.add(name)
                    _add(tar, name, directory=True)
                continue
            parent = str(source.parent.resolve().relative_to("/"))
            name = f"{parent}/{source.name}"
            if name in added or not (source.is_symlink() or source.is_file()):
                continue
            added.add(name)
            if source.is_symlink():
                _add(tar, name, link=str(source.readlink()))
            else:
                _add(tar, name, data=source.read_bytes(), mode=source.stat().st_mode & 0o7777)
        for link, target in DEBIAN_ALTERNATIVES.items():
            if f"usr/bin/{link}" not in added:
                _add(tar, f"usr/bin/{link}", link=target)
        for package in packages:
            for path, target in PACKAGE_ALTERNATIVES.get(package, {}).items():
                if path.lstrip("/") not in added:
                    added.add(path.lstrip("/"))
                    _add(tar, path.lstrip("/"), link=target)
        for path in sorted(_service_paths(images, set())):
            if path not in added and path.rsplit("/", 1)[-1] not in ("bash", "sh"):
                added.add(path)
                _add(tar, path, data=SERVICE_SCRIPT)
        # base-passwd and base-files write these from their maintainer scripts.
        _add(tar, "etc/passwd", data=b"root:x:0:0:root:/root:/bin/bash\n", mode=0o644)
        _add(tar, "etc/group", data=b"root:x:0:\n", mode=0o644)
        for empty in ("etc/hosts", "etc/resolv.conf", "etc/hostname"):
            _add(tar, empty, data=b"", mode=0o644)
    return destination


def import_changes(image: ImageSpec) -> list[str]:
    """Return the ``docker import -c`` options that give ``image`` its configuration."""
    entrypoint, command = image_config(image)
    changes = [f"ENV {IMAGE_PATH_ENV}"]
    changes += [f"EXPOSE {port}" for port in image.expose]
    if entrypoint is not None:
        changes.append(f"ENTRYPOINT {json.dumps(list(entrypoint))}")
    if command is not None:
        changes.append(f"CMD {json.dumps(list(command))}")
    return changes


def import_argv(image: ImageSpec, rootfs: Path, reference: str) -> list[str]:
    """Return the ``docker import`` command line that makes ``reference``."""
    argv = ["docker", "import"]
    for change in import_changes(image):
        argv += ["-c", change]
    return [*argv, str(rootfs), reference]


__all__ = [
    "build_debian_rootfs",
    "build_rootfs",
    "image_config",
    "image_references",
    "image_repository",
    "import_argv",
    "import_changes",
    "package_closure",
]
