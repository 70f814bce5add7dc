"""Phones shown in full or masked (138****5678): the one place the station's policy lives.

Who sees a customer's phone in full (PIPL: no more on screen and paper than the work needs):

- 信息员 (clerk) calls the customers: full numbers everywhere — the order form, the lists,
  the customer files, the return-visit list and the exports (the maintenance call list).
- 维修工程师 (technician): full numbers on the orders assigned to him (the order editor,
  his 派工单 / work-order paper, his rows of the orders list); masked on everyone else's
  orders, in the customer files, in search results and in every export.
- 站长 (manager): masked in the lists, the customer files, the search results and the
  report exports. 显示完整号码 in the order editor and the customer file reveals a number
  (``PHONE_REVEAL``), and the reveal is written to the audit: who, whose number, when
  (``app.services.phone_view.reveal_*``). The manager's work that calls customers — the
  return visits (回访) and the maintenance call list (``CAMPAIGN_EXPORT``) — shows them in
  full, since calling is that work.

``shows_full`` is that table; the services apply it (``app.services.phone_view``) to what
they return, so a screen, a paper or an export never receives a number its user may not
read. Searching by a phone's digits matches in the database and works for everyone; only
what is shown is masked.

The format (``mask``): a mobile keeps its first 3 and last 4 digits (138****5678); a
landline keeps its area code and the last 4 digits of its number (010-****5678, an
extension dropped); a number of fewer than 7 digits keeps only its last 2. Four stars
always, whatever the length hidden, so the mask tells nothing of it. A masked text is never
saved back: ``kept`` turns an unchanged masked field into the stored number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

from app.domain.enums import Role

STARS = "****"
#: fewer digits than this: too short to keep 3 + 4 of them, only the last 2 stay
SHORT = 7
_MOBILE = re.compile(r"^(?:\+?86|0086)?-?(1[3-9]\d)(\d{4})(\d{4})$", re.ASCII)
# area code (as dashed, or else 010 / 02x / 0xxx), the number, an optional extension
_LANDLINE = (re.compile(r"^(0\d{2,3})-(\d{5,8})(?:-\d{1,6})?$", re.ASCII),
             re.compile(r"^(0(?:[12]\d|\d{3}))(\d{5,8})(?:-\d{1,6})?$", re.ASCII))


class Purpose(StrEnum):
    """Where a phone is about to be shown."""

    ORDER = "order"  # an order's editor, its papers, its row in the orders list
    CUSTOMER = "customer"  # a customer file, a customer search result
    LIST = "list"  # other lists and search results (sales, ...)
    EXPORT = "export"  # a file that leaves the program (report exports)
    CALLS = "calls"  # work that calls customers: return visits, the maintenance call list


def shows_full(role: Role | str, purpose: Purpose, *, own: bool = False) -> bool:
    """Does ``role`` see the number in full here (``own``: the order is assigned to the
    acting user)? The table of the module's docstring."""
    role = Role(role)
    if role is Role.CLERK:
        return True
    if role is Role.TECHNICIAN:
        return purpose is Purpose.ORDER and own
    return purpose is Purpose.CALLS  # the manager: everything else through a reveal


def is_masked(text: str) -> bool:
    return "*" in (text or "")


def mask(number: str) -> str:
    """The number with its middle hidden (138****5678, 010-****5678, ****78)."""
    text = re.sub(r"[\s().]", "", unicodedata.normalize("NFKC", number or ""))
    if not text or is_masked(text):
        return text
    if m := _MOBILE.match(text):
        return f"{m.group(1)}{STARS}{m.group(3)}"
    for pattern in _LANDLINE:
        if m := pattern.match(text):
            return f"{m.group(1)}-{STARS}{m.group(2)[-4:]}"
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) < SHORT:
        return STARS + digits[-2:]
    return STARS + digits[-4:]


def kept(typed: str, stored: Iterable[str]) -> str | None:
    """The stored number a field still showing its mask stands for (the field was not
    changed), or None when ``typed`` is not such a mask."""
    if not is_masked(typed):
        return None
    wanted = re.sub(r"\s", "", typed)
    return next((n for n in stored if n and mask(n) == wanted), None)
