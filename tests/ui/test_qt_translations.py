"""Qt's own dialogs speak the interface language: the file dialog says 查找范围/文件类型 (zh_CN),
尋找於/檔案型態 (zh_TW), never "Look in:" once a Chinese language is chosen; the language choice
of the settings page offers every catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QTreeView

from app.i18n import set_language
from app.ui.qt_app import install_translations


def _dialog_texts(qtbot, tmp_path: Path) -> set[str]:
    dialog = QFileDialog(None, "", str(tmp_path), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # what offscreen shows anyway
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    (tmp_path / "folder").mkdir(exist_ok=True)
    view = dialog.findChild(QTreeView, "treeView")  # the detail view: 名称 大小 类型 修改日期
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) == 1)
    texts = {w.text() for w in dialog.findChildren(QLabel)}
    texts |= {w.text() for w in dialog.findChildren(QPushButton)}
    texts |= {model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())}
    texts.add(model.index(0, 2, view.rootIndex()).data())  # the folder's type
    dialog.close()
    assert len([t for t in texts if t]) == len(texts), texts  # no blank button or heading
    return texts


@pytest.fixture
def language(qapp):
    def choose(code: str) -> None:
        set_language(code)
        install_translations(qapp)

    yield choose
    set_language("zh_CN")
    install_translations(qapp)


def test_pyside_ships_qts_chinese_catalogues() -> None:
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_zh_CN.qm").is_file()
    assert (folder / "qtbase_zh_TW.qm").is_file()


@pytest.mark.parametrize(("code", "look_in", "file_type", "cancel", "folder"), [
    ("zh_CN", "查找范围(&L)：", "文件类型(&T)：", "取消", "文件夹"),
    ("zh_TW", "尋找於(&L)：", "檔案型態(&T)：", "取消", "資料夾"),
])
def test_file_dialog_speaks_chinese(qtbot, tmp_path, language, code, look_in, file_type,
                                    cancel, folder):
    language(code)
    texts = _dialog_texts(qtbot, tmp_path)
    assert {look_in, file_type, cancel, folder} <= texts, texts
    assert not {"&Look in:", "Files of &type:", "File &name:", "&Open", "Cancel"} & texts
    assert not [t for t in texts if re.search("[A-Za-z]{2}", t)], texts  # no English left


def test_file_dialog_in_english_after_chinese(qtbot, tmp_path, language):
    language("zh_CN")
    language("en")  # the Chinese translator goes: Qt's source text again
    texts = _dialog_texts(qtbot, tmp_path)
    assert {"&Look in:", "Files of &type:", "Cancel", "Folder", "Name"} <= texts
    assert "查找范围(&L)：" not in texts


def test_settings_language_choice_offers_traditional_chinese(qtbot) -> None:
    from app.ui.settings_page.sections import LanguageSection

    section = LanguageSection()
    qtbot.addWidget(section)
    choices = {section.language.itemData(i): section.language.itemText(i)
               for i in range(section.language.count())}
    assert choices == {"zh_CN": "简体中文", "zh_TW": "繁體中文", "en": "English"}
