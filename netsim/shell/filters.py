"""The everyday text filters of a pipeline: grep, head, tail, wc, sort, uniq, cut, awk, cat.

Output is what GNU coreutils 9.1, GNU grep 3.8 and mawk 1.3.4 print on the
Docker host (Debian 12, C locale: bytes sort in code-point order), for the
options listed in each function; busybox 1.35's applets print the same for
these options, and their error lines are worded as busybox words them. An
option outside those lists is not guessed at: the filter says it is not
simulated.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from netsim.docker.client import CommandOutput, not_simulated

# Reads a file of the node: path -> text, or None when there is no such file.
FileReader = Callable[[str], "str | None"]

FILTERS = frozenset(
    {"grep", "egrep", "fgrep", "head", "tail", "wc", "sort", "uniq", "cut", "awk", "cat"}
    | {"less", "more"}
)


def run_filter(
    argv: list[str], stdin: str, read: FileReader, *, busybox: bool
) -> CommandOutput | None:
    """Run ARGV if it is one of the filters, reading STDIN or files; else return None."""
    program = argv[0].rsplit("/", 1)[-1]
    if program not in FILTERS:
        return None
    context = _Context(program, read, busybox)
    try:
        if program in ("grep", "egrep", "fgrep"):
            return _grep(context, argv[1:], stdin)
        if program in ("cat", "less", "more"):
            return _cat(context, argv[1:], stdin)
        if program in ("head", "tail"):
            return _head_tail(context, argv[1:], stdin)
        if program == "wc":
            return _wc(context, argv[1:], stdin)
        if program == "sort":
            return _sort(context, argv[1:], stdin)
        if program == "uniq":
            return _uniq(context, argv[1:], stdin)
        if program == "cut":
            return _cut(context, argv[1:], stdin)
        return _awk(context, argv[1:], stdin)
    except _NotSimulated:
        return not_simulated(" ".join(argv))


class _NotSimulated(Exception):
    """An option or program text this model does not read."""


class _Context:
    """Who is running (GNU or busybox) and how files are read."""

    def __init__(self, program: str, read: FileReader, busybox: bool) -> None:
        self.program = program
        self.read = read
        self.busybox = busybox

    def missing(self, path: str) -> str:
        if self.busybox:
            if self.program in ("cat", "less", "more", "head", "tail", "sort", "uniq", "cut"):
                return f"{self.program}: can't open '{path}': No such file or directory\n"
            return f"{self.program}: {path}: No such file or directory\n"
        if self.program in ("head", "tail"):
            return f"{self.program}: cannot open '{path}' for reading: No such file or directory\n"
        if self.program == "awk":
            return f"awk: cannot open {path} (No such file or directory)\n"
        return f"{self.program}: {path}: No such file or directory\n"

    def inputs(self, paths: list[str], stdin: str) -> tuple[list[tuple[str, str]], str]:
        """Return (name, text) of each input (stdin when none) and the errors."""
        if not paths:
            return [("(standard input)", stdin)], ""
        found: list[tuple[str, str]] = []
        errors = ""
        for path in paths:
            if path == "-":
                found.append(("(standard input)", stdin))
                continue
            text = self.read(path)
            if text is None:
                errors += self.missing(path)
            else:
                found.append((path, text))
        return found, errors


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _join(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _split_options(
    args: list[str], flags: str, valued: str
) -> tuple[dict[str, list[str]], list[str]]:
    """Read short options as getopt does: FLAGS take nothing, VALUED take a value."""
    options: dict[str, list[str]] = {}
    rest: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word == "--":
            rest.extend(args[i:])
            break
        if not word.startswith("-") or word == "-":
            rest.append(word)
            continue
        if word.startswith("--"):
            raise _NotSimulated
        j = 1
        while j < len(word):
            letter = word[j]
            if letter in valued:
                value = word[j + 1 :]
                if not value:
                    if i >= len(args):
                        raise _NotSimulated
                    value = args[i]
                    i += 1
                options.setdefault(letter, []).append(value)
                break
            if letter not in flags:
                raise _NotSimulated
            options.setdefault(letter, []).append("")
            j += 1
    return options, rest


def _bre_to_python(pattern: str) -> str:
    """Translate a POSIX basic regular expression (GNU flavour) to Python's syntax."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            following = pattern[i + 1]
            out.append(following if following in "|+?(){}" else "\\" + following)
            i += 2
            continue
        if char in "|+?(){}":
            out.append("\\" + char)
        elif char == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("]", "^") else i + 1)
            if end < 0:
                raise _NotSimulated
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _grep(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """grep with -v -i -E -F -c -n -w -q -e PATTERN."""
    options, rest = _split_options(args, "viEFcnwqsh", "e")
    patterns = options.get("e", [])
    if not patterns:
        if not rest:
            usage = (
                "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                "Try 'grep --help' for more information.\n"
            )
            if context.busybox:
                raise _NotSimulated
            return CommandOutput(2, "", usage)
        patterns = [rest.pop(0)]
    extended = "E" in options or context.program == "egrep"
    fixed = "F" in options or context.program == "fgrep"
    parts: list[str] = []
    for pattern in patterns:
        for piece in pattern.split("\n"):
            if fixed:
                parts.append(re.escape(piece))
            elif extended:
                parts.append(piece)
            else:
                parts.append(_bre_to_python(piece))
    body = "|".join(f"(?:{p})" for p in parts)
    if "w" in options:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    try:
        regex = re.compile(body, re.IGNORECASE if "i" in options else 0)
    except re.error:
        raise _NotSimulated from None
    inputs, errors = context.inputs(rest, stdin)
    many = len(rest) > 1 and "h" not in options
    out: list[str] = []
    matched_any = False
    for name, text in inputs:
        count = 0
        for number, line in enumerate(_lines(text), 1):
            if bool(regex.search(line)) == ("v" in options):
                continue
            count += 1
            matched_any = True
            if "c" in options or "q" in options:
                continue
            prefix = f"{name}:" if many else ""
            if "n" in options:
                prefix += f"{number}:"
            out.append(prefix + line)
        if "c" in options and "q" not in options:
            out.append(f"{name}:{count}" if many else str(count))
    if "q" in options:
        out = []
    if "s" in options:
        errors = ""
    code = 0 if matched_any else 1
    if errors and not ("q" in options and matched_any):
        code = 2
    return CommandOutput(code, _join(out), errors)


def _cat(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """cat (and less/more, which print as cat when the output is not a terminal)."""
    if any(a.startswith("-") and a != "-" for a in args):
        raise _NotSimulated
    inputs, errors = context.inputs(args, stdin)
    return CommandOutput(1 if errors else 0, "".join(text for _, text in inputs), errors)


def _count_option(args: list[str]) -> list[str]:
    """Turn the old ``head -5`` form into ``-n 5``."""
    return [f"-n{a[1:]}" if re.fullmatch(r"-\d+", a) else a for a in args]


def _head_tail(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """head/tail with -n N (and -N; tail also -n +N)."""
    options, rest = _split_options(_count_option(args), "", "n")
    text_count = options.get("n", ["10"])[-1]
    from_start = text_count.startswith("+")
    try:
        count = int(text_count.lstrip("+"))
    except ValueError:
        raise _NotSimulated from None
    inputs, errors = context.inputs(rest, stdin)
    out: list[str] = []
    for position, (name, text) in enumerate(inputs):
        if len(inputs) > 1:
            out.append(("\n" if position else "") + f"==> {name} <==")
        lines = _lines(text)
        if context.program == "head":
            chosen = lines[:count] if count >= 0 else lines[:count]
        elif from_start:
            chosen = lines[max(count - 1, 0) :]
        else:
            chosen = lines[-count:] if count else []
        out.extend(chosen)
    return CommandOutput(1 if errors else 0, _join(out), errors)


def _wc(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """wc with -l, -w, -c (or none: all three)."""
    options, rest = _split_options(args, "lwc", "")
    wanted = [k for k in "lwc" if k in options] or ["l", "w", "c"]
    inputs, errors = context.inputs(rest, stdin)
    rows: list[tuple[list[int], str]] = []
    for name, text in inputs:
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode())}
        rows.append(([counts[k] for k in wanted], name if rest else ""))
    if not rows:
        # Every file was missing: wc prints only the errors (GNU and busybox).
        return CommandOutput(1, "", errors)
    if len(rows) > 1:
        totals = [sum(row[0][k] for row in rows) for k in range(len(wanted))]
        rows.append((totals, "total"))
    if len(wanted) == 1 and len(rows) == 1:
        # One count of one input prints bare (busybox 1.35 checked on both engines).
        width = 1
    elif context.busybox:
        # busybox pads several counts in its own widths, which netsim has not checked.
        raise _NotSimulated
    else:
        # GNU wc pads every number to the widest count, 7 on standard input.
        width = 7 if not rest else max(len(str(n)) for row in rows for n in row[0])
    out: list[str] = []
    for numbers, name in rows:
        line = " ".join(f"{n:>{width}}" for n in numbers)
        out.append(f"{line} {name}" if name else line)
    return CommandOutput(1 if errors else 0, _join(out), errors)


def _numeric_value(text: str) -> float:
    match = re.match(r"\s*(-?\d+(?:\.\d+)?)", text)
    return float(match.group(1)) if match else 0.0


def _sort(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """sort with -r -n -u -k N[,N] -t C (C locale: code-point order)."""
    options, rest = _split_options(args, "rnu", "kt")
    inputs, errors = context.inputs(rest, stdin)
    lines = [line for _, text in inputs for line in _lines(text)]
    separator = options.get("t", [None])[-1]
    field_index: int | None = None
    if "k" in options:
        spec = options["k"][-1].split(",")[0]
        if not spec.isdigit():
            raise _NotSimulated
        field_index = int(spec) - 1

    def key_text(line: str) -> str:
        if field_index is None:
            return line
        if separator is not None:
            return separator.join(line.split(separator)[field_index:])
        # Without -t a field starts at the blanks before it.
        parts = re.findall(r"\s*\S+", line)
        return "".join(parts[field_index:])

    if "n" in options:
        # Equal keys fall back to comparing whole lines, as GNU sort's last resort.
        ordered = sorted(lines, key=lambda line: (_numeric_value(key_text(line)), line))
    else:
        ordered = sorted(lines, key=lambda line: (key_text(line), line))
    if "r" in options:
        ordered.reverse()
    if "u" in options:
        unique: list[str] = []
        for line in ordered:
            if not unique or key_text(unique[-1]) != key_text(line):
                unique.append(line)
        ordered = unique
    return CommandOutput(2 if errors else 0, _join(ordered), errors)


def _uniq(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """uniq with -c -d -u, reading standard input or one file."""
    options, rest = _split_options(args, "cdu", "")
    if len(rest) > 1:
        raise _NotSimulated
    inputs, errors = context.inputs(rest, stdin)
    if errors:
        return CommandOutput(1, "", errors)
    groups: list[list[str]] = []
    for line in _lines(inputs[0][1]):
        if groups and groups[-1][0] == line:
            groups[-1].append(line)
        else:
            groups.append([line])
    out: list[str] = []
    for group in groups:
        if "d" in options and len(group) < 2:
            continue
        if "u" in options and len(group) > 1:
            continue
        out.append(f"{len(group):>7} {group[0]}" if "c" in options else group[0])
    return CommandOutput(0, _join(out), "")


def _ranges(spec: str) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for part in spec.split(","):
        match = re.fullmatch(r"(\d*)(-?)(\d*)", part)
        if not match or not (match.group(1) or match.group(3)):
            raise _NotSimulated
        low = int(match.group(1) or 1)
        high = int(match.group(3)) if match.group(3) else (10**9 if match.group(2) else low)
        ranges.append((low, high))
    return ranges


def _cut(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """cut with -d C -f LIST, or -c LIST."""
    options, rest = _split_options(args, "s", "dfc")
    inputs, errors = context.inputs(rest, stdin)
    out: list[str] = []
    if "c" in options:
        ranges = _ranges(options["c"][-1])
        for _, text in inputs:
            for line in _lines(text):
                out.append(
                    "".join(
                        ch for n, ch in enumerate(line, 1) if any(a <= n <= b for a, b in ranges)
                    )
                )
    elif "f" in options:
        ranges = _ranges(options["f"][-1])
        delimiter = options.get("d", ["\t"])[-1]
        if len(delimiter) != 1:
            raise _NotSimulated
        for _, text in inputs:
            for line in _lines(text):
                if delimiter not in line:
                    if "s" not in options:
                        out.append(line)
                    continue
                fields = line.split(delimiter)
                out.append(
                    delimiter.join(
                        f for n, f in enumerate(fields, 1) if any(a <= n <= b for a, b in ranges)
                    )
                )
    else:
        raise _NotSimulated
    return CommandOutput(1 if errors else 0, _join(out), errors)


_AWK_PROGRAM = re.compile(r"\s*(?:/(?P<regex>(?:[^/\\]|\\.)*)/\s*)?\{\s*print(?P<items>[^}]*)\}\s*")


def _awk(context: _Context, args: list[str], stdin: str) -> CommandOutput:
    """awk '[/RE/] {print $N[, $M ...]}' with -F SEP."""
    options, rest = _split_options(args, "", "F")
    if not rest:
        raise _NotSimulated
    program = rest.pop(0)
    match = _AWK_PROGRAM.fullmatch(program)
    if match is None:
        raise _NotSimulated
    items_text = match.group("items").strip()
    items = [item.strip() for item in items_text.split(",")] if items_text else ["$0"]
    fields: list[int | str] = []
    for item in items:
        if re.fullmatch(r"\$\d+", item):
            fields.append(int(item[1:]))
        elif item == "$NF":
            fields.append("NF")
        elif re.fullmatch(r'"[^"\\]*"', item):
            fields.append(item)
        else:
            raise _NotSimulated
    separator = options.get("F", [None])[-1]
    if separator is not None and len(separator) != 1:
        raise _NotSimulated
    selector = re.compile(match.group("regex")) if match.group("regex") is not None else None
    inputs, errors = context.inputs(rest, stdin)
    out: list[str] = []
    for _, text in inputs:
        for line in _lines(text):
            if selector is not None and not selector.search(line):
                continue
            parts = line.split(separator) if separator is not None else line.split()
            values: list[str] = []
            for wanted in fields:
                if wanted == "NF":
                    values.append(parts[-1] if parts else "")
                elif isinstance(wanted, str):
                    values.append(wanted[1:-1])
                elif wanted == 0:
                    values.append(line)
                else:
                    values.append(parts[wanted - 1] if wanted <= len(parts) else "")
            out.append(" ".join(values))
    return CommandOutput(2 if errors else 0, _join(out), errors)
