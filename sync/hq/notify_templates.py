"""Head office's templates of the customer messages (客户通知), in Chinese, and the one way a
message's text is built: each value the station sent is checked (plain text, no line break or
other control character, length-limited; the amount an integer of fen) before it is put in
the template, so no text is ever built from unchecked input and no header can be injected.

A station sends the values only (``app.services.notifications.queue``): ``order_no`` always;
``window`` and ``technician`` for ``booked``/``moved``; ``amount_fen`` for ``done``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_VALUE = 60
MAX_FEN = 10**10
_ORDER_NO = re.compile(r"^[A-Za-z0-9\-]{1,40}$")


class TemplateError(ValueError):
    """A value cannot be put in a message (the reason is kept as the message's detail)."""


@dataclass(frozen=True)
class Template:
    subject: str
    body: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


SIGNATURE = "(本消息由系统发送,请勿回复)"

TEMPLATES: dict[str, Template] = {
    "order_received": Template(
        "您的报修已受理 {order_no}",
        "您好,您的报修已受理,服务单号 {order_no}。我们将尽快与您联系。", ("order_no",)),
    "booked": Template(
        "上门服务预约 {order_no}",
        "您好,已为您预约上门服务:{window},维修工程师:{technician}。服务单号 {order_no}。",
        ("order_no", "window"), ("technician",)),
    "moved": Template(
        "上门时间变更 {order_no}",
        "您好,您的上门服务时间已改为:{window},维修工程师:{technician}。服务单号 {order_no}。",
        ("order_no", "window"), ("technician",)),
    "done": Template(
        "维修完成 {order_no}",
        "您好,您的服务单 {order_no} 已维修完成,您需支付的金额为 {amount}。",
        ("order_no", "amount_fen")),
    "visit_thanks": Template(
        "感谢您的评价 {order_no}",
        "您好,感谢您接受服务单 {order_no} 的回访,欢迎继续对我们的服务提出意见。",
        ("order_no",)),
}


def plain(value: Any, name: str, limit: int = MAX_VALUE) -> str:
    """``value`` as text fit for a message: refused with a control character (CR, LF, ...)
    or longer than ``limit``."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TemplateError(f"{name} is not a plain value")
    text = unicodedata.normalize("NFC", str(value)).strip()
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in text):
        raise TemplateError(f"{name} holds a line break or control character")
    if len(text) > limit:
        raise TemplateError(f"{name} is longer than {limit} characters")
    return text


def yuan(fen: Any) -> str:
    """An amount of fen as ¥12.50 (refused unless a whole number 0..10^10)."""
    text = str(fen).strip() if isinstance(fen, str | int) and not isinstance(fen, bool) else ""
    if not text.isdigit() or int(text) > MAX_FEN:
        raise TemplateError("amount_fen is not a whole number of fen")
    value = int(text)
    return f"¥{value // 100}.{value % 100:02d}"


def render(event: str, params: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of ``event``'s message with ``params`` checked and filled in."""
    template = TEMPLATES.get(event)
    if template is None:
        raise TemplateError(f"no template for {event[:24]!r}")
    values: dict[str, str] = {}
    for key in template.required:
        if params.get(key) in (None, ""):
            raise TemplateError(f"{key} is missing")
    for key in template.required + template.optional:
        values[key] = plain(params.get(key, ""), key)
    if not _ORDER_NO.match(values["order_no"]):
        raise TemplateError("order_no is not an order number")
    if "amount_fen" in values:
        values["amount"] = yuan(values.pop("amount_fen"))
    if "technician" in values and not values["technician"]:
        values["technician"] = "待定"
    subject = template.subject.format_map(values)
    body = template.body.format_map(values) + "\n" + SIGNATURE
    return subject, body
