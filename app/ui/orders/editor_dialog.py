"""The order editor window: a new order's form, or an existing order (header with SLA and
status buttons, then tabs for details, repairs, charges and photos), plus the order actions
other areas register (e.g. print) in its toolbar.

All writes go through ``run_service``: the service call runs on the task runner, the fresh
``OrderDetail`` it returns is shown everywhere, and an error appears by its field; a stale
edit shows a message and reloads the order.

Esc or the close button on unsaved edits asks 保存 / 放弃 / 取消 (``desk_prompts``);
Ctrl+Enter saves the new order or the tab in front.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.i18n import render, tr
from app.services.errors import NotFound, StaleEdit
from app.services.orders import OrderDetail
from app.ui.extensions import REGISTRY, UiContext
from app.ui.orders.desk_prompts import DeskPrompts, Unsaved
from app.ui.orders.editor_charges import ChargesTab
from app.ui.orders.editor_fields import OrderFieldsTab
from app.ui.orders.editor_header import OrderHeader
from app.ui.orders.editor_new import NewOrderForm
from app.ui.orders.editor_photos import PhotosTab
from app.ui.orders.editor_repairs import RepairsTab
from app.ui.orders.prompts import Prompts
from app.ui.widgets.forms import ERROR_STYLE, ErrorForm
from app.ui.widgets.messages import show_error


class OrderEditor(QDialog):
    #: the fresh OrderDetail after every load or change
    order_loaded = Signal(object)

    def __init__(
        self, ctx: UiContext, order_id: str | None, *, customer_id: str | None = None,
        prompts: Prompts | None = None, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.prompts = prompts or Prompts()
        self.desk_prompts = DeskPrompts()
        self._close_after_save = False
        self._asking = False
        self._detail: OrderDetail | None = None
        self._order_id = order_id
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setModal(False)
        self.resize(900, 720)
        self.setWindowTitle(tr("New order") if order_id is None else tr("Order"))

        self.toolbar = QToolBar()
        self.order_actions = [
            action for factory in REGISTRY.order_actions
            if (action := factory(ctx, self)) is not None
        ]
        for action in self.order_actions:
            self.toolbar.addAction(action)
        self.toolbar.setVisible(bool(self.order_actions))

        self.message = QLabel(objectName="editor_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()

        self.pages = QStackedWidget()
        self.new_form: NewOrderForm | None = None
        if order_id is None:
            self.new_form = NewOrderForm(self, customer_id)
            self.pages.addWidget(self.new_form)

        self.existing = QWidget()
        existing_layout = QVBoxLayout(self.existing)
        existing_layout.setContentsMargins(0, 0, 0, 0)
        self.header = OrderHeader(self)
        self.tabs = QTabWidget()
        self.fields = OrderFieldsTab(self)
        self.repairs = RepairsTab(self)
        self.charges = ChargesTab(self)
        self.photos = PhotosTab(self)
        self.tabs.addTab(self.fields, tr("Order details"))
        self.tabs.addTab(self.repairs, tr("Repair records"))
        self.tabs.addTab(self.charges, tr("Charges"))
        self.tabs.addTab(self.photos, tr("Photos"))
        existing_layout.addWidget(self.header)
        existing_layout.addWidget(self.tabs, 1)
        self.pages.addWidget(self.existing)

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save_current,
                      context=Qt.ShortcutContext.WindowShortcut)
        if order_id is not None:
            self.pages.setCurrentWidget(self.existing)
            self.load()
        elif self.new_form is not None:
            # the clerk types (or scans) the caller's phone first
            self.new_form.lookup.setFocus()

    # -- the contract for registered order actions ----------------------------------------
    def current_order(self) -> OrderDetail | None:
        return self._detail

    def order_id(self) -> str | None:
        return self._order_id

    # -- unsaved edits -------------------------------------------------------------------------
    def unsaved_parts(self) -> list[QWidget]:
        """The parts holding edits not saved yet (the new form, the details, the charges, a
        repair record typed but not added)."""
        if self.new_form is not None and self.pages.currentWidget() is self.new_form:
            return [self.new_form] if self.new_form.has_unsaved() else []
        if self._detail is None:
            return []
        dirty: list[QWidget] = []
        if self.fields.has_unsaved():
            dirty.append(self.fields)
        saved = [(c.kind, c.description, c.quantity, c.unit_price_fen)
                 for c in self._detail.charges]
        try:
            typed = [(c.kind, c.description, c.quantity, c.unit_price_fen)
                     for c in self.charges.lines()]
        except Exception:  # a line that does not parse yet is an edit too
            typed = None
        if typed != saved and self.charges.isEnabled():
            dirty.append(self.charges)
        if self.repairs.has_unsaved():
            dirty.append(self.repairs)
        return dirty

    def has_unsaved(self) -> bool:
        return bool(self.unsaved_parts())

    def save_current(self) -> None:
        """Ctrl+Enter: saves the new order, or the tab in front (else the first edited part)."""
        if self.new_form is not None and self.pages.currentWidget() is self.new_form:
            self.new_form.save()
            return
        dirty = self.unsaved_parts()
        front = self.tabs.currentWidget()
        target = front if front in dirty or not dirty else dirty[0]
        save = getattr(target, "save", None)
        if callable(save):
            save()

    def reject(self) -> None:
        """Esc and the close button: asks first when there are unsaved edits."""
        dirty = self.unsaved_parts()
        if not dirty:
            super().reject()
            return
        if self._asking:
            return
        self._asking = True
        self.desk_prompts.unsaved_changes(self, self._unsaved_answered)

    def _unsaved_answered(self, answer: Unsaved) -> None:
        self._asking = False
        dirty = self.unsaved_parts()
        if answer is Unsaved.DISCARD or not dirty:
            super().reject()
        elif answer is Unsaved.SAVE:
            self._close_after_save = True
            dirty[0].save()

    def save_failed(self) -> None:
        """A save asked for on closing failed: the window stays, showing why."""
        self._close_after_save = False

    # -- loading and writing ----------------------------------------------------------------
    def load(self) -> None:
        """(Re)reads the order from the store."""
        if self._order_id is None:
            return
        order_id, actor = self._order_id, self.ctx.actor
        self.ctx.tasks.run(lambda: self.ctx.services.orders.detail(order_id, actor),
                           self.show_detail, self._load_failed, owner=self)

    def show_detail(self, detail: OrderDetail) -> None:
        self._detail = detail
        self._order_id = detail.id
        self.setWindowTitle(tr("Order {number}", number=detail.number))
        self.pages.setCurrentWidget(self.existing)
        for part in (self.header, self.fields, self.repairs, self.charges, self.photos):
            part.show_detail(detail)
        self.order_loaded.emit(detail)
        if self._close_after_save:
            self._close_after_save = False
            if not self.has_unsaved():
                self.accept()

    def run_service(
        self, call: Callable[[], OrderDetail], form: ErrorForm | None = None,
        on_done: Callable[[OrderDetail], None] | None = None,
    ) -> None:
        """Runs a service write; shows the fresh order or the error (by field in ``form``)."""
        self.clear_message()
        if form is not None:
            form.clear_errors()

        def done(detail: OrderDetail) -> None:
            # the part clears what it saved first, so the fresh order finds nothing unsaved
            # (closing after "save" waits for exactly that)
            if on_done is not None:
                on_done(detail)
            self.show_detail(detail)
            self.ctx.status_message(tr("Order {number} saved.", number=detail.number))

        self.ctx.tasks.run(call, done, lambda err: self.handle_error(err, form), owner=self)

    def handle_error(self, error: BaseException, form: ErrorForm | None = None) -> None:
        self.save_failed()
        if isinstance(error, StaleEdit):
            self.show_message(render(error))
            show_error(self, error)
            self.load()
            return
        if form is not None and form.knows(getattr(error, "field", None)):
            form.show_error(error)
            return
        self.show_message(render(error))
        if getattr(error, "template", None) is None:
            show_error(self, error)

    def _load_failed(self, error: BaseException) -> None:
        self.show_message(render(error))
        if isinstance(error, NotFound):
            self.existing.setEnabled(False)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def clear_message(self) -> None:
        self.message.clear()
        self.message.hide()

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()
