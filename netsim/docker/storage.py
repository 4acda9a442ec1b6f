"""Where the overlay2 storage driver keeps images and containers (``GraphDriver``).

A Docker host on ext4 or xfs stores images and containers with the overlay2
driver (both 20.10 and 28.5 pick it by default), and ``docker inspect`` shows
its directories under ``/var/lib/docker/overlay2``:

- an image's top layer has ``MergedDir``, ``UpperDir`` and ``WorkDir`` in a
  directory named by the layer's cache ID (a random 64-hex name the daemon
  gives the layer when it first stores it; images with the same layer share it);
- a container has its own mount ID: ``UpperDir``/``WorkDir``/``MergedDir``
  in that directory, and ``LowerDir`` the mount's ``-init`` layer (where
  Docker writes /etc/hosts and friends' mount points) then the image's layer.
  28.5 also puts the container's ID first (``ID``).

The names are random on a real engine; netsim derives them from what they
name, so they are stable and never shift the daemon's other random IDs.
"""

from __future__ import annotations

import hashlib

from netsim.docker.images import image_toolset
from netsim.gotemplate import GoMap
from netsim.scenario.spec import ImageSpec

DRIVER = "overlay2"
ROOT = "/var/lib/docker/overlay2"


def _name(*parts: str) -> str:
    return hashlib.sha256("\0".join(("overlay2", *parts)).encode()).hexdigest()


def layer_cache_id(image: ImageSpec) -> str:
    """Return the cache ID of an image's layer: one per stand-in root filesystem."""
    toolset = image_toolset(image)
    base = "busybox" if toolset.busybox else "debian"
    return _name("layer", base, *image.packages)


def mount_id(container_id: str) -> str:
    """Return the ID of a container's read-write layer."""
    return _name("mount", container_id)


def image_data(image: ImageSpec) -> GoMap:
    """Return ``GraphDriver.Data`` of an image (its one layer's directories)."""
    top = f"{ROOT}/{layer_cache_id(image)}"
    return GoMap(
        {"MergedDir": f"{top}/merged", "UpperDir": f"{top}/diff", "WorkDir": f"{top}/work"},
        zero="",
    )


def container_data(container_id: str, image: ImageSpec, *, with_id: bool) -> GoMap:
    """Return ``GraphDriver.Data`` of a container (28.5 adds its ``ID``)."""
    mount = f"{ROOT}/{mount_id(container_id)}"
    data = {"ID": container_id} if with_id else {}
    data.update(
        {
            "LowerDir": f"{mount}-init/diff:{ROOT}/{layer_cache_id(image)}/diff",
            "MergedDir": f"{mount}/merged",
            "UpperDir": f"{mount}/diff",
            "WorkDir": f"{mount}/work",
        }
    )
    return GoMap(data, zero="")
