"""Printing in the window: the order editor's actions 打印预览 / 打印 / 另存为PDF /
用系统查看器打开, and 批量打印 for the orders selected in the list. Each action's drop-down
menu chooses the document (repair report, work order, ...); the choice is remembered.

Importing this module registers the actions (``app.ui.areas.AREA_MODULES`` lists it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.i18n import tr
from app.ui.extensions import UiContext, register_order_action, register_selection_action
from app.ui.printing.controller import PrintController

#: (object name, English source text, controller method) of the order editor's actions
ORDER_ACTIONS = (
    ("print_preview", "Print preview", "preview"),
    ("print_order", "Print", "print_order"),
    ("print_save_pdf", "Save as PDF", "save_pdf"),
    ("print_open_viewer", "Open in PDF viewer", "open_external"),
)


def _document_menu(ctx: UiContext, parent: Any, run) -> QMenu:
    menu = QMenu(parent)
    for spec in ctx.services.reports.documents():
        item = menu.addAction(tr(spec.title))
        item.setObjectName(f"document_{spec.name}")
        item.triggered.connect(lambda _checked=False, name=spec.name: run(name))
    return menu


def order_action_factory(object_name: str, text: str, method: str):
    def factory(ctx: UiContext, editor: Any) -> QAction:
        controller = PrintController(ctx, parent=editor)
        action = QAction(tr(text), editor)
        action.setObjectName(object_name)

        def run(document: str | None = None) -> None:
            order_id = editor.order_id()
            if order_id is None:
                return
            if document is not None:
                controller.set_document(document)
            getattr(controller, method)(order_id, document)

        action.setMenu(_document_menu(ctx, editor, run))
        action.triggered.connect(lambda _checked=False: run())
        action.setEnabled(editor.order_id() is not None)
        editor.order_loaded.connect(lambda _detail: action.setEnabled(True))
        action.controller = controller
        return action

    return factory


def batch_print_factory(ctx: UiContext, page: Any) -> QAction:
    controller = PrintController(ctx, parent=page)
    action = QAction(tr("Batch print"), page)
    action.setObjectName("print_batch")

    def run(document: str | None = None) -> None:
        if document is not None:
            controller.set_document(document)
        controller.batch_print(page.selected_order_ids(), document)

    def update() -> None:
        action.setEnabled(bool(page.selected_order_ids()))

    action.setMenu(_document_menu(ctx, page, run))
    action.triggered.connect(lambda _checked=False: run())
    page.selection_changed.connect(update)
    # the page asks before its table exists: nothing is selected yet
    action.setEnabled(False)
    action.controller = controller
    return action


for _name, _text, _method in ORDER_ACTIONS:
    register_order_action(order_action_factory(_name, _text, _method))
register_selection_action(batch_print_factory)
