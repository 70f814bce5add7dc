"""A new order's fields checked before anything is stored, every refusal collected and
raised together (``FieldErrors``), so the form marks every missing or bad field at once:
the new customer's and product's fields first, then the order's, in the form's order.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.domain import validation as v
from app.domain.enums import OrderType
from app.domain.errors import ErrorCollector, RuleViolation
from app.services import text_input as t
from app.services.customers import validate_customer, validate_product

if TYPE_CHECKING:
    from app.services.orders import NewOrder


def check_new_order(new: NewOrder, today: date) -> tuple[str, str, str, str]:
    """The cleaned (fault description, contact phone, service address, head-office reference);
    raises every refusal at once."""
    c = ErrorCollector()
    if new.customer_id is None:
        if new.customer is None:
            c.add(RuleViolation("Choose a customer or enter a new one.", field="customer"))
        else:
            c.check(validate_customer, new.customer)
    if new.product_id is None and new.product is not None:
        c.check(validate_product, new.product, today)
    fault = c.check(t.check_length, new.fault_description, "fault_description",
                    "Fault description", v.MAX_TEXT, multiline=True, default="")
    if (OrderType(new.order_type) is OrderType.REPAIR and not fault
            and not c.has("fault_description")):
        c.add(RuleViolation("Fault description is required for a repair order.",
                            field="fault_description"))
    phone = c.check(v.check_phone, new.contact_phone, "contact_phone", default="")
    address = c.check(t.check_length, new.service_address, "service_address",
                      "Service address", v.MAX_ADDRESS, default="")
    hq_ref = c.check(t.check_length, new.hq_reference, "hq_reference",
                     "Head-office reference", v.MAX_SHORT, default="")
    c.raise_if_any()
    return fault, phone, address, hq_ref
