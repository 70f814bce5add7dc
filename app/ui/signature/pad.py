"""The signature pad (签字板): a white box the customer signs in with the mouse, a pen
(tablet events) or a finger (touch events); the strokes are kept as points and drawn
smoothed, and exported as a PNG on a white ground at the pad's size (``to_png``, on the GUI
thread: painting a QImage is quick). No service call here.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.i18n import tr

INK = QColor("#10204a")
PEN_WIDTH = 3.0
SIZE = QSize(480, 160)


class SignaturePad(QWidget):
    #: the strokes changed (drawn or cleared)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_pad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setMinimumSize(SIZE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(tr("Signature pad"))
        self.strokes: list[list[QPointF]] = []
        self._drawing = False
        self._touches: dict[int, list[QPointF]] = {}
        #: a stored signature shown instead of strokes (read only), or None
        self._shown: QImage | None = None

    def sizeHint(self) -> QSize:
        return SIZE

    # -- strokes ------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not any(self.strokes)

    def show_png(self, png: bytes | None) -> None:
        """Shows a stored signature (None: back to the empty pad)."""
        image = QImage.fromData(png) if png else None
        self._shown = image if image is not None and not image.isNull() else None
        self.update()

    def clear(self) -> None:
        self._shown = None
        self.strokes.clear()
        self._touches.clear()
        self._drawing = False
        self.update()
        self.changed.emit()

    def _begin(self, point: QPointF) -> list[QPointF]:
        stroke = [QPointF(point)]
        self.strokes.append(stroke)
        self.update()
        return stroke

    def _extend(self, stroke: list[QPointF], point: QPointF) -> None:
        if stroke and (stroke[-1] - point).manhattanLength() < 0.5:
            return
        stroke.append(QPointF(point))
        self.update()

    def _end(self) -> None:
        self.changed.emit()

    # -- the mouse ----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drawing = True
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing and self.strokes:
            self._extend(self.strokes[-1], event.position())
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            self._drawing = False
            if self.strokes:
                self._extend(self.strokes[-1], event.position())
            self._end()
            event.accept()

    # -- a pen on a tablet --------------------------------------------------------------------
    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._drawing = True
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove and self._drawing and self.strokes:
            self._extend(self.strokes[-1], event.position())
        elif kind == QEvent.Type.TabletRelease and self._drawing:
            self._drawing = False
            self._end()
        event.accept()  # no synthesised mouse events on top of the pen's

    # -- fingers on a touch screen ------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel) and isinstance(event, QTouchEvent):
            self._touch(event)
            event.accept()
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        ended = False
        for point in event.points():
            state = point.state()
            if state == point.State.Pressed:
                self._touches[point.id()] = self._begin(point.position())
            elif state == point.State.Updated and point.id() in self._touches:
                self._extend(self._touches[point.id()], point.position())
            elif state == point.State.Released and point.id() in self._touches:
                self._extend(self._touches.pop(point.id()), point.position())
                ended = True
        if event.type() in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            self._touches.clear()
            ended = True
        if ended:
            self._end()

    # -- drawing ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.setPen(QPen(QColor("#b0b6c0"), 1, Qt.PenStyle.DashLine))
        base = self.height() - 28
        painter.drawLine(16, base, self.width() - 16, base)  # the line to sign on
        if self._shown is not None:
            scaled = self._shown.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)
            painter.drawImage((self.width() - scaled.width()) // 2,
                              (self.height() - scaled.height()) // 2, scaled)
        elif self.is_empty():
            painter.setPen(QColor("#8a909a"))
            painter.drawText(self.rect().adjusted(0, 0, 0, -34),
                             Qt.AlignmentFlag.AlignCenter, tr("Sign here"))
        self._paint_strokes(painter)
        painter.end()

    def _paint_strokes(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for a, b in zip(stroke, stroke[1:], strict=False):
                path.quadTo(a, (a + b) / 2)
            path.lineTo(stroke[-1])
            painter.drawPath(path)

    def to_image(self) -> QImage:
        """The strokes alone on white, at the pad's size (no guide line, no hint)."""
        image = QImage(self.size(), QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        self._paint_strokes(painter)
        painter.end()
        return image

    def to_png(self) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image().save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())
