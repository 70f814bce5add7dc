"""The payments area: 收款 on an order (a toolbar action of the order editor) and the day's
cash summary (收款日结) page for the clerks and the manager. Importing it registers both;
the services refuse anyone else anyway.
"""

from __future__ import annotations

from app.domain.permissions import View
from app.ui.extensions import PageSpec, UiContext, register_order_action, register_page
from app.ui.payments.payment_dialog import payment_action


def _day_summary(ctx: UiContext):
    from app.ui.payments.day_page import DaySummaryPage

    return DaySummaryPage(ctx)


register_page(PageSpec("day_summary", "Daily takings", _day_summary, order=40,
                       visible=lambda actor: actor.sees(View.DAY_TAKINGS)))
register_order_action(payment_action)
