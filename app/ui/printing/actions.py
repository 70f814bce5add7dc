"""The printing actions the window shows: one per verb for the order editor, and batch
printing for the orders list. Each has a drop-down menu that chooses the document.

They hold the editor or page only weakly and connect bound methods, never closures over
the page, so closing a window frees it at once instead of at the next garbage collection.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.i18n import tr
from app.ui.extensions import UiContext
from app.ui.printing.controller import PrintController

#: (object name, English source text, controller method) of the order editor's actions
ORDER_ACTIONS = (
    ("print_preview", "Print preview", "preview"),
    ("print_order", "Print", "print_order"),
    ("print_save_pdf", "Save as PDF", "save_pdf"),
    ("print_open_viewer", "Open in PDF viewer", "open_external"),
)


class _DocumentAction(QAction):
    """An action with a menu of the documents; triggering it uses the remembered one."""

    def __init__(self, ctx: UiContext, text: str, object_name: str, owner: QWidget) -> None:
        super().__init__(tr(text), owner)
        self.setObjectName(object_name)
        self.controller = PrintController(ctx, parent=owner)
        self._owner = weakref.ref(owner)
        menu = QMenu(owner)
        for spec in ctx.services.reports.documents():
            item = menu.addAction(tr(spec.title))
            item.setObjectName(f"document_{spec.name}")
            item.setData(spec.name)
        menu.triggered.connect(self._document_chosen)
        self.setMenu(menu)
        self.triggered.connect(self._run_default)

    def _document_chosen(self, item: QAction) -> None:
        name = item.data()
        self.controller.set_document(name)
        self._run(name)

    def _run_default(self) -> None:
        self._run(None)

    def _run(self, document: str | None) -> None:
        raise NotImplementedError


class OrderPrintAction(_DocumentAction):
    def __init__(self, ctx: UiContext, editor: Any, object_name: str, text: str,
                 method: str) -> None:
        super().__init__(ctx, text, object_name, editor)
        self._method = method
        self.setEnabled(editor.order_id() is not None)
        editor.order_loaded.connect(self._order_loaded)

    def _order_loaded(self, _detail: object) -> None:
        self.setEnabled(True)

    def _run(self, document: str | None) -> None:
        editor = self._owner()
        order_id = editor.order_id() if editor is not None else None
        if order_id is not None:
            getattr(self.controller, self._method)(order_id, document)


class BatchPrintAction(_DocumentAction):
    def __init__(self, ctx: UiContext, page: Any) -> None:
        super().__init__(ctx, "Batch print", "print_batch", page)
        # the page asks before its table exists: nothing is selected yet
        self.setEnabled(False)
        page.selection_changed.connect(self._selection_changed)

    def _selection_changed(self) -> None:
        page = self._owner()
        self.setEnabled(page is not None and bool(page.selected_order_ids()))

    def _run(self, document: str | None) -> None:
        page = self._owner()
        if page is None:
            return
        ask = getattr(page, "order_ids_to_print", None)  # asks about finished orders
        if ask is None:
            self.controller.batch_print(page.selected_order_ids(), document)
        else:
            controller = self.controller
            ask(lambda ids: controller.batch_print(ids, document))


def order_action_factory(
    object_name: str, text: str, method: str
) -> Callable[[UiContext, Any], QAction]:
    def factory(ctx: UiContext, editor: Any) -> QAction:
        return OrderPrintAction(ctx, editor, object_name, text, method)

    return factory


def batch_print_factory(ctx: UiContext, page: Any) -> QAction:
    return BatchPrintAction(ctx, page)
