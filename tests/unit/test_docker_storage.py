"""overlay2's directories in inspect: shared image layers, one mount per container."""

from __future__ import annotations

from netsim.docker import storage
from netsim.docker.images import find_image


def test_images_of_one_stand_in_share_a_layer_and_others_do_not() -> None:
    """nginx and redis (both Debian stand-ins) share a layer; busybox has its own."""
    nginx, redis, busybox = (find_image(name) for name in ("nginx", "redis", "busybox"))
    assert nginx is not None and redis is not None and busybox is not None
    assert storage.layer_cache_id(nginx) == storage.layer_cache_id(redis)
    assert storage.layer_cache_id(nginx) != storage.layer_cache_id(busybox)


def test_a_container_has_its_own_mount_over_its_image_layer() -> None:
    """LowerDir is the mount's -init layer, then the image's; 28.5 adds the ID first."""
    nginx = find_image("nginx")
    assert nginx is not None
    first = storage.container_data("a" * 64, nginx, with_id=False)
    second = storage.container_data("b" * 64, nginx, with_id=True)
    layer = f"/var/lib/docker/overlay2/{storage.layer_cache_id(nginx)}/diff"
    mount = storage.mount_id("a" * 64)
    assert dict(first) == {
        "LowerDir": f"/var/lib/docker/overlay2/{mount}-init/diff:{layer}",
        "MergedDir": f"/var/lib/docker/overlay2/{mount}/merged",
        "UpperDir": f"/var/lib/docker/overlay2/{mount}/diff",
        "WorkDir": f"/var/lib/docker/overlay2/{mount}/work",
    }
    assert list(second)[0] == "ID" and second["ID"] == "b" * 64
    assert second["UpperDir"] != first["UpperDir"]
    assert str(second["LowerDir"]).endswith(":" + layer)
