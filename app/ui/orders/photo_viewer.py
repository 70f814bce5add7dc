"""Showing a stored photo: the photos are encrypted on disk (``app.store.vault``), so nothing
hands a path to the system's viewer (that would need a plain copy on disk). A service reads and
decrypts the photo off the GUI thread; the image is decoded there too (``QImage`` may be used
off the GUI thread) and shown in the program's own window, fitted to the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain.errors import RuleViolation
from app.i18n import tr
from app.ui.tasks import TaskRunner
from app.ui.widgets.messages import show_error

THUMB = QSize(160, 120)


def decode(data: bytes) -> QImage:
    image = QImage()
    image.loadFromData(data)
    return image


def thumbnail(read: Callable[[str], bytes], digest: str, size: QSize = THUMB) -> QImage:
    """Runs on a worker: the photo read through the service and scaled; a null image when it
    cannot be read (missing, damaged or foreign: no thumbnail, no error box)."""
    try:
        image = decode(read(digest))
    except RuleViolation:
        return QImage()
    if image.isNull():
        return image
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class UndecodablePhoto(RuleViolation):
    def __init__(self, name: str) -> None:
        super().__init__("The photo {name} cannot be shown: it is not an image this program "
                         "reads.", name=name)


def load_photo(read: Callable[[str], bytes], digest: str, name: str) -> QImage:
    """Runs on a worker: the whole photo, decoded; a RuleViolation when it cannot be."""
    image = decode(read(digest))
    if image.isNull():
        raise UndecodablePhoto(name)
    return image


class PhotoViewer(QDialog):
    """One photo, fitted to the window; Esc or Ctrl+W closes it."""

    def __init__(self, parent: QWidget | None, image: QImage, title: str) -> None:
        super().__init__(parent)
        self.setObjectName("photo_viewer")
        self.setWindowTitle(title)
        self.image = image
        self.label = QLabel(objectName="photo")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.label)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        screen = self.screen().availableGeometry().size() if self.screen() else QSize(1024, 768)
        fit = image.size().scaled(screen * 0.8, Qt.AspectRatioMode.KeepAspectRatio)
        self.resize(fit.boundedTo(image.size()).expandedTo(QSize(320, 240)))
        self._show()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._show()

    def _show(self) -> None:
        target = self.size().boundedTo(self.image.size())
        self.label.setPixmap(QPixmap.fromImage(self.image.scaled(
            target, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation)))


def open_photo(owner: QWidget, tasks: TaskRunner, read: Callable[[str], bytes], digest: str,
               name: str) -> None:
    """Reads and decodes the photo on a worker, then shows it (or says why it cannot)."""
    def shown(image: QImage) -> None:
        viewer = PhotoViewer(owner.window(), image, tr("Photo: {name}", name=name))
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()

    tasks.run(lambda: load_photo(read, digest, name), shown,
              lambda error: show_error(owner, error), owner=owner, slow=True)
