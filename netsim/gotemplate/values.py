"""Python values that stand for Go values (maps, structs, nil) and Go's rules for them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal


class GoMap(dict[str, object]):
    """A Go map: printed, ranged and marshalled in sorted key order."""

    __slots__ = ("type_name", "zero")

    def __init__(
        self,
        items: Mapping[str, object] | Iterable[tuple[str, object]] = (),
        /,
        *,
        type_name: str = "map[string]interface {}",
        zero: object = None,
    ) -> None:
        super().__init__(items)
        self.type_name = type_name
        self.zero = zero


class GoStruct(dict[str, object]):
    """A Go struct with a type name and Go field names (``aliases``: Go name -> JSON key)."""

    __slots__ = ("aliases", "omitempty", "type_name")

    def __init__(
        self,
        items: Mapping[str, object] | Iterable[tuple[str, object]] = (),
        /,
        *,
        type_name: str = "struct",
        aliases: Mapping[str, str] | None = None,
        omitempty: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(items)
        self.type_name = type_name
        self.aliases: Mapping[str, str] = dict(aliases or {})
        # JSON keys tagged `json:",omitempty"`: left out of json when empty.
        self.omitempty = omitempty


@dataclass(frozen=True, slots=True)
class GoNil:
    """A typed Go nil slice or map: prints ``[]``/``map[]``, marshals as ``null``."""

    kind: Literal["slice", "map"]
    type_name: str
    zero: object = None


NIL_SLICE: Final = GoNil("slice", "[]string")
NIL_MAP: Final = GoNil("map", "map[string]string", "")


class JsonNumber(str):
    """Go's ``json.Number``: a JSON number kept as its text (a string kind in Go)."""

    __slots__ = ()


class RawMap(GoMap):
    """A ``map[string]interface {}`` from decoding JSON; its values are interfaces."""

    __slots__ = ()


class RawList(list[object]):
    """A ``[]interface {}`` from decoding JSON; its elements are interfaces."""

    __slots__ = ()


class NoValue:
    """Go's zero ``reflect.Value``: printed ``<no value>``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<no value>"


class Missing:
    """Go's ``missingVal``: no value piped into a command."""

    __slots__ = ()


NO_VALUE: Final = NoValue()
MISSING: Final = Missing()


@dataclass(frozen=True, slots=True)
class Iface:
    """A value read out of a raw map or slice: Go's ``interface {}`` wrapper."""

    value: object


def utf8(s: str) -> bytes:
    """Return the bytes of a Go string (Go strings are UTF-8 bytes)."""
    return s.encode("utf-8", "surrogatepass")


def from_utf8(b: bytes) -> str:
    """Return the string for bytes; invalid UTF-8 becomes U+FFFD."""
    return b.decode("utf-8", "replace")


def go_type_name(value: object) -> str:
    """Return the Go type name this value stands for, as reflect prints it."""
    if isinstance(value, Iface):
        return "interface {}"
    if value is None or value is NO_VALUE:
        return "interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, complex):
        return "complex128"
    if isinstance(value, JsonNumber):
        return "json.Number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, GoNil):
        return value.type_name
    if isinstance(value, RawList):
        return "[]interface {}"
    if isinstance(value, (list, tuple)):
        return "[]string" if all(isinstance(v, str) for v in value) else "[]interface {}"
    if isinstance(value, GoMap):
        return value.type_name
    if isinstance(value, GoStruct):
        return value.type_name
    if isinstance(value, dict):
        return "struct"
    if callable(value):
        return "func()"
    return type(value).__name__


def indirect_interface(value: object) -> object:
    """Return the value inside an ``interface {}``; a nil interface is no value."""
    if isinstance(value, Iface):
        return NO_VALUE if value.value is None else value.value
    return value


def indirect(value: object) -> tuple[object, bool]:
    """Follow interfaces (and nil pointers) as Go's indirect does."""
    if isinstance(value, Iface):
        if value.value is None:
            return value, True
        value = value.value
    if value is None:
        return value, True
    return value, False


def is_true(value: object) -> tuple[bool, bool]:
    """Return Go's truth of a value and whether it has one."""
    if isinstance(value, Iface):
        return value.value is not None, True
    if value is NO_VALUE or value is None or isinstance(value, GoNil):
        return False, True
    if isinstance(value, (bool, int, float, complex)):
        return value != 0, True
    if isinstance(value, str):
        return bool(value), True
    if isinstance(value, (list, tuple, GoMap)):
        return bool(value), True
    return True, True  # structs, methods


def truth(value: object) -> bool:
    """Return Go's truth of a value, looking inside interfaces (``if``, ``not``)."""
    return is_true(indirect_interface(value))[0]
