"""The daemon's local images: what ``docker images``, ``tag``, ``rmi``, ``commit`` see.

By default the host already has every image a scenario's ``docker run`` and
``docker create`` lines name, as the real-engine replay imports them before it
replays (``netsim/verify/images.py``): one image per reference, imported in
the order the scenario first names them, half a second apart. netsim's images
are those stand-ins (busybox 1.35 with a link per applet, or for the
Debian-based images debian:bookworm-slim's package files, and a script per
service), so their size, history and comment are the stand-ins' as both
engines print them: 1.98MB or 72.1MB, one layer, ``Imported from -``.

Image IDs come from the daemon's ID source when first shown, as container
IDs do, so a scenario that never looks at an image draws nothing and keeps
its container IDs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from netsim.docker.images import IMAGE_PATH_ENV, find_image, image_repository, image_toolset
from netsim.docker.registry import RegistryContents
from netsim.errors import DockerError
from netsim.scenario.spec import CommandStep, ImageSpec, Scenario
from netsim.scenario.words import split_words

# The stand-in root filesystems' sizes in bytes without service scripts, as
# both engines report them with the overlay2 driver (regular files' bytes
# plus each symbolic link's target length): busybox 1.35 with its links,
# /etc/passwd and /etc/group (1.98MB); for the Debian-based images, the files
# of debian:bookworm-slim's packages as Debian 12.11 installs them (72.1MB; it
# moves with the host's package versions). Each service script the
# scenario's images need (netsim/verify/images.py SERVICE_SCRIPT) adds its
# 156 bytes; one root filesystem of each kind serves all of a scenario's images.
STANDIN_SIZE_BYTES = 1_982_296 + 1_876
DEBIAN_STANDIN_SIZE_BYTES = 72_069_638 + 1_341
SERVICE_SCRIPT_BYTES = 156
# The real replay imports one image about every half second before step 0.
IMPORT_INTERVAL_SECONDS = 0.5
# Default configuration of an image declared under `images:` without its own.
DECLARED_ENTRYPOINT = ("docker-entrypoint.sh",)
DECLARED_COMMAND = ("serve",)

_TAG_RE = re.compile(r"[\w][\w.-]{0,127}")
_REPOSITORY_RE = re.compile(
    r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
)


def normalise_reference(reference: str) -> str:
    """Return ``REPOSITORY:TAG`` for a reference, with ``:latest`` when no tag is given.

    ``docker.io/library/`` and ``docker.io/`` prefixes go, as the CLI shows them.
    """
    name = reference
    for prefix in ("docker.io/library/", "docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if "@" in name:
        return name
    if image_repository(name) == name:
        name += ":latest"
    return name


def check_reference(reference: str, *, names_repository: bool) -> None:
    """Refuse a reference the daemon cannot parse, with Docker's wording.

    ``names_repository``: the message names the repository, ``library/`` and
    all, as 28.5 does; 20.10 does not.

    Raises:
        DockerError: an upper-case repository or a malformed name or tag.
    """
    repository = image_repository(reference)
    tag = reference[len(repository) + 1 :] if len(reference) > len(repository) else ""
    if repository != repository.lower() and _REPOSITORY_RE.fullmatch(repository.lower()):
        familiar = repository if "/" in repository else f"library/{repository}"
        named = f" ({familiar})" if names_repository else ""
        raise DockerError(
            f"invalid reference format: repository name{named} must be lowercase", status=400
        )
    if not _REPOSITORY_RE.fullmatch(repository) or (tag and not _TAG_RE.fullmatch(tag)):
        raise DockerError("invalid reference format", status=400)


def image_config(
    spec: ImageSpec, catalog: Iterable[ImageSpec]
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Return the (entrypoint, cmd) an image runs, with the declared images' defaults."""
    if spec in tuple(catalog) or spec.entrypoint is not None or spec.command is not None:
        return spec.entrypoint, spec.command
    return DECLARED_ENTRYPOINT, DECLARED_COMMAND


class ImageNotLocal(DockerError):
    """``docker run``/``create`` names an image the host does not have (the CLI then pulls)."""

    def __init__(self, reference: str) -> None:
        self.reference = normalise_reference(reference)
        super().__init__(f"Unable to find image '{self.reference}' locally", status=404)


@dataclass(frozen=True, slots=True)
class ImageConfig:
    """What a commit or a build step sets in the image it makes."""

    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None
    env: tuple[str, ...]
    exposed: tuple[str, ...]
    labels: dict[str, str]
    created_by: str
    """The history line (``docker history``'s CREATED BY)."""


@dataclass(slots=True)
class Image:
    """One local image: its tags, configuration and where it came from."""

    key: str
    """What the daemon's ID source is asked with (the catalog name, or a commit's own)."""
    spec: ImageSpec
    tags: list[str]
    created: float
    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None
    env: tuple[str, ...] = (IMAGE_PATH_ENV,)
    exposed: tuple[str, ...] = ()
    layer_size_bytes: int = STANDIN_SIZE_BYTES
    comment: str = "Imported from -"
    created_by: str = ""
    author: str = ""
    parent: Image | None = None
    container_id: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    digests: list[str] = field(default_factory=list)
    """``REPOSITORY@sha256:...`` references from a push or pull (RepoDigests)."""

    def digest_of(self, repository: str) -> str | None:
        """Return the ``sha256:...`` digest this image has in REPOSITORY, if pushed or pulled."""
        for reference in self.digests:
            name, _, digest = reference.partition("@")
            if name == repository:
                return digest
        return None

    @property
    def size_bytes(self) -> int:
        """Return the image's whole size: its layers and its parents'."""
        own = self.layer_size_bytes
        return own + (self.parent.size_bytes if self.parent is not None else 0)

    def history(self) -> list[Image]:
        """Return the image and its parents, newest first, as ``docker history`` lists them."""
        chain: list[Image] = []
        image: Image | None = self
        while image is not None:
            chain.append(image)
            image = image.parent
        return chain


@dataclass(slots=True)
class ImageStore:
    """The images of one daemon, and which image each container was created from."""

    new_id: Callable[[str], str]
    images: list[Image] = field(default_factory=list)
    container_images: dict[str, Image] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    archived: dict[str, Image] = field(default_factory=dict)
    """Images written by ``docker save``, by key, as they were then (for ``docker load``)."""
    complete: bool = False
    """The store lists every local image (the scenario said which under local-images)."""
    registries: dict[str, RegistryContents] = field(default_factory=dict)
    """What each registry container holds, by container ID (its volume)."""

    def registry_of(self, container_id: str) -> RegistryContents:
        """Return what the registry container CONTAINER_ID holds (empty at first)."""
        return self.registries.setdefault(container_id, RegistryContents())

    def manifest_digest(self, image: Image) -> str:
        """Return the ``sha256:...`` digest of IMAGE's manifest in a registry."""
        return "sha256:" + self.new_id(f"manifest:{image.key}")

    def image_id(self, image: Image) -> str:
        """Return an image's 64-hex ID."""
        return self.new_id(image.key)

    def add(self, image: Image) -> Image:
        """Add an image, taking its tags from any image that had them."""
        for tag in image.tags:
            self._untag_everywhere(tag)
            self.removed.discard(tag)
        self.images.append(image)
        return image

    def derive(
        self,
        parent: Image,
        spec: ImageSpec,
        how: str,
        container_id: str,
        created: float,
        config: ImageConfig,
        *,
        tags: Iterable[str] = (),
        comment: str = "",
        author: str = "",
    ) -> Image:
        """Add and return the image ``docker commit`` or a build step (HOW) makes of a container.

        It has an empty layer of its own on PARENT, SPEC's file system (so its
        programs) and CONFIG; nothing of a registry (no RepoDigests).
        """
        key = f"{how}:{len(self.images)}:{container_id}"
        return self.add(
            Image(
                key=key,
                spec=replace(
                    spec,
                    name=key,
                    entrypoint=config.entrypoint,
                    command=config.cmd,
                    base=spec.base or spec.name,
                ),
                tags=list(tags),
                created=created,
                entrypoint=config.entrypoint,
                cmd=config.cmd,
                env=config.env,
                exposed=config.exposed,
                layer_size_bytes=0,
                comment=comment,
                created_by=config.created_by,
                author=author,
                parent=parent,
                container_id=container_id,
                labels=dict(config.labels),
            )
        )

    def _untag_everywhere(self, tag: str) -> None:
        for other in self.images:
            if tag in other.tags:
                other.tags.remove(tag)

    def find(self, reference: str) -> Image | None:
        """Return the image a tag, ``sha256:ID`` or ID prefix names, or None.

        Raises:
            DockerError: an ID prefix shared by several images.
        """
        name = normalise_reference(reference)
        for image in self.images:
            if name in image.tags:
                return image
        text = reference.removeprefix("sha256:")
        if not re.fullmatch(r"[0-9a-f]{1,64}", text):
            return None
        matches = [image for image in self.images if self.image_id(image).startswith(text)]
        if len(matches) > 1:
            raise DockerError(f"multiple IDs found with provided prefix: {text}", status=409)
        return matches[0] if matches else None

    def tag(self, image: Image, reference: str) -> None:
        """Give IMAGE the tag REFERENCE, moving it from any image that had it."""
        name = normalise_reference(reference)
        if name in image.tags:
            return
        self._untag_everywhere(name)
        self.removed.discard(name)
        image.tags.append(name)

    def note_container(self, container_id: str, reference: str) -> None:
        """Remember which image a new container was created from."""
        image = self.find(reference)
        if image is not None:
            self.container_images[container_id] = image

    def forget_container(self, container_id: str) -> None:
        """Forget a removed container (and, for a registry, its volume's contents)."""
        self.container_images.pop(container_id, None)
        self.registries.pop(container_id, None)

    def users(self, image: Image) -> list[str]:
        """Return the IDs of the containers created from IMAGE, oldest first."""
        return [cid for cid, used in self.container_images.items() if used is image]

    def children(self, image: Image) -> list[Image]:
        """Return the images whose parent is IMAGE."""
        return [other for other in self.images if other.parent is image]

    def untag(self, image: Image, tag: str) -> list[str]:
        """Take TAG off IMAGE; the tag no longer names a local image.

        Returns the references untagged: TAG, then the repository's digest
        reference once no tag of that repository is left (both engines).
        """
        image.tags.remove(tag)
        self.removed.add(tag)
        repository = image_repository(tag)
        if any(image_repository(other) == repository for other in image.tags):
            return [tag]
        gone = [d for d in image.digests if d.partition("@")[0] == repository]
        for digest in gone:
            image.digests.remove(digest)
        return [tag, *gone]

    def remove(self, image: Image) -> None:
        """Delete an image from the store."""
        self.images.remove(image)

    def was_removed(self, reference: str) -> bool:
        """Return whether REFERENCE is known not to be local (removed, or never listed)."""
        return self.complete or normalise_reference(reference) in self.removed

    def listing(self) -> list[Image]:
        """Return the images newest first, as ``docker images`` orders them."""
        return sorted(self.images, key=lambda image: -image.created)


def scenario_image_references(scenario: Scenario) -> dict[str, ImageSpec]:
    """Return every image reference the scenario's host ``docker run``/``create`` lines name.

    In the order first named, each with its spec; a reference without a tag
    is the ``:latest`` one, as the CLI makes it. These are the images the
    host has before step 0 (the real replay imports exactly these), unless
    the scenario lists them itself under ``local-images:``.
    """
    from netsim.docker.commandline import run_image

    found: dict[str, ImageSpec] = {}
    if scenario.local_images is not None:
        # The scenario says which images the host has (scenario-format.md, local-images).
        for local in scenario.local_images:
            spec = find_image(local, scenario.images)
            if spec is not None:
                found[normalise_reference(local)] = spec
        return found
    for step in scenario.steps:
        if not isinstance(step, CommandStep) or step.on != "host":
            continue
        try:
            argv = split_words(step.command)
        except ValueError:
            continue
        reference = run_image(argv)
        if reference is None:
            continue
        spec = find_image(reference, scenario.images)
        if spec is None:
            continue
        if ":" not in reference.rsplit("/", 1)[-1] and "@" not in reference:
            reference += ":latest"
        found[reference] = spec
    for service in (s for c in scenario.compose for s in c.services):
        # Compose asks for the image as written, ``:latest`` when untagged.
        spec = find_image(service.image, scenario.images)
        reference = service.image
        if spec is None:
            continue
        if ":" not in reference.rsplit("/", 1)[-1] and "@" not in reference:
            reference += ":latest"
        found.setdefault(reference, spec)
    return found


def preload(
    store: ImageStore,
    references: dict[str, ImageSpec],
    catalog: Iterable[ImageSpec],
    *,
    start: float = 0.0,
) -> None:
    """Put the scenario's images in the store, imported before step 0 in the given order."""
    catalog = tuple(catalog)
    count = len(references)
    scripts: dict[bool, set[str]] = {True: set(), False: set()}
    for spec in references.values():
        busybox = image_toolset(spec).busybox
        for words in image_config(spec, catalog):
            if words and not _standin_has(words[0], busybox):
                scripts[busybox].add(words[0])
    sizes = {
        True: STANDIN_SIZE_BYTES + SERVICE_SCRIPT_BYTES * len(scripts[True]),
        False: DEBIAN_STANDIN_SIZE_BYTES + SERVICE_SCRIPT_BYTES * len(scripts[False]),
    }
    for position, (reference, spec) in enumerate(references.items()):
        size = sizes[image_toolset(spec).busybox]
        entrypoint, cmd = image_config(spec, catalog)
        created = start - (count - position) * IMPORT_INTERVAL_SECONDS
        store.add(
            Image(
                key=spec.name,
                spec=spec,
                tags=[normalise_reference(reference)],
                created=created,
                entrypoint=entrypoint,
                cmd=cmd,
                exposed=tuple(str(port) for port in spec.expose),
                layer_size_bytes=size,
            )
        )


def _standin_has(program: str, busybox: bool) -> bool:
    """Return whether a stand-in root filesystem has PROGRAM without a service script."""
    from netsim.docker.busybox import BUSYBOX_APPLETS

    name = program.rsplit("/", 1)[-1]
    return name in BUSYBOX_APPLETS if busybox else name in ("sh", "bash")


__all__ = [
    "Image",
    "ImageNotLocal",
    "ImageStore",
    "check_reference",
    "image_config",
    "normalise_reference",
    "preload",
    "scenario_image_references",
]
