"""busybox wget and ls in containers, and the HTTP answer of the simulated services."""

from __future__ import annotations

import pytest

from netsim.dataplane.apps import http_response
from netsim.dataplane.frames import SYN, TcpSegment
from netsim.results.run import CommandRecord
from netsim.session import Session, load_scenario_text
from netsim.shell.listing import run_ls
from netsim.shell.pipeline import NodeFiles
from netsim.verify import agent
from netsim.verify.normalise import normalise_result

LINE = b"web 172.17.0.2:80 172.17.0.3:40000\n"

SCENARIO = """
name: wget-model
steps:
  - docker run -d --name web nginx
  - docker run -d --name pub -p 8080:80 httpd
  - docker run -d --name box --link web busybox sleep 3600
  - docker network create appnet
  - docker run -d --name api --network appnet nginx
  - docker run -d --name box2 --network appnet busybox sleep 3600
  - docker exec box wget -qO- http://web/
  - docker exec box wget -O- http://web:81/
  - docker exec box wget -S http://web/nope
  - docker exec box wget -O got.txt http://web/
  - docker exec box ls got.txt /etc/hostname /tmp/none
  - docker exec box wget -q http://web/
  - docker exec box wget http://web/index.html
  - docker exec box2 wget -q -O- http://api/
  - docker exec box2 wget -q -O- http://nothere/
  - docker exec box wget -q -O- http://172.17.0.1:8080/
  - docker exec box wget -X http://web/
  - docker exec box wget -q -O- https://web/
  - docker exec web wget http://web/
  - docker exec box wget -q -O- http://172.18.0.2/
"""


@pytest.fixture(scope="module")
def records() -> list[CommandRecord]:
    run = Session(load_scenario_text(SCENARIO)).replay(capture=True)
    return [s for s in run.steps if isinstance(s, CommandRecord)]


def _step(records: list[CommandRecord], command: str) -> CommandRecord:
    return next(r for r in records if r.command == command)


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET / HTTP/1.1\r\nHost: web\r\n\r\n",
        b"GET /index.html HTTP/1.0\r\n\r\n",
        b"GET /missing?x=1 HTTP/1.1\r\n\r\n",
        b"HEAD / HTTP/1.1\r\n\r\n",
        b"hello\n",
        b"GET / SPDY/3\r\n\r\n",
    ],
)
def test_netsim_and_the_agent_answer_a_request_with_the_same_bytes(request_line: bytes) -> None:
    assert http_response(request_line, LINE) == agent.http_response(request_line, LINE)


def test_a_request_gets_the_listener_line_as_its_body_and_other_paths_404() -> None:
    ok = http_response(b"GET / HTTP/1.1\r\n\r\n", LINE)
    assert ok is not None
    assert ok.startswith(b"HTTP/1.1 200 OK\r\n")
    assert ok.endswith(b"Content-Length: 35\r\nConnection: close\r\n\r\n" + LINE)
    missing = http_response(b"GET /x HTTP/1.1\r\n\r\n", LINE)
    assert missing is not None and missing.startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert http_response(b"netsim probe\n", LINE) is None


def test_wget_prints_the_body_and_busybox_progress(records: list[CommandRecord]) -> None:
    quiet = _step(records, "docker exec box wget -qO- http://web/")
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert quiet.stdout.startswith("web 172.17.0.2:80 172.17.0.4:")
    saved = _step(records, "docker exec box wget -O got.txt http://web/")
    assert saved.stderr.splitlines() == [
        "Connecting to web (172.17.0.2:80)",
        "saving to 'got.txt'",
        "got.txt              100% |********************************|    35  0:00:00 ETA",
        "'got.txt' saved",
    ]


def test_wget_goes_over_the_simulated_network(records: list[CommandRecord]) -> None:
    step = _step(records, "docker exec box wget -qO- http://web/")
    payloads = [
        c.frame.payload.payload.data
        for c in step.captures
        if isinstance(getattr(c.frame.payload, "payload", None), TcpSegment)
    ]
    assert any(p.startswith(b"GET / HTTP/1.1\r\nHost: web\r\n") for p in payloads)
    assert any(p.startswith(b"HTTP/1.1 200 OK") for p in payloads)


def test_wget_errors_are_busybox_s(records: list[CommandRecord]) -> None:
    refused = _step(records, "docker exec box wget -O- http://web:81/")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Connecting to web:81 (172.17.0.2:81)\n"
        "wget: can't connect to remote host (172.17.0.2): Connection refused\n",
    )
    missing = _step(records, "docker exec box wget -S http://web/nope")
    assert (missing.exit_code, missing.stderr.splitlines()[1:]) == (
        1,
        ["  HTTP/1.1 404 Not Found", "wget: server returned error: HTTP/1.1 404 Not Found"],
    )
    unknown = _step(records, "docker exec box2 wget -q -O- http://nothere/")
    assert (unknown.exit_code, unknown.stderr) == (1, "wget: bad address 'nothere'\n")
    bad = _step(records, "docker exec box wget -X http://web/")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("wget: invalid option -- 'X'\nBusyBox v1.35.0")


def test_a_syn_dropped_between_bridges_times_out(records: list[CommandRecord]) -> None:
    step = _step(records, "docker exec box wget -q -O- http://172.18.0.2/")
    assert (step.exit_code, step.stderr) == (
        1,
        "wget: can't connect to remote host (172.18.0.2): Connection timed out\n",
    )
    # Only SYNs went out, and nothing came back.
    assert step.captures
    assert all(
        c.frame.payload.payload.flags == SYN
        for c in step.captures
        if isinstance(getattr(c.frame.payload, "payload", None), TcpSegment)
    )


def test_wget_will_not_overwrite_a_name_it_chose(records: list[CommandRecord]) -> None:
    first = _step(records, "docker exec box wget -q http://web/")
    assert (first.exit_code, first.stdout, first.stderr) == (0, "", "")
    step = _step(records, "docker exec box wget http://web/index.html")
    assert step.exit_code == 1
    assert step.stderr.endswith("wget: can't open 'index.html': File exists\n")


def test_wget_reaches_the_embedded_dns_and_a_published_port(records: list[CommandRecord]) -> None:
    api = _step(records, "docker exec box2 wget -q -O- http://api/")
    assert api.stdout.startswith("api 172.18.0.2:80 172.18.0.3:")
    # From docker0, the published port is docker-proxy's: it dials from the gateway.
    published = _step(records, "docker exec box wget -q -O- http://172.17.0.1:8080/")
    assert published.stdout.startswith("pub 172.17.0.3:80 172.17.0.1:")


def test_what_wget_does_not_simulate_says_so(records: list[CommandRecord]) -> None:
    https = _step(records, "docker exec box wget -q -O- https://web/")
    assert (https.exit_code, https.stderr) == (69, "netsim: 'wget https://' is not simulated\n")
    # nginx's image has no wget: runc refuses the exec.
    assert _step(records, "docker exec web wget http://web/").exit_code in (126, 127)


def test_ls_lists_the_modelled_files_and_names_missing_ones(records: list[CommandRecord]) -> None:
    step = _step(records, "docker exec box ls got.txt /etc/hostname /tmp/none")
    assert (step.exit_code, step.stdout, step.stderr) == (
        1,
        "/etc/hostname\ngot.txt\n",
        "ls: /tmp/none: No such file or directory\n",
    )


def test_a_relative_name_is_the_same_file_as_its_path_from_root() -> None:
    files = NodeFiles({}, {"got.txt": "x"})
    out = run_ls(["ls", "/got.txt", "got.txt"], files, busybox=True)
    assert (out.exit_code, out.stdout) == (0, "/got.txt\ngot.txt\n")
    files = NodeFiles({}, {"/tmp/x": "y", "/a": "z"})
    out = run_ls(["ls", "a", "tmp/x"], files, busybox=True)
    assert out.exit_code == 69  # tmp/x is not looked up in /tmp: netsim does not know it


def test_gnu_ls_words_a_missing_file_its_own_way() -> None:
    files = NodeFiles({"/etc/hosts": "x"})
    out = run_ls(["ls", "/etc/hosts", "nosuch"], files, busybox=False)
    assert (out.exit_code, out.stdout, out.stderr) == (
        2,
        "/etc/hosts\n",
        "ls: cannot access 'nosuch': No such file or directory\n",
    )


@pytest.mark.parametrize(
    "argv", [["ls"], ["ls", "-l", "/etc/hosts"], ["ls", "/etc"], ["ls", "/bin/sh"]]
)
def test_ls_of_what_netsim_does_not_model_is_not_simulated(argv: list[str]) -> None:
    out = run_ls(argv, NodeFiles({"/etc/hosts": "x"}), busybox=True)
    assert out.exit_code == 69
    assert "is not simulated" in out.stderr


def test_the_peer_port_of_a_listener_line_is_normalised() -> None:
    result = {
        "steps": [
            {
                "kind": "command",
                "command": "docker exec box wget -qO- http://web/",
                "stdout": "web 172.17.0.2:80 172.17.0.4:49556\n",
                "stderr": "",
            }
        ]
    }
    assert normalise_result(result)["steps"][0]["stdout"] == "web 172.17.0.2:80 172.17.0.4:*\n"
