"""The 设置 page (issue 13, item 3): only the manager has it; the phone changed and saved
(Ctrl+S) reaches the service; a bad CA bundle path shows its message under the field and
stores nothing; a logo picked shows its preview and reaches the papers; 立即备份 makes a backup
and shows its time; leaving with unsaved edits asks first; the page in Chinese."""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.printing.data import Paper
from app.ui.extensions import REGISTRY
from app.ui.orders.desk_prompts import Unsaved
from app.ui.settings_page.page import SettingsPage
from tests.ui.conftest import settle

SHOTS = Path(tempfile.gettempdir()) / "repair-station-shots"


class Answers:
    def __init__(self, choice: Unsaved) -> None:
        self.choice = choice
        self.asked = 0

    def unsaved_changes(self, _parent, answered) -> None:
        self.asked += 1
        answered(self.choice)


def open_page(qtbot, runner, ctx, prompts=None) -> SettingsPage:
    page = SettingsPage(ctx, prompts, printers=lambda: ["HP LaserJet 1020", "Canon LBP2900"])
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    settle(qtbot, runner)
    return page


def test_only_the_manager_sees_the_page(station) -> None:
    spec = next(p for p in REGISTRY.pages() if p.key == "settings")
    assert spec.visible_for(station["manager"])
    assert not spec.visible_for(station["clerk"])
    assert not spec.visible_for(station["tech"])


def test_change_the_phone_and_save(qtbot, runner, services, station, ctx_for) -> None:
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    assert page.station.phone.text() == "010-62345678"
    assert not page.has_unsaved()
    qtbot.keyClicks(page.station.phone, "")
    page.station.phone.clear()
    qtbot.keyClicks(page.station.phone, "13912345678")
    assert page.has_unsaved()
    page.hq.minutes.setValue(15)
    page.printing.rows["report"][0].setCurrentIndex(
        page.printing.rows["report"][0].findData("HP LaserJet 1020"))
    page.printing.rows["report"][1].setCurrentIndex(
        page.printing.rows["report"][1].findData("A5"))
    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.keyClick(page.station.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, runner)
    assert services.users.station().phone == "13912345678"
    settings = services.station_settings
    assert settings.sync_minutes() == 15
    assert settings.default_printer("report") == "HP LaserJet 1020"
    assert settings.default_paper("report") is Paper.A5
    assert page.message.text() == "设置已保存。"
    assert not page.has_unsaved()


def test_a_bad_ca_path_shows_its_message_and_stores_nothing(qtbot, runner, services, station,
                                                            ctx_for, tmp_path) -> None:
    services.sync.register(station["manager"], "http://127.0.0.1:8765", "BJ001", "tok",
                           check=False)
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    assert page.hq.ca.isEnabled()
    page.station.phone.setText("13912345678")
    missing = tmp_path / "nowhere" / "ca.pem"
    page.hq.ca.setText(str(missing))
    with qtbot.waitSignal(page.failed, timeout=10_000):
        page.save_button.click()
    settle(qtbot, runner)
    text = page.error_text("ca_bundle")
    assert str(missing) in text and "不存在" in text
    assert services.users.station().phone == "010-62345678"  # nothing stored half
    assert services.station_settings.current().ca_bundle == ""
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "settings-ca-error.png"))


def test_a_logo_picked_shows_and_reaches_the_papers(qtbot, runner, services, station, ctx_for,
                                                    tmp_path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), (20, 60, 160)).save(logo)
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    page.station.logo.ask_path = lambda _parent: str(logo)
    page.station.logo.choose.click()
    settle(qtbot, runner)
    assert page.station.logo.preview.pixmap() is not None
    assert not page.station.logo.preview.pixmap().isNull()
    assert "240×80" in page.station.logo.info.text()
    # a file that is no image: its message under the stamp field, nothing kept
    bad = tmp_path / "stamp.png"
    bad.write_bytes(b"not a picture")
    page.station.stamp.ask_path = lambda _parent: str(bad)
    page.station.stamp.choose.click()
    settle(qtbot, runner)
    assert "PNG" in page.error_text("stamp")
    assert page.station.stamp.current() is None
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_button.click()
    settle(qtbot, runner)
    buffer = BytesIO()
    Image.open(logo).save(buffer, "PNG")
    assert services.reports.letterhead().logo == logo.read_bytes()
    page.station.logo.remove.click()
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_button.click()
    settle(qtbot, runner)
    assert services.reports.letterhead().logo is None


def test_back_up_now_shows_the_last_backup(qtbot, runner, services, station, ctx_for) -> None:
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    assert page.backup.last.text() == "尚无备份"
    page.backup.now.click()
    qtbot.waitUntil(lambda: services.backups.last_backup() is not None, timeout=20_000)
    settle(qtbot, runner)
    assert "手动" in page.backup.last.text()
    assert page.backup.now.isEnabled()


def test_leaving_with_unsaved_edits_asks(qtbot, runner, services, station, ctx_for) -> None:
    answers = Answers(Unsaved.DISCARD)
    window = QWidget()
    qtbot.addWidget(window)
    ctx = ctx_for(station["manager"])
    page = SettingsPage(ctx, answers, printers=lambda: [])
    page.setParent(window)
    window.show()
    settle(qtbot, runner)
    page.station.name.setText("新名字维修站")
    page.hide()  # another page took its place
    qtbot.waitUntil(lambda: answers.asked == 1)
    settle(qtbot, runner)
    assert page.station.name.text() == "北京海淀维修站"
    assert services.users.station().name == "北京海淀维修站"
    page.show()
    page.hide()  # nothing unsaved: no question
    qtbot.wait(50)
    assert answers.asked == 1


def test_the_page_reads_in_chinese(qtbot, runner, station, ctx_for) -> None:
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    titles = [s.title() for s in page.sections]
    assert titles == ["站点信息与抬头", "总部连接", "打印", "语言", "备份"]
    assert page.hq.url.text() == "未注册到总部"
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "settings-page.png"))


def test_the_whole_page_with_images_and_a_backup(qtbot, runner, services, station, ctx_for,
                                                 tmp_path) -> None:
    """The page as the manager sees it once everything is set (for a look at the PNG)."""
    from app.services.station_settings import SettingsChange
    from tests.printing.test_letterhead_images import LOGO, STAMP

    services.sync.register(station["manager"], "https://hq.example.com", "BJ001", "tok",
                           check=False)
    services.station_settings.save(station["manager"], SettingsChange(logo=LOGO, stamp=STAMP))
    services.backups.backup_now(station["manager"])
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    assert page.hq.url.text() == "https://hq.example.com"
    assert "240×80" in page.station.logo.info.text()
    assert "手动" in page.backup.last.text()
    column = page.findChild(QWidget, "settings_column")
    column.resize(column.width(), column.sizeHint().height())
    SHOTS.mkdir(exist_ok=True)
    column.grab().save(str(SHOTS / "settings-page-whole.png"))


def test_leaving_the_page_in_the_window_asks_and_cancel_stays(qtbot, runner, services,
                                                              station) -> None:
    from app.ui.window import close_main_window, open_main_window

    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, runner)
    assert "settings" in window.page_keys()
    page = window.show_page("settings")
    settle(qtbot, runner)
    answers = Answers(Unsaved.CANCEL)
    page.prompts = answers
    page.station.address.setText("北京市海淀区中关村大街9号")
    window.show_page("orders")
    qtbot.waitUntil(lambda: answers.asked == 1)
    qtbot.waitUntil(lambda: window.current_page() is page)  # 取消: back on the settings page, edits kept
    assert page.station.address.text() == "北京市海淀区中关村大街9号"
    answers.choice = Unsaved.SAVE
    window.show_page("orders")
    qtbot.waitUntil(lambda: answers.asked == 2)
    settle(qtbot, runner)
    assert window.current_page() is not page
    assert services.users.station().address == "北京市海淀区中关村大街9号"
    close_main_window(window)


def test_the_page_in_english(qtbot, runner, station, ctx_for) -> None:
    from app.i18n import set_language

    set_language("en")
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    assert [s.title() for s in page.sections] == [
        "Station and letterhead", "Head-office connection", "Printing", "Language", "Backups"]
    assert page.backup.now.text() == "Back up now"
    column = page.findChild(QWidget, "settings_column")
    column.resize(column.width(), column.sizeHint().height())
    SHOTS.mkdir(exist_ok=True)
    column.grab().save(str(SHOTS / "settings-page-en.png"))


def test_backup_settings_go_back_when_the_rest_is_refused(qtbot, runner, services, station,
                                                          ctx_for, tmp_path) -> None:
    page = open_page(qtbot, runner, ctx_for(station["manager"]))
    page.backup.folder.setText("relative/backups")
    with qtbot.waitSignal(page.failed, timeout=10_000):
        page.save_button.click()
    settle(qtbot, runner)
    assert "完整路径" in page.error_text("folder")
    # a good folder, but the station's name refused: the backup settings are put back
    page.backup.folder.setText(str(tmp_path / "backups"))
    page.backup.hour.setValue(3)
    page.station.name.setText("")
    with qtbot.waitSignal(page.failed, timeout=10_000):
        page.save_button.click()
    settle(qtbot, runner)
    assert page.error_text("name")
    kept = services.backups.settings()
    assert (kept.custom_folder, kept.hour) == ("", 12)
    page.station.name.setText("北京海淀维修站")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_button.click()
    settle(qtbot, runner)
    kept = services.backups.settings()
    assert (kept.custom_folder, kept.hour) == (str(tmp_path / "backups"), 3)
    assert page.backup.where.text().endswith(str(tmp_path / "backups"))
