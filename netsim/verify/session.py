"""Type a scenario's ``session:`` lines into a shell on a real engine, without a terminal.

The harness has no terminal to give ``docker exec -it``, so it runs the same
command with ``-i`` and no ``-t`` and feeds the typed lines on standard
input. Two things keep that close to a person at a terminal:
- The shell that docker starts reads a first line alone (the harness waits
  for its answer before writing more, so it cannot read ahead), which
  replaces it with ``SHELL -i 2>&1``: an interactive shell, whose error
  messages carry no ``line N:`` as a script's do and which does not exit at
  a syntax error, with its errors on the same stream as its output, as on
  a screen. The container's process and ``docker exec``'s command stay the
  ones typed.
- After each typed line the harness has the shell print a marker with
  ``$?``, so each line's output and status are known; prompts are set empty,
  since without a terminal their place in the stream means nothing.

What is compared with the simulator is therefore each typed line's output
and status and the step's exit code; the screen text (prompts, echoed
input) is the simulator's alone.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from typing import IO

from netsim.docker.commandline import DockerCommand, parse_docker
from netsim.errors import VerifyError
from netsim.results.run import TypedCommand
from netsim.scenario.words import split_words

BEGIN = "__netsim_begin__"
START = "__netsim_start__"
STATUS = re.compile(r"__netsim_status_([0-9]+)__\n")
SESSION_TIMEOUT = 120.0
MARK = 'netsim_s=$?; echo "__netsim_status_${netsim_s}__"; (exit $netsim_s)'


def untty_argv(command: str) -> tuple[list[str], str]:
    """Return the argv of COMMAND (``docker exec -it ...``) without ``-t``, and its shell.

    The options are written back in their long ``--name=value`` form, in the
    order typed, so nothing but the terminal changes.
    """
    parsed = parse_docker(split_words(command))
    args = _long_form(parsed)
    shell = parsed.args[1] if len(parsed.args) > 1 else ""
    return ["docker", *parsed.path.split(), *args], shell


def _long_form(parsed: DockerCommand) -> list[str]:
    options = [f"--{name}={value}" for name, value in parsed.options if name != "tty"]
    return [*options, "--", *parsed.args] if parsed.args else options


def _reader(stream: IO[bytes] | None, sink: list[bytes], ready: threading.Event) -> None:
    """Collect STREAM into SINK as it comes; set READY once the shell has answered."""
    assert stream is not None
    while True:
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            break
        sink.append(chunk)
        if BEGIN.encode() in b"".join(sink):
            ready.set()
    ready.set()


def type_session(
    argv: list[str], shell: str, typed: tuple[str, ...]
) -> tuple[int, str, str, tuple[TypedCommand, ...]]:
    """Run ARGV (docker on the host, no TTY), type TYPED into its shell; return what came back.

    Returns the exit code, standard output and error (markers removed) and
    one record per typed line that ran. A shell that never started (missing
    from the image) gives no records and docker's output as printed.
    """
    process = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdin is not None
    out: list[bytes] = []
    err: list[bytes] = []
    ready = threading.Event()
    readers = [
        threading.Thread(target=_reader, args=(process.stdout, out, ready), daemon=True),
        threading.Thread(
            target=_reader, args=(process.stderr, err, threading.Event()), daemon=True
        ),
    ]
    for reader in readers:
        reader.start()
    program = shell.rsplit("/", 1)[-1] or "sh"
    try:
        # bash without a terminal would still echo each line through readline.
        options = "--noediting -i" if program == "bash" else "-i"
        process.stdin.write(f"echo {BEGIN}; exec {program} {options} 2>&1\n".encode())
        process.stdin.flush()
        ready.wait(SESSION_TIMEOUT)
        if process.poll() is None and BEGIN.encode() in b"".join(out):
            # Let the exec happen before the rest is on the pipe.
            time.sleep(0.3)
            script = [f"PS1=''; PS2=''; echo {START}"]
            for line in typed:
                # The marker keeps $? for the next line and for the shell's exit at Ctrl-D.
                script += [line, MARK]
            process.stdin.write(("\n".join(script) + "\n").encode())
        process.stdin.close()
    except BrokenPipeError:
        pass
    try:
        code = process.wait(SESSION_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        process.kill()
        process.wait()
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        raise VerifyError(f"session did not end in {SESSION_TIMEOUT:.0f} s: {argv}") from error
    for reader in readers:
        reader.join(10)
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
    stdout = b"".join(out).decode(errors="replace")
    stderr = b"".join(err).decode(errors="replace")
    shown, records = split_typed(stdout, typed, code)
    return code, shown, stderr, records


# dash names the line of its input an error is on (``sh: 3: ip: not found``).
_DASH_LINE = re.compile(r"^(sh|dash): ([0-9]+): ", re.MULTILINE)


def _typed_line_number(output: str, index: int) -> str:
    """Return OUTPUT with dash's line numbers as a terminal shows them for typed line INDEX.

    On a terminal the typed line INDEX (from 0) is the shell's input line
    INDEX + 1; the harness's input has the prompt line first and a marker
    line after each typed line, so the shell read it as line 2 * (INDEX + 1).
    """
    read_as = str(2 * (index + 1))
    return _DASH_LINE.sub(lambda m: f"{m[1]}: {index + 1}: " if m[2] == read_as else m[0], output)


def split_typed(
    stdout: str, typed: tuple[str, ...], code: int
) -> tuple[str, tuple[TypedCommand, ...]]:
    """Return the shell's output without markers, and one record per typed line that ran.

    ``stdout`` is what the harness read; CODE the session's exit code, the
    status of a line that ended the shell (``exit``). Without the start
    marker, the shell never ran: docker's output is returned as printed.
    """
    if START + "\n" not in stdout:
        return stdout.replace(BEGIN + "\n", ""), ()
    rest = stdout.partition(START + "\n")[2]
    parts = STATUS.split(rest)
    # parts: output 0, status 0, output 1, status 1, ..., what came after
    ran = len(parts) // 2
    records = [
        TypedCommand(typed[i], _typed_line_number(parts[2 * i], i), int(parts[2 * i + 1]))
        for i in range(ran)
    ]
    if ran < len(typed):
        # The shell ended at this line (exit): its output is the rest.
        records.append(TypedCommand(typed[ran], _typed_line_number(parts[-1], ran), code))
    # What the shell printed after the typed lines (at Ctrl-D) stays in stdout.
    shown = "".join(r.output for r in records) + (parts[-1] if ran == len(typed) else "")
    return shown, tuple(records)
