"""客户签字 in the order editor (issue 16 item 4): the customer signs on the pad with
synthetic mouse strokes, the signature is confirmed and stored (not blank), the editor's
charges are then locked; an empty pad is refused in the dialog; the manager reopens it."""

from __future__ import annotations

from io import BytesIO

from PIL import Image
from PySide6.QtCore import QPoint, Qt

from app.ui.signature import dialog as signature_dialog
from app.ui.signature.pad import SignaturePad
from tests.services.test_signatures import _working
from tests.ui.conftest import settle
from tests.ui.test_order_flow import open_editor


def _action(editor, name):
    return next(a for a in editor.order_actions if a.objectName() == name)


def draw(qtbot, pad: SignaturePad) -> None:
    """Two strokes across the pad, as a hand with a mouse would."""
    left = Qt.MouseButton.LeftButton
    for y in (60, 100):
        qtbot.mousePress(pad, left, pos=QPoint(30, y))
        for i in range(1, 30):
            qtbot.mouseMove(pad, QPoint(30 + i * 14, y + (18 if i % 2 else -18)))
        qtbot.mouseRelease(pad, left, pos=QPoint(30 + 30 * 14, y))


def ink_pixels(png: bytes) -> int:
    grey = Image.open(BytesIO(png)).convert("L")
    return sum(grey.point(lambda v: 255 if v < 160 else 0).histogram()[255:])


def test_the_customer_signs_with_the_mouse_and_the_stored_image_has_ink(
        qtbot, services, station, ctx_for, runner, tmp_path) -> None:
    order = _working(services, station)
    editor = open_editor(qtbot, runner, ctx_for(station["tech"]), order.id)
    action = _action(editor, "order_signature")
    assert action.isEnabled() and action.shortcut().toString() == signature_dialog.SHORTCUT
    dialog = action.open_dialog()
    qtbot.addWidget(dialog)
    settle(qtbot, runner)
    assert not dialog.reopen_button.isVisibleTo(dialog)  # a technician does not reopen
    dialog.confirm()  # nothing drawn yet
    settle(qtbot, runner)
    assert dialog.form.error_text("image") and services.signatures.current(order.id) is None
    draw(qtbot, dialog.pad)
    assert not dialog.pad.is_empty()
    dialog.grab().save(str(tmp_path / "signature_dialog.png"))
    dialog.name.setText("李雷")
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    info = services.signatures.current(order.id)
    assert info is not None and info.valid and info.signer_name == "李雷"
    assert ink_pixels(info.image_png) > 500
    assert "李雷" in dialog.state.text() and not dialog.confirm_button.isEnabled()


def test_the_manager_sees_who_signed_and_reopens_with_a_reason(
        qtbot, services, station, ctx_for, runner, tmp_path) -> None:
    from tests.services.signature_helpers import drawn

    order = _working(services, station)
    services.signatures.sign(station["tech"], order.id, "李雷", drawn())
    editor = open_editor(qtbot, runner, ctx_for(station["manager"]), order.id)
    dialog = _action(editor, "order_signature").open_dialog()
    qtbot.addWidget(dialog)
    settle(qtbot, runner)
    assert "李雷" in dialog.state.text() and "王师傅" in dialog.state.text()
    assert dialog.reopen_button.isVisibleTo(dialog) and not dialog.pad.isEnabled()
    dialog.grab().save(str(tmp_path / "signed_dialog.png"))
    dialog.reopen("客户要求加装支架")
    settle(qtbot, runner)
    assert services.signatures.current(order.id) is None and dialog.pad.isEnabled()


def test_a_finger_and_a_pen_draw_on_the_pad(qtbot) -> None:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QPointingDevice, QTabletEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(480, 160)
    pad.show()
    assert pad.testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, QPoint(30, 60), pad).commit()
    for i in range(1, 20):
        QTest.touchEvent(pad, device).move(0, QPoint(30 + i * 20, 60 + (i % 2) * 30),
                                           pad).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(420, 60), pad).commit()
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) >= 10
    pen = QPointingDevice.primaryPointingDevice()
    for kind, x in ((QEvent.Type.TabletPress, 40), (QEvent.Type.TabletMove, 200),
                    (QEvent.Type.TabletMove, 300), (QEvent.Type.TabletRelease, 300)):
        point = QPointF(x, 120)
        QApplication.sendEvent(pad, QTabletEvent(
            kind, pen, point, pad.mapToGlobal(point), 0.5, 0, 0, 0, 0, 0,
            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton))
    assert len(pad.strokes) == 2 and len(pad.strokes[1]) == 3
    assert ink_pixels(pad.to_png()) > 300
    pad.clear()
    assert pad.is_empty() and ink_pixels(pad.to_png()) == 0
