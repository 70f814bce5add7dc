"""Warranty claims (三包索赔): the batch's states, head office's decisions, and the checks a
claim line passes before the station sends it (pure functions over ``ClaimFacts``).

A check either **blocks** the line (it cannot be sent as it stands: remove it) or **warns**
(the station manager may still send it with a written reason, kept with the claim). Each
finding carries its check code and the parameters its plain reason needs; the Chinese reason
is in the catalogue's ``claims.po`` (``REASON_TEXT`` holds the English source texts).

Findings about the whole order (its times, phone, serial, purchase proof, a repeat repair,
the order claimed twice) are raised on the order's first line in the batch, so one override
covers the order; findings about one charge (its old part, its warranty end, its amount, its
tag) are raised on that line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

#: a repair of the same serial for the same fault this many days (or fewer) after the earlier
#: one was completed is a repeat repair (返修)
REPEAT_DAYS = 30
#: two fault texts at least this alike (``fault_similarity``) are "the same fault": above
#: one half, so "不制热" and "不制冷" (one bigram of two shared) are different faults
FAULT_SIMILARITY = 0.6
MAX_OVERRIDE_REASON = 200
PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class ClaimStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交
    DECIDED = "decided"  # 已审核
    SETTLED = "settled"  # 已结算
    PAID = "paid"  # 已付款


class Decision(StrEnum):
    APPROVED = "approved"  # 通过
    ADJUSTED = "adjusted"  # 调整
    REJECTED = "rejected"  # 驳回


class Severity(StrEnum):
    BLOCKED = "blocked"  # 不可提交
    WARNING = "warning"  # 需说明


class Check(StrEnum):
    ORDER_CLAIMED_TWICE = "order_claimed_twice"
    TAG_USED_TWICE = "tag_used_twice"
    AFTER_WARRANTY_END = "after_warranty_end"
    REPEAT_REPAIR = "repeat_repair"
    OLD_PART_MISSING = "old_part_missing"
    MISSING_PHONE = "missing_phone"
    MISSING_SERIAL = "missing_serial"
    MISSING_PURCHASE_PROOF = "missing_purchase_proof"
    IMPOSSIBLE_TIMES = "impossible_times"
    ABOVE_SCHEDULE = "above_schedule"

    @property
    def severity(self) -> Severity:
        return Severity.BLOCKED if self in _BLOCKING else Severity.WARNING

    @property
    def overridable(self) -> bool:
        return self.severity is Severity.WARNING


_BLOCKING = frozenset({Check.ORDER_CLAIMED_TWICE, Check.TAG_USED_TWICE,
                       Check.AFTER_WARRANTY_END})

#: the plain reason of each check, English source text for ``tr()`` (params in braces)
REASON_TEXT: dict[Check, str] = {
    Check.ORDER_CLAIMED_TWICE: "Order {order} is already claimed in batch {batch}.",
    Check.TAG_USED_TWICE: "Old-part tag {tag} backs another claim line too ({other}).",
    Check.AFTER_WARRANTY_END: "Served on {served}, after the warranty ended on {ends}.",
    Check.REPEAT_REPAIR: "The same unit {serial} was repaired for the same fault {days} days "
                         "earlier (order {other}).",
    Check.OLD_PART_MISSING: "Part {part} must be returned, but no old part was collected.",
    Check.MISSING_PHONE: "The order has no customer phone.",
    Check.MISSING_SERIAL: "The product has no serial number.",
    Check.MISSING_PURCHASE_PROOF: "No purchase proof: {missing}.",
    Check.IMPOSSIBLE_TIMES: "Impossible times: {what}.",
    Check.ABOVE_SCHEDULE: "Claimed {amount} is above the schedule's {schedule}.",
}

#: the parts of a reason that are themselves words to translate
PROOF_TEXT = {"purchase_date": "no purchase date", "invoice": "no invoice number"}
TIMES_TEXT = {
    "completed_before_arrival": "completed before arrival",
    "arrival_before_call": "arrived before the call",
    "response_before_call": "responded before the call",
}


@dataclass(frozen=True)
class Finding:
    check: Check
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return self.check.severity

    @property
    def template(self) -> str:
        return REASON_TEXT[self.check]


@dataclass(frozen=True)
class EarlierRepair:
    """A completed order of the same serial before this one."""

    order_number: str
    completed_on: date
    part_nos: frozenset[str]
    fault: str


@dataclass(frozen=True)
class ClaimFacts:
    """What the checks need to know about one claim line and its order (plain values)."""

    line_id: str
    order_id: str
    order_number: str
    kind: str  # labour, parts, travel
    amount_fen: int
    schedule_fen: int | None
    #: the order's first line in the batch carries the order's own findings
    first_of_order: bool = True
    # the order and its unit
    phone: str = ""
    serial: str = ""
    purchase_date: date | None = None
    invoice_no: str = ""
    called_at: datetime | None = None
    responded_at: datetime | None = None
    arrived_at: datetime | None = None
    completed_at: datetime | None = None
    #: the day the warranty is judged on (the call's day, as the payers were decided)
    service_date: date | None = None
    #: the last covered day of the unit, or for a part line of the part (None: unknown)
    warranty_ends: date | None = None
    fault: str = ""
    part_nos: frozenset[str] = frozenset()
    earlier: tuple[EarlierRepair, ...] = ()
    # a part line
    part_no: str = ""
    return_required: bool = False
    old_part_tag: str = ""
    # elsewhere: another batch holding the order (its number), other lines with the same tag
    other_batch: str = ""
    twin_in_batch: bool = False
    tag_elsewhere: str = ""


# -- the checks ----------------------------------------------------------------------------------


def check_claimed_twice(f: ClaimFacts) -> Finding | None:
    """The order sits in another batch, or this line repeats another line of this batch
    (the same charge of the same order)."""
    if f.other_batch and f.first_of_order:
        return Finding(Check.ORDER_CLAIMED_TWICE, {"order": f.order_number,
                                                   "batch": f.other_batch})
    if f.twin_in_batch:
        return Finding(Check.ORDER_CLAIMED_TWICE, {"order": f.order_number, "batch": "-"})
    return None


def check_tag_twice(f: ClaimFacts) -> Finding | None:
    if f.old_part_tag and f.tag_elsewhere:
        return Finding(Check.TAG_USED_TWICE, {"tag": f.old_part_tag, "other": f.tag_elsewhere})
    return None


def check_warranty_end(f: ClaimFacts) -> Finding | None:
    """Served after the last covered day (served on that day is still covered)."""
    if f.service_date and f.warranty_ends and f.service_date > f.warranty_ends:
        return Finding(Check.AFTER_WARRANTY_END, {"served": f.service_date.isoformat(),
                                                  "ends": f.warranty_ends.isoformat()})
    return None


def check_repeat(f: ClaimFacts) -> Finding | None:
    """An earlier completed repair of the same serial for the same fault, completed at most
    ``REPEAT_DAYS`` days before this order was called (by local calendar day)."""
    if not f.serial.strip() or f.called_at is None:
        return None
    called = f.called_at.astimezone().date()
    for e in sorted(f.earlier, key=lambda x: x.completed_on, reverse=True):
        days = (called - e.completed_on).days
        if 0 <= days <= REPEAT_DAYS and same_fault(f.part_nos, f.fault, e.part_nos, e.fault):
            return Finding(Check.REPEAT_REPAIR, {"serial": f.serial, "days": days,
                                                 "other": e.order_number})
    return None


def check_old_part(f: ClaimFacts) -> Finding | None:
    if f.kind == "parts" and f.return_required and not f.old_part_tag:
        return Finding(Check.OLD_PART_MISSING, {"part": f.part_no})
    return None


def check_phone(f: ClaimFacts) -> Finding | None:
    return None if f.phone.strip() else Finding(Check.MISSING_PHONE)


def check_serial(f: ClaimFacts) -> Finding | None:
    return None if f.serial.strip() else Finding(Check.MISSING_SERIAL)


def check_proof(f: ClaimFacts) -> Finding | None:
    missing = []
    if f.purchase_date is None:
        missing.append("purchase_date")
    if not f.invoice_no.strip():
        missing.append("invoice")
    return Finding(Check.MISSING_PURCHASE_PROOF, {"missing": tuple(missing)}) if missing \
        else None


def check_times(f: ClaimFacts) -> Finding | None:
    """Completed before arrival, arrival before the call, response before the call (equal
    times are possible: a walk-in answered on the spot)."""
    what = []
    if f.completed_at and f.arrived_at and f.completed_at < f.arrived_at:
        what.append("completed_before_arrival")
    if f.arrived_at and f.called_at and f.arrived_at < f.called_at:
        what.append("arrival_before_call")
    if f.responded_at and f.called_at and f.responded_at < f.called_at:
        what.append("response_before_call")
    return Finding(Check.IMPOSSIBLE_TIMES, {"what": tuple(what)}) if what else None


def check_schedule(f: ClaimFacts) -> Finding | None:
    """More than the schedule allows (exactly the schedule is fine); no schedule, no check."""
    if f.schedule_fen is not None and f.amount_fen > f.schedule_fen:
        return Finding(Check.ABOVE_SCHEDULE, {"amount": f.amount_fen,
                                              "schedule": f.schedule_fen})
    return None


_LINE_CHECKS = (check_claimed_twice, check_tag_twice, check_warranty_end, check_old_part, check_schedule)
_ORDER_CHECKS = (check_repeat, check_phone, check_serial, check_proof,
                 check_times)


def findings(f: ClaimFacts) -> list[Finding]:
    """Every finding of the line, blocked ones first."""
    out = [x for c in _LINE_CHECKS if (x := c(f)) is not None]
    if f.first_of_order:
        out += [x for c in _ORDER_CHECKS if (x := c(f)) is not None]
    return sorted(out, key=lambda x: (x.severity is not Severity.BLOCKED, x.check.value))


def outstanding(found: Iterable[Finding], overridden: Iterable[str]) -> list[Finding]:
    """What still stops submission: every blocked finding, and each warning without an
    override."""
    done = set(overridden)
    return [x for x in found if x.severity is Severity.BLOCKED or x.check.value not in done]


# -- "the same fault" ----------------------------------------------------------------------------

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalized_fault(text: str) -> str:
    """The fault text without spaces and punctuation, lower-cased."""
    return _NOISE.sub("", text or "").lower()


def fault_similarity(a: str, b: str) -> float:
    """How alike two fault texts are, 0..1: 1 when one contains the other, else the overlap
    coefficient of their character bigrams (shared bigrams over the shorter text's bigrams;
    Chinese has no spaces, and a technician's text is often the call's text plus a few words:
    "空调不制冷" and "空调制冷效果差不制冷" share 3 of 4, "不制冷" and "漏水" none)."""
    x, y = normalized_fault(a), normalized_fault(b)
    if not x or not y:
        return 0.0
    if x in y or y in x:
        return 1.0
    bx = {x[i:i + 2] for i in range(len(x) - 1)} or {x}
    by = {y[i:i + 2] for i in range(len(y) - 1)} or {y}
    return len(bx & by) / min(len(bx), len(by))


def same_fault(parts_a: frozenset[str], fault_a: str, parts_b: frozenset[str],
               fault_b: str) -> bool:
    """Two repairs are of the same fault when both replaced parts and share a part number,
    or, where either replaced none, their fault texts are at least ``FAULT_SIMILARITY``
    alike."""
    if parts_a and parts_b:
        return bool({p.upper() for p in parts_a} & {p.upper() for p in parts_b})
    return fault_similarity(fault_a, fault_b) >= FAULT_SIMILARITY


# -- periods -------------------------------------------------------------------------------------


def parse_period(text: str) -> tuple[int, int]:
    """(year, month) of a ``YYYY-MM`` claim period; ValueError otherwise."""
    m = PERIOD_RE.match((text or "").strip())
    if m is None:
        raise ValueError(f"not a period: {text!r}")
    return int(m.group(1)), int(m.group(2))


def period_bounds(text: str) -> tuple[date, date]:
    """The first day of the period and the first day after it."""
    year, month = parse_period(text)
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def period_of(day: date) -> str:
    return f"{day:%Y-%m}"


def total(amounts: Sequence[int]) -> int:
    return sum(int(a) for a in amounts)
