"""The warranty policy (三包政策) as head office states it, and what it says about one unit
or one part on one day: 保内 or 保外, and why.

A policy names product categories by model prefix (the longest prefix wins), each with its
whole-unit period (and, optionally, its periodic-maintenance interval 保养周期); key parts of a category (by part-number prefix) with their own, usually
longer, period; the labour fee per service type and category; and the travel fee per
distance band. A part can be in warranty while the unit is not (a compressor's six years
outlast the unit's one). Pure data and rules: the JSON document travels as the
``warranty_policy`` entity and ``sync.policy_csv`` reads the file form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from app.domain.enums import OrderType, WarrantyStatus
from app.domain.warranty import warranty_end

#: a labour fee for every category of the service type
ANY_CATEGORY = "*"
MAX_MONTHS = 240
MAX_FEE_FEN = 10_000_000  # ¥100,000
MAX_KM = 10_000


class CoverageBasis(StrEnum):
    UNIT = "unit"  # 整机
    PART = "part"  # 主要部件


class CoverageReason(StrEnum):
    """Why a unit or part is (not) covered; the screens and papers say it in words."""

    WITHIN_PERIOD = "within_period"  # 在保修期内
    PERIOD_ENDED = "period_ended"  # 已过保修期
    NO_PURCHASE_DATE = "no_purchase_date"  # 无购机日期
    BEFORE_PURCHASE = "before_purchase"  # 服务日期早于购机日期
    NO_INVOICE = "no_invoice"  # 政策要求发票，无发票


@dataclass(frozen=True)
class Category:
    name: str  # 空调, 冰箱, ...
    model_prefixes: tuple[str, ...]
    unit_months: int
    #: periodic maintenance (保养) every this many months; 0: none (the maintenance reminders)
    maintenance_months: int = 0


@dataclass(frozen=True)
class KeyPartRule:
    category: str
    part_prefix: str  # part-number prefix, e.g. "GR-CMP"
    name: str  # 压缩机
    months: int


@dataclass(frozen=True)
class LabourFee:
    category: str  # a Category name or ANY_CATEGORY
    order_type: OrderType
    fee_fen: int


@dataclass(frozen=True)
class TravelBand:
    up_to_km: int  # this band covers distances up to and including this
    fee_fen: int


@dataclass(frozen=True)
class Coverage:
    status: WarrantyStatus
    reason: CoverageReason
    basis: CoverageBasis
    #: the period that applied, and its last covered day (None without a purchase date)
    months: int | None
    ends_on: date | None
    #: the category or key-part rule that set the period ("" when the product's own months did)
    rule: str = ""
    #: bought without an invoice: covered by purchase date, but the claim lacks proof
    no_invoice: bool = False


@dataclass(frozen=True)
class WarrantyPolicy:
    label: str = ""
    categories: tuple[Category, ...] = ()
    key_parts: tuple[KeyPartRule, ...] = ()
    labour: tuple[LabourFee, ...] = ()
    travel: tuple[TravelBand, ...] = ()
    #: without an invoice the unit is out of warranty (otherwise the purchase date serves)
    invoice_required: bool = False
    _by_prefix: tuple[tuple[str, Category], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        pairs = sorted(((p.upper(), c) for c in self.categories for p in c.model_prefixes),
                       key=lambda pair: -len(pair[0]))
        object.__setattr__(self, "_by_prefix", tuple(pairs))
        object.__setattr__(self, "travel", tuple(sorted(self.travel, key=lambda b: b.up_to_km)))

    def category_for(self, model: str) -> Category | None:
        """The category whose longest model prefix starts ``model`` (case-insensitive)."""
        upper = (model or "").strip().upper()
        return next((c for prefix, c in self._by_prefix if upper.startswith(prefix)), None)

    def key_part_for(self, model: str, part_no: str) -> KeyPartRule | None:
        category = self.category_for(model)
        if category is None:
            return None
        upper = (part_no or "").strip().upper()
        rules = [r for r in self.key_parts
                 if r.category == category.name and upper.startswith(r.part_prefix.upper())]
        return max(rules, key=lambda r: len(r.part_prefix), default=None)

    def labour_fee(self, model: str, order_type: OrderType) -> int | None:
        """The schedule's labour fee for the service type on this model's category."""
        category = self.category_for(model)
        name = category.name if category else None
        exact = [f for f in self.labour if f.order_type is order_type and f.category == name]
        fallback = [f for f in self.labour
                    if f.order_type is order_type and f.category == ANY_CATEGORY]
        chosen = (exact or fallback or [None])[0]
        return None if chosen is None else chosen.fee_fen

    def travel_fee(self, km: int | None) -> int | None:
        """The fee of the first band that reaches ``km``; None beyond the last band."""
        if km is None:
            return None
        return next((b.fee_fen for b in self.travel if km <= b.up_to_km), None)

    # -- the document ------------------------------------------------------------------------
    def to_payload(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "invoice_required": self.invoice_required,
            "categories": [_category_payload(c) for c in self.categories],
            "key_parts": [{"category": r.category, "part_prefix": r.part_prefix,
                           "name": r.name, "months": r.months} for r in self.key_parts],
            "labour": [{"category": f.category, "order_type": f.order_type.value,
                        "fee_fen": f.fee_fen} for f in self.labour],
            "travel": [{"up_to_km": b.up_to_km, "fee_fen": b.fee_fen} for b in self.travel],
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> WarrantyPolicy:
        """The policy a document describes; ``ValueError`` naming what is wrong."""
        try:
            policy = cls(
                label=str(data.get("label") or "")[:64],
                invoice_required=bool(data.get("invoice_required", False)),
                categories=tuple(
                    Category(str(c["name"]), tuple(str(p) for p in c["model_prefixes"]),
                             _whole(c["unit_months"], 0, MAX_MONTHS, "unit_months"),
                             # a document from before the maintenance reminders has none
                             _whole(c.get("maintenance_months", 0), 0, MAX_MONTHS,
                                    "maintenance_months"))
                    for c in data.get("categories") or ()),
                key_parts=tuple(
                    KeyPartRule(str(r["category"]), str(r["part_prefix"]), str(r.get("name", "")),
                                _whole(r["months"], 0, MAX_MONTHS, "months"))
                    for r in data.get("key_parts") or ()),
                labour=tuple(
                    LabourFee(str(f["category"]), OrderType(f["order_type"]),
                              _whole(f["fee_fen"], 0, MAX_FEE_FEN, "fee_fen"))
                    for f in data.get("labour") or ()),
                travel=tuple(
                    TravelBand(_whole(b["up_to_km"], 0, MAX_KM, "up_to_km"),
                               _whole(b["fee_fen"], 0, MAX_FEE_FEN, "fee_fen"))
                    for b in data.get("travel") or ()),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"warranty policy document is missing {exc}") from None
        return policy


#: before any policy arrives: the product's own months, no schedule
NO_POLICY = WarrantyPolicy()


def unit_coverage(policy: WarrantyPolicy, model: str, purchase_date: date | None,
                  invoice_no: str, product_months: int | None, on: date) -> Coverage:
    """Is the whole unit covered on ``on``? The category's period where the policy knows the
    model, else the months recorded with the product."""
    category = policy.category_for(model)
    months = category.unit_months if category is not None else product_months
    return _cover(CoverageBasis.UNIT, months, category.name if category else "", policy,
                  purchase_date, invoice_no, on)


def part_coverage(policy: WarrantyPolicy, model: str, part_no: str,
                  catalogue_months: int | None, purchase_date: date | None, invoice_no: str,
                  product_months: int | None, on: date) -> Coverage:
    """Is this part of the unit covered on ``on``? A key-part rule's period first, then the
    catalogue's months for the part, then the unit's own period."""
    rule = policy.key_part_for(model, part_no)
    if rule is not None:
        return _cover(CoverageBasis.PART, rule.months, rule.name or rule.part_prefix, policy,
                      purchase_date, invoice_no, on)
    if catalogue_months is not None:
        return _cover(CoverageBasis.PART, catalogue_months, "", policy, purchase_date,
                      invoice_no, on)
    return unit_coverage(policy, model, purchase_date, invoice_no, product_months, on)


def _cover(basis: CoverageBasis, months: int | None, rule: str, policy: WarrantyPolicy,
           purchase_date: date | None, invoice_no: str, on: date) -> Coverage:
    no_invoice = not (invoice_no or "").strip()
    if purchase_date is None or months is None:
        return Coverage(WarrantyStatus.UNKNOWN, CoverageReason.NO_PURCHASE_DATE, basis, months,
                        None, rule, no_invoice)
    ends = warranty_end(purchase_date, months) if months > 0 else None
    if no_invoice and policy.invoice_required:
        return Coverage(WarrantyStatus.OUT_OF_WARRANTY, CoverageReason.NO_INVOICE, basis,
                        months, ends, rule, no_invoice)
    if on < purchase_date:
        return Coverage(WarrantyStatus.OUT_OF_WARRANTY, CoverageReason.BEFORE_PURCHASE, basis,
                        months, ends, rule, no_invoice)
    if ends is not None and on <= ends:
        return Coverage(WarrantyStatus.IN_WARRANTY, CoverageReason.WITHIN_PERIOD, basis, months,
                        ends, rule, no_invoice)
    return Coverage(WarrantyStatus.OUT_OF_WARRANTY, CoverageReason.PERIOD_ENDED, basis, months,
                    ends, rule, no_invoice)


def _category_payload(c: Category) -> dict[str, Any]:
    item: dict[str, Any] = {"name": c.name, "model_prefixes": list(c.model_prefixes),
                            "unit_months": c.unit_months}
    if c.maintenance_months:  # absent when 0: a policy without intervals reads as before
        item["maintenance_months"] = c.maintenance_months
    return item


def _whole(value: Any, low: int, high: int, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"warranty policy: {name} must be a whole number from {low} to "
                         f"{high}, not {value!r}")
    return value
