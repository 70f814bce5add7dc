"""The dependency rules of DESIGN.md, checked on the source: ui -> services -> store/domain;
domain imports nothing of ours; printing, sync, services, store and domain never import Qt;
the window never touches SQLAlchemy or the store directly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _offences(folder: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    bad = []
    for path in _modules(folder):
        for name in _imports(path):
            if name.startswith(forbidden) and not name.startswith(allowed):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


@pytest.mark.parametrize("folder", ["app/domain", "app/services", "app/store", "app/printing",
                                    "sync"])
def test_no_qt_outside_the_window(folder: str) -> None:
    assert _modules(folder), f"{folder} has no modules"
    assert _offences(folder, ("PySide6", "shiboken6", "app.ui")) == []


def test_domain_imports_nothing_of_ours() -> None:
    assert _offences("app/domain", ("app.", "sync", "sqlalchemy"), ("app.domain",)) == []


def test_window_never_touches_the_database() -> None:
    assert _offences("app/ui", ("sqlalchemy", "app.store", "sqlite3")) == []


def test_services_and_store_know_nothing_of_printing_layout_or_window() -> None:
    assert _offences("app/store", ("app.services", "app.printing", "sync")) == []


def test_station_files_are_opened_only_through_the_sqlcipher_driver() -> None:
    """The standard library's sqlite3 beside sqlcipher3 in one process would be two SQLite
    libraries on one file, whose POSIX locks do not see each other (docs/design-notes.md)."""
    assert _offences("app", ("sqlite3",)) == []
    assert "sqlcipher3" in " ".join(_imports(ROOT / "app/store/sqlite_driver.py"))
