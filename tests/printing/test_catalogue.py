"""Every label, section and fixed text the printed papers show has a Chinese entry, so a
form never prints half in English."""

from __future__ import annotations

import ast
from pathlib import Path

from app.i18n import TEXT_ZH
from app.printing import order_blocks

PRINTING = Path(__file__).resolve().parents[2] / "app" / "printing"
LABEL_CALLS = {"Field", "Section", "tr", "hand_line"}
CONSTANTS = {"TITLE", "HAND_DATE", "HAND_TIME"}


def _english(value: object) -> bool:
    return (isinstance(value, str) and any("a" <= c <= "z" for c in value.lower())
            and not any("\u4e00" <= c <= "\u9fff" for c in value))


def _printed_literals() -> set[tuple[str, str]]:
    """Labels (Field/Section/tr/hand_line), TITLE/HAND_* constants, and tuples of English
    words (table headings, box labels) in the printing package."""
    found = set()
    for path in PRINTING.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            texts: list[object] = []
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in LABEL_CALLS:
                    texts.append(node.args[0].value)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                if any(getattr(t, "id", "") in CONSTANTS for t in node.targets):
                    texts.append(node.value.value)
            elif isinstance(node, ast.Tuple) and len(node.elts) >= 2:
                values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                if len(values) == len(node.elts) and all(_english(v) for v in values):
                    texts += values
            found.update((path.name, t) for t in texts if isinstance(t, str))
    return found


def test_every_printed_text_has_chinese() -> None:
    texts = _printed_literals()
    assert ("repair_report.py", "After-sales service repair report") in texts
    assert ("order_blocks.py", "Customer name") in texts
    assert ("widgets.py", "Unit price (¥)") in texts
    missing = sorted(f"{where}: {text!r}" for where, text in texts if text not in TEXT_ZH)
    assert not missing, "no zh_CN entry for:\n" + "\n".join(missing)


def test_satisfaction_boxes_are_the_trade_words() -> None:
    # the return visit's 1..5 scale, as recorded (app.domain.visits)
    assert [TEXT_ZH[s] for s in order_blocks.SATISFACTION] == [
        "非常不满意", "不满意", "一般", "满意", "非常满意"]


def test_printing_catalogue_never_changes_another_areas_text() -> None:
    from app.i18n import AREAS, area_texts

    mine = area_texts("printing")
    assert mine
    clashes = []
    for name in AREAS:
        if name == "printing":
            continue
        other = area_texts(name)
        clashes += [f"{name}: {k!r}" for k, v in mine.items() if k in other and other[k] != v]
    assert not clashes, clashes
