"""Printing in the window: the order editor's actions 打印预览 / 打印 / 另存为PDF /
用系统查看器打开, and 批量打印 for the orders selected in the list. Each action's drop-down
menu chooses the document (repair report, work order, ...); the choice is remembered.

Importing this package registers the actions (``app.ui.areas.AREA_MODULES`` lists it).
"""

from __future__ import annotations

from app.ui.extensions import register_order_action, register_selection_action
from app.ui.printing.actions import ORDER_ACTIONS, batch_print_factory, order_action_factory

__all__ = ["ORDER_ACTIONS", "batch_print_factory"]

for _name, _text, _method in ORDER_ACTIONS:
    register_order_action(order_action_factory(_name, _text, _method))
register_selection_action(batch_print_factory)
