"""Split template text into items (text, delimiters, fields, ...), as Go's parse/lex.go."""

from __future__ import annotations

from enum import IntEnum
from typing import Final, NamedTuple, Protocol

from netsim.gotemplate.literals import go_quote


class ItemType(IntEnum):
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
    ".": ItemType.DOT,
    "block": ItemType.BLOCK,
    "break": ItemType.BREAK,
    "continue": ItemType.CONTINUE,
    "define": ItemType.DEFINE,
    "else": ItemType.ELSE,
    "end": ItemType.END,
    "if": ItemType.IF,
    "range": ItemType.RANGE,
    "nil": ItemType.NIL,
    "template": ItemType.TEMPLATE,
    "with": ItemType.WITH,
}

_EOF: Final = ""  # what Lexer._next returns at the end of input
_SPACES: Final = frozenset(" \t\r\n")
_LEFT: Final = "{{"
_RIGHT: Final = "}}"


class Token(NamedTuple):
    """One lexed item: type, start position (characters), text, line."""

    typ: ItemType
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        if self.typ == ItemType.EOF:
            return "EOF"
        if self.typ == ItemType.ERROR:
            return self.val
        if self.typ > ItemType.KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return go_quote(self.val[:10]) + "..."
        return go_quote(self.val)


ZERO_TOKEN: Final = Token(ItemType.ERROR, 0, "", 0)


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


class Lexer:
    """Go's text/template/parse lexer, pulled one item at a time."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.at_eof = False
        self.paren_depth = 0
        self.line = 1
        self.start_line = 1
        self.item = ZERO_TOKEN
        self.inside_action = False

    def next_item(self) -> Token:
        """Return the next item."""
        self.item = Token(ItemType.EOF, self.pos, "EOF", self.start_line)
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

    def _this_item(self, typ: ItemType) -> Token:
        item = Token(typ, self.start, self.input[self.start : self.pos], self.start_line)
        self.start = self.pos
        self.start_line = self.line
        return item

    def _emit(self, typ: ItemType) -> _State | None:
        self.item = self._this_item(typ)
        return None

    def _emit_item(self, item: Token) -> _State | None:
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
        self.item = Token(ItemType.ERROR, self.start, message, self.start_line)
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
                item = self._this_item(ItemType.TEXT)
                self.pos += trim
                self._ignore()
                if item.val:
                    return self._emit_item(item)
            return self._lex_left_delim
        self.pos = len(self.input)
        if self.pos > self.start:
            self.line += self.input.count("\n", self.start, self.pos)
            return self._emit(ItemType.TEXT)
        return self._emit(ItemType.EOF)

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
        item = self._this_item(ItemType.LEFT_DELIM)
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
        self._this_item(ItemType.COMMENT)  # comments are not emitted (no ParseComments mode)
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
        item = self._this_item(ItemType.RIGHT_DELIM)
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
            return self._emit(ItemType.ASSIGN)
        if r == ":":
            if self._next() != "=":
                return self._errorf("expected :=")
            return self._emit(ItemType.DECLARE)
        if r == "|":
            return self._emit(ItemType.PIPE)
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
            return self._emit(ItemType.LEFT_PAREN)
        if r == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                return self._errorf("unexpected right paren")
            return self._emit(ItemType.RIGHT_PAREN)
        if r <= "\x7f" and r.isprintable():
            return self._emit(ItemType.CHAR)
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
        return self._emit(ItemType.SPACE)

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
            if keyword is not None and keyword > ItemType.KEYWORD:
                return self._emit(keyword)
            if word[0] == ".":
                return self._emit(ItemType.FIELD)
            if word in ("true", "false"):
                return self._emit(ItemType.BOOL)
            return self._emit(ItemType.IDENTIFIER)

    def _lex_field(self) -> _State | None:
        return self._lex_field_or_variable(ItemType.FIELD)

    def _lex_variable(self) -> _State | None:
        if self._at_terminator():
            return self._emit(ItemType.VARIABLE)
        return self._lex_field_or_variable(ItemType.VARIABLE)

    def _lex_field_or_variable(self, typ: ItemType) -> _State | None:
        if self._at_terminator():
            return self._emit(ItemType.VARIABLE if typ == ItemType.VARIABLE else ItemType.DOT)
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

    def _lex_quoted(self, quote: str, message: str, typ: ItemType) -> _State | None:
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
        return self._lex_quoted("'", "unterminated character constant", ItemType.CHAR_CONSTANT)

    def _lex_quote(self) -> _State | None:
        return self._lex_quoted('"', "unterminated quoted string", ItemType.STRING)

    def _lex_raw_quote(self) -> _State | None:
        while True:
            r = self._next()
            if r == _EOF:
                return self._errorf("unterminated raw quoted string")
            if r == "`":
                return self._emit(ItemType.RAW_STRING)

    def _lex_number(self) -> _State | None:
        if not self._scan_number():
            text = self.input[self.start : self.pos]
            return self._errorf(f"bad number syntax: {go_quote(text)}")
        sign = self._peek()
        if sign in ("+", "-"):
            # Complex: 1+2i. No spaces, must end in 'i'.
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                text = self.input[self.start : self.pos]
                return self._errorf(f"bad number syntax: {go_quote(text)}")
            return self._emit(ItemType.COMPLEX)
        return self._emit(ItemType.NUMBER)

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
