"""The built-in image catalog (scenario-format.md) and image lookup."""

from __future__ import annotations

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


# Images with a shell of their own beyond busybox's: the official images of
# these catalog names are Debian- or Ubuntu-based and ship bash (and the real
# replay gives every stand-in a `bash` that runs busybox sh). busybox and
# alpine have no bash.
IMAGES_WITH_BASH = frozenset(
    {"mysql", "mariadb", "postgres", "redis", "nginx", "httpd", "tomcat", "ubuntu", "debian"}
)


def image_programs(image: ImageSpec) -> frozenset[str]:
    """Return the program names an image has on ``$PATH`` (busybox applets and its service).

    Every image is netsim's busybox 1.35 stand-in (the applets of
    ``busybox.py``), as the real replay builds it, plus its own service and,
    for the Debian-based catalog images, ``bash``.
    """
    from netsim.docker.busybox import BUSYBOX_APPLETS

    own = {words[0].rsplit("/", 1)[-1] for words in (image.entrypoint, image.command) if words}
    if image.name in IMAGES_WITH_BASH:
        own.add("bash")
    return BUSYBOX_APPLETS | own


def has_program(image: ImageSpec, program: str) -> bool:
    """Return whether PROGRAM (a name or a path) can be started in a container of IMAGE."""
    from netsim.docker.busybox import BUSYBOX_APPLETS

    # The applets first: asked on every ``docker run``, without building the union.
    name = program.rsplit("/", 1)[-1]
    return name in BUSYBOX_APPLETS or name in image_programs(image)
