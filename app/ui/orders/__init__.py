"""The orders area: the orders page (search, filters, lazy table) and the order editor.

Importing it registers the page.
"""

from __future__ import annotations

from app.ui.extensions import PageSpec, UiContext, register_order_action, register_page
from app.ui.orders.times_dialog import times_action


def _orders_page(ctx: UiContext):
    from app.ui.orders.page import OrdersPage

    return OrdersPage(ctx)


register_page(PageSpec("orders", "Orders", _orders_page, order=10))
register_order_action(times_action)
