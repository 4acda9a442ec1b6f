"""Encode values as Go's encoding/json does, and build the raw view docker decodes from JSON."""

from __future__ import annotations

import math

from netsim.gotemplate.printing import format_float
from netsim.gotemplate.values import (
    NO_VALUE,
    GoMap,
    GoNil,
    GoStruct,
    Iface,
    JsonNumber,
    RawList,
    RawMap,
    go_type_name,
)


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
        raise _JsonError(f"json: unsupported value: {format_float(value, 'g', -1)}")
    magnitude = abs(value)
    fmt = "e" if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21) else "f"
    text = format_float(value, fmt, -1)
    if fmt == "e" and len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
        text = text[:-2] + text[-1]  # e-07 -> e-7, as encoding/json does
    return text


def _marshal(value: object) -> str:
    if isinstance(value, Iface):
        value = value.value
    if value is None or value is NO_VALUE or isinstance(value, GoNil):
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
    raise _JsonError(f"json: unsupported type: {go_type_name(value)}")


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
    if isinstance(data, Iface):
        return to_raw(data.value)
    if data is None or data is NO_VALUE or isinstance(data, GoNil):
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
        return RawList(to_raw(v) for v in data)
    if isinstance(data, dict):
        return RawMap(((str(k), to_raw(v)) for k, v in data.items() if not callable(v)))
    return None
