"""Go literal syntax: quote and unquote strings, parse number literals (Go's strconv)."""

from __future__ import annotations

import math
from typing import Final


def parse_go_int(text: str, *, signed: bool) -> int | None:
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
    digits = body.replace("_", "").lstrip("0") or "0"
    if len(digits) > 64:
        return None  # past 64 bits whatever the base (and past Python's digit limit)
    value = int(digits, base)
    value = -value if negative else value
    if signed:
        return value if -(2**63) <= value < 2**63 else None
    return value if value < 2**64 else None


def parse_go_float(text: str) -> float | None:
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


_SIMPLE_ESCAPES: Final = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}


def unquote_char(s: str, quote: str) -> tuple[str, str]:
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


def go_unquote(quoted: str) -> str:
    """Decode a Go string literal, double-quoted or raw (strconv.Unquote)."""
    if len(quoted) < 2 or quoted[0] != quoted[-1] or quoted[0] not in '"`':
        raise ValueError("invalid syntax")
    body = quoted[1:-1]
    if quoted[0] == "`":
        if "`" in body:
            raise ValueError("invalid syntax")
        return body.replace("\r", "")
    out: list[str] = []
    while body:
        char, body = unquote_char(body, '"')
        out.append(char)
    return "".join(out)


_QUOTE_ESCAPES: Final = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def go_quote(s: str, *, ascii_only: bool = False, quote: str = '"') -> str:
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
