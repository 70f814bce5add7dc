"""The settings area (设置): the station's details and letterhead images, the head-office
connection, printing defaults per document, the language and the backups. Importing it
registers the page; only who may change the settings (the manager) sees it, and the services
refuse anyone else.
"""

from __future__ import annotations

from app.domain.permissions import Permission
from app.ui.extensions import PageSpec, UiContext, register_page


def _settings_page(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.settings_page.page import SettingsPage

    return SettingsPage(ctx)


def _edits_settings(actor) -> bool:  # type: ignore[no-untyped-def]
    return actor.may(Permission.SETTINGS_EDIT)


register_page(PageSpec("settings", "Settings", _settings_page, order=200,
                       visible=_edits_settings))
