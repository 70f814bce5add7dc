"""Customer notifications (客户通知) in the window: the order editor's 通知 list (registered
here), read-only; head office sends the messages and says how it went."""

from __future__ import annotations

from app.ui.extensions import register_order_action
from app.ui.notify.order_list import notifications_action

register_order_action(notifications_action)
