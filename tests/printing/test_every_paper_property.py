"""Every paper in the printing registry has a hypothesis test that lays out any text the
services accept (``check_pdf``): the order papers through ``test_any_length``'s cases (every
registered document about an order), every other paper through a ``@given`` test that names
it. A paper added to ``app/printing/registry.py`` without one fails here, by name."""

from __future__ import annotations

import ast
from pathlib import Path

from app.printing.registry import documents
from tests.printing import test_any_length

HERE = Path(__file__).resolve().parent


def _constants(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _is_given(decorator: ast.expr) -> bool:
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    return getattr(func, "id", getattr(func, "attr", "")) == "given"


def papers_with_property_tests() -> set[str]:
    """Document names mentioned by a ``@given`` test: in its body or decorators, in the
    module-level constants and functions it uses (one level deep)."""
    found: set[str] = set()
    for path in HERE.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top: dict[str, ast.AST] = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                top[node.name] = node
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        top[target.id] = node
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(map(_is_given, node.decorator_list)):
                found |= _constants(node)
                for name in _names(node) & set(top):
                    found |= _constants(top[name])
    return found


def test_every_registered_paper_has_a_property_test() -> None:
    order_papers = {name for name, _paper in test_any_length.CASES}
    assert order_papers == {n for n, d in documents().items() if d.subject == "order"}
    covered = papers_with_property_tests() | order_papers
    missing = sorted(set(documents()) - covered)
    assert not missing, ("papers without a hypothesis layout test (any accepted text, "
                         f"check_pdf): {missing}")
