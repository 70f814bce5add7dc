"""Checks of what head-office operators type: station codes, orders to dispatch, order edits.
Each failure is an ``AdminError`` naming the order and the field."""

from __future__ import annotations

from datetime import date

from app.domain import validation as v
from app.domain.enums import OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.numbering import STATION_CODE_RE
from sync.hq.errors import AdminError
from sync.hq.i18n import Message, current_language
from sync.hq.inputs import DispatchInput


def check_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not STATION_CODE_RE.match(code):
        raise AdminError("{code} is not a station code (2-16 letters or digits).",
                         code=repr(code))
    return code


def check_dispatch(n: int, o: DispatchInput) -> DispatchInput:
    try:
        customer = v.check_required(o.customer, "customer", "Customer", v.MAX_NAME)
        phone = v.check_phone(o.phone, "phone")
        address = v.check_required(o.address, "address", "Address", v.MAX_ADDRESS)
        fault = v.check_length(o.fault, "fault", "Fault", v.MAX_TEXT)
        model = v.check_length(o.model, "model", "Model", v.MAX_SHORT)
        serial = v.check_length(o.serial, "serial", "Serial number", v.MAX_SHORT)
        reference = v.check_length(o.reference, "reference", "Reference", v.MAX_SHORT)
    except RuleViolation as exc:
        raise _bad(n, StationRule(exc)) from exc
    try:
        order_type = OrderType(o.order_type.strip().lower()).value
    except ValueError:
        raise _bad(n, Message("type {value} is not one of {choices}.",
                              value=repr(o.order_type),
                              choices=", ".join(t.value for t in OrderType))) from None
    try:
        mode = ServiceMode(o.service_mode.strip().lower()).value
    except ValueError:
        raise _bad(n, Message("mode {value} is not one of {choices}.",
                              value=repr(o.service_mode),
                              choices=", ".join(m.value for m in ServiceMode))) from None
    if order_type == OrderType.REPAIR and not fault:
        raise _bad(n, Message("a repair order needs a fault description."))
    if serial and not model:
        raise _bad(n, Message("a serial number needs the product model too."))
    purchase = o.purchase_date.strip()
    if purchase:
        try:
            date.fromisoformat(purchase)
        except ValueError:
            raise _bad(n, Message("purchase date {value} is not YYYY-MM-DD.",
                                  value=repr(purchase))) from None
    if not 0 <= o.warranty_months <= 120:
        raise _bad(n, Message("warranty months must be between 0 and 120."))
    return DispatchInput(customer, phone, address, fault, order_type, mode, model, serial,
                         purchase, o.warranty_months, reference)


def check_fields(fields: dict[str, str]) -> dict[str, str]:
    clean = {}
    try:
        for key, value in fields.items():
            if key == "contact_phone":
                clean[key] = v.check_phone(value, key)
            elif key == "order_type":
                clean[key] = OrderType(value).value
            elif key == "service_mode":
                clean[key] = ServiceMode(value).value
            elif key == "service_address":
                clean[key] = v.check_required(value, key, "Address", v.MAX_ADDRESS)
            else:
                clean[key] = v.check_length(value, key, "Fault", v.MAX_TEXT)
    except (RuleViolation, ValueError) as exc:
        raise AdminError("{problem}", problem=StationRule(exc)) from exc
    return clean


class StationRule(Message):
    """A station rule's refusal (``RuleViolation``, or a bad enum value) inside a head-office
    message: said through the station's catalogue in Chinese, as it is in English."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        super().__init__(str(error))

    def render(self) -> str:
        if current_language() == "zh_CN" and isinstance(self.error, RuleViolation):
            from app.i18n import render

            return render(self.error)
        return str(self.error)


def _bad(n: int, problem: Message) -> AdminError:
    return AdminError("Order {n}: {problem}", n=n, problem=problem)
