"""Parse a template once and execute it many times; the docker CLI's ways to render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from netsim.gotemplate.docker_functions import DOCKER_FUNCS, HEADER_FUNCS
from netsim.gotemplate.errors import TemplateError, TemplateExecError, TemplateParseError
from netsim.gotemplate.executor import Executor
from netsim.gotemplate.functions import BUILTINS, Func
from netsim.gotemplate.json_encoding import to_raw
from netsim.gotemplate.lexer import Lexer
from netsim.gotemplate.nodes import ListNode
from netsim.gotemplate.parser import Parser

# The functions `docker --format` and `docker inspect -f` templates see
# (docker/cli templates.Parse): Go's builtins plus docker/cli's basicFunctions.
FUNCS: Final[Mapping[str, Func]] = {**BUILTINS, **DOCKER_FUNCS}
_HEADER_FUNCS: Final[Mapping[str, Func]] = {**BUILTINS, **HEADER_FUNCS}


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed template, ready to execute over inspect data."""

    text: str
    trees: Mapping[str, ListNode] = field(repr=False)

    def execute(
        self,
        data: object,
        *,
        missing_key: str = "default",
        header: bool = False,
        range_over_int: bool = True,
    ) -> str:
        """Execute over data; missing_key is Go's ``missingkey=`` option.

        ``header`` runs it with docker/cli's header functions, as the CLI
        does for the first line of a ``table`` format. ``range_over_int``
        is False for a CLI built with Go before 1.22 (``{{range 3}}`` fails).

        Raises:
            TemplateExecError: Go's execution error text.
        """
        if missing_key not in ("default", "invalid", "zero", "error"):
            raise TemplateError(f"unrecognized option: missingkey={missing_key}")
        funcs = _HEADER_FUNCS if header else FUNCS
        executor = Executor(
            self.text,
            self.trees,
            funcs,
            missing_key,  # type: ignore[arg-type]
            range_over_int,
        )
        try:
            return executor.run(data)
        except RecursionError:
            raise TemplateExecError("template: : nesting too deep") from None


def parse_template(template: str) -> Template:
    """Parse template text with docker's functions (docker/cli ``templates.Parse``).

    Raises:
        TemplateParseError: Go's parse error text.
    """
    trees: dict[str, ListNode] = {}
    try:
        Parser(Lexer(template), trees, FUNCS).parse()
    except RecursionError:
        raise TemplateParseError("template: : nesting too deep") from None
    return Template(template, trees)


def render_template(template: str, data: object, *, missing_key: str = "default") -> str:
    """Parse and execute a template over data, as Go's text/template does."""
    return parse_template(template).execute(data, missing_key=missing_key)


def render_inspect(template: str | Template, data: object, *, range_over_int: bool = True) -> str:
    """Render like the CLI's ``docker inspect -f``: typed data first, then the raw fallback.

    docker/cli's TemplateInspector retries a failed execution on the inspect
    JSON decoded into ``map[string]interface{}`` with ``missingkey=error``; the
    error the user sees is the retry's. The CLI adds ``template parsing error: ``
    in front of either error and a newline after each output.
    """
    parsed = template if isinstance(template, Template) else parse_template(template)
    try:
        return parsed.execute(data, range_over_int=range_over_int)
    except TemplateExecError:
        return parsed.execute(to_raw(data), missing_key="error", range_over_int=range_over_int)
