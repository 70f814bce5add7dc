"""The day plan (派工看板) of the desk and the technician's own day (今日行程): importing it
registers the pages. The desk (who books visits: clerks, the manager) sees the board with
every technician's column and moves visits; a technician, who does not move his visits,
starts on his own plan for today (order 3: before the orders list).
"""

from __future__ import annotations

from app.domain.permissions import Permission
from app.services.context import Actor
from app.ui.extensions import PageSpec, UiContext, register_page


def _board(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.dayplan.page import DayPlanPage

    return DayPlanPage(ctx)


def _my_day(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.dayplan.page import DayPlanPage

    return DayPlanPage(ctx, own=True)


def _plans(actor: Actor) -> bool:
    return actor.may(Permission.APPOINTMENT_BOOK)


register_page(PageSpec("dayplan", "Day plan", _board, order=22, visible=_plans))
register_page(PageSpec("my_day", "My day", _my_day, order=3,
                       visible=lambda actor: not _plans(actor)))
