"""The QApplication: Qt's own Chinese texts (buttons of standard dialogs), a CJK-capable font
and the application's names. Created once by ``launch``; tests use pytest-qt's instead.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.i18n import current_language, qt_text
from app.paths import resources_dir
from app.ui.display_check import EXIT_NO_DISPLAY, qt_fatal_problem, report

log = logging.getLogger(__name__)

#: families that show Simplified Chinese well, best first (Windows, macOS, Linux)
CJK_FAMILIES = (
    "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei",
)
#: tried first when the interface is 繁體中文 (Traditional glyph shapes); the others draw it too
TRADITIONAL_FAMILIES = ("Microsoft JhengHei UI", "Microsoft JhengHei", "PingFang TC",
                        "Noto Sans CJK TC", "Source Han Sans TC")
BUNDLED_FONT = "fonts/wqy-microhei.ttc"


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = _create(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("RepairStation")
    QCoreApplication.setApplicationName("Repair Station")
    install_translations(app)
    app.setFont(ui_font())
    return app


#: Qt's own catalogue and locale for each interface language (English is Qt's source)
QT_LOCALES = {
    "zh_CN": (QLocale.Language.Chinese, QLocale.Country.China),
    "zh_TW": (QLocale.Language.Chinese, QLocale.Country.Taiwan),
}
_installed: list[QTranslator] = []


class CatalogueTranslator(QTranslator):
    """Qt's own texts that Qt's catalogue lacks (Qt 6 renamed "Look in:" to "&Look in:" and
    qtbase_zh_CN.qm has only the old one), from our .po files (msgctxt = the Qt class).
    Installed after Qt's catalogue, so it is asked first; None (a null QString, not "",
    which Qt would show) passes the text on to it."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return qt_text(context, source)  # type: ignore[return-value]  # None: a null QString

    def isEmpty(self) -> bool:  # Qt's name
        return False


def _create(argv: list[str]) -> QApplication:
    """``QApplication(argv)``; Qt's fatal platform message (no plugin could start, no
    display answers) ends the process with our message and exit code, not an abort."""
    plugin_notes: list[str] = []

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if mode == QtMsgType.QtFatalMsg:
            # Qt's "xcb-cursor0 is needed" comes whatever is missing: left out
            notes = [n for n in plugin_notes if "is needed" not in n]
            report([qt_fatal_problem(notes[-1] if notes else message)])
            logging.shutdown()
            os._exit(EXIT_NO_DISPLAY)
        if context.category == "qt.qpa.plugin":
            plugin_notes.append(message)  # shown in our message if the start fails
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        return QApplication(argv)
    finally:
        qInstallMessageHandler(previous)


def install_translations(app: QApplication) -> None:
    """Qt's own texts (standard buttons, file dialogs: 查找范围, 文件类型) in the interface
    language: ``qtbase_<language>.qm`` from PySide6's translations folder (the wheel ships
    zh_CN and zh_TW). Called again after a change of language, it replaces the last one."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = current_language()
    country = QT_LOCALES.get(language)
    if country is None:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    QLocale.setDefault(QLocale(*country))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _installed.append(translator)
    else:
        log.warning("Qt's %s translations were not found in %s", language, folder)
    ours = CatalogueTranslator(app)
    app.installTranslator(ours)
    _installed.append(ours)


def ui_font() -> QFont:
    """The system's CJK font when there is one, else the font shipped in resources/."""
    families = set(QFontDatabase.families())
    wanted = (TRADITIONAL_FAMILIES if current_language() == "zh_TW" else ()) + CJK_FAMILIES
    family = next((f for f in wanted if f in families), None)
    if family is None:
        family = _load_bundled_font(resources_dir() / BUNDLED_FONT)
    font = QFont(family) if family else QFont()
    font.setPointSize(max(font.pointSize(), 10))
    return font


def _load_bundled_font(path: Path) -> str | None:
    if not path.is_file():
        log.warning("no CJK font found and %s is missing; Chinese may show as boxes", path)
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return loaded[0] if loaded else None
