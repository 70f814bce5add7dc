"""The .po reader round-trips what it writes, and ``python -m app.i18n.convert`` moves a Python
catalogue module into the .po files once: re-run, it changes nothing; merged into an existing
.po, the module's text wins and zh_TW's existing (reviewed) entries are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.i18n import convert
from app.i18n.po import Entry, PoError, PoFile, format_po, parse_po, read_po

INIT = '''"""stub"""
CATALOGUES = ("zh_demo", "zh_other",
              "zh_last")


def tr(text):
    return text
'''
MODULE = '''"""Chinese for the demo area."""

TEXT_ZH: dict[str, str] = {
    "Repair order {number}": "工单 {number}",
    "Warranty card": "保修卡",
    'Say "yes"\\nor no': "说“是”\\n或不",
}
LABELS_ZH = {"DemoKind.ON_SITE": "上门服务"}
'''
SOURCE = '''from enum import StrEnum

class DemoKind(StrEnum):
    ON_SITE = "on_site"

def show():
    tr("Warranty card")
    tr("Repair order {number}", number=1)
'''


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "app" / "i18n").mkdir(parents=True)
    (tmp_path / "sync").mkdir()
    (tmp_path / "app" / "i18n" / "__init__.py").write_text(INIT, encoding="utf-8")
    (tmp_path / "app" / "i18n" / "zh_demo.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "app" / "demo.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def _snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8")
            for p in sorted((root / "app").rglob("*")) if p.is_file()}


def test_po_round_trips_escapes_contexts_and_flags() -> None:
    po = PoFile({"Language": "zh_CN"}, [
        Entry(msgid='a "quoted"\\ text\twith tab', msgstr="引号\n两行\n"),
        Entry(msgid="closed", msgstr="已结单", msgctxt="OrderStatus.CLOSED"),
        Entry(msgid="x", msgstr="旧", flags={"fuzzy"}, comments=["a note"],
              locations=["app/x.py:3"]),
    ])
    back = parse_po(format_po(po))
    assert back == po
    assert not back.entries[2].translated  # fuzzy: gettext shows the source text


def test_po_refuses_what_it_cannot_read() -> None:
    with pytest.raises(PoError, match="plural"):
        parse_po('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n')
    with pytest.raises(PoError, match="escape"):
        parse_po('msgid "a\\q"\nmsgstr ""\n')


def test_converting_a_module_moves_it_into_the_po_files(root: Path) -> None:
    assert convert.main(["zh_demo", "--root", str(root)]) == 0
    i18n = root / "app" / "i18n"
    assert not (i18n / "zh_demo.py").exists()
    assert convert.catalogues(root) == ["zh_other", "zh_last"]
    cn = {(e.msgctxt, e.msgid): e.msgstr
          for e in read_po(i18n / "locale/zh_CN/LC_MESSAGES/demo.po").entries}
    assert cn == {(None, "Repair order {number}"): "工单 {number}",
                  (None, "Warranty card"): "保修卡",
                  (None, 'Say "yes"\nor no'): "说“是”\n或不",
                  ("DemoKind.ON_SITE", "on site"): "上门服务"}
    tw = {(e.msgctxt, e.msgid): e.msgstr
          for e in read_po(i18n / "locale/zh_TW/LC_MESSAGES/demo.po").entries}
    assert tw[(None, "Repair order {number}")] == "工單 {number}"
    assert tw[(None, "Warranty card")] == "保固卡"  # the trade's word, not 保修
    assert tw[("DemoKind.ON_SITE", "on site")] == "到府服務"
    pot = read_po(i18n / "locale/messages.pot")
    where = {e.msgid: e.locations for e in pot.entries}
    assert where["Warranty card"] == ["app/demo.py:7"]
    assert ("DemoKind.ON_SITE", "on site") in {(e.msgctxt, e.msgid) for e in pot.entries}

    before = _snapshot(root)  # again: nothing to do, nothing changes
    assert convert.main(["zh_demo", "--root", str(root)]) == 0
    assert _snapshot(root) == before


def test_a_module_merges_into_an_existing_po_and_keeps_reviewed_traditional(root: Path) -> None:
    convert.main(["zh_demo", "--root", str(root)])
    tw_path = root / "app/i18n/locale/zh_TW/LC_MESSAGES/demo.po"
    tw = read_po(tw_path)
    for entry in tw.entries:
        if entry.msgid == "Warranty card":
            entry.msgstr = "保固卡（已審）"  # a reviewer's edit
    convert.write_po(tw_path, tw)
    (root / "app/i18n/zh_demo.py").write_text(  # the area's engineer added and changed texts
        'TEXT_ZH = {"Warranty card": "保修凭证", "Spare part": "配件"}\n', encoding="utf-8")
    (root / "app/i18n/__init__.py").write_text(INIT, encoding="utf-8")
    convert.main(["--all", "--root", str(root)])  # zh_other, zh_last: no files, only dropped
    assert convert.catalogues(root) == []
    assert "CATALOGUES: tuple[str, ...] = ()" in (root / "app/i18n/__init__.py").read_text()
    cn = {e.msgid: e.msgstr for e in read_po(root / "app/i18n/locale/zh_CN/LC_MESSAGES/demo.po")
          .entries}
    assert cn["Warranty card"] == "保修凭证" and cn["Spare part"] == "配件"
    assert cn["Repair order {number}"] == "工单 {number}"  # the earlier entries stay
    tw = {e.msgid: e.msgstr for e in read_po(tw_path).entries}
    assert tw["Warranty card"] == "保固卡（已審）" and tw["Spare part"] == "配件"
