"""Read a shell command line: words, pipes, ``&&``/``||``/``;`` lists and redirections.

The grammar is the part of POSIX sh that tutorials type on one line: simple
commands joined by ``|`` into pipelines, pipelines joined by ``&&``, ``||``
and ``;``, and the redirections ``>``, ``>>``, ``<``, ``2>``, ``2>>`` and
``2>&1``. Quoting follows sh: single quotes keep everything, double quotes
keep everything but ``\\``-escapes of ``$`, "`` and ``\\``, a backslash outside
quotes keeps the next character. The stdlib's shlex cannot tell a quoted
``'|'`` from a pipe, so words and operators are read here, in one pass.
Syntax errors carry the text dash (the host's /bin/sh) and busybox ash print.
"""

from __future__ import annotations

from dataclasses import dataclass

from netsim.errors import CommandError

# Longest first, so that `||` is not read as two pipes.
_OPERATORS = ("&&", "||", ">>", ";;", ";", "|", ">", "<", "&")
_CONNECTORS = frozenset({"&&", "||", ";"})
_REDIRECTIONS = frozenset({">", ">>", "<", "2>", "2>>", "2>&1"})
# Bound on what one line may hold (a scenario file holds at most 1 MiB, so only
# text made at run time can reach it); reading is linear below it.
MAX_LINE_CHARS = 4_000_000


@dataclass(frozen=True, slots=True)
class Redirection:
    """One redirection of a simple command: ``>``, ``>>``, ``<``, ``2>``, ``2>>`` or ``2>&1``."""

    operator: str
    target: str


@dataclass(frozen=True, slots=True)
class SimpleCommand:
    """A program and its arguments, with the redirections typed after it."""

    argv: tuple[str, ...]
    redirections: tuple[Redirection, ...] = ()
    substitutions: frozenset[int] = frozenset()
    """Positions in ``argv`` that are ``$(...)`` command lines, expanded into fields when run."""


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Simple commands joined by ``|``; runs when its connector allows (``;`` always)."""

    commands: tuple[SimpleCommand, ...]
    connector: str = ";"


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    operator: bool
    substitution: bool = False


def _syntax_error(token: str | None, *, busybox: bool) -> CommandError:
    if busybox:
        what = "unexpected end of file" if token is None else f'unexpected "{token}"'
        return CommandError(f"sh: syntax error: {what}\n", exit_code=2)
    what = "end of file unexpected" if token is None else f'"{token}" unexpected'
    return CommandError(f"sh: 1: Syntax error: {what}\n", exit_code=2)


def _tokens(line: str, *, busybox: bool) -> list[_Token]:
    tokens: list[_Token] = []
    word: list[str] = []
    in_word = False
    i = 0
    n = len(line)

    def finish() -> None:
        nonlocal in_word
        if in_word:
            tokens.append(_Token("".join(word), False))
            word.clear()
            in_word = False

    while i < n:
        char = line[i]
        if char in " \t\n":
            finish()
            i += 1
        elif char == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise _unterminated(busybox)
            word.append(line[i + 1 : end])
            in_word = True
            i = end + 1
        elif char == '"':
            i += 1
            while True:
                if i >= n:
                    raise _unterminated(busybox)
                if line[i] == '"':
                    break
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '$`"\\\n':
                    word.append(line[i + 1])
                    i += 2
                    continue
                word.append(line[i])
                i += 1
            in_word = True
            i += 1
        elif char == "\\":
            if i + 1 < n:
                word.append(line[i + 1])
            in_word = True
            i += 2
        elif char == "$" and line.startswith("$(", i) and not in_word:
            # An unquoted `$(...)` word: its output becomes fields when it runs.
            depth = 0
            end = i + 1
            while end < n:
                if line[end] == "(":
                    depth += 1
                elif line[end] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                end += 1
            if end >= n:
                raise _syntax_error(None, busybox=busybox)
            finish()
            tokens.append(_Token(line[i + 2 : end], False, substitution=True))
            i = end + 1
        elif char == "#" and not in_word:
            break
        elif char in "|&;<>":
            if char == ">" and in_word and word == ["2"] and line[i - 1] == "2":
                word.clear()
                in_word = False
                if line.startswith(">&1", i):
                    tokens.append(_Token("2>&1", True))
                    i += 3
                elif line.startswith(">>", i):
                    tokens.append(_Token("2>>", True))
                    i += 2
                else:
                    tokens.append(_Token("2>", True))
                    i += 1
                continue
            finish()
            operator = next(op for op in _OPERATORS if line.startswith(op, i))
            tokens.append(_Token(operator, True))
            i += len(operator)
        else:
            word.append(char)
            in_word = True
            i += 1
    finish()
    return tokens


def _unterminated(busybox: bool) -> CommandError:
    if busybox:
        return CommandError("sh: syntax error: unterminated quoted string\n", exit_code=2)
    return CommandError("sh: 1: Syntax error: Unterminated quoted string\n", exit_code=2)


def parse_line(line: str, *, busybox: bool = False) -> tuple[Pipeline, ...]:
    """Read a command line into pipelines in the order they run.

    Raises:
        CommandError: sh's syntax error (exit code 2), worded as dash prints
            it on the host or, with ``busybox``, as busybox ash does.
    """
    if len(line) > MAX_LINE_CHARS:
        raise CommandError(
            f"netsim: a command line of {len(line)} characters is longer than {MAX_LINE_CHARS}\n",
            exit_code=2,
        )
    pipelines: list[Pipeline] = []
    commands: list[SimpleCommand] = []
    argv: list[str] = []
    redirections: list[Redirection] = []
    substitutions: set[int] = set()
    connector = ";"
    tokens = _tokens(line, busybox=busybox)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not token.operator:
            if token.substitution:
                substitutions.add(len(argv))
            argv.append(token.text)
            continue
        if token.text in _REDIRECTIONS:
            if token.text == "2>&1":
                redirections.append(Redirection("2>&1", ""))
                continue
            if i >= len(tokens):
                raise _syntax_error(None, busybox=busybox)
            target = tokens[i]
            if target.operator:
                raise _syntax_error(target.text, busybox=busybox)
            redirections.append(Redirection(token.text, target.text))
            i += 1
            continue
        if token.text == ";;":
            # Only a `case` item ends with `;;`, and netsim reads no `case`.
            raise _syntax_error(";;", busybox=busybox)
        if token.text == "&":
            # A background job: netsim runs it to completion in place.
            token = _Token(";", True)
        if not argv and not redirections:
            raise _syntax_error(token.text, busybox=busybox)
        commands.append(SimpleCommand(tuple(argv), tuple(redirections), frozenset(substitutions)))
        argv, redirections, substitutions = [], [], set()
        if token.text == "|":
            continue
        pipelines.append(Pipeline(tuple(commands), connector))
        commands = []
        connector = token.text
    if tokens and tokens[-1].operator and tokens[-1].text == "|":
        raise _syntax_error(None, busybox=busybox)
    if argv or redirections:
        commands.append(SimpleCommand(tuple(argv), tuple(redirections), frozenset(substitutions)))
    if commands:
        pipelines.append(Pipeline(tuple(commands), connector))
    elif connector in ("&&", "||"):
        raise _syntax_error(None, busybox=busybox)
    return tuple(pipelines)


def is_connector(text: str) -> bool:
    """Return whether TEXT joins pipelines (``&&``, ``||``, ``;``)."""
    return text in _CONNECTORS
