"""显示完整号码: the manager's audited reveal of a masked phone, in the order editor's toolbar
(registered here) and on the customer file (``reveal.CustomerReveal``, placed by the
customers page). The masking itself happens in the services (``app.domain.phone_mask``)."""

from __future__ import annotations

from app.ui.extensions import register_order_action
from app.ui.masking.reveal import order_reveal_action

register_order_action(order_reveal_action)
