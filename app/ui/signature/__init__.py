"""The signature area: 客户签字 on an order (a toolbar action of the order editor, Ctrl+Shift+G)
with the signature pad. Importing it registers the action; the services refuse anyone the
permission matrix does not let sign or reopen anyway.
"""

from __future__ import annotations

from app.ui.extensions import register_order_action
from app.ui.signature.dialog import signature_action

register_order_action(signature_action)
