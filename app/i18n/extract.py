"""Finds the texts the program shows, in its source: the project's own extractor.

Babel's Python extractor sees ``tr("...")`` and the first argument of the exception calls,
but not a keyword argument (``require(..., doing="...")``) nor a field label given as the
third argument of ``check_length``; enum labels are not in the code as strings at all. So
the completeness test and the ``.pot`` template both come from here (``shown_texts``), and
the enum members from ``enum_values`` (their English labels for the ``msgctxt`` entries).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

#: calls whose first argument is English source text shown to the user
MESSAGE_CALLS = frozenset({"tr", "RuleViolation", "PermissionDenied", "NotFound", "LoginFailed",
                           "StaleEdit", "not_found", "stale", "UnsafeTarget"})
#: calls whose third argument is a field's label (``check_length(value, 40, "Customer name")``)
LABEL_CALLS = frozenset({"check_required", "check_length", "check_not_future", "check_range"})
SOURCE_FOLDERS = ("app", "sync")
#: head office's server has its own catalogue and test (sync/hq/i18n_zh.py)
SKIPPED = ("sync/hq/",)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def source_files(root: Path) -> Iterator[Path]:
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "migrations" not in path.parts and not relative.startswith(SKIPPED):
                yield path


def shown_texts(root: Path) -> list[tuple[str, str, int]]:
    """(file relative to root, text, line) of every constant text passed to a message call."""
    found = []
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            candidates = []
            if name in MESSAGE_CALLS and node.args:
                candidates.append(node.args[0])
            if name in LABEL_CALLS and len(node.args) >= 3:
                candidates.append(node.args[2])
            if name == "require":
                candidates += [k.value for k in node.keywords if k.arg == "doing"]
            for arg in candidates:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((path.relative_to(root).as_posix(), arg.value, arg.lineno))
    return found


def enum_values(root: Path) -> dict[str, dict[str, str]]:
    """``{"OrderStatus": {"CLOSED": "closed", ...}}`` for every Enum class in the source."""
    out: dict[str, dict[str, str]] = {}
    for path in source_files(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            if not any("Enum" in _name(base) for base in node.bases):
                continue
            members = out.setdefault(node.name, {})
            for item in node.body:
                if (isinstance(item, ast.Assign) and len(item.targets) == 1
                        and isinstance(item.targets[0], ast.Name)
                        and isinstance(item.value, ast.Constant)):
                    members.setdefault(item.targets[0].id, str(item.value.value))
    return out


def english_label(key: str, enums: dict[str, dict[str, str]]) -> str:
    """The source label of ``"OrderStatus.CLOSED"`` as ``app.i18n.label`` shows it in English."""
    kind, _, member = key.partition(".")
    value = enums.get(kind, {}).get(member, member.lower())
    return value.replace("_", " ")
