"""Read YAML safely into nodes that remember their lines, for the scenario loader.

Only the YAML core schema is understood (strings, integers, floats, booleans,
null, dates, mappings, lists, anchors, aliases and ``<<`` merges). Every limit
below refuses a file before it can cost much time or memory: the composer
never expands aliases (a node referenced twice is the same object) and the
loader walks only the shapes a scenario allows, charging every visit to a
budget, so "billion laughs" documents fail fast with a clear message.

Speed: when PyYAML has libyaml, the scanner and parser are libyaml's (C) and
only the composer, which counts nodes, aliases and depth, is Python; a
megabyte file then reads in a fraction of a second instead of seconds. Any
YAML error met that way is read again with the pure-Python parser, so every
message, line and column is the one PyYAML itself gives; the characters are
checked first, as the pure reader does, so the first problem reported is the
same on both paths.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.resolver import Resolver

from netsim.errors import ScenarioError

MAX_BYTES = 1 << 20  # 1 MiB: a scenario is a page of YAML, never megabytes
MAX_NODES = 50_000
MAX_DEPTH = 64
MAX_ALIASES = 1_000
MAX_VISITS = 200_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
# A plain "<<" or "=" outside a merge position is just text to us.
_TEXT_TAGS = frozenset((_TAG + "merge", _TAG + "value"))
_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"
_MERGE_TAG = _TAG + "merge"

# PyYAML's terse problems, with what usually causes them in a scenario.
_HINTS = {
    "mapping values are not allowed here": "(a value containing ': ' or ending in ':' "
    "must be quoted)",
    "found character '\\t' that cannot start any token": "(indent with spaces, not tabs)",
    "found undefined alias": "(define the &anchor before using *alias)",
}


class _LimitExceeded(Exception):
    """A document is too deep, too large or uses too many aliases (internal)."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Limits:
    """Counts nodes, aliases and depth as a composer builds nodes (a mixin)."""

    netsim_depth = 0
    netsim_nodes = 0
    netsim_aliases = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        """Compose one node, counting nodes, aliases and nesting depth."""
        event = self.peek_event()  # type: ignore[attr-defined]  # from the parser
        if isinstance(event, yaml.AliasEvent):
            self.netsim_aliases += 1
            if self.netsim_aliases > MAX_ALIASES:
                raise _LimitExceeded(f"more than {MAX_ALIASES} aliases", event.start_mark)
        self.netsim_nodes += 1
        if self.netsim_nodes > MAX_NODES:
            raise _LimitExceeded(f"more than {MAX_NODES} YAML nodes", event.start_mark)
        self.netsim_depth += 1
        try:
            if self.netsim_depth > MAX_DEPTH:
                raise _LimitExceeded(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            node: Node = super().compose_node(parent, index)  # type: ignore[misc]
            return node
        finally:
            self.netsim_depth -= 1


class _LimitedLoader(_Limits, yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types
    """Compose YAML nodes with PyYAML's pure-Python parser, within the limits."""


# libyaml's parser, when this PyYAML was built with it (None otherwise).
def _libyaml_parser() -> Any:
    try:
        from yaml.cyaml import CParser
    except ImportError:  # PyYAML without libyaml: the pure parser does it all
        return None
    return CParser


_CParser: Any = _libyaml_parser()


# A block scalar's header as PyYAML reads it: indicator, chomping and
# indentation in either order, then spaces and maybe a comment.
_BLOCK_HEADER = re.compile(r"[|>](?:[+-][1-9]?|[1-9][+-]?)?(?: +(?:#.*)?)?")
# Characters libyaml and PyYAML treat differently (tabs as separators, a
# byte order mark inside the text, Unicode line breaks): the pure parser reads them.
_PURE_ONLY = re.compile("[\t\ufeff\x85\u2028\u2029]")


class _Reread(Exception):
    """The libyaml path met a YAML error: read the text again with the pure parser."""


def _fast_loader() -> type | None:
    """Return a loader class with libyaml's parser and the counting composer."""
    if _CParser is None:
        return None

    class _FastLoader(_Limits, Composer, _CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """libyaml events, composed by PyYAML's Composer within the limits.

        Where libyaml reads a construct otherwise than PyYAML (tags, a '?'
        inside a flow collection's plain scalar, block scalar headers
        PyYAML refuses, an empty value at the end of the text), the text is
        read again with the pure parser.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self.netsim_text = stream
            self.netsim_flow = 0

        def compose_node(self, parent: Node | None, index: object) -> Node:
            event = self.peek_event()
            if getattr(event, "tag", None) is not None:
                raise _Reread
            flow = 0
            if isinstance(event, yaml.ScalarEvent):
                if not event.style and self.netsim_flow and "?" in event.value:
                    raise _Reread
                if not event.value and event.start_mark.index >= len(self.netsim_text):
                    raise _Reread  # an empty value at the very end: libyaml puts it a line on
                if event.style in ("|", ">"):
                    start = event.start_mark.index
                    end = self.netsim_text.find("\n", start)
                    header = self.netsim_text[start : None if end < 0 else end]
                    if not _BLOCK_HEADER.fullmatch(header):
                        raise _Reread
            elif isinstance(event, yaml.CollectionStartEvent) and event.flow_style:
                flow = 1
            self.netsim_flow += flow
            try:
                return super().compose_node(parent, index)
            finally:
                self.netsim_flow -= flow

    return _FastLoader


_FAST_LOADER = _fast_loader()


def line_of(node: Node) -> int:
    """Return the 1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def decode(data: bytes, file: str) -> str:
    """Return ``data`` as text, refusing oversized and non-UTF-8 files."""
    if len(data) > MAX_BYTES:
        raise ScenarioError(
            f"the file is larger than {MAX_BYTES // 1024} KiB; a scenario is a short YAML file",
            file=file,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=file,
            line=line,
        ) from None


def _mark_line(mark: yaml.Mark | None) -> int | None:
    return None if mark is None else int(mark.line) + 1


def _yaml_error(exc: yaml.YAMLError, text: str, file: str) -> ScenarioError:
    """Turn a PyYAML error into a ScenarioError with line and column."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character
        code = ord(char) if isinstance(char, str) else int(char)
        shown = f"U+{code:04X}"
        return ScenarioError(
            f"invalid YAML at column {column}: character {shown} is not allowed in YAML text",
            file=file,
            line=line,
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        where = "" if mark is None else f" at column {mark.column + 1}"
        context = exc.context or ""
        context_line = None if exc.context_mark is None else exc.context_mark.line + 1
        if context.startswith("found duplicate anchor"):  # PyYAML puts the problem in context
            anchor = context.split(";")[0].removeprefix("found ")
            problem, context = f"{anchor} (first at line {context_line})", ""
        elif context.startswith("expected a single document"):
            problem = "a scenario is one YAML document; found a second one"
            context = ""
        parts = [f"invalid YAML{where}: {problem}"]
        if context and exc.problem and context_line is not None:
            parts.append(f"({context} at line {context_line})")
        parts.extend(hint for start, hint in _HINTS.items() if problem.startswith(start))
        return ScenarioError(" ".join(parts), file=file, line=_mark_line(mark))
    return ScenarioError(f"invalid YAML: {exc}", file=file)


@dataclass
class Document:
    """A composed YAML document plus what is needed to read its scalars.

    Not a value: it carries the visit budget the loader spends while walking.
    """

    file: str
    root: Node | None
    loader: SafeConstructor
    visits: int = 0

    def error(self, node: Node | None, key: str, message: str) -> ScenarioError:
        """Return a ScenarioError located at ``node``."""
        return ScenarioError(
            message, file=self.file, line=None if node is None else line_of(node), key=key
        )

    def visit(self, node: Node) -> None:
        """Charge one visit of ``node`` to the walk budget."""
        self.visits += 1
        if self.visits > MAX_VISITS:
            raise self.error(
                node,
                "",
                f"the document expands to more than {MAX_VISITS} values "
                "through aliases; write it out without so many aliases",
            )

    def value(self, node: ScalarNode, key: str) -> object:
        """Return the Python value of a scalar (str, int, float, bool, None or a date)."""
        tag = node.tag
        if tag in _TEXT_TAGS:
            return str(node.value)
        if tag not in _SCALAR_TAGS:
            raise self.error(node, key, f"unsupported YAML tag {_show_tag(tag)}; use plain values")
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            if "Exceeds the limit" in problem:  # Python's guard on int("9" * 5000)
                problem = f"a number of {len(node.value)} characters is far too large"
            raise self.error(
                node, key, f"invalid {tag.removeprefix(_TAG)} value {cut(node.value)!r}: {problem}"
            ) from None

    def check_collection_tag(self, node: Node, key: str) -> None:
        """Refuse mappings and lists with a non-core tag (``!!set``, ``!foo``...)."""
        expected = _MAP_TAG if isinstance(node, MappingNode) else _SEQ_TAG
        if node.tag != expected:
            raise self.error(
                node, key, f"unsupported YAML tag {_show_tag(node.tag)}; use plain values"
            )

    def describe(self, node: Node, key: str) -> str:
        """Return what ``node`` is, for messages: ``a list``, ``the integer 5``..."""
        if isinstance(node, MappingNode):
            return "a mapping"
        if isinstance(node, SequenceNode):
            return "a list"
        assert isinstance(node, ScalarNode)
        value = self.value(node, key)
        if value is None:
            return "nothing (null)"
        shown = cut(node.value)
        if isinstance(value, bool):
            return f"the boolean {shown}"
        if isinstance(value, int):
            return f"the integer {shown}"
        if isinstance(value, float):
            return f"the number {shown}"
        if isinstance(value, datetime.date):
            return f"the date {shown}"
        return f"the string {quote(str(value))}"

    def pairs(self, node: MappingNode, key: str) -> list[tuple[str, ScalarNode, Node]]:
        """Return ``(name, key node, value node)`` in file order, merges applied.

        Keys are read as typed (``on`` stays "on", not YAML 1.1's ``true``).
        Raises on a duplicate key (naming both lines) and on non-scalar keys.
        """
        return self._pairs(node, key, set())

    def _pairs(
        self, node: MappingNode, key: str, merging: set[int]
    ) -> list[tuple[str, ScalarNode, Node]]:
        self.check_collection_tag(node, key)
        explicit: list[tuple[str, ScalarNode, Node]] = []
        seen: dict[str, ScalarNode] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            self.visit(key_node)
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                what = self.describe(key_node, key)
                raise self.error(key_node, key, f"expected a name as key, got {what}")
            name = str(key_node.value)
            if key_node.tag not in _SCALAR_TAGS:
                raise self.error(
                    key_node,
                    key,
                    f"unsupported YAML tag {_show_tag(key_node.tag)} on key {quote(name)}",
                )
            if name in seen:
                first = line_of(seen[name])
                raise self.error(
                    key_node,
                    join_key(key, name),
                    f"duplicate key {quote(name)}: also at line {first}; "
                    "a key may appear only once",
                )
            seen[name] = key_node
            explicit.append((name, key_node, value_node))
        if not merges:
            return explicit
        if id(node) in merging:
            raise self.error(node, key, "a '<<' merge refers to itself")
        merging.add(id(node))
        merged: list[tuple[str, ScalarNode, Node]] = []
        for source in merges:
            sources = source.value if isinstance(source, SequenceNode) else [source]
            for item in sources:
                self.visit(item)
                if not isinstance(item, MappingNode):
                    what = self.describe(item, key)
                    raise self.error(item, key, f"a '<<' merge needs a mapping, got {what}")
                for pair in self._pairs(item, key, merging):
                    if pair[0] not in seen:
                        seen[pair[0]] = pair[1]
                        merged.append(pair)
        merging.discard(id(node))
        return merged + explicit

    def items(self, node: SequenceNode, key: str) -> list[Node]:
        """Return the items of a list node, charging the walk budget."""
        self.check_collection_tag(node, key)
        for item in node.value:
            self.visit(item)
        return list(node.value)


def compose(text: str, file: str) -> Document:
    """Parse ``text`` into a Document, refusing bad or oversized YAML."""
    if len(text) > MAX_BYTES:
        raise ScenarioError(
            f"the text is longer than {MAX_BYTES // 1024} KiB; a scenario is a short YAML file",
            file=file,
        )
    if _FAST_LOADER is not None and not _PURE_ONLY.search(text):
        try:
            Reader(text)  # the pure reader's character check, so it is reported first
            return _compose_with(_FAST_LOADER, text, file, fast=True)
        except _Reread:
            pass
        except yaml.YAMLError as exc:  # a character the reader refuses
            raise _yaml_error(exc, text, file) from None
    return _compose_with(_LimitedLoader, text, file, fast=False)


def _compose_with(loader_class: type, text: str, file: str, *, fast: bool) -> Document:
    """Compose ``text`` with one loader; on the fast path, a YAML error asks for a re-read."""
    loader = None
    try:
        loader = loader_class(text)  # the pure reader checks the characters right away
        root = loader.get_single_node()
    except _LimitExceeded as exc:
        raise ScenarioError(
            f"the YAML is too large or too deep: {exc.message}",
            file=file,
            line=_mark_line(exc.mark),
        ) from None
    except (yaml.YAMLError, UnicodeError, RecursionError) as exc:
        if fast:  # libyaml words its errors its own way: let PyYAML say it
            raise _Reread from None
        if isinstance(exc, yaml.YAMLError):
            raise _yaml_error(exc, text, file) from None
        if isinstance(exc, RecursionError):  # belt and braces: MAX_DEPTH stops this first
            raise ScenarioError("the YAML is nested too deeply", file=file) from None
        raise
    finally:
        if loader is not None:
            loader.dispose()
    return Document(file=file, root=root, loader=loader)


def _show_tag(tag: str) -> str:
    """Return a tag as it is typed: ``!!set``, ``!custom``."""
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def join_key(prefix: str, name: str) -> str:
    """Return the key path ``prefix.name`` (just ``name`` at the top level)."""
    return f"{prefix}.{name}" if prefix else name


def cut(text: str, limit: int = 40) -> str:
    """Return ``text`` cut short for a message, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def quote(text: str, limit: int = 60) -> str:
    """Return ``text`` in double quotes, shortened when long."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
