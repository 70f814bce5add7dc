"""The parts area: 配件库存 (stock), 零件销售 (counter sales), 盘点 (stock counts), 零件订购
(orders to head office), 旧件 (old parts and return shipments), and 领用配件 in the order
editor. Importing it registers the pages and the order action; each page says who sees it,
and the services refuse anyone else anyway.
"""

from __future__ import annotations

from app.domain.permissions import Permission
from app.ui.extensions import PageSpec, UiContext, register_order_action, register_page
from app.ui.parts.order_parts import order_parts_action


def _stock(ctx: UiContext):
    from app.ui.parts.stock_page import StockPage

    return StockPage(ctx)


def _sales(ctx: UiContext):
    from app.ui.parts.sale_page import SalePage

    return SalePage(ctx)


def _counts(ctx: UiContext):
    from app.ui.parts.count_page import CountPage

    return CountPage(ctx)


def _parts_orders(ctx: UiContext):
    from app.ui.parts.parts_orders_page import PartsOrdersPage

    return PartsOrdersPage(ctx)


def _old_parts(ctx: UiContext):
    from app.ui.parts.old_parts_page import OldPartsPage

    return OldPartsPage(ctx)


def _sells(actor) -> bool:
    return actor.may(Permission.SALE_CREATE)


def _orders_or_receives(actor) -> bool:
    return actor.may(Permission.PARTS_ORDER) or actor.may(Permission.PARTS_RECEIVE)


register_page(PageSpec("stock", "Parts stock", _stock, order=30))
register_page(PageSpec("sales", "Parts sales", _sales, order=32, visible=_sells))
register_page(PageSpec("counts", "Stock taking", _counts, order=34))
register_page(PageSpec("parts_orders", "Parts ordering", _parts_orders, order=36,
                       visible=_orders_or_receives))
register_page(PageSpec("old_parts", "Old-part returns", _old_parts, order=38))
register_order_action(order_parts_action)
