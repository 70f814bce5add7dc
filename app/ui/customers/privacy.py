"""The manager's 导出个人信息 (Ctrl+Shift+I) and 删除个人信息 (Ctrl+Shift+X) on the
customer file (PIPL): the export asks where to save the .zip; the erasure opens a dialog that
says what is erased and what is kept, asks who requested it and why, and takes effect only
after 删除 is typed. Both run off the GUI thread (the task runner) and end with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.erasure import ERASED_NAME
from app.domain.permissions import Permission
from app.i18n import render, tr
from app.services.customer_privacy import MAX_REASON, MAX_REQUESTED_BY
from app.services.customers import CustomerFile
from app.ui.extensions import UiContext
from app.ui.widgets.forms import ErrorForm

EXPORT_KEYS = "Ctrl+Shift+I"
ERASE_KEYS = "Ctrl+Shift+X"  # a line edit keeps Ctrl+Shift+Delete for itself
CONFIRM_WORD = "删除"  # typed as is in every language: the word the dialog asks for


def ask_zip_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save the export (.zip added when left out); None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, tr("Export personal data"), str(suggested),
                                          tr("Zip files (*.zip)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".zip" else path.with_name(f"{path.name}.zip")


class ErasureDialog(QDialog):
    """删除个人信息: who asked, why, and 删除 typed to confirm; erases off the GUI thread."""

    erased = Signal(object)  # the ErasureResult

    def __init__(self, ctx: UiContext, customer_id: str, customer_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="erasure_dialog")
        self.ctx = ctx
        self.customer_id = customer_id
        self.setWindowTitle(tr("Erase personal data"))
        self.setMinimumWidth(520)
        intro = QLabel(tr(
            "Erase the personal data of {name}. Erased: the name, phones, address and notes, "
            "the orders' contact phone and service address, and every copy of them in the "
            "records, the audit log and the data for head office (head office erases its "
            "copy at the next sync). Kept for the warranty period: the orders' numbers, dates, "
            "products, faults, charges and amounts. This cannot be undone.",
            name=customer_name), objectName="erasure_intro")
        intro.setWordWrap(True)
        self.requested_by = QLineEdit(objectName="erasure_requested_by")
        self.requested_by.setMaxLength(MAX_REQUESTED_BY)
        self.requested_by.setPlaceholderText(tr("e.g. the customer himself, by phone"))
        self.reason = QLineEdit(objectName="erasure_reason")
        self.reason.setMaxLength(MAX_REASON)
        self.confirm = QLineEdit(objectName="erasure_confirm")
        self.confirm.setPlaceholderText(CONFIRM_WORD)
        self.form = ErrorForm()
        self.form.add_row("Requested by", self.requested_by, "requested_by")
        self.form.add_row("Reason", self.reason, "reason")
        self.form.add_row("Type 删除 to confirm", self.confirm)
        self.form.add_general_error_row()
        self.buttons = QDialogButtonBox()
        self.erase_button = self.buttons.addButton(tr("Erase"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.erase_button.setObjectName("erasure_erase")
        self.erase_button.setEnabled(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel"))
        self.buttons.accepted.connect(self.erase)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.requested_by, self.reason, self.confirm):
            edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.requested_by.setFocus()

    def ready(self) -> bool:
        return (self.confirm.text().strip() == CONFIRM_WORD
                and bool(self.requested_by.text().strip()) and bool(self.reason.text().strip()))

    def _update(self) -> None:
        self.erase_button.setEnabled(self.ready())

    def erase(self) -> None:
        if not self.ready():
            return
        service, actor = self.ctx.services.privacy, self.ctx.actor
        customer_id, asked, why = self.customer_id, self.requested_by.text(), self.reason.text()
        self.form.clear_errors()
        self.erase_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.ctx.tasks.run(lambda: service.erase_customer(actor, customer_id, asked, why),
                           self._done, self._failed, owner=self, slow=True)

    def _done(self, result: Any) -> None:
        self.unsetCursor()
        self.erased.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.unsetCursor()
        self.form.show_error(error)
        self._update()


class PrivacyActions(QWidget):
    """The two buttons beside the customer file's title; shown to the manager only."""

    exported = Signal(object)  # the ExportResult
    erased = Signal(object)  # the ErasureResult

    def __init__(self, ctx: UiContext, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="customer_privacy")
        self.ctx = ctx
        self.page = page
        #: asks where to save (replaced by tests)
        self.ask_path: Callable[[QWidget, Path], Path | None] = ask_zip_path
        self.dialog: ErasureDialog | None = None
        self.message: QMessageBox | None = None
        self.export_button = QPushButton(tr("Export personal data"),
                                         objectName="customer_export_personal")
        self.export_button.setShortcut(EXPORT_KEYS)
        self.export_button.setToolTip(tr("Everything the station holds about this customer "
                                         "in one .zip ({keys})", keys=EXPORT_KEYS))
        self.export_button.setVisible(ctx.actor.may(Permission.CUSTOMER_EXPORT))
        self.export_button.clicked.connect(self.export)
        self.erase_button = QPushButton(tr("Erase personal data"),
                                        objectName="customer_erase_personal")
        self.erase_button.setShortcut(ERASE_KEYS)
        self.erase_button.setToolTip(tr("Erase this customer's personal data on request "
                                        "({keys})", keys=ERASE_KEYS))
        self.erase_button.setVisible(ctx.actor.may(Permission.CUSTOMER_ERASE))
        self.erase_button.clicked.connect(self.open_erasure)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.export_button)
        layout.addWidget(self.erase_button)
        self.setVisible(ctx.actor.may(Permission.CUSTOMER_EXPORT)
                        or ctx.actor.may(Permission.CUSTOMER_ERASE))
        self._enable(None)
        page.file_loaded.connect(self._enable)

    def _file(self) -> CustomerFile | None:
        return self.page.file

    def _enable(self, file: CustomerFile | None) -> None:
        self.export_button.setEnabled(file is not None)
        erased = file is not None and file.customer.name == ERASED_NAME \
            and not file.customer.phones
        self.erase_button.setEnabled(file is not None and not erased)

    def _tell(self, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        self.message = QMessageBox(icon, tr("Personal data"), text, parent=self)
        self.message.setObjectName("privacy_message")
        self.message.open()
        self.ctx.status_message(text)

    # -- export ---------------------------------------------------------------------------------
    def export(self) -> None:
        file = self._file()
        if file is None or not self.export_button.isEnabled():
            return
        suggested = Path.home() / f"{tr('Personal data')}-{file.customer.name}.zip"
        path = self.ask_path(self, suggested)
        if path is not None:
            self.export_to(file.customer.id, path)

    def export_to(self, customer_id: str, path: Path) -> None:
        service, actor = self.ctx.services.privacy, self.ctx.actor
        self.export_button.setEnabled(False)
        self.ctx.tasks.run(lambda: service.export_customer(actor, customer_id, path),
                           self._exported, self._failed, owner=self, slow=True)

    def _exported(self, done: Any) -> None:
        self.export_button.setEnabled(True)
        self._tell(tr("Wrote the customer's personal data ({orders} orders, {photos} photos) "
                      "to {file}.", orders=done.orders, photos=done.photos, file=done.path))
        self.exported.emit(done)

    def _failed(self, error: BaseException) -> None:
        self._enable(self._file())
        self._tell(render(error), QMessageBox.Icon.Warning)

    # -- erasure --------------------------------------------------------------------------------
    def open_erasure(self) -> ErasureDialog | None:
        file = self._file()
        if file is None or not self.erase_button.isEnabled():
            return None
        self.dialog = ErasureDialog(self.ctx, file.customer.id, file.customer.name, self)
        self.dialog.erased.connect(self._erased)
        self.dialog.open()
        return self.dialog

    def _erased(self, result: Any) -> None:
        self._tell(tr("Erased the customer's personal data ({orders} orders kept); head office "
                      "erases its copy at the next sync.", orders=result.orders))
        self.erased.emit(result)
        self.page.run_search()
        self.page.show_customer(result.customer_id)
