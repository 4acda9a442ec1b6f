"""Model tests of ``docker compose``: Compose's commands against the daemon model."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text, open_world
from netsim.session.replay import run_command
from netsim.world import World

SCENARIO = """\
name: shop
compose:
  services:
    web:
      image: nginx
      ports: ["8080:80"]
      depends_on: [api]
      extra_hosts: ["gw.example:10.0.0.1"]
    api:
      image: redis
      deploy: {replicas: 2}
      networks:
        default:
        back:
          aliases: [cache]
    tool:
      image: busybox
      command: sleep 3600
      network_mode: "service:web"
  networks:
    back:
      ipam:
        config:
          - subnet: 10.5.0.0/24
steps:
  - docker compose up -d
"""


def world(engine: str = "28.5") -> World:
    return open_world(load_scenario_text(SCENARIO), engine=engine)


def run(world: World, line: str) -> tuple[int, str, str]:
    record = run_command(world, CommandStep(index=0, line=1, command=line))
    return record.exit_code, record.stdout, record.stderr


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_up_creates_networks_then_containers_in_dependency_order(engine: str) -> None:
    w = world(engine)
    code, out, err = run(w, "docker compose up -d")
    assert (code, out) == (0, "")
    assert err.splitlines() == [
        " Network shop_back  Creating",
        " Network shop_back  Created",
        " Network shop_default  Creating",
        " Network shop_default  Created",
        " Container shop-api-1  Creating",
        " Container shop-api-1  Created",
        " Container shop-api-2  Creating",
        " Container shop-api-2  Created",
        " Container shop-web-1  Creating",
        " Container shop-web-1  Created",
        " Container shop-tool-1  Creating",
        " Container shop-tool-1  Created",
        " Container shop-api-1  Starting",
        " Container shop-api-1  Started",
        " Container shop-api-2  Starting",
        " Container shop-api-2  Started",
        " Container shop-web-1  Starting",
        " Container shop-web-1  Started",
        " Container shop-tool-1  Starting",
        " Container shop-tool-1  Started",
    ]
    # A second up finds everything running and says so.
    code, _, err = run(w, "docker compose up -d")
    assert code == 0
    assert " Container shop-web-1  Running" in err.splitlines()
    assert "Creating" not in err


def test_containers_carry_the_project_labels_aliases_and_modes() -> None:
    w = world()
    run(w, "docker compose up -d")
    api = w.container("shop-api-2")
    assert api is not None
    assert api.labels["com.docker.compose.project"] == "shop"
    assert api.labels["com.docker.compose.service"] == "api"
    assert api.labels["com.docker.compose.container-number"] == "2"
    assert api.labels["com.docker.compose.project.config_files"] == "/root/shop/compose.yaml"
    assert api.networks["shop_back"].aliases == ("shop-api-2", "api", "cache")
    assert api.networks["shop_default"].aliases == ("shop-api-2", "api")
    web = w.container("shop-web-1")
    tool = w.container("shop-tool-1")
    assert web is not None and tool is not None
    assert tool.network_mode == "container:" + web.id
    code, out, _ = run(w, "docker compose exec web cat /etc/hosts")
    assert code == 0 and "10.0.0.1\tgw.example\n" in out
    code, out, _ = run(w, "docker inspect -f '{{json .HostConfig.ExtraHosts}}' shop-api-1")
    assert out == "[]\n"


def test_ps_port_and_ls_print_as_compose_does() -> None:
    w = world()
    run(w, "docker compose up -d")
    code, out, _ = run(w, "docker compose ps api")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    assert [line.split()[0] for line in lines[1:]] == ["shop-api-1", "shop-api-2"]
    code, out, _ = run(w, "docker compose ps web")
    assert out.rstrip().endswith("0.0.0.0:8080->80/tcp, :::8080->80/tcp")
    assert run(w, "docker compose port web 80") == (0, "0.0.0.0:8080\n", "")
    # Exposed by the image but not published: Compose prints an empty binding.
    assert run(w, "docker compose port --index 2 api 6379") == (0, ":0\n", "")
    assert run(w, "docker compose port nosuch 80") == (1, "", 'service "nosuch" is not running\n')
    assert run(w, "docker compose ls") == (
        0,
        "NAME                STATUS              CONFIG FILES\n"
        "shop                running(4)          /root/shop/compose.yaml\n",
        "",
    )


def test_stop_start_and_down_follow_dependencies_backwards_and_forwards() -> None:
    w = world()
    run(w, "docker compose up -d")
    code, _, err = run(w, "docker compose stop api")
    assert code == 0
    assert [line.split()[1] for line in err.splitlines()[::2]] == ["shop-api-2", "shop-api-1"]
    code, out, _ = run(w, "docker compose ps")
    assert "shop-api-1" not in out and "shop-web-1" in out
    code, _, err = run(w, "docker compose down")
    assert code == 0
    assert err.splitlines()[-4:] == [
        " Network shop_back  Removing",
        " Network shop_back  Removed",
        " Network shop_default  Removing",
        " Network shop_default  Removed",
    ]
    assert [n.name for n in w.daemon.networks if n.name.startswith("shop")] == []
    # Nothing left: Compose says nothing.
    assert run(w, "docker compose down") == (0, "", "")


def test_run_rm_runs_a_one_off_container_and_removes_it() -> None:
    w = world()
    code, out, err = run(w, "docker compose run --rm tool hostname")
    # Its dependency (web, and web's api) is started first.
    assert code == 0
    assert " Container shop-web-1  Started" in err.splitlines()
    web = w.container("shop-web-1")
    assert web is not None and out == web.short_id + "\n"
    assert all("-run-" not in c.name for c in w.daemon.containers)


@pytest.mark.parametrize(
    ("line", "code", "stderr"),
    [
        (
            "docker compose -f other.yaml ps",
            14,
            "open /root/shop/other.yaml: no such file or directory\n",
        ),
        ("docker compose -p", 16, "flag needs an argument: 'p' in -p\n"),
        ("docker compose ps -x", 16, "unknown shorthand flag: 'x' in -x\n"),
        ("docker compose config --networks", 16, "unknown flag: --networks\n"),
        ("docker compose frobnicate", 1, 'unknown docker command: "compose frobnicate"\n'),
        ("docker compose logs web", 1, "netsim does not simulate `docker compose logs`\n"),
        ("docker compose up --bogus", 16, "unknown flag: --bogus\n"),
        ("docker compose up -d nosuch", 1, "no such service: nosuch\n"),
        ("docker compose exec web", 1, '"docker compose exec" requires at least 2 arguments.\n'),
        ("docker compose exec web hostname", 1, 'service "web" is not running\n'),
        ("docker compose up", 1, "netsim runs `docker compose up` detached only: add -d\n"),
    ],
)
def test_compose_errors(line: str, code: int, stderr: str) -> None:
    assert run(world(), line) == (code, "", stderr)


def test_no_file_in_the_working_directory() -> None:
    w = open_world(load_scenario_text("name: bare\nsteps:\n  - ls\n"))
    assert run(w, "docker compose ps") == (14, "", "no configuration file provided: not found\n")


def test_an_external_network_must_exist_before_up() -> None:
    text = textwrap.dedent(
        """\
        name: ext
        compose:
          services:
            web: {image: nginx, networks: [shared]}
          networks:
            shared: {external: true}
        steps:
          - docker compose up -d
        """
    )
    w = open_world(load_scenario_text(text))
    assert run(w, "docker compose up -d") == (
        1,
        "",
        "Error response from daemon: network shared not found\n",
    )
    run(w, "docker network create shared")
    code, _, err = run(w, "docker compose up -d")
    assert code == 0 and "Network" not in err
    run(w, "docker compose down")
    assert any(n.name == "shared" for n in w.daemon.networks)


def test_run_starts_what_the_service_needs_and_reports_what_runs() -> None:
    w = world()
    run(w, "docker compose up -d")
    run(w, "docker compose stop web")
    code, _, err = run(w, "docker compose run --rm tool true")
    assert code == 0
    lines = err.splitlines()
    assert " Container shop-api-1  Running" in lines
    # A stopped dependency is reported as Created, then started (as Compose 2.26 does).
    assert lines[-3:] == [
        " Container shop-web-1  Created",
        " Container shop-web-1  Starting",
        " Container shop-web-1  Started",
    ]


def test_config_services_lists_in_dependency_order_and_version_warns() -> None:
    text = SCENARIO.replace("compose:\n", 'compose:\n  version: "3.8"\n')
    w = open_world(load_scenario_text(text))
    code, out, err = run(w, "docker compose config --services")
    assert (code, out) == (0, "api\nweb\ntool\n")
    assert err.startswith('time="')
    assert err.endswith(
        'level=warning msg="/root/shop/compose.yaml: the attribute `version` is obsolete, '
        'it will be ignored, please remove it to avoid potential confusion"\n'
    )


def test_declared_network_options_reach_the_engine() -> None:
    text = textwrap.dedent(
        """\
        name: opts
        compose:
          services:
            web: {image: nginx, networks: [lan]}
          networks:
            lan:
              name: office
              attachable: true
              internal: true
              labels: {team: web}
              ipam:
                config:
                  - {subnet: 10.7.0.0/24, gateway: 10.7.0.254, ip_range: 10.7.0.64/26}
        steps:
          - docker compose up -d
        """
    )
    w = open_world(load_scenario_text(text))
    code, _, err = run(w, "docker compose up -d")
    assert code == 0 and " Network office  Created" in err.splitlines()
    template = "{{.Attachable}} {{.Internal}} {{json .IPAM.Config}} {{json .Labels}}"
    assert run(w, f"docker network inspect -f '{template}' office") == (
        0,
        'true true [{"Subnet":"10.7.0.0/24","IPRange":"10.7.0.64/26","Gateway":"10.7.0.254"}] '
        '{"com.docker.compose.network":"lan","com.docker.compose.project":"opts",'
        '"com.docker.compose.version":"2.26.1","team":"web"}\n',
        "",
    )
    web = w.container("opts-web-1")
    assert web is not None and str(web.endpoints["office"].address.ip) == "10.7.0.64"


@pytest.mark.parametrize("engine", ["20.10", "28.5"])
def test_dns_servers_go_behind_the_embedded_resolver(engine: str) -> None:
    text = textwrap.dedent(
        """\
        name: d
        compose:
          services:
            web: {image: nginx, dns: [8.8.8.8, 1.1.1.1]}
        steps:
          - docker compose up -d
        """
    )
    w = open_world(load_scenario_text(text), engine=engine)
    run(w, "docker compose up -d")
    assert run(w, "docker inspect -f '{{json .HostConfig.Dns}}' d-web-1")[1] == (
        '["8.8.8.8","1.1.1.1"]\n'
    )
    _, resolv, _ = run(w, "docker compose exec web cat /etc/resolv.conf")
    assert "nameserver 127.0.0.11\n" in resolv
    if engine == "28.5":
        assert "# ExtServers: [8.8.8.8 1.1.1.1]\n# Overrides: [nameservers]\n" in resolv


def test_project_name_flag_renames_containers_and_networks() -> None:
    # What Compose 2.26 printed on 28.5 for the same file and commands.
    text = textwrap.dedent(
        """\
        name: myapp
        compose:
          services:
            web: {image: nginx}
            plain: {image: redis}
        steps:
          - docker compose -p other up -d
        """
    )
    w = open_world(load_scenario_text(text))
    code, _, err = run(w, "docker compose -p other up -d")
    assert code == 0
    assert sorted(set(line.split()[1] for line in err.splitlines())) == [
        "other-plain-1",
        "other-web-1",
        "other_default",
    ]
    assert run(w, "docker compose ls")[1] == (
        "NAME                STATUS              CONFIG FILES\n"
        "other               running(2)          /root/myapp/compose.yaml\n"
    )
    # Without -p the folder's project has nothing.
    assert run(w, "docker compose ps")[1].splitlines()[1:] == []
    code, _, err = run(w, "docker compose -p other down")
    assert code == 0 and err.splitlines()[-1] == " Network other_default  Removed"


def test_stop_start_and_port_as_compose_reports_them() -> None:
    # What Compose 2.26 printed on 28.5 for the same commands.
    text = textwrap.dedent(
        """\
        name: myapp
        compose:
          services:
            web: {image: nginx}
            plain: {image: redis}
        steps:
          - docker compose up -d
        """
    )
    w = open_world(load_scenario_text(text))
    run(w, "docker compose up -d")
    stopped = (0, "", " Container myapp-web-1  Stopping\n Container myapp-web-1  Stopped\n")
    assert run(w, "docker compose stop web") == stopped
    assert run(w, "docker compose stop web") == stopped
    code, _, err = run(w, "docker compose up -d")
    assert code == 0
    assert sorted(err.splitlines()) == [
        " Container myapp-plain-1  Running",
        " Container myapp-web-1  Created",
        " Container myapp-web-1  Started",
        " Container myapp-web-1  Starting",
    ]
    assert run(w, "docker compose start") == (0, "", "")
    assert run(w, "docker compose port web 81") == (
        1,
        "",
        "no port 81/tcp for container myapp-web-1: 0/tcp\n",
    )
    run(w, "docker compose down")
    assert run(w, "docker compose start") == (1, "", 'service "web" has no container to start\n')
    assert run(w, "docker compose stop") == (0, "", "")


def test_a_network_of_the_same_name_not_made_by_compose_is_refused() -> None:
    w = open_world(load_scenario_text(SCENARIO))
    run(w, "docker network create shop_default")
    code, out, err = run(w, "docker compose up -d")
    assert (code, out) == (1, "")
    warning, error = err.splitlines()[-2:]
    assert warning.endswith(
        'level=warning msg="a network with name shop_default exists but was not created by '
        'compose.\\nSet `external: true` to use an existing network"'
    )
    assert error == (
        "network shop_default was found but has incorrect label "
        'com.docker.compose.network set to ""'
    )


CONFIG_CASES = Path(__file__).parent / "compose_config"


@pytest.mark.parametrize("name", ["rich", "links"])
def test_config_prints_the_model_as_compose_does(name: str) -> None:
    compose = (CONFIG_CASES / f"{name}.yaml").read_text()
    text = "name: myapp\ncompose:\n" + textwrap.indent(compose, "  ") + "steps:\n  - ls\n"
    w = open_world(load_scenario_text(text))
    expected = (CONFIG_CASES / f"{name}.expected").read_text()
    assert run(w, "docker compose config") == (0, expected, "")


def test_config_refuses_a_file_with_keys_netsim_does_not_read() -> None:
    text = SCENARIO.replace("    web:\n", "    web:\n      restart: always\n", 1)
    code, out, err = run(open_world(load_scenario_text(text)), "docker compose config")
    assert (code, out) == (1, "")
    assert err.startswith("netsim prints `docker compose config` only for files whose every key")
    assert "compose.services.web.restart is ignored" in err
