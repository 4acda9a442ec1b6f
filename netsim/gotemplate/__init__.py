"""Render Go text/template templates over inspect data, as the docker CLI does.

``docker inspect -f``, ``docker network inspect -f`` and ``docker ps --format``
execute Go's text/template with docker/cli's functions (``templates/templates.go``:
``json split join title lower upper pad truncate``). This package is a port of
Go's ``text/template/parse`` lexer and parser and of ``text/template``'s
executor (Go 1.22+ semantics, as in the docker 28.x CLI), with Go's ``fmt``
printing and ``encoding/json`` encoding, so output and error texts match
byte for byte. It knows nothing else about Docker: callers pass plain data.

Modules (in the order data flows through them)
    ``lexer``             template text -> items (Go's ``parse/lex.go``)
    ``parser``, ``nodes`` items -> parse tree (``parse/parse.go``, ``parse/node.go``)
    ``executor``          parse tree + data -> output (``text/template/exec.go``)
    ``values``            Python values that stand for Go values, and Go's rules for them
    ``printing``          Go's ``fmt``: ``%v`` output and the Printf verbs
    ``json_encoding``     Go's ``encoding/json`` output and the raw JSON view
    ``functions``         Go's builtin template functions and how calls are checked
    ``docker_functions``  the functions docker/cli adds (``json``, ``join``, ``pad``, ...)
    ``literals``          Go's quoting and number-literal syntax (``strconv``)
    ``template``          the public entry points below; ``errors`` the error classes

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

from netsim.gotemplate.errors import TemplateError, TemplateExecError, TemplateParseError
from netsim.gotemplate.json_encoding import marshal_json, to_raw
from netsim.gotemplate.template import Template, parse_template, render_inspect, render_template
from netsim.gotemplate.values import NIL_MAP, NIL_SLICE, GoMap, GoNil, GoStruct, JsonNumber

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
