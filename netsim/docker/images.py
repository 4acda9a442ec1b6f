"""The built-in image catalog (scenario-format.md) and image lookup."""

from __future__ import annotations

from netsim.docker.toolsets import DEBIAN_IMAGES, Toolset, toolset_for
from netsim.scenario.spec import ImageSpec, PortSpec

IMAGE_PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

_MYSQL_PORT = (PortSpec(3306),)


def _image(
    name: str,
    ports: tuple[PortSpec, ...],
    entrypoint: tuple[str, ...] | None,
    command: tuple[str, ...],
) -> ImageSpec:
    return ImageSpec(name=name, expose=ports, listen=ports, entrypoint=entrypoint, command=command)


CATALOG: tuple[ImageSpec, ...] = (
    _image("mysql", _MYSQL_PORT, ("docker-entrypoint.sh",), ("mysqld",)),
    _image("mariadb", _MYSQL_PORT, ("docker-entrypoint.sh",), ("mariadbd",)),
    _image("postgres", (PortSpec(5432),), ("docker-entrypoint.sh",), ("postgres",)),
    _image("redis", (PortSpec(6379),), ("docker-entrypoint.sh",), ("redis-server",)),
    _image("nginx", (PortSpec(80),), ("/docker-entrypoint.sh",), ("nginx", "-g", "daemon off;")),
    _image("httpd", (PortSpec(80),), None, ("httpd-foreground",)),
    _image("tomcat", (PortSpec(8080),), None, ("catalina.sh", "run")),
    _image("busybox", (), None, ("sh",)),
    _image("alpine", (), None, ("/bin/sh",)),
    _image("ubuntu", (), None, ("/bin/bash",)),
    _image("debian", (), None, ("bash",)),
    # The distribution registry (registry:2): the real replay serves Debian's
    # docker-registry 2.8 in the container's namespace (netsim/verify/replay.py).
    _image(
        "registry", (PortSpec(5000),), ("/entrypoint.sh",), ("/etc/docker/registry/config.yml",)
    ),
)


def image_repository(reference: str) -> str:
    """Return the repository part of an image reference (``mysql:5.6.35`` → ``mysql``).

    The tag is what follows the last ``:`` when no ``/`` follows it, so a
    registry port (``localhost:5000/app``) stays part of the repository. A
    digest (``@sha256:...``) is dropped too.
    """
    name = reference.split("@", 1)[0]
    head, sep, tail = name.rpartition(":")
    if sep and "/" not in tail:
        name = head
    return name


def find_image(reference: str, extra: tuple[ImageSpec, ...] = ()) -> ImageSpec | None:
    """Return the image a reference names: a scenario's own images first, then the catalog."""
    repository = image_repository(reference)
    for image in extra:
        if image.name == repository:
            return image
    for image in CATALOG:
        if image.name == repository:
            return image
    return None


# Images whose `bash` is GNU bash and `sh` is dash: the Debian- and
# Ubuntu-based official images (netsim/docker/toolsets.py says where each
# toolset's facts come from). busybox and alpine have ash and no bash.
IMAGES_WITH_BASH = DEBIAN_IMAGES


def image_toolset(image: ImageSpec) -> Toolset:
    """Return what IMAGE has on ``$PATH``: its toolset plus its own entrypoint and command."""
    # The command's first word is a program only when there is no entrypoint
    # (registry:2's command is its configuration file, given to /entrypoint.sh).
    first = image.entrypoint or image.command
    own = {first[0].rsplit("/", 1)[-1]} if first else set()
    # An image made from another (commit, build, import) has its file system.
    return toolset_for(image.base or image.name, frozenset(own), image.packages)


def image_programs(image: ImageSpec) -> frozenset[str]:
    """Return the program names an image has on ``$PATH``."""
    return image_toolset(image).programs


def has_program(image: ImageSpec, program: str) -> bool:
    """Return whether PROGRAM (a name or a path) can be started in a container of IMAGE."""
    return image_toolset(image).has(program)
