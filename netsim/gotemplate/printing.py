"""Print values as Go's fmt package does: ``%v`` output and the Printf verbs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from netsim.gotemplate.literals import go_quote
from netsim.gotemplate.values import (
    NO_VALUE,
    GoMap,
    GoNil,
    Iface,
    go_type_name,
    utf8,
)


@dataclass(slots=True)
class Spec:
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


PLAIN: Final = Spec()


def _pad(s: str, spec: Spec) -> str:
    if spec.width is None or spec.width <= len(s):
        return s
    fill = spec.width - len(s)
    if spec.minus:
        return s + " " * fill
    return ("0" if spec.zero else " ") * fill + s


def _bad_verb(verb: str, value: object, spec: Spec) -> str:
    if value is None:
        return f"%!{verb}(<nil>)"
    plain = Spec(spec.minus, spec.plus, spec.sharp, spec.space, spec.zero, spec.width, spec.prec)
    return f"%!{verb}({go_type_name(value)}={format_value(value, 'v', plain, 0)})"


def format_value(value: object, verb: str, spec: Spec, depth: int) -> str:
    """Format one value for a verb, as Go's fmt printArg/printValue do."""
    if isinstance(value, Iface):
        if value.value is None:
            return _pad("<nil>", spec)
        value = value.value
    if value is NO_VALUE:
        value = None
    if verb == "T":
        return _pad("<nil>" if value is None else go_type_name(value), spec)
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
        inner = Spec(plus=True, prec=spec.prec)
        real = _format_float_verb(value.real, verb, Spec(prec=spec.prec))
        return _pad(f"({real}{_format_float_verb(value.imag, verb, inner)}i)", spec)
    if isinstance(value, str):
        return _format_str(value, verb, spec)
    if isinstance(value, GoNil):
        if spec.sharp_v:
            return f"{value.type_name}(nil)"
        return "[]" if value.kind == "slice" else "map[]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(format_value(v, verb, spec, depth + 1) for v in value) + "]"
    if isinstance(value, GoMap):
        items = (
            f"{format_value(k, verb, spec, depth + 1)}:"
            f"{format_value(value[k], verb, spec, depth + 1)}"
            for k in sorted(value)
        )
        return "map[" + " ".join(items) + "]"
    if isinstance(value, dict):
        names = spec.plus_v or spec.sharp_v
        fields = (
            (f"{k}:" if names else "") + format_value(v, verb, spec, depth + 1)
            for k, v in value.items()
        )
        return "{" + " ".join(fields) + "}"
    if callable(value):
        return _pad("0x0", spec)
    return _pad(str(value), spec)


def _format_str(s: str, verb: str, spec: Spec) -> str:
    if verb in "vs":
        if verb == "v" and spec.sharp_v:
            return _pad(go_quote(s), spec)
        return _pad(s if spec.prec is None else s[: spec.prec], spec)
    if verb in "xX":
        data = utf8(s)
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
        return _pad(go_quote(text, ascii_only=spec.plus), spec)
    return _bad_verb(verb, s, spec)


def _format_integer(value: int, base: int, verb: str, spec: Spec) -> str:
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
    return _pad(text, Spec(minus=spec.minus, width=spec.width))


def _format_int(value: int, verb: str, spec: Spec) -> str:
    bases = {"v": 10, "d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}
    if verb in bases:
        return _format_integer(value, bases[verb], verb, spec)
    valid = 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF
    char = chr(value) if valid else "\ufffd"
    if verb == "c":
        return _pad(char, spec)
    if verb == "q":
        return _pad(go_quote(char, ascii_only=spec.plus, quote="'"), spec)
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
    fraction = "".join(
        digits[point + i] if 0 <= point + i < len(digits) else "0" for i in range(prec)
    )
    return whole + "." + fraction


def format_float(value: float, fmt: str, prec: int) -> str:
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


def _format_float_verb(value: float, verb: str, spec: Spec) -> str:
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
    num = format_float(value, fmt, prec)
    if num[0] not in "+-":
        num = "+" + num
    if spec.space and num[0] == "+" and not spec.plus:
        num = " " + num[1:]
    if num[1:] in ("Inf", "NaN"):
        if num[1] == "N" and not spec.space and not spec.plus:
            num = num[1:]
        return _pad(num, Spec(minus=spec.minus, width=spec.width))
    if spec.plus or num[0] != "+":
        if spec.zero and not spec.minus and spec.width is not None and spec.width > len(num):
            return num[0] + "0" * (spec.width - len(num)) + num[1:]
        return _pad(num, spec)
    return _pad(num[1:], spec)


# netsim's limit on one string a template function makes (Go has none; a
# real CLI would allocate it). Documented in docs/scenario-format.md.
MAX_TEXT = 16 * 1024 * 1024


class TextTooLong(ValueError):
    """A template function would make a string longer than MAX_TEXT."""

    def __init__(self) -> None:
        super().__init__(f"netsim: text longer than {MAX_TEXT} characters (netsim's limit)")


def check_length(size: int) -> None:
    """Raise TextTooLong when ``size`` characters are over netsim's limit."""
    if size > MAX_TEXT:
        raise TextTooLong


def _joined(parts: list[str]) -> str:
    check_length(sum(len(part) for part in parts))
    return "".join(parts)


def sprint(args: Sequence[object]) -> str:
    """Format like Go's fmt.Sprint: spaces between operands when neither is a string."""
    out: list[str] = []
    size = 0
    previous_string = False
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not previous_string:
            out.append(" ")
        out.append(format_value(arg, "v", PLAIN, 0))
        size += len(out[-1]) + 1
        check_length(size)
        previous_string = is_string
    return _joined(out)


def sprintln(args: Sequence[object]) -> str:
    """Format like Go's fmt.Sprintln: spaces between all operands, then a newline."""
    out: list[str] = []
    size = 0
    for arg in args:
        out.append(format_value(arg, "v", PLAIN, 0))
        size += len(out[-1]) + 1
        check_length(size)
    return " ".join(out) + "\n"


# Go's fmt refuses widths and precisions beyond a million (tooLarge), which
# is what bounds the text a template can ask for.
MAX_WIDTH = 1_000_000


def _too_large(value: int) -> bool:
    return value > MAX_WIDTH or value < -MAX_WIDTH


def _parse_number(fmt: str, start: int) -> tuple[int | None, int]:
    """Read a width or precision as Go's fmt parsenum does.

    Returns (number or None, index after it). Like Go, a number that grows
    past the limit while being read gives None and consumes the rest of the
    format, so the verb is missing (``%!(NOVERB)``).
    """
    number, i, n = 0, start, len(fmt)
    while i < n and "0" <= fmt[i] <= "9":
        if _too_large(number):
            return None, n
        number = number * 10 + ord(fmt[i]) - ord("0")
        i += 1
    return (number if i > start else None), i


def _int_arg(args: Sequence[object], index: int) -> tuple[int | None, int]:
    if index >= len(args):
        return None, index
    value = args[index]
    if isinstance(value, int) and not isinstance(value, bool) and not _too_large(value):
        return value, index + 1
    return None, index + 1


def sprintf(fmt: str, args: Sequence[object]) -> str:
    """Format like Go's fmt.Sprintf (no explicit argument indexes)."""
    out: list[str] = []
    size = len(fmt)
    argnum, i, n = 0, 0, len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i = j + 1
        spec = Spec()
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
            spec.width, i = _parse_number(fmt, i)
        if i + 1 < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                prec, argnum = _int_arg(args, argnum)
                if prec is None:
                    out.append("%!(BADPREC)")
                elif prec >= 0:
                    spec.prec = prec
            else:
                prec_read, i = _parse_number(fmt, i)
                spec.prec = 0 if prec_read is None else prec_read
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
        out.append(format_value(arg, verb, spec, 0))
        size += len(out[-1])
        check_length(size)
    if argnum < len(args):
        extras = ", ".join(
            "<nil>" if a is None else f"{go_type_name(a)}={format_value(a, 'v', PLAIN, 0)}"
            for a in args[argnum:]
        )
        out.append(f"%!(EXTRA {extras})")
    return _joined(out)
