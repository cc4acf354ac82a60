"""Guard rail: an import inside a function says why it is there.

The layers make cycles impossible, so an import inside a function is only ever a
start-up cost decision (textual, asyncio or dnspython left off a path that does
not need them) or an optional dependency. Each one carries a comment saying so
(`# lazy: start-up cost`, or `# lazy: …` with another reason); `if TYPE_CHECKING:`
blocks are annotations, not imports at run time, and are left alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tlsdoctor

PACKAGE_DIR = Path(tlsdoctor.__file__).resolve().parent


def _nested_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)) and in_function:
                found.append(child)
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return found


def test_every_import_inside_a_function_says_why() -> None:
    silent: list[str] = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in _nested_imports(ast.parse("\n".join(lines))):
            text = " ".join(lines[node.lineno - 1 : (node.end_lineno or node.lineno)])
            if "lazy" not in text:
                silent.append(f"{path.relative_to(PACKAGE_DIR)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert silent == []
