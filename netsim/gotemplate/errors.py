"""The errors a template raises: parse errors and execution errors, with Go's text."""

from __future__ import annotations

from netsim.errors import NetsimError


class TemplateError(NetsimError):
    """A template could not be parsed or executed; ``str()`` is Go's message text."""


class TemplateParseError(TemplateError):
    """The template text is invalid: ``template: :LINE: MSG``."""


class TemplateExecError(TemplateError):
    """Executing failed: ``template: :LINE:COL: executing "" at <NODE>: MSG``."""
