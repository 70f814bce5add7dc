"""The users area (manager only): list, add, reset password, deactivate.

Importing it registers the page, visible to managers; the users service enforces it anyway.
"""

from __future__ import annotations

from app.domain.permissions import Permission
from app.ui.extensions import PageSpec, UiContext, register_page


def _users_page(ctx: UiContext):
    from app.ui.users.page import UsersPage

    return UsersPage(ctx)


register_page(PageSpec("users", "Users", _users_page, order=90,
                       visible=lambda actor: actor.may(Permission.USER_MANAGE)))
