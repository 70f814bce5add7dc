"""Starting the program: a database from a newer program is refused with a clear message and
a non-zero exit, untouched; ``--self-test`` on an empty folder checks the first-run dialogs."""

from __future__ import annotations

from app.bootstrap import open_services
from app.ui.launch import run_gui
from tests.station_files import station_connect


def test_database_too_new_is_refused_untouched(qtbot, tmp_path, capsys):
    folder = tmp_path / "newer"
    open_services(folder).close()
    database = folder / "station.sqlite3"
    with station_connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = database.read_bytes()

    assert run_gui(folder, self_test=True) == 2
    err = capsys.readouterr().err
    assert "9999_from_the_future" in err and "数据未做任何改动" in err
    assert database.read_bytes() == before


def test_self_test_on_an_empty_folder_checks_the_first_run_dialogs(qtbot, tmp_path, capsys):
    assert run_gui(tmp_path / "fresh", self_test=True) == 0
    assert "self-test: showed SetupDialog, LoginDialog; ok" in capsys.readouterr().out


def test_application_has_qt_chinese_texts_and_a_cjk_font(qapp):
    from PySide6.QtGui import QFontDatabase, QFontMetrics
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.qt_app import make_application

    app = make_application()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    assert buttons.buttons()[0].text() == "保存"  # Qt's own zh_CN catalogue
    family = app.font().family()
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    assert QFontMetrics(app.font()).inFontUcs4(ord("维"))
