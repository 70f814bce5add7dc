"""An order's photo is encrypted on disk: the photos tab shows its thumbnail and opens it in
the program's own viewer from the bytes a service decrypts (never the file's path); a photo
damaged on disk has no thumbnail and opening it says why, without a traceback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.orders.photo_viewer import PhotoViewer
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.test_order_flow import open_editor


def _photo(path: Path, colour: str) -> Path:
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def _viewers() -> list[PhotoViewer]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, PhotoViewer) and w.isVisible()]


def test_a_photo_opens_in_the_programs_viewer_and_a_damaged_one_says_so(
        qtbot, services, station, ctx_for, runner, tmp_path: Path) -> None:
    clerk = station["clerk"]
    order = new_order(services, clerk)
    services.orders.attach_photo(clerk, order.id, _photo(tmp_path / "现场.png", "#3366cc"))
    services.orders.attach_photo(clerk, order.id, _photo(tmp_path / "坏的.png", "#cc6633"))
    detail = services.orders.detail(order.id)
    good, bad = detail.attachments
    assert b"PNG" not in good.path.read_bytes()[:64] or services.db.key is None
    bad.path.write_bytes(bad.path.read_bytes()[:-40] + b"\0" * 40)  # damaged on disk
    editor = open_editor(qtbot, runner, ctx_for(clerk), order.id)
    tab = editor.photos
    settle(qtbot, runner)
    assert not tab.list.item(0).icon().isNull() and tab.list.item(1).icon().isNull()
    tab.list.setCurrentRow(0)
    tab.open_button.click()
    qtbot.waitUntil(lambda: bool(_viewers()), timeout=10_000)
    (viewer,) = _viewers()
    assert viewer.image.width() == 300 and "现场.png" in viewer.windowTitle()
    assert not viewer.label.pixmap().isNull()
    viewer.grab().save(str(tmp_path / "viewer.png"))
    viewer.close()
    tab.list.setCurrentRow(1)
    tab.open_button.click()
    qtbot.waitUntil(lambda: tab.findChild(QMessageBox, "message_box") is not None,
                    timeout=10_000)
    box = tab.findChild(QMessageBox, "message_box")
    assert "损坏" in box.text() and "Traceback" not in box.text()
    box.close()
    assert not _viewers()
