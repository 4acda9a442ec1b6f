"""Test data shared by the netsim.gotemplate tests: a docker-inspect-like container."""

from __future__ import annotations

from typing import Any

from netsim.gotemplate import NIL_SLICE, GoMap, render_template


def container() -> dict[str, Any]:
    """Return a small docker-inspect-like container object."""
    return {
        "Id": "abc123",
        "Name": "/web",
        "State": {"Running": True, "Pid": 42, "ExitCode": 0},
        "HostConfig": {"Links": ["/db:/web/db"], "NetworkMode": "bridge"},
        "Config": {
            "ExposedPorts": GoMap({"3306/tcp": {}}),
            "Labels": GoMap({"b": "2", "a": "1"}, zero=""),
            "Env": ["A=1", "B=2"],
        },
        "NetworkSettings": {
            "Ports": GoMap(
                {
                    "3306/tcp": [
                        {"HostIp": "0.0.0.0", "HostPort": "12345"},
                        {"HostIp": "::", "HostPort": "12345"},
                    ]
                }
            ),
            "Networks": GoMap(
                {
                    "bridge": {"IPAddress": "172.17.0.2", "IPAMConfig": None},
                    "app": {"IPAddress": "10.0.0.5", "Aliases": ["web"]},
                }
            ),
        },
        "List": ["a", "b", "c"],
        "Ints": [1, 2],
        "Empty": [],
        "Nil": NIL_SLICE,
    }


def render(template: str, data: object | None = None) -> str:
    return render_template(template, container() if data is None else data)
