"""The search area in the window: the status-bar indicator that builds a missing search
index in the background after log-in (the searches themselves are the orders and customers
pages' own boxes)."""

from __future__ import annotations

from app.ui.extensions import register_status_widget
from app.ui.search.status import status_widget

register_status_widget(status_widget)
