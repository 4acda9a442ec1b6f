"""--cap-add, --cap-drop and --privileged: what the CLI sends and what the container may do."""

from __future__ import annotations

import pytest

from netsim.docker.client import capabilities_sent
from netsim.docker.model import Container
from netsim.scenario.spec import ImageSpec


def _container(
    cap_add: tuple[str, ...] | None = None,
    cap_drop: tuple[str, ...] | None = None,
    privileged: bool = False,
) -> Container:
    return Container(
        id="0" * 64,
        name="c",
        image_ref="x",
        image=ImageSpec("x"),
        created="",
        path="sh",
        args=(),
        entrypoint=None,
        cmd=None,
        env=[],
        hostname="c",
        exposed=[],
        publish=[],
        publish_all=False,
        network_mode="default",
        networks={},
        links=[],
        auto_remove=False,
        listens=(),
        cap_add=cap_add,
        cap_drop=cap_drop,
        privileged=privileged,
    )


@pytest.mark.parametrize(
    ("given", "normalize", "expected"),
    [
        ([], True, None),
        (["NET_ADMIN"], False, ("NET_ADMIN",)),
        (["net_raw", "ALL"], False, ("net_raw", "ALL")),
        (["NET_ADMIN"], True, ("CAP_NET_ADMIN",)),
        (["all", "net_raw", "CAP_KILL"], True, ("ALL", "CAP_NET_RAW", "CAP_KILL")),
    ],
)
def test_the_cli_sends_the_capabilities_typed_or_normalized(
    given: list[str], normalize: bool, expected: object
) -> None:
    assert capabilities_sent(given, normalize) == expected


@pytest.mark.parametrize(
    ("container", "net_admin", "net_raw"),
    [
        (_container(), False, True),
        (_container(cap_add=("NET_ADMIN",)), True, True),
        (_container(cap_add=("CAP_NET_ADMIN",)), True, True),
        (_container(cap_add=("ALL",), cap_drop=("NET_RAW",)), True, False),
        (_container(cap_drop=("ALL",)), False, False),
        (_container(privileged=True, cap_drop=("ALL",)), True, True),
    ],
)
def test_has_capability_follows_dockers_default_set(
    container: Container, net_admin: bool, net_raw: bool
) -> None:
    assert container.has_capability("NET_ADMIN") is net_admin
    assert container.has_capability("NET_RAW") is net_raw
