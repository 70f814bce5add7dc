"""The claims area: 三包索赔 (build the month's claim batch, see each line's findings, explain
a warning in writing, submit, then head office's decisions and the settlement statement, and
mark it paid). Importing it registers the page; technicians do not see it, a clerk sees it
read-only, and the services refuse anyone but the manager anyway.
"""

from __future__ import annotations

from app.domain.permissions import View
from app.ui.extensions import PageSpec, UiContext, register_page


def _claims(ctx: UiContext):
    from app.ui.claims.claims_page import ClaimsPage

    return ClaimsPage(ctx)


def _desk(actor) -> bool:
    return actor.sees(View.CLAIMS)


register_page(PageSpec("claims", "Warranty claims", _claims, order=45, shortcut="Ctrl+Shift+W",
                       visible=_desk))
