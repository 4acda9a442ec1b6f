"""busybox ``wget`` in a container, fetching from the simulated services over the network.

The exchange runs through the data plane (``netsim.dataplane.fetch``), so
the command's record carries its frames. What busybox 1.35 (Debian's
busybox-static, which the harness's stand-in runs) prints was checked on
the harness's host and on both engines: progress and messages go to
standard error, the body to standard output with ``-O-``; without a TTY the
progress line is printed once, at 100%.

The services answer HTTP with their listener line (``apps.http_response``).
Supported: ``-q``, ``-S``, ``-O FILE`` (``-O-`` for standard output),
``-s``/``--spider`` and one ``http://`` URL; other options, ``https://``
and several URLs say they are not simulated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from netsim.docker.client import CommandOutput, not_simulated
from netsim.shell.listing import same_file

if TYPE_CHECKING:
    from netsim.docker.model import Container
    from netsim.shell.pipeline import NodeFiles
    from netsim.world import World

USAGE = (
    "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n"
    "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
    "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
    "\t[--no-check-certificate] [-P DIR] [-U AGENT] URL...\n\n"
    "Retrieve files via HTTP or FTP\n\n"
    "\t--spider\tOnly check URL existence: $? is 0 if exists\n"
    "\t--header STR\tAdd STR (of form 'header: value') to headers\n"
    "\t--post-data STR\tSend STR using POST method\n"
    "\t--post-file FILE\tSend FILE using POST method\n"
    "\t--no-check-certificate\tDon't validate the server's certificate\n"
    "\t-c\t\tContinue retrieval of aborted transfer\n"
    "\t-q\t\tQuiet\n"
    "\t-P DIR\t\tSave to DIR (default .)\n"
    "\t-S    \t\tShow server response\n"
    "\t-O FILE\t\tSave to FILE ('-' for stdout)\n"
    "\t-o LOGFILE\tLog messages to FILE\n"
    "\t-U STR\t\tUse STR for User-Agent header\n"
    "\t-Y on/off\tUse proxy\n"
)
# strerror of the errnos a connect can fail with.
_STRERROR = {
    "ECONNREFUSED": "Connection refused",
    "EHOSTUNREACH": "No route to host",
    "ENETUNREACH": "Network is unreachable",
    "ECONNRESET": "Connection reset by peer",
    "EADDRNOTAVAIL": "Cannot assign requested address",
    "ETIMEDOUT": "Connection timed out",
}
# Directories a container's file system has that netsim writes files into;
# elsewhere ``-O`` says it is not simulated. A relative name is in the
# working directory, which is / in every catalog image.
_WRITABLE_DIRECTORIES = frozenset({"", "/", "/tmp", "/root", "/var/tmp", "/home"})


@dataclass(frozen=True, slots=True)
class _Options:
    quiet: bool
    headers: bool
    spider: bool
    output: str | None
    url: str


class _Usage(Exception):
    """busybox's answer to a bad command line: usage text or an invalid option."""

    def __init__(self, stderr: str) -> None:
        super().__init__(stderr)
        self.stderr = stderr


def _parse(argv: list[str]) -> _Options | str:
    """Read the command line as busybox's getopt32 does; a string is what is not simulated."""
    quiet = headers = spider = False
    output: str | None = None
    urls: list[str] = []
    words = iter(argv[1:])
    for word in words:
        if word == "--spider":
            spider = True
        elif word == "--":
            urls += list(words)
        elif word.startswith("--"):
            return " ".join(argv[:1] + [word])
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            while letters:
                letter, letters = letters[0], letters[1:]
                if letter == "q":
                    quiet = True
                elif letter == "S":
                    headers = True
                elif letter == "s":
                    spider = True
                elif letter == "O":
                    value = letters or next(words, None)
                    if value is None:
                        raise _Usage("wget: option requires an argument -- 'O'\n" + USAGE)
                    output, letters = value, ""
                elif letter in "cPTUYo":
                    return f"wget -{letter}"
                else:
                    raise _Usage(f"wget: invalid option -- '{letter}'\n" + USAGE)
        else:
            urls.append(word)
    if not urls:
        raise _Usage(USAGE)
    if len(urls) > 1:
        return "wget with several URLs"
    return _Options(quiet, headers, spider, output, urls[0])


@dataclass(frozen=True, slots=True)
class _Url:
    host: str
    port: int
    authority: str
    path: str


def _parse_url(url: str) -> _Url | str | CommandOutput:
    """Split an http URL as busybox's parse_url does (no scheme is http)."""
    scheme, found, rest = url.partition("://")
    if not found:
        rest = url
    elif scheme.lower() != "http":
        return f"wget {scheme}://"
    authority, slash, path = rest.partition("/")
    authority = authority.split("?", 1)[0]
    if "@" in authority or authority.startswith("["):
        return "wget of a URL with user or IPv6 address"
    host, colon, port_text = authority.partition(":")
    port = 80
    if colon:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return CommandOutput(1, "", f"wget: bad port '{port_text}'\n")
        port = int(port_text)
    return _Url(host, port, authority, "/" + path if slash else "/")


def _progress(name: str, size: int) -> str:
    """Return busybox's progress line at 100% as printed without a TTY."""
    return f"{name:<20.20}{100:4d}% |{'*' * 32}|{size:6d}  0:00:00 ETA\n"


def run_wget(
    world: World, container: Container, argv: list[str], files: NodeFiles
) -> CommandOutput:
    """Run busybox ``wget`` from a container; the exchange goes over the simulated network."""
    try:
        parsed = _parse(argv)
    except _Usage as usage:
        return CommandOutput(1, "", usage.stderr)
    if isinstance(parsed, str):
        return not_simulated(parsed)
    url = _parse_url(parsed.url)
    if isinstance(url, str):
        return not_simulated(url)
    if isinstance(url, CommandOutput):
        return url
    output = parsed.output
    # busybox opens a name it chose itself (from the URL) with O_EXCL.
    exclusive = output is None
    if output is None and not parsed.spider:
        output = url.path.split("?", 1)[0].rsplit("/", 1)[-1] or "index.html"
    if output is not None and output != "-":
        directory = output.rsplit("/", 1)[0] if "/" in output else ""
        if directory not in _WRITABLE_DIRECTORIES:
            return not_simulated(f"wget -O {output}")
    exists = exclusive and output is not None and same_file(files, output) is not None
    return _fetch(world, container, parsed, url, output, files, exists=exists)


def _fetch(
    world: World,
    container: Container,
    options: _Options,
    url: _Url,
    output: str | None,
    files: NodeFiles,
    *,
    exists: bool,
) -> CommandOutput:
    """Make the exchange and print what busybox prints of it."""
    from netsim.dataplane.fetch import simulate_fetch

    request = (
        f"GET {url.path} HTTP/1.1\r\nHost: {url.authority}\r\nUser-Agent: Wget\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    rng = world.step_rng(round(world.daemon.clock), f"wget/{len(world.connections)}")
    outcome = simulate_fetch(world, container.name, url.host, url.port, request, rng)
    if outcome.traffic is not None:
        world.connections.append(outcome.traffic)
    if outcome.result == "unresolved":
        return CommandOutput(1, "", f"wget: bad address '{url.authority}'\n")
    err = "" if options.quiet else f"Connecting to {url.authority} ({outcome.address}:{url.port})\n"
    if outcome.result in ("timeout", "failed"):
        # A SYN nobody answers: Linux retries it for 127 s (tcp_syn_retries 6)
        # and connect() fails with ETIMEDOUT; netsim's client stops after 5 s
        # of the same silence. Seen on both engines across two bridges.
        error = "ETIMEDOUT" if outcome.result == "timeout" else str(outcome.error)
        reason = _STRERROR.get(error, error)
        return CommandOutput(
            1, "", err + f"wget: can't connect to remote host ({outcome.address}): {reason}\n"
        )
    head, found, body = outcome.response.partition(b"\r\n\r\n")
    if not found:
        # A listener that says nothing (a registry) or closes: busybox waits
        # or reports a read error netsim does not model.
        return not_simulated("wget of a server that does not answer in HTTP")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0]
    if options.headers:
        err += f"  {status}\n"
    if status.split(" ")[1:2] != ["200"]:
        return CommandOutput(1, "", err + f"wget: server returned error: {status}\n")
    if options.headers:
        err += "".join(f"  {line}\n" for line in lines[1:]) + "  \n"
    if options.spider:
        return CommandOutput(0, "", err + ("" if options.quiet else "remote file exists\n"))
    assert output is not None
    if exists:
        return CommandOutput(1, "", err + f"wget: can't open '{output}': File exists\n")
    text = body.decode("latin-1")
    progress = "" if options.quiet else _progress(output.rsplit("/", 1)[-1], len(body))
    if output == "-":
        if not options.quiet:
            err += "writing to stdout\n" + progress + "written to stdout\n"
        return CommandOutput(0, text, err)
    files.write(output, text, append=False)
    if not options.quiet:
        err += f"saving to '{output}'\n" + progress + f"'{output}' saved\n"
    return CommandOutput(0, "", err)
