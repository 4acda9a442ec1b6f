"""Unit tests of the Compose loader: what Compose 2.26 makes of a file, and its refusals."""

from __future__ import annotations

import re
import textwrap
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from netsim.errors import ScenarioError
from netsim.scenario.compose import ServiceNetwork, normalize_project_name, short_port_problem
from netsim.session import load_scenario, load_scenario_text

FILE = "t.yaml"


def load(text: str):
    return load_scenario_text(textwrap.dedent(text), FILE)


def inline(compose: str) -> str:
    """Return a scenario with ``compose`` (indented YAML) inline."""
    return (
        "name: shop\ncompose:\n"
        + textwrap.indent(textwrap.dedent(compose), "  ")
        + ("steps:\n  - docker compose up -d\n")
    )


def test_inline_file_keeps_its_text_project_folder_and_networks() -> None:
    scenario = load(
        inline(
            """\
            services:
              web:
                image: nginx
                ports:
                  - "8080:80"
                  - target: 443
                    published: "8443"
                    host_ip: 127.0.0.1
                networks:
                  front:
                  back:
                    aliases: [www]
                    ipv4_address: 10.1.0.9
            networks:
              back:
                internal: true
                ipam:
                  config:
                    - subnet: 10.1.0.0/24
                      gateway: 10.1.0.254
              front:
            """
        )
    )
    (compose,) = scenario.compose
    assert compose.project == "shop"
    assert compose.path == "/root/shop/compose.yaml"
    assert scenario.workdir == "/root/shop"
    assert compose.text.startswith("services:\n  web:\n    image: nginx\n")
    (web,) = compose.services
    assert web.ports == ("8080:80", "127.0.0.1:8443:443/tcp")
    # Compose orders a service's networks by priority, then by name.
    assert web.networks == (
        ServiceNetwork("back", ("www",), IPv4Address("10.1.0.9"), configured=True),
        ServiceNetwork("front"),
    )
    back = compose.network("back")
    assert back is not None and back.name == "shop_back" and back.internal
    assert back.subnet == IPv4Network("10.1.0.0/24")
    assert back.gateway == IPv4Address("10.1.0.254")
    assert [n.key for n in compose.networks] == ["back", "front"]


def test_default_network_external_name_and_project_name() -> None:
    scenario = load(
        inline(
            """\
            name: store
            services:
              web: {image: nginx}
              api:
                image: redis
                networks: [shared]
            networks:
              shared:
                external: true
                name: platform
            """
        )
    )
    (compose,) = scenario.compose
    assert compose.project == "store"
    default = compose.network("default")
    shared = compose.network("shared")
    assert default is not None and default.name == "store_default"
    assert shared is not None and shared.external and shared.name == "platform"


def test_replicas_links_and_network_mode_become_dependencies() -> None:
    scenario = load(
        inline(
            """\
            services:
              app:
                image: redis
                deploy: {replicas: 3}
              web:
                image: nginx
                links: ["app:cache"]
              side:
                image: busybox
                network_mode: "service:web"
            """
        )
    )
    services = {s.name: s for s in scenario.compose[0].services}
    assert services["app"].replicas == 3
    assert services["web"].dependencies() == ("app",)
    assert services["side"].dependencies() == ("web",)
    assert services["side"].networks == ()


def test_keys_netsim_does_not_act_on_are_listed_once_with_their_lines() -> None:
    scenario = load(
        inline(
            """\
            services:
              web:
                image: nginx
                mac_address: 02:42:ac:11:00:99
                restart: always
                volumes: [data:/srv]
            volumes:
              data:
            """
        )
    )
    assert scenario.compose[0].notes == (
        "line 6: compose.services.web.mac_address is not simulated (it changes the network)",
        "line 7: compose.services.web.restart is ignored (it does not touch the network)",
        "line 8: compose.services.web.volumes is ignored (it does not touch the network)",
        "line 9: compose.volumes is ignored (it does not touch the network)",
    )


@pytest.mark.parametrize(
    ("compose", "line", "key", "message"),
    [
        (
            "services:\n  web:\n    image: nginx\n    depends_on: [db]\n",
            6,
            "compose.services.web.depends_on",
            'service "web" depends on undefined service "db": invalid compose project',
        ),
        (
            "services:\n  web:\n    image: nginx\n    networks: [front]\n",
            6,
            "compose.services.web.networks",
            'service "web" refers to undefined network front: invalid compose project',
        ),
        (
            "services:\n  web:\n    image: nginx\n    ports: ['80:80/icmp']\n",
            6,
            "compose.services.web.ports.0",
            "invalid proto: icmp",
        ),
        (
            "services:\n  web:\n    image: nginx\n    network_mode: 'service:db'\n",
            6,
            "compose.services.web.network_mode",
            'service "db" not found for network_mode "service:db"',
        ),
        (
            "services:\n  web:\n    image: nginx\n    links: [db]\n",
            6,
            "compose.services.web.links",
            'service "web" depends on undefined service "db"',
        ),
        (
            "services:\n  web:\n    image: nginx\n"
            "networks:\n  n:\n    ipam: {config: [{subnet: x}]}\n",
            8,
            "compose.networks.n.ipam.config.0.subnet",
            "invalid subnet 'x'",
        ),
        (
            "services:\n  web:\n    image: nginx\n"
            "networks:\n  n:\n    ipam: {config: [{subnet: 'fd00::/64'}]}\n",
            8,
            "compose.networks.n.ipam.config.0.subnet",
            "netsim simulates IPv4 networks only",
        ),
        (
            "services:\n  web:\n    image: nginx\n    extra_hosts: ['db:nowhere']\n",
            6,
            "compose.services.web.extra_hosts",
            'invalid IP address in add-host: "nowhere"',
        ),
        (
            "services:\n  web:\n    image: nginx\n    depends_on:\n"
            "      db: {condition: healthy}\n  db:\n    image: redis\n",
            7,
            "compose.services.web.depends_on.db.condition",
            "must be one of the following: service_started",
        ),
        (
            "name: Shop\nservices:\n  web:\n    image: nginx\n",
            3,
            "compose.name",
            'invalid project name "Shop"',
        ),
        (
            "servics:\n  web:\n    image: nginx\n",
            3,
            "compose.servics",
            "(root) Additional property servics is not allowed",
        ),
        (
            "services:\n  web:\n    image: wordpress\n",
            5,
            "compose.services.web.image",
            'unknown image "wordpress"',
        ),
    ],
)
def test_invalid_compose_files_fail_with_composes_message_and_line(
    compose: str, line: int, key: str, message: str
) -> None:
    text = "name: shop\ncompose:\n" + textwrap.indent(compose, "  ") + "steps:\n  - ls\n"
    prefix = f"{FILE}:{line}: {key}: "
    with pytest.raises(ScenarioError, match=re.escape(prefix) + ".*" + re.escape(message)):
        load_scenario_text(text, FILE)


def test_list_form_rejects_a_project_given_twice() -> None:
    text = inline(
        """\
        - project: shop
          file: {services: {web: {image: nginx}}}
        - project: shop
          file: {services: {api: {image: redis}}}
        """
    )
    with pytest.raises(ScenarioError, match=r't.yaml:5: compose\[1\].project: project "shop"'):
        load_scenario_text(text, FILE)


def test_a_path_is_read_next_to_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "compose.yaml").write_text("services:\n  web:\n    image: nginx\n")
    (tmp_path / "s.yaml").write_text(
        "name: site\ncompose: app/compose.yaml\nsteps:\n  - docker compose up -d\n"
    )
    (compose,) = load_scenario(tmp_path / "s.yaml").compose
    assert compose.file == str(tmp_path / "app" / "compose.yaml")
    assert compose.path == "/root/site/compose.yaml"
    assert compose.text == "services:\n  web:\n    image: nginx\n"


def test_an_error_in_a_compose_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx\n    ports: [x]\n")
    (tmp_path / "s.yaml").write_text("name: site\ncompose: compose.yaml\nsteps:\n  - ls\n")
    message = re.escape(f"{tmp_path / 'compose.yaml'}:4: services.web.ports.0: ")
    with pytest.raises(ScenarioError, match=message + "Invalid containerPort: x"):
        load_scenario(tmp_path / "s.yaml")


def test_a_plain_compose_file_is_a_scenario_that_runs_up(tmp_path: Path) -> None:
    folder = tmp_path / "My_Blog"
    folder.mkdir()
    path = folder / "docker-compose.yml"
    path.write_text(
        "services:\n  blog:\n    image: ghost:5\n    ports: ['2368:2368']\n"
        "  db:\n    image: mysql:8\n"
    )
    scenario = load_scenario(path)
    assert scenario.name == "my-blog"
    assert [s.command for s in scenario.steps] == ["docker compose up -d"]
    (compose,) = scenario.compose
    assert compose.project == "my_blog"
    assert compose.path == "/root/My_Blog/docker-compose.yml"
    # An image netsim does not know listens on what the file publishes.
    assert [(i.name, [str(p) for p in i.listen]) for i in scenario.images] == [
        ("ghost", ["2368/tcp"])
    ]
    assert (
        compose.notes[-1] == "image ghost is not in netsim's catalog: assumed to listen on 2368/tcp"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("80", None),
        ("127.0.0.1:8080:80/udp", None),
        ("9000-9001:9000-9001", None),
        ("8080:", "Invalid containerPort: "),
        ("a:80", "Invalid hostPort: a"),
        ("80/sctpx", "invalid proto: sctpx"),
    ],
)
def test_short_port_syntax(text: str, problem: str | None) -> None:
    assert short_port_problem(text) == problem


def test_project_names_are_normalised_as_compose_does() -> None:
    assert normalize_project_name("My App.v2") == "myappv2"
    assert normalize_project_name("_x-Y") == "x-y"


def test_list_form_gives_each_project_its_folder_and_exact_text() -> None:
    scenario = load(
        """\
        name: two
        compose:
          - project: shop
            file:
              services:
                web: {image: nginx}
          - project: billing
            file: {services: {api: {image: redis}}}
        steps:
          - docker compose -f ../billing/compose.yaml up -d
        """
    )
    shop, billing = scenario.compose
    assert (shop.path, billing.path) == ("/root/shop/compose.yaml", "/root/billing/compose.yaml")
    assert scenario.workdir == "/root/shop"
    assert shop.text == "services:\n  web: {image: nginx}\n"
    assert billing.text == "{services: {api: {image: redis}}}\n"
