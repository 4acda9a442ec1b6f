"""The image store's values and rules, without a world."""

from __future__ import annotations

import pytest

from netsim.docker.busybox import BUSYBOX_APPLETS
from netsim.docker.imagecommands import human_size
from netsim.docker.images import CATALOG
from netsim.docker.imagestore import (
    DEBIAN_STANDIN_SIZE_BYTES,
    SERVICE_SCRIPT_BYTES,
    STANDIN_SIZE_BYTES,
    Image,
    ImageNotLocal,
    ImageStore,
    check_reference,
    normalise_reference,
    preload,
)
from netsim.errors import DockerError
from netsim.verify import images as verify_images


def _store() -> ImageStore:
    ids = {"a": "ab" * 32, "b": "ac" * 32, "c": "cd" * 32}
    return ImageStore(new_id=lambda key: ids[key])


def _image(key: str, *tags: str) -> Image:
    return Image(key=key, spec=CATALOG[0], tags=list(tags), created=0.0, entrypoint=None, cmd=None)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("nginx", "nginx:latest"),
        ("mysql:5.6.35", "mysql:5.6.35"),
        ("localhost:5000/web", "localhost:5000/web:latest"),
        ("localhost:5000/web:1", "localhost:5000/web:1"),
        ("docker.io/library/nginx", "nginx:latest"),
    ],
)
def test_a_reference_is_normalised_as_the_cli_shows_it(typed: str, normal: str) -> None:
    assert normalise_reference(typed) == normal


def test_an_upper_case_reference_is_refused_as_each_engine_words_it() -> None:
    with pytest.raises(DockerError, match=r"repository name \(library/BadName\) must be lowercase"):
        check_reference("BadName", names_repository=True)
    with pytest.raises(DockerError, match=r"^invalid reference format: repository name must be"):
        check_reference("BadName", names_repository=False)
    with pytest.raises(DockerError, match=r"^invalid reference format$"):
        check_reference("web:bad:tag", names_repository=True)
    check_reference("localhost:5000/web:v1", names_repository=True)


def test_find_takes_tags_full_ids_and_unique_prefixes() -> None:
    store = _store()
    a = store.add(_image("a", "nginx:latest"))
    b = store.add(_image("b", "web:v1"))
    assert store.find("nginx") is a
    assert store.find("sha256:" + "ab" * 32) is a
    assert store.find("ac") is b
    assert store.find("nosuch") is None
    with pytest.raises(DockerError, match="multiple IDs found with provided prefix: a"):
        store.find("a")


def test_a_tag_moves_to_the_image_that_takes_it_and_untagging_makes_it_not_local() -> None:
    store = _store()
    a = store.add(_image("a", "nginx:latest"))
    b = store.add(_image("b", "web:v1"))
    store.tag(b, "nginx")
    assert (a.tags, b.tags) == ([], ["web:v1", "nginx:latest"])
    store.untag(b, "web:v1")
    assert store.was_removed("web:v1")
    assert not store.was_removed("nginx")
    store.tag(a, "web:v1")
    assert not store.was_removed("web:v1")


def test_preload_imports_in_order_half_a_second_apart_with_the_standins_size() -> None:
    store = _store()
    nginx = next(spec for spec in CATALOG if spec.name == "nginx")
    busybox = next(spec for spec in CATALOG if spec.name == "busybox")
    preload(store, {"nginx:latest": nginx, "busybox:latest": busybox}, CATALOG)
    assert [(i.tags, i.created) for i in store.listing()] == [
        (["busybox:latest"], -0.5),
        (["nginx:latest"], -1.0),
    ]
    # nginx (the Debian stand-in) needs two service scripts (/docker-entrypoint.sh
    # and nginx); busybox none.
    assert store.images[0].size_bytes == DEBIAN_STANDIN_SIZE_BYTES + 2 * SERVICE_SCRIPT_BYTES
    assert store.images[1].size_bytes == STANDIN_SIZE_BYTES


def test_the_standin_facts_agree_with_the_real_replays_image_builder() -> None:
    assert len(verify_images.SERVICE_SCRIPT) == SERVICE_SCRIPT_BYTES
    nginx = next(spec for spec in CATALOG if spec.name == "nginx")
    assert len(verify_images._service_paths([nginx], set(BUSYBOX_APPLETS))) == 2


def test_image_not_local_names_the_normalised_reference() -> None:
    with pytest.raises(ImageNotLocal, match="Unable to find image 'busybox:latest' locally"):
        raise ImageNotLocal("busybox")


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0B"), (1_982_324, "1.98MB"), (303_000_000, "303MB"), (5_600, "5.6kB")],
)
def test_sizes_print_as_go_units_does(size: int, text: str) -> None:
    assert human_size(size) == text
