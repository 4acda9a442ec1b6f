"""Adapter tests: netsim's commands on plain Compose files written as people write them.

The files in ``compose/`` were written for these tests from common real-world
setups (WordPress, a Prometheus stack, a Traefik-fronted shop, Gitea, an ELK
stack); none of them is an example scenario, so these check that a Compose
file the project has never been tuned for still draws and reaches.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from netsim.cli import main

FIXTURES = Path(__file__).parent / "compose"
FILES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix in (".yaml", ".yml"))
# Containers each file must produce: service names, container_name and replicas.
CONTAINERS = {
    "wordpress": ["wordpress-db-1", "wordpress-wordpress-1"],
    "monitoring": ["prometheus", "grafana", "monitoring-cadvisor-1", "monitoring-node-exporter-1"],
    "shop-traefik": [
        "shop-traefik-1",
        "shop-catalog-1",
        "shop-catalog-2",
        "shop-orders-1",
        "shop-queue-1",
        "shop-cache-1",
    ],
    "gitea": ["gitea", "gitea-db-1", "gitea-runner-1"],
    "logging": ["logging-elasticsearch-1", "logging-logstash-1", "logging-kibana-1"],
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_every_fixture_is_listed() -> None:
    assert sorted(p.parent.name for p in FILES) == sorted(CONTAINERS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_diagram_mermaid_draws_every_container_of_a_compose_file(path: Path) -> None:
    code, out, err = run("diagram", str(path), "--format", "mermaid")
    assert code == 0, err
    # Named after the project: the file's name: (shop) or its folder.
    project = "shop" if path.parent.name == "shop-traefik" else path.parent.name
    assert out.startswith(f"%% {project}: network after the steps")
    for name in CONTAINERS[path.parent.name]:
        assert f'["{name}<br/>' in out, name
    assert "compose keys netsim does not act on" in err


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_reach_gives_a_matrix_over_every_running_container(path: Path) -> None:
    code, out, err = run("reach", str(path), "--json", "-")
    assert code == 0, err
    matrix = json.loads(out)
    text = json.dumps(matrix)
    for name in CONTAINERS[path.parent.name]:
        assert name in text, name


def test_reach_on_wordpress_shows_the_internal_backend() -> None:
    code, out, _ = run("reach", str(FIXTURES / "wordpress" / "compose.yaml"))
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    # The database reaches WordPress on the backend but not on the frontend
    # network: the internal network has no way out.
    assert rows["wordpress-db-1"] == ["open", "open", "unreachable"]


def test_notes_list_each_key_once_with_its_line() -> None:
    code, _, err = run("run", str(FIXTURES / "shop-traefik" / "compose.yaml"))
    assert code == 0
    assert err.count("services.orders.dns_search is not simulated") == 1
    assert "line 28: services.orders.dns_search is not simulated (it changes the network)" in err
    assert "image traefik is not in netsim's catalog: assumed to listen on 80/tcp, 8080/tcp" in err


def test_run_on_a_plain_compose_file_prints_compose_up(tmp_path: Path) -> None:
    folder = tmp_path / "blog"
    folder.mkdir()
    (folder / "compose.yaml").write_text("services:\n  web:\n    image: nginx\n")
    code, out, err = run("run", str(folder / "compose.yaml"))
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "$ docker compose up -d",
        " Network blog_default  Creating",
        " Network blog_default  Created",
        " Container blog-web-1  Creating",
        " Container blog-web-1  Created",
        " Container blog-web-1  Starting",
        " Container blog-web-1  Started",
    ]


def test_an_invalid_compose_file_exits_2_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text("services:\n  web:\n    image: nginx\n    depends_on: [db]\n")
    code, out, err = run("reach", str(path))
    assert (code, out) == (2, "")
    assert f'{path}:4: services.web.depends_on: service "web" depends on undefined' in err


def test_plot_draws_a_plain_compose_file(tmp_path: Path) -> None:
    code, _, err = run("plot", str(FIXTURES / "gitea" / "compose.yaml"), "--out", str(tmp_path))
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["gitea-reach.png", "gitea-topology.png", "gitea-traffic.png"]
    assert all(p.stat().st_size > 1000 for p in tmp_path.iterdir())
