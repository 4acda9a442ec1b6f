"""Tests of netsim.gotemplate as a package: its public API and what it may import."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import netsim.gotemplate

PACKAGE = Path(netsim.gotemplate.__file__).parent


def test_package_imports_only_the_standard_library_and_netsim_errors() -> None:
    allowed = set(sys.stdlib_module_names) | {"netsim"}
    for module in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(), str(module))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{module.name} imports {name}"
                if name.startswith("netsim."):
                    assert name == "netsim.errors" or name.startswith("netsim.gotemplate."), (
                        f"{module.name} imports {name}"
                    )


def test_public_api_is_exported_from_the_package() -> None:
    assert sorted(netsim.gotemplate.__all__) == sorted(
        [
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
    )
    assert all(hasattr(netsim.gotemplate, name) for name in netsim.gotemplate.__all__)
