"""The maintenance-reminders area (保养提醒): the due list with its horizon, 生成保养工单 for
the selected products and the call list's export. The desk sees the page
(``View.MAINTENANCE``); the services refuse anyone else's orders and exports anyway.
"""

from __future__ import annotations

from app.domain.permissions import View
from app.ui.extensions import PageSpec, UiContext, register_page


def _page(ctx: UiContext):
    from app.ui.maintenance.page import MaintenancePage

    return MaintenancePage(ctx)


def _desk(actor) -> bool:
    return actor.sees(View.MAINTENANCE)


register_page(PageSpec("maintenance", "Maintenance reminders", _page, order=27, visible=_desk))
