"""The "photos" tab: thumbnails of the order's photos (decoded off the GUI thread), adding a
file, and opening a photo in the system's viewer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.i18n import tr
from app.services.orders import AttachmentInfo, OrderDetail

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor

THUMB = QSize(160, 120)
IMAGE_FILTER = "*.jpg *.jpeg *.png *.bmp *.gif *.webp"


def load_thumbnail(path: Path) -> QImage:
    """Runs on a worker: QImage (unlike QPixmap) may be used off the GUI thread."""
    image = QImage(str(path))
    if image.isNull():
        return image
    return image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class PhotosTab(QWidget):
    def __init__(self, editor: OrderEditor) -> None:
        super().__init__()
        self.editor = editor
        self._shown: list[str] = []
        self.list = QListWidget(objectName="photos")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 40))
        self.list.itemActivated.connect(self._open_item)
        self.list.itemDoubleClicked.connect(self._open_item)
        self.add_button = QPushButton(tr("Add photo…"), objectName="add_photo")
        self.add_button.clicked.connect(self._choose_file)
        self.open_button = QPushButton(tr("Open"), objectName="open_photo")
        self.open_button.clicked.connect(
            lambda: self._open_item(self.list.currentItem()) if self.list.currentItem() else None)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_detail(self, d: OrderDetail) -> None:
        ids = [a.id for a in d.attachments]
        if ids != self._shown:
            self._shown = ids
            self.list.clear()
            for attachment in d.attachments:
                self._add_item(attachment)
        actor = self.editor.ctx.actor
        self.add_button.setEnabled(d.status.open and (
            actor.role is not Role.TECHNICIAN or d.technician_id == actor.user_id))

    def _add_item(self, attachment: AttachmentInfo) -> None:
        item = QListWidgetItem(attachment.filename)
        item.setData(Qt.ItemDataRole.UserRole, str(attachment.path))
        item.setToolTip(f"{attachment.filename} ({attachment.size // 1024 + 1} KB)")
        self.list.addItem(item)
        path = attachment.path
        self.editor.ctx.tasks.run(lambda: load_thumbnail(path),
                                  lambda image: self._set_thumbnail(item, image),
                                  owner=self.list, slow=True)

    def _set_thumbnail(self, item: QListWidgetItem, image: QImage) -> None:
        if not image.isNull() and shiboken6.isValid(item):
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Add photo"), "", f"{tr('Images')} ({IMAGE_FILTER})")
        if name:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> None:
        detail = self.editor.current_order()
        if detail is None:
            return
        ctx, order_id = self.editor.ctx, detail.id
        self.editor.run_service(lambda: ctx.services.orders.attach_photo(ctx.actor, order_id,
                                                                        path))

    def _open_item(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            path = item.data(Qt.ItemDataRole.UserRole)
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
