"""The parse tree: one node type per construct, printed back as Go's parse/node.go does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netsim.gotemplate.literals import go_quote


@dataclass(frozen=True, slots=True)
class TextNode:
    """Plain text between actions, printed as is."""

    pos: int
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class IdentifierNode:
    """A function name, such as ``printf``."""

    pos: int
    ident: str

    def __str__(self) -> str:
        return self.ident


@dataclass(frozen=True, slots=True)
class VariableNode:
    """A variable and the fields after it: ``$x.A.B`` is (``$x``, ``A``, ``B``)."""

    pos: int
    ident: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.ident)


@dataclass(frozen=True, slots=True)
class DotNode:
    """The cursor ``.``."""

    pos: int

    def __str__(self) -> str:
        return "."


@dataclass(frozen=True, slots=True)
class NilNode:
    """The untyped ``nil`` constant."""

    pos: int

    def __str__(self) -> str:
        return "nil"


@dataclass(frozen=True, slots=True)
class BoolNode:
    """A ``true`` or ``false`` constant."""

    pos: int
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True, slots=True)
class NumberNode:
    """A number constant with every Go type it fits (Go's ideal constants)."""

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
class StringNode:
    """A quoted string constant: the literal as written and its value."""

    pos: int
    quoted: str
    text: str

    def __str__(self) -> str:
        return self.quoted


@dataclass(frozen=True, slots=True)
class FieldNode:
    """A field chain on dot: ``.A.B`` is (``A``, ``B``)."""

    pos: int
    ident: tuple[str, ...]

    def __str__(self) -> str:
        return "".join("." + name for name in self.ident)


@dataclass(frozen=True, slots=True)
class ChainNode:
    """Fields on a term that is not dot or a variable: ``(index .M 0).A``."""

    pos: int
    node: Node
    fields: tuple[str, ...]

    def __str__(self) -> str:
        head = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return head + "".join("." + name for name in self.fields)


@dataclass(frozen=True, slots=True)
class CommandNode:
    """One command of a pipeline: operands separated by spaces."""

    pos: int
    args: tuple[Node, ...]

    def __str__(self) -> str:
        return " ".join(f"({a})" if isinstance(a, PipeNode) else str(a) for a in self.args)


@dataclass(frozen=True, slots=True)
class PipeNode:
    """A pipeline, with the variables it declares or assigns."""

    pos: int
    line: int
    is_assign: bool
    decl: tuple[VariableNode, ...]
    cmds: tuple[CommandNode, ...]

    def __str__(self) -> str:
        head = ", ".join(str(v) for v in self.decl) + " := " if self.decl else ""
        return head + " | ".join(str(c) for c in self.cmds)


@dataclass(frozen=True, slots=True)
class ActionNode:
    """An action that prints its pipeline: ``{{.Name}}``."""

    pos: int
    line: int
    pipe: PipeNode

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


@dataclass(frozen=True, slots=True)
class ListNode:
    """A sequence of nodes: a template body or a branch."""

    pos: int
    nodes: tuple[Node, ...]

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


@dataclass(frozen=True, slots=True)
class BranchNode:
    """``{{if}}``, ``{{range}}`` or ``{{with}}``, with its optional ``{{else}}``."""

    kind: Literal["if", "range", "with"]
    pos: int
    line: int
    pipe: PipeNode
    body: ListNode
    else_body: ListNode | None

    def __str__(self) -> str:
        text = "{{" + self.kind + " " + str(self.pipe) + "}}" + str(self.body)
        if self.else_body is not None:
            text += "{{else}}" + str(self.else_body)
        return text + "{{end}}"


@dataclass(frozen=True, slots=True)
class TemplateCallNode:
    """``{{template "name" pipeline}}``, also what ``{{block}}`` becomes."""

    pos: int
    line: int
    name: str
    pipe: PipeNode | None

    def __str__(self) -> str:
        pipe = f" {self.pipe}" if self.pipe is not None else ""
        return "{{template " + go_quote(self.name) + pipe + "}}"


@dataclass(frozen=True, slots=True)
class BreakNode:
    """``{{break}}`` inside a range."""

    pos: int
    line: int

    def __str__(self) -> str:
        return "{{break}}"


@dataclass(frozen=True, slots=True)
class ContinueNode:
    """``{{continue}}`` inside a range."""

    pos: int
    line: int

    def __str__(self) -> str:
        return "{{continue}}"


@dataclass(frozen=True, slots=True)
class EndNode:
    """``{{end}}``, only seen while parsing."""

    pos: int

    def __str__(self) -> str:
        return "{{end}}"


@dataclass(frozen=True, slots=True)
class ElseNode:
    """``{{else}}``, only seen while parsing."""

    pos: int
    line: int

    def __str__(self) -> str:
        return "{{else}}"


Node = (
    TextNode
    | IdentifierNode
    | VariableNode
    | DotNode
    | NilNode
    | BoolNode
    | NumberNode
    | StringNode
    | FieldNode
    | ChainNode
    | CommandNode
    | PipeNode
    | ActionNode
    | ListNode
    | BranchNode
    | TemplateCallNode
    | BreakNode
    | ContinueNode
    | EndNode
    | ElseNode
)
