"""The appointments area (预约): the order editor's 预约 action and its dialog (book, move with a
reason, cancel; the 24 h on-site promise shown against the booking; the warnings with
仍然预约). Importing it registers the action; the service refuses anyone else anyway.
"""

from __future__ import annotations

from app.ui.appointments.dialog import appointment_action
from app.ui.extensions import register_order_action

register_order_action(appointment_action)
