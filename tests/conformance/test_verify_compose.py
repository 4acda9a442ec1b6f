"""Unit tests of the harness's Compose parts: the plugin's layout and what is normalised."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsim.docker.formatting import tabwrite
from netsim.verify import engines
from netsim.verify.engines import compose_binary, compose_unavailable_reason, engine_layout
from netsim.verify.normalise import normalise_result


def command(text: str, stdout: str = "", stderr: str = "") -> dict[str, object]:
    return {"index": 0, "kind": "command", "on": "host", "command": text, "exit_code": 0,
            "stdout": stdout, "stderr": stderr}  # fmt: skip


def test_each_engine_gets_the_plugin_in_its_own_docker_config(tmp_path: Path) -> None:
    for version in ("20.10", "28.5"):
        engine = engine_layout(version, tmp_path)
        assert engine.compose_plugin == engine.config_dir / "cli-plugins" / "docker-compose"
        assert engine.config_dir.is_relative_to(tmp_path / version)
    assert compose_binary(tmp_path) == (
        tmp_path / "compose/usr/libexec/docker/cli-plugins/docker-compose"
    )


def test_a_missing_compose_says_to_run_setup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engines, "unavailable_reason", lambda version, cache_root: None)
    reason = compose_unavailable_reason("28.5", tmp_path)
    assert reason is not None
    assert reason.startswith("Docker Compose 2.26 is not set up")
    assert reason.endswith("run python -m netsim.verify setup")


def test_compose_progress_lines_are_compared_in_any_order() -> None:
    first = " Container p-a-1  Creating\n Container p-b-1  Creating\n Container p-b-1  Created\n"
    second = " Container p-b-1  Creating\n Container p-a-1  Creating\n Container p-b-1  Created\n"
    one = normalise_result({"steps": [command("docker compose up -d", stderr=first)]})
    two = normalise_result({"steps": [command("docker compose up -d", stderr=second)]})
    assert one == two
    # Other commands keep their line order.
    three = normalise_result({"steps": [command("docker ps", stderr=first)]})
    assert three["steps"][0]["stderr"] == first


def test_compose_ps_durations_are_hidden_and_the_table_realigned() -> None:
    table = tabwrite(
        [
            ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"],
            [
                "myapp-web-1",
                "nginx",
                '"nginx -g…"',
                "web",
                "2 seconds ago",
                "Up 1 second",
                "80/tcp",
            ],
        ]
    )
    result = normalise_result({"steps": [command("docker compose ps", stdout=table)]})
    lines = result["steps"][0]["stdout"].splitlines()
    assert lines[1].split() == [
        "myapp-web-1", "nginx", '"nginx', '-g…"', "web", "<duration>", "ago", "Up", "<duration>",
        "80/tcp",
    ]  # fmt: skip
