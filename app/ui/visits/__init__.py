"""The return-visit area (回访): the queue page with the call script and the visit form, and
the dialog the order editor's 回访 action opens (``app.ui.orders.prompts``). Technicians do
not see the page; the service refuses them anyway.
"""

from __future__ import annotations

from app.domain.permissions import Permission
from app.ui.extensions import PageSpec, UiContext, register_page


def _visits_page(ctx: UiContext):
    from app.ui.visits.page import VisitsPage

    return VisitsPage(ctx)


def _desk(actor) -> bool:
    return actor.may(Permission.VISIT_RECORD)


register_page(PageSpec("visits", "Return visits", _visits_page, order=25, visible=_desk))
