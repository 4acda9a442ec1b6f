"""Parse template text into trees of nodes, as Go's text/template/parse does."""

from __future__ import annotations

from collections.abc import Container
from typing import Final, Literal, NoReturn

from netsim.gotemplate.errors import TemplateParseError
from netsim.gotemplate.lexer import ZERO_TOKEN, ItemType, Lexer, Token
from netsim.gotemplate.literals import (
    go_quote,
    go_unquote,
    parse_go_float,
    parse_go_int,
    unquote_char,
)
from netsim.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
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

# Go's maxStackDepth is 10000; Python's recursion limit is lower.
_MAX_PAREN_DEPTH: Final = 100


def _is_empty_tree(node: Node) -> bool:
    if isinstance(node, ListNode):
        return all(_is_empty_tree(n) for n in node.nodes)
    if isinstance(node, TextNode):
        return not node.text.strip()
    return False


class Parser:
    """Go's text/template/parse recursive-descent parser for one template."""

    def __init__(
        self, lexer: Lexer, trees: dict[str, ListNode], funcs: Container[str], name: str = ""
    ) -> None:
        self.lex = lexer
        self.trees = trees
        self.funcs = funcs
        self.name = name
        self.token = [ZERO_TOKEN, ZERO_TOKEN, ZERO_TOKEN]
        self.peek_count = 0
        self.vars = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.stack_depth = 0

    # token stream with three-token lookahead

    def _next(self) -> Token:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.lex.next_item()
        return self.token[self.peek_count]

    def _backup(self) -> None:
        self.peek_count += 1

    def _backup2(self, t1: Token) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def _backup3(self, t2: Token, t1: Token) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def _peek(self) -> Token:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.lex.next_item()
        return self.token[0]

    def _next_non_space(self) -> Token:
        while True:
            token = self._next()
            if token.typ != ItemType.SPACE:
                return token

    def _peek_non_space(self) -> Token:
        token = self._next_non_space()
        self._backup()
        return token

    # errors

    def _errorf(self, message: str) -> NoReturn:
        raise TemplateParseError(f"template: :{self.token[0].line}: {message}")

    def _expect(self, expected: ItemType, context: str) -> Token:
        token = self._next_non_space()
        if token.typ != expected:
            self._unexpected(token, context)
        return token

    def _expect_one_of(self, first: ItemType, second: ItemType, context: str) -> Token:
        token = self._next_non_space()
        if token.typ not in (first, second):
            self._unexpected(token, context)
        return token

    def _unexpected(self, token: Token, context: str) -> NoReturn:
        if token.typ == ItemType.ERROR:
            extra = ""
            if self.action_line not in (0, token.line):
                extra = f" in action started at :{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self._errorf(f"{token}{extra}")
        self._errorf(f"unexpected {token} in {context}")

    def _unquote(self, quoted: str) -> str:
        try:
            return go_unquote(quoted)
        except ValueError:
            self._errorf("invalid syntax")

    # templates

    def parse(self) -> None:
        """Parse the whole input as the top-level template, collecting definitions."""
        pos = self._peek().pos
        nodes: list[Node] = []
        while self._peek().typ != ItemType.EOF:
            if self._peek().typ == ItemType.LEFT_DELIM:
                delim = self._next()
                if self._next_non_space().typ == ItemType.DEFINE:
                    Parser(self.lex, self.trees, self.funcs, "definition").parse_definition()
                    continue
                self._backup2(delim)
            node = self._text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                self._errorf(f"unexpected {node}")
            nodes.append(node)
        self._add(ListNode(pos, tuple(nodes)))

    def parse_definition(self) -> None:
        """Parse ``{{define "name"}} ... {{end}}``; the keyword is already read."""
        context = "define clause"
        name = self._expect_one_of(ItemType.STRING, ItemType.RAW_STRING, context)
        self.name = self._unquote(name.val)
        self._expect(ItemType.RIGHT_DELIM, context)
        root, end = self._item_list()
        if not isinstance(end, EndNode):
            self._errorf(f"unexpected {end} in {context}")
        self._add(root)

    def _add(self, root: ListNode) -> None:
        tree = self.trees.get(self.name)
        if tree is None or _is_empty_tree(tree):
            self.trees[self.name] = root
            return
        if not _is_empty_tree(root):
            self._errorf(f"template: multiple definition of template {go_quote(self.name)}")

    def _item_list(self) -> tuple[ListNode, Node]:
        pos = self._peek_non_space().pos
        nodes: list[Node] = []
        while self._peek_non_space().typ != ItemType.EOF:
            node = self._text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                return ListNode(pos, tuple(nodes)), node
            nodes.append(node)
        self._errorf("unexpected EOF")

    def _text_or_action(self) -> Node:
        token = self._next_non_space()
        if token.typ == ItemType.TEXT:
            return TextNode(token.pos, token.val)
        if token.typ == ItemType.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self._action()
            finally:
                self.action_line = 0
        self._unexpected(token, "input")

    def _action(self) -> Node:
        token = self._next_non_space()
        typ = token.typ
        if typ == ItemType.BLOCK:
            return self._block_control()
        if typ in (ItemType.BREAK, ItemType.CONTINUE):
            return self._break_or_continue(token)
        if typ == ItemType.ELSE:
            return self._else_control()
        if typ == ItemType.END:
            return EndNode(self._expect(ItemType.RIGHT_DELIM, "end").pos)
        if typ in (ItemType.IF, ItemType.RANGE, ItemType.WITH):
            return self._branch(token.val)  # type: ignore[arg-type]
        if typ == ItemType.TEMPLATE:
            return self._template_control()
        self._backup()
        token = self._peek()
        return ActionNode(token.pos, token.line, self._pipeline("command", ItemType.RIGHT_DELIM))

    def _break_or_continue(self, keyword: Token) -> Node:
        name = keyword.val
        token = self._next_non_space()
        if token.typ != ItemType.RIGHT_DELIM:
            self._unexpected(token, "{{" + name + "}}")
        if self.range_depth == 0:
            self._errorf("{{" + name + "}} outside {{range}}")
        if keyword.typ == ItemType.BREAK:
            return BreakNode(keyword.pos, keyword.line)
        return ContinueNode(keyword.pos, keyword.line)

    def _pipeline(self, context: str, end: ItemType) -> PipeNode:
        token = self._peek_non_space()
        decl: list[VariableNode] = []
        is_assign = False
        while True:  # declarations; loops only for range's second variable
            v = self._peek_non_space()
            if v.typ != ItemType.VARIABLE:
                break
            self._next()
            # Spaces are tokens, so "$x foo" needs three tokens of lookahead.
            after_variable = self._peek()
            following = self._peek_non_space()
            if following.typ in (ItemType.ASSIGN, ItemType.DECLARE):
                is_assign = following.typ == ItemType.ASSIGN
                self._next_non_space()
                decl.append(VariableNode(v.pos, tuple(v.val.split("."))))
                self.vars.append(v.val)
            elif following.typ == ItemType.CHAR and following.val == ",":
                self._next_non_space()
                decl.append(VariableNode(v.pos, tuple(v.val.split("."))))
                self.vars.append(v.val)
                if context == "range" and len(decl) < 2:
                    if self._peek_non_space().typ in (
                        ItemType.VARIABLE,
                        ItemType.RIGHT_DELIM,
                        ItemType.RIGHT_PAREN,
                    ):
                        continue
                    self._errorf("range can only initialize variables")
                self._errorf(f"too many declarations in {context}")
            elif after_variable.typ == ItemType.SPACE:
                self._backup3(v, after_variable)
            else:
                self._backup2(v)
            break
        cmds: list[CommandNode] = []
        while True:
            tok = self._next_non_space()
            if tok.typ == end:
                pipe = PipeNode(token.pos, token.line, is_assign, tuple(decl), tuple(cmds))
                self._check_pipeline(pipe, context)
                return pipe
            if tok.typ in (
                ItemType.BOOL,
                ItemType.CHAR_CONSTANT,
                ItemType.COMPLEX,
                ItemType.DOT,
                ItemType.FIELD,
                ItemType.IDENTIFIER,
                ItemType.NUMBER,
                ItemType.NIL,
                ItemType.RAW_STRING,
                ItemType.STRING,
                ItemType.VARIABLE,
                ItemType.LEFT_PAREN,
            ):
                self._backup()
                cmds.append(self._command())
            else:
                self._unexpected(tok, context)

    def _check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self._errorf(f"missing value for {context}")
        for stage, cmd in enumerate(pipe.cmds[1:], start=2):
            if isinstance(cmd.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self._errorf(f"non executable command in pipeline stage {stage}")

    def _branch(self, context: Literal["if", "range", "with"]) -> BranchNode:
        mark = len(self.vars)
        try:
            pipe = self._pipeline(context, ItemType.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self._item_list()
            if context == "range":
                self.range_depth -= 1
            else_body: ListNode | None = None
            if isinstance(following, ElseNode):
                # "{{else if x}}" is "{{else}}{{if x}}...{{end}}{{end}}", sharing one end.
                chained = ItemType.IF if context == "if" else ItemType.WITH
                if context != "range" and self._peek().typ == chained:
                    self._next()
                    else_body = ListNode(following.pos, (self._branch(context),))
                else:
                    else_body, following = self._item_list()
                    if not isinstance(following, EndNode):
                        self._errorf(f"expected end; found {following}")
            return BranchNode(context, pipe.pos, pipe.line, pipe, body, else_body)
        finally:
            del self.vars[mark:]

    def _else_control(self) -> ElseNode:
        peek = self._peek_non_space()
        if peek.typ in (ItemType.IF, ItemType.WITH):
            return ElseNode(peek.pos, peek.line)
        token = self._expect(ItemType.RIGHT_DELIM, "else")
        return ElseNode(token.pos, token.line)

    def _block_control(self) -> TemplateCallNode:
        context = "block clause"
        token = self._next_non_space()
        name = self._template_name(token, context)
        pipe = self._pipeline(context, ItemType.RIGHT_DELIM)
        block = Parser(self.lex, self.trees, self.funcs, name)
        root, end = block._item_list()
        if not isinstance(end, EndNode):
            self._errorf(f"unexpected {end} in {context}")
        block._add(root)
        return TemplateCallNode(token.pos, token.line, name, pipe)

    def _template_control(self) -> TemplateCallNode:
        context = "template clause"
        token = self._next_non_space()
        name = self._template_name(token, context)
        pipe: PipeNode | None = None
        if self._next_non_space().typ != ItemType.RIGHT_DELIM:
            self._backup()
            pipe = self._pipeline(context, ItemType.RIGHT_DELIM)
        return TemplateCallNode(token.pos, token.line, name, pipe)

    def _template_name(self, token: Token, context: str) -> str:
        if token.typ in (ItemType.STRING, ItemType.RAW_STRING):
            return self._unquote(token.val)
        self._unexpected(token, context)

    def _command(self) -> CommandNode:
        pos = self._peek_non_space().pos
        args: list[Node] = []
        while True:
            self._peek_non_space()
            operand = self._operand()
            if operand is not None:
                args.append(operand)
            token = self._next()
            if token.typ == ItemType.SPACE:
                continue
            if token.typ in (ItemType.RIGHT_DELIM, ItemType.RIGHT_PAREN):
                self._backup()
            elif token.typ != ItemType.PIPE:
                self._unexpected(token, "operand")
            break
        if not args:
            self._errorf("empty command")
        return CommandNode(pos, tuple(args))

    def _operand(self) -> Node | None:
        node = self._term()
        if node is None:
            return None
        if self._peek().typ == ItemType.FIELD:
            pos = self._peek().pos
            fields: list[str] = []
            while self._peek().typ == ItemType.FIELD:
                fields.append(self._next().val[1:])
            # Go folds fields onto fields and variables, positioned at the chain.
            if isinstance(node, FieldNode):
                return FieldNode(pos, node.ident + tuple(fields))
            if isinstance(node, VariableNode):
                return VariableNode(pos, node.ident + tuple(fields))
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self._errorf(f"unexpected . after term {go_quote(str(node))}")
            return ChainNode(pos, node, tuple(fields))
        return node

    def _term(self) -> Node | None:
        token = self._next_non_space()
        typ = token.typ
        if typ == ItemType.IDENTIFIER:
            if token.val not in self.funcs:
                self._errorf(f"function {go_quote(token.val)} not defined")
            return IdentifierNode(token.pos, token.val)
        if typ == ItemType.DOT:
            return DotNode(token.pos)
        if typ == ItemType.NIL:
            return NilNode(token.pos)
        if typ == ItemType.VARIABLE:
            name = token.val.split(".")[0]
            if name not in self.vars:
                self._errorf(f"undefined variable {go_quote(name)}")
            return VariableNode(token.pos, tuple(token.val.split(".")))
        if typ == ItemType.FIELD:
            return FieldNode(token.pos, tuple(token.val[1:].split(".")))
        if typ == ItemType.BOOL:
            return BoolNode(token.pos, token.val == "true")
        if typ in (ItemType.CHAR_CONSTANT, ItemType.COMPLEX, ItemType.NUMBER):
            try:
                return _new_number(token.pos, token.val, typ)
            except ValueError as error:
                self._errorf(str(error))
        if typ == ItemType.LEFT_PAREN:
            if self.stack_depth >= _MAX_PAREN_DEPTH:
                self._errorf("max expression depth exceeded")
            self.stack_depth += 1
            try:
                return self._pipeline("parenthesized pipeline", ItemType.RIGHT_PAREN)
            finally:
                self.stack_depth -= 1
        if typ in (ItemType.STRING, ItemType.RAW_STRING):
            return StringNode(token.pos, token.val, self._unquote(token.val))
        self._backup()
        return None


def _new_number(pos: int, text: str, typ: ItemType) -> NumberNode:
    """Build a number node the way Go's parse.newNumber does (ideal constants)."""
    if typ == ItemType.CHAR_CONSTANT:
        try:
            char, tail = unquote_char(text[1:], text[0])
        except ValueError:
            raise ValueError("invalid syntax") from None
        if tail != "'":
            raise ValueError(f"malformed character constant: {text}")
        code = ord(char)
        return NumberNode(pos, text, True, True, True, False, code, code, float(code))
    if typ == ItemType.COMPLEX or text.endswith("i"):
        try:
            number = complex(text.replace("_", "")[:-1] + "j")
        except ValueError:
            raise ValueError(f"illegal number syntax: {go_quote(text)}") from None
        if number.imag != 0:
            return NumberNode(pos, text, is_complex=True, complex128=number)
        real = number.real
        whole = real == int(real)
        return NumberNode(
            pos,
            text,
            whole,
            whole and real >= 0,
            True,
            True,
            int(real) if whole else 0,
            int(real) if whole and real >= 0 else 0,
            real,
            number,
        )
    unsigned = parse_go_int(text, signed=False)
    signed = parse_go_int(text, signed=True)
    is_int, is_uint = signed is not None, unsigned is not None
    int64 = signed or 0
    uint64 = unsigned or 0
    if is_int and int64 == 0:
        is_uint, uint64 = True, 0  # in case of -0
    if is_int:
        return NumberNode(pos, text, True, is_uint, True, False, int64, uint64, float(int64))
    if is_uint:
        return NumberNode(pos, text, False, True, True, False, 0, uint64, float(uint64))
    value = parse_go_float(text)
    if value is None:
        raise ValueError(f"illegal number syntax: {go_quote(text)}")
    if not any(c in text for c in ".eEpP"):
        raise ValueError(f"integer overflow: {go_quote(text)}")
    whole = value == int(value)
    as_int = whole and -(2**63) <= value < 2**63
    as_uint = whole and 0 <= value < 2**64
    return NumberNode(
        pos,
        text,
        as_int,
        as_uint,
        True,
        False,
        int(value) if as_int else 0,
        int(value) if as_uint else 0,
        value,
    )
