"""A letterhead image (logo or stamp) on the settings page: its preview, 选择… (the file is
read and checked on the database worker: PNG/JPEG within the limits, or its message under
the field) and 移除. What was picked is only kept here until the page is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.services.station_settings import LetterheadImage, read_image_file
from app.ui.tasks import TaskRunner

PREVIEW = (160, 90)


class ImagePicker(QWidget):
    """``stored`` is the saved image; ``picked`` a new one; ``dropped`` when 移除 was used."""

    changed = Signal()
    failed = Signal(object)  # the RuleViolation of a refused file

    def __init__(self, tasks: TaskRunner, field: str, label: str,
                 ask_path: Callable[[QWidget], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.field = field
        self.label = label  # English source text of the field
        #: the file dialog; tests replace it
        self.ask_path = ask_path or self._ask
        self.stored: LetterheadImage | None = None
        self.picked: LetterheadImage | None = None
        self.dropped = False
        self.preview = QLabel(objectName=f"{field}_preview")
        self.preview.setFixedSize(*PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #bbb; background: white;")
        self.info = QLabel(objectName=f"{field}_info")
        self.info.setWordWrap(True)
        self.choose = QPushButton(tr("Choose…"), objectName=f"{field}_choose")
        self.choose.clicked.connect(self.pick)
        self.remove = QPushButton(tr("Remove"), objectName=f"{field}_remove")
        self.remove.clicked.connect(self.drop)
        actions = QHBoxLayout()
        actions.addWidget(self.choose)
        actions.addWidget(self.remove)
        actions.addStretch(1)
        buttons = QVBoxLayout()
        buttons.addLayout(actions)
        buttons.addWidget(self.info)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addLayout(buttons, 1)
        self._show()

    # -- state ------------------------------------------------------------------------------
    def set_stored(self, image: LetterheadImage | None) -> None:
        self.stored, self.picked, self.dropped = image, None, False
        self._show()

    def current(self) -> LetterheadImage | None:
        if self.picked is not None:
            return self.picked
        return None if self.dropped else self.stored

    def key(self) -> str:
        """What the page compares to see unsaved changes."""
        image = self.current()
        return image.sha256 if image is not None else ""

    # -- actions ----------------------------------------------------------------------------
    def pick(self) -> None:
        path = self.ask_path(self)
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        field, label = self.field, self.label
        self.tasks.run(lambda: read_image_file(path, field, label), self._loaded,
                       self.failed.emit, owner=self)

    def drop(self) -> None:
        self.picked, self.dropped = None, True
        self._show()
        self.changed.emit()

    def _loaded(self, image: LetterheadImage) -> None:
        self.picked, self.dropped = image, False
        self._show()
        self.changed.emit()

    def _ask(self, parent: QWidget) -> str:
        path, _ = QFileDialog.getOpenFileName(parent, tr(self.label), "",
                                              tr("Images (*.png *.jpg *.jpeg)"))
        return path

    def _show(self) -> None:
        image = self.current()
        self.remove.setEnabled(image is not None)
        if image is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(tr("None"))
            self.info.setText(tr("PNG or JPEG, at most 2 MB"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(image.data)
        self.preview.setPixmap(pixmap.scaled(
            PREVIEW[0] - 4, PREVIEW[1] - 4, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        self.info.setText(tr("{format}, {width}×{height} pixels", format=image.format,
                             width=image.width, height=image.height))
