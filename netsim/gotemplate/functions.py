"""Go text/template's builtin functions (and, index, printf, eq, ...) and how calls work."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from netsim.gotemplate.printing import PLAIN, format_value, sprint, sprintf, sprintln
from netsim.gotemplate.values import (
    NO_VALUE,
    GoMap,
    GoNil,
    Iface,
    JsonNumber,
    RawList,
    RawMap,
    from_utf8,
    go_type_name,
    indirect,
    indirect_interface,
    truth,
    utf8,
)


class CallError(Exception):
    """A template function failed; Go reports ``error calling NAME: MSG``."""


Kind = Literal["value", "any", "string", "int", "strings"] | None
KIND_NAMES: Final = {
    "value": "reflect.Value",
    "any": "interface {}",
    "string": "string",
    "int": "int",
    "strings": "[]string",
}


@dataclass(frozen=True, slots=True)
class Func:
    """A template function: parameter kinds, variadic kind, implementation."""

    params: tuple[Kind, ...]
    variadic: Kind
    impl: Callable[[list[object]], object]
    builtin: bool = True


def _basic_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, complex):
        return "complex"
    if isinstance(value, str):
        return "string"
    return "invalid"


def _reflect_kind(value: object) -> str:
    if value is NO_VALUE:
        return "invalid"
    if value is None:
        return "ptr"
    if isinstance(value, GoNil):
        return value.kind
    if isinstance(value, (list, tuple)):
        return "slice"
    if isinstance(value, GoMap):
        return "map"
    if isinstance(value, dict):
        return "struct"
    if callable(value):
        return "func"
    return _basic_kind(value)


def _is_nil(value: object) -> bool:
    return value is NO_VALUE or value is None or isinstance(value, GoNil)


def _comparable(value: object) -> bool:
    if isinstance(value, (list, tuple, GoMap, GoNil)) or callable(value):
        return False
    if isinstance(value, dict):
        return all(_comparable(v) for v in value.values())
    return True


def _builtin_eq(argv: list[object]) -> bool:
    arg1 = indirect_interface(argv[0])
    if len(argv) < 2:
        raise CallError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for raw in argv[1:]:
        arg = indirect_interface(raw)
        k2 = _basic_kind(arg)
        truth = False
        if k1 != k2:
            if arg1 is not NO_VALUE and arg is not NO_VALUE:
                raise CallError(
                    f"incompatible types for comparison: {go_type_name(arg1)} and "
                    f"{go_type_name(arg)}"
                )
        elif k1 != "invalid":
            truth = arg1 == arg
        else:
            kinds = (_reflect_kind(arg1), _reflect_kind(arg))
            if kinds[0] != kinds[1] and "invalid" not in kinds:
                raise CallError(
                    f"non-comparable types {format_value(arg1, 's', PLAIN, 0)}: "
                    f"{go_type_name(arg1)}, "
                    f"{go_type_name(arg)}: {format_value(arg, 'v', PLAIN, 0)}"
                )
            if _is_nil(arg1) or _is_nil(arg):
                truth = _is_nil(arg) == _is_nil(arg1)
            else:
                if not _comparable(arg):
                    raise CallError(
                        f"non-comparable type {format_value(arg, 's', PLAIN, 0)}: "
                        f"{go_type_name(arg)}"
                    )
                truth = arg1 == arg
        if truth:
            return True
    return False


def _builtin_lt(argv: list[object]) -> bool:
    arg1, arg2 = indirect_interface(argv[0]), indirect_interface(argv[1])
    k1, k2 = _basic_kind(arg1), _basic_kind(arg2)
    if k1 == "invalid" or k2 == "invalid":
        raise CallError("invalid type for comparison")
    if k1 != k2:
        raise CallError(
            f"incompatible types for comparison: {go_type_name(arg1)} and {go_type_name(arg2)}"
        )
    if k1 in ("bool", "complex"):
        raise CallError("invalid type for comparison")
    if k1 == "string":
        return utf8(str(arg1)) < utf8(str(arg2))
    if isinstance(arg1, int | float) and isinstance(arg2, int | float):
        return arg1 < arg2  # both int or both float: the kinds are equal
    raise CallError("invalid type for comparison")


def _builtin_le(argv: list[object]) -> bool:
    return _builtin_lt(argv) or _builtin_eq(argv)


def _index_arg(index: object, cap: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        if index is NO_VALUE:
            raise CallError("cannot index slice/array with nil")
        raise CallError(f"cannot index slice/array with type {go_type_name(index)}")
    if index < 0 or index > cap:
        raise CallError(f"index out of range: {index}")
    return index


def _builtin_index(argv: list[object]) -> object:
    item = indirect_interface(argv[0])
    if item is NO_VALUE:
        raise CallError("index of untyped nil")
    for raw_index in argv[1:]:
        index = indirect_interface(raw_index)
        item, is_nil = indirect(item)
        if is_nil:
            raise CallError("index of nil pointer")
        if isinstance(item, str):
            data = utf8(item)
            x = _index_arg(index, len(data))
            if x == len(data):
                raise CallError("reflect: string index out of range")
            item = data[x]
        elif isinstance(item, (list, tuple)) or (isinstance(item, GoNil) and item.kind == "slice"):
            elements: Sequence[object] = item if isinstance(item, (list, tuple)) else ()
            x = _index_arg(index, len(elements))
            if x == len(elements):
                raise CallError("reflect: slice index out of range")
            item = Iface(elements[x]) if isinstance(item, RawList) else elements[x]
        elif isinstance(item, (GoMap, GoNil)):
            key = "" if index is NO_VALUE else index
            if not isinstance(key, str) or isinstance(key, JsonNumber):
                raise CallError(f"value has type {go_type_name(key)}; should be string")
            if isinstance(item, GoMap) and key in item:
                found = item[key]
            else:
                found = item.zero
            item = Iface(found) if isinstance(item, RawMap) else found
        else:
            raise CallError(f"can't index item of type {go_type_name(item)}")
    return item


def _builtin_slice(argv: list[object]) -> object:
    item = indirect_interface(argv[0])
    indexes = argv[1:]
    if item is NO_VALUE:
        raise CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise CallError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise CallError("cannot 3-index slice a string")
        cap = len(utf8(item))
    elif isinstance(item, (list, tuple)):
        cap = len(item)
    elif isinstance(item, GoNil) and item.kind == "slice":
        cap = 0
    else:
        raise CallError(f"can't slice item of type {go_type_name(item)}")
    idx = [0, cap, 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(indirect_interface(index), cap)
    if idx[0] > idx[1]:
        raise CallError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise CallError(f"invalid slice index: {idx[1]} > {idx[2]}")
    if isinstance(item, str):
        return from_utf8(utf8(item)[idx[0] : idx[1]])
    if isinstance(item, GoNil):
        return item
    result = list(item[idx[0] : idx[1]])
    return RawList(result) if isinstance(item, RawList) else result


def _builtin_len(argv: list[object]) -> int:
    item, is_nil = indirect(argv[0])
    if is_nil:
        raise CallError("len of nil pointer")
    if item is NO_VALUE:
        raise CallError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(utf8(item))
    if isinstance(item, (list, tuple, GoMap)):
        return len(item)
    if isinstance(item, GoNil):
        return 0
    raise CallError(f"len of type {go_type_name(item)}")


def _eval_args(argv: list[object]) -> str:
    """Stringify arguments as html/js/urlquery do (fmt.Sprint, nil as ``<no value>``)."""
    if len(argv) == 1 and type(argv[0]) is str:
        return str(argv[0])
    return sprint(["<no value>" if a is None else a for a in argv])


def _html_escape(argv: list[object]) -> str:
    table = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}
    return "".join(table.get(c, c) for c in _eval_args(argv))


def _js_escape(argv: list[object]) -> str:
    table = {
        "\\": "\\\\",
        "'": "\\'",
        '"': '\\"',
        "<": "\\u003C",
        ">": "\\u003E",
        "&": "\\u0026",
        "=": "\\u003D",
    }
    out: list[str] = []
    for c in _eval_args(argv):
        code = ord(c)
        if c in table:
            out.append(table[c])
        elif code < 0x20:
            out.append(f"\\u00{code:02X}")
        elif code < 0x80 or c.isprintable():
            out.append(c)
        else:
            out.append(f"\\u{code:04X}")
    return "".join(out)


def _urlquery(argv: list[object]) -> str:
    out: list[str] = []
    for byte in utf8(_eval_args(argv)):
        c = chr(byte)
        if c.isascii() and (c.isalnum() or c in "-_.~"):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _printf(argv: list[object]) -> str:
    return sprintf(str(argv[0]), argv[1:])


def _unreachable(argv: list[object]) -> object:
    raise CallError("unreachable")


# Go text/template builtins (text/template/funcs.go builtins()).
BUILTINS: Final[Mapping[str, Func]] = {
    "and": Func(("value",), "value", _unreachable),
    "or": Func(("value",), "value", _unreachable),
    "call": Func(("value",), "value", _unreachable),
    "not": Func(("value",), None, lambda a: not truth(a[0])),
    "len": Func(("value",), None, _builtin_len),
    "index": Func(("value",), "value", _builtin_index),
    "slice": Func(("value",), "value", _builtin_slice),
    "html": Func((), "any", _html_escape),
    "js": Func((), "any", _js_escape),
    "urlquery": Func((), "any", _urlquery),
    "print": Func((), "any", sprint),
    "println": Func((), "any", sprintln),
    "printf": Func(("string",), "any", _printf),
    "eq": Func(("value",), "value", _builtin_eq),
    "ne": Func(("value", "value"), None, lambda a: not _builtin_eq(a)),
    "lt": Func(("value", "value"), None, _builtin_lt),
    "le": Func(("value", "value"), None, _builtin_le),
    "gt": Func(("value", "value"), None, lambda a: not _builtin_le(a)),
    "ge": Func(("value", "value"), None, lambda a: not _builtin_lt(a)),
}


def as_method(fn: Callable[..., object]) -> Func:
    """Describe a callable struct value as a Go method taking interface{} arguments."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return Func((), "any", lambda a: fn(*a), builtin=False)
    fixed = sum(1 for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    variadic = any(p.kind == p.VAR_POSITIONAL for p in parameters)

    def call(argv: list[object]) -> object:
        try:
            return fn(*argv)
        except ValueError as error:
            raise CallError(str(error)) from None

    any_kind: Kind = "any"
    params: tuple[Kind, ...] = (any_kind,) * fixed
    return Func(params, "any" if variadic else None, call, builtin=False)
