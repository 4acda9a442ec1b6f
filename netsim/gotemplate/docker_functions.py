"""The template functions docker/cli adds to Go's (json, split, join, title, pad, ...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from netsim.gotemplate.functions import CallError, Func
from netsim.gotemplate.json_encoding import marshal_json
from netsim.gotemplate.printing import check_length
from netsim.gotemplate.values import from_utf8, utf8


def _go_is_separator(c: str) -> bool:
    if c <= "\x7f":
        return not (c.isascii() and (c.isalnum() or c == "_"))
    if c.isalpha() or c.isdecimal():
        return False
    return c.isspace()


def _map_runes(s: str, convert: Callable[[str], str]) -> str:
    """Apply a one-rune case mapping (Go's unicode.ToX), keeping runes without one."""
    out: list[str] = []
    for c in s:
        mapped = convert(c)
        out.append(mapped if len(mapped) == 1 else c)
    return "".join(out)


def _title(s: str) -> str:
    """Capitalize word starts like Go's deprecated strings.Title."""
    out: list[str] = []
    previous = " "
    for c in s:
        if _go_is_separator(previous):
            mapped = c.title()
            out.append(mapped if len(mapped) == 1 else c)
        else:
            out.append(c)
        previous = c
    return "".join(out)


# netsim's limit on the list `split` makes (Go has none), documented in
# docs/scenario-format.md with the other template limits.
MAX_ITEMS = 100_000


def _split(argv: list[object]) -> list[str]:
    s, sep = str(argv[0]), str(argv[1])
    if (len(s) if sep == "" else s.count(sep) + 1) > MAX_ITEMS:
        raise CallError(f"netsim: more than {MAX_ITEMS} parts (netsim's limit)")
    return list(s) if sep == "" else s.split(sep)


def _join(argv: list[object]) -> str:
    elements = argv[0]
    items = [str(e) for e in elements] if isinstance(elements, (list, tuple)) else []
    separator = str(argv[1])
    check_length(sum(len(item) for item in items) + len(separator) * max(len(items) - 1, 0))
    return separator.join(items)


def _pad_func(argv: list[object]) -> str:
    source, prefix, suffix = str(argv[0]), int(str(argv[1])), int(str(argv[2]))
    if source == "":
        return source
    if prefix < 0 or suffix < 0:
        raise CallError("strings: negative Repeat count")
    check_length(prefix + len(source) + suffix)
    return " " * prefix + source + " " * suffix


def _truncate(argv: list[object]) -> str:
    source, length = str(argv[0]), int(str(argv[1]))
    data = utf8(source)
    if len(data) < length:
        return source
    if length < 0:
        raise CallError(f"runtime error: slice bounds out of range [:{length}]")
    return from_utf8(data[:length])


# docker/cli templates.basicFunctions; "table" is not a function but a --format prefix.
DOCKER_FUNCS: Final[Mapping[str, Func]] = {
    "json": Func(("any",), None, lambda a: marshal_json(a[0]), builtin=False),
    "split": Func(("string", "string"), None, _split, builtin=False),
    "join": Func(("strings", "string"), None, _join, builtin=False),
    "title": Func(("string",), None, lambda a: _title(str(a[0])), builtin=False),
    "lower": Func(("string",), None, lambda a: _map_runes(str(a[0]), str.lower), builtin=False),
    "upper": Func(("string",), None, lambda a: _map_runes(str(a[0]), str.upper), builtin=False),
    "pad": Func(("string", "int", "int"), None, _pad_func, builtin=False),
    "truncate": Func(("string", "int"), None, _truncate, builtin=False),
}


def _first(argv: list[object]) -> str:
    return str(argv[0])


# docker/cli templates.HeaderFunctions: a table's header line is the same
# template run over the header names, with these functions handing their
# first argument back unchanged (so `{{upper .State}}` heads its column STATE).
HEADER_FUNCS: Final[Mapping[str, Func]] = {
    "json": Func(("string",), None, _first, builtin=False),
    "split": Func(("string", "string"), None, _first, builtin=False),
    "join": Func(("string", "string"), None, _first, builtin=False),
    "title": Func(("string",), None, _first, builtin=False),
    "lower": Func(("string",), None, _first, builtin=False),
    "upper": Func(("string",), None, _first, builtin=False),
    "pad": Func(("string", "int", "int"), None, _first, builtin=False),
    "truncate": Func(("string", "int"), None, _first, builtin=False),
}
