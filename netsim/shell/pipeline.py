"""Run a parsed command line: lists, pipelines and redirections into a node's files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from netsim.docker.client import CommandOutput
from netsim.errors import CommandError
from netsim.shell.syntax import Pipeline, SimpleCommand, parse_line

# Runs one simple command: (argv, stdin) -> what it printed and its exit code.
ProgramRunner = Callable[[list[str], str], CommandOutput]


@dataclass(slots=True)
class NodeFiles:
    """The files of one node a shell can read and write.

    ``fixed`` are the files netsim derives from the world (/etc/hosts...);
    ``written`` holds what ``>`` and ``>>`` wrote, and wins over ``fixed``.
    """

    fixed: dict[str, str]
    written: dict[str, str] = field(default_factory=dict)

    def read(self, path: str) -> str | None:
        """Return a file's text, or None when the node has no such file."""
        if path in self.written:
            return self.written[path]
        return self.fixed.get(path)

    def write(self, path: str, text: str, *, append: bool) -> None:
        """Write (or append) TEXT to PATH; /dev/null swallows it."""
        if path == "/dev/null":
            return
        before = (self.read(path) or "") if append else ""
        self.written[path] = before + text


def run_line(
    line: str, run_program: ProgramRunner, files: NodeFiles, *, busybox: bool
) -> CommandOutput:
    """Run a command line as sh would: ``;``, ``&&``, ``||``, ``|`` and redirections.

    The exit code is the last pipeline's; a pipeline's is its last command's.
    """
    try:
        pipelines = parse_line(line, busybox=busybox)
    except CommandError as error:
        return CommandOutput(error.exit_code, "", error.stderr)
    code = 0
    out: list[str] = []
    err: list[str] = []
    for pipeline in pipelines:
        if (pipeline.connector == "&&" and code != 0) or (pipeline.connector == "||" and code == 0):
            continue
        result = _run_pipeline(pipeline, run_program, files, busybox=busybox)
        code = result.exit_code
        out.append(result.stdout)
        err.append(result.stderr)
        if len(pipeline.commands) == 1 and pipeline.commands[0].argv[:1] == ("exit",):
            # `exit` ends the shell, and the rest of the line with it.
            break
    return CommandOutput(code, "".join(out), "".join(err))


def _run_pipeline(
    pipeline: Pipeline, run_program: ProgramRunner, files: NodeFiles, *, busybox: bool
) -> CommandOutput:
    stdin = ""
    err: list[str] = []
    result = CommandOutput(0)
    for command in pipeline.commands:
        result = _run_simple(command, stdin, run_program, files, busybox=busybox)
        err.append(result.stderr)
        stdin = result.stdout
    return CommandOutput(result.exit_code, result.stdout, "".join(err))


def _run_simple(
    command: SimpleCommand,
    stdin: str,
    run_program: ProgramRunner,
    files: NodeFiles,
    *,
    busybox: bool,
) -> CommandOutput:
    for redirection in command.redirections:
        if redirection.operator == "<":
            text = files.read(redirection.target)
            if text is None:
                return CommandOutput(
                    2 if not busybox else 1, "", _cannot_open(redirection.target, busybox)
                )
            stdin = text
    words: list[str] = []
    substituted_errors = ""
    for position, word in enumerate(command.argv):
        if position in command.substitutions:
            inner = run_line(word, run_program, files, busybox=busybox)
            substituted_errors += inner.stderr
            words.extend(inner.stdout.split())
        else:
            words.append(word)
    if words:
        result = run_program(words, stdin)
    else:
        result = CommandOutput(0)
    stdout, stderr = result.stdout, substituted_errors + result.stderr
    for redirection in command.redirections:
        operator, target = redirection.operator, redirection.target
        if operator in (">", ">>"):
            files.write(target, stdout, append=operator == ">>")
            stdout = ""
        elif operator in ("2>", "2>>"):
            files.write(target, stderr, append=operator == "2>>")
            stderr = ""
        elif operator == "2>&1":
            stdout, stderr = stdout + stderr, ""
    return CommandOutput(result.exit_code, stdout, stderr)


def _cannot_open(path: str, busybox: bool) -> str:
    if busybox:
        return f"sh: can't open '{path}': No such file or directory\n"
    return f"sh: 1: cannot open {path}: No such file\n"
