"""Every text the program shows has a Simplified Chinese entry, and every label exists."""

from __future__ import annotations

import ast
from enum import Enum
from pathlib import Path

import pytest

from app.domain import enums, sla, state_machine
from app.i18n import LABELS_ZH, TEXT_ZH, label, set_language, tr

ROOT = Path(__file__).resolve().parent.parent
MESSAGE_CALLS = {"tr", "RuleViolation", "PermissionDenied", "NotFound", "LoginFailed",
                 "StaleEdit", "not_found", "stale", "UnsafeTarget"}
LABEL_CALLS = {"check_required", "check_length", "check_not_future", "check_range"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _shown_texts() -> set[tuple[str, str]]:
    found = set()
    for path in list((ROOT / "app").rglob("*.py")) + list((ROOT / "sync").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            args = node.args
            candidates = []
            if name in MESSAGE_CALLS and args:
                candidates.append(args[0])
            if name in LABEL_CALLS and len(args) >= 3:
                candidates.append(args[2])
            if name == "require":
                candidates += [k.value for k in node.keywords if k.arg == "doing"]
            for arg in candidates:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add((str(path.relative_to(ROOT)), arg.value))
    return found


def test_every_shown_text_has_chinese() -> None:
    missing = sorted(f"{where}: {text!r}" for where, text in _shown_texts() if text not in TEXT_ZH)
    assert not missing, "no zh_CN entry for:\n" + "\n".join(missing)


ENUMS = [enums.Role, enums.OrderType, enums.OrderSource, enums.ServiceMode, enums.OrderStatus,
         enums.ChargeKind, enums.WarrantyStatus, state_machine.Action, sla.Promise,
         sla.ClockState]


@pytest.mark.parametrize("enum_type", ENUMS)
def test_every_enum_member_has_a_chinese_label(enum_type: type[Enum]) -> None:
    for member in enum_type:
        assert f"{enum_type.__name__}.{member.name}" in LABELS_ZH
        assert label(member) != member.value


def test_english_falls_back_to_source_text() -> None:
    set_language("en")
    assert tr("Customer name") == "Customer name"
    assert label(enums.OrderStatus.WAITING_PARTS) == "waiting parts"
    set_language("zh_CN")
    assert tr("Customer name") == "客户姓名"


def test_placeholders_match_between_languages() -> None:
    import string

    def fields(s: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}

    bad = [src for src, zh in TEXT_ZH.items() if fields(src) != fields(zh)]
    assert not bad, bad


def test_areas_never_translate_one_source_text_two_ways() -> None:
    import importlib

    from app.i18n import CATALOGUES

    first: dict[str, tuple[str, str]] = {}
    clashes = []
    for name in CATALOGUES:
        for source, zh in importlib.import_module(f"app.i18n.{name}").TEXT_ZH.items():
            if source in first and first[source][1] != zh:
                clashes.append(f"{source!r}: {first[source]} vs ({name}, {zh!r})")
            first.setdefault(source, (name, zh))
    assert not clashes, "\n".join(clashes)
