"""Render Go text/template templates over inspect data, as the docker CLI does.

``docker inspect -f``, ``docker network inspect -f`` and ``docker ps --format``
execute Go's text/template with docker/cli's functions (``templates/templates.go``:
``json split join title lower upper pad truncate``). This module is a port of
Go's ``text/template/parse`` lexer and parser and of ``text/template``'s
executor (Go 1.22+ semantics, as in the docker 28.x CLI), with Go's ``fmt``
printing and ``encoding/json`` encoding, so output and error texts match
byte for byte.

API
    ``render_template(template, data, *, missing_key="default") -> str``
    ``render_inspect(template, data) -> str``: docker/cli's ``TemplateInspector``:
    run on the typed data; if that fails, run again on the raw JSON view
    (``to_raw``) with ``missingkey=error``, which is where the familiar
    ``map has no entry for key "X"`` comes from.
    ``parse_template(template) -> Template``; ``Template.execute(data, ...)``.
    ``marshal_json(value) -> str``: the ``json`` template function.

Data model (how Python values stand for Go values)
    ``str`` string; ``int`` int; ``float`` float64; ``bool`` bool.
    ``dict`` a Go struct: fields in key order, printed ``{v1 v2}``; a missing
    field is an error. ``GoStruct`` adds a type name for messages and Go field
    names that differ from JSON keys (``ID`` for ``"Id"``). A callable value is
    a method, called with the template arguments (raise ``ValueError`` for
    Go's ``error calling NAME: ...``).
    ``GoMap`` a Go map: printed ``map[k:v]``, ranged and marshalled in sorted
    key order; a missing key is ``<no value>``; ``zero`` is what ``index``
    returns for a missing key (``None``: nil pointer, ``""`` for string maps).
    ``list`` a slice (``[a b]``). ``None`` a nil pointer (``<nil>``, JSON null).
    ``NIL_SLICE``/``NIL_MAP`` (``GoNil``) a nil slice or map: printed ``[]``
    and ``map[]`` but marshalled as ``null``, as Go does for e.g. an unset
    ``HostConfig.Links``. Use ``{}`` (not ``GoMap()``) for ``struct{}`` values
    such as ``Config.ExposedPorts`` entries: Go prints those as ``{}``.
    ``JsonNumber`` Go's ``json.Number`` (numbers in the raw fallback).

Errors (``str(error)`` is Go's text; the CLI prefixes ``template parsing
error: `` and, for parse errors, exits 64)
    ``TemplateParseError``: ``template: :LINE: MSG``, e.g. ``function "foo" not
    defined``, ``unclosed action``, ``unexpected EOF``, ``unexpected {{end}}``,
    ``missing value for if``, ``undefined variable "$x"``, ``bad character
    U+0023 '#'``, ``unexpected "}" in operand``, ``unterminated quoted string``,
    ``{{break}} outside {{range}}``, ``invalid syntax``.
    ``TemplateExecError``: ``template: :LINE:COL: executing "" at <NODE>: MSG``,
    e.g. ``map has no entry for key "X"``, ``can't evaluate field X in type
    string``, ``nil pointer evaluating interface {}.X``, ``error calling index:
    index out of range: 5``, ``error calling eq: incompatible types for
    comparison: string and int``, ``wrong number of args for len: want 1 got 0``,
    ``range can't iterate over web``, ``wrong type for value; expected string;
    got int``, ``nil is not a command``.

Known differences from Go
    Type names in messages are generic where Python values carry none: plain
    dicts are ``struct``, lists ``[]string`` or ``[]interface {}``, a typed nil
    ``interface {}``. Pointers inside composites print as their struct, not an
    address. ``slice``/``truncate``/``index`` on strings work on UTF-8 bytes but
    cannot return split runes (they are replaced by U+FFFD). Float ``%b %x %X``
    are not implemented (printed as bad verbs). Nesting beyond Python's
    recursion limit raises ``TemplateError`` ("nesting too deep"); Go allows
    deeper. JSON escapes ``\\b``/``\\f`` as Go >= 1.22 does (docker 20.10's CLI,
    built with older Go, wrote ``\\u0008``/``\\u000c``) and error contexts are
    not truncated to 20 characters as old Go did (``<.NetworkSettings.Net...>``).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final, Literal, NamedTuple, NoReturn, Protocol

from netsim.errors import NetsimError

__all__ = [
    "NIL_MAP",
    "NIL_SLICE",
    "GoMap",
    "GoNil",
    "GoStruct",
    "JsonNumber",
    "Template",
    "TemplateError",
    "TemplateExecError",
    "TemplateParseError",
    "marshal_json",
    "parse_template",
    "render_inspect",
    "render_template",
    "to_raw",
]


# ----------------------------------------------------------------------------- errors


class TemplateError(NetsimError):
    """A template could not be parsed or executed; ``str()`` is Go's message text."""


class TemplateParseError(TemplateError):
    """The template text is invalid: ``template: :LINE: MSG``."""


class TemplateExecError(TemplateError):
    """Executing failed: ``template: :LINE:COL: executing "" at <NODE>: MSG``."""


# ----------------------------------------------------------------------------- values


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


class _RawMap(GoMap):
    """A ``map[string]interface {}`` from decoding JSON; its values are interfaces."""

    __slots__ = ()


class _RawList(list[object]):
    """A ``[]interface {}`` from decoding JSON; its elements are interfaces."""

    __slots__ = ()


class _NoValue:
    """Go's zero ``reflect.Value``: printed ``<no value>``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<no value>"


class _Missing:
    """Go's ``missingVal``: no value piped into a command."""

    __slots__ = ()


_NO_VALUE: Final = _NoValue()
_MISSING: Final = _Missing()


@dataclass(frozen=True, slots=True)
class _Iface:
    """A value read out of a raw map or slice: Go's ``interface {}`` wrapper."""

    value: object


# ----------------------------------------------------------------------------- lexer


class _T(IntEnum):
    """Item types, in Go's order (keywords after KEYWORD)."""

    ERROR = 0
    BOOL = 1
    CHAR = 2
    CHAR_CONSTANT = 3
    COMMENT = 4
    COMPLEX = 5
    ASSIGN = 6
    DECLARE = 7
    EOF = 8
    FIELD = 9
    IDENTIFIER = 10
    LEFT_DELIM = 11
    LEFT_PAREN = 12
    NUMBER = 13
    PIPE = 14
    RAW_STRING = 15
    RIGHT_DELIM = 16
    RIGHT_PAREN = 17
    SPACE = 18
    STRING = 19
    TEXT = 20
    VARIABLE = 21
    KEYWORD = 22
    BLOCK = 23
    BREAK = 24
    CONTINUE = 25
    DOT = 26
    DEFINE = 27
    ELSE = 28
    END = 29
    IF = 30
    NIL = 31
    RANGE = 32
    TEMPLATE = 33
    WITH = 34


_KEYWORDS: Final = {
    ".": _T.DOT,
    "block": _T.BLOCK,
    "break": _T.BREAK,
    "continue": _T.CONTINUE,
    "define": _T.DEFINE,
    "else": _T.ELSE,
    "end": _T.END,
    "if": _T.IF,
    "range": _T.RANGE,
    "nil": _T.NIL,
    "template": _T.TEMPLATE,
    "with": _T.WITH,
}

_EOF: Final = ""  # what _Lexer._next returns at the end of input
_SPACES: Final = frozenset(" \t\r\n")
_LEFT: Final = "{{"
_RIGHT: Final = "}}"


class _Token(NamedTuple):
    """One lexed item: type, start position (characters), text, line."""

    typ: _T
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        if self.typ == _T.EOF:
            return "EOF"
        if self.typ == _T.ERROR:
            return self.val
        if self.typ > _T.KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return _go_quote(self.val[:10]) + "..."
        return _go_quote(self.val)


_ZERO_TOKEN: Final = _Token(_T.ERROR, 0, "", 0)


class _State(Protocol):
    """A lexer state function: returns the next state, or None when an item is ready."""

    def __call__(self) -> _State | None: ...


def _is_space(r: str) -> bool:
    return r in _SPACES


def _is_alnum(r: str) -> bool:
    return r == "_" or r.isalpha() or r.isdecimal()


def _has_left_trim(s: str, i: int) -> bool:
    return len(s) - i >= 2 and s[i] == "-" and _is_space(s[i + 1])


def _has_right_trim(s: str, i: int) -> bool:
    return len(s) - i >= 2 and _is_space(s[i]) and s[i + 1] == "-"


def _go_unicode(r: str) -> str:
    """Format a rune as Go's ``%#U``: ``U+0023 '#'``."""
    text = f"U+{ord(r):04X}"
    return f"{text} '{r}'" if r.isprintable() else text


class _Lexer:
    """Go's text/template/parse lexer, pulled one item at a time."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.at_eof = False
        self.paren_depth = 0
        self.line = 1
        self.start_line = 1
        self.item = _ZERO_TOKEN
        self.inside_action = False

    def next_item(self) -> _Token:
        """Return the next item."""
        self.item = _Token(_T.EOF, self.pos, "EOF", self.start_line)
        state: _State | None = self._lex_inside_action if self.inside_action else self._lex_text
        while state is not None:
            state = state()
        return self.item

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.at_eof = True
            return _EOF
        r = self.input[self.pos]
        self.pos += 1
        if r == "\n":
            self.line += 1
        return r

    def _peek(self) -> str:
        r = self._next()
        self._backup()
        return r

    def _backup(self) -> None:
        if not self.at_eof and self.pos > 0:
            self.pos -= 1
            if self.input[self.pos] == "\n":
                self.line -= 1

    def _this_item(self, typ: _T) -> _Token:
        item = _Token(typ, self.start, self.input[self.start : self.pos], self.start_line)
        self.start = self.pos
        self.start_line = self.line
        return item

    def _emit(self, typ: _T) -> _State | None:
        self.item = self._this_item(typ)
        return None

    def _emit_item(self, item: _Token) -> _State | None:
        self.item = item
        return None

    def _ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def _accept(self, valid: str) -> bool:
        r = self._next()
        if r != _EOF and r in valid:
            return True
        self._backup()
        return False

    def _accept_run(self, valid: str) -> None:
        while True:
            r = self._next()
            if r == _EOF or r not in valid:
                break
        self._backup()

    def _errorf(self, message: str) -> _State | None:
        self.item = _Token(_T.ERROR, self.start, message, self.start_line)
        self.start = 0
        self.pos = 0
        self.input = ""
        return None

    def _lex_text(self) -> _State | None:
        x = self.input.find(_LEFT, self.pos)
        if x >= 0:
            if x > self.pos:
                self.pos = x
                trim = 0
                if _has_left_trim(self.input, self.pos + len(_LEFT)):
                    text = self.input[self.start : self.pos]
                    trim = len(text) - len(text.rstrip(" \t\r\n"))
                self.pos -= trim
                self.line += self.input.count("\n", self.start, self.pos)
                item = self._this_item(_T.TEXT)
                self.pos += trim
                self._ignore()
                if item.val:
                    return self._emit_item(item)
            return self._lex_left_delim
        self.pos = len(self.input)
        if self.pos > self.start:
            self.line += self.input.count("\n", self.start, self.pos)
            return self._emit(_T.TEXT)
        return self._emit(_T.EOF)

    def _at_right_delim(self) -> tuple[bool, bool]:
        if _has_right_trim(self.input, self.pos) and self.input.startswith(_RIGHT, self.pos + 2):
            return True, True
        if self.input.startswith(_RIGHT, self.pos):
            return True, False
        return False, False

    def _skip_left_spaces(self) -> None:
        rest = self.input[self.pos :]
        self.pos += len(rest) - len(rest.lstrip(" \t\r\n"))

    def _lex_left_delim(self) -> _State | None:
        self.pos += len(_LEFT)
        trim = _has_left_trim(self.input, self.pos)
        after = 2 if trim else 0
        if self.input.startswith("/*", self.pos + after):
            self.pos += after
            self._ignore()
            return self._lex_comment
        item = self._this_item(_T.LEFT_DELIM)
        self.inside_action = True
        self.pos += after
        self._ignore()
        self.paren_depth = 0
        return self._emit_item(item)

    def _lex_comment(self) -> _State | None:
        self.pos += 2
        x = self.input.find("*/", self.pos)
        if x < 0:
            return self._errorf("unclosed comment")
        self.pos = x + 2
        delim, trim = self._at_right_delim()
        if not delim:
            return self._errorf("comment ends before closing delimiter")
        self.line += self.input.count("\n", self.start, self.pos)
        self._this_item(_T.COMMENT)  # comments are not emitted (no ParseComments mode)
        if trim:
            self.pos += 2
        self.pos += len(_RIGHT)
        if trim:
            self._skip_left_spaces()
        self._ignore()
        return self._lex_text

    def _lex_right_delim(self) -> _State | None:
        _, trim = self._at_right_delim()
        if trim:
            self.pos += 2
            self._ignore()
        self.pos += len(_RIGHT)
        item = self._this_item(_T.RIGHT_DELIM)
        if trim:
            self._skip_left_spaces()
            self._ignore()
        self.inside_action = False
        return self._emit_item(item)

    def _lex_inside_action(self) -> _State | None:
        delim, _ = self._at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self._lex_right_delim
            return self._errorf("unclosed left paren")
        r = self._next()
        if r == _EOF:
            return self._errorf("unclosed action")
        if _is_space(r):
            self._backup()  # put the space back in case of " -}}"
            return self._lex_space
        if r == "=":
            return self._emit(_T.ASSIGN)
        if r == ":":
            if self._next() != "=":
                return self._errorf("expected :=")
            return self._emit(_T.DECLARE)
        if r == "|":
            return self._emit(_T.PIPE)
        if r == '"':
            return self._lex_quote
        if r == "`":
            return self._lex_raw_quote
        if r == "$":
            return self._lex_variable
        if r == "'":
            return self._lex_char
        if r == ".":
            if self.pos < len(self.input) and not ("0" <= self.input[self.pos] <= "9"):
                return self._lex_field
            self._backup()  # "." can start a number
            return self._lex_number
        if r in "+-" or "0" <= r <= "9":
            self._backup()
            return self._lex_number
        if _is_alnum(r):
            self._backup()
            return self._lex_identifier
        if r == "(":
            self.paren_depth += 1
            return self._emit(_T.LEFT_PAREN)
        if r == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                return self._errorf("unexpected right paren")
            return self._emit(_T.RIGHT_PAREN)
        if r <= "\x7f" and r.isprintable():
            return self._emit(_T.CHAR)
        return self._errorf(f"unrecognized character in action: {_go_unicode(r)}")

    def _lex_space(self) -> _State | None:
        spaces = 0
        while _is_space(self._peek()):
            self._next()
            spaces += 1
        # A space may start a trim-marked right delimiter: " -}}".
        if _has_right_trim(self.input, self.pos - 1) and self.input.startswith(
            _RIGHT, self.pos + 1
        ):
            self._backup()
            if spaces == 1:
                return self._lex_right_delim
        return self._emit(_T.SPACE)

    def _lex_identifier(self) -> _State | None:
        while True:
            r = self._next()
            if _is_alnum(r):
                continue
            self._backup()
            word = self.input[self.start : self.pos]
            if not self._at_terminator():
                return self._errorf(f"bad character {_go_unicode(r)}")
            keyword = _KEYWORDS.get(word)
            if keyword is not None and keyword > _T.KEYWORD:
                return self._emit(keyword)
            if word[0] == ".":
                return self._emit(_T.FIELD)
            if word in ("true", "false"):
                return self._emit(_T.BOOL)
            return self._emit(_T.IDENTIFIER)

    def _lex_field(self) -> _State | None:
        return self._lex_field_or_variable(_T.FIELD)

    def _lex_variable(self) -> _State | None:
        if self._at_terminator():
            return self._emit(_T.VARIABLE)
        return self._lex_field_or_variable(_T.VARIABLE)

    def _lex_field_or_variable(self, typ: _T) -> _State | None:
        if self._at_terminator():
            return self._emit(_T.VARIABLE if typ == _T.VARIABLE else _T.DOT)
        while True:
            r = self._next()
            if not _is_alnum(r):
                self._backup()
                break
        if not self._at_terminator():
            return self._errorf(f"bad character {_go_unicode(r)}")
        return self._emit(typ)

    def _at_terminator(self) -> bool:
        r = self._peek()
        if _is_space(r) or r in (_EOF, ".", ",", "|", ":", ")", "("):
            return True
        return self.input.startswith(_RIGHT, self.pos)

    def _lex_quoted(self, quote: str, message: str, typ: _T) -> _State | None:
        while True:
            r = self._next()
            if r == "\\":
                r = self._next()
                if r != _EOF and r != "\n":
                    continue
                return self._errorf(message)
            if r == _EOF or r == "\n":
                return self._errorf(message)
            if r == quote:
                return self._emit(typ)

    def _lex_char(self) -> _State | None:
        return self._lex_quoted("'", "unterminated character constant", _T.CHAR_CONSTANT)

    def _lex_quote(self) -> _State | None:
        return self._lex_quoted('"', "unterminated quoted string", _T.STRING)

    def _lex_raw_quote(self) -> _State | None:
        while True:
            r = self._next()
            if r == _EOF:
                return self._errorf("unterminated raw quoted string")
            if r == "`":
                return self._emit(_T.RAW_STRING)

    def _lex_number(self) -> _State | None:
        if not self._scan_number():
            text = self.input[self.start : self.pos]
            return self._errorf(f"bad number syntax: {_go_quote(text)}")
        sign = self._peek()
        if sign in ("+", "-"):
            # Complex: 1+2i. No spaces, must end in 'i'.
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                text = self.input[self.start : self.pos]
                return self._errorf(f"bad number syntax: {_go_quote(text)}")
            return self._emit(_T.COMPLEX)
        return self._emit(_T.NUMBER)

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 23 and self._accept("pP"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        if _is_alnum(self._peek()):
            self._next()
            return False
        return True


# ----------------------------------------------------------------------------- parse tree


@dataclass(frozen=True, slots=True)
class _Text:
    pos: int
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class _Identifier:
    pos: int
    ident: str

    def __str__(self) -> str:
        return self.ident


@dataclass(frozen=True, slots=True)
class _Variable:
    pos: int
    ident: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.ident)


@dataclass(frozen=True, slots=True)
class _Dot:
    pos: int

    def __str__(self) -> str:
        return "."


@dataclass(frozen=True, slots=True)
class _Nil:
    pos: int

    def __str__(self) -> str:
        return "nil"


@dataclass(frozen=True, slots=True)
class _Bool:
    pos: int
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True, slots=True)
class _Number:
    pos: int
    text: str
    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = 0j

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class _String:
    pos: int
    quoted: str
    text: str

    def __str__(self) -> str:
        return self.quoted


@dataclass(frozen=True, slots=True)
class _Field:
    pos: int
    ident: tuple[str, ...]

    def __str__(self) -> str:
        return "".join("." + name for name in self.ident)


@dataclass(frozen=True, slots=True)
class _Chain:
    pos: int
    node: _Node
    fields: tuple[str, ...]

    def __str__(self) -> str:
        head = f"({self.node})" if isinstance(self.node, _Pipe) else str(self.node)
        return head + "".join("." + name for name in self.fields)


@dataclass(frozen=True, slots=True)
class _Command:
    pos: int
    args: tuple[_Node, ...]

    def __str__(self) -> str:
        return " ".join(f"({a})" if isinstance(a, _Pipe) else str(a) for a in self.args)


@dataclass(frozen=True, slots=True)
class _Pipe:
    pos: int
    line: int
    is_assign: bool
    decl: tuple[_Variable, ...]
    cmds: tuple[_Command, ...]

    def __str__(self) -> str:
        head = ", ".join(str(v) for v in self.decl) + " := " if self.decl else ""
        return head + " | ".join(str(c) for c in self.cmds)


@dataclass(frozen=True, slots=True)
class _Action:
    pos: int
    line: int
    pipe: _Pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


@dataclass(frozen=True, slots=True)
class _List:
    pos: int
    nodes: tuple[_Node, ...]

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


@dataclass(frozen=True, slots=True)
class _Branch:
    kind: Literal["if", "range", "with"]
    pos: int
    line: int
    pipe: _Pipe
    body: _List
    else_body: _List | None

    def __str__(self) -> str:
        text = "{{" + self.kind + " " + str(self.pipe) + "}}" + str(self.body)
        if self.else_body is not None:
            text += "{{else}}" + str(self.else_body)
        return text + "{{end}}"


@dataclass(frozen=True, slots=True)
class _TemplateCall:
    pos: int
    line: int
    name: str
    pipe: _Pipe | None

    def __str__(self) -> str:
        pipe = f" {self.pipe}" if self.pipe is not None else ""
        return "{{template " + _go_quote(self.name) + pipe + "}}"


@dataclass(frozen=True, slots=True)
class _Break:
    pos: int
    line: int

    def __str__(self) -> str:
        return "{{break}}"


@dataclass(frozen=True, slots=True)
class _Continue:
    pos: int
    line: int

    def __str__(self) -> str:
        return "{{continue}}"


@dataclass(frozen=True, slots=True)
class _End:
    pos: int

    def __str__(self) -> str:
        return "{{end}}"


@dataclass(frozen=True, slots=True)
class _Else:
    pos: int
    line: int

    def __str__(self) -> str:
        return "{{else}}"


_Node = (
    _Text | _Identifier | _Variable | _Dot | _Nil | _Bool | _Number | _String | _Field | _Chain
    | _Command | _Pipe | _Action | _List | _Branch | _TemplateCall | _Break | _Continue
    | _End | _Else
)

# Go's maxStackDepth is 10000; Python's recursion limit is lower.
_MAX_PAREN_DEPTH: Final = 100


def _is_empty_tree(node: _Node) -> bool:
    if isinstance(node, _List):
        return all(_is_empty_tree(n) for n in node.nodes)
    if isinstance(node, _Text):
        return not node.text.strip()
    return False


class _Parser:
    """Go's text/template/parse recursive-descent parser for one template."""

    def __init__(self, lexer: _Lexer, trees: dict[str, _List], funcs: Mapping[str, _Func],
                 name: str = "") -> None:
        self.lex = lexer
        self.trees = trees
        self.funcs = funcs
        self.name = name
        self.token = [_ZERO_TOKEN, _ZERO_TOKEN, _ZERO_TOKEN]
        self.peek_count = 0
        self.vars = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.stack_depth = 0

    # token stream with three-token lookahead

    def _next(self) -> _Token:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.lex.next_item()
        return self.token[self.peek_count]

    def _backup(self) -> None:
        self.peek_count += 1

    def _backup2(self, t1: _Token) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def _backup3(self, t2: _Token, t1: _Token) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def _peek(self) -> _Token:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.lex.next_item()
        return self.token[0]

    def _next_non_space(self) -> _Token:
        while True:
            token = self._next()
            if token.typ != _T.SPACE:
                return token

    def _peek_non_space(self) -> _Token:
        token = self._next_non_space()
        self._backup()
        return token

    # errors

    def _errorf(self, message: str) -> NoReturn:
        raise TemplateParseError(f"template: :{self.token[0].line}: {message}")

    def _expect(self, expected: _T, context: str) -> _Token:
        token = self._next_non_space()
        if token.typ != expected:
            self._unexpected(token, context)
        return token

    def _expect_one_of(self, first: _T, second: _T, context: str) -> _Token:
        token = self._next_non_space()
        if token.typ not in (first, second):
            self._unexpected(token, context)
        return token

    def _unexpected(self, token: _Token, context: str) -> NoReturn:
        if token.typ == _T.ERROR:
            extra = ""
            if self.action_line not in (0, token.line):
                extra = f" in action started at :{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self._errorf(f"{token}{extra}")
        self._errorf(f"unexpected {token} in {context}")

    def _unquote(self, quoted: str) -> str:
        try:
            return _go_unquote(quoted)
        except ValueError:
            self._errorf("invalid syntax")

    # templates

    def parse(self) -> None:
        """Parse the whole input as the top-level template, collecting definitions."""
        pos = self._peek().pos
        nodes: list[_Node] = []
        while self._peek().typ != _T.EOF:
            if self._peek().typ == _T.LEFT_DELIM:
                delim = self._next()
                if self._next_non_space().typ == _T.DEFINE:
                    _Parser(self.lex, self.trees, self.funcs, "definition").parse_definition()
                    continue
                self._backup2(delim)
            node = self._text_or_action()
            if isinstance(node, (_End, _Else)):
                self._errorf(f"unexpected {node}")
            nodes.append(node)
        self._add(_List(pos, tuple(nodes)))

    def parse_definition(self) -> None:
        """Parse ``{{define "name"}} ... {{end}}``; the keyword is already read."""
        context = "define clause"
        name = self._expect_one_of(_T.STRING, _T.RAW_STRING, context)
        self.name = self._unquote(name.val)
        self._expect(_T.RIGHT_DELIM, context)
        root, end = self._item_list()
        if not isinstance(end, _End):
            self._errorf(f"unexpected {end} in {context}")
        self._add(root)

    def _add(self, root: _List) -> None:
        tree = self.trees.get(self.name)
        if tree is None or _is_empty_tree(tree):
            self.trees[self.name] = root
            return
        if not _is_empty_tree(root):
            self._errorf(f"template: multiple definition of template {_go_quote(self.name)}")

    def _item_list(self) -> tuple[_List, _Node]:
        pos = self._peek_non_space().pos
        nodes: list[_Node] = []
        while self._peek_non_space().typ != _T.EOF:
            node = self._text_or_action()
            if isinstance(node, (_End, _Else)):
                return _List(pos, tuple(nodes)), node
            nodes.append(node)
        self._errorf("unexpected EOF")

    def _text_or_action(self) -> _Node:
        token = self._next_non_space()
        if token.typ == _T.TEXT:
            return _Text(token.pos, token.val)
        if token.typ == _T.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self._action()
            finally:
                self.action_line = 0
        self._unexpected(token, "input")

    def _action(self) -> _Node:
        token = self._next_non_space()
        typ = token.typ
        if typ == _T.BLOCK:
            return self._block_control()
        if typ in (_T.BREAK, _T.CONTINUE):
            return self._break_or_continue(token)
        if typ == _T.ELSE:
            return self._else_control()
        if typ == _T.END:
            return _End(self._expect(_T.RIGHT_DELIM, "end").pos)
        if typ in (_T.IF, _T.RANGE, _T.WITH):
            return self._branch(token.val)  # type: ignore[arg-type]
        if typ == _T.TEMPLATE:
            return self._template_control()
        self._backup()
        token = self._peek()
        return _Action(token.pos, token.line, self._pipeline("command", _T.RIGHT_DELIM))

    def _break_or_continue(self, keyword: _Token) -> _Node:
        name = keyword.val
        token = self._next_non_space()
        if token.typ != _T.RIGHT_DELIM:
            self._unexpected(token, "{{" + name + "}}")
        if self.range_depth == 0:
            self._errorf("{{" + name + "}} outside {{range}}")
        if keyword.typ == _T.BREAK:
            return _Break(keyword.pos, keyword.line)
        return _Continue(keyword.pos, keyword.line)

    def _pipeline(self, context: str, end: _T) -> _Pipe:
        token = self._peek_non_space()
        decl: list[_Variable] = []
        is_assign = False
        while True:  # declarations; loops only for range's second variable
            v = self._peek_non_space()
            if v.typ != _T.VARIABLE:
                break
            self._next()
            # Spaces are tokens, so "$x foo" needs three tokens of lookahead.
            after_variable = self._peek()
            following = self._peek_non_space()
            if following.typ in (_T.ASSIGN, _T.DECLARE):
                is_assign = following.typ == _T.ASSIGN
                self._next_non_space()
                decl.append(_Variable(v.pos, tuple(v.val.split("."))))
                self.vars.append(v.val)
            elif following.typ == _T.CHAR and following.val == ",":
                self._next_non_space()
                decl.append(_Variable(v.pos, tuple(v.val.split("."))))
                self.vars.append(v.val)
                if context == "range" and len(decl) < 2:
                    if self._peek_non_space().typ in (_T.VARIABLE, _T.RIGHT_DELIM, _T.RIGHT_PAREN):
                        continue
                    self._errorf("range can only initialize variables")
                self._errorf(f"too many declarations in {context}")
            elif after_variable.typ == _T.SPACE:
                self._backup3(v, after_variable)
            else:
                self._backup2(v)
            break
        cmds: list[_Command] = []
        while True:
            tok = self._next_non_space()
            if tok.typ == end:
                pipe = _Pipe(token.pos, token.line, is_assign, tuple(decl), tuple(cmds))
                self._check_pipeline(pipe, context)
                return pipe
            if tok.typ in (_T.BOOL, _T.CHAR_CONSTANT, _T.COMPLEX, _T.DOT, _T.FIELD, _T.IDENTIFIER,
                           _T.NUMBER, _T.NIL, _T.RAW_STRING, _T.STRING, _T.VARIABLE,
                           _T.LEFT_PAREN):
                self._backup()
                cmds.append(self._command())
            else:
                self._unexpected(tok, context)

    def _check_pipeline(self, pipe: _Pipe, context: str) -> None:
        if not pipe.cmds:
            self._errorf(f"missing value for {context}")
        for stage, cmd in enumerate(pipe.cmds[1:], start=2):
            if isinstance(cmd.args[0], (_Bool, _Dot, _Nil, _Number, _String)):
                self._errorf(f"non executable command in pipeline stage {stage}")

    def _branch(self, context: Literal["if", "range", "with"]) -> _Branch:
        mark = len(self.vars)
        try:
            pipe = self._pipeline(context, _T.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self._item_list()
            if context == "range":
                self.range_depth -= 1
            else_body: _List | None = None
            if isinstance(following, _Else):
                # "{{else if x}}" is "{{else}}{{if x}}...{{end}}{{end}}", sharing one end.
                chained = _T.IF if context == "if" else _T.WITH
                if context != "range" and self._peek().typ == chained:
                    self._next()
                    else_body = _List(following.pos, (self._branch(context),))
                else:
                    else_body, following = self._item_list()
                    if not isinstance(following, _End):
                        self._errorf(f"expected end; found {following}")
            return _Branch(context, pipe.pos, pipe.line, pipe, body, else_body)
        finally:
            del self.vars[mark:]

    def _else_control(self) -> _Else:
        peek = self._peek_non_space()
        if peek.typ in (_T.IF, _T.WITH):
            return _Else(peek.pos, peek.line)
        token = self._expect(_T.RIGHT_DELIM, "else")
        return _Else(token.pos, token.line)

    def _block_control(self) -> _TemplateCall:
        context = "block clause"
        token = self._next_non_space()
        name = self._template_name(token, context)
        pipe = self._pipeline(context, _T.RIGHT_DELIM)
        block = _Parser(self.lex, self.trees, self.funcs, name)
        root, end = block._item_list()
        if not isinstance(end, _End):
            self._errorf(f"unexpected {end} in {context}")
        block._add(root)
        return _TemplateCall(token.pos, token.line, name, pipe)

    def _template_control(self) -> _TemplateCall:
        context = "template clause"
        token = self._next_non_space()
        name = self._template_name(token, context)
        pipe: _Pipe | None = None
        if self._next_non_space().typ != _T.RIGHT_DELIM:
            self._backup()
            pipe = self._pipeline(context, _T.RIGHT_DELIM)
        return _TemplateCall(token.pos, token.line, name, pipe)

    def _template_name(self, token: _Token, context: str) -> str:
        if token.typ in (_T.STRING, _T.RAW_STRING):
            return self._unquote(token.val)
        self._unexpected(token, context)

    def _command(self) -> _Command:
        pos = self._peek_non_space().pos
        args: list[_Node] = []
        while True:
            self._peek_non_space()
            operand = self._operand()
            if operand is not None:
                args.append(operand)
            token = self._next()
            if token.typ == _T.SPACE:
                continue
            if token.typ in (_T.RIGHT_DELIM, _T.RIGHT_PAREN):
                self._backup()
            elif token.typ != _T.PIPE:
                self._unexpected(token, "operand")
            break
        if not args:
            self._errorf("empty command")
        return _Command(pos, tuple(args))

    def _operand(self) -> _Node | None:
        node = self._term()
        if node is None:
            return None
        if self._peek().typ == _T.FIELD:
            pos = self._peek().pos
            fields: list[str] = []
            while self._peek().typ == _T.FIELD:
                fields.append(self._next().val[1:])
            # Go folds fields onto fields and variables, positioned at the chain.
            if isinstance(node, _Field):
                return _Field(pos, node.ident + tuple(fields))
            if isinstance(node, _Variable):
                return _Variable(pos, node.ident + tuple(fields))
            if isinstance(node, (_Bool, _String, _Number, _Nil, _Dot)):
                self._errorf(f"unexpected . after term {_go_quote(str(node))}")
            return _Chain(pos, node, tuple(fields))
        return node

    def _term(self) -> _Node | None:
        token = self._next_non_space()
        typ = token.typ
        if typ == _T.IDENTIFIER:
            if token.val not in self.funcs:
                self._errorf(f"function {_go_quote(token.val)} not defined")
            return _Identifier(token.pos, token.val)
        if typ == _T.DOT:
            return _Dot(token.pos)
        if typ == _T.NIL:
            return _Nil(token.pos)
        if typ == _T.VARIABLE:
            name = token.val.split(".")[0]
            if name not in self.vars:
                self._errorf(f"undefined variable {_go_quote(name)}")
            return _Variable(token.pos, tuple(token.val.split(".")))
        if typ == _T.FIELD:
            return _Field(token.pos, tuple(token.val[1:].split(".")))
        if typ == _T.BOOL:
            return _Bool(token.pos, token.val == "true")
        if typ in (_T.CHAR_CONSTANT, _T.COMPLEX, _T.NUMBER):
            try:
                return _new_number(token.pos, token.val, typ)
            except ValueError as error:
                self._errorf(str(error))
        if typ == _T.LEFT_PAREN:
            if self.stack_depth >= _MAX_PAREN_DEPTH:
                self._errorf("max expression depth exceeded")
            self.stack_depth += 1
            try:
                return self._pipeline("parenthesized pipeline", _T.RIGHT_PAREN)
            finally:
                self.stack_depth -= 1
        if typ in (_T.STRING, _T.RAW_STRING):
            return _String(token.pos, token.val, self._unquote(token.val))
        self._backup()
        return None


# ----------------------------------------------------------------------------- literals


def _parse_go_int(text: str, *, signed: bool) -> int | None:
    """Parse like strconv.ParseInt/ParseUint with base 0; None if invalid or out of range."""
    s = text
    negative = False
    if signed and s[:1] in ("+", "-"):
        negative = s[0] == "-"
        s = s[1:]
    base, body, prefixed = 10, s, False
    if len(s) >= 2 and s[0] == "0":
        marker = s[1].lower()
        if marker in "xob":
            base, body, prefixed = {"x": 16, "o": 8, "b": 2}[marker], s[2:], True
        else:
            base, body = 8, s[1:]
    if not body or body.endswith("_") or "__" in body or (body.startswith("_") and not prefixed):
        return None
    allowed = "0123456789abcdef"[:base]
    if any(c != "_" and c.lower() not in allowed for c in body):
        return None
    value = int(body.replace("_", ""), base)
    value = -value if negative else value
    if signed:
        return value if -(2**63) <= value < 2**63 else None
    return value if value < 2**64 else None


def _parse_go_float(text: str) -> float | None:
    """Parse like strconv.ParseFloat for literal syntax; None if invalid or out of range."""
    body = text.lstrip("+-")
    if not body or any(c not in "0123456789abcdefABCDEFxXpP._+-" for c in body):
        return None
    try:
        if body[:2].lower() == "0x":
            value = float.fromhex(text.replace("_", ""))
        else:
            value = float(text)
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _new_number(pos: int, text: str, typ: _T) -> _Number:
    """Build a number node the way Go's parse.newNumber does (ideal constants)."""
    if typ == _T.CHAR_CONSTANT:
        try:
            char, tail = _unquote_char(text[1:], text[0])
        except ValueError:
            raise ValueError("invalid syntax") from None
        if tail != "'":
            raise ValueError(f"malformed character constant: {text}")
        code = ord(char)
        return _Number(pos, text, True, True, True, False, code, code, float(code))
    if typ == _T.COMPLEX or text.endswith("i"):
        try:
            number = complex(text.replace("_", "")[:-1] + "j")
        except ValueError:
            raise ValueError(f"illegal number syntax: {_go_quote(text)}") from None
        if number.imag != 0:
            return _Number(pos, text, is_complex=True, complex128=number)
        real = number.real
        whole = real == int(real)
        return _Number(pos, text, whole, whole and real >= 0, True, True, int(real) if whole else 0,
                       int(real) if whole and real >= 0 else 0, real, number)
    unsigned = _parse_go_int(text, signed=False)
    signed = _parse_go_int(text, signed=True)
    is_int, is_uint = signed is not None, unsigned is not None
    int64 = signed or 0
    uint64 = unsigned or 0
    if is_int and int64 == 0:
        is_uint, uint64 = True, 0  # in case of -0
    if is_int:
        return _Number(pos, text, True, is_uint, True, False, int64, uint64, float(int64))
    if is_uint:
        return _Number(pos, text, False, True, True, False, 0, uint64, float(uint64))
    value = _parse_go_float(text)
    if value is None:
        raise ValueError(f"illegal number syntax: {_go_quote(text)}")
    if not any(c in text for c in ".eEpP"):
        raise ValueError(f"integer overflow: {_go_quote(text)}")
    whole = value == int(value)
    as_int = whole and -(2**63) <= value < 2**63
    as_uint = whole and 0 <= value < 2**64
    return _Number(pos, text, as_int, as_uint, True, False, int(value) if as_int else 0,
                   int(value) if as_uint else 0, value)


_SIMPLE_ESCAPES: Final = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                          "v": "\v", "\\": "\\"}


def _unquote_char(s: str, quote: str) -> tuple[str, str]:
    """Decode one character of a Go quoted literal (strconv.UnquoteChar)."""
    if not s:
        raise ValueError("invalid syntax")
    c = s[0]
    if c == quote and quote in "'\"":
        raise ValueError("invalid syntax")
    if c != "\\":
        return c, s[1:]
    if len(s) <= 1:
        raise ValueError("invalid syntax")
    c, s = s[1], s[2:]
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], s
    if c in "xuU":
        size = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[:size]
        if len(digits) < size or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise ValueError("invalid syntax")
        code = int(digits, 16)
        if c != "x" and (code > 0x10FFFF or 0xD800 <= code <= 0xDFFF):
            raise ValueError("invalid syntax")
        return chr(code), s[size:]
    if "0" <= c <= "7":
        digits = c + s[:2]
        if len(digits) < 3 or any(d not in "01234567" for d in digits) or int(digits, 8) > 255:
            raise ValueError("invalid syntax")
        return chr(int(digits, 8)), s[2:]
    if c in "'\"" and c == quote:
        return c, s
    raise ValueError("invalid syntax")


def _go_unquote(quoted: str) -> str:
    """Decode a Go string literal, double-quoted or raw (strconv.Unquote)."""
    if len(quoted) < 2 or quoted[0] != quoted[-1] or quoted[0] not in "\"`":
        raise ValueError("invalid syntax")
    body = quoted[1:-1]
    if quoted[0] == "`":
        if "`" in body:
            raise ValueError("invalid syntax")
        return body.replace("\r", "")
    out: list[str] = []
    while body:
        char, body = _unquote_char(body, '"')
        out.append(char)
    return "".join(out)


# ----------------------------------------------------------------------------- fmt


@dataclass(slots=True)
class _Spec:
    """The flags, width and precision of one fmt verb."""

    minus: bool = False
    plus: bool = False
    sharp: bool = False
    space: bool = False
    zero: bool = False
    width: int | None = None
    prec: int | None = None
    plus_v: bool = False
    sharp_v: bool = False


_PLAIN: Final = _Spec()

_QUOTE_ESCAPES: Final = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                         "\t": "\\t", "\v": "\\v"}


def _go_quote(s: str, *, ascii_only: bool = False, quote: str = '"') -> str:
    """Quote like Go's strconv.Quote (or QuoteToASCII / QuoteRune)."""
    out = [quote]
    for ch in s:
        code = ord(ch)
        if ch == quote or ch == "\\":
            out.append("\\" + ch)
        elif ch.isprintable() and (not ascii_only or code < 0x80):
            out.append(ch)
        elif ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append(quote)
    return "".join(out)


def _utf8(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def _from_utf8(b: bytes) -> str:
    return b.decode("utf-8", "replace")


def _type_name(value: object) -> str:
    """Return the Go type name this value stands for, as reflect prints it."""
    if isinstance(value, _Iface):
        return "interface {}"
    if value is None or value is _NO_VALUE:
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
    if isinstance(value, _RawList):
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


def _pad(s: str, spec: _Spec) -> str:
    if spec.width is None or spec.width <= len(s):
        return s
    fill = spec.width - len(s)
    if spec.minus:
        return s + " " * fill
    return ("0" if spec.zero else " ") * fill + s


def _bad_verb(verb: str, value: object, spec: _Spec) -> str:
    if value is None:
        return f"%!{verb}(<nil>)"
    plain = _Spec(spec.minus, spec.plus, spec.sharp, spec.space, spec.zero, spec.width, spec.prec)
    return f"%!{verb}({_type_name(value)}={_format(value, 'v', plain, 0)})"


def _format(value: object, verb: str, spec: _Spec, depth: int) -> str:
    """Format one value for a verb, as Go's fmt printArg/printValue do."""
    if isinstance(value, _Iface):
        if value.value is None:
            return _pad("<nil>", spec)
        value = value.value
    if value is _NO_VALUE:
        value = None
    if verb == "T":
        return _pad("<nil>" if value is None else _type_name(value), spec)
    if value is None:
        if depth > 0 or verb == "v":
            return _pad("<nil>", spec)
        return _bad_verb(verb, None, spec)
    if isinstance(value, bool):
        if verb in "tv":
            return _pad("true" if value else "false", spec)
        return _bad_verb(verb, value, spec)
    if isinstance(value, int):
        return _format_int(value, verb, spec)
    if isinstance(value, float):
        return _format_float_verb(value, verb, spec)
    if isinstance(value, complex):
        if verb not in "vgGeEfF":
            return _bad_verb(verb, value, spec)
        inner = _Spec(plus=True, prec=spec.prec)
        real = _format_float_verb(value.real, verb, _Spec(prec=spec.prec))
        return _pad(f"({real}{_format_float_verb(value.imag, verb, inner)}i)", spec)
    if isinstance(value, str):
        return _format_str(value, verb, spec)
    if isinstance(value, GoNil):
        if spec.sharp_v:
            return f"{value.type_name}(nil)"
        return "[]" if value.kind == "slice" else "map[]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(_format(v, verb, spec, depth + 1) for v in value) + "]"
    if isinstance(value, GoMap):
        items = (f"{_format(k, verb, spec, depth + 1)}:{_format(value[k], verb, spec, depth + 1)}"
                 for k in sorted(value))
        return "map[" + " ".join(items) + "]"
    if isinstance(value, dict):
        names = spec.plus_v or spec.sharp_v
        fields = ((f"{k}:" if names else "") + _format(v, verb, spec, depth + 1)
                  for k, v in value.items())
        return "{" + " ".join(fields) + "}"
    if callable(value):
        return _pad("0x0", spec)
    return _pad(str(value), spec)


def _format_str(s: str, verb: str, spec: _Spec) -> str:
    if verb in "vs":
        if verb == "v" and spec.sharp_v:
            return _pad(_go_quote(s), spec)
        return _pad(s if spec.prec is None else s[: spec.prec], spec)
    if verb in "xX":
        data = _utf8(s)
        if spec.prec is not None:
            data = data[: spec.prec]
        digits = "0123456789abcdef" if verb == "x" else "0123456789ABCDEF"
        prefix = "0" + verb if spec.sharp else ""
        parts: list[str] = []
        for i, byte in enumerate(data):
            if i == 0:
                parts.append(prefix)
            elif spec.space:
                parts.append(" " + prefix)
            parts.append(digits[byte >> 4] + digits[byte & 0xF])
        return _pad("".join(parts), spec)
    if verb == "q":
        text = s if spec.prec is None else s[: spec.prec]
        if spec.sharp and "`" not in text and all(c == "\t" or c.isprintable() for c in text):
            return _pad("`" + text + "`", spec)
        return _pad(_go_quote(text, ascii_only=spec.plus), spec)
    return _bad_verb(verb, s, spec)


def _format_integer(value: int, base: int, verb: str, spec: _Spec) -> str:
    negative = value < 0
    magnitude = -value if negative else value
    prec = 0
    if spec.prec is not None:
        prec = spec.prec
        if prec == 0 and value == 0:
            return " " * (spec.width or 0)
    elif spec.zero and not spec.minus and spec.width is not None:
        prec = spec.width
        if negative or spec.plus or spec.space:
            prec -= 1
    digits = {2: "b", 8: "o", 10: "d", 16: "x"}[base]
    text = format(magnitude, digits)
    if verb == "X":
        text = text.upper()
    text = text.rjust(prec, "0")
    if spec.sharp:
        if base == 2:
            text = "0b" + text
        elif base == 8 and not text.startswith("0"):
            text = "0" + text
        elif base == 16:
            text = "0" + verb + text
    if verb == "O":
        text = "0o" + text
    if negative:
        text = "-" + text
    elif spec.plus:
        text = "+" + text
    elif spec.space:
        text = " " + text
    return _pad(text, _Spec(minus=spec.minus, width=spec.width))


def _format_int(value: int, verb: str, spec: _Spec) -> str:
    bases = {"v": 10, "d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}
    if verb in bases:
        return _format_integer(value, bases[verb], verb, spec)
    valid = 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF
    char = chr(value) if valid else "\ufffd"
    if verb == "c":
        return _pad(char, spec)
    if verb == "q":
        return _pad(_go_quote(char, ascii_only=spec.plus, quote="'"), spec)
    if verb == "U":
        text = f"U+{value:04X}" if value >= 0 else f"U+-{-value:04X}"
        if spec.sharp and valid and char.isprintable():
            text += f" '{char}'"
        return _pad(text, spec)
    return _bad_verb(verb, value, spec)


def _shortest_digits(magnitude: float) -> tuple[str, int]:
    """Return the shortest decimal digits and point position: value = 0.DIGITS x 10**dp."""
    if magnitude == 0:
        return "", 0
    mantissa, _, exponent = repr(magnitude).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    return stripped.rstrip("0"), point


def _digits_e(digits: str, point: int, prec: int, letter: str) -> str:
    text = digits[:1] or "0"
    if prec > 0:
        text += "." + digits[1 : 1 + prec].ljust(prec, "0")
    exp = point - 1 if digits else 0
    return f"{text}{letter}{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _digits_f(digits: str, point: int, prec: int) -> str:
    whole = digits[:point].ljust(point, "0") if point > 0 else "0"
    if prec <= 0:
        return whole
    fraction = "".join(digits[point + i] if 0 <= point + i < len(digits) else "0"
                       for i in range(prec))
    return whole + "." + fraction


def _format_float(value: float, fmt: str, prec: int) -> str:
    """Format like Go's strconv.FormatFloat(value, fmt, prec, 64) for e, f and g."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if prec >= 0:
        if fmt in "gG":
            return f"{value:.{max(prec, 1)}{fmt}}"
        return f"{value:.{prec}{fmt}}"
    digits, point = _shortest_digits(abs(value))
    if fmt in "eE":
        return sign + _digits_e(digits, point, max(len(digits) - 1, 0), fmt)
    if fmt in "fF":
        return sign + _digits_f(digits, point, max(len(digits) - point, 0))
    exp = point - 1
    if exp < -4 or exp >= 6:  # Go uses precision 6 for this decision when shortest
        return sign + _digits_e(digits, point, len(digits) - 1, "e" if fmt == "g" else "E")
    return sign + _digits_f(digits, point, max(len(digits) - point, 0))


def _format_float_verb(value: float, verb: str, spec: _Spec) -> str:
    if verb == "v":
        fmt, prec = "g", -1
    elif verb in "gG":
        fmt, prec = verb, -1
    elif verb in "eEfF":
        fmt, prec = verb, 6
    else:
        return _bad_verb(verb, value, spec)
    if spec.prec is not None:
        prec = spec.prec
    num = _format_float(value, fmt, prec)
    if num[0] not in "+-":
        num = "+" + num
    if spec.space and num[0] == "+" and not spec.plus:
        num = " " + num[1:]
    if num[1:] in ("Inf", "NaN"):
        if num[1] == "N" and not spec.space and not spec.plus:
            num = num[1:]
        return _pad(num, _Spec(minus=spec.minus, width=spec.width))
    if spec.plus or num[0] != "+":
        if spec.zero and not spec.minus and spec.width is not None and spec.width > len(num):
            return num[0] + "0" * (spec.width - len(num)) + num[1:]
        return _pad(num, spec)
    return _pad(num[1:], spec)


def _sprint(args: Sequence[object]) -> str:
    """Format like Go's fmt.Sprint: spaces between operands when neither is a string."""
    out: list[str] = []
    previous_string = False
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not previous_string:
            out.append(" ")
        out.append(_format(arg, "v", _PLAIN, 0))
        previous_string = is_string
    return "".join(out)


def _sprintln(args: Sequence[object]) -> str:
    return " ".join(_format(arg, "v", _PLAIN, 0) for arg in args) + "\n"


def _int_arg(args: Sequence[object], index: int) -> tuple[int | None, int]:
    if index >= len(args):
        return None, index
    value = args[index]
    if isinstance(value, int) and not isinstance(value, bool):
        return value, index + 1
    return None, index + 1


def _sprintf(fmt: str, args: Sequence[object]) -> str:
    """Format like Go's fmt.Sprintf (no explicit argument indexes)."""
    out: list[str] = []
    argnum, i, n = 0, 0, len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i = j + 1
        spec = _Spec()
        while i < n and fmt[i] in "#0+- ":
            flag = fmt[i]
            if flag == "#":
                spec.sharp = True
            elif flag == "0":
                spec.zero = not spec.minus
            elif flag == "+":
                spec.plus = True
            elif flag == "-":
                spec.minus, spec.zero = True, False
            else:
                spec.space = True
            i += 1
        if i < n and fmt[i] == "*":
            i += 1
            width, argnum = _int_arg(args, argnum)
            if width is None:
                out.append("%!(BADWIDTH)")
            elif width < 0:
                spec.minus, spec.zero, spec.width = True, False, -width
            else:
                spec.width = width
        else:
            start = i
            while i < n and "0" <= fmt[i] <= "9":
                i += 1
            if i > start:
                spec.width = int(fmt[start:i])
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                prec, argnum = _int_arg(args, argnum)
                if prec is None:
                    out.append("%!(BADPREC)")
                elif prec >= 0:
                    spec.prec = prec
            else:
                start = i
                while i < n and "0" <= fmt[i] <= "9":
                    i += 1
                spec.prec = int(fmt[start:i]) if i > start else 0
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            out.append("%")
            continue
        if argnum >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[argnum]
        argnum += 1
        if verb == "v":
            spec.sharp_v, spec.sharp = spec.sharp, False
            spec.plus_v, spec.plus = spec.plus, False
        out.append(_format(arg, verb, spec, 0))
    if argnum < len(args):
        extras = ", ".join("<nil>" if a is None else f"{_type_name(a)}={_format(a, 'v', _PLAIN, 0)}"
                           for a in args[argnum:])
        out.append(f"%!(EXTRA {extras})")
    return "".join(out)


# ----------------------------------------------------------------------------- json


class _JsonError(Exception):
    """A value encoding/json refuses to marshal."""


def _json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif code < 0x20:
            short = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch)
            out.append(short or f"\\u00{code:02x}")
        elif code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _json_float(value: float) -> str:
    if not math.isfinite(value):
        raise _JsonError(f"json: unsupported value: {_format_float(value, 'g', -1)}")
    magnitude = abs(value)
    fmt = "e" if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21) else "f"
    text = _format_float(value, fmt, -1)
    if fmt == "e" and len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
        text = text[:-2] + text[-1]  # e-07 -> e-7, as encoding/json does
    return text


def _marshal(value: object) -> str:
    if isinstance(value, _Iface):
        value = value.value
    if value is None or value is _NO_VALUE or isinstance(value, GoNil):
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, JsonNumber):
        return str(value) or "0"
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_marshal(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value) if isinstance(value, GoMap) else list(value)
        if isinstance(value, GoStruct) and value.omitempty:
            keys = [k for k in keys if k not in value.omitempty or not _is_empty_json(value[k])]
        return "{" + ",".join(f"{_json_string(str(k))}:{_marshal(value[k])}" for k in keys) + "}"
    raise _JsonError(f"json: unsupported type: {_type_name(value)}")


def _is_empty_json(value: object) -> bool:
    """Return whether Go's omitempty drops the value (zero, empty or nil)."""
    if value is None or isinstance(value, GoNil):
        return True
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float, str, list, tuple, dict)):
        return not value
    return False


def marshal_json(value: object) -> str:
    """Encode like docker's ``json`` template function; ``""`` where Go's encoder fails.

    docker/cli uses a json.Encoder with SetEscapeHTML(false): compact, ``<>&``
    kept as is, GoMap keys sorted, struct (dict) keys in order.
    """
    try:
        return _marshal(value)
    except _JsonError:
        return ""


def to_raw(data: object) -> object:
    """Return the value docker/cli decodes from inspect JSON with UseNumber.

    Every object becomes a ``map[string]interface {}`` (sorted, missing keys
    are errors under ``missingkey=error``), numbers become ``JsonNumber``.
    """
    if isinstance(data, _Iface):
        return to_raw(data.value)
    if data is None or data is _NO_VALUE or isinstance(data, GoNil):
        return None
    if isinstance(data, bool) or isinstance(data, JsonNumber):
        return data
    if isinstance(data, int):
        return JsonNumber(str(data))
    if isinstance(data, float):
        try:
            return JsonNumber(_json_float(data))
        except _JsonError:
            return None
    if isinstance(data, str):
        return str(data)
    if isinstance(data, (list, tuple)):
        return _RawList(to_raw(v) for v in data)
    if isinstance(data, dict):
        return _RawMap(((str(k), to_raw(v)) for k, v in data.items() if not callable(v)))
    return None


# ----------------------------------------------------------------------------- functions


class _CallError(Exception):
    """A template function failed; Go reports ``error calling NAME: MSG``."""


_Kind = Literal["value", "any", "string", "int", "strings"] | None
_KIND_NAMES: Final = {"value": "reflect.Value", "any": "interface {}", "string": "string",
                      "int": "int", "strings": "[]string"}


@dataclass(frozen=True, slots=True)
class _Func:
    """A template function: parameter kinds, variadic kind, implementation."""

    params: tuple[_Kind, ...]
    variadic: _Kind
    impl: Callable[[list[object]], object]
    builtin: bool = True


def _indirect_interface(value: object) -> object:
    if isinstance(value, _Iface):
        return _NO_VALUE if value.value is None else value.value
    return value


def _indirect(value: object) -> tuple[object, bool]:
    """Follow interfaces (and nil pointers) as Go's indirect does."""
    if isinstance(value, _Iface):
        if value.value is None:
            return value, True
        value = value.value
    if value is None:
        return value, True
    return value, False


def _is_true(value: object) -> tuple[bool, bool]:
    """Return Go's truth of a value and whether it has one."""
    if isinstance(value, _Iface):
        return value.value is not None, True
    if value is _NO_VALUE or value is None or isinstance(value, GoNil):
        return False, True
    if isinstance(value, (bool, int, float, complex)):
        return value != 0, True
    if isinstance(value, str):
        return bool(value), True
    if isinstance(value, (list, tuple, GoMap)):
        return bool(value), True
    return True, True  # structs, methods


def _truth(value: object) -> bool:
    return _is_true(_indirect_interface(value))[0]


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
    if value is _NO_VALUE:
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
    return value is _NO_VALUE or value is None or isinstance(value, GoNil)


def _comparable(value: object) -> bool:
    if isinstance(value, (list, tuple, GoMap, GoNil)) or callable(value):
        return False
    if isinstance(value, dict):
        return all(_comparable(v) for v in value.values())
    return True


def _builtin_eq(argv: list[object]) -> bool:
    arg1 = _indirect_interface(argv[0])
    if len(argv) < 2:
        raise _CallError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for raw in argv[1:]:
        arg = _indirect_interface(raw)
        k2 = _basic_kind(arg)
        truth = False
        if k1 != k2:
            if arg1 is not _NO_VALUE and arg is not _NO_VALUE:
                raise _CallError(
                    f"incompatible types for comparison: {_type_name(arg1)} and {_type_name(arg)}")
        elif k1 != "invalid":
            truth = arg1 == arg
        else:
            kinds = (_reflect_kind(arg1), _reflect_kind(arg))
            if kinds[0] != kinds[1] and "invalid" not in kinds:
                raise _CallError(
                    f"non-comparable types {_format(arg1, 's', _PLAIN, 0)}: {_type_name(arg1)}, "
                    f"{_type_name(arg)}: {_format(arg, 'v', _PLAIN, 0)}")
            if _is_nil(arg1) or _is_nil(arg):
                truth = _is_nil(arg) == _is_nil(arg1)
            else:
                if not _comparable(arg):
                    raise _CallError(
                        f"non-comparable type {_format(arg, 's', _PLAIN, 0)}: {_type_name(arg)}")
                truth = arg1 == arg
        if truth:
            return True
    return False


def _builtin_lt(argv: list[object]) -> bool:
    arg1, arg2 = _indirect_interface(argv[0]), _indirect_interface(argv[1])
    k1, k2 = _basic_kind(arg1), _basic_kind(arg2)
    if k1 == "invalid" or k2 == "invalid":
        raise _CallError("invalid type for comparison")
    if k1 != k2:
        raise _CallError(
            f"incompatible types for comparison: {_type_name(arg1)} and {_type_name(arg2)}")
    if k1 in ("bool", "complex"):
        raise _CallError("invalid type for comparison")
    if k1 == "string":
        return _utf8(str(arg1)) < _utf8(str(arg2))
    return arg1 < arg2  # type: ignore[operator]


def _builtin_le(argv: list[object]) -> bool:
    return _builtin_lt(argv) or _builtin_eq(argv)


def _index_arg(index: object, cap: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        if index is _NO_VALUE:
            raise _CallError("cannot index slice/array with nil")
        raise _CallError(f"cannot index slice/array with type {_type_name(index)}")
    if index < 0 or index > cap:
        raise _CallError(f"index out of range: {index}")
    return index


def _builtin_index(argv: list[object]) -> object:
    item = _indirect_interface(argv[0])
    if item is _NO_VALUE:
        raise _CallError("index of untyped nil")
    for raw_index in argv[1:]:
        index = _indirect_interface(raw_index)
        item, is_nil = _indirect(item)
        if is_nil:
            raise _CallError("index of nil pointer")
        if isinstance(item, str):
            data = _utf8(item)
            x = _index_arg(index, len(data))
            if x == len(data):
                raise _CallError("reflect: string index out of range")
            item = data[x]
        elif isinstance(item, (list, tuple)) or (isinstance(item, GoNil) and item.kind == "slice"):
            elements: Sequence[object] = item if isinstance(item, (list, tuple)) else ()
            x = _index_arg(index, len(elements))
            if x == len(elements):
                raise _CallError("reflect: slice index out of range")
            item = _Iface(elements[x]) if isinstance(item, _RawList) else elements[x]
        elif isinstance(item, (GoMap, GoNil)):
            key = "" if index is _NO_VALUE else index
            if not isinstance(key, str) or isinstance(key, JsonNumber):
                raise _CallError(f"value has type {_type_name(key)}; should be string")
            if isinstance(item, GoMap) and key in item:
                found = item[key]
            else:
                found = item.zero
            item = _Iface(found) if isinstance(item, _RawMap) else found
        else:
            raise _CallError(f"can't index item of type {_type_name(item)}")
    return item


def _builtin_slice(argv: list[object]) -> object:
    item = _indirect_interface(argv[0])
    indexes = argv[1:]
    if item is _NO_VALUE:
        raise _CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise _CallError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise _CallError("cannot 3-index slice a string")
        cap = len(_utf8(item))
    elif isinstance(item, (list, tuple)):
        cap = len(item)
    elif isinstance(item, GoNil) and item.kind == "slice":
        cap = 0
    else:
        raise _CallError(f"can't slice item of type {_type_name(item)}")
    idx = [0, cap, 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(_indirect_interface(index), cap)
    if idx[0] > idx[1]:
        raise _CallError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise _CallError(f"invalid slice index: {idx[1]} > {idx[2]}")
    if isinstance(item, str):
        return _from_utf8(_utf8(item)[idx[0] : idx[1]])
    if isinstance(item, GoNil):
        return item
    result = list(item[idx[0] : idx[1]])
    return _RawList(result) if isinstance(item, _RawList) else result


def _builtin_len(argv: list[object]) -> int:
    item, is_nil = _indirect(argv[0])
    if is_nil:
        raise _CallError("len of nil pointer")
    if item is _NO_VALUE:
        raise _CallError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(_utf8(item))
    if isinstance(item, (list, tuple, GoMap)):
        return len(item)
    if isinstance(item, GoNil):
        return 0
    raise _CallError(f"len of type {_type_name(item)}")


def _eval_args(argv: list[object]) -> str:
    """Stringify arguments as html/js/urlquery do (fmt.Sprint, nil as ``<no value>``)."""
    if len(argv) == 1 and type(argv[0]) is str:
        return str(argv[0])
    return _sprint(["<no value>" if a is None else a for a in argv])


def _html_escape(argv: list[object]) -> str:
    table = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}
    return "".join(table.get(c, c) for c in _eval_args(argv))


def _js_escape(argv: list[object]) -> str:
    table = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E",
             "&": "\\u0026", "=": "\\u003D"}
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
    for byte in _utf8(_eval_args(argv)):
        c = chr(byte)
        if c.isascii() and (c.isalnum() or c in "-_.~"):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


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


def _split(argv: list[object]) -> list[str]:
    s, sep = str(argv[0]), str(argv[1])
    return list(s) if sep == "" else s.split(sep)


def _join(argv: list[object]) -> str:
    elements = argv[0]
    items = [str(e) for e in elements] if isinstance(elements, (list, tuple)) else []
    return str(argv[1]).join(items)


def _pad_func(argv: list[object]) -> str:
    source, prefix, suffix = str(argv[0]), int(str(argv[1])), int(str(argv[2]))
    if source == "":
        return source
    if prefix < 0 or suffix < 0:
        raise _CallError("strings: negative Repeat count")
    return " " * prefix + source + " " * suffix


def _truncate(argv: list[object]) -> str:
    source, length = str(argv[0]), int(str(argv[1]))
    data = _utf8(source)
    if len(data) < length:
        return source
    if length < 0:
        raise _CallError(f"runtime error: slice bounds out of range [:{length}]")
    return _from_utf8(data[:length])


def _printf(argv: list[object]) -> str:
    return _sprintf(str(argv[0]), argv[1:])


def _unreachable(argv: list[object]) -> object:
    raise _CallError("unreachable")


_FUNCS: Final[Mapping[str, _Func]] = {
    # text/template builtins
    "and": _Func(("value",), "value", _unreachable),
    "or": _Func(("value",), "value", _unreachable),
    "call": _Func(("value",), "value", _unreachable),
    "not": _Func(("value",), None, lambda a: not _truth(a[0])),
    "len": _Func(("value",), None, _builtin_len),
    "index": _Func(("value",), "value", _builtin_index),
    "slice": _Func(("value",), "value", _builtin_slice),
    "html": _Func((), "any", _html_escape),
    "js": _Func((), "any", _js_escape),
    "urlquery": _Func((), "any", _urlquery),
    "print": _Func((), "any", _sprint),
    "println": _Func((), "any", _sprintln),
    "printf": _Func(("string",), "any", _printf),
    "eq": _Func(("value",), "value", _builtin_eq),
    "ne": _Func(("value", "value"), None, lambda a: not _builtin_eq(a)),
    "lt": _Func(("value", "value"), None, _builtin_lt),
    "le": _Func(("value", "value"), None, _builtin_le),
    "gt": _Func(("value", "value"), None, lambda a: not _builtin_le(a)),
    "ge": _Func(("value", "value"), None, lambda a: not _builtin_lt(a)),
    # docker/cli templates.basicFunctions
    "json": _Func(("any",), None, lambda a: marshal_json(a[0]), builtin=False),
    "split": _Func(("string", "string"), None, _split, builtin=False),
    "join": _Func(("strings", "string"), None, _join, builtin=False),
    "title": _Func(("string",), None, lambda a: _title(str(a[0])), builtin=False),
    "lower": _Func(("string",), None, lambda a: _map_runes(str(a[0]), str.lower), builtin=False),
    "upper": _Func(("string",), None, lambda a: _map_runes(str(a[0]), str.upper), builtin=False),
    "pad": _Func(("string", "int", "int"), None, _pad_func, builtin=False),
    "truncate": _Func(("string", "int"), None, _truncate, builtin=False),
}


def _method(fn: Callable[..., object]) -> _Func:
    """Describe a callable struct value as a Go method taking interface{} arguments."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return _Func((), "any", lambda a: fn(*a), builtin=False)
    fixed = sum(1 for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    variadic = any(p.kind == p.VAR_POSITIONAL for p in parameters)

    def call(argv: list[object]) -> object:
        try:
            return fn(*argv)
        except ValueError as error:
            raise _CallError(str(error)) from None

    any_kind: _Kind = "any"
    params: tuple[_Kind, ...] = (any_kind,) * fixed
    return _Func(params, "any" if variadic else None, call, builtin=False)


# ----------------------------------------------------------------------------- executor


class _BreakSignal(Exception):
    """``{{break}}`` unwinding to its range."""


class _ContinueSignal(Exception):
    """``{{continue}}`` unwinding to its range iteration."""


_MissingKey = Literal["default", "invalid", "zero", "error"]


class _Executor:
    """Go's text/template state: walks the tree, evaluates pipelines, prints values."""

    def __init__(self, text: str, trees: Mapping[str, _List], missing_key: _MissingKey) -> None:
        self.text = text
        self.trees = trees
        self.missing_key = missing_key
        self.name = ""
        self.node: _Node | None = None
        self.vars: list[list[object]] = []
        self.out: list[str] = []
        self.depth = 0

    def run(self, data: object) -> str:
        """Execute the top-level template over data and return the output."""
        dot = _NO_VALUE if data is None else data
        self.vars = [["$", dot]]
        self._walk(dot, self.trees[""])
        return "".join(self.out)

    # errors and variables

    def _errorf(self, message: str) -> NoReturn:
        if self.node is None:
            raise TemplateExecError(f"template: {self.name}: {message}")
        before = self.text[: self.node.pos]
        line_start = before.rfind("\n") + 1
        column = len(_utf8(before[line_start:]))
        location = f":{1 + before.count(chr(10))}:{column}"
        raise TemplateExecError(
            f"template: {location}: executing {_go_quote(self.name)} at <{self.node}>: {message}")

    def _at(self, node: _Node) -> None:
        self.node = node

    def _push(self, name: str, value: object) -> None:
        self.vars.append([name, value])

    def _pop(self, mark: int) -> None:
        del self.vars[mark:]

    def _set_var(self, name: str, value: object) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        self._errorf(f"undefined variable: {name}")

    def _var_value(self, name: str) -> object:
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        self._errorf(f"undefined variable: {name}")

    # walking

    def _walk(self, dot: object, node: _Node) -> None:
        self._at(node)
        if isinstance(node, _Action):
            value = self._eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self._print_value(node, value)
        elif isinstance(node, _Text):
            self.out.append(node.text)
        elif isinstance(node, _List):
            for child in node.nodes:
                self._walk(dot, child)
        elif isinstance(node, _Branch):
            if node.kind == "range":
                self._walk_range(dot, node)
            else:
                self._walk_if_or_with(dot, node)
        elif isinstance(node, _TemplateCall):
            self._walk_template(dot, node)
        elif isinstance(node, _Break):
            raise _BreakSignal
        elif isinstance(node, _Continue):
            raise _ContinueSignal
        else:
            self._errorf(f"unknown node: {node}")

    def _walk_if_or_with(self, dot: object, node: _Branch) -> None:
        mark = len(self.vars)
        try:
            value = self._eval_pipeline(dot, node.pipe)
            truth, ok = _is_true(_indirect_interface(value))
            if not ok:
                self._errorf(f"if/with can't use {_format(value, 'v', _PLAIN, 0)}")
            if truth:
                self._walk(value if node.kind == "with" else dot, node.body)
            elif node.else_body is not None:
                self._walk(dot, node.else_body)
        finally:
            self._pop(mark)

    def _walk_range(self, dot: object, node: _Branch) -> None:
        self._at(node)
        outer = len(self.vars)
        try:
            value, _ = _indirect(self._eval_pipeline(dot, node.pipe))
            mark = len(self.vars)
            pipe = node.pipe

            def iteration(index: object, element: object) -> None:
                if pipe.decl:
                    if pipe.is_assign:
                        first = index if len(pipe.decl) > 1 else element
                        self._set_var(pipe.decl[0].ident[0], first)
                    else:
                        self.vars[-1][1] = element
                if len(pipe.decl) > 1:
                    if pipe.is_assign:
                        self._set_var(pipe.decl[1].ident[0], element)
                    else:
                        self.vars[-2][1] = index
                try:
                    self._walk(element, node.body)
                except _ContinueSignal:
                    pass
                finally:
                    self._pop(mark)

            if isinstance(value, (list, tuple)):
                if value:
                    raw = isinstance(value, _RawList)
                    for i, element in enumerate(value):
                        iteration(i, _Iface(element) if raw else element)
                    return
            elif isinstance(value, GoMap):
                if value:
                    raw = isinstance(value, _RawMap)
                    for key in sorted(value):
                        iteration(key, _Iface(value[key]) if raw else value[key])
                    return
            elif isinstance(value, int) and not isinstance(value, bool):
                if len(pipe.decl) > 1:
                    self._errorf(f"can't use {value} to iterate over more than one variable")
                if value > 0:
                    for i in range(value):
                        iteration(i, i)
                    return
            elif not (value is _NO_VALUE or isinstance(value, GoNil)):
                self._errorf(f"range can't iterate over {_format(value, 'v', _PLAIN, 0)}")
            if node.else_body is not None:
                self._walk(dot, node.else_body)
        except _BreakSignal:
            pass
        finally:
            self._pop(outer)

    def _walk_template(self, dot: object, node: _TemplateCall) -> None:
        self._at(node)
        tree = self.trees.get(node.name)
        if tree is None:
            self._errorf(f"template {_go_quote(node.name)} not defined")
        value = self._eval_pipeline(dot, node.pipe)
        saved = (self.vars, self.name)
        self.vars, self.name = [["$", value]], node.name
        self.depth += 1
        try:
            self._walk(value, tree)
        finally:
            self.vars, self.name = saved
            self.depth -= 1

    def _print_value(self, node: _Node, value: object) -> None:
        self._at(node)
        if value is _NO_VALUE:
            self.out.append("<no value>")
            return
        if callable(value):
            self._errorf(f"can't print {node} of type {_type_name(value)}")
        self.out.append(_format(value, "v", _PLAIN, 0))

    # evaluation

    def _eval_pipeline(self, dot: object, pipe: _Pipe | None) -> object:
        if pipe is None:
            return _NO_VALUE
        self._at(pipe)
        value: object = _MISSING
        for cmd in pipe.cmds:
            value = self._eval_command(dot, cmd, value)
            if isinstance(value, _Iface):  # dig down to the thing inside an interface{}
                value = _NO_VALUE if value.value is None else value.value
        for variable in pipe.decl:
            if pipe.is_assign:
                self._set_var(variable.ident[0], value)
            else:
                self._push(variable.ident[0], value)
        return value

    def _not_a_function(self, args: Sequence[_Node] | None, final: object) -> None:
        if (args is not None and len(args) > 1) or final is not _MISSING:
            first = args[0] if args else ""
            self._errorf(f"can't give argument to non-function {first}")

    def _eval_command(self, dot: object, cmd: _Command, final: object) -> object:
        first = cmd.args[0]
        if isinstance(first, _Field):
            return self._eval_field_node(dot, first, cmd.args, final)
        if isinstance(first, _Chain):
            return self._eval_chain_node(dot, first, cmd.args, final)
        if isinstance(first, _Identifier):
            return self._eval_function(dot, first, cmd, cmd.args, final)
        if isinstance(first, _Pipe):
            self._not_a_function(cmd.args, final)
            return self._eval_pipeline(dot, first)
        if isinstance(first, _Variable):
            return self._eval_variable_node(dot, first, cmd.args, final)
        self._at(first)
        self._not_a_function(cmd.args, final)
        if isinstance(first, _Bool):
            return first.value
        if isinstance(first, _Dot):
            return dot
        if isinstance(first, _Nil):
            self._errorf("nil is not a command")
        if isinstance(first, _Number):
            return self._ideal_constant(first)
        if isinstance(first, _String):
            return first.text
        self._errorf(f"can't evaluate command {_go_quote(str(first))}")

    def _ideal_constant(self, number: _Number) -> object:
        self._at(number)
        text = number.text
        is_hex_int = len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(
            c in text for c in "pP")
        if number.is_complex:
            return number.complex128
        if (number.is_float and not is_hex_int and not text.startswith("'")
                and any(c in text for c in ".eEpP")):
            return number.float64
        if number.is_int:
            return number.int64
        if number.is_uint:
            self._errorf(f"{text} overflows int")
        return _NO_VALUE

    def _eval_field_node(self, dot: object, node: _Field, args: Sequence[_Node] | None,
                         final: object) -> object:
        self._at(node)
        return self._eval_field_chain(dot, dot, node, node.ident, args, final)

    def _eval_chain_node(self, dot: object, chain: _Chain, args: Sequence[_Node] | None,
                         final: object) -> object:
        self._at(chain)
        if isinstance(chain.node, _Nil):
            self._errorf(f"indirection through explicit nil in {chain}")
        receiver = self._eval_arg(dot, None, chain.node)
        return self._eval_field_chain(dot, receiver, chain, chain.fields, args, final)

    def _eval_variable_node(self, dot: object, variable: _Variable,
                            args: Sequence[_Node] | None, final: object) -> object:
        self._at(variable)
        value = self._var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self._not_a_function(args, final)
            return value
        return self._eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def _eval_field_chain(self, dot: object, receiver: object, node: _Node,
                          idents: Sequence[str], args: Sequence[_Node] | None,
                          final: object) -> object:
        for name in idents[:-1]:
            receiver = self._eval_field(dot, name, node, None, _MISSING, receiver)
        return self._eval_field(dot, idents[-1], node, args, final, receiver)

    def _eval_field(self, dot: object, name: str, node: _Node, args: Sequence[_Node] | None,
                    final: object, receiver: object) -> object:
        if receiver is _NO_VALUE:
            if self.missing_key == "error":
                self._errorf(f"nil data; no entry for key {_go_quote(name)}")
            return _NO_VALUE
        typ = _type_name(receiver)
        value, is_nil = _indirect(receiver)
        if is_nil:
            self._errorf(f"nil pointer evaluating {typ}.{name}")
        has_args = (args is not None and len(args) > 1) or final is not _MISSING
        if isinstance(value, GoMap) or (isinstance(value, GoNil) and value.kind == "map"):
            if has_args:
                self._errorf(f"{name} is not a method but has arguments")
            raw = isinstance(value, _RawMap)
            if isinstance(value, GoMap) and name in value:
                return _Iface(value[name]) if raw else value[name]
            if self.missing_key == "zero":
                return _Iface(value.zero) if raw else value.zero
            if self.missing_key == "error":
                self._errorf(f"map has no entry for key {_go_quote(name)}")
            return _NO_VALUE
        if isinstance(value, dict):
            key = _struct_key(value, name)
            if key is not None:
                member = value[key]
                if callable(member):
                    return self._eval_call(dot, _method(member), node, name, args, final)
                if has_args:
                    self._errorf(f"{name} has arguments but cannot be invoked as function")
                return member
        self._errorf(f"can't evaluate field {name} in type {typ}")

    def _eval_function(self, dot: object, node: _Identifier, cmd: _Node,
                       args: Sequence[_Node] | None, final: object) -> object:
        self._at(node)
        function = _FUNCS.get(node.ident)
        if function is None:
            self._errorf(f"{_go_quote(node.ident)} is not a defined function")
        return self._eval_call(dot, function, cmd, node.ident, args, final)

    def _eval_call(self, dot: object, function: _Func, node: _Node, name: str,
                   args: Sequence[_Node] | None, final: object) -> object:
        arg_nodes = list(args[1:]) if args is not None else []
        num_in = len(arg_nodes) + (0 if final is _MISSING else 1)
        params = function.params
        if function.variadic is not None:
            num_fixed = len(params)
            if num_in < num_fixed:
                self._errorf(f"wrong number of args for {name}: want at least {num_fixed} "
                             f"got {len(arg_nodes)}")
        else:
            num_fixed = len(arg_nodes)
            if num_in != len(params):
                self._errorf(f"wrong number of args for {name}: want {len(params)} got {num_in}")
        if function.builtin and name in ("and", "or"):
            # and/or short-circuit and return the deciding argument itself.
            result: object = _NO_VALUE
            for arg in arg_nodes:
                result = self._eval_arg(dot, "value", arg)
                if _truth(result) == (name == "or"):
                    return result
            if final is not _MISSING:
                result = self._validate_type(final, "value")
            return result
        argv: list[object] = []
        i = 0
        while i < num_fixed and i < len(arg_nodes):
            argv.append(self._eval_arg(dot, params[i], arg_nodes[i]))
            i += 1
        while i < len(arg_nodes):
            argv.append(self._eval_arg(dot, function.variadic, arg_nodes[i]))
            i += 1
        if final is not _MISSING:
            if function.variadic is None:
                kind = params[-1]
            elif num_in - 1 < num_fixed:
                kind = params[num_in - 1]
            else:
                kind = function.variadic
            argv.append(self._validate_type(final, kind))
        try:
            if function.builtin and name == "call":
                return self._call(args, argv)
            return function.impl(argv)
        except _CallError as error:
            self._at(node)
            self._errorf(f"error calling {name}: {error}")

    def _call(self, args: Sequence[_Node] | None, argv: list[object]) -> object:
        callee = str(args[1]) if args is not None and len(args) > 1 else ""
        fn = _indirect_interface(argv[0])
        if fn is _NO_VALUE:
            raise _CallError("call of nil")
        if not callable(fn) or isinstance(fn, (dict, list)):
            raise _CallError(f"non-function {callee} of type {_type_name(fn)}")
        method = _method(fn)
        rest = [_indirect_interface(a) for a in argv[1:]]
        if method.variadic is None and len(rest) != len(method.params):
            raise _CallError(f"wrong number of args for {callee}: got {len(rest)} "
                             f"want {len(method.params)}")
        return method.impl([None if a is _NO_VALUE else a for a in rest])

    def _validate_type(self, value: object, kind: _Kind) -> object:
        if value is _NO_VALUE:
            if kind is None or kind == "value":
                return _NO_VALUE
            if kind == "any":
                return None
            if kind == "strings":
                return NIL_SLICE
            self._errorf(f"invalid value; expected {_KIND_NAMES[kind]}")
        if kind is None or kind == "value":
            return value
        if kind == "any":
            return value.value if isinstance(value, _Iface) else value
        concrete = value
        if isinstance(value, _Iface) and value.value is not None:
            concrete = value.value
        if _assignable(concrete, kind):
            return concrete
        self._errorf(f"wrong type for value; expected {_KIND_NAMES[kind]}; "
                     f"got {_type_name(concrete)}")

    def _eval_arg(self, dot: object, kind: _Kind, node: _Node) -> object:
        self._at(node)
        if isinstance(node, _Dot):
            return self._validate_type(dot, kind)
        if isinstance(node, _Nil):
            if kind in ("value", "any", "strings"):
                return {"value": _NO_VALUE, "any": None, "strings": NIL_SLICE}[kind]
            self._errorf(f"cannot assign nil to {_KIND_NAMES.get(kind or '', 'interface {}')}")
        if isinstance(node, _Field):
            return self._validate_type(self._eval_field_node(dot, node, [node], _MISSING), kind)
        if isinstance(node, _Variable):
            return self._validate_type(self._eval_variable_node(dot, node, None, _MISSING), kind)
        if isinstance(node, _Pipe):
            return self._validate_type(self._eval_pipeline(dot, node), kind)
        if isinstance(node, _Identifier):
            return self._validate_type(self._eval_function(dot, node, node, None, _MISSING), kind)
        if isinstance(node, _Chain):
            return self._validate_type(self._eval_chain_node(dot, node, None, _MISSING), kind)
        if kind == "string":
            if isinstance(node, _String):
                return node.text
            self._errorf(f"expected string; found {node}")
        if kind == "int":
            if isinstance(node, _Number) and node.is_int:
                return node.int64
            self._errorf(f"expected integer; found {node}")
        if kind in ("any", "value"):
            return self._eval_empty_interface(dot, node)
        self._errorf(f"can't handle {node} for arg of type {_KIND_NAMES.get(kind or '', '?')}")

    def _eval_empty_interface(self, dot: object, node: _Node) -> object:
        self._at(node)
        if isinstance(node, _Bool):
            return node.value
        if isinstance(node, _Number):
            return self._ideal_constant(node)
        if isinstance(node, _String):
            return node.text
        self._errorf(f"can't handle assignment of {node} to empty interface argument")


def _assignable(value: object, kind: _Kind) -> bool:
    if kind == "string":
        return isinstance(value, str) and not isinstance(value, JsonNumber)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "strings":
        if isinstance(value, GoNil):
            return value.kind == "slice"
        return (isinstance(value, (list, tuple)) and not isinstance(value, _RawList)
                and all(isinstance(v, str) and not isinstance(v, JsonNumber) for v in value))
    return True


def _struct_key(struct: dict[object, object], name: str) -> object | None:
    """Return the dict key holding Go field NAME of a struct, or None."""
    if isinstance(struct, GoStruct) and struct.aliases:
        if name in struct.aliases:
            key = struct.aliases[name]
            return key if key in struct else None
        if name in struct.aliases.values():
            return None  # a JSON name that is not the Go field name
    return name if name in struct else None


# ----------------------------------------------------------------------------- public API


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed template, ready to execute over inspect data."""

    text: str
    trees: Mapping[str, _List] = field(repr=False)

    def execute(self, data: object, *, missing_key: str = "default") -> str:
        """Execute over data; missing_key is Go's ``missingkey=`` option.

        Raises:
            TemplateExecError: Go's execution error text.
        """
        if missing_key not in ("default", "invalid", "zero", "error"):
            raise TemplateError(f"unrecognized option: missingkey={missing_key}")
        executor = _Executor(self.text, self.trees, missing_key)  # type: ignore[arg-type]
        try:
            return executor.run(data)
        except RecursionError:
            raise TemplateExecError("template: : nesting too deep") from None


def parse_template(template: str) -> Template:
    """Parse template text with docker's functions (docker/cli ``templates.Parse``).

    Raises:
        TemplateParseError: Go's parse error text.
    """
    trees: dict[str, _List] = {}
    try:
        _Parser(_Lexer(template), trees, _FUNCS).parse()
    except RecursionError:
        raise TemplateParseError("template: : nesting too deep") from None
    return Template(template, trees)


def render_template(template: str, data: object, *, missing_key: str = "default") -> str:
    """Parse and execute a template over data, as Go's text/template does."""
    return parse_template(template).execute(data, missing_key=missing_key)


def render_inspect(template: str | Template, data: object) -> str:
    """Render like the CLI's ``docker inspect -f``: typed data first, then the raw fallback.

    docker/cli's TemplateInspector retries a failed execution on the inspect
    JSON decoded into ``map[string]interface{}`` with ``missingkey=error``; the
    error the user sees is the retry's. The CLI adds ``template parsing error: ``
    in front of either error and a newline after each output.
    """
    parsed = template if isinstance(template, Template) else parse_template(template)
    try:
        return parsed.execute(data)
    except TemplateExecError:
        return parsed.execute(to_raw(data), missing_key="error")
