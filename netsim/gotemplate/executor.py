"""Execute a parsed template over data, as Go's text/template exec.go does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, NoReturn

from netsim.gotemplate.errors import TemplateExecError
from netsim.gotemplate.functions import KIND_NAMES, CallError, Func, Kind, as_method
from netsim.gotemplate.literals import go_quote
from netsim.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    TemplateCallNode,
    TextNode,
    VariableNode,
)
from netsim.gotemplate.printing import MAX_TEXT, PLAIN, TextTooLong, format_value
from netsim.gotemplate.values import (
    MISSING,
    NIL_SLICE,
    NO_VALUE,
    GoMap,
    GoNil,
    GoStruct,
    Iface,
    JsonNumber,
    RawList,
    RawMap,
    go_type_name,
    indirect,
    indirect_interface,
    is_true,
    truth,
    utf8,
)


class _BreakSignal(Exception):
    """``{{break}}`` unwinding to its range."""


class _ContinueSignal(Exception):
    """``{{continue}}`` unwinding to its range iteration."""


MissingKey = Literal["default", "invalid", "zero", "error"]

# netsim's bounds on one execution (Go has none: a real CLI would run
# `{{range 1000000000}}` for minutes and hold its output in memory). Both are
# documented in docs/scenario-format.md; past them the template fails with
# a netsim message at the node that went over.
MAX_STEPS = 200_000  # nodes walked: actions, text, range iterations
MAX_OUTPUT = 4 * MAX_TEXT  # characters printed and made by functions, in all


class Executor:
    """Go's text/template state: walks the tree, evaluates pipelines, prints values."""

    def __init__(
        self,
        text: str,
        trees: Mapping[str, ListNode],
        funcs: Mapping[str, Func],
        missing_key: MissingKey,
        range_over_int: bool = True,
    ) -> None:
        self.text = text
        self.trees = trees
        self.funcs = funcs
        self.missing_key = missing_key
        # Go 1.22 added `{{range N}}`; before it an integer is not rangeable.
        self.range_over_int = range_over_int
        self.name = ""
        self.node: Node | None = None
        self.vars: list[list[object]] = []
        self.out: list[str] = []
        self.depth = 0
        self.steps = 0
        self.size = 0

    def run(self, data: object) -> str:
        """Execute the top-level template over data and return the output."""
        dot = NO_VALUE if data is None else data
        self.vars = [["$", dot]]
        self._walk(dot, self.trees[""])
        return "".join(self.out)

    # errors and variables

    def _errorf(self, message: str) -> NoReturn:
        if self.node is None:
            raise TemplateExecError(f"template: {self.name}: {message}")
        before = self.text[: self.node.pos]
        line_start = before.rfind("\n") + 1
        column = len(utf8(before[line_start:]))
        location = f":{1 + before.count(chr(10))}:{column}"
        raise TemplateExecError(
            f"template: {location}: executing {go_quote(self.name)} at <{self.node}>: {message}"
        )

    def _at(self, node: Node) -> None:
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

    def _charge(self, size: int) -> None:
        self.size += size
        if self.size > MAX_OUTPUT:
            self._errorf(
                f"netsim: template made more than {MAX_OUTPUT} characters (netsim's limit)"
            )

    def _emit(self, text: str) -> None:
        self._charge(len(text))
        self.out.append(text)

    def _walk(self, dot: object, node: Node) -> None:
        self._at(node)
        self.steps += 1
        if self.steps > MAX_STEPS:
            self._errorf(f"netsim: template took more than {MAX_STEPS} steps (netsim's limit)")
        if isinstance(node, ActionNode):
            value = self._eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self._print_value(node, value)
        elif isinstance(node, TextNode):
            self._emit(node.text)
        elif isinstance(node, ListNode):
            for child in node.nodes:
                self._walk(dot, child)
        elif isinstance(node, BranchNode):
            if node.kind == "range":
                self._walk_range(dot, node)
            else:
                self._walk_if_or_with(dot, node)
        elif isinstance(node, TemplateCallNode):
            self._walk_template(dot, node)
        elif isinstance(node, BreakNode):
            raise _BreakSignal
        elif isinstance(node, ContinueNode):
            raise _ContinueSignal
        else:
            self._errorf(f"unknown node: {node}")

    def _walk_if_or_with(self, dot: object, node: BranchNode) -> None:
        mark = len(self.vars)
        try:
            value = self._eval_pipeline(dot, node.pipe)
            truth, ok = is_true(indirect_interface(value))
            if not ok:
                self._errorf(f"if/with can't use {format_value(value, 'v', PLAIN, 0)}")
            if truth:
                self._walk(value if node.kind == "with" else dot, node.body)
            elif node.else_body is not None:
                self._walk(dot, node.else_body)
        finally:
            self._pop(mark)

    def _walk_range(self, dot: object, node: BranchNode) -> None:
        self._at(node)
        outer = len(self.vars)
        try:
            value, _ = indirect(self._eval_pipeline(dot, node.pipe))
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
                    raw = isinstance(value, RawList)
                    for i, element in enumerate(value):
                        iteration(i, Iface(element) if raw else element)
                    return
            elif isinstance(value, GoMap):
                if value:
                    raw = isinstance(value, RawMap)
                    for key in sorted(value):
                        iteration(key, Iface(value[key]) if raw else value[key])
                    return
            elif isinstance(value, int) and not isinstance(value, bool) and self.range_over_int:
                if len(pipe.decl) > 1:
                    self._errorf(f"can't use {value} to iterate over more than one variable")
                if value > 0:
                    for i in range(value):
                        iteration(i, i)
                    return
            elif not (value is NO_VALUE or isinstance(value, GoNil)):
                self._errorf(f"range can't iterate over {format_value(value, 'v', PLAIN, 0)}")
            if node.else_body is not None:
                self._walk(dot, node.else_body)
        except _BreakSignal:
            pass
        finally:
            self._pop(outer)

    def _walk_template(self, dot: object, node: TemplateCallNode) -> None:
        self._at(node)
        tree = self.trees.get(node.name)
        if tree is None:
            self._errorf(f"template {go_quote(node.name)} not defined")
        value = self._eval_pipeline(dot, node.pipe)
        saved = (self.vars, self.name)
        self.vars, self.name = [["$", value]], node.name
        self.depth += 1
        try:
            self._walk(value, tree)
        finally:
            self.vars, self.name = saved
            self.depth -= 1

    def _print_value(self, node: Node, value: object) -> None:
        self._at(node)
        if value is NO_VALUE:
            self._emit("<no value>")
            return
        if callable(value):
            self._errorf(f"can't print {node} of type {go_type_name(value)}")
        self._emit(format_value(value, "v", PLAIN, 0))

    # evaluation

    def _eval_pipeline(self, dot: object, pipe: PipeNode | None) -> object:
        if pipe is None:
            return NO_VALUE
        self._at(pipe)
        value: object = MISSING
        for cmd in pipe.cmds:
            value = self._eval_command(dot, cmd, value)
            if isinstance(value, Iface):  # dig down to the thing inside an interface{}
                value = NO_VALUE if value.value is None else value.value
        for variable in pipe.decl:
            if pipe.is_assign:
                self._set_var(variable.ident[0], value)
            else:
                self._push(variable.ident[0], value)
        return value

    def _not_a_function(self, args: Sequence[Node] | None, final: object) -> None:
        if (args is not None and len(args) > 1) or final is not MISSING:
            first = args[0] if args else ""
            self._errorf(f"can't give argument to non-function {first}")

    def _eval_command(self, dot: object, cmd: CommandNode, final: object) -> object:
        first = cmd.args[0]
        if isinstance(first, FieldNode):
            return self._eval_field_node(dot, first, cmd.args, final)
        if isinstance(first, ChainNode):
            return self._eval_chain_node(dot, first, cmd.args, final)
        if isinstance(first, IdentifierNode):
            return self._eval_function(dot, first, cmd, cmd.args, final)
        if isinstance(first, PipeNode):
            self._not_a_function(cmd.args, final)
            return self._eval_pipeline(dot, first)
        if isinstance(first, VariableNode):
            return self._eval_variable_node(dot, first, cmd.args, final)
        self._at(first)
        self._not_a_function(cmd.args, final)
        if isinstance(first, BoolNode):
            return first.value
        if isinstance(first, DotNode):
            return dot
        if isinstance(first, NilNode):
            self._errorf("nil is not a command")
        if isinstance(first, NumberNode):
            return self._ideal_constant(first)
        if isinstance(first, StringNode):
            return first.text
        self._errorf(f"can't evaluate command {go_quote(str(first))}")

    def _ideal_constant(self, number: NumberNode) -> object:
        self._at(number)
        text = number.text
        is_hex_int = (
            len(text) > 2
            and text[0] == "0"
            and text[1] in "xX"
            and not any(c in text for c in "pP")
        )
        if number.is_complex:
            return number.complex128
        if (
            number.is_float
            and not is_hex_int
            and not text.startswith("'")
            and any(c in text for c in ".eEpP")
        ):
            return number.float64
        if number.is_int:
            return number.int64
        if number.is_uint:
            self._errorf(f"{text} overflows int")
        return NO_VALUE

    def _eval_field_node(
        self, dot: object, node: FieldNode, args: Sequence[Node] | None, final: object
    ) -> object:
        self._at(node)
        return self._eval_field_chain(dot, dot, node, node.ident, args, final)

    def _eval_chain_node(
        self, dot: object, chain: ChainNode, args: Sequence[Node] | None, final: object
    ) -> object:
        self._at(chain)
        if isinstance(chain.node, NilNode):
            self._errorf(f"indirection through explicit nil in {chain}")
        receiver = self._eval_arg(dot, None, chain.node)
        return self._eval_field_chain(dot, receiver, chain, chain.fields, args, final)

    def _eval_variable_node(
        self, dot: object, variable: VariableNode, args: Sequence[Node] | None, final: object
    ) -> object:
        self._at(variable)
        value = self._var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self._not_a_function(args, final)
            return value
        return self._eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def _eval_field_chain(
        self,
        dot: object,
        receiver: object,
        node: Node,
        idents: Sequence[str],
        args: Sequence[Node] | None,
        final: object,
    ) -> object:
        for name in idents[:-1]:
            receiver = self._eval_field(dot, name, node, None, MISSING, receiver)
        return self._eval_field(dot, idents[-1], node, args, final, receiver)

    def _eval_field(
        self,
        dot: object,
        name: str,
        node: Node,
        args: Sequence[Node] | None,
        final: object,
        receiver: object,
    ) -> object:
        if receiver is NO_VALUE:
            if self.missing_key == "error":
                self._errorf(f"nil data; no entry for key {go_quote(name)}")
            return NO_VALUE
        typ = go_type_name(receiver)
        value, is_nil = indirect(receiver)
        if is_nil:
            self._errorf(f"nil pointer evaluating {typ}.{name}")
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if isinstance(value, GoMap) or (isinstance(value, GoNil) and value.kind == "map"):
            if has_args:
                self._errorf(f"{name} is not a method but has arguments")
            raw = isinstance(value, RawMap)
            if isinstance(value, GoMap) and name in value:
                return Iface(value[name]) if raw else value[name]
            if self.missing_key == "zero":
                return Iface(value.zero) if raw else value.zero
            if self.missing_key == "error":
                self._errorf(f"map has no entry for key {go_quote(name)}")
            return NO_VALUE
        if isinstance(value, dict):
            key = _struct_key(value, name)
            if key is not None:
                member = value[key]
                if callable(member):
                    return self._eval_call(dot, as_method(member), node, name, args, final)
                if has_args:
                    self._errorf(f"{name} has arguments but cannot be invoked as function")
                return member
        self._errorf(f"can't evaluate field {name} in type {typ}")

    def _eval_function(
        self,
        dot: object,
        node: IdentifierNode,
        cmd: Node,
        args: Sequence[Node] | None,
        final: object,
    ) -> object:
        self._at(node)
        function = self.funcs.get(node.ident)
        if function is None:
            self._errorf(f"{go_quote(node.ident)} is not a defined function")
        return self._eval_call(dot, function, cmd, node.ident, args, final)

    def _eval_call(
        self,
        dot: object,
        function: Func,
        node: Node,
        name: str,
        args: Sequence[Node] | None,
        final: object,
    ) -> object:
        arg_nodes = list(args[1:]) if args is not None else []
        num_in = len(arg_nodes) + (0 if final is MISSING else 1)
        params = function.params
        if function.variadic is not None:
            num_fixed = len(params)
            if num_in < num_fixed:
                self._errorf(
                    f"wrong number of args for {name}: want at least {num_fixed} "
                    f"got {len(arg_nodes)}"
                )
        else:
            num_fixed = len(arg_nodes)
            if num_in != len(params):
                self._errorf(f"wrong number of args for {name}: want {len(params)} got {num_in}")
        if function.builtin and name in ("and", "or"):
            # and/or short-circuit and return the deciding argument itself.
            result: object = NO_VALUE
            for arg in arg_nodes:
                result = self._eval_arg(dot, "value", arg)
                if truth(result) == (name == "or"):
                    return result
            if final is not MISSING:
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
        if final is not MISSING:
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
            result = function.impl(argv)
        except (CallError, TextTooLong) as error:
            self._at(node)
            self._errorf(f"error calling {name}: {error}")
        if isinstance(result, str):
            self._charge(len(result))
        elif isinstance(result, list):
            self._charge(sum(len(item) + 1 for item in result if isinstance(item, str)))
        return result

    def _call(self, args: Sequence[Node] | None, argv: list[object]) -> object:
        callee = str(args[1]) if args is not None and len(args) > 1 else ""
        fn = indirect_interface(argv[0])
        if fn is NO_VALUE:
            raise CallError("call of nil")
        if not callable(fn) or isinstance(fn, (dict, list)):
            raise CallError(f"non-function {callee} of type {go_type_name(fn)}")
        method = as_method(fn)
        rest = [indirect_interface(a) for a in argv[1:]]
        if method.variadic is None and len(rest) != len(method.params):
            raise CallError(
                f"wrong number of args for {callee}: got {len(rest)} want {len(method.params)}"
            )
        return method.impl([None if a is NO_VALUE else a for a in rest])

    def _validate_type(self, value: object, kind: Kind) -> object:
        if value is NO_VALUE:
            if kind is None or kind == "value":
                return NO_VALUE
            if kind == "any":
                return None
            if kind == "strings":
                return NIL_SLICE
            self._errorf(f"invalid value; expected {KIND_NAMES[kind]}")
        if kind is None or kind == "value":
            return value
        if kind == "any":
            return value.value if isinstance(value, Iface) else value
        concrete = value
        if isinstance(value, Iface) and value.value is not None:
            concrete = value.value
        if _assignable(concrete, kind):
            return concrete
        self._errorf(
            f"wrong type for value; expected {KIND_NAMES[kind]}; got {go_type_name(concrete)}"
        )

    def _eval_arg(self, dot: object, kind: Kind, node: Node) -> object:
        self._at(node)
        if isinstance(node, DotNode):
            return self._validate_type(dot, kind)
        if isinstance(node, NilNode):
            if kind in ("value", "any", "strings"):
                return {"value": NO_VALUE, "any": None, "strings": NIL_SLICE}[kind]
            self._errorf(f"cannot assign nil to {KIND_NAMES.get(kind or '', 'interface {}')}")
        if isinstance(node, FieldNode):
            return self._validate_type(self._eval_field_node(dot, node, [node], MISSING), kind)
        if isinstance(node, VariableNode):
            return self._validate_type(self._eval_variable_node(dot, node, None, MISSING), kind)
        if isinstance(node, PipeNode):
            return self._validate_type(self._eval_pipeline(dot, node), kind)
        if isinstance(node, IdentifierNode):
            return self._validate_type(self._eval_function(dot, node, node, None, MISSING), kind)
        if isinstance(node, ChainNode):
            return self._validate_type(self._eval_chain_node(dot, node, None, MISSING), kind)
        if kind == "string":
            if isinstance(node, StringNode):
                return node.text
            self._errorf(f"expected string; found {node}")
        if kind == "int":
            if isinstance(node, NumberNode) and node.is_int:
                return node.int64
            self._errorf(f"expected integer; found {node}")
        if kind in ("any", "value"):
            return self._eval_empty_interface(dot, node)
        self._errorf(f"can't handle {node} for arg of type {KIND_NAMES.get(kind or '', '?')}")

    def _eval_empty_interface(self, dot: object, node: Node) -> object:
        self._at(node)
        if isinstance(node, BoolNode):
            return node.value
        if isinstance(node, NumberNode):
            return self._ideal_constant(node)
        if isinstance(node, StringNode):
            return node.text
        self._errorf(f"can't handle assignment of {node} to empty interface argument")


def _assignable(value: object, kind: Kind) -> bool:
    if kind == "string":
        return isinstance(value, str) and not isinstance(value, JsonNumber)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "strings":
        if isinstance(value, GoNil):
            return value.kind == "slice"
        return (
            isinstance(value, (list, tuple))
            and not isinstance(value, RawList)
            and all(isinstance(v, str) and not isinstance(v, JsonNumber) for v in value)
        )
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
