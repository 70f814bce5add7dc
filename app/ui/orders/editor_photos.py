"""The "photos" tab: thumbnails of the order's photos (read from the encrypted store and
decoded off the GUI thread), adding a file, opening a photo in the program's viewer
(``photo_viewer``: a stored photo is never handed to another program as a file), and voiding
one taken by mistake (with a reason; it stays listed as voided).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
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

from app.domain.enums import OrderStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.order_corrections import WORK_STATES
from app.services.orders import AttachmentInfo, OrderDetail
from app.ui.orders.photo_viewer import THUMB, open_photo, thumbnail
from app.ui.widgets import reason

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor

IMAGE_FILTER = "*.jpg *.jpeg *.png *.bmp *.gif *.webp"


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
        self.void_button = QPushButton(tr("Void selected…"), objectName="void_photo")
        self.void_button.setToolTip(tr("Void a photo taken by mistake (a reason is kept)"))
        self.void_button.clicked.connect(self.void_selected)
        self.list.currentItemChanged.connect(lambda *_: self._update_void())
        self._attachments: dict[str, AttachmentInfo] = {}
        self._may_correct = False
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.void_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_detail(self, d: OrderDetail) -> None:
        ids = [f"{a.id}:{a.voided}" for a in d.attachments]
        self._attachments = {a.id: a for a in d.attachments}
        if ids != self._shown:
            self._shown = ids
            self.list.clear()
            for attachment in d.attachments:
                self._add_item(attachment)
        actor = self.editor.ctx.actor
        working = OrderStatus(d.status) in WORK_STATES
        self.add_button.setEnabled(working and actor.may(Permission.ORDER_PHOTO,
                                                         assigned_to=d.technician_id))
        self._may_correct = working and actor.may(Permission.ORDER_CORRECT,
                                                  assigned_to=d.technician_id)
        self._update_void()

    def selected_attachment(self) -> AttachmentInfo | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self._attachments.get(item.data(Qt.ItemDataRole.UserRole + 1))

    def _update_void(self) -> None:
        chosen = self.selected_attachment()
        self.void_button.setEnabled(self._may_correct and chosen is not None
                                    and not chosen.voided)

    def void_selected(self) -> None:
        detail, chosen = self.editor.current_order(), self.selected_attachment()
        if detail is None or chosen is None:
            return
        why = reason.ask_reason(self, "Void photo", "Why is this photo void?")
        if why is None:
            return
        ctx, order_id, attachment_id = self.editor.ctx, detail.id, chosen.id
        self.editor.run_service(
            lambda: ctx.services.corrections.void_photo(ctx.actor, order_id, attachment_id,
                                                        why))

    def _add_item(self, attachment: AttachmentInfo) -> None:
        text = attachment.filename
        tip = f"{attachment.filename} ({attachment.size // 1024 + 1} KB)"
        if attachment.voided:
            text = tr("[voided] {name}", name=attachment.filename)
            tip = tr("Voided: {reason}", reason=attachment.void_reason)
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, attachment.sha256)
        item.setData(Qt.ItemDataRole.UserRole + 1, attachment.id)
        item.setToolTip(tip)
        self.list.addItem(item)
        read, digest = self.editor.ctx.services.orders.read_attachment, attachment.sha256
        self.editor.ctx.tasks.run(lambda: thumbnail(read, digest),
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
        if item is None:
            return
        chosen = self._attachments.get(item.data(Qt.ItemDataRole.UserRole + 1))
        if chosen is not None:
            open_photo(self.list, self.editor.ctx.tasks,
                       self.editor.ctx.services.orders.read_attachment, chosen.sha256,
                       chosen.filename)
