"""The harness's listener (agent.py) over loopback: HTTP to a request, the line otherwise."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from netsim.dataplane.apps import answer_line, http_response
from netsim.verify import agent

AGENT = Path(agent.__file__)


@pytest.fixture(scope="module")
def listener() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with subprocess.Popen(
        [sys.executable, str(AGENT), "listen", "web", "--tcp", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        yield port
        process.terminate()
        process.wait(timeout=10)


def _exchange(port: int, request: bytes | None) -> tuple[bytes, str]:
    """Send REQUEST (None: shut the sending side); return all answered bytes and the line."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        local = f"{sock.getsockname()[0]}:{sock.getsockname()[1]}"
        if request is None:
            sock.shutdown(socket.SHUT_WR)
        elif request:
            sock.sendall(request)
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
    return data, local


def test_an_http_request_gets_the_line_in_an_http_response(listener: int) -> None:
    request = b"GET / HTTP/1.1\r\nHost: web\r\nUser-Agent: Wget\r\nConnection: close\r\n\r\n"
    data, peer = _exchange(listener, request)
    line = answer_line("web", f"127.0.0.1:{listener}", peer)
    assert data == http_response(request, line)
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and data.endswith(line)


def test_a_missing_page_is_404(listener: int) -> None:
    data, _ = _exchange(listener, b"GET /nope HTTP/1.1\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 404 Not Found\r\n")


@pytest.mark.parametrize("request_bytes", [None, b"", b"netsim probe\n\n"])
def test_a_client_that_asks_nothing_in_http_gets_the_line(
    listener: int, request_bytes: bytes | None
) -> None:
    data, peer = _exchange(listener, request_bytes)
    assert data == answer_line("web", f"127.0.0.1:{listener}", peer)


def test_the_probe_reads_the_line(listener: int) -> None:
    result = agent.probe_tcp("127.0.0.1", listener, 5.0)
    assert (result["result"], result["served_by"], result["local"]) == (
        "open",
        "web",
        f"127.0.0.1:{listener}",
    )
