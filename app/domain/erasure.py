"""Erasing a customer's personal data (个人信息删除, PIPL): the tombstone that replaces it and
the scrubbing of the copies of it kept elsewhere (a row's free text, a JSON payload).

Both sides use it: the station (``app.services.customer_privacy``) on its own tables, audit and
outbox, head office (``sync.hq.erasure``) on its copies. Pure Python.

A *secret* is one value known to be the person's (the name, each phone as written and as
digits, the address, the notes, an order's contact phone or service address). A field known to
hold personal data is replaced outright (``PERSONAL_FIELDS``); any other text has each secret's
occurrences replaced by ``MASK``. Secrets shorter than ``MIN_SECRET`` characters are only
replaced where they are a whole field (one character of a name is not searched for in
someone's fault description).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: the name an erased customer file keeps (stored data, the same in every language, so a
#: paper printed anywhere says the person's data was erased)
ERASED_NAME = "已删除客户"
#: what replaces a secret found inside other text
MASK = "***"
MIN_SECRET = 2

#: payload keys that hold the person's data, whatever entity carries them, and what they
#: become; "name" is personal only in a customer's own payload (see ``scrub_payload``)
PERSONAL_FIELDS: dict[str, Any] = {
    "address": "",
    "notes": "",
    "phones": [],
    "contact_phone": "",
    "contact_digits": "",
    "service_address": "",
    "customer_name": ERASED_NAME,
    "customer_phone": "",
}
#: the same in a customer's own payload (and a dispatch's inline ``customer``)
CUSTOMER_FIELDS: dict[str, Any] = {**PERSONAL_FIELDS, "name": ERASED_NAME}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def secrets_of(values: Iterable[Any]) -> list[str]:
    """The distinct texts worth searching for among ``values`` (phones also as digits),
    longest first so a longer secret is masked before a shorter one inside it."""
    found: set[str] = set()
    for value in values:
        if isinstance(value, list | tuple | set):
            found.update(secrets_of(value))
            continue
        if not isinstance(value, str):
            continue
        text = value.strip()
        if len(text) >= MIN_SECRET and text not in (ERASED_NAME, MASK):
            found.add(text)
            digits = _digits(text)
            if len(digits) >= 7 and digits != text:  # a phone written with dashes or spaces
                found.add(digits)
    return sorted(found, key=lambda s: (-len(s), s))


def scrub_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret replaced by ``MASK``."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text


def scrub_value(value: Any, secrets: list[str]) -> Any:
    """Every text inside ``value`` (nested dicts and lists too) scrubbed of the secrets."""
    if isinstance(value, str):
        return scrub_text(value, secrets)
    if isinstance(value, dict):
        return {k: scrub_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(v, secrets) for v in value]
    return value


def scrub_payload(payload: Any, secrets: list[str], *, customer: bool = False) -> Any:
    """A JSON payload with the personal fields replaced (``customer``: a customer's own, where
    ``name`` is the person's too) and the secrets masked everywhere else; an inline
    ``customer`` object (head office's dispatch) is treated as a customer's own."""
    if isinstance(payload, dict):
        fields = CUSTOMER_FIELDS if customer else PERSONAL_FIELDS
        out: dict[str, Any] = {}
        for key, value in payload.items():
            if key in fields and value not in (None, "", [], 0):
                out[key] = fields[key]
            elif key == "customer" and isinstance(value, dict):
                out[key] = scrub_payload(value, secrets, customer=True)
            else:
                out[key] = scrub_payload(value, secrets)
        return out
    if isinstance(payload, list):
        return [scrub_payload(v, secrets, customer=customer) for v in payload]
    return scrub_value(payload, secrets)


def holds_any(text: str, secrets: Iterable[str]) -> bool:
    """Does ``text`` still hold one of the secrets?"""
    return any(s and s in text for s in secrets)
