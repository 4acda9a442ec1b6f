"""What ``docker image inspect`` prints, in each engine's layout (checked on 20.10.24 and 28.5.2).

20.10 writes the API's full ``container.Config`` twice (``ContainerConfig`` and
``Config``), ``Container`` and ``VirtualSize``; 28.5 writes the OCI image
config fields only, after ``Metadata``. The root filesystem is the stand-ins'
one layer.
"""

from __future__ import annotations

from typing import Any

from netsim.docker import storage
from netsim.docker.daemon import Daemon, _timestamp
from netsim.docker.imagestore import Image
from netsim.gotemplate import NIL_MAP, NIL_SLICE, GoMap, GoStruct

# The stand-in root filesystem's layer (the same tar on every replay).
STANDIN_LAYER = "sha256:aed84e217e332d86a6fb3e80340dbbd3e5dbcad3845193e07a8f73df7254d01d"


def _exposed(image: Image) -> GoMap:
    exposed = GoMap()
    for port in image.exposed:
        exposed[port] = {}
    return exposed


def _labels(image: Image, *, committed_empty: bool) -> object:
    if image.labels:
        return GoMap(image.labels, zero="")
    return GoMap(zero="") if committed_empty and image.container_id else None


def _full_config(daemon: Daemon, image: Image, *, container: bool) -> GoStruct:
    """Return 20.10's container.Config of an image (empty for an imported one's ContainerConfig)."""
    committed = bool(image.container_id)
    hostname = image.container_id[:12] if committed else ""
    fields: dict[str, object] = {
        "Hostname": hostname,
        "Domainname": "",
        "User": "",
        "AttachStdin": False,
        "AttachStdout": committed,
        "AttachStderr": committed,
    }
    if image.exposed and (committed or not container):
        fields["ExposedPorts"] = _exposed(image)
    fields.update(
        {
            "Tty": False,
            "OpenStdin": False,
            "StdinOnce": False,
            "Env": list(image.env) if (committed or not container) else None,
            "Cmd": list(image.cmd)
            if image.cmd is not None and (committed or not container)
            else None,
            "Image": _parent_reference(image) if committed else "",
            "Volumes": None,
            "WorkingDir": "",
            "Entrypoint": (
                list(image.entrypoint)
                if image.entrypoint is not None and (committed or not container)
                else None
            ),
            "OnBuild": None,
            "Labels": _labels(image, committed_empty=True),
        }
    )
    return GoStruct(fields, type_name="container.Config")


def _parent_reference(image: Image) -> str:
    parent = image.parent
    if parent is None or not parent.tags:
        return ""
    tag = parent.tags[0]
    return tag.removesuffix(":latest")


def _oci_config(image: Image) -> GoStruct:
    """Return 28.5's image config (the OCI fields, alphabetical as the API writes them)."""
    fields: dict[str, object] = {
        "Cmd": list(image.cmd) if image.cmd is not None else NIL_SLICE,
        "Entrypoint": list(image.entrypoint) if image.entrypoint is not None else NIL_SLICE,
        "Env": list(image.env),
    }
    if image.exposed:
        fields["ExposedPorts"] = _exposed(image)
    fields.update(
        {
            "Labels": GoMap(image.labels, zero="") if image.labels else NIL_MAP,
            "OnBuild": None,
            "User": "",
            "Volumes": None,
            "WorkingDir": "",
        }
    )
    return GoStruct(fields, type_name="image.Config")


def image_inspect(daemon: Daemon, image: Image) -> Any:
    """Return the inspect value of an image as this engine's API writes it."""
    store = daemon.image_store
    parent = "sha256:" + store.image_id(image.parent) if image.parent is not None else ""
    head: dict[str, object] = {
        "Id": "sha256:" + store.image_id(image),
        "RepoTags": list(image.tags),
        "RepoDigests": list(image.digests),
        "Parent": parent,
        "Comment": image.comment,
        "Created": _timestamp(image.created),
    }
    tail: dict[str, object] = {
        "GraphDriver": {"Data": storage.image_data(image.spec), "Name": storage.DRIVER},
        # A commit or build step that changed no file adds an empty layer, which
        # both engines leave out of RootFS (scenarios/commit-layers): every image
        # here has the stand-in's one layer.
        "RootFS": {"Type": "layers", "Layers": [STANDIN_LAYER]},
        "Metadata": {"LastTagTime": _timestamp(image.created)},
    }
    if daemon.profile.image_inspect_container_config:
        fields = {
            **head,
            "Container": image.container_id,
            "ContainerConfig": _full_config(daemon, image, container=True),
            "DockerVersion": daemon.profile.docker_version,
            "Author": image.author,
            "Config": _full_config(daemon, image, container=False),
            "Architecture": "amd64",
            "Os": "linux",
            "Size": image.size_bytes,
            "VirtualSize": image.size_bytes,
            **tail,
        }
    else:
        fields = {
            **head,
            # 28.5 records no container; templates see "", the JSON leaves it out.
            "Container": "",
            "DockerVersion": daemon.profile.docker_version,
            "Author": image.author,
            "Architecture": "amd64",
            "Os": "linux",
            "Size": image.size_bytes,
            **tail,
            "Config": _oci_config(image),
        }
    omitted = frozenset() if daemon.profile.image_inspect_container_config else {"Container"}
    return GoStruct(fields, type_name="image.InspectResponse", omitempty=frozenset(omitted))
