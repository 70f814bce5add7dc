"""The window areas loaded at start; importing each module registers its pages and actions.

An area joins with a one-line edit here.
"""

from __future__ import annotations

import importlib

AREA_MODULES = [
    "app.ui.orders",
    "app.ui.customers",
    "app.ui.parts",
    "app.ui.feedback",
    "app.ui.claims",
    "app.ui.payments",
    "app.ui.users",
    "app.ui.printing",
    "app.ui.sync",
    "app.ui.visits",
    "app.ui.maintenance",
    "app.ui.reports",
    "app.ui.search",
    "app.ui.knowledge",
    "app.ui.dashboard",
    "app.ui.settings_page",
    "app.ui.signature",
    "app.ui.masking",
    "app.ui.notify",
    "app.ui.dayplan",
    "app.ui.appointments",
]


def load_areas() -> None:
    for name in AREA_MODULES:
        importlib.import_module(name)
